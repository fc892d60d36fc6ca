"""Route collectors modelled on RouteViews and RIS, and their vantage points (full and partial feeds).

A collector at an exchange point peers over the exchange's LAN (addresses from 185.1.0.0/16, where
RIPE NCC assigns IXP LANs); a multihop collector (route-views2, rrc00) peers with router addresses
inside the peer's own space.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import numpy as np

from onpath.world.entities import BY_ASN
from onpath.world.geography import COLLECTOR_ASN, COLLECTORS, IXPS, calibration
from onpath.world.topology import CONTENT, LARGE, REGIONAL, STUB, Topology

FULL_P = {0: 0.9, LARGE: 0.9, REGIONAL: 0.6, CONTENT: 0.25, STUB: 0.3}


def ixp_lan(k: int) -> tuple[str, str]:
    """IPv4 and IPv6 peering LANs of IXP number `k` (position in `geography.IXPS`)."""
    return f"185.1.{4 * k}.0/22", f"2001:7f8:{k + 1:x}::/64"


def lan_v6(ip4: str) -> str:
    """The IPv6 LAN address that pairs with an exchange LAN IPv4 address."""
    o = [int(x) for x in ip4.split(".")]
    k, off = o[2] // 4, (o[2] % 4) * 256 + o[3]
    return f"2001:7f8:{k + 1:x}::{off:x}"


@dataclass(frozen=True, slots=True)
class VantagePoint:
    collector: str
    archive: str  # routeviews | ris
    peer_ip: str
    peer_asn: int
    as_index: int
    cc: str
    full_feed: bool


@dataclass(frozen=True, slots=True)
class Collector:
    name: str
    archive: str
    cc: str
    city: str
    ixp: str | None
    local_asn: int
    bgp_id: str


def build(t: Topology, first_prefix: dict[int, str], per_collector: int,
          rng: np.random.Generator) -> tuple[list[Collector], list[VantagePoint]]:
    """Collectors and their vantage points.

    Parameters
    ----------
    t : Topology
    first_prefix : dict
        AS index -> its first IPv4 prefix (where a multihop peer's router address comes from).
    per_collector : int
        Mean number of peers per collector.
    rng : numpy.random.Generator

    Returns
    -------
    (list of Collector, list of VantagePoint)
    """
    deg = t.degree().astype(float)
    ixp_no = {name: k for k, (name, _, _) in enumerate(IXPS)}
    eligible = np.array([int(a) not in BY_ASN for a in t.asn]) & (t.role != STUB) | (
        (t.role == STUB) & (rng.random(t.n) < 0.05))
    # vantage points sit where the real ones do (2018 RouteViews/RIS peer countries, CTI PAM 2022):
    # none in China, for example, so no vantage point sees the world from behind a Chinese carrier
    real_cc = calibration()["vantage_points"]["countries"]
    vp_cc = np.isin(t.cc, list(real_cc))
    eligible &= vp_cc
    ccs = sorted(c for c in real_cc if np.any(eligible & (t.cc == c)))
    cc_p = np.array([real_cc[c] for c in ccs], float)
    cc_p /= cc_p.sum()
    cols, vps = [], []
    used: set[tuple[str, int]] = set()
    for ci, (name, archive, city, cc, ixp) in enumerate(COLLECTORS):
        col = Collector(name, archive, cc, city, ixp, COLLECTOR_ASN[archive], f"128.223.51.{ci + 1}"
                        if archive == "routeviews" else f"193.0.4.{ci + 1}")
        cols.append(col)
        k = max(3, int(rng.poisson(per_collector * (2.0 if ixp is None else 1.0))))
        local = eligible & (t.cc == cc)
        w_all = deg * eligible
        picks: list[int] = []
        for _ in range(k * 4):
            if len(picks) >= k:
                break
            if ixp is None:  # multihop: a peer from anywhere, countries as in the real archives
                w = deg * (eligible & (t.cc == ccs[int(rng.choice(len(ccs), p=cc_p))]))
            else:
                w = deg * local if (local.any() and rng.random() < 0.6) else w_all
            i = int(rng.choice(t.n, p=w / w.sum()))
            if (name, i) not in used:
                used.add((name, i))
                picks.append(i)
        lan = ipaddress.ip_network(ixp_lan(ixp_no[ixp])[0]) if ixp else None
        for n, i in enumerate(picks):
            if lan is not None:
                ip = str(lan.network_address + 10 + n)
            else:
                net = ipaddress.ip_network(first_prefix.get(i, f"10.{n}.0.0/16"))
                ip = str(net.network_address + 1)
            full = bool(rng.random() < FULL_P.get(int(t.role[i]), 0.3))
            vps.append(VantagePoint(name, archive, ip, int(t.asn[i]), i, str(t.cc[i]), full))
    # at least 2 full feeds per collector, as the real archives have
    out = []
    for col in cols:
        mine = [v for v in vps if v.collector == col.name]
        need = max(0, 2 - sum(v.full_feed for v in mine))
        for v in mine:
            if need and not v.full_feed:
                v = VantagePoint(v.collector, v.archive, v.peer_ip, v.peer_asn, v.as_index, v.cc, True)
                need -= 1
            out.append(v)
    return cols, out


def vantage_rows(cols: list[Collector], vps: list[VantagePoint]) -> list[dict]:
    """The vantage-point records (SPEC §2 `vantage_points`): collector, peer_ip, peer_asn, cc, full_feed."""
    return [{"collector": v.collector, "peer_ip": v.peer_ip, "peer_asn": v.peer_asn, "cc": v.cc,
             "full_feed": v.full_feed} for v in vps]
