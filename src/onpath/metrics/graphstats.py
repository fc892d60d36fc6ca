"""Generic statistics of an AS graph and of AS paths: degree, customer cones, path lengths,
address shares by country, and how far observed paths depart from a simulation.

Pure functions over NumPy arrays (ASes as dense indices 0..n-1, links as two index arrays and a
relationship array in the `as_rel` convention: -1 = first is provider of second, 0 = peers).
`edge_index` turns an `as_rel` table's ASNs into such indices. They measure both a synthetic world
(`onpath.world.realism`) and the real CAIDA graph (`scripts/realism_real.py`), with one definition.

The toy graph of the examples (six ASes, indices 0..5)::

    0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, 2 -> 4   (provider -> customer)
    0 -- 5, 1 -- 2                           (peers)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from onpath.metrics.space import effective_units, parse_prefixes

QS = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)


def edge_index(asn1: Sequence[int] | np.ndarray, asn2: Sequence[int] | np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense indices of the ASes of an edge list.

    Parameters
    ----------
    asn1, asn2 : array-like of int
        The two ends of every link (e.g. an `as_rel` table's ``asn1`` and ``asn2`` columns).

    Returns
    -------
    (a, b, asns) : (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``a[i]``, ``b[i]``: indices of link i's ends into ``asns`` (the sorted distinct ASNs),
        so ``n = len(asns)``.

    Examples
    --------
    >>> a, b, asns = edge_index([3356, 174, 3356], [64500, 64500, 174])
    >>> a.tolist(), b.tolist(), asns.tolist()
    ([1, 0, 1], [2, 2, 0], [174, 3356, 64500])
    """
    x = np.asarray(asn1, np.int64)
    y = np.asarray(asn2, np.int64)
    asns, inv = np.unique(np.concatenate([x, y]), return_inverse=True)
    inv = inv.reshape(-1)
    return inv[: len(x)], inv[len(x):], asns


