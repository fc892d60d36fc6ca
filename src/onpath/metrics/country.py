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

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.ipranges import as_str_array, lookup, prefix_ranges

GOOD_STATUS = ("allocated", "assigned")
_NO_CC = ("", "ZZ", "EU", "AP")  # no single country


def iptocc_basis() -> str:
    """``iptocc <version>``: the basis label (and dataset date) of the embedded RIR data."""
    try:
        return f"iptocc {version('iptocc')}"
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return "iptocc"


def _rir_ranges(rir: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ok = pc.and_(pc.is_in(rir["status"], pa.array(GOOD_STATUS)),
                 pc.invert(pc.is_in(pc.fill_null(rir["cc"], ""), pa.array(_NO_CC))))
    t = rir.filter(ok)
    is4 = pc.equal(t["type"], "ipv4")
    val = t["value"].to_numpy(zero_copy_only=False)
    # IPv6 records are prefixes (start/len); IPv4 records are a start and a count of addresses
    suffix = pc.if_else(is4, "/32", pc.binary_join_element_wise("/", pc.cast(t["value"], pa.string()), ""))
    texts = pc.binary_join_element_wise(t["start"], suffix, "")
    texts = pc.if_else(pc.is_in(t["type"], pa.array(["ipv4", "ipv6"])), texts, "")
    fam, s, e = prefix_ranges(texts)
    v4 = (fam == 4) & is4.to_numpy(zero_copy_only=False)
    e[v4] = s[v4] + np.maximum(val[v4], 1).astype(np.uint64) - np.uint64(1)
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
    arr = as_str_array(prefixes)
    fam, qs, qe = prefix_ranges(arr)
    n = len(arr)
    names: list[str] = []  # country codes seen; cc_idx points into it (-1: unknown)
    labels = ["unknown", "geo", "rir", iptocc_basis()]
    cc_idx = np.full(n, -1, dtype=np.int32)
    basis = np.zeros(n, dtype=np.int8)
    todo = fam > 0
    for label, table in ((1, geo), (2, rir)):
        if table is None or table.num_rows == 0 or not todo.any():
            continue
        if label == 1:
            tf, ts, te = prefix_ranges(table["prefix"])
            codes_txt = pc.fill_null(table["cc"], "")
        else:
            tf, ts, te, codes_np = _rir_ranges(table)
            codes_txt = pa.array(codes_np, type=pa.string())
        enc = pc.dictionary_encode(as_str_array(codes_txt))
        order = sorted(range(len(enc.dictionary)), key=enc.dictionary.to_pylist().__getitem__)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))  # codes in alphabetical order: ties go to the first name
        dnames = [enc.dictionary[i].as_py() for i in order]
        found = lookup(fam, qs, qe, todo, tf, ts, te, rank[enc.indices.to_numpy(zero_copy_only=False)])
        remap = np.array([len(names) + i if c else -1 for i, c in enumerate(dnames)] or [-1], dtype=np.int32)
        names.extend(dnames)
        hit = found >= 0
        hit[hit] = remap[found[hit]] >= 0
        cc_idx[hit] = remap[found[hit]]
        basis[hit] = label
        todo &= ~hit
    if todo.any():
        import iptocc

        idx = np.flatnonzero(todo)
        addrs = pc.replace_substring_regex(pc.take(arr, pa.array(idx)), "/.*$", "")
        uniq = pc.unique(addrs)
        res = pa.array(iptocc.country_code(uniq.to_pylist()), type=pa.string())
        enc = pc.dictionary_encode(res)
        got = pc.take(enc.indices, pc.index_in(addrs, uniq)).to_numpy(zero_copy_only=False)
        got = np.where(np.isnan(got.astype(np.float64)), -1, got).astype(np.int64) if got.dtype.kind == "f" else got.astype(np.int64)
        hit = got >= 0
        cc_idx[idx[hit]] = len(names) + got[hit]
        basis[idx[hit]] = 3
        names.extend(enc.dictionary.to_pylist())
    cc = pa.DictionaryArray.from_arrays(pa.array(cc_idx, mask=cc_idx < 0), pa.array(names or [""], type=pa.string()))
    return cc.cast(pa.string()), pc.take(pa.array(labels), pa.array(basis))


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


def _snap_table(snap, name: str, columns: list[str] | None = None) -> pa.Table | None:
    if snap is None or not snap.has(name):
        return None
    t = snap.table(name, columns=columns)
    return t if t.num_rows else None


def prefix_country_table(snap, prefixes: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.Table:
    """`prefix_country` over a snapshot's ``geo`` and ``rir`` tables, as a table.

    Parameters
    ----------
    snap : onpath.store.Snapshot or None
        Anything with ``has(name)`` and ``table(name, columns=None)``.
    prefixes : sequence of str or pyarrow string array
        The prefixes.

    Returns
    -------
    pyarrow.Table
        ``prefix``, ``cc``, ``basis``.
    """
    arr = as_str_array(prefixes)
    cc, basis = prefix_country(arr, geo=_snap_table(snap, "geo", ["prefix", "cc"]), rir=_snap_table(snap, "rir"))
    return pa.table({"prefix": arr, "cc": cc, "basis": basis})


def as_country_map(snap, asns: Sequence[int]) -> tuple[dict[int, str], dict[int, str]]:
    """`as_country` over a snapshot's ``rir`` and ``as_org`` tables, as ``({asn: cc}, {asn: basis})``.

    ASes of unknown country are left out of both dicts.
    """
    a = [int(x) for x in asns]
    cc, basis = as_country(a, rir=_snap_table(snap, "rir"), as_org=_snap_table(snap, "as_org", ["asn", "country"]))
    out_cc: dict[int, str] = {}
    out_b: dict[int, str] = {}
    for asn, c, b in zip(a, cc.to_pylist(), basis.to_pylist(), strict=True):
        if c is not None:
            out_cc[asn], out_b[asn] = c, b
    return out_cc, out_b
