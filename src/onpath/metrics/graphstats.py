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

from collections.abc import Sequence

import numpy as np

from onpath.metrics.pathstats import (  # noqa: F401  (re-exported: one import for realism figures)
    address_shares,
    collapse,
    path_differ_share,
    path_length_distribution,
)

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
