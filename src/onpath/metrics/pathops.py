"""Operations on flat path arrays (hops concatenated, offsets per row) and dictionary codes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


def collapse_prepending(values: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop a hop equal to the one before it in the same path.

    >>> v, o = collapse_prepending(np.array([1, 1, 2, 2, 2, 3, 3], np.uint32), np.array([0, 4, 7]))
    >>> v.tolist(), o.tolist()
    ([1, 2, 2, 3], [0, 2, 4])
    """
    if len(values) < 2:
        return values, np.asarray(offsets)
    drop = np.flatnonzero(values[1:] == values[:-1]) + 1  # a repeat of the hop before (sparse)
    if len(drop):  # never the first hop of a row: offsets is sorted, look each candidate up
        drop = drop[offsets[np.searchsorted(offsets, drop, side="right") - 1] != drop]
    if len(drop) == 0:
        return values, np.asarray(offsets)
    keep = np.ones(len(values), bool)
    keep[drop] = False
    # hops dropped before each offset, without a cumulative sum over every hop
    return values[keep], np.asarray(offsets) - np.searchsorted(drop, offsets, side="left")


def loop_rows(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per row: some AS appears twice (after collapsing). Rows of each length are sorted as a 2-D block.

    >>> loop_rows(np.array([1, 2, 1, 3, 4], np.uint32), np.array([0, 3, 5])).tolist()
    [True, False]
    """
    lens = np.diff(offsets)
    out = np.zeros(len(lens), bool)
    for L in np.unique(lens[lens >= 3]).tolist():
        rows = np.flatnonzero(lens == L)
        block = values[offsets[rows][:, None] + np.arange(L)]
        block.sort(axis=1)
        out[rows] = (block[:, 1:] == block[:, :-1]).any(axis=1)
    return out


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
    combo, inv = unique_inverse(ci * n2 + ii)
    keys = vp_key(cd.take(pa.array(combo // n2)), idic.take(pa.array(combo % n2)))
    m = pc.fill_null(pc.index_in(keys, value_set=vp_key(vps.column("collector"), vps.column("peer_ip"))), -1)
    return m.to_numpy(zero_copy_only=False).astype(np.int32)[inv.reshape(-1)]


def vp_key(collector, peer_ip) -> pa.Array:
    """`collector|peer_ip`, the vantage point's text identifier."""
    return pc.binary_join_element_wise(_str(collector), _str(peer_ip), "|")
