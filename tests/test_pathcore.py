"""The C path kernels (onpath.metrics._pathcore) against plain-Python definitions on random paths,
and their bounds checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onpath.metrics import _pathcore
from onpath.metrics.pathops import (
    adjacent_links,
    first_link,
    hash_rows,
    normalize_paths,
    rows_with,
    rows_with_all,
    transit_hops,
)

paths_st = st.lists(st.lists(st.integers(1, 9), max_size=40), min_size=1, max_size=30)


def _flat(paths):
    values = np.array([a for p in paths for a in p], np.uint32)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in paths])]).astype(np.int64)
    return values, offsets


@settings(max_examples=200, deadline=None)
@given(paths_st, st.sets(st.integers(1, 9), max_size=4), st.data())
def test_kernels_match_python(paths, members, data):
    values, offsets = _flat(paths)
    keep = sorted(data.draw(st.sets(st.integers(0, len(paths) - 1))))
    # normalize: prepending collapsed, loops found
    v, o, loop = normalize_paths([(values, offsets, np.array(keep, np.int64))])
    for k, r in enumerate(keep):
        col = [a for i, a in enumerate(paths[r]) if i == 0 or a != paths[r][i - 1]]
        assert v[o[k]:o[k + 1]].tolist() == col
        assert loop[k] == (len(set(col)) < len(col))
    # membership of three kinds
    m = members or {1}
    allk = rows_with_all(values, offsets, m)
    for kind, got in zip(("any", "transit", "notlast"), allk, strict=True):
        assert got.tolist() == rows_with(values, offsets, m, kind).tolist()
        want = [any(a in m for a in (p if kind == "any" else p[1:-1] if kind == "transit" else p[:-1])) for p in paths]
        assert got.tolist() == want
    # first link and the hops after it
    links = sorted({(a << 32) | b for a in range(1, 10) for b in range(1, 10) if (a + b) % 3 == 0})
    first = first_link(values, offsets, np.ones(len(paths), bool), np.array(links, np.uint64))
    for r, p in enumerate(paths):
        want = next((i for i in range(len(p) - 1) if (p[i] << 32 | p[i + 1]) in set(links)), -1)
        assert first[r] == want
    rows = np.flatnonzero(first >= 0)
    rr, aa, dd = transit_hops(values, offsets, rows, first[rows])
    want = [(r, paths[r][i], len(paths[r]) - 1 - i) for r in rows.tolist() for i in range(first[r], len(paths[r]) - 1)]
    assert list(zip(rr.tolist(), aa.tolist(), dd.tolist(), strict=True)) == want
    # links with one end watched
    rr, mine, other = adjacent_links(values, offsets, np.arange(len(paths)), m)
    want = [(r, x if x in m else y, y if x in m else x) for r, p in enumerate(paths)
            for x, y in zip(p, p[1:], strict=False) if (x in m) != (y in m)]
    assert list(zip(rr.tolist(), mine.tolist(), other.tolist(), strict=True)) == want
    # equal paths, equal hashes
    h = hash_rows(values, offsets)
    for i in range(len(paths)):
        for j in range(len(paths)):
            if paths[i] == paths[j]:
                assert h[i] == h[j]


def test_bad_buffers_raise_instead_of_reading_out_of_bounds():
    values = np.array([1, 2, 3], np.uint32)
    out = np.zeros(2, np.uint8)
    with pytest.raises(ValueError, match="beyond"):
        _pathcore.rows_with(values, np.array([0, 2, 9], np.int64), np.array([1], np.uint32), 0, out)
    with pytest.raises(ValueError, match="decrease"):
        _pathcore.rows_with(values, np.array([0, 2, 1], np.int64), np.array([1], np.uint32), 0, out)
    with pytest.raises(ValueError, match="sorted"):
        _pathcore.rows_with(values, np.array([0, 2, 3], np.int64), np.array([2, 1], np.uint32), 0, out)
    with pytest.raises(TypeError, match="item size"):
        _pathcore.rows_with(values.astype(np.int64), np.array([0, 2, 3], np.int64), np.array([1], np.uint32), 0, out)
    with pytest.raises(ValueError, match="outside"):
        transit_hops(values, np.array([0, 3]), np.array([5]))
    with pytest.raises(ValueError, match="output values needed"):
        _pathcore.normalize(values, np.array([0, 3], np.int64), np.array([0], np.int64), np.zeros(1, np.uint32),
                            np.zeros(2, np.int64), np.zeros(1, np.uint8), 0, 0)


def _flatten_py(s, e, c):
    """The reference sweep (Python ints: no overflow), on ranges sorted as `flatten` sorts them."""
    out, stack, pos = [], [], 0
    for si, ei, ci in zip(s, e, c, strict=True):
        while stack and stack[-1][0] < si:
            te, tc = stack.pop()
            if pos <= te:
                out.append((pos, te, tc))
            pos = max(pos, te + 1)
        if stack and pos <= si - 1:
            out.append((pos, si - 1, stack[-1][1]))
        stack.append((ei, ci))
        pos = si
    while stack:
        te, tc = stack.pop()
        if pos <= te:
            out.append((pos, te, tc))
        pos = max(pos, te + 1)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 64), st.integers(0, 6)), min_size=2, max_size=60), st.booleans())
def test_flatten_matches_the_python_sweep(items, top):
    from onpath.metrics.ipranges import flatten
    # prefix-like ranges: start aligned to its size; optionally near the top of the 64-bit space
    base = (2**64 - 2**7) if top else 0
    s, e = [], []
    for start, bits in items:
        size = 1 << bits
        a = base + (start * 2 // size) * size % 128
        s.append(a)
        e.append(min(a + size - 1, 2**64 - 1))
    s.append(0 if not top else base)
    e.append(2**64 - 1)  # one range spanning the whole space (the ::/0 of /64 units)
    c = list(range(len(s)))
    got_s, got_e, got_c = flatten(np.array(s, np.uint64), np.array(e, np.uint64), np.array(c, np.int64))
    order = sorted(range(len(s)), key=lambda i: (s[i], -(e[i] - s[i])))
    want = _flatten_py([s[i] for i in order], [e[i] for i in order], [c[i] for i in order])
    assert list(zip(got_s.tolist(), got_e.tolist(), got_c.tolist(), strict=True)) == want
