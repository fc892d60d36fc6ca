"""PeeringDB of the world: organizations, networks, facilities in real cities, exchange points with
route servers, their LANs and members (netixlan) and facility presence (netfac). The carriers with
a US presence have ports at US exchanges and racks in US facilities, as the real ones do."""

from __future__ import annotations

import ipaddress

import numpy as np

from onpath.world.collectors import VantagePoint, ixp_lan
from onpath.world.entities import BY_ASN
from onpath.world.geography import CITIES, IXPS
from onpath.world.topology import CONTENT, LARGE, REGIONAL, STUB, Topology

FAC_OPERATORS = ["Equinix", "Digital Realty", "CoreSite", "NTT Global Data Centers", "Interxion"]
US_CITIES_OF_CARRIERS = ["Los Angeles", "San Jose", "Ashburn", "New York", "Seattle"]
STAMP = "2020-01-01T00:00:00Z"


def _base(id_: int, **kw) -> dict:
    return {"id": id_, **kw, "created": STAMP, "updated": STAMP, "status": "ok"}


def build(t: Topology, org_rows: list[dict], vps: list[VantagePoint], n_prefixes: dict[int, tuple[int, int]],
          rng: np.random.Generator) -> dict[str, list[dict]]:
    """The PeeringDB tables (``org``, ``net``, ``fac``, ``ix``, ``ixlan``, ``ixpfx``, ``netfac``,
    ``netixlan``) as lists of records.

    Parameters
    ----------
    t : Topology
    org_rows : list of dict
        AS-to-org rows (PeeringDB organizations follow them).
    vps : list of VantagePoint
        Exchange-point vantage points keep their LAN address in `netixlan`.
    n_prefixes : dict
        AS index -> (IPv4, IPv6) prefix counts (``info_prefixes4/6``).
    rng : numpy.random.Generator
    """
    org_of = {r["asn"]: r for r in org_rows}
    idx = t.index()
    # facilities: two per city, ids in city order
    facs, fac_of_city = [], {}
    for cc, cities in sorted(CITIES.items()):
        for city in cities:
            for j in range(2):
                op = FAC_OPERATORS[(len(facs) + j) % len(FAC_OPERATORS)]
                fid = len(facs) + 1
                facs.append(_base(fid, org_id=0, org_name=op, name=f"{op} {city} {j + 1}", city=city, country=cc,
                                  region_continent="", address1="", latitude=None, longitude=None))
                fac_of_city.setdefault(city, []).append(fid)
    # membership
    flag = rng.random(t.n)
    member_of: dict[int, list[int]] = {}  # as index -> ixp numbers
    for k, (_name, _city, cc) in enumerate(IXPS):
        local = np.flatnonzero((t.cc == cc) & (
            (t.role == LARGE) | (t.role == CONTENT) | ((t.role == REGIONAL) & (flag < 0.7)) | ((t.role == STUB) & (flag < 0.1))))
        for i in local.tolist():
            member_of.setdefault(i, []).append(k)
    for i in np.flatnonzero((t.role == CONTENT) | (t.role == 0)).tolist():
        for k in rng.choice(len(IXPS), size=4, replace=False).tolist():
            member_of.setdefault(i, []).append(k)
    ixp_no = {name: k for k, (name, _, _) in enumerate(IXPS)}
    for asn, c in BY_ASN.items():
        if asn not in idx or c.role == "province":
            continue
        ks = [ixp_no["HKIX"]]
        if c.us_presence:
            ks += [k for k, (_, city, _) in enumerate(IXPS) if city in US_CITIES_OF_CARRIERS]
        member_of.setdefault(idx[asn], []).extend(ks)
    vp_ip = {}
    for v in vps:
        if v.peer_ip.startswith("185.1."):
            o = [int(x) for x in v.peer_ip.split(".")]
            vp_ip[(v.as_index, o[2] // 4)] = v.peer_ip
            member_of.setdefault(v.as_index, []).append(o[2] // 4)
    in_pdb = sorted(set(member_of) | set(np.flatnonzero(t.role != STUB).tolist()), key=lambda i: int(t.asn[i]))
    orgs, org_id, nets, net_id = [], {}, [], {}
    for i in in_pdb:
        r = org_of[int(t.asn[i])]
        if r["org_id"] not in org_id:
            org_id[r["org_id"]] = len(orgs) + 1
            orgs.append(_base(len(orgs) + 1, name=r["org_name"], country=r["country"], city="", website=""))
        net_id[i] = len(nets) + 1
        p4, p6 = n_prefixes.get(i, (0, 0))
        typ = {LARGE: "NSP", REGIONAL: "Cable/DSL/ISP", CONTENT: "Content", 0: "NSP"}.get(int(t.role[i]), "Enterprise")
        nets.append(_base(len(nets) + 1, org_id=org_id[r["org_id"]], name=r["org_name"], aka=r["as_name"],
                          asn=int(t.asn[i]), info_type=typ, info_prefixes4=p4, info_prefixes6=p6,
                          policy_general="Open" if t.role[i] in (CONTENT, STUB, REGIONAL) else "Selective",
                          irr_as_set=f"AS-{r['as_name']}", website=""))
    ixs, ixlans, ixpfx = [], [], []
    for k, (name, city, cc) in enumerate(IXPS):
        ixs.append(_base(k + 1, org_id=0, name=name, city=city, country=cc, region_continent="",
                         proto_unicast=True, proto_ipv6=True, media="Ethernet"))
        ixlans.append(_base(k + 1, ix_id=k + 1, name="", mtu=1500, rs_asn=64512 + k, dot1q_support=False))
        v4, v6 = ixp_lan(k)
        ixpfx += [_base(2 * k + 1, ixlan_id=k + 1, protocol="IPv4", prefix=v4, in_dfz=False),
                  _base(2 * k + 2, ixlan_id=k + 1, protocol="IPv6", prefix=v6, in_dfz=False)]
    netixlan, netfac = [], []
    next_host = {k: 100 for k in range(len(IXPS))}
    fac_seen = set()
    for i in in_pdb:
        for k in sorted(set(member_of.get(i, []))):
            lan4 = ipaddress.ip_network(ixp_lan(k)[0])
            ip4 = vp_ip.get((i, k))
            if ip4 is None:
                if next_host[k] >= lan4.num_addresses - 1:
                    continue
                ip4 = str(lan4.network_address + next_host[k])
                next_host[k] += 1
            off = int(ipaddress.ip_address(ip4)) - int(lan4.network_address)
            netixlan.append(_base(len(netixlan) + 1, net_id=net_id[i], ix_id=k + 1, ixlan_id=k + 1, name=IXPS[k][0],
                                  speed=10000 if t.role[i] == STUB else 100000, asn=int(t.asn[i]), ipaddr4=ip4,
                                  ipaddr6=f"2001:7f8:{k + 1:x}::{off:x}", is_rs_peer=bool(t.role[i] != 0), operational=True))
            fid = fac_of_city[IXPS[k][1]][0]
            if (i, fid) not in fac_seen:
                fac_seen.add((i, fid))
                netfac.append(_base(len(netfac) + 1, name=facs[fid - 1]["name"], city=IXPS[k][1], country=IXPS[k][2],
                                    net_id=net_id[i], fac_id=fid, local_asn=int(t.asn[i])))
    for r in facs:
        r["net_count"] = sum(1 for n in netfac if n["fac_id"] == r["id"])
    return {"org": orgs, "net": nets, "fac": facs, "ix": ixs, "ixlan": ixlans, "ixpfx": ixpfx,
            "netfac": netfac, "netixlan": netixlan}
