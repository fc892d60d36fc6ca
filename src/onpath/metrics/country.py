"""The country of a prefix and of an AS (SPEC §4), vectorised over tables.

Prefix: geolocation (the country holding most of the prefix's addresses) -> the RIR
delegated-extended records (again the country holding most of its addresses among the allocated or
assigned records overlapping it) -> the RIR data embedded in the ``iptocc`` package (looked up at the
prefix's first address) -> unknown. AS: its RIR ASN record -> AS-to-org country -> unknown.
Every answer comes with its basis (``geo``, ``rir``, ``iptocc <version>``, ``as-org``, ``unknown``).

Addresses are compared as integers: IPv4 exactly, IPv6 in /64 units (the upper 64 bits), so a
prefix longer than /64 counts as its /64.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

GOOD_STATUS = ("allocated", "assigned")
_NO_CC = ("", "ZZ", "EU", "AP")  # no single country


def iptocc_basis() -> str:
    """``iptocc <version>``: the basis label (and dataset date) of the embedded RIR data."""
    try:
        return f"iptocc {version('iptocc')}"
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return "iptocc"


def _as_str_array(x: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(x, pa.ChunkedArray):
        x = x.combine_chunks()
    if not isinstance(x, pa.Array):
        x = pa.array(list(x), type=pa.string())
    return x.cast(pa.string())


def _v6_range(text: str) -> tuple[int, int] | None:
    try:
        n = ipaddress.IPv6Network(text, strict=False)
    except ValueError:
        return None
    s = int(n.network_address) >> 64
    return s, (s if n.prefixlen >= 64 else s + (1 << (64 - n.prefixlen)) - 1)


def prefix_ranges(prefixes: Sequence[str] | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Families (4, 6; 0 when unparsable) and inclusive integer ranges of prefixes.

    IPv4 ranges are addresses; IPv6 ranges are /64 units.

    Examples
    --------
    >>> fam, s, e = prefix_ranges(["10.0.0.0/8", "2001:db8::/32", "x"])
    >>> fam.tolist(), int(e[0] - s[0] + 1)
    ([4, 6, 0], 16777216)
    """
    arr = _as_str_array(prefixes)
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
        ranges = [_v6_range(t) for t in uniq.to_pylist()]
        pos = pc.index_in(texts, uniq).to_numpy()
        okmask = np.array([r is not None for r in ranges], dtype=bool)
        us = np.array([r[0] if r else 0 for r in ranges], dtype=np.uint64)
        ue = np.array([r[1] if r else 0 for r in ranges], dtype=np.uint64)
        good = okmask[pos]
        fam[idx6[good]] = 6
        start[idx6] = us[pos]
        end[idx6] = ue[pos]
    return fam, start, end


