"""Array helpers shared by the metrics: membership against a small ASN set, hash group sums."""

from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa

_BIG = 1 << 20
_DENSE = 1 << 22  # ASNs below this (all 16-bit, nearly all assigned 32-bit) index a dense table


def isin_sorted(values: np.ndarray, members) -> np.ndarray:
    """`np.isin` for a large array against a small set of ASNs, by binary search.

    >>> isin_sorted(np.array([5, 1, 7], np.uint32), {7, 1}).tolist()
    [False, True, True]
    """
    w = np.asarray(list(members) if not isinstance(members, np.ndarray) else members)
    w = np.unique(w.astype(values.dtype, copy=False)) if len(w) else w
    if len(w) == 0 or len(values) == 0:
        return np.zeros(len(values), bool)
    if len(values) >= _BIG and len(w) > 4096 and values.dtype == np.uint32:
        # many members (a customer cone): a dense table of the ASNs below 2**22, search the rest
        lut = np.zeros(_DENSE + 1, bool)
        lut[w[w < _DENSE].astype(np.intp)] = True  # slot _DENSE stays False: larger values
        out = lut[np.minimum(values, _DENSE)]
        big = np.flatnonzero(values >= _DENSE)
        if len(big) and (w >= _DENSE).any():
            wb = w[w >= _DENSE]
            i = np.minimum(np.searchsorted(wb, values[big]), len(wb) - 1)
            out[big] = wb[i] == values[big]
        return out
    if len(values) >= _BIG and len(w) <= 4096 and values.dtype.kind in "iu":
        # a table of the members' low 16 bits leaves few candidates for the binary search
        lut = np.zeros(1 << 16, bool)
        lut[np.bitwise_and(w, w.dtype.type(0xFFFF)).astype(np.intp)] = True
        if values.dtype == np.uint32 and values.flags.c_contiguous and sys.byteorder == "little":
            low = values.view(np.uint16)[::2]
        else:
            low = np.bitwise_and(values, values.dtype.type(0xFFFF))
        cand = np.flatnonzero(lut[low])
        out = np.zeros(len(values), bool)
        vc = values[cand]
        i = np.searchsorted(w, vc)
        np.minimum(i, len(w) - 1, out=i)
        out[cand] = w[i] == vc
        return out
    i = np.searchsorted(w, values)
    np.minimum(i, len(w) - 1, out=i)
    return w[i] == values


def group_sum(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, summed weights). Non-negative keys of a small range (at most a few times
    the number of keys) are summed densely by `np.bincount`, in row order, so the sums are
    reproducible and come out sorted by key; other keys are hash-grouped by Arrow.

    >>> k, w = group_sum(np.array([5, 2, 5]), np.array([1.0, 2.0, 3.0]))
    >>> k.tolist(), w.tolist()
    ([2, 5], [2.0, 4.0])
    """
    if len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    lo, hi = int(keys.min()), int(keys.max())
    if lo >= 0 and hi < max(4 * len(keys), 1 << 16) and hi < (1 << 27):
        seen = np.bincount(keys, minlength=hi + 1) > 0
        tot = np.bincount(keys, weights=weights, minlength=hi + 1)
        u = np.flatnonzero(seen)
        return u.astype(np.int64), tot[u]
    g = pa.table({"k": pa.array(keys), "w": pa.array(weights)}).group_by("k", use_threads=True).aggregate([("w", "sum")])
    o = np.argsort(g.column("k").to_numpy(), kind="stable")
    return g.column("k").to_numpy()[o], g.column("w_sum").to_numpy()[o]


def encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, code per value), hash-encoded by Arrow (codes index the distinct values).

    >>> u, c = encode(np.array([7, 3, 7], np.uint32))
    >>> u[c].tolist()
    [7, 3, 7]
    """
    if len(values) == 0:
        return values[:0], np.zeros(0, np.int64)
    d = pa.array(values).dictionary_encode()
    return d.dictionary.to_numpy(zero_copy_only=False), d.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def encode_asns(values: np.ndarray, dense_below: int = 1 << 22) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct ASNs, int32 rank of each value) for a large uint32 array of ASNs.

    ASNs below `dense_below` (all 16-bit and nearly all assigned 32-bit ASNs) are ranked through
    a dense table, one gather per value; the rare larger ones are sorted. Same result as
    ``np.unique(values, return_inverse=True)`` without sorting the array.

    >>> u, c = encode_asns(np.array([4200000001, 7, 3, 7], np.uint32))
    >>> u.tolist(), c.tolist()
    ([3, 7, 4200000001], [2, 1, 0, 1])
    """
    values = np.asarray(values)
    if len(values) == 0:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32)
    big = values >= dense_below
    present = np.zeros(dense_below, bool)
    present[values[~big] if big.any() else values] = True
    small_u = np.flatnonzero(present).astype(np.uint32)
    rank = np.cumsum(present, dtype=np.int32) - 1
    if not big.any():
        return small_u, rank[values]
    big_u = np.unique(values[big])
    codes = np.empty(len(values), np.int32)
    codes[~big] = rank[values[~big]]
    codes[big] = len(small_u) + np.searchsorted(big_u, values[big])
    return np.concatenate([small_u, big_u.astype(np.uint32)]), codes


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_inverse=True)` by hashing (Arrow) and sorting only the distinct values.

    >>> u, i = unique_inverse(np.array([7, 3, 7, 5], np.uint32))
    >>> u.tolist(), i.tolist()
    ([3, 5, 7], [2, 0, 2, 1])
    """
    u, c = encode(values)
    if len(u) == 0:
        return u, c
    o = np.argsort(u, kind="stable")
    rank = np.empty(len(u), np.int64)
    rank[o] = np.arange(len(u))
    return u[o], rank[c]
