#!/usr/bin/env python3
"""MRT ingest benchmark: onpath against bgpdump, pybgpkit-parser and mrtparse (issue 8).

Whole processes, median of --runs: wall time, CPU time and peak RSS (/usr/bin/time -v).
entries/s = the input's `bgpdump -m` line count (RIB entries, A, W, STATE) / median wall time.
Tools (--tools): onpath (= onpath-ingest, or onpath-load while `onpath ingest` does not work),
onpath-ingest, onpath-load, onpath-dump, bgpdump, bgpkit, mrtparse. Inputs (--inputs): small
(default), real, big (bench/gen_mrt.py's files in --big-dir) or paths. See bench/README.md.

    python bench/bench_mrt.py                          # small, ~2-3 minutes
    python bench/bench_mrt.py --inputs real,big --runs 3 --peer-runs 1 --tools onpath,bgpdump,bgpkit
"""

from __future__ import annotations

import argparse
import bz2
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run_all import measure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ONPATH_SHARED_DATA", ROOT.parent / "shared" / "data"))
MRT = SHARED / "mrt"
JINX = MRT / "rib" / "routeviews.route-views.jinx.ribs.1401487200.bz2"
RRC24 = sorted((MRT / "ris-more" / "rrc24-2020-08-09").glob("updates.*.gz"))
RRC01 = MRT / "ris-more" / "rrc01.updates.20241001.0055.gz"
BGPKIT_PY = ROOT / "bench" / ".venv-bgpkit" / "bin" / "python"
CACHE = Path(tempfile.gettempdir()) / "onpath-bench-counts.json"

# each driver visits every element of the files named on its command line and prints the count
LOAD_DRIVER = """import sys; from pathlib import Path; from onpath.ingest.base import LoadContext
from onpath.ingest.mrt import load
print(sum(b.num_rows for f in sys.argv[1:] for t, b in load(Path(f), LoadContext(source_file=f, warn=False))
          if t in ("routes", "peer_events")))"""
BGPKIT_DRIVER = """import sys, pybgpkit_parser
print(sum(1 for f in sys.argv[1:] for e in pybgpkit_parser.Parser(url=f)))"""
MRTPARSE_DRIVER = """import sys; from mrtparse import Reader
print(sum(len(m.data.get("rib_entries", ())) or 1 for f in sys.argv[1:] for m in Reader(f)))"""


