#!/usr/bin/env python3
"""Speed of the propagation engine on the real CAIDA 2025-01 graph, with BGPy side by side.

Measures, in this process: graph build time (as-rel2 file -> AsGraph); one-origin propagation
(median over --origins random origins; the compact result, and with every AS's full path); the
throughput of all origins of one country (ASes whose AS-to-org country is --country, a measured
run over up to --country-max of them with 2 workers, each result reduced to the paths at 100
vantage ASes); then BGPy 13.0.13 (its own venv, tests/bgpy_venv.py) building the same graph and
propagating --bgpy origins, checked path for path against onpath.

    python bench/bench_engine.py [--origins 100] [--country US] [--country-max 20000] [--bgpy 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))


def _shared() -> Path:
    env = os.environ.get("ONPATH_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def _emit(rows: list[dict]) -> None:
    out = os.environ.get("ONPATH_BENCH_JSON")
    if out:
        with open(out, "a") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")


def country_asns(asorg: Path, cc: str, graph) -> list[int]:
    """ASes of the graph whose AS-to-org country is `cc`."""
    from onpath.ingest.asorg import load
    from onpath.ingest.base import LoadContext

    ctx = LoadContext(str(asorg), warn=False)
    out = set()
    for _t, b in load(asorg, ctx):
        d = b.to_pydict()
        out.update(a for a, c in zip(d["asn"], d["country"], strict=True) if c == cc)
    return sorted(a for a in out if a in graph)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--as-rel", default=str(_shared() / "caida" / "20250101.as-rel2.txt.bz2"))
    ap.add_argument("--as-org", default=str(_shared() / "caida" / "20211001.as-org2info.jsonl.gz"))
    ap.add_argument("--origins", type=int, default=100)
    ap.add_argument("--country", default="US")
    ap.add_argument("--country-max", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--bgpy", type=int, default=3, help="origins to run through BGPy (0: skip)")
    args = ap.parse_args()

    from onpath.simulate import AsGraph, propagate, propagate_many

    rows: list[dict] = []
    cmd = "python bench/bench_engine.py"
    t = time.perf_counter()
    g = AsGraph.from_as_rel(args.as_rel)
    build = time.perf_counter() - t
    rows.append({"bench": "engine", "input": "caida 2025-01", "tool": "onpath", "figure": "build",
                 "seconds": round(build, 3), "command": cmd})
    rnd = random.Random(1)
    sample = rnd.sample([int(a) for a in g.asns], args.origins)
    propagate(g, sample[0])  # warm-up
    one, full = [], []
    cpu0 = time.process_time()
    for o in sample:
        t = time.perf_counter()
        r = propagate(g, o)
        one.append(time.perf_counter() - t)
        t = time.perf_counter()
        r.paths()
        full.append(time.perf_counter() - t + one[-1])
    cpu_one = (time.process_time() - cpu0) / len(sample)  # includes the full-path builds
    med, med_full = statistics.median(one), statistics.median(full)
    rows.append({"bench": "engine", "input": "caida 2025-01", "tool": "onpath", "figure": "one origin (median)",
                 "seconds": round(med, 5), "origins": len(sample), "command": cmd})
    rows.append({"bench": "engine", "input": "caida 2025-01", "tool": "onpath",
                 "figure": "one origin + all full paths (median)", "seconds": round(med_full, 5), "command": cmd})

    tp = None
    if args.country_max > 0 and Path(args.as_org).exists():
        asns = country_asns(Path(args.as_org), args.country, g)
        todo = asns[: args.country_max]
        vps = rnd.sample([int(a) for a in g.asns], 100)
        import resource

        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        n = 0
        for _o, _paths in propagate_many(g, todo, reduce=lambda r: r.paths(asns=vps), workers=args.workers,
                                         chunksize=64):
            n += 1
        took = time.perf_counter() - t
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
        tp = {"country": args.country, "country_ases": len(asns), "measured": n, "seconds": round(took, 1),
              "per_s": round(n / took, 1), "worker_cpu_s": round(cpu, 1)}
        rows.append({"bench": "engine", "input": f"caida 2025-01, {n} {args.country} origins", "tool": "onpath",
                     "figure": f"country throughput ({args.workers} workers)", "seconds": round(took, 1),
                     "entries_per_s": round(n / took, 1), "command": cmd})

    bg = None
    if args.bgpy > 0:
        from bgpy_venv import bgpy_python, run_bgpy

        if bgpy_python() is not None:
            origins = [4134] + sample[: args.bgpy - 1]
            t = time.perf_counter()
            header, out = run_bgpy(Path(args.as_rel), origins)
            wall = time.perf_counter() - t
            per = [d["seconds"] for d in out.values()]
            same = all(propagate(g, o).paths() == {a: p for a, p in d["paths"].items()} for o, d in out.items())
            ours = statistics.median([min(_time(lambda o=o: propagate(g, o)) for _ in range(3)) for o in origins])
            bg = {"build_s": round(header["build_seconds"], 1), "per_origin_s": round(statistics.median(per), 2),
                  "wall_s": round(wall, 1), "identical": same, "onpath_same_origins_s": round(ours, 5)}
            rows.append({"bench": "engine", "input": "caida 2025-01", "tool": "bgpy 13.0.13", "figure": "build",
                         "seconds": bg["build_s"], "command": cmd})
            rows.append({"bench": "engine", "input": "caida 2025-01", "tool": "bgpy 13.0.13",
                         "figure": "one origin (median)", "seconds": bg["per_origin_s"],
                         "x_bgpy": round(bg["per_origin_s"] / ours, 1), "identical": same, "command": cmd})

    bb = f"{bg['build_s']}s" if bg else "-"
    br = f"{bg['build_s'] / build:.0f}x" if bg else "-"
    ob = f"{bg['per_origin_s']}s" if bg else "-"
    orr = f"{bg['per_origin_s'] / med:.0f}x" if bg else "-"
    print(f"{'figure':45} {'onpath':>12} {'BGPy':>10} {'ratio':>8}")
    print(f"{'build (as-rel2 -> graph)':45} {build:>11.2f}s {bb:>10} {br:>8}")
    print(f"{'one origin, median of ' + str(len(sample)):45} {med * 1000:>10.2f}ms {ob:>10} {orr:>8}")
    print(f"{'one origin + every full path, median':45} {med_full * 1000:>10.2f}ms")
    print(f"{'CPU per origin incl. full paths (mean)':45} {cpu_one * 1000:>10.2f}ms")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if tp:
        print(f"{'country ' + tp['country'] + ': ' + str(tp['measured']) + ' of ' + str(tp['country_ases']) + ' origins':45} "
              f"{tp['seconds']:>11}s  ({tp['per_s']}/s, {args.workers} workers, measured; "
              f"worker CPU {tp['worker_cpu_s']}s)")
    if bg:
        print(f"BGPy identical on {len(out)} origins: {bg['identical']}; onpath on those origins: "
              f"{bg['onpath_same_origins_s'] * 1000:.2f} ms median")
    _emit(rows)
    return 0


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
