"""Prefix and AS countries for the metrics, with the basis of each (SPEC §4).

Uses `onpath.metrics.country` (prefix_country / as_country) when it is there; otherwise this
module's own lookup in the same order: geolocation table (longest covering prefix), RIR
delegated-extended record covering the prefix's first address, the `iptocc` package, unknown.
AS: RIR delegated ASN record, otherwise AS-to-org.
"""

from __future__ import annotations

import ipaddress

import numpy as np
import pyarrow as pa

from onpath.metrics.space import longest_cover, parse_prefixes


def _ranges_v4(rir: pa.Table, kind: str):
    t = rir.filter(pa.compute.equal(rir.column("type"), kind))
    starts, ends, ccs = [], [], []
    for s, v, cc in zip(t.column("start").to_pylist(), t.column("value").to_pylist(), t.column("cc").to_pylist(), strict=True):
        if not cc or cc == "ZZ" or s is None or v is None:
            continue
        try:
            if kind == "ipv4":
                a = int(ipaddress.IPv4Address(s))
                starts.append(a)
                ends.append(a + int(v))
            elif kind == "ipv6":
                a = int(ipaddress.IPv6Address(s)) >> 64
                starts.append(a)
                ends.append(a + (1 << max(64 - int(v), 0)))
            else:
                starts.append(int(s))
                ends.append(int(s) + int(v))
        except ValueError:
            continue
        ccs.append(cc.upper())
    o = np.argsort(np.array(starts, dtype=np.float64), kind="stable") if starts else np.zeros(0, int)
    return (np.array(starts, dtype=object)[o], np.array(ends, dtype=object)[o], np.array(ccs, dtype=object)[o])


def _range_lookup(keys: list[int], rng) -> list[str | None]:
    starts, ends, ccs = rng
    if len(starts) == 0:
        return [None] * len(keys)
    s = np.array([float(x) for x in starts])
    out = []
    for k in keys:
        i = int(np.searchsorted(s, float(k), side="right")) - 1
        out.append(ccs[i] if i >= 0 and starts[i] <= k < ends[i] else None)
    return out


def prefix_countries(snap, prefixes: pa.Array) -> pa.Table:
    """`prefix`, `cc`, `basis` (geo | rir | iptocc | unknown) for each prefix."""
    try:
        from onpath.metrics import country as _c  # engineer C's module
        if hasattr(_c, "prefix_country_table"):
            return _c.prefix_country_table(snap, prefixes)
    except ImportError:
        pass
    prefixes = prefixes.combine_chunks() if isinstance(prefixes, pa.ChunkedArray) else prefixes
    fam, key, ln = parse_prefixes(prefixes)
    n = len(fam)
    cc = np.full(n, None, dtype=object)
    basis = np.full(n, "unknown", dtype=object)
    if snap is not None and snap.has("geo"):
        g = snap.table("geo")
        gf, gk, gl = parse_prefixes(g.column("prefix"))
        gcc = np.array(g.column("cc").to_pylist(), dtype=object)
        for f, bits in ((4, 32), (6, 64)):
            q = np.flatnonzero(fam == f)
            r = np.flatnonzero(gf == f)
            if len(q) and len(r):
                hit = longest_cover(key[q], ln[q], gk[r], gl[r], bits)
                ok = hit >= 0
                cc[q[ok]] = gcc[r[hit[ok]]]
                basis[q[ok]] = "geo"
    todo = np.flatnonzero((cc == None) & (fam > 0))  # noqa: E711
    if len(todo) and snap is not None and snap.has("rir"):
        rir = snap.table("rir")
        for f, kind in ((4, "ipv4"), (6, "ipv6")):
            q = todo[fam[todo] == f]
            if len(q):
                got = _range_lookup([int(k) for k in key[q]], _ranges_v4(rir, kind))
                for i, c in zip(q, got, strict=True):
                    if c:
                        cc[i], basis[i] = c, "rir"
    todo = np.flatnonzero((cc == None) & (fam > 0))  # noqa: E711
    if len(todo):
        import iptocc

        addrs = [str(p).split("/")[0] for p in prefixes.take(pa.array(todo)).to_pylist()]
        for i, c in zip(todo, iptocc.country_code(addrs), strict=True):
            if c:
                cc[i], basis[i] = c, "iptocc"
    return pa.table({"prefix": prefixes.cast(pa.string()), "cc": pa.array(cc.tolist(), pa.string()),
                     "basis": pa.array(basis.tolist(), pa.string())})


def as_countries(snap, asns) -> tuple[dict[int, str], dict[int, str]]:
    """({asn: cc}, {asn: basis}) from the RIR ASN records, otherwise AS-to-org."""
    asns = [int(a) for a in asns]
    try:
        from onpath.metrics import country as _c
        if hasattr(_c, "as_country_map"):
            return _c.as_country_map(snap, asns)
    except ImportError:
        pass
    cc: dict[int, str] = {}
    basis: dict[int, str] = {}
    if snap is not None and snap.has("rir"):
        got = _range_lookup(asns, _ranges_v4(snap.table("rir"), "asn"))
        for a, c in zip(asns, got, strict=True):
            if c:
                cc[a], basis[a] = c, "rir"
    if snap is not None and snap.has("as_org"):
        t = snap.table("as_org", columns=["asn", "country"])
        want = set(asns) - set(cc)
        for a, c in zip(t.column("asn").to_pylist(), t.column("country").to_pylist(), strict=True):
            if a in want and c and a not in cc:
                cc[a], basis[a] = c.upper(), "as-org"
    return cc, basis
