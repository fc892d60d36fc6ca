#!/usr/bin/env python3
"""Benchmark the synthetic world: wall time, CPU time, peak memory, sizes, and its realism table.

example: python bench/bench_world.py --scale small --seed 1 --out /tmp/world-bench
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="small", choices=("tiny", "small", "full"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--topology", type=Path, default=None)
    a = ap.parse_args(argv)
    from onpath.world import generate
    from onpath.world.realism import table

    t0, c0 = time.perf_counter(), time.process_time()
    generate(a.scale, a.seed, "2025-01-01", a.out, topology=a.topology)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    m = json.loads((a.out / "MANIFEST.json").read_text())
    size = sum(p.stat().st_size for p in a.out.rglob("*") if p.is_file())
    res = {"scale": a.scale, "seed": a.seed, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
           "peak_rss_mb": round(rss), "bytes": size, "files": len(m["files"]), **m["counts"]}
    print(json.dumps(res, indent=1))
    print("| figure | synthetic world | real Internet | source |\n|---|---|---|---|")
    for row in table(m):
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
