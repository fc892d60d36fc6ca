"""`onpath entities resolve`: a watchlist's entities, their networks and the reasons (SPEC §1)."""

from __future__ import annotations

import argparse
import json
import sys

EPILOG = """The watchlist is a shipped name (default cn-carriers) or a TOML file. Seed ASNs expand
through CAIDA AS-to-organization, PeeringDB organisations and the IMC 2021 state-owned dataset;
conflicts (an AS claimed by two entities, an organisation too large) are listed, not taken.

example: onpath entities resolve --snapshot snap --watchlist cn-carriers --format json"""


def configure(p: argparse.ArgumentParser) -> None:
    p.epilog = EPILOG
    p.add_argument("--snapshot", required=True, metavar="DIR", help="snapshot folder")
    p.add_argument("--watchlist", default="cn-carriers", metavar="NAME|FILE", help="shipped name or TOML file")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args) -> int:
    from onpath.entities.resolve import resolve
    from onpath.store import Snapshot

    res = resolve(Snapshot.open(args.snapshot), args.watchlist)
    if args.format == "json":
        json.dump(res.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    w = sys.stdout.write
    for e in res.entities:
        w(f"{e.entity.id}\t{e.entity.name}\t{len(e.networks)} networks\n")
        for n in e.networks:
            reasons = "; ".join(f"{r.kind} [{r.source}]" + (f" {r.detail}" if r.detail else "") for r in n.reasons)
            w(f"  AS{n.asn}\t{n.name or '-'}\t{n.country or '-'}\t{reasons}\n")
    if res.conflicts:
        w(f"conflicts: {len(res.conflicts)}\n")
        for c in res.conflicts:
            w(f"  AS{c['asn']}\t{c['kind']}\t{','.join(c['entities'])}\t{c['reason']}\n")
    return 0