def _flatten(s: np.ndarray, e: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted, non-overlapping intervals; where intervals nest, the innermost (latest) wins."""
    order = np.lexsort((-(e - s).astype(np.float64), s))
    s, e, c = s[order], e[order], c[order]
    if len(s) < 2 or (s[1:] > e[:-1]).all():
        return s, e, c
    out_s, out_e, out_c = [], [], []
    stack: list[tuple[int, int]] = []  # (end, code)
    pos = 0

    def emit(a: int, b: int, code: int) -> None:
        if a <= b:
            out_s.append(a)
            out_e.append(b)
            out_c.append(code)

    for si, ei, ci in zip(s.tolist(), e.tolist(), c.tolist(), strict=True):
        while stack and stack[-1][0] < si:
            te, tc = stack.pop()
            emit(pos, te, tc)
            pos = max(pos, te + 1)
        if stack:
            emit(pos, si - 1, stack[-1][1])
        stack.append((ei, ci))
        pos = si
    while stack:
        te, tc = stack.pop()
        emit(pos, te, tc)
        pos = max(pos, te + 1)
    return (np.array(out_s, dtype=np.uint64), np.array(out_e, dtype=np.uint64), np.array(out_c, dtype=np.int64))


def _majority(qs: np.ndarray, qe: np.ndarray, s: np.ndarray, e: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per query range, the code covering most of it among intervals (s, e, c) (-1: none)."""
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


def _lookup(fam, qs, qe, todo, t_fam, t_s, t_e, t_code):
    out = np.full(len(fam), -1, dtype=np.int64)
    for f in (4, 6):
        q = np.flatnonzero(todo & (fam == f))
        m = t_fam == f
        if len(q) and m.any():
            s, e, c = _flatten(t_s[m], t_e[m], t_code[m])
            out[q] = _majority(qs[q], qe[q], s, e, c)
    return out


def _rir_ranges(rir: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ok = pc.and_(pc.is_in(rir["status"], pa.array(GOOD_STATUS)),
                 pc.invert(pc.is_in(pc.fill_null(rir["cc"], ""), pa.array(_NO_CC))))
    t = rir.filter(ok)
    typ = t["type"].to_numpy(zero_copy_only=False)
    start = t["start"].to_pylist()
    val = t["value"].to_numpy(zero_copy_only=False)
    texts = []
    for ty, st, v in zip(typ, start, val, strict=True):
        if ty == "ipv6":
            texts.append(f"{st}/{v}")
        else:
            texts.append("")
    fam, s, e = prefix_ranges(texts)
    v4 = typ == "ipv4"
    for i in np.flatnonzero(v4):
        try:
            a = int(ipaddress.IPv4Address(start[i]))
        except ValueError:
            continue
        fam[i], s[i], e[i] = 4, a, a + int(val[i]) - 1
    return fam, s, e, t["cc"].to_numpy(zero_copy_only=False)


def prefix_country(prefixes: Sequence[str] | pa.Array | pa.ChunkedArray, geo: pa.Table | None = None,
                   rir: pa.Table | None = None) -> tuple[pa.Array, pa.Array]:
    """The country of each prefix and the basis of each answer.

    Parameters
    ----------
    prefixes : sequence of str or pyarrow string array
        Prefixes in text form.
    geo : pyarrow.Table, optional
        A ``geo`` table (``prefix``, ``cc``).
    rir : pyarrow.Table, optional
        A ``rir`` table (delegated-extended records of one or more registries).

    Returns
    -------
    (pyarrow.StringArray, pyarrow.StringArray)
        ``cc`` (null when unknown) and ``basis`` (``geo``, ``rir``, ``iptocc <version>``, ``unknown``).

    Examples
    --------
    >>> import pyarrow as pa
    >>> geo = pa.table({"prefix": ["10.0.0.0/9", "10.128.0.0/10"], "cc": ["US", "CN"]})
    >>> cc, basis = prefix_country(["10.0.0.0/8", "10.128.0.0/10"], geo=geo)
    >>> cc.to_pylist(), basis.to_pylist()
    (['US', 'CN'], ['geo', 'geo'])
    """
    arr = _as_str_array(prefixes)
    fam, qs, qe = prefix_ranges(arr)
    n = len(arr)
    cc = np.full(n, None, dtype=object)
    basis = np.full(n, "unknown", dtype=object)
    todo = fam > 0
    for label, table in (("geo", geo), ("rir", rir)):
        if table is None or table.num_rows == 0 or not todo.any():
            continue
        if label == "geo":
            tf, ts, te = prefix_ranges(table["prefix"])
            codes_txt = table["cc"].to_numpy(zero_copy_only=False)
        else:
            tf, ts, te, codes_txt = _rir_ranges(table)
        names, codes = np.unique(np.array([x or "" for x in codes_txt], dtype=object), return_inverse=True)
        found = _lookup(fam, qs, qe, todo, tf, ts, te, codes.astype(np.int64))
        hit = found >= 0
        hit[hit] = names[found[hit]] != ""
        cc[hit] = names[found[hit]]
        basis[hit] = label
        todo &= ~hit
    if todo.any():
        import iptocc

        idx = np.flatnonzero(todo)
        addrs = [p.split("/", 1)[0] for p in pc.take(arr, pa.array(idx)).to_pylist()]
        uniq = sorted(set(addrs))
        looked = dict(zip(uniq, iptocc.country_code(uniq), strict=True))
        lab = iptocc_basis()
        for i, a in zip(idx.tolist(), addrs, strict=True):
            r = looked.get(a)
            if r:
                cc[i] = r
                basis[i] = lab
    return pa.array(cc.tolist(), type=pa.string()), pa.array(basis.tolist(), type=pa.string())


def as_country(asns: Sequence[int] | pa.Array | np.ndarray, rir: pa.Table | None = None,
               as_org: pa.Table | None = None) -> tuple[pa.Array, pa.Array]:
    """The country of each AS and the basis of each answer.

    Parameters
    ----------
    asns : sequence of int
        AS numbers.
    rir : pyarrow.Table, optional
        ``rir`` records; ASN ranges ``start .. start + value - 1`` that are allocated or assigned.
    as_org : pyarrow.Table, optional
        ``as_org`` rows (``asn``, ``country``).

    Returns
    -------
    (pyarrow.StringArray, pyarrow.StringArray)
        ``cc`` (null when unknown) and ``basis`` (``rir``, ``as-org``, ``unknown``).

    Examples
    --------
    >>> import pyarrow as pa
    >>> org = pa.table({"asn": pa.array([4134, 7], pa.uint32()), "country": ["CN", "US"]})
    >>> as_country([4134, 1], as_org=org)[0].to_pylist()
    ['CN', None]
    """
    a = np.asarray(asns.to_numpy(zero_copy_only=False) if isinstance(asns, pa.Array | pa.ChunkedArray) else asns,
                   dtype=np.int64)
    cc = np.full(len(a), None, dtype=object)
    basis = np.full(len(a), "unknown", dtype=object)
    todo = np.ones(len(a), dtype=bool)
    if rir is not None and rir.num_rows:
        t = rir.filter(pc.and_(pc.and_(pc.equal(rir["type"], "asn"), pc.is_in(rir["status"], pa.array(GOOD_STATUS))),
                               pc.invert(pc.is_in(pc.fill_null(rir["cc"], ""), pa.array(_NO_CC)))))
        if t.num_rows:
            s = pc.cast(t["start"], pa.int64()).to_numpy()
            e = s + t["value"].to_numpy() - 1
            c = t["cc"].to_numpy(zero_copy_only=False)
            o = np.argsort(s, kind="stable")
            s, e, c = s[o], e[o], c[o]
            i = np.searchsorted(s, a, side="right") - 1
            hit = (i >= 0) & (e[np.maximum(i, 0)] >= a)
            cc[hit] = c[i[hit]]
            basis[hit] = "rir"
            todo &= ~hit
    if as_org is not None and as_org.num_rows and todo.any():
        t = as_org.filter(pc.invert(pc.is_in(pc.fill_null(as_org["country"], ""), pa.array(_NO_CC[:2]))))
        oa = t["asn"].to_numpy(zero_copy_only=False).astype(np.int64)
        oc = t["country"].to_numpy(zero_copy_only=False)
        ua, first = np.unique(oa, return_index=True)
        j = np.searchsorted(ua, a)
        jj = np.minimum(j, max(len(ua) - 1, 0))
        hit = todo & (len(ua) > 0) & (ua[jj] == a) if len(ua) else np.zeros(len(a), dtype=bool)
        cc[hit] = oc[first[jj[hit]]]
        basis[hit] = "as-org"
    return pa.array(cc.tolist(), type=pa.string()), pa.array(basis.tolist(), type=pa.string())
