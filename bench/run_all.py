#!/usr/bin/env python3
"""Run every bench/bench_*.py with its default (small) settings and print one summary table.

The entry point of `make bench`. Each benchmark is a script that, run with no arguments, finishes
in a few minutes and prints its own table. A script may also append result rows, one JSON object
per line, to the file named by the environment variable ONPATH_BENCH_JSON; the keys shown here
are `bench`, `input`, `tool`, `seconds`, `cpu_s`, `entries_per_s`, `rss_mib`, `x_bgpdump` (or any
`x_*` ratio) and `command`. Scripts that write none still get a line with their exit status and time.

    python bench/run_all.py                 # all benchmarks
    python bench/run_all.py mrt simulate    # only bench_mrt.py and bench_simulate.py
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def measure(cmd: list[str], timeout: float = 3600) -> tuple[float, float, int, float]:
    """(wall s, peak RSS MiB, exit code, CPU s = user + system) of one process under /usr/bin/time -v.

    For every bench script: `from run_all import measure`. Output goes to /dev/null; the process
    runs in a fresh temporary folder. A timeout gives (nan, nan, -9, nan).
    """
    with tempfile.TemporaryDirectory(prefix="onpath-bench-") as td:
        tfile = Path(td) / "time.txt"
        full = ["/usr/bin/time", "-v", "-o", str(tfile), *cmd]
        p = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=td,
                             start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # the measured tool too, not only /usr/bin/time
            p.wait()
            return float("nan"), float("nan"), -9, float("nan")
        wall = rss = cpu = 0.0
        for line in tfile.read_text().splitlines():
            line = line.strip()
            if line.startswith("Elapsed (wall clock)"):
                parts = line.rsplit(" ", 1)[1].split(":")
                wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(parts)))
            elif line.startswith("Maximum resident set size"):
                rss = int(line.rsplit(" ", 1)[1]) / 1024
            elif line.startswith(("User time", "System time")):
                cpu += float(line.rsplit(" ", 1)[1])
        return wall, rss, rc, cpu


def discover(names: list[str]) -> list[Path]:
    """bench_*.py scripts in this folder, all of them or those named (`mrt` = bench_mrt.py)."""
    found = sorted(BENCH.glob("bench_*.py"))
    if names:
        found = [p for p in found if p.stem[len("bench_"):] in names or p.name in names]
    return found


def fmt(v, spec: str) -> str:
    if v is None or v == "":
        return "-"
    try:
        return format(v, spec)
    except (TypeError, ValueError):
        return str(v)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/run_all.py mrt")
    ap.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark script")
    a = ap.parse_args(argv)
    scripts = discover(a.names)
    if not scripts:
        print("run_all: no bench_*.py found", file=sys.stderr)
        return 1
    status = []
    with tempfile.TemporaryDirectory(prefix="onpath-bench-all-") as td:
        rows_file = Path(td) / "rows.jsonl"
        env = {**os.environ, "ONPATH_BENCH_JSON": str(rows_file)}
        src = str(BENCH.parent / "src")
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        for script in scripts:
            print(f"== {script.name}", flush=True)
            t0 = time.time()
            try:
                rc = subprocess.run([sys.executable, str(script)], env=env, timeout=a.timeout).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
            status.append((script.name, rc, time.time() - t0))
        rows = [json.loads(ln) for ln in rows_file.read_text().splitlines()] if rows_file.exists() else []

    print("\n== summary")
    hdr = (f"{'bench':10} {'input':24} {'tool':14} {'median s':>9} {'cpu s':>8} {'entries/s':>12} "
           f"{'peak MiB':>9} {'ratio':>7}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        ratio = next((v for k, v in r.items() if k.startswith("x_") and v), None)
        print(f"{str(r.get('bench', '?')):10} {str(r.get('input', '')):24} {str(r.get('tool', '')):14} "
              f"{fmt(r.get('seconds'), '9.2f'):>9} {fmt(r.get('cpu_s'), '8.2f'):>8} "
              f"{fmt(r.get('entries_per_s'), ',.0f'):>12} "
              f"{fmt(r.get('rss_mib'), '9.0f'):>9} {fmt(ratio, '7.2f'):>7}")
    print()
    for name, rc, secs in status:
        print(f"{name:24} exit {rc!s:8} {secs:7.1f} s")
    return 0 if all(rc == 0 for _, rc, _ in status) else 1


if __name__ == "__main__":
    raise SystemExit(main())
