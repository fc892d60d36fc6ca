"""`onpath demo`: the offline main job in one command (SPEC §1).

small SYNTHETIC world -> snapshot -> assess (US, cn-carriers). Everything it shows comes from a
synthetic Internet and says so; nothing here is a measurement of the real Internet.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from onpath.errors import OnpathError, UsageError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, type=Path, help="folder for the world, the snapshot and the report")
    p.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    p.add_argument("--country", default="US", help="target country, ISO 3166-1 alpha-2 (default US)")
    p.add_argument("--watchlist", default="cn-carriers", help="watchlist name or TOML file (default cn-carriers)")
    p.add_argument("--scale", default="small", choices=["small", "full"], help="world scale (default small)")
    p.epilog = "example: onpath demo --out demo"


def _step(msg: str, t0: float) -> None:
    print(f"[{time.monotonic() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from onpath.procmem import keep_freed_memory
    from onpath.report import assess
    from onpath.store import cmd_ingest
    from onpath.world import generate

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    world = out / "world"
    if (world / "MANIFEST.json").exists():
        _step(f"world already at {world} (delete it to regenerate)", t0)
    else:
        _step(f"generating the SYNTHETIC {args.scale} world (seed {args.seed}) in {world}", t0)
        generate(scale=args.scale, seed=args.seed, date="2025-01-01", out=world)
    snap_dir = out / "snapshot"
    _step(f"ingesting the world into the snapshot {snap_dir}", t0)
    ingest_args = argparse.Namespace(paths=[str(world)], snapshot=str(snap_dir), kind=None,
                                     collector=None, on_error="collect")
    with contextlib.redirect_stdout(sys.stderr):  # per-file lines are progress, not the result
        status = cmd_ingest.run(ingest_args)
    if status:
        raise OnpathError(f"ingest of {world} failed (see the lines above)")
    _step(f"assessing {args.country} against {args.watchlist}", t0)
    keep_freed_memory()  # a batch process: reuse freed memory rather than fault in fresh pages
    result = assess(snap_dir, args.country, args.watchlist, out / "report")
    _step("done", t0)
    banner = "SYNTHETIC world: figures below describe a generated Internet, not the real one."
    print(banner)
    summary = result.get("summary", {})
    print(f"target country {summary.get('country')}, snapshot date {summary.get('snapshot_date')}")
    for ent in summary.get("entities", []):
        v4 = ent.get("inbound_v4_by_address")
        v4s = "n/a" if v4 is None else f"{100 * v4:.2f}%"
        print(f"  {ent.get('name')}: risk band {ent.get('band')}; inbound IPv4 exposure by address {v4s}")
    for key, path in sorted(result["paths"].items()):
        print(f"{key}: {path}")
    return 0
