"""The UPDATE files of every collector (BGP4MP_MESSAGE_AS4 and STATE_CHANGE_AS4), one per archive
interval (RouteViews 15 minutes, .bz2; RIS 5 minutes, .gz), written with onpath's MRT writer."""

from __future__ import annotations

import time
from pathlib import Path

from onpath.ingest.mrt.writer import MrtWriter, Session
from onpath.world.churn import Msg
from onpath.world.collectors import Collector, VantagePoint
from onpath.world.routing import attrs_for, is_v6, vp_next_hops

INTERVAL = {"routeviews": 900, "ris": 300}


def stamp(ts: int) -> str:
    """``YYYYMMDD.HHMM`` of epoch seconds (UTC)."""
    return time.strftime("%Y%m%d.%H%M", time.gmtime(ts))


def session_of(c: Collector, v: VantagePoint) -> Session:
    """The BGP session between a collector and one of its peers."""
    if v.peer_ip.startswith("185.1."):
        local = ".".join(v.peer_ip.split(".")[:3] + ["2"])  # the collector's port on the LAN
    else:
        local = c.bgp_id
    return Session(peer_asn=v.peer_asn, peer_ip=v.peer_ip, local_asn=c.local_asn, local_ip=local)


def write(out: Path, cols: list[Collector], vps: list[VantagePoint], msgs: list[Msg], t0: int,
          window: int) -> list[Path]:
    """Write the update files covering [t0, t0 + window); returns their paths.

    Parameters
    ----------
    out : Path
        The world folder (files go to ``mrt/<collector>/``).
    msgs : list of Msg
        Sorted by time.
    """
    nh6 = vp_next_hops(vps)
    sess = {k: session_of(next(c for c in cols if c.name == v.collector), v) for k, v in enumerate(vps)}
    files = []
    for c in cols:
        step = INTERVAL[c.archive]
        ext = "bz2" if c.archive == "routeviews" else "gz"
        mine = [m for m in msgs if vps[m.vp].collector == c.name]
        j = 0
        for start in range(t0, t0 + window, step):
            path = out / "mrt" / c.name / f"updates.{stamp(start)}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            with MrtWriter.open(path) as w:
                while j < len(mine) and mine[j].ts < start + step:
                    m = mine[j]
                    j += 1
                    s = sess[m.vp]
                    if m.kind == "S":
                        w.state_change(m.ts, s, old_state=m.path[0], new_state=m.path[1])
                        continue
                    v4 = [p for p in m.prefixes if not is_v6(p)]
                    v6 = [p for p in m.prefixes if is_v6(p)]
                    for fam, ps in ((False, v4), (True, v6)):
                        if not ps:
                            continue
                        if m.kind == "W":
                            w.update(m.ts, s, withdraw=ps)
                        else:
                            w.update(m.ts, s, announce=ps, attrs=attrs_for(vps[m.vp], m.path, nh6[m.vp], fam))
            files.append(path)
    return files
