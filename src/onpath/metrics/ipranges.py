"""Prefixes as integer ranges, and majority-by-address lookups over sorted intervals (numpy).

IPv4 ranges are addresses; IPv6 ranges are /64 units (the upper 64 bits), so a prefix longer than
/64 counts as its /64. All ranges are inclusive and fit in uint64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics import _pathcore
from onpath.metrics.v6text import v6_prefixes


def as_str_array(x: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    """A string Arrow array from a list, an Arrow array or a chunked array."""
    if isinstance(x, pa.ChunkedArray):
        x = x.combine_chunks()
    if not isinstance(x, pa.Array):
        x = pa.array(list(x), type=pa.string())
    return x.cast(pa.string())


def prefix_ranges(prefixes: Sequence[str] | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Families (4, 6; 0 when unparsable) and inclusive integer ranges of prefixes.

    IPv4 ranges are addresses; IPv6 ranges are /64 units.

    Examples
    --------
    >>> fam, s, e = prefix_ranges(["10.0.0.0/8", "2001:db8::/32", "x"])
    >>> fam.tolist(), int(e[0] - s[0] + 1)
    ([4, 6, 0], 16777216)
    """
    arr = as_str_array(prefixes)
    n = len(arr)
    fam = np.zeros(n, dtype=np.int8)
    start = np.zeros(n, dtype=np.uint64)
    end = np.zeros(n, dtype=np.uint64)
    if n == 0:
        return fam, start, end
    filled = pc.fill_null(arr, "")
    is4 = pc.match_substring_regex(filled, r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/\d{1,2}$").to_numpy(zero_copy_only=False)
    idx4 = np.flatnonzero(is4)
    if len(idx4):
        parts = pc.split_pattern_regex(pc.take(filled, pa.array(idx4)), r"[./]")
        v = pc.cast(pc.list_flatten(parts), pa.int64()).to_numpy().reshape(-1, 5)
        ok = (v[:, :4] <= 255).all(axis=1) & (v[:, 4] <= 32)
        addr = (v[:, 0] << 24) | (v[:, 1] << 16) | (v[:, 2] << 8) | v[:, 3]
        size = np.left_shift(np.int64(1), 32 - np.minimum(v[:, 4], 32))
        addr = addr & ~(size - 1)
        good = idx4[ok]
        fam[good] = 4
        start[good] = addr[ok].astype(np.uint64)
        end[good] = (addr[ok] + size[ok] - 1).astype(np.uint64)
    has6 = pc.match_substring(filled, ":").to_numpy(zero_copy_only=False)
    idx6 = np.flatnonzero(has6)
    if len(idx6):
        texts = pc.take(filled, pa.array(idx6))
        uniq = pc.unique(texts)
        ok, hi, ln = v6_prefixes(uniq)
        ln = ln.astype(np.int64)
        size = np.where(ln < 64, np.left_shift(np.uint64(1), np.minimum(64 - ln, 63).astype(np.uint64)), np.uint64(1))
        size = np.where(ln == 0, np.uint64(0), size)  # ::/0 spans every /64: end below wraps to 2**64 - 1
        us, ue = hi, hi + size - np.uint64(1)
        pos = pc.index_in(texts, uniq).to_numpy()
        good = ok[pos]
        fam[idx6[good]] = 6
        start[idx6] = np.where(good, us[pos], 0)
        end[idx6] = np.where(good, ue[pos], 0)
    return fam, start, end


def flatten(s: np.ndarray, e: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted, non-overlapping intervals; where intervals nest, the innermost (latest) wins.

    Parameters
    ----------
    s, e : numpy.ndarray of uint64
        Inclusive starts and ends.
    c : numpy.ndarray of int
        A code per interval (e.g. a country index).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Starts, ends and codes of the pieces, sorted by start.

    Examples
    --------
    >>> import numpy as np
    >>> s, e, c = flatten(np.array([0, 4], np.uint64), np.array([15, 7], np.uint64), np.array([1, 2]))
    >>> s.tolist(), e.tolist(), c.tolist()
    ([0, 4, 8], [3, 7, 15], [1, 2, 1])
    """
    order = np.lexsort((-(e - s).astype(np.float64), s))
    s, e, c = s[order], e[order], c[order]
    if len(s) < 2 or (s[1:] > e[:-1]).all():
        return s, e, c
    n = len(s)
    out_s, out_e, out_c = np.empty(2 * n + 1, np.uint64), np.empty(2 * n + 1, np.uint64), np.empty(2 * n + 1, np.int64)
    k = _pathcore.flatten(np.ascontiguousarray(s, np.uint64), np.ascontiguousarray(e, np.uint64),
                          np.ascontiguousarray(c, np.int64), out_s, out_e, out_c)  # the stack sweep, in C
    return out_s[:k], out_e[:k], out_c[:k]


def majority(qs: np.ndarray, qe: np.ndarray, s: np.ndarray, e: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per query range, the code covering most of it among the intervals (-1: none).

    Parameters
    ----------
    qs, qe : numpy.ndarray of uint64
        Inclusive query ranges.
    s, e, c : numpy.ndarray
        Sorted, non-overlapping intervals (see `flatten`) and their codes.

    Returns
    -------
    numpy.ndarray of int64
        The code holding most of each query's addresses; ties go to the smaller code.

    Examples
    --------
    >>> import numpy as np
    >>> u = lambda *x: np.array(x, np.uint64)
    >>> majority(u(0, 20), u(9, 29), u(0, 3), u(2, 9), np.array([5, 6])).tolist()
    [6, -1]
    """
    res = np.full(len(qs), -1, dtype=np.int64)
    if len(qs) == 0 or len(s) == 0:
        return res
    lo = np.searchsorted(e, qs, side="left")
    hi = np.searchsorted(s, qe, side="right")
    k = np.maximum(hi - lo, 0)
    total = int(k.sum())
    if total == 0:
        return res
    qi = np.repeat(np.arange(len(qs)), k)
    first = np.cumsum(k) - k
    ii = lo[qi] + (np.arange(total) - first[qi])
    w = (np.minimum(qe[qi], e[ii]) - np.maximum(qs[qi], s[ii])).astype(np.float64) + 1.0
    code = c[ii]
    order = np.lexsort((code, qi))
    qi, code, w = qi[order], code[order], w[order]
    brk = np.flatnonzero((np.diff(qi) != 0) | (np.diff(code) != 0)) + 1
    starts = np.concatenate(([0], brk))
    sums = np.add.reduceat(w, starts)
    gq, gc = qi[starts], code[starts]
    best = np.lexsort((gc, -sums, gq))
    gq, gc = gq[best], gc[best]
    firsts = np.concatenate(([True], gq[1:] != gq[:-1]))
    res[gq[firsts]] = gc[firsts]
    return res


def lookup(fam: np.ndarray, qs: np.ndarray, qe: np.ndarray, todo: np.ndarray, t_fam: np.ndarray,
           t_s: np.ndarray, t_e: np.ndarray, t_code: np.ndarray) -> np.ndarray:
    """Per query (family, range) where `todo`, the majority code among the table's ranges (-1: none)."""
    out = np.full(len(fam), -1, dtype=np.int64)
    for f in (4, 6):
        q = np.flatnonzero(todo & (fam == f))
        m = t_fam == f
        if len(q) and m.any():
            s, e, c = flatten(t_s[m], t_e[m], t_code[m])
            out[q] = majority(qs[q], qe[q], s, e, c)
    return out
