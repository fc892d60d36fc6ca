"""`snapshot build`: fetch the public releases of a date through the cache and ingest them.

The choices (URL, why chosen, release) go into each dataset's manifest entry and into
`DIR/build.json` with what could not be had.
"""

from __future__ import annotations

import json
import lzma
import os
import shutil
from pathlib import Path
from typing import Any

from onpath.errors import OnpathError
from onpath.sources import urls
from onpath.sources.build import Choice, Chooser, utc
from onpath.sources.cache import DownloadCache
from onpath.store.manifest import atomic_write
from onpath.store.snapshot import Snapshot

DATASETS = ("mrt", "as-rel", "as-org", "peeringdb", "rir", "vrp", "state-owned")
DEFAULT_COLLECTORS = ("route-views2", "rrc00")


def unxz(path: Path) -> Path:
    """`path` itself, or for an xz file (which the loaders do not read) its decompressed copy
    beside it in the cache (made once, atomically)."""
    with open(path, "rb") as f:
        if f.read(6) != b"\xfd7zXZ\x00":
            return path
    out = path.with_name(path.name + ".unxz")
    if not out.exists():
        tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
        with lzma.open(path) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, out)
    return out


def _ingest(snap: Snapshot, ch: Choice, on_error: str, log) -> dict[str, Any]:
    c = ch.candidate
    extra = {"fetched_at": ch.file.fetched_at, "url": c.url, "why": ch.why, "release": utc(c.when),
             "date": c.when.strftime("%Y-%m-%d"), "download_sha256": ch.file.sha256}
    e = snap.ingest_file(unxz(ch.file.path), kind=c.kind, collector=c.collector, on_error=on_error,
                         source=c.url, extra=extra)
    log(f"{c.url}: {e['kind']}: {e['records']} records, {e['skipped']} skipped, {e['rejected']} rejected"
        + (" (already in the snapshot)" if e.get("already") else ""))
    return e


def build_snapshot(date: str, out: str | Path, collectors=DEFAULT_COLLECTORS, updates_hours: float = 0,
                   cache: DownloadCache | None = None, base: str | None = None,
                   datasets=DATASETS, on_error: str = "collect", log=print) -> dict[str, Any]:
    """Fetch and ingest the releases of `date` into the snapshot `out`.

    Parameters
    ----------
    date : str
        YYYY-MM-DD; RIBs nearest to its 00:00 UTC, other datasets the newest release on or before it.
    out : path
        Snapshot folder (created if absent).
    collectors : iterable of str
        RouteViews / RIS collector names.
    updates_hours : float
        Hours of UPDATES files after each RIB.
    cache : DownloadCache, optional
    base : str, optional
        Mirror base URL (tests); default `$ONPATH_SOURCE_BASE` or the real hosts.
    datasets : iterable of str
        Subset of `DATASETS`.

    Returns
    -------
    dict
        The build record (also written to `out/build.json`): chosen, missing, errors.
    """
    urls.midnight(date)  # validates
    cache = cache or DownloadCache()
    chooser = Chooser(cache)
    snap = Snapshot.open(out, create=True)
    rec: dict[str, Any] = {"date": date, "collectors": list(collectors), "updates_hours": updates_hours,
                           "datasets": list(datasets), "offline": cache.offline, "chosen": [],
                           "missing": [], "errors": []}
    plan: list[tuple[list[urls.Candidate], str]] = []
    if "mrt" in datasets:
        for col in collectors:
            plan.append((urls.rib_candidates(col, date, base), f"RIB nearest to {date} 00:00 UTC"))
    rule = f"newest release on or before {date}"
    for cands in urls.dataset_plan(date, base):
        if cands[0].kind in datasets:
            plan.append((cands, rule))

    def take(ch: Choice) -> None:
        rec["chosen"].append(ch.record())
        try:
            _ingest(snap, ch, on_error, log)
        except (OnpathError, ValueError, TypeError, KeyError, IndexError, OSError, ArithmeticError) as e:
            msg = e.line() if isinstance(e, OnpathError) else f"{type(e).__name__}: {e}"
            rec["errors"].append({"url": ch.candidate.url, "error": msg})
            log(f"onpath: error: {ch.candidate.url}: {msg}")

    for cands, why in plan:
        got = chooser.choose(cands, why)
        if not isinstance(got, Choice):
            rec["missing"].append(got.record())
            log(f"onpath: warning: {got.dataset}: not available ({got.why})")
            continue
        take(got)
        col = got.candidate.collector
        if col and got.candidate.dataset.startswith("rib:") and updates_hours > 0:
            ups = urls.update_candidates(col, got.candidate.when, updates_hours, base)
            fetched, gone = chooser.fetch_each(ups, f"UPDATES within {updates_hours} h after the RIB")
            for ch in fetched:
                take(ch)
            if gone:
                rec["missing"].append({"dataset": ups[0].dataset, "tried": len(gone), "first": gone[0],
                                       "why": "not available"})
    snap.set_date(date)
    atomic_write(Path(out) / "build.json", (json.dumps(rec, indent=2) + "\n").encode())
    return rec
