#!/usr/bin/env python3
"""The real-Internet side of the realism table (issue 11), measured with the functions the world
uses (`onpath.metrics.graphstats`), from the shared data:

- degree and customer-cone figures of the CAIDA serial-2 graph 2025-01-01
  (../shared/data/caida/20250101.as-rel2.txt.bz2, loaded with `onpath.ingest.asrel`);
- AS-path lengths of one real RIB: RouteViews route-views.jinx, 2014-05-30 22:00 UTC
  (../shared/data/mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2, one full feed,
  AS30844, plus 7 partial feeds), loaded with `onpath.ingest.mrt.load`. 2014, one collector in
  Johannesburg: not today's Internet, and not the multi-collector view the world simulates.

Writes one JSON document (stdout or --out); `scripts/plot_realism.py` reads it. Nothing it writes
belongs in the repository.

example: python scripts/realism_real.py --data ../shared/data --out /tmp/realism/real.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from onpath.ingest import asrel, mrt
from onpath.ingest.base import LoadContext
from onpath.metrics import graphstats

CAIDA = "caida/20250101.as-rel2.txt.bz2"
RIB = "mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2"


def load_as_rel(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """asn1, asn2, rel columns of an as-rel(2) file."""
    ctx = LoadContext(str(path), on_error="skip", warn=False)
    cols: dict[str, list] = {"asn1": [], "asn2": [], "rel": []}
    for _t, batch in asrel.load(path, ctx):
        for k in cols:
            cols[k].append(batch.column(k).to_numpy(zero_copy_only=False))
    return tuple(np.concatenate(cols[k]).astype(np.int64) for k in ("asn1", "asn2", "rel"))  # type: ignore[return-value]


def graph_figures(path: Path) -> dict:
    """Degree and cone figures of an as-rel2 file (every transit AS's cone, no sampling)."""
    asn1, asn2, rel = load_as_rel(path)
    a, b, asns = graphstats.edge_index(asn1, asn2)
    n = len(asns)
    deg = graphstats.degrees(a, b, n)
    x, share = graphstats.ccdf(deg[deg > 0])
    return {
        "source": str(path), "ases": int(n), "links": int(len(a)),
        "p2p_share": round(float((rel == 0).mean()), 4),
        "degree": graphstats.degree_distribution(a, b, n),
        "cone_transit": graphstats.cone_distribution(a, b, rel, n, sample=None),
        "degree_ccdf": {"x": x.tolist(), "share": [round(float(s), 6) for s in share]},
    }


def rib_path_lengths(path: Path) -> dict:
    """Path-length distributions of one RIB: per (peer, prefix) for all peers and for the largest
    (full-feed) peer, and distinct paths per origin over all peers (the world's definition).
    Prepending collapsed; paths with an AS_SET (no origin) or a loop are left out (SPEC §4)."""
    ctx = LoadContext(str(path), on_error="skip", warn=False)
    per_entry: Counter = Counter()
    per_peer: dict[int, Counter] = {}
    distinct: dict[int, set] = {}
    left_out = 0
    for table, batch in mrt.load(path, ctx):
        if table != "routes":
            continue
        d = batch.select(["peer_asn", "as_path", "origin_asn", "prefix"]).to_pydict()
        for peer, p, origin, prefix in zip(d["peer_asn"], d["as_path"], d["origin_asn"], d["prefix"], strict=True):
            if origin is None or not p or ":" in prefix:
                left_out += 1
                continue
            hops = [h for i, h in enumerate(p) if i == 0 or h != p[i - 1]]
            if len(set(hops)) != len(hops):
                left_out += 1
                continue
            per_entry[len(hops)] += 1
            per_peer.setdefault(peer, Counter())[len(hops)] += 1
            distinct.setdefault(origin, set()).add(tuple(hops))
    full_peer = max(per_peer, key=lambda k: sum(per_peer[k].values()))
    by_origin: Counter = Counter(len(p) for s in distinct.values() for p in s)
    return {
        "source": str(path), "ipv4_entries": sum(per_entry.values()), "left_out": left_out,
        "peers": len(per_peer), "full_feed_peer": int(full_peer),
        "per_entry_all_peers": graphstats.path_length_distribution(per_entry),
        "per_entry_full_feed": graphstats.path_length_distribution(per_peer[full_peer]),
        "distinct_per_origin": graphstats.path_length_distribution(by_origin),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python scripts/realism_real.py --data ../shared/data --out real.json")
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    t0 = time.time()
    doc = {"caida_2025": graph_figures(a.data / CAIDA)}
    print(f"graph figures in {time.time() - t0:.1f} s", file=sys.stderr)
    doc["rib_jinx_2014"] = rib_path_lengths(a.data / RIB)
    print(f"path lengths in {time.time() - t0:.1f} s", file=sys.stderr)
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if a.out:
        a.out.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