def decompressed_jinx() -> Path:
    """The jinx RIB decompressed once into /tmp (never into the repo)."""
    dst = Path(tempfile.gettempdir()) / "onpath-bench" / (JINX.name[:-4] + ".mrt")
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        with bz2.open(JINX) as src, open(str(dst) + ".tmp", "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        os.replace(str(dst) + ".tmp", dst)
    return dst


def input_sets(spec: str, big_dir: Path) -> list[tuple[str, list[Path]]]:
    out: list[tuple[str, list[Path]]] = []
    for item in spec.split(","):
        if item == "small":
            out += [("jinx-rib.bz2", [JINX]), ("rrc24-0320.gz", RRC24[:1]), ("rrc01-2024.gz", [RRC01])]
        elif item == "real":
            out += [("jinx-rib.bz2", [JINX]), ("jinx-rib.mrt", [decompressed_jinx()]),
                    ("rrc24-14files.gz", RRC24), ("rrc01-2024.gz", [RRC01])]
        elif item == "big":
            for kind in ("rib", "updates"):
                for suffix in (".mrt", ".mrt.gz", ".mrt.bz2"):
                    files = sorted(big_dir.glob(f"{kind}.*{suffix}"))
                    if files:
                        out.append((f"gen-{kind}{suffix}", files[-1:]))
        elif item:
            out.append((Path(item).name, [Path(item)]))
    return [(n, fs) for n, fs in out if fs and all(f.exists() for f in fs)]


def count_entries(files: list[Path]) -> int:
    """`bgpdump -m` lines of the files (cached by path, size and mtime); for gen_mrt.py's files,
    its counts.json (tests/test_mrt_writer.py checks those equal bgpdump's line counts)."""
    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    total = 0
    for f in files:
        gen = json.loads((f.parent / "counts.json").read_text()) if (f.parent / "counts.json").exists() else {}
        if f.name in gen:
            total += gen[f.name]
            continue
        st = f.stat()
        key = f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        if key not in cache:
            p = subprocess.Popen(["bgpdump", "-m", str(f)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            cache[key] = sum(1 for _ in p.stdout)
            p.wait()
            CACHE.write_text(json.dumps(cache))
        total += cache[key]
    return total


def onpath_ingest_ready() -> bool:
    """Whether `onpath ingest` works here, tried on a one-record file from the writer."""
    sys.path.insert(0, str(ROOT / "src"))
    from onpath.ingest.mrt.writer import Attrs, MrtWriter, Session

    with tempfile.TemporaryDirectory(prefix="onpath-bench-probe-") as td:
        with MrtWriter.open(Path(td) / "updates.20250101.0000.mrt") as w:
            w.update(1735689600, Session(64500, "192.0.2.1"), announce=["10.0.0.0/8"],
                     attrs=Attrs(as_path=(64500, 1), next_hop="192.0.2.1"))
        p = subprocess.run([sys.executable, "-m", "onpath", "ingest", td + "/updates.20250101.0000.mrt",
                            "--snapshot", td + "/s"], capture_output=True, timeout=600)
    if p.returncode != 0:
        print("bench_mrt: `onpath ingest` does not work yet; onpath = onpath-load", file=sys.stderr)
    return p.returncode == 0


def command(tool: str, files: list[Path], tmp: Path) -> list[str] | None:
    fs = [str(f) for f in files]
    py = sys.executable
    if tool == "onpath-ingest":
        return [py, "-m", "onpath", "ingest", *fs, "--snapshot", str(tmp / "snap")]
    if tool == "onpath-load":
        return [py, "-c", LOAD_DRIVER, *fs]
    if tool == "onpath-dump":
        return [py, "-m", "onpath", "mrt", "dump", *fs]
    if tool == "bgpdump":
        return ["bgpdump", "-m", *fs] if len(fs) == 1 else ["sh", "-c", 'for f; do bgpdump -m "$f"; done', "sh", *fs]
    if tool == "bgpkit":
        return [str(BGPKIT_PY), "-c", BGPKIT_DRIVER, *fs] if BGPKIT_PY.exists() else None
    if tool == "mrtparse":
        return [py, "-c", MRTPARSE_DRIVER, *fs]
    raise SystemExit(f"bench_mrt: unknown tool {tool!r}")


def bench(tool: str, files: list[Path], runs: int, timeout: float) -> dict | None:
    times, rsss, rcs, cpus = [], [], [], []
    cmd0 = None
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="onpath-bench-snap-") as td:
            cmd = command(tool, files, Path(td))
            if cmd is None:
                return None
            cmd0 = cmd0 or cmd
            wall, rss, rc, cpu = measure(cmd, timeout)
        times.append(wall)
        cpus.append(cpu)
        rsss.append(rss)
        rcs.append(rc)
        if rc == -9:
            break
    shown = [c if not c.startswith("import") else "<driver>" for c in cmd0]
    return {"tool": tool, "seconds": statistics.median(times), "cpu_s": statistics.median(cpus),
            "rss_mib": max(rsss), "runs": len(times),
            "exit": max(rcs, key=abs), "command": " ".join(shown)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", default="small")
    ap.add_argument("--tools", default="onpath,bgpdump,bgpkit,mrtparse")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-runs", type=int, default=None, help="runs of the other tools (default --runs)")
    ap.add_argument("--big-dir", type=Path, default=Path(tempfile.gettempdir()) / "onpath-bench")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--mrtparse-max-mb", type=float, default=2,
                    help="skip mrtparse on inputs bigger than this (MB on disk); default 2")
    ap.add_argument("--json", type=Path, default=os.environ.get("ONPATH_BENCH_JSON"),
                    help="append result rows (JSON lines) here; run_all.py sets it")
    a = ap.parse_args(argv)
    if not shutil.which("bgpdump"):
        print("bench_mrt: bgpdump is not installed; entry counts need it", file=sys.stderr)
        return 1
    sets = input_sets(a.inputs, a.big_dir)
    if not sets:
        print("bench_mrt: no inputs found (../shared/data absent? run gen_mrt.py for big)", file=sys.stderr)
        return 1
    tools = [t for t in a.tools.split(",") if t]
    if "onpath" in tools:
        tools[tools.index("onpath")] = "onpath-ingest" if onpath_ingest_ready() else "onpath-load"
    rows = []
    hdr = (f"{'input':22} {'entries':>11} {'tool':12} {'median s':>9} {'cpu s':>7} {'entries/s':>12} "
           f"{'peak MiB':>9} {'x bgpdump wall cpu':>18} runs exit")
    print(hdr)
    print("-" * len(hdr))
    for name, files in sets:
        n = count_entries(files)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        done = []
        for tool in tools:
            if tool == "mrtparse" and size_mb > a.mrtparse_max_mb:
                continue
            runs = 1 if tool == "mrtparse" else a.runs if tool.startswith("onpath") else a.peer_runs or a.runs
            r = bench(tool, files, runs, a.timeout)
            if r is None:
                print(f"{name:22} {n:>11,} {tool:12} (not installed)")
                continue
            r.update(input=name, entries=n, mb=round(size_mb, 1), bench="mrt",
                     entries_per_s=n / r["seconds"] if r["seconds"] else None)
            done.append(r)
        bd = next((r for r in done if r["tool"] == "bgpdump"), None)
        for r in done:
            other = bd and r is not bd and r["seconds"] and r["cpu_s"]
            r["x_bgpdump"] = bd["seconds"] / r["seconds"] if other else None
            r["x_bgpdump_cpu"] = bd["cpu_s"] / r["cpu_s"] if other else None
            ratio = f"{r['x_bgpdump']:.2f} {r['x_bgpdump_cpu']:5.2f}" if other else ""
            eps = f"{r['entries_per_s']:,.0f}" if r["entries_per_s"] else "-"
            print(f"{name:22} {n:>11,} {r['tool']:12} {r['seconds']:9.2f} {r['cpu_s']:7.2f} {eps:>12} "
                  f"{r['rss_mib']:9.0f} {ratio:>18} {r['runs']:4} {r['exit']:4}", flush=True)
        rows += done
    if a.json:
        with open(a.json, "a") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
