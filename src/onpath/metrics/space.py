"""Address space without double counting (SPEC §4), on NumPy arrays.

Each address counts once, for the most specific prefix covering it among the prefixes given.
IPv4 is counted in /24 units (fractions below /24), IPv6 in /48 units; the two are never summed.
IPv6 prefixes are compared on their first 64 bits (a prefix longer than /64 keeps its own size but
is not subtracted from another prefix longer than /64).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.v6text import v6_prefixes

UNIT_LEN = {4: 24, 6: 48}
KEY_BITS = {4: 32, 6: 64}


def parse_prefixes(prefixes: pa.Array | list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split canonical prefix strings into (family, network key, length).

    The key is the IPv4 network as an integer, or the first 64 bits of the IPv6 network.
    Unparseable strings get family 0.

    >>> fam, key, ln = parse_prefixes(["10.0.0.0/8", "2001:db8::/32", "x"])
    >>> fam.tolist(), key.tolist()[0], ln.tolist()
    ([4, 6, 0], 167772160, [8, 32, 0])
    """
    arr = pa.array(prefixes, pa.string()) if not isinstance(prefixes, pa.Array | pa.ChunkedArray) else prefixes
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    n = len(arr)
    fam = np.zeros(n, np.int8)
    key = np.zeros(n, np.uint64)
    ln = np.zeros(n, np.int16)
    if n == 0:
        return fam, key, ln
    is6 = pc.fill_null(pc.match_substring(arr, ":"), False).to_numpy(zero_copy_only=False)
    i4 = np.flatnonzero(~is6 & ~arr.is_null().to_numpy(zero_copy_only=False))
    if len(i4):
        sub = arr.take(pa.array(i4))
        try:
            parts = pc.split_pattern(sub, "/")
            good = (pc.list_value_length(parts).to_numpy(zero_copy_only=False) == 2)
            addr = pc.list_element(parts, 0)
            oct_ = pc.split_pattern(addr, ".")
            good &= pc.list_value_length(oct_).to_numpy(zero_copy_only=False) == 4
            if not good.all():
                raise ValueError("slow path")
            flat = pc.cast(pc.list_flatten(oct_), pa.int64()).to_numpy().reshape(-1, 4)
            plen = pc.cast(pc.list_element(parts, 1), pa.int64()).to_numpy()
        except (ValueError, pa.ArrowInvalid):
            flat, plen = _slow_v4(sub.to_pylist())
        good = (flat >= 0).all(axis=1) & (flat <= 255).all(axis=1) & (plen >= 0) & (plen <= 32)
        k = (flat[:, 0] << 24) | (flat[:, 1] << 16) | (flat[:, 2] << 8) | flat[:, 3]
        fam[i4[good]] = 4
        key[i4[good]] = k[good].astype(np.uint64)
        ln[i4[good]] = plen[good]
    i6 = np.flatnonzero(is6)
    if len(i6):
        ok, hi, l6 = v6_prefixes(arr.take(pa.array(i6)))
        fam[i6[ok]] = 6
        key[i6[ok]] = hi[ok]
        ln[i6[ok]] = l6[ok]
    return fam, key, ln


def _slow_v4(strs: list) -> tuple[np.ndarray, np.ndarray]:
    flat = np.full((len(strs), 4), -1, np.int64)
    plen = np.full(len(strs), -1, np.int64)
    for i, x in enumerate(strs):
        try:
            a, b = x.split("/")
            o = [int(y) for y in a.split(".")]
            if len(o) == 4:
                flat[i], plen[i] = o, int(b)
        except (ValueError, AttributeError):
            pass
    return flat, plen


def _mask(length: int, bits: int) -> np.uint64:
    if length <= 0:
        return np.uint64(0)
    return np.uint64(((1 << length) - 1) << (bits - length))


def longest_cover(qkey: np.ndarray, qlen: np.ndarray, rkey: np.ndarray, rlen: np.ndarray, bits: int,
                  strict: bool = False) -> np.ndarray:
    """Index into the reference prefixes of the longest one covering each query prefix (-1: none).

    With `strict`, a reference prefix equal to the query does not count (its parent is sought).
    """
    out = np.full(len(qkey), -1, np.int64)
    qlen = qlen.astype(np.int64)
    rlen = rlen.astype(np.int64)
    for L in sorted(set(rlen.tolist()), reverse=True):
        if L > bits:
            continue  # longer than the key: never a parent
        sel = np.flatnonzero(rlen == L)
        rk = rkey[sel] & _mask(L, bits)
        order = np.argsort(rk, kind="stable")
        rk, sel = rk[order], sel[order]
        cand = np.flatnonzero((out < 0) & ((qlen > L) if strict else (qlen >= L)))
        if len(cand) == 0:
            continue
        mk = qkey[cand] & _mask(L, bits)
        pos = np.searchsorted(rk, mk)
        pos_c = np.minimum(pos, len(rk) - 1)
        hit = rk[pos_c] == mk
        out[cand[hit]] = sel[pos_c[hit]]
    return out


def units(family: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Size of each prefix in /24 (IPv4) or /48 (IPv6) units; 0 for family 0."""
    ul = np.where(family == 6, 48, 24).astype(np.float64)
    u = np.exp2(ul - length.astype(np.float64))
    return np.where(family == 0, 0.0, u)


def effective_units(prefixes: pa.Array | list) -> tuple[np.ndarray, np.ndarray]:
    """Per prefix: (family, units counted for it alone, i.e. minus its more specific prefixes).

    Duplicated prefixes share their space (each copy gets it; sum unique prefixes only).

    Examples
    --------
    A /22 with one of its /24s announced apart, and an IPv6 /32 with a /48 inside:

    >>> fam, u = effective_units(["10.0.0.0/22", "10.0.1.0/24", "2001:db8::/32", "2001:db8::/48"])
    >>> u.tolist()
    [3.0, 1.0, 65535.0, 1.0]
    """
    fam, key, ln = parse_prefixes(prefixes)
    out = np.zeros(len(fam), np.float64)
    for f in (4, 6):
        idx = np.flatnonzero(fam == f)
        if len(idx) == 0:
            continue
        bits = KEY_BITS[f]
        k, ln_f = key[idx], ln[idx].astype(np.int64)
        # unique prefixes (key, len)
        comb = np.stack([k, ln_f.astype(np.uint64)], axis=1)
        uniq, inv = np.unique(comb, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        uk, ul = uniq[:, 0], uniq[:, 1].astype(np.int64)
        size = np.exp2(UNIT_LEN[f] - ul.astype(np.float64))
        # prefixes longer than the key width are clipped: they never act as parents
        parent = longest_cover(uk, ul, uk, ul, bits, strict=True)
        child = np.bincount(parent[parent >= 0], weights=size[parent >= 0], minlength=len(uk))
        eff = np.maximum(size - child, 0.0)
        out[idx] = eff[inv]
    return fam, out
