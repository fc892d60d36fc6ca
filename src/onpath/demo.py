"""`onpath demo`: the offline main job in one command (SPEC §1).

small SYNTHETIC world -> snapshot -> assess (US, cn-carriers). Everything it shows comes from a
synthetic Internet and says so; nothing here is a measurement of the real Internet.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from onpath.errors import UsageError


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
    from onpath.report import assess
    from onpath.store import Snapshot
    from onpath.store.ingest import ingest_paths
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
    snap = Snapshot.open(snap_dir, create=True)
    ingest_paths(snap, [world], on_error="collect")
    _step(f"assessing {args.country} against {args.watchlist}", t0)
    result = assess(snap_dir, args.country, args.watchlist, out / "report")
    _step("done", t0)
    banner = "SYNTHETIC world: figures below describe a generated Internet, not the real one."
    print(banner)
    summary = result.get("summary", {})
    for ent in summary.get("entities", []):
        print(f"  {ent.get('name')}: risk {ent.get('risk')}, inbound by address {ent.get('inbound_by_address')}")
    print(f"report: {result['paths']['html']}")
    print(f"json:   {result['paths']['json']}")
    return 0
