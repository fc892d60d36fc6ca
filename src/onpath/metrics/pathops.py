"""Operations on flat path arrays (hops concatenated, offsets per row) and dictionary codes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _dict_codes(col: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """(int32 codes, dictionary) of a column, dictionary-encoding it when it is not."""
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)
        col = col if isinstance(col, pa.ChunkedArray) else pa.chunked_array([col])
    col = col.unify_dictionaries()
    if col.num_chunks == 0:
        return np.zeros(0, np.int32), pa.array([], pa.string())
    dic = col.chunk(0).dictionary
    idx = np.concatenate([c.indices.to_numpy(zero_copy_only=False).astype(np.int32) for c in col.chunks]) if len(col) else np.zeros(0, np.int32)
    return idx, dic.cast(pa.string())


def collapse_prepending(values: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop a hop equal to the one before it in the same path.

    >>> v, o = collapse_prepending(np.array([1, 1, 2, 2, 2, 3, 3], np.uint32), np.array([0, 4, 7]))
    >>> v.tolist(), o.tolist()
    ([1, 2, 2, 3], [0, 2, 4])
    """
    keep = np.ones(len(values), bool)
    if len(values) > 1:
        keep[1:] = values[1:] != values[:-1]
    starts = offsets[:-1][offsets[:-1] < offsets[1:]]
    keep[starts] = True
    c = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return values[keep], c[offsets]


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
