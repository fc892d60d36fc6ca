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
          slash24_total: int, year: int) -> Prefixes:
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
    for k in order:
        size, rir, i, geo, reg = reqs[k]
        start = pools[rir].take(size)
        net = ipaddress.IPv4Network((start, 32 - size.bit_length() + 1))
        asn = int(t.asn[i])
        px.rir_rows[rir].append({"cc": reg, "type": "ipv4", "start": str(net.network_address), "value": size,
                                 "date": _date(rng, year_to), "status": "allocated", "opaque_id": opaque[asn]})
        px.add(str(net), i, geo, False)
        if net.prefixlen <= 22 and rng.random() < 0.35:  # de-aggregation by the rightful origin
            for sub in list(net.subnets(new_prefix=min(24, net.prefixlen + 2)))[: int(rng.integers(1, 5))]:
                px.add(str(sub), i, geo, False)
    # IPv6: a /32 (a /28 for large networks) from the RIR's /12, sometimes with /48s announced
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
        net = ipaddress.IPv6Network((base, plen))
        px.rir_rows[rir].append({"cc": cc, "type": "ipv6", "start": str(net.network_address), "value": plen,
                                 "date": _date(rng, year_to), "status": "allocated",
                                 "opaque_id": opaque[int(t.asn[i])]})
        px.add(str(net), i, cc, True)
        if rng.random() < 0.3:
            for j in range(int(rng.integers(1, 4))):
                px.add(str(ipaddress.IPv6Network((base | (j + 1) << 80, 48))), i, cc, True)
    for i in np.argsort(t.asn, kind="stable"):
        asn = int(t.asn[i])
        rir = rir_of_cc.get(str(t.cc[i]), "ripencc")
        px.rir_rows[rir].append({"cc": str(t.cc[i]), "type": "asn", "start": str(asn), "value": 1,
                                 "date": _date(rng, year_to), "status": "assigned", "opaque_id": opaque[asn]})
    _vrps(t, px, rir_of_cc, rng)
    return px


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
