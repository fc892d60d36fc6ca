"""``assess``: snapshot -> analysis -> report.json, report.html, run.json (SPEC §1, §5)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from onpath.errors import NotBuiltYet, OnpathError, UsageError
from onpath.report.build import build_report, snapshot_header
from onpath.report.output import write_outputs
from onpath.report.risk import load_thresholds


def _say(msg: str, progress: bool) -> None:
    if progress:
        print(f"onpath assess: {msg}", file=sys.stderr, flush=True)


class _Steps:
    """Progress of the analysis: a tqdm bar on a terminal, timed lines otherwise."""

    def __init__(self, enabled: bool):
        self.enabled, self.t0, self.bar = enabled, time.monotonic(), None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit=" steps", file=sys.stderr, leave=False,
                            bar_format="onpath assess: {desc} [{elapsed}]")

    def __call__(self, label: str) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_description_str(label)
            self.bar.update(1)
        else:
            _say(f"[{time.monotonic() - self.t0:6.1f} s] {label}", True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def watchlist_header(wl: Any) -> dict[str, Any]:
    """The report's ``watchlist``: name, description and source (a local path reduced to its file name)."""
    src = str(getattr(wl, "source", "") or "")
    return {"name": getattr(wl, "name", None), "description": getattr(wl, "description", "") or "",
            "source": src if ":" in src and not Path(src).is_absolute() else Path(src).name}


def report_from_analysis(analysis: dict[str, Any], *, snapshot_name: str, snapshot_date: str | None,
                         datasets: list[dict[str, Any]], synthetic: bool, out_dir: str | Path,
                         thresholds: str | Path | None = None, run_info: dict[str, Any] | None = None,
                         watchlist: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the report for an analysis already computed (the what-if and the tests use this).

    Returns ``{"paths": {report_json, report_html, run_json}, "summary": {...}}``.
    """
    th = load_thresholds(thresholds)
    header = snapshot_header(snapshot_name, snapshot_date, datasets)
    rep = build_report(analysis, header, synthetic, th, watchlist=watchlist)
    return write_outputs(rep, out_dir, run_info or {})


def assess(snapshot_dir: str | Path, country: str, watchlist: str | Path | None, out_dir: str | Path,
           thresholds: str | Path | None = None, *, progress: bool = True) -> dict[str, Any]:
    """Run the whole analysis of ``country`` over a snapshot and write the report into ``out_dir``.

    Parameters
    ----------
    snapshot_dir : path
        A snapshot made by ``onpath ingest`` or ``onpath snapshot build``.
    country : str
        ISO 3166-1 alpha-2 code of the target country (``US``).
    watchlist : str, path or None
        A shipped watchlist name or a TOML file; None for ``cn-carriers``.
    out_dir : path
        Created if absent; receives ``report.json``, ``report.html``, ``run.json``.
    thresholds : path, optional
        A risk-thresholds TOML file replacing the packaged one.

    Returns
    -------
    dict
        ``{"paths": {...}, "summary": {country, synthetic, snapshot, entities: [{id, band, ...}]}}``.

    Raises
    ------
    UsageError
        Bad country code or a snapshot folder without a manifest.
    OnpathError
        From the analysis, or ``SchemaMismatch`` when the report does not validate.
    """
    from onpath.store import Snapshot

    try:
        from onpath.metrics import analyze
    except ImportError:
        raise NotBuiltYet("onpath.metrics.analyze is not built yet") from None

    cc = (country or "").upper()
    if len(cc) != 2 or not cc.isalpha():
        raise UsageError(f"--country {country!r} is not an ISO 3166-1 alpha-2 code")
    root = Path(snapshot_dir)
    if not (root / "manifest.json").is_file():
        raise UsageError("no snapshot here (manifest.json missing); make one with `onpath ingest`",
                         file=str(root))
    th = load_thresholds(thresholds)  # fail early on a bad thresholds file
    started = dt.datetime.now(dt.UTC)
    t0 = time.monotonic()
    snap = Snapshot.open(root)
    _say(f"analysing {cc} over snapshot {root.name} ({len(snap.datasets)} datasets)...", progress)
    from onpath.entities.watchlist import load_watchlist

    wl = load_watchlist(watchlist or "cn-carriers")
    steps = _Steps(progress)
    try:
        analysis = analyze(snap, cc, wl, progress=steps)
    finally:
        steps.close()
    if not isinstance(analysis, dict):
        raise OnpathError("the analysis returned no report body", file=str(root))
    _say(f"analysis done in {time.monotonic() - t0:.1f} s; writing the report...", progress)
    header = snapshot_header(root.resolve().name, snap.date, snap.datasets)
    rep = build_report(analysis, header, snap.synthetic, th, watchlist=watchlist_header(wl))
    run_info = {
        "command": "assess",
        "arguments": {"snapshot": str(root.resolve()), "country": cc, "watchlist": str(watchlist or "cn-carriers"),
                      "out": str(Path(out_dir).resolve()), "thresholds": str(thresholds) if thresholds else None},
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - t0, 3),
        "datasets_fetched_at": {d.get("sha256"): d.get("fetched_at") for d in snap.datasets},
    }
    res = write_outputs(rep, out_dir, run_info)
    _say(f"wrote {res['paths']['report_html']}", progress)
    return res
