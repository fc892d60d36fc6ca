"""Adjacency and customer cones of an entity, restricted to a country (SPEC §4).

From the AS relationships (`as_rel`: asn1, asn2, rel; -1 = asn1 provider of asn2, 0 = peers) and,
separately, from observed paths (neighbours on a path, relationship from as-rel or `unknown`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from onpath.metrics.frame import PathFrame, isin_sorted
from onpath.metrics.pathops import adjacent_links


def _rel_arrays(as_rel: pa.Table):
    a = as_rel.column("asn1").to_numpy(zero_copy_only=False).astype(np.int64)
    b = as_rel.column("asn2").to_numpy(zero_copy_only=False).astype(np.int64)
    r = as_rel.column("rel").to_numpy(zero_copy_only=False).astype(np.int64)
    return a, b, r


def adjacency(as_rel: pa.Table, watched, in_country) -> dict[str, list[dict]]:
    """Customers, peers and providers of the watched ASes that are located in the country.

    Parameters
    ----------
    as_rel : pyarrow.Table
    watched : iterable of int
        W_E.
    in_country : callable or set
        ASN -> bool (or a set of the country's ASNs).

    Returns
    -------
    dict
        ``{"customers": [{"asn", "via"}], "peers": [...], "providers": [...]}``, sorted by asn;
        `via` lists the watched ASes on the other end. Watched ASes themselves are left out.

    Examples
    --------
    Six ASes: watched AS1 provides AS2 and AS3, peers with AS4, buys from AS5; AS6 is elsewhere.

    >>> import pyarrow as pa
    >>> rel = pa.table({"asn1": pa.array([1, 1, 1, 5, 4], pa.uint32()), "asn2": pa.array([2, 3, 4, 1, 6], pa.uint32()),
    ...                 "rel": pa.array([-1, -1, 0, -1, -1], pa.int8())})
    >>> adj = adjacency(rel, {1}, {2, 4, 5, 6})
    >>> [[d["asn"] for d in adj[k]] for k in ("customers", "peers", "providers")]
    [[2], [4], [5]]
    """
    w = np.asarray(sorted({int(x) for x in watched}), np.int64)
    inc = in_country.__contains__ if isinstance(in_country, set | frozenset | dict) else in_country
    a, b, r = _rel_arrays(as_rel)
    out: dict[str, dict[int, set[int]]] = {"customers": {}, "peers": {}, "providers": {}}
    aw, bw = isin_sorted(a, w), isin_sorted(b, w)
    for i in np.flatnonzero(aw ^ bw):
        mine, other = (a[i], b[i]) if aw[i] else (b[i], a[i])
        if not inc(int(other)):
            continue
        if r[i] == 0:
            k = "peers"
        elif r[i] == -1:
            k = "customers" if aw[i] else "providers"
        else:
            continue
        out[k].setdefault(int(other), set()).add(int(mine))
    return {k: [{"asn": x, "via": sorted(v)} for x, v in sorted(d.items())] for k, d in out.items()}


def neighbours(as_rel: pa.Table, asns) -> set[int]:
    """Every AS with an as-rel link to one of `asns`."""
    a, b, _ = _rel_arrays(as_rel)
    w = np.asarray(sorted({int(x) for x in asns}), np.int64)
    return set(a[isin_sorted(b, w)].tolist()) | set(b[isin_sorted(a, w)].tolist())


def customer_cone(as_rel: pa.Table, roots) -> np.ndarray:
    """The recursive customer cone of `roots`: the roots and every AS reached along p2c links.

    >>> import pyarrow as pa
    >>> rel = pa.table({"asn1": pa.array([1, 2, 3, 5], pa.uint32()), "asn2": pa.array([2, 3, 4, 6], pa.uint32()),
    ...                 "rel": pa.array([-1, -1, 0, -1], pa.int8())})
    >>> customer_cone(rel, [1]).tolist()
    [1, 2, 3]

    References
    ----------
    CAIDA AS Rank, "recursive" customer cone: X. Dimitropoulos et al., "AS Relationships:
    Inference and Validation", ACM CCR 37(1), 2007; M. Luckie et al., "AS Relationships, Customer
    Cones, and Validation", IMC 2013.
    """
    a, b, r = _rel_arrays(as_rel)
    p, c = a[r == -1], b[r == -1]
    order = np.argsort(p, kind="stable")
    p, c = p[order], c[order]
    seen = np.unique(np.asarray([int(x) for x in roots], np.int64))
    frontier = seen
    while len(frontier):
        lo = np.searchsorted(p, frontier, "left")
        hi = np.searchsorted(p, frontier, "right")
        cnt = hi - lo
        if cnt.sum() == 0:
            break
        idx = np.repeat(lo, cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        nxt = np.setdiff1d(np.unique(c[idx]), seen, assume_unique=True)
        seen = np.union1d(seen, nxt)
        frontier = nxt
    return seen


def observed_adjacency(frame: PathFrame, rows: np.ndarray, watched, in_country, as_rel: pa.Table | None = None) -> list[dict]:
    """In-country ASes next to a watched AS on the selected observed paths.

    Returns
    -------
    list of dict
        `asn`, `via` (watched neighbours), `relationship` (customer | peer | provider | unknown, of
        the neighbour towards the entity, from as-rel), `paths`; sorted by paths desc then asn.
    """
    w = np.asarray(sorted({int(x) for x in watched}), np.uint32)
    inc = in_country.__contains__ if isinstance(in_country, set | frozenset | dict) else in_country
    near = frame.rows_with(watched, "any")
    prow, mine, other = adjacent_links(frame.values, frame.offsets, np.flatnonzero(rows & near), w)
    rel = {}
    if as_rel is not None and len(other):
        a, b, r = _rel_arrays(as_rel)
        ws = set(w.tolist())
        for i in np.flatnonzero(isin_sorted(a, w) | isin_sorted(b, w)):
            if a[i] in ws and b[i] not in ws:
                rel[(int(a[i]), int(b[i]))] = "peer" if r[i] == 0 else "customer"
            elif b[i] in ws and a[i] not in ws:
                rel[(int(b[i]), int(a[i]))] = "peer" if r[i] == 0 else "provider"
    agg: dict[int, dict] = {}
    if len(other) == 0:
        return []
    o64, m64, r64 = other.astype(np.uint64), mine.astype(np.uint64), prow.astype(np.uint64)
    s32 = np.uint64(32)
    upk = np.unique((o64 << s32) | m64)
    up = np.stack([upk >> s32, upk & np.uint64(0xFFFFFFFF)], axis=1)
    npaths = {int(k[0]): 0 for k in up}
    # distinct (neighbour, row) pairs: sort rows within neighbour, count changes
    order = np.lexsort((r64, o64))
    so, sr = o64[order], r64[order]
    new_pair = np.ones(len(so), bool)
    new_pair[1:] = (so[1:] != so[:-1]) | (sr[1:] != sr[:-1])
    uo, cnt = np.unique(so[new_pair], return_counts=True)
    for o, c in zip(uo.tolist(), cnt.tolist(), strict=True):
        npaths[o] = c
    for o, mi in up.tolist():
        if not inc(o):
            continue
        d = agg.setdefault(o, {"asn": o, "via": set(), "relationship": set(), "paths": npaths[o]})
        d["via"].add(mi)
        d["relationship"].add(rel.get((mi, o), "unknown"))
    out = []
    for d in agg.values():
        rels = sorted(d["relationship"] - {"unknown"}) or ["unknown"]
        out.append({"asn": d["asn"], "via": sorted(d["via"]), "relationship": "/".join(rels), "paths": d["paths"]})
    out.sort(key=lambda d: (-d["paths"], d["asn"]))
    return out
