"""`onpath assess`: the risk-based analysis of a country's exposure to a watchlist (SPEC §1, §5)."""

from __future__ import annotations

import argparse
import json
import sys

from onpath.report.risk import fmt_value

EXAMPLE = "example: onpath assess --snapshot snap --country US --watchlist cn-carriers --out report"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--snapshot", required=True, metavar="DIR", help="snapshot folder (onpath ingest)")
    p.add_argument("--country", required=True, metavar="CC", help="target country, ISO 3166-1 alpha-2")
    p.add_argument("--watchlist", default="cn-carriers", metavar="NAME|FILE",
                   help="shipped watchlist name or TOML file (default: cn-carriers)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for report.html, report.json, run.json")
    p.add_argument("--thresholds", metavar="FILE", help="risk-thresholds TOML replacing the packaged one")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="summary printed on stdout (default: table)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.epilog = ("Writes report.json (schema onpath.report/1, byte-identical for the same inputs), a\n"
                "self-contained report.html, and run.json (times, versions, arguments).\n" + EXAMPLE)


def table_text(summary: dict) -> str:
    """The short text summary: one line per entity."""
    head = f"{summary['country']}  snapshot {summary.get('snapshot')} ({summary.get('snapshot_date') or 'no date'})"
    if summary.get("synthetic"):
        head += "  SYNTHETIC"
    lines = [head, f"{'entity':<22} {'nets':>4} {'band':<12} {'inbound':>8} {'reach':>8} {'outbound':>8}  confidence"]
    for x in summary["entities"]:
        def s(v):
            return "n/a" if v is None else fmt_value(v, "share")
        lines.append(f"{str(x['name'])[:22]:<22} {x['networks']:>4} {str(x['band']):<12} "
                     f"{s(x['inbound_v4_by_address']):>8} {s(x['inbound_v4_reach']):>8} "
                     f"{s(x['outbound_v4_by_address']):>8}  {x['confidence']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from onpath.procmem import keep_freed_memory
    from onpath.report.api import assess

    keep_freed_memory()  # a batch process: reuse freed memory rather than fault in fresh pages
    res = assess(args.snapshot, args.country, args.watchlist, args.out, args.thresholds, progress=not args.quiet)
    if args.format == "json":
        json.dump({"summary": res["summary"], "paths": res["paths"]}, sys.stdout, sort_keys=True)
        sys.stdout.write("\n")
    else:
        print(table_text(res["summary"]))
        print(f"report: {res['paths']['report_html']}")
    return 0
