"""`onpath simulate paths`: the best path of every AS towards one origin (SPEC §1, §3)."""

from __future__ import annotations

import argparse
import json
import sys

from onpath.errors import NotBuiltYet, SimulationError, UsageError

EPILOG = """\
Output: TSV lines `asn<TAB>path` sorted by asn, the path space-separated from that AS to the
origin (the origin's own line is `asn<TAB>asn`), or JSON {"origin": N, "paths": {"asn": [path]}}.
Semantics: Gao-Rexford with BGPy's tie-break (customer > peer > provider, shortest path,
lowest next-hop ASN); --siblings treats ASes of one organisation as siblings.

example: onpath simulate paths --as-rel ../shared/data/caida/20250101.as-rel2.txt.bz2 --origin 4134
"""


def configure(p: argparse.ArgumentParser) -> None:
    """Options of `onpath simulate paths`."""
    p.epilog = EPILOG
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--snapshot", metavar="DIR", help="a snapshot (uses its as_rel table)")
    src.add_argument("--as-rel", metavar="FILE", help="a CAIDA as-rel or as-rel2 file (.bz2/.gz ok)")
    p.add_argument("--origin", metavar="ASN", required=True, action="append",
                   help="announcing ASN (repeat for several origins of one prefix)")
    p.add_argument("--siblings", action="store_true",
                   help="link ASes sharing an AS-to-org org_id as siblings (needs --snapshot)")
    p.add_argument("--format", choices=["tsv", "json"], default="tsv")


def _asn(text: str) -> int:
    t = text.upper().removeprefix("AS")
    if not t.isdigit() or int(t) > 0xFFFFFFFF:
        raise UsageError(f"--origin: not an ASN: {text!r}")
    return int(t)


def _graph(args):
    from .graph import AsGraph

    if args.as_rel:
        if args.siblings:
            raise UsageError("--siblings needs --snapshot (siblings come from its as_org table)")
        return AsGraph.from_as_rel(args.as_rel)
    try:
        from onpath.store import Snapshot  # type: ignore[attr-defined]
    except ImportError:
        raise NotBuiltYet("snapshots (onpath.store) are not built yet; use --as-rel") from None
    snap = Snapshot.open(args.snapshot)
    if not snap.has("as_rel"):
        raise SimulationError("the snapshot has no as_rel table", file=args.snapshot)
    return AsGraph.from_snapshot(snap, siblings=args.siblings)


def run(args: argparse.Namespace) -> int:
    """Run `onpath simulate paths`; writes to stdout."""
    from .engine import propagate

    origins = [_asn(o) for o in args.origin]
    graph = _graph(args)
    for o in origins:
        if o not in graph:
            raise SimulationError(f"origin AS{o} is not in the graph", file=args.as_rel or args.snapshot)
    res = propagate(graph, origins if len(origins) > 1 else origins[0])
    paths = res.paths()
    out = sys.stdout
    if args.format == "json":
        doc = {"origin": origins[0] if len(origins) == 1 else origins,
               "paths": {str(a): paths[a] for a in sorted(paths)}}
        json.dump(doc, out, separators=(",", ":"))
        out.write("\n")
    else:
        out.writelines(f"{a}\t{' '.join(map(str, paths[a]))}\n" for a in sorted(paths))
    return 0
