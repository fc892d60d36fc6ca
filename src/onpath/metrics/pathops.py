"""Operations on flat path arrays (hops concatenated, offsets per row) and dictionary codes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics import _pathcore
from onpath.metrics.arrays import unique_inverse


def _dict_codes(col: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """(int32 codes, dictionary) of a column, dictionary-encoding it when it is not."""
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)  # one hash table over every chunk
        col = col if isinstance(col, pa.ChunkedArray) else pa.chunked_array([col])
    if col.num_chunks == 0:
        return np.zeros(0, np.int32), pa.array([], pa.string())
    if not _shared_dictionary(col):
        col = col.unify_dictionaries()
    dic = col.chunk(0).dictionary
    idx = np.concatenate([c.indices.to_numpy(zero_copy_only=False).astype(np.int32) for c in col.chunks]) if len(col) else np.zeros(0, np.int32)
    return idx, dic.cast(pa.string())


def _shared_dictionary(col: pa.ChunkedArray) -> bool:
    """Every chunk holds the very same dictionary (same buffers), e.g. the output of
    `pc.dictionary_encode` on a chunked array: its codes are already global."""
    d0 = col.chunk(0).dictionary
    key = tuple(b.address if b is not None else None for b in d0.buffers())
    return all(len(c.dictionary) == len(d0) and c.dictionary.offset == d0.offset
               and tuple(b.address if b is not None else None for b in c.dictionary.buffers()) == key
               for c in col.chunks[1:])


def normalize_paths(chunks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Selected rows of flat path chunks, prepending collapsed, with a loop flag per row.

    Parameters
    ----------
    chunks : iterable of (values, offsets, rows)
        uint32 hops, offsets (row r is values[offsets[r]:offsets[r + 1]]) and the ascending
        indices of the rows to keep, per chunk (e.g. per Arrow chunk of an `as_path` column).

    Returns
    -------
    (values, offsets, has_loop)
        uint32 hops and int64 offsets of the kept rows in order; has_loop: some AS appears twice
        after collapsing.

    >>> v, o, loop = normalize_paths([(np.array([1, 1, 2, 2, 2, 3, 3, 2], np.uint32), np.array([0, 4, 8]),
    ...                                np.array([0, 1]))])
    >>> v.tolist(), o.tolist(), loop.tolist()
    ([1, 2, 2, 3, 2], [0, 2, 5], [False, True])
    """
    chunks = [(np.ascontiguousarray(v, np.uint32), np.ascontiguousarray(o, np.int64), np.ascontiguousarray(r, np.int64))
              for v, o, r in chunks]
    m = sum(len(r) for _, _, r in chunks)
    cap = int(sum(int((o[r + 1] - o[r]).sum()) for _, o, r in chunks))
    values = np.empty(cap, np.uint32)
    offsets = np.zeros(m + 1, np.int64)
    has_loop = np.zeros(m, bool)
    vpos = rpos = 0
    for v, o, r in chunks:
        if len(r):
            vpos = _pathcore.normalize(v, o, r, values, offsets, has_loop, vpos, rpos)
            rpos += len(r)
    return values[:vpos], offsets, has_loop


def hash_rows(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per row: a 64-bit hash of its AS path (equal paths, equal hashes).

    >>> h = hash_rows(np.array([1, 2, 1, 2, 2, 1], np.uint32), np.array([0, 2, 4, 6]))
    >>> bool(h[0] == h[1]), bool(h[0] == h[2])
    (True, False)
    """
    out = np.empty(len(offsets) - 1, np.uint64)
    _pathcore.hash_rows(np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64), out)
    return out


_MODES = {"any": 0, "transit": 1, "notlast": 2}


def rows_with(values: np.ndarray, offsets: np.ndarray, members, where: str = "any") -> np.ndarray:
    """Per row: one of `members` is on the path at a hop of kind `where`: 'any', 'transit' (not
    first, not last) or 'notlast'.

    >>> rows_with(np.array([1, 3, 5, 3, 5], np.uint32), np.array([0, 3, 5]), {3}, "transit").tolist()
    [True, False]
    """
    mem = np.unique(np.asarray(list(members) if not isinstance(members, np.ndarray) else members, np.uint32))
    out = np.zeros(len(offsets) - 1, bool)
    _pathcore.rows_with(np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64),
                        mem, _MODES[where], out)
    return out


def _check_rows(rows: np.ndarray, offsets: np.ndarray) -> None:
    if len(rows) and (int(rows.min()) < 0 or int(rows.max()) >= len(offsets) - 1):
        raise ValueError(f"rows outside 0..{len(offsets) - 2}")


def rows_with_all(values: np.ndarray, offsets: np.ndarray, members) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`rows_with` for 'any', 'transit' and 'notlast' at once (one pass over the hops).

    >>> [m.tolist() for m in rows_with_all(np.array([1, 3, 5, 3, 5], np.uint32), np.array([0, 3, 5]), {3})]
    [[True, True], [True, False], [True, True]]
    """
    mem = np.unique(np.asarray(list(members) if not isinstance(members, np.ndarray) else members, np.uint32))
    n = len(offsets) - 1
    out = (np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool))
    _pathcore.rows_with_all(np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64), mem, *out)
    return out


