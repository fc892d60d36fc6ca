"""IPv6 prefix texts -> the upper 64 bits of the network, in NumPy (no Python object per prefix).

A full table holds ~200,000 IPv6 prefixes; parsing them one by one with `ipaddress` costs seconds.
Here the texts become a byte matrix, each character gets its group (0-7, counted from the left
before "::" and from the right after it), and the groups' hex digits are summed column by column.
Texts outside the plain hex-and-colons form (an embedded IPv4 tail, odd spacing, anything invalid)
go through `ipaddress`, so every text gets exactly the standard library's answer.
"""

from __future__ import annotations

import ipaddress

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.full(256, -1, np.int16)
for _i, _c in enumerate("0123456789abcdef"):
    _HEX[ord(_c)] = _i
    _HEX[ord(_c.upper())] = _i
_COLON = ord(":")
_FAST = r"^[0-9A-Fa-f:]{2,39}/[0-9]{1,3}$"


def _slow(text: str) -> tuple[bool, int, int]:
    try:
        net = ipaddress.IPv6Network(text, strict=False)
    except ValueError:
        return False, 0, 0
    return True, int(net.network_address) >> 64, net.prefixlen


def v6_prefixes(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(valid, upper 64 bits of the network address, prefix length) of IPv6 prefix texts.

    Bits beyond the length are cleared, as `ipaddress.IPv6Network(text, strict=False)` does.

    >>> ok, hi, ln = v6_prefixes(pa.array(["2001:db8::/32", "2001:db8:1:2:3::/80", "::/0", "1::2::3/64", "::ffff:1.2.3.4/128"]))
    >>> ok.tolist(), [hex(x) for x in hi.tolist()], ln.tolist()
    ([True, True, True, False, True], ['0x20010db800000000', '0x20010db800010002', '0x0', '0x0', '0x0'], [32, 80, 0, 0, 128])
    """
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    texts = pc.fill_null(texts.cast(pa.string()), "")
    n = len(texts)
    ok = np.zeros(n, bool)
    hi = np.zeros(n, np.uint64)
    ln = np.zeros(n, np.int16)
    if n == 0:
        return ok, hi, ln
    fast = pc.match_substring_regex(texts, _FAST).to_numpy(zero_copy_only=False)
    fast &= ~pc.match_substring(texts, ":::").to_numpy(zero_copy_only=False)
    fi = np.flatnonzero(fast)
    if len(fi):
        sub = texts.take(pa.array(fi))
        parts = pc.split_pattern(sub, "/")
        addr = pc.list_element(parts, 0)
        plen = pc.cast(pc.list_element(parts, 1), pa.int64()).to_numpy()
        good, val = _parse_addresses(addr)
        good &= plen <= 128
        keep = plen < 64
        shift = np.where(keep, 64 - plen, 0).astype(np.uint64)
        mask = np.where(keep, ~((np.uint64(1) << shift) - np.uint64(1)), ~np.uint64(0))
        mask = np.where(plen == 0, np.uint64(0), mask)
        ok[fi] = good
        hi[fi] = np.where(good, val & mask, 0)
        ln[fi] = np.where(good, plen, 0)
        slow_more = fi[~good & (plen <= 128)]  # e.g. more than one "::": let ipaddress decide
    else:
        slow_more = np.zeros(0, np.int64)
    for i in np.concatenate([np.flatnonzero(~fast), slow_more]).tolist():
        t = texts[i].as_py()
        if ":" not in t:
            continue
        ok[i], h, ln[i] = _slow(t)
        hi[i] = np.uint64(h)
    return ok, hi, ln


def _parse_addresses(addr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(valid, upper 64 bits) of addresses made of hex digits and colons only (at most 39 chars)."""
    addr = addr.cast(pa.string())
    m = len(addr)
    off = np.frombuffer(addr.buffers()[1], np.int32)[addr.offset:addr.offset + m + 1].astype(np.int64)
    data = np.frombuffer(addr.buffers()[2], np.uint8) if m and addr.buffers()[2] is not None else np.zeros(1, np.uint8)
    lens = np.diff(off)
    W = int(lens.max()) if m else 0
    col = np.arange(W, dtype=np.int8)  # W <= 39: small types keep the m x W temporaries small
    inside = col[None, :] < lens[:, None].astype(np.int8)
    M = np.where(inside, data[np.minimum(off[:-1, None] + np.arange(W)[None, :], len(data) - 1)], np.uint8(0))
    colon = M == _COLON
    dbl = colon[:, :-1] & colon[:, 1:] if W > 1 else np.zeros((m, 0), bool)
    ndbl = dbl.sum(axis=1)
    dpos = np.where(ndbl > 0, dbl.argmax(axis=1), W).astype(np.int8)  # the "::" starts here (W: none)
    cs = np.cumsum(colon, axis=1, dtype=np.int8)
    ncolon = cs[:, -1] if W else np.zeros(m, np.int8)
    # group of each character: colons before it, or, right of "::", 7 minus the colons after it
    group = np.where(col[None, :] > dpos[:, None] + 1, 7 - (ncolon[:, None] - cs), cs - colon)
    isdig = inside & ~colon
    # validity: one "::" at most; 7 colons without it, at most 7 with it; no lone leading or
    # trailing colon; no group of more than 4 digits
    good = (ndbl <= 1) & np.where(ndbl == 1, ncolon <= 7, ncolon == 7)
    first_c = colon[:, 0] if W else np.zeros(m, bool)
    good &= ~first_c | (dpos == 0)
    last_c = colon[np.arange(m), np.maximum(lens - 1, 0)]
    good &= ~last_c | (dpos == lens - 2)
    good &= ~(isdig & ((group < 0) | (group > 7))).any(axis=1)  # (the regex admits hex digits only)
    # digits after each character in its run: the next colon (or the end) minus the position
    stop = np.where(colon | ~inside, col[None, :], np.int8(W))
    nxt = np.minimum.accumulate(stop[:, ::-1], axis=1)[:, ::-1]
    shift = (np.clip(nxt - col[None, :] - 1, 0, 3) * 4).astype(np.uint16)
    r, c = np.nonzero(isdig)
    key = r * 8 + np.clip(group[r, c], 0, 7)
    part = (_HEX[M[r, c]].astype(np.uint16) << shift[r, c]).astype(np.float64)
    val = np.bincount(key, weights=part, minlength=m * 8).reshape(m, 8).astype(np.uint64)
    gcount = np.bincount(key, minlength=m * 8).reshape(m, 8)
    good &= (gcount <= 4).all(axis=1)
    # without "::" every group needs a digit
    good &= (ndbl == 1) | (gcount > 0).all(axis=1)
    hi = (val[:, 0] << np.uint64(48)) | (val[:, 1] << np.uint64(32)) | (val[:, 2] << np.uint64(16)) | val[:, 3]
    return good, hi
