"""`onpath world generate`: write a synthetic Internet in the real formats (SPEC §6)."""

from __future__ import annotations

import argparse
from pathlib import Path

EPILOG = """\
The world is a test bed where the right answers are known: truth/ holds the true topology and the
ASes that break Gao-Rexford; the published caida/ as-rel2 misses links and has wrong relationships,
as CAIDA's inferences do. MANIFEST.json lists every file's SHA-256 and the measured realism figures.
Sizes: tiny ~600 ASes (tests), small ~3,000 ASes (seconds), full ~75,000 ASes (long; GBs).

example: onpath world generate --scale small --seed 1 --out world"""


def configure(p: argparse.ArgumentParser) -> None:
    """Options of `onpath world generate`."""
    p.epilog = EPILOG
    p.add_argument("--scale", choices=("tiny", "small", "full"), default="small", help="world size (default small)")
    p.add_argument("--seed", type=int, default=1, help="random seed; same seed, same files (default 1)")
    p.add_argument("--date", default="2025-01-01", help="snapshot date YYYY-MM-DD (default 2025-01-01)")
    p.add_argument("--topology", type=Path, default=None, metavar="AS_REL2",
                   help="build on a real as-rel2 graph: its ASes and links become the true topology")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--workers", type=int, default=1, help="processes for the propagations (default 1; same files)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    """Generate the world; print its folder."""
    from onpath.world import generate

    out = generate(args.scale, args.seed, args.date, args.out, topology=args.topology, quiet=args.quiet,
                   workers=args.workers)
    print(out)
    return 0