def transit_hops(values: np.ndarray, offsets: np.ndarray, rows: np.ndarray, start=1):
    """(row, hop, distance to the origin) of the selected rows' hops from position `start` (one per
    row, or one for all; -1 ... as 0) to the hop before the origin.

    >>> r, a, d = transit_hops(np.array([1, 3, 4, 5, 2, 5], np.uint32), np.array([0, 4, 6]), np.array([0, 1]))
    >>> r.tolist(), a.tolist(), d.tolist()
    ([0, 0], [3, 4], [2, 1])
    """
    values, offsets = np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64)
    rows = np.ascontiguousarray(rows, np.int64)
    _check_rows(rows, offsets)
    lens = offsets[rows + 1] - offsets[rows]
    if np.ndim(start):  # one start per row
        st = np.ascontiguousarray(start, np.int32)
        if len(st) != len(rows):
            raise ValueError(f"transit_hops: {len(st)} starts for {len(rows)} rows")
        s = np.maximum(st.astype(np.int64), 0)
    else:
        st = np.full(1, int(start), np.int32)
        s = max(int(start), 0)
    cap = int(np.maximum(lens - 1 - s, 0).sum())
    r, a, d = np.empty(cap, np.int64), np.empty(cap, np.uint32), np.empty(cap, np.int32)
    n = _pathcore.emit_hops(values, offsets, rows, st, r, a, d) if len(rows) else 0
    return r[:n], a[:n], d[:n]


def first_link(values: np.ndarray, offsets: np.ndarray, rows: np.ndarray, links: np.ndarray) -> np.ndarray:
    """Per row of the bool mask `rows`: position of the first hop i whose link (hop i, hop i+1),
    as hop_i << 32 | hop_i+1, is in the sorted uint64 array `links`; -1 when none or not selected.

    >>> first_link(np.array([1, 3, 5, 2, 4, 6], np.uint32), np.array([0, 3, 6]), np.array([True, True]),
    ...            np.array([(3 << 32) | 5], np.uint64)).tolist()
    [1, -1]
    """
    out = np.empty(len(offsets) - 1, np.int32)
    _pathcore.first_link(np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64),
                         np.ascontiguousarray(rows, bool), np.ascontiguousarray(links, np.uint64), out)
    return out


def adjacent_links(values: np.ndarray, offsets: np.ndarray, rows: np.ndarray, members):
    """(row, member, other) for every link of the selected rows with exactly one end in `members`.

    >>> r, m, o = adjacent_links(np.array([1, 3, 5, 3, 4], np.uint32), np.array([0, 3, 5]), np.array([0, 1]), {3})
    >>> r.tolist(), m.tolist(), o.tolist()
    ([0, 0, 1], [3, 3, 3], [1, 5, 4])
    """
    values, offsets = np.ascontiguousarray(values, np.uint32), np.ascontiguousarray(offsets, np.int64)
    rows = np.ascontiguousarray(rows, np.int64)
    _check_rows(rows, offsets)
    mem = np.unique(np.asarray(list(members) if not isinstance(members, np.ndarray) else members, np.uint32))
    cap = int(np.maximum(offsets[rows + 1] - offsets[rows] - 1, 0).sum())
    r, m, o = np.empty(cap, np.int64), np.empty(cap, np.uint32), np.empty(cap, np.uint32)
    n = _pathcore.adjacent(values, offsets, rows, mem, r, m, o)
    return r[:n], m[:n], o[:n]


def _str(col) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    return col.cast(pa.string())


def _codes(col) -> tuple[np.ndarray, pa.Array]:
    """(int64 codes, string dictionary) of a column; cheap when it is dictionary-encoded."""
    if isinstance(col, pa.ChunkedArray):
        col = col.unify_dictionaries() if pa.types.is_dictionary(col.type) else col
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)
    idx = col.indices.to_numpy(zero_copy_only=False)
    idx = np.where(col.indices.is_null().to_numpy(zero_copy_only=False), -1, idx) if col.indices.null_count else idx
    return idx.astype(np.int64), col.dictionary.cast(pa.string())


def index_in(col, value_set: pa.Array) -> np.ndarray:
    """Per row: index of its value in `value_set` (-1 when absent), via the column's dictionary."""
    idx, dic = _codes(col)
    m = pc.fill_null(pc.index_in(dic, value_set=value_set), -1).to_numpy(zero_copy_only=False).astype(np.int64)
    m = np.append(m, -1)  # null codes (-1) map to -1
    return m[idx].astype(np.int32)


def vp_index(collector, peer_ip, vps: pa.Table) -> np.ndarray:
    """Per row: index of its (collector, peer_ip) in `vps` (-1 when absent)."""
    ci, cd = _codes(collector)
    ii, idic = _codes(peer_ip)
    n2 = len(idic) + 1
    key = ci * n2 + ii
    if len(key) and int(key.min()) >= 0 and int(key.max()) < max(1 << 16, 4 * len(key)):  # few collectors x peers
        present = np.bincount(key) > 0
        combo = np.flatnonzero(present)
        inv = (np.cumsum(present, dtype=np.int64) - 1)[key]
    else:
        combo, inv = unique_inverse(key)
    keys = vp_key(cd.take(pa.array(combo // n2)), idic.take(pa.array(combo % n2)))
    m = pc.fill_null(pc.index_in(keys, value_set=vp_key(vps.column("collector"), vps.column("peer_ip"))), -1)
    return m.to_numpy(zero_copy_only=False).astype(np.int32)[inv.reshape(-1)]


def vp_key(collector, peer_ip) -> pa.Array:
    """`collector|peer_ip`, the vantage point's text identifier."""
    return pc.binary_join_element_wise(_str(collector), _str(peer_ip), "|")
