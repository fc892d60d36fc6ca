"""IPv4 and IPv6 prefixes per AS, allocated from per-RIR blocks (consistent with the RIR files),
with geolocation (some prefixes located away from their registration country, e.g. the carriers'
US cloud prefixes), RIR delegated records and VRPs for a share of origins."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import numpy as np

from onpath.world.entities import BY_ASN
from onpath.world.geography import RIRS, TA, V4_POOLS, V6_POOLS, country_table
from onpath.world.topology import CONTENT, LARGE, REGIONAL, Topology

ROLE_WEIGHT = {0: 300.0, LARGE: 60.0, REGIONAL: 4.0, CONTENT: 6.0}
V6_SHARE = {0: 1.0, LARGE: 1.0, REGIONAL: 0.8, CONTENT: 0.9}
BETA = 1.0  # more-specifics per block grow as (block size)^BETA: heavy-tailed per AS


@dataclass
class Prefixes:
    """Announced prefixes (parallel lists) and the registry records behind them."""

    prefix: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)  # AS index in the topology
    geo: list[str] = field(default_factory=list)  # country where the addresses are
    v6: list[bool] = field(default_factory=list)
    rir_rows: dict[str, list[dict]] = field(default_factory=dict)  # registry -> delegated rows
    vrps: list[dict] = field(default_factory=list)

    def add(self, p: str, origin: int, geo: str, v6: bool) -> None:
        self.prefix.append(p)
        self.origin.append(origin)
        self.geo.append(geo)
        self.v6.append(v6)


class _Pool:
    """Aligned sequential allocation from a RIR's /8s (largest requests first: no waste)."""

    def __init__(self, eights: list[int]):
        self.eights = eights
        self.k = 0
        self.cur = eights[0] << 24

    def take(self, size: int) -> int:
        while True:
            start = -(-self.cur // size) * size
            if start + size <= (self.eights[self.k] + 1) << 24:
                self.cur = start + size
                return start
            self.k += 1
            if self.k >= len(self.eights):
                raise RuntimeError("IPv4 pool exhausted")
            self.cur = self.eights[self.k] << 24


def _date(rng: np.random.Generator, year_to: int) -> str:
    y = int(rng.integers(1995, year_to))
    return f"{y}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"


def build(t: Topology, org_rows: list[dict], rir_of_cc: dict[str, str], rng: np.random.Generator,
          slash24_total: int, year: int, v4_per_as: float | None = None) -> Prefixes:
    """Allocate and announce the prefixes of every AS.

    Parameters
    ----------
    t : Topology
    org_rows : list of dict
        AS-to-org rows (their `org_id` becomes the RIR records' opaque id).
    rir_of_cc : dict
        Country -> RIR.
    rng : numpy.random.Generator
    slash24_total : int
        The world's IPv4 address space in /24 units, split over countries by calibrated shares.
    year : int
        The snapshot year (registration dates come before it).
    v4_per_as : float, optional
        Mean announced IPv4 prefixes per AS: more-specifics of the allocated blocks are added,
        heavy-tailed over the ASes (by address space), until the mean is about this; IPv6
        more-specifics follow in proportion (about one IPv6 prefix per five IPv4 ones). None: only
        the allocated blocks and the occasional de-aggregation (about 3.5 IPv4 prefixes per AS).

    Returns
    -------
    Prefixes
    """
    opaque = {r["asn"]: r["org_id"] for r in org_rows}
    share = {c: s for c, _, _, s in country_table()}
    w = np.array([ROLE_WEIGHT.get(int(r), 1.0) for r in t.role]) * rng.lognormal(0, 1.6, t.n)
    units = np.zeros(t.n)
    for c in np.unique(t.cc):
        m = t.cc == c
        units[m] = w[m] / w[m].sum() * share.get(str(c), 0.001) * slash24_total
    units = np.maximum(1, np.round(units)).astype(np.int64)
    px = Prefixes(rir_rows={r: [] for r in RIRS})
    reqs = []  # (size addrs, rir, as index, geo cc, registered cc)
    for i in range(t.n):
        cc = str(t.cc[i])
        rir = rir_of_cc.get(cc, "ripencc")
        u = int(units[i])
        bits = [1 << b for b in range(17) if u >> b & 1][-6:]  # up to six blocks, at most a /8
        for s in bits:
            reqs.append((s * 256, rir, i, cc, cc))
        c = BY_ASN.get(int(t.asn[i]))
        if c is not None and c.us_presence:  # US cloud prefixes: US-located, registered at home
            for s in (16, 4, 1):
                reqs.append((s * 256, rir, i, "US", c.cc))
    order = sorted(range(len(reqs)), key=lambda k: (-reqs[k][0], k))
    pools = {r: _Pool(V4_POOLS[r]) for r in RIRS}
    year_to = max(1996, year)
    blocks = []  # (start, size addrs, as index, geo) of every allocated IPv4 block
    for k in order:
        size, rir, i, geo, reg = reqs[k]
        start = pools[rir].take(size)
        net = ipaddress.IPv4Network((start, 32 - size.bit_length() + 1))
        asn = int(t.asn[i])
        px.rir_rows[rir].append({"cc": reg, "type": "ipv4", "start": str(net.network_address), "value": size,
                                 "date": _date(rng, year_to), "status": "allocated", "opaque_id": opaque[asn]})
        px.add(str(net), i, geo, False)
        blocks.append((start, size, i, geo))
        if net.prefixlen <= 22 and rng.random() < 0.35:  # de-aggregation by the rightful origin
            for sub in list(net.subnets(new_prefix=min(24, net.prefixlen + 2)))[: int(rng.integers(1, 5))]:
                px.add(str(sub), i, geo, False)
    if v4_per_as is not None:
        _more_specifics_v4(px, blocks, int(round(v4_per_as * t.n)) - len(px.prefix), rng)
    # IPv6: a /32 (a /28 for large networks) from the RIR's /12, sometimes with /48s announced
    n4 = len(px.prefix)
    bases6 = []  # (base, as index, cc) of every IPv6 allocation
    nxt = {r: 0 for r in RIRS}
    for i in range(t.n):
        if rng.random() >= V6_SHARE.get(int(t.role[i]), 0.35):
            continue
        cc = str(t.cc[i])
        rir = rir_of_cc.get(cc, "ripencc")
        n32 = 16 if t.role[i] in (0, LARGE) else 1
        k = -(-nxt[rir] // n32) * n32
        nxt[rir] = k + n32
        base = (V6_POOLS[rir] << 112) | (k << 96)
        plen = 32 - (n32.bit_length() - 1)
        net6 = ipaddress.IPv6Network((base, plen))
        px.rir_rows[rir].append({"cc": cc, "type": "ipv6", "start": str(net6.network_address), "value": plen,
                                 "date": _date(rng, year_to), "status": "allocated",
                                 "opaque_id": opaque[int(t.asn[i])]})
        px.add(str(net6), i, cc, True)
        bases6.append((base, i, cc))
        if rng.random() < 0.3:
            for j in range(int(rng.integers(1, 4))):
                px.add(str(ipaddress.IPv6Network((base | (j + 1) << 80, 48))), i, cc, True)
    if v4_per_as is not None:
        _more_specifics_v6(px, bases6, units, n4 // 5 - (len(px.prefix) - n4), rng)
    for i in np.argsort(t.asn, kind="stable"):
        asn = int(t.asn[i])
        rir = rir_of_cc.get(str(t.cc[i]), "ripencc")
        px.rir_rows[rir].append({"cc": str(t.cc[i]), "type": "asn", "start": str(asn), "value": 1,
                                 "date": _date(rng, year_to), "status": "assigned", "opaque_id": opaque[asn]})
    _vrps(t, px, rir_of_cc, rng)
    return px


def _rate(weights: np.ndarray, caps: np.ndarray, total: int) -> float:
    """r such that sum(min(r * weights, caps)) is about `total` (bisection; 0 if total <= 0)."""
    if total <= 0 or not weights.size:
        return 0.0
    lo, hi = 0.0, 1.0
    while np.minimum(hi * weights, caps).sum() < total and hi < 1e12:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if np.minimum(mid * weights, caps).sum() < total:
            lo = mid
        else:
            hi = mid
    return hi


def _v4(a: int, plen: int) -> str:
    return f"{a >> 24}.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255}/{plen}"


def _more_specifics_v4(px: Prefixes, blocks: list, extra: int, rng: np.random.Generator) -> None:
    """About `extra` more-specifics (down to /24) inside the allocated blocks, announced by the
    block's AS: a block of s /24s gets Poisson(r * s^BETA) of them (so most ASes keep 1-2 prefixes
    and the big ones announce thousands), distinct, /24s the commonest as in the real tables."""
    if extra <= 0:
        return
    s24 = np.array([b[1] >> 8 for b in blocks], np.float64)
    caps = np.maximum(0, 2 * s24 - 2) * 0.5  # at most half of the block's more-specifics
    weights = np.where(caps > 0, s24 ** BETA, 0.0)
    r = _rate(weights, caps, extra)
    have = set(px.prefix)
    counts = np.minimum(rng.poisson(r * weights), caps.astype(np.int64))
    for (start, size, i, geo), k in zip(blocks, counts.tolist(), strict=True):
        if k <= 0:
            continue
        nodes = 2 * (size >> 8) - 2  # more-specific prefixes of the block down to /24
        plen = 33 - size.bit_length()
        pick = rng.choice(nodes, size=min(nodes, k + 4), replace=False) + 2
        depth = np.floor(np.log2(pick)).astype(np.int64)
        got = 0
        for n, j in zip(pick.tolist(), depth.tolist(), strict=True):
            p = _v4(start + (n - (1 << j)) * (size >> j), plen + j)
            if p in have:
                continue
            have.add(p)
            px.add(p, i, geo, False)
            got += 1
            if got == k:
                break


def _more_specifics_v6(px: Prefixes, bases: list, units: np.ndarray, extra: int, rng: np.random.Generator) -> None:
    """About `extra` IPv6 more-specifics (/36 to /48) inside the ASes' first /32, heavy-tailed like
    their IPv4 address space."""
    if extra <= 0 or not bases:
        return
    w = np.array([float(units[i]) ** 0.75 for _, i, _ in bases])
    caps = np.full(len(bases), 4000.0)
    r = _rate(w, caps, extra)
    have = set(px.prefix)
    counts = np.minimum(rng.poisson(r * w), 4000)
    for (base, i, cc), k in zip(bases, counts.tolist(), strict=True):
        if k <= 0:
            continue
        lens = rng.choice([36, 40, 44, 48], size=k + 4, p=[0.1, 0.15, 0.15, 0.6])
        idx = (rng.random(k + 4) * (2.0 ** (lens - 32))).astype(np.int64)
        got = 0
        for ln, x in zip(lens.tolist(), idx.tolist(), strict=True):
            p = str(ipaddress.IPv6Network((base | x << (128 - ln), ln)))
            if p in have:
                continue
            have.add(p)
            px.add(p, i, cc, True)
            got += 1
            if got == k:
                break


def _vrps(t: Topology, px: Prefixes, rir_of_cc: dict[str, str], rng: np.random.Generator) -> None:
    """ROAs for about half the origins (fewer among the Chinese carriers), exact or up to /24 (/48)."""
    signs = rng.random(t.n) < np.where(t.cc == "CN", 0.1, 0.5)
    for p, o in zip(px.prefix, px.origin, strict=False):
        if not signs[o]:
            continue
        net = ipaddress.ip_network(p)
        top = 48 if net.version == 6 else 24
        ml = net.prefixlen if rng.random() < 0.7 else max(net.prefixlen, top)
        px.vrps.append({"asn": int(t.asn[o]), "prefix": p, "max_length": ml,
                        "ta": TA[rir_of_cc.get(str(t.cc[o]), "ripencc")]})
