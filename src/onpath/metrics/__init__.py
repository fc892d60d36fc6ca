"""onpath.metrics: pure functions over tables (exposure, hegemony, CTI, cones, footprint), and
`analyze(snap, country, watchlist)` which fetches the tables and runs them all (docs/metrics.md)."""

from __future__ import annotations


def analyze(snap, country, watchlist=None, **kw):
    """See `onpath.metrics.analysis.analyze`."""
    from onpath.metrics.analysis import analyze as _analyze

    return _analyze(snap, country, watchlist, **kw)


__all__ = ["analyze"]