def degrees(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Degree (links per AS) of every AS 0..n-1 of an edge list; a repeated link counts again.

    Parameters
    ----------
    a, b : numpy.ndarray of int
        Link ends as indices.
    n : int
        Number of ASes.

    Returns
    -------
    numpy.ndarray of int64, length n

    Examples
    --------
    >>> a, b = np.array([0, 0, 1, 2, 2, 0, 1]), np.array([1, 2, 3, 3, 4, 5, 2])
    >>> degrees(a, b, 6).tolist()
    [3, 3, 4, 2, 1, 1]
    """
    return np.bincount(np.asarray(a), minlength=n) + np.bincount(np.asarray(b), minlength=n)


def degree_distribution(a: np.ndarray, b: np.ndarray, n: int, qs: Sequence[float] = QS) -> dict:
    """Quantiles, maximum, mean and share of degree-1 ASes of the degree of the ASes with a link.

    Parameters
    ----------
    a, b : numpy.ndarray of int
        Link ends as indices.
    n : int
        Number of ASes (those without a link are left out).
    qs : sequence of float
        Quantiles (NumPy's default linear interpolation).

    Returns
    -------
    dict
        ``{str(q): float}`` per quantile, ``max`` (int), ``mean`` (3 decimals), ``degree1_share``
        (4 decimals).

    Examples
    --------
    >>> a, b = np.array([0, 0, 1, 2, 2, 0, 1]), np.array([1, 2, 3, 3, 4, 5, 2])
    >>> d = degree_distribution(a, b, 6, qs=(0.5,))
    >>> d["0.5"], d["max"], d["mean"], d["degree1_share"]
    (2.5, 4, 2.333, 0.3333)

    References
    ----------
    M. Faloutsos, P. Faloutsos, C. Faloutsos, "On power-law relationships of the Internet
    topology", SIGCOMM 1999 (the degree distribution as a topology figure).
    """
    d = degrees(a, b, n)
    d = d[d > 0]
    return {str(q): float(np.quantile(d, q)) for q in qs} | {"max": int(d.max()), "mean": round(float(d.mean()), 3),
                                                            "degree1_share": round(float((d == 1).mean()), 4)}


def ccdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Complementary cumulative distribution: for each distinct value x, the share of values >= x.

    Parameters
    ----------
    values : numpy.ndarray
        Observations (e.g. degrees of the ASes with a link).

    Returns
    -------
    (x, share) : (numpy.ndarray, numpy.ndarray)
        Sorted distinct values and P(V >= x); ``share[0] == 1``.

    Examples
    --------
    >>> x, p = ccdf(np.array([3, 3, 4, 2, 1, 1]))
    >>> x.tolist(), [round(v, 3) for v in p.tolist()]
    ([1, 2, 3, 4], [1.0, 0.667, 0.5, 0.167])
    """
    v = np.sort(np.asarray(values))
    x, first = np.unique(v, return_index=True)
    return x, (len(v) - first) / max(1, len(v))


def customer_cone_sizes(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int,
                        roots: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """Size of the recursive customer cone of each root: the AS itself and every AS reached from it
    by following provider -> customer links (CAIDA's "recursive" cone; p2c cycles are harmless).

    Parameters
    ----------
    a, b : numpy.ndarray of int
        Link ends as indices.
    rel : numpy.ndarray of int
        -1: ``a`` is the provider of ``b``; 0: peers (ignored).
    n : int
        Number of ASes.
    roots : array-like of int, optional
        The ASes (indices) whose cones are measured; default every AS 0..n-1.

    Returns
    -------
    numpy.ndarray of int64
        Cone size per root, in the order of `roots`.

    Examples
    --------
    >>> a, b = np.array([0, 0, 1, 2, 2, 0, 1]), np.array([1, 2, 3, 3, 4, 5, 2])
    >>> rel = np.array([-1, -1, -1, -1, -1, 0, 0])
    >>> customer_cone_sizes(a, b, rel, 6).tolist()
    [5, 2, 3, 1, 1, 1]

    References
    ----------
    M. Luckie, B. Huffaker, A. Dhamdhere, V. Giotsas, k. claffy, "AS Relationships, Customer Cones,
    and Validation", IMC 2013 (section 5: recursive, BGP-observed and provider/peer-observed cones);
    CAIDA AS Rank.
    """
    m = np.asarray(rel) == -1
    p, c = np.asarray(a)[m].astype(np.int64), np.asarray(b)[m].astype(np.int64)
    order = np.argsort(p, kind="stable")
    p, c = p[order], c[order]
    start = np.searchsorted(p, np.arange(n + 1), "left")
    roots_arr = np.arange(n) if roots is None else np.asarray(roots, np.int64)
    out = np.ones(len(roots_arr), np.int64)
    seen = np.zeros(n, bool)
    for k, r in enumerate(roots_arr.tolist()):
        if start[r] == start[r + 1]:
            continue  # no customer: the cone is the AS alone
        seen[r] = True
        visited = [np.array([r])]
        frontier = visited[0]
        while len(frontier):
            lo, hi = start[frontier], start[frontier + 1]
            cnt = hi - lo
            tot = int(cnt.sum())
            if tot == 0:
                break
            idx = np.repeat(lo, cnt) + (np.arange(tot) - np.repeat(np.cumsum(cnt) - cnt, cnt))
            nxt = np.unique(c[idx])
            nxt = nxt[~seen[nxt]]
            seen[nxt] = True
            visited.append(nxt)
            frontier = nxt
        allv = np.concatenate(visited)
        out[k] = len(allv)
        seen[allv] = False
    return out


def cone_distribution(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int, sample: int | None = 3000,
                      seed: int = 0, qs: Sequence[float] = QS) -> dict:
    """Quantiles of the recursive customer-cone size of the transit ASes (those with a customer).

    Parameters
    ----------
    a, b, rel, n
        As in `customer_cone_sizes`.
    sample : int or None
        Measure at most this many transit ASes, drawn with ``numpy.random.default_rng(seed)``
        (None: all of them).
    seed : int
        Seed of the draw.
    qs : sequence of float
        Quantiles.

    Returns
    -------
    dict
        ``{str(q): float}``, ``max``, ``transit_ases`` (how many ASes have a customer), ``sampled``.

    Examples
    --------
    >>> a, b = np.array([0, 0, 1, 2, 2, 0, 1]), np.array([1, 2, 3, 3, 4, 5, 2])
    >>> rel = np.array([-1, -1, -1, -1, -1, 0, 0])
    >>> d = cone_distribution(a, b, rel, 6, qs=(0.5,))
    >>> d["0.5"], d["max"], d["transit_ases"], d["sampled"]
    (3.0, 5, 3, 3)

    References
    ----------
    Luckie et al., "AS Relationships, Customer Cones, and Validation", IMC 2013.
    """
    m = np.asarray(rel) == -1
    has_cust = np.zeros(n, bool)
    has_cust[np.asarray(a)[m]] = True
    transit = np.flatnonzero(has_cust).tolist()
    pick = transit if sample is None or len(transit) <= sample else sorted(
        np.random.default_rng(seed).choice(transit, size=sample, replace=False).tolist())
    s = customer_cone_sizes(a, b, rel, n, pick) if pick else np.zeros(1, np.int64)
    return {str(q): float(np.quantile(s, q)) for q in qs} | {"max": int(s.max()), "transit_ases": len(transit),
                                                            "sampled": len(pick)}


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
