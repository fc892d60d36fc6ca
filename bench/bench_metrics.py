"""Benchmark: every metric of `analyze` (US + cn-carriers) on a large snapshot.

Builds (once) a snapshot of N synthetic vantage points x the prefixes of a real RIB (default: the
RouteViews jinx RIB of 2014-05-30 in ../shared/data): vantage point i peers with AS 65000+i (some
are placed inside AS4134 to exercise the exclusion), reaches every prefix through one of a few real
transit ASes followed by the real path's tail, and has a country (a fifth in the US). With the
default 80 vantage points that is ~40 M RIB rows, the scale of a full RouteViews+RIS snapshot.
Then times `onpath.metrics.analyze` and reports wall time and peak RSS.

    python bench/bench_metrics.py --out /tmp/bench-snap --vps 80
    python bench/bench_metrics.py --snapshot /tmp/full/snap   # an existing snapshot, nothing built
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
RIB = ROOT.parent / "shared/data/mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2"
SHARED = ROOT.parent / "shared/data"
TRANSIT = [3356, 174, 2914, 6939, 1299, 3257, 4134, 4837, 58453, 701]
CCS = ["US", "DE", "JP", "BR", "GB", "US", "NL", "FR", "SG", "ZA"]


def build(out: Path, nvp: int, rib: Path) -> None:
    from onpath.ingest.base import LoadContext
    from onpath.models.tables import ROUTES, VANTAGE_POINTS
    from onpath.store import Snapshot

    base_dir = out.parent / (out.name + "-base")
    base = Snapshot.open(base_dir, create=True)
    base.ingest_file(rib, kind="mrt", warn=False)
    for f, k in ((SHARED / "caida/20170101.as-rel.txt", "as-rel"), (SHARED / "caida/20211001.as-org2info.jsonl.gz", "as-org"),
                 (SHARED / "reference/state-owned-ases-imc2021/state_owned_ases.csv", "state-owned")):
        if f.exists():
            base.ingest_file(f, kind=k, warn=False)
    con = base.con()
    top = con.sql("SELECT peer_ip FROM routes GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchall()[0][0]
    b = con.sql(f"SELECT prefix, as_path, as_path_text, origin_asn FROM routes WHERE peer_ip = '{top}' AND len(as_path) > 1").to_arrow_table()
    n = b.num_rows
    lst = b.column("as_path").combine_chunks()
    offs = lst.offsets.to_numpy().astype(np.int64)
    vals = lst.values.to_numpy().astype(np.uint32)[offs[0]:offs[-1]]
    offs -= offs[0]
    snap = Snapshot.open(out, create=True)
    for f, k in ((SHARED / "caida/20170101.as-rel.txt", "as-rel"), (SHARED / "caida/20211001.as-org2info.jsonl.gz", "as-org"),
                 (SHARED / "reference/state-owned-ases-imc2021/state_owned_ases.csv", "state-owned")):
        if f.exists():
            snap.ingest_file(f, kind=k, warn=False)
    vps = []

    def batches():
        for i in range(nvp):
            asn = 4134 if i % 40 == 39 else 65000 + i
            v = vals.copy()
            v[offs[:-1]] = TRANSIT[i % len(TRANSIT)]  # replace the real peer's AS by a transit
            nv = np.empty(len(v) + n, np.uint32)
            starts = offs[:-1] + np.arange(n)
            mask = np.ones(len(nv), bool)
            mask[starts] = False
            nv[starts] = asn
            nv[mask] = v
            no = offs + np.arange(n + 1)
            path = pa.ListArray.from_arrays(pa.array(no.astype(np.int32)), pa.array(nv, pa.uint32()))
            txt = pc.binary_join(pc.cast(path, pa.list_(pa.string())), " ")
            coll, ip = f"rrc{i % 20:02d}", f"10.{i // 250}.{i % 250}.1"
            vps.append({"collector": coll, "peer_ip": ip, "peer_asn": asn, "cc": CCS[i % len(CCS)], "full_feed": True})
            cols = {
                "mrt_type": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array(["TABLE_DUMP2"])),
                "ts_us": pa.array(np.full(n, 1401487200_000000, np.int64)),
                "collector": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int16)), pa.array([coll])),
                "peer_ip": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([ip])),
                "peer_asn": pa.array(np.full(n, asn, np.uint32)),
                "kind": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array(["rib"])),
                "prefix": b.column("prefix").combine_chunks(), "path_id": pa.nulls(n, pa.uint32()), "as_path": path,
                "as_path_text": txt, "origin_asn": b.column("origin_asn").combine_chunks(),
                "origin": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array(["IGP"])),
                "next_hop": pa.nulls(n, pa.string()), "local_pref": pa.nulls(n, pa.uint32()), "med": pa.nulls(n, pa.uint32()),
                "communities": pa.nulls(n, pa.list_(pa.string())), "large_communities": pa.nulls(n, pa.list_(pa.string())),
                "atomic_aggregate": pa.nulls(n, pa.bool_()), "aggregator": pa.nulls(n, pa.string()),
                "only_to_customer": pa.nulls(n, pa.uint32()),
                "source_file": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int16)), pa.array([f"{coll}/rib.20140530.2200.bz2"])),
                "offset": pa.array(np.arange(n, dtype=np.int64)),
            }
            yield "routes", pa.RecordBatch.from_arrays([cols[f.name] for f in ROUTES], schema=ROUTES)
            print(f"  vantage point {i + 1}/{nvp}", file=sys.stderr, end="\r")

    ctx = LoadContext(source_file="bench", warn=False)
    snap.add_dataset("mrt", "bench:synthetic-vps", batches(), ctx, extra={"synthetic": True, "date": "2014-05-30"})
    ctx = LoadContext(source_file="bench-vps", warn=False)
    snap.add_dataset("vantage-points", "bench:vps", [("vantage_points", pa.RecordBatch.from_pylist(vps, schema=VANTAGE_POINTS))], ctx)
    print(f"built {out}: {nvp} vantage points x {n} prefixes = {nvp * n} rows", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("/tmp/onpath-bench-metrics"))
    ap.add_argument("--vps", type=int, default=80)
    ap.add_argument("--rib", type=Path, default=RIB)
    ap.add_argument("--country", default="US")
    ap.add_argument("--snapshot", type=Path, metavar="DIR",
                    help="analyze this existing snapshot (e.g. an ingested full world); nothing is built")
    ap.add_argument("--system-malloc", action="store_true",
                    help="leave glibc's defaults (by default the process keeps freed memory for reuse, "
                         "as `onpath assess` does: onpath.procmem)")
    a = ap.parse_args(argv)
    if a.snapshot is not None:
        if not (a.snapshot / "manifest.json").exists():
            ap.error(f"{a.snapshot}: not a snapshot (no manifest.json)")
        a.out = a.snapshot
    elif not (a.out / "manifest.json").exists():
        t = time.time()
        build(a.out, a.vps, a.rib)
        print(f"build: {time.time() - t:.1f} s", file=sys.stderr)
    from onpath.metrics import analyze
    from onpath.procmem import keep_freed_memory
    from onpath.store import Snapshot

    kept = False if a.system_malloc else keep_freed_memory()
    snap = Snapshot.open(a.out)
    rows = snap.tables().get("routes", 0)
    t, c = time.time(), time.process_time()
    rep = analyze(snap, a.country)
    dt, dc = time.time() - t, time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    ent = {e["id"]: e["exposure"]["inbound"]["v4"]["by_address"] for e in rep["entities"]}
    print(json.dumps({"routes": rows, "country": a.country, "seconds": round(dt, 1), "cpu_seconds": round(dc, 1),
                      "load_average": [round(x, 1) for x in __import__("os").getloadavg()], "peak_rss_gib": round(rss, 2), "keep_freed_memory": kept,
                      "paths": rep["coverage"]["paths"], "inbound_by_address": ent}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
