"""Write ``report.json``, ``report.html`` and ``run.json``: validated first, each atomically.

``report.json`` holds only what the inputs determine (byte-identical on re-runs); wall-clock times,
versions and arguments go to ``run.json``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from pathlib import Path
from typing import Any

from onpath.report.canon import canonical, dumps, write_atomic
from onpath.report.render_html import render
from onpath.report.schema import validate


def summary_of(rep: dict[str, Any]) -> dict[str, Any]:
    """The short summary ``assess`` returns and ``--format json`` prints: country, bands, key figures."""
    ents = []
    for x in rep.get("entities") or []:
        ex = x.get("exposure") or {}
        ents.append({
            "id": x.get("id"), "name": x.get("name"), "networks": len(x.get("networks") or []),
            "band": (x.get("risk") or {}).get("band"),
            "drivers": [d["figure"] for d in (x.get("risk") or {}).get("drivers") or []],
            "inbound_v4_by_address": ((ex.get("inbound") or {}).get("v4") or {}).get("by_address"),
            "inbound_v4_reach": ((ex.get("inbound") or {}).get("v4") or {}).get("reach_by_address"),
            "outbound_v4_by_address": ((ex.get("outbound") or {}).get("v4") or {}).get("by_address"),
            "confidence": (x.get("confidence") or {}).get("level"),
        })
    snap = rep.get("snapshot") or {}
    return {"country": rep.get("country"), "synthetic": rep.get("synthetic"), "snapshot": snap.get("name"),
            "snapshot_date": snap.get("date"), "entities": ents}


def write_outputs(rep: dict[str, Any], out_dir: str | Path, run_info: dict[str, Any]) -> dict[str, Any]:
    """Validate and write the three files; returns their paths and the summary.

    Raises
    ------
    SchemaMismatch
        When the report does not match ``onpath.report/1`` (naming the field); nothing is written then.
    """
    out = Path(out_dir)
    canon = canonical(rep)
    validate(canon)
    text = dumps(canon)
    # render from what was written, so the HTML shows exactly the rounded figures of report.json
    html = render(json.loads(text))
    paths = {"report_json": out / "report.json", "report_html": out / "report.html", "run_json": out / "run.json"}
    write_atomic(paths["report_json"], text)
    write_atomic(paths["report_html"], html)
    from onpath import __version__

    run = {**run_info, "onpath_version": __version__, "python": sys.version.split()[0],
           "platform": platform.platform(),
           "report_json_sha256": hashlib.sha256(text.encode()).hexdigest(),
           "report_html_sha256": hashlib.sha256(html.encode()).hexdigest()}
    write_atomic(paths["run_json"], json.dumps(canonical(run), sort_keys=True, indent=2) + "\n")
    return {"paths": {k: str(v) for k, v in paths.items()}, "summary": summary_of(canon)}
