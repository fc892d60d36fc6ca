"""Vantage points with countries: the JSONL of CAIDA's CTI work (``collector-peers-geo.YYYYMMDD.jsonl``).

One line per collector, ``{"collector", "country", "peers": [{"peer_address", "peer_asn",
"final_country", "full_feed": "0"|"1", ...}]}``. Collector names become the archives' own
(``routeviews2`` -> ``route-views2``, ``jinx`` -> ``route-views.jinx``, ``rrc00`` unchanged);
a ``final_country`` that is not two letters (empty, ``"1"``) becomes null.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.ingest.base import LoadContext, text_lines
from onpath.ingest.textfmt import Columns, atomic_text, parse_asn, rows_of
from onpath.models.tables import VANTAGE_POINTS

KIND = "vantage-points"
TABLE = "vantage_points"

_HEAD = re.compile(rb'^\s*\{[^\n]*"collector"\s*:[^\n]*"peers"\s*:\s*\[')
_CC = re.compile(r"^[A-Za-z]{2}$")


def detect(head: bytes, name: str) -> bool:
    """True when the first line is a collector object with a ``peers`` list."""
    return bool(_HEAD.match(head))


def collector_name(name: str) -> str:
    """The archives' own spelling of a collector name.

    Examples
    --------
    >>> [collector_name(n) for n in ("routeviews2", "jinx", "rrc00", "route-views.sg", "sydney")]
    ['route-views2', 'route-views.jinx', 'rrc00', 'route-views.sg', 'route-views.sydney']
    """
    n = name.strip().lower()
    if re.fullmatch(r"rrc\d+", n) or n.startswith("route-views"):
        return n
    m = re.fullmatch(r"routeviews(\d*)", n)
    if m:
        return f"route-views{m.group(1)}"
    if n.startswith("routeviews."):
        return "route-views." + n[len("routeviews."):]
    return f"route-views.{n}"


def _flag(v: Any) -> bool | None:
    s = str(v).strip().lower() if v is not None else ""
    if s in ("1", "true", "yes"):
        return True
    if s in ("0", "false", "no"):
        return False
    return None


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("vantage_points", batch)``: one row per (collector, peer).

    Parameters
    ----------
    path : str or Path
        The JSONL file (plain or compressed).
    ctx : LoadContext
        Policy and counters; a bad line or a bad peer is rejected with its line number.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``VANTAGE_POINTS`` batches; ``records`` counts peers.
    """
    cols = Columns(VANTAGE_POINTS)
    with text_lines(path) as f:
        for no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError as e:
                ctx.reject(no, f"bad JSON: {e}", line.encode())
                continue
            if not isinstance(d, dict) or not isinstance(d.get("collector"), str) or not isinstance(d.get("peers"), list):
                ctx.reject(no, "line needs a 'collector' string and a 'peers' list", line.encode())
                continue
            coll = collector_name(d["collector"])
            for i, peer in enumerate(d["peers"]):
                try:
                    ip = str(ipaddress.ip_address(str(peer["peer_address"]).strip()))
                    asn = parse_asn(str(peer["peer_asn"]))
                except (KeyError, TypeError, ValueError) as e:
                    ctx.reject(no, f"peer #{i + 1} of {d['collector']}: bad address or ASN ({e})",
                               json.dumps(peer).encode())
                    continue
                cc = str(peer.get("final_country") or "").strip().upper()
                ctx.records += 1
                if cols.add(coll, ip, asn, cc if _CC.match(cc) else None, _flag(peer.get("full_feed"))):
                    yield TABLE, cols.batch()
    if len(cols):
        yield TABLE, cols.batch()


def write_vantage_points_jsonl(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path) -> Path:
    """Write the vantage-point JSONL: one line per collector, its peers in the order given.

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``collector``, ``peer_ip``, ``peer_asn``, ``cc`` (or None), ``full_feed`` (bool or None).
    path : str or Path
        Output file (atomic; .gz/.bz2 by name).

    Returns
    -------
    Path
        `path`.
    """
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows_of(rows):
        by.setdefault(r["collector"], []).append(r)
    with atomic_text(path) as out:
        for coll, peers in by.items():
            ps = [{"peer_address": r["peer_ip"], "country": r.get("cc") or "", "peer_asn": str(int(r["peer_asn"])),
                   "final_country": r.get("cc") or "",
                   "full_feed": "" if r.get("full_feed") is None else ("1" if r["full_feed"] else "0"),
                   "confidence": "1"} for r in peers]
            out.write(json.dumps({"collector": coll, "country": "", "peers": ps}) + "\n")
    return Path(path)
