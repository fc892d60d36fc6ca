"""Time and peak memory of the registry loaders on full-size inputs.

Each case runs in a fresh Python process (so peak RSS is the loader's own): the real CAIDA as-rel2
2025-01 and AS-to-org 2021-10 from ../shared/data, and a full-size PeeringDB dump made by
gen_peeringdb.py (generated into --work when absent). Goal: each under 5 s on 2 cores. CPU seconds
(including interpreter start-up imports) and the load average are printed too, as wall times on a
shared machine swing with its load.

    python bench/bench_loaders.py [--shared ../shared/data] [--work /tmp/onpath-bench] [--json] [--peers]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent



def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). `ru_maxrss` is not used: Linux keeps it across
    execve, so a child started by a big parent (pytest) would report the parent's peak."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def one(kind: str, path: str) -> dict:
    """Load one file in this process; wall time, rows, rejects and peak RSS."""
    import resource

    from onpath.ingest.base import LoadContext, loader_module

    mod = loader_module(kind)
    t0 = time.perf_counter()
    ctx = LoadContext(path, warn=False)
    rows = 0
    for _table, batch in mod.load(path, ctx):
        rows += batch.num_rows
    took = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    peak = peak_rss_mb()
    return {"cpu_seconds": round(ru.ru_utime + ru.ru_stime, 2), "load_avg": round(os.getloadavg()[0], 1), "kind": kind, "file": os.path.basename(path), "bytes": os.path.getsize(path), "seconds": round(took, 2),
            "rows": rows, "rejected": ctx.rejected, "peak_rss_mb": round(peak, 1)}


def peer(kind: str, path: str) -> dict:
    """The plain approach for comparison: json.load of the whole dump, a Python loop over as-rel
    lines, json.loads per as-org line (rows only, no Arrow)."""
    import bz2
    import gzip
    import resource

    t0 = time.perf_counter()
    opener = bz2.open if path.endswith(".bz2") else gzip.open if path.endswith(".gz") else open
    rows = 0
    if kind == "peeringdb":
        with open(path, "rb") as f:
            doc = json.load(f)
        rows = sum(len(v["data"]) for k, v in doc.items() if k not in ("poc", "ixfac"))
    elif kind == "as-rel":
        out = []
        with opener(path, "rt") as f:
            for line in f:
                if not line.startswith("#"):
                    a, b, r, *src = line.rstrip("\n").split("|")
                    out.append((int(a), int(b), int(r), src[0] if src else ""))
        rows = len(out)
    else:
        recs = []
        with opener(path, "rt") as f:
            for line in f:
                recs.append(json.loads(line))
        rows = sum(1 for r in recs if r.get("type") == "ASN")
    took = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"kind": kind, "file": "peer: " + os.path.basename(path), "bytes": os.path.getsize(path),
            "seconds": round(took, 2), "rows": rows, "rejected": 0, "peak_rss_mb": round(peak_rss_mb(), 1),
            "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 2), "load_avg": round(os.getloadavg()[0], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared" / "data"))
    ap.add_argument("--work", default="/tmp/onpath-bench")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--peers", action="store_true", help="also time the plain-Python approach of each")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--peer", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(*a.one)))
        return
    if a.peer:
        print(json.dumps(peer(*a.peer)))
        return
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    dump = work / "peeringdb_2_dump_2025_01_01.json"
    if not dump.exists():
        subprocess.run([sys.executable, str(HERE / "gen_peeringdb.py"), "--out", str(dump)], check=True)
    cases = [("as-rel", Path(a.shared) / "caida/20250101.as-rel2.txt.bz2"),
             ("as-org", Path(a.shared) / "caida/20211001.as-org2info.jsonl.gz"),
             ("peeringdb", dump)]
    results = []
    for kind, path in cases:
        if not path.exists():
            print(f"skip {kind}: {path} is not here", file=sys.stderr)
            continue
        for flag in ("--one", "--peer") if a.peers else ("--one",):
            out = subprocess.run([sys.executable, __file__, flag, kind, str(path)], check=True,
                                 capture_output=True, text=True).stdout
            results.append(json.loads(out))
    if a.json:
        print(json.dumps(results, indent=1))
    else:
        for r in results:
            print(f"{r['kind']:10} {r['file']:46} {r['bytes'] / 1e6:8.1f} MB {r['rows']:9,} rows "
                  f"{r['seconds']:6.2f} s (cpu {r['cpu_seconds']:5.2f} s, load {r['load_avg']})  peak {r['peak_rss_mb']:7.1f} MB")


if __name__ == "__main__":
    main()
