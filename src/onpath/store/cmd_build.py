"""`onpath snapshot build --date D --out DIR`: fetch a date's public datasets and ingest them."""

from __future__ import annotations

import argparse
import os
import sys

from onpath.errors import SourceUnavailable, UsageError
from onpath.ingest.base import ON_ERROR_CHOICES
from onpath.sources.cache import DownloadCache
from onpath.sources.urls import midnight
from onpath.store.build import DATASETS, DEFAULT_COLLECTORS, build_snapshot

EPILOG = f"""\
Per collector the RIB nearest to the date (RouteViews every 2 h, RIS every 8 h) and H hours of
UPDATES after it; for CAIDA as-rel2 and as-org, PeeringDB (CAIDA archive), the five RIRs'
delegated-extended files, RIPE NCC's RPKI archive (roas.csv per trust anchor) and the IMC 2021
state-owned list, the newest release on or before the date. Folder listings are used when
reachable; otherwise computed names are tried, walking back on 404. Downloads go through the cache
(resumed, checked); --offline uses the cache only. Choices are recorded in the manifest and
DIR/build.json. Datasets: {", ".join(DATASETS)}.

example: onpath snapshot build --date 2025-01-01 --out snap/ --collectors route-views2,rrc00 --updates-hours 1
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", required=True, metavar="DIR", help="snapshot folder (created if absent)")
    p.add_argument("--collectors", default=",".join(DEFAULT_COLLECTORS), metavar="LIST",
                   help="comma-separated collectors (default %(default)s)")
    p.add_argument("--updates-hours", type=float, default=0.0, metavar="H",
                   help="hours of UPDATES after each RIB (default 0)")
    p.add_argument("--cache", metavar="DIR", help="download cache (default ~/.cache/onpath)")
    p.add_argument("--offline", action="store_true", help="use the cache only")
    p.add_argument("--datasets", default=",".join(DATASETS), metavar="LIST",
                   help="comma-separated subset of the datasets (default: all)")
    p.add_argument("--base-url", default=os.environ.get("ONPATH_SOURCE_BASE"), metavar="URL",
                   help="serve every host from <URL>/<host>/<path> (a mirror; $ONPATH_SOURCE_BASE)")
    p.add_argument("--retries", type=int, default=4, help="retries per download (default 4)")
    p.add_argument("--on-error", choices=ON_ERROR_CHOICES, default="collect", help="bad-record policy")
    p.epilog = EPILOG


def run(args: argparse.Namespace) -> int:
    try:
        midnight(args.date)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, not {args.date!r}") from None
    collectors = [c.strip() for c in args.collectors.split(",") if c.strip()]
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    bad = [d for d in datasets if d not in DATASETS]
    if bad:
        raise UsageError(f"--datasets: unknown {', '.join(bad)} (choose from {', '.join(DATASETS)})")
    if args.updates_hours < 0:
        raise UsageError("--updates-hours must be >= 0")
    cache = DownloadCache(args.cache, offline=args.offline, retries=args.retries)
    rec = build_snapshot(args.date, args.out, collectors, args.updates_hours, cache, args.base_url or "",
                         datasets, args.on_error, log=lambda s: print(s, file=sys.stderr, flush=True))
    n, miss, err = len(rec["chosen"]), len(rec["missing"]), len(rec["errors"])
    print(f"built {args.out} for {args.date}: {n} files ingested, {miss} datasets missing, {err} errors "
          f"(see {args.out}/build.json)")
    if n == 0:
        raise SourceUnavailable("nothing could be fetched" + (" (offline: the cache has none)" if args.offline else ""),
                                file=args.out)
    return 1 if err else 0
