#!/usr/bin/env python3
"""Benchmark `onpath assess`: the report stage alone, and end to end on a small synthetic world.

    python bench/bench_assess.py                 # report stage (x5) + small world, if the generator exists
    python bench/bench_assess.py --no-world      # report stage only
    python bench/bench_assess.py --world DIR     # use an already generated world folder
    python bench/bench_assess.py --no-world --snapshot DIR   # assess only, on an existing snapshot

Report stage: a generated analysis (onpath.report.sample) with many entities, then build, validate
against onpath.report/1, render HTML and write the three files. End to end: world generate ->
ingest -> assess, each timed. Rows go to stdout and, one JSON object per line, to the file named by
ONPATH_BENCH_JSON (bench/run_all.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(row: dict) -> None:
    print(f"{row['bench']:<28} {row['input']:<34} {row['seconds']:>8.3f} s  {row.get('rss_mib', 0):>7.1f} MiB")
    out = os.environ.get("ONPATH_BENCH_JSON")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")


def bench_report_stage(tmp: Path, entities: int, repeat: int) -> None:
    from onpath.report import report_from_analysis
    from onpath.report.sample import sample_analysis, sample_datasets

    analysis = sample_analysis(seed=1, entities=entities, networks=20)
    best = float("inf")
    for i in range(repeat):
        t0 = time.perf_counter()
        res = report_from_analysis(analysis, snapshot_name="bench", snapshot_date="2025-01-01",
                                   datasets=sample_datasets(), synthetic=True, out_dir=tmp / f"r{i}")
        best = min(best, time.perf_counter() - t0)
    size = sum(Path(p).stat().st_size for p in res["paths"].values())
    emit({"bench": "assess:report-stage", "input": f"{entities} entities x 20 networks ({size // 1024} KiB out)",
          "tool": "onpath", "seconds": round(best, 4), "rss_mib": round(rss_mib(), 1),
          "command": f"report_from_analysis(sample_analysis(entities={entities}))"})


def run(cmd: list[str], label: str, inp: str) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        print(f"{label}: exit {r.returncode}: {r.stderr.strip()[-400:]}", file=sys.stderr)
        raise SystemExit(1)
    # peak RSS of the largest child so far (ru_maxrss of RUSAGE_CHILDREN is a maximum, not a sum)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    emit({"bench": label, "input": inp, "tool": "onpath", "seconds": round(dt, 3), "rss_mib": round(child, 1),
          "command": " ".join(cmd)})
    return dt


def bench_world(tmp: Path, world: Path | None) -> None:
    onpath = [sys.executable, "-m", "onpath"]
    if world is None:
        try:
            import onpath.world.cmd  # noqa: F401
        except ImportError:
            print("assess:end-to-end skipped: `onpath world generate` is not built yet", file=sys.stderr)
            return
        world = tmp / "world"
        run([*onpath, "world", "generate", "--scale", "small", "--seed", "1", "--out", str(world)],
            "assess:world-generate", "small, seed 1")
    snap = tmp / "snap"
    run([*onpath, "ingest", str(world), "--snapshot", str(snap)], "assess:ingest", str(world.name))
    run([*onpath, "assess", "--snapshot", str(snap), "--country", "US", "--out", str(tmp / "report"), "--quiet"],
        "assess:end-to-end", "small world, US, cn-carriers")


def bench_snapshot(tmp: Path, snap: Path, country: str) -> None:
    """`onpath assess` alone on an already ingested snapshot (e.g. a full-scale world's)."""
    if not (snap / "manifest.json").exists():
        print(f"{snap}: not a snapshot (no manifest.json)", file=sys.stderr)
        raise SystemExit(2)
    run([sys.executable, "-m", "onpath", "assess", "--snapshot", str(snap), "--country", country,
         "--out", str(tmp / "report-snapshot"), "--quiet"],
        "assess:snapshot", f"{snap.name}, {country}, cn-carriers")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-world", action="store_true")
    ap.add_argument("--world", type=Path)
    ap.add_argument("--snapshot", type=Path, metavar="DIR",
                    help="also time `onpath assess` on this existing snapshot (nothing is ingested)")
    ap.add_argument("--country", default="US", help="country for --snapshot (default US)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-assess-") as d:
        tmp = Path(d)
        bench_report_stage(tmp, args.entities, args.repeat)
        if not args.no_world:
            bench_world(tmp, args.world)
        if args.snapshot is not None:
            bench_snapshot(tmp, args.snapshot, args.country)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
