"""Statistics of AS paths and address space: path lengths, address shares by country, and how far
observed paths depart from a simulation. The graph statistics (degree, cones) are in
`onpath.metrics.graphstats`, which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from onpath.metrics.space import effective_units, parse_prefixes


def collapse(path: Iterable[int]) -> tuple[int, ...]:
    """An AS path with prepending (and any repeated AS) collapsed to the first occurrence.

    Examples
    --------
    >>> collapse([3356, 174, 174, 174, 64500])
    (3356, 174, 64500)
    """
    return tuple(dict.fromkeys(path))


def path_length_distribution(lengths: Mapping[int, int] | Sequence[int] | np.ndarray) -> dict:
    """Mean and share of each AS-path length (number of ASes on the path, prepending collapsed).

    Parameters
    ----------
    lengths : mapping {length: count} or array-like of lengths
        The caller decides what a path is (per vantage point and prefix, or distinct paths per
        origin, as the world counts them).

    Returns
    -------
    dict
        ``mean`` (3 decimals) and ``{str(length): share}`` (4 decimals), lengths ascending.

    Examples
    --------
    Paths 0-1-3, 0-2-3, 0-2-4, 1-3 of the toy graph:

    >>> path_length_distribution([3, 3, 3, 2])
    {'mean': 2.75, '2': 0.25, '3': 0.75}

    References
    ----------
    G. Huston, "AS6447 BGP Routing Table Analysis Report" (bgp.potaroo.net): the average AS-path
    length seen from one vantage point, over time.
    """
    if isinstance(lengths, Mapping):
        counter = {int(k): int(v) for k, v in lengths.items()}
    else:
        ks, vs = np.unique(np.asarray(lengths, np.int64), return_counts=True)
        counter = dict(zip(ks.tolist(), vs.tolist(), strict=True))
    n = sum(counter.values()) or 1
    mean = sum(k * v for k, v in counter.items()) / n
    return {"mean": round(mean, 3), **{str(k): round(v / n, 4) for k, v in sorted(counter.items())}}


def address_shares(prefixes: Sequence[str], cc: Sequence[str | None], top: int = 12, family: int = 4) -> dict[str, float]:
    """Share of the address space of one family per country, each address counted once for the
    most specific prefix covering it (SPEC §4, via `onpath.metrics.space.effective_units`).

    Parameters
    ----------
    prefixes : sequence of str
        Prefixes (both families may be mixed; only `family` counts). A prefix listed twice counts
        once, for its first country.
    cc : sequence of str
        The country of each prefix (e.g. from `onpath.metrics.country.prefix_country`).
    top : int
        Countries returned, largest first.
    family : {4, 6}
        IPv4 (/24 units) or IPv6 (/48 units); the families are never summed.

    Returns
    -------
    dict
        ``{cc: share}`` (4 decimals) of the `top` countries; shares of the whole family's space.

    Examples
    --------
    A /22 of US with one /24 inside moved to CN, and a /24 of JP:

    >>> address_shares(["10.0.0.0/22", "10.0.1.0/24", "192.0.2.0/24"], ["US", "CN", "JP"])
    {'US': 0.6, 'CN': 0.2, 'JP': 0.2}
    """
    prefixes = prefixes.to_pylist() if hasattr(prefixes, "to_pylist") else list(prefixes)
    cc = cc.to_pylist() if hasattr(cc, "to_pylist") else list(cc)
    fam, key, ln = parse_prefixes(prefixes)
    sel = np.flatnonzero(fam == family)
    if len(sel) == 0:
        return {}
    _, first = np.unique(np.stack([key[sel], ln[sel].astype(np.uint64)], axis=1), axis=0, return_index=True)
    sel = sel[np.sort(first)]  # one copy of each prefix: its first occurrence
    _, eff = effective_units([prefixes[i] for i in sel.tolist()])
    ccs = np.asarray([cc[i] for i in sel.tolist()], dtype=object)
    names, inv = np.unique(ccs.astype(str), return_inverse=True)
    tot = np.bincount(inv.reshape(-1), weights=eff, minlength=len(names))
    s = float(tot.sum()) or 1.0
    order = sorted(range(len(names)), key=lambda i: -tot[i])[:top]
    return {str(names[i]): round(float(tot[i]) / s, 4) for i in order}


def path_differ_share(pairs: Iterable[tuple[Sequence[int], Sequence[int] | None]]) -> dict:
    """Share of observed paths that differ from a simulated baseline.

    Parameters
    ----------
    pairs : iterable of (observed, simulated)
        Per (vantage point, origin or prefix): the observed AS path and the path a simulation gives
        the same vantage point (None: the simulation gives it no route). Both are compared with
        prepending collapsed.

    Returns
    -------
    dict
        ``paths`` (count, at least 1), ``differ_share`` (different path or no simulated route) and
        ``no_route_share``, 4 decimals.

    Examples
    --------
    On the toy graph, AS3 observes 3-1-0 but a Gao-Rexford simulation picks 3-2-0; AS4 agrees
    (prepending aside); AS5 gets no simulated route:

    >>> path_differ_share([((3, 1, 0), (3, 2, 0)), ((4, 2, 2, 0), (4, 2, 0)), ((5, 0), None)])
    {'paths': 3, 'differ_share': 0.6667, 'no_route_share': 0.3333}

    References
    ----------
    R. Anwar et al., "Investigating Interdomain Routing Policies in the Wild", IMC 2015 (how often
    observed paths depart from Gao-Rexford predictions).
    """
    same = diff = missing = 0
    for obs, sim in pairs:
        if sim is None:
            missing += 1
        elif collapse(sim) == collapse(obs):
            same += 1
        else:
            diff += 1
    n = same + diff + missing or 1
    return {"paths": n, "differ_share": round((diff + missing) / n, 4), "no_route_share": round(missing / n, 4)}
