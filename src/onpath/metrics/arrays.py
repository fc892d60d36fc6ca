"""Array helpers shared by the metrics: membership against a small ASN set, hash group sums."""

from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa

_BIG = 1 << 20


def isin_sorted(values: np.ndarray, members) -> np.ndarray:
    """`np.isin` for a large array against a small set of ASNs, by binary search.

    >>> isin_sorted(np.array([5, 1, 7], np.uint32), {7, 1}).tolist()
    [False, True, True]
    """
    w = np.asarray(list(members) if not isinstance(members, np.ndarray) else members)
    w = np.unique(w.astype(values.dtype, copy=False)) if len(w) else w
    if len(w) == 0 or len(values) == 0:
        return np.zeros(len(values), bool)
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
    """(distinct keys, summed weights), hash-grouped by Arrow (no sort of the whole array)."""
    if len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    g = pa.table({"k": pa.array(keys), "w": pa.array(weights)}).group_by("k", use_threads=True).aggregate([("w", "sum")])
    return g.column("k").to_numpy(), g.column("w_sum").to_numpy()


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
