"""Collector names from archive paths (SPEC §1: the archives' own names)."""

from __future__ import annotations

import re
from pathlib import Path

_ALIASES = {"routeviews2": "route-views2", "jinx": "route-views.jinx"}
_SKIP = re.compile(r"^(\d{4}\.\d{2}|bgpdata|ribs?|updates|bview|mrt|ris|ris-more|routeviews)$", re.I)
_NAMED = re.compile(r"^(route-?views(?:\d+|\.[a-z0-9-]+)?|rrc\d\d)$", re.I)
_IN_NAME = re.compile(r"(?<![a-z0-9])(route-views(?:\d+|\.[a-z0-9-]+)?|rrc\d\d)(?![a-z0-9])", re.I)


def canonical_collector(name: str) -> str:
    """The archive's own spelling of a collector (`routeviews2` -> `route-views2`)."""
    n = name.strip()
    return _ALIASES.get(n, _ALIASES.get(n.lower(), n))


def infer_collector(path: str | Path) -> str | None:
    """The collector an MRT file belongs to, from its folders, or None.

    Recognises RouteViews (`route-views.jinx/bgpdata/2014.05/RIBS/rib...`; the `bgpdata/...`
    tree without a collector folder is `route-views2`), RIS (`rrc00/2024.01/bview...`) and the
    synthetic world (`mrt/<collector>/rib...`).

    Examples
    --------
    >>> infer_collector("x/route-views.jinx/bgpdata/2014.05/RIBS/rib.20140530.0000.bz2")
    'route-views.jinx'
    >>> infer_collector("w/mrt/rrc00/bview.20250101.0000.gz")
    'rrc00'
    >>> infer_collector("data/mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2")
    'route-views.jinx'
    >>> infer_collector("data/mrt/rib/bview.20020722.2337.gz") is None
    True
    """
    m = _IN_NAME.search(Path(path).name)
    if m:
        return canonical_collector(m.group(1))
    parts = Path(path).parts[:-1]
    for i in range(len(parts) - 1, -1, -1):
        name = parts[i]
        if _SKIP.match(name):
            if name == "bgpdata" and (i == 0 or not _NAMED.match(parts[i - 1])):
                return "route-views2"
            continue
        if _NAMED.match(name):
            return canonical_collector(name)
        if i > 0 and parts[i - 1] == "mrt":
            return canonical_collector(name)
        return None
    return None
