"""`onpath snapshot show DIR`: datasets, dates, counts, collectors, peers, prefixes, ASes, rejects."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from onpath.store.snapshot import Snapshot

EPILOG = """\
JSON output: {"snapshot": {...}, "datasets": [manifest entries]}.

example: onpath snapshot show snap/ --format json
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR", help="snapshot folder")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.epilog = EPILOG


def _one(con, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0] or 0)


def summary(snap: Snapshot) -> dict[str, Any]:
    """The snapshot-level figures `snapshot show` prints.

    Parameters
    ----------
    snap : Snapshot

    Returns
    -------
    dict
        path, date, synthetic, datasets, tables (rows per table), collectors, peers (vantage
        points: distinct collector and peer IP), prefixes, origin_ases, path_ases, as_rel_ases,
        rejects (rows), ts_min_us/ts_max_us of routes.
    """
    con = snap.con().cursor()
    out: dict[str, Any] = {
        "path": str(snap.root),
        "date": snap.date,
        "synthetic": snap.synthetic,
        "datasets": len(snap.datasets),
        "tables": dict(sorted(snap.tables().items())),
    }
    if snap.has("routes"):
        out["collectors"] = [r[0] for r in con.execute(
            "SELECT DISTINCT collector FROM routes WHERE collector IS NOT NULL ORDER BY 1").fetchall()]
        out["peers"] = _one(con, "SELECT count(*) FROM (SELECT DISTINCT collector, peer_ip FROM routes)")
        out["prefixes"] = _one(con, "SELECT count(DISTINCT prefix) FROM routes")
        out["origin_ases"] = _one(con, "SELECT count(DISTINCT origin_asn) FROM routes")
        out["path_ases"] = _one(con, "SELECT count(DISTINCT a) FROM (SELECT unnest(as_path) AS a FROM routes)")
        row = con.execute("SELECT min(ts_us), max(ts_us) FROM routes").fetchone() or (None, None)
        out["ts_min_us"], out["ts_max_us"] = row[0], row[1]
    else:
        out.update(collectors=[], peers=0, prefixes=0, origin_ases=0, path_ases=0)
    out["as_rel_ases"] = _one(con, "SELECT count(DISTINCT a) FROM (SELECT asn1 AS a FROM as_rel UNION ALL SELECT asn2 FROM as_rel)")
    out["rejects"] = snap.tables().get("rejects", 0)
    return out


def render_table(s: dict[str, Any], datasets: list[dict[str, Any]]) -> str:
    """Plain-text rendering: header facts, then one line per dataset."""
    lines = [f"snapshot  {s['path']}" + ("   SYNTHETIC" if s["synthetic"] else "")]
    lines.append(f"date      {s['date'] or '-'}")
    lines.append(f"datasets  {s['datasets']}")
    lines.append("collectors " + (", ".join(s["collectors"]) or "-"))
    lines.append(f"peers     {s['peers']}   prefixes {s['prefixes']}   origin ASes {s['origin_ases']}"
                 f"   ASes on paths {s['path_ases']}   ASes in as-rel {s['as_rel_ases']}")
    lines.append(f"rejects   {s['rejects']}")
    lines.append("tables    " + (", ".join(f"{k}={v}" for k, v in s["tables"].items()) or "-"))
    lines.append("")
    head = ("kind", "date", "collector", "records", "skipped", "rejected", "synthetic", "source")
    rows = [head]
    for d in datasets:
        rows.append((d["kind"], d.get("date") or "-", d.get("collector") or "-", str(d["records"]),
                     str(d["skipped"]), str(d["rejected"]), "SYNTHETIC" if d.get("synthetic") else "",
                     Path(str(d["source"])).name if "://" not in str(d["source"]) else str(d["source"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    snap = Snapshot.open(args.dir)
    s = summary(snap)
    if args.format == "json":
        json.dump({"snapshot": s, "datasets": snap.datasets}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_table(s, snap.datasets))
    return 0
