"""ASes that break Gao-Rexford in the true world, and how (declared in truth/policies.jsonl).

- prefer-peer-over-customer: a transit AS ranks peer routes above customer routes (every prefix);
- selective-announcement: a multihomed AS announces its own prefixes to one provider only
  (and to its peers and customers);
- prepend: a multihomed AS prepends its ASN 1-3 times towards one provider, on its own prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from onpath.simulate import ExportOnlyTo, PreferPeerOverCustomer, Prepend
from onpath.world.topology import CLIQUE_R, LARGE, REGIONAL, Topology

RATES = {"prefer-peer-over-customer": 0.04, "selective-announcement": 0.06, "prepend": 0.08}


@dataclass
class Breakers:
    """The declared departures from Gao-Rexford."""

    prefer_peer: set[int] = field(default_factory=set)  # ASNs
    origin_policy: dict[int, list] = field(default_factory=dict)  # ASN -> engine policies for its prefixes
    rows: list[dict] = field(default_factory=list)  # policies.jsonl lines

    def global_policies(self) -> list:
        return [PreferPeerOverCustomer(at=frozenset(self.prefer_peer))] if self.prefer_peer else []

    def for_origin(self, asn: int) -> list:
        """Engine policies to propagate a prefix of `asn` with in the true world."""
        return self.global_policies() + self.origin_policy.get(asn, [])


def build(t: Topology, rng: np.random.Generator, rates: dict[str, float] | None = None) -> Breakers:
    """Pick the policy breakers.

    Parameters
    ----------
    t : Topology
    rng : numpy.random.Generator
    rates : dict, optional
        Share of eligible ASes per policy (default `RATES`).

    Returns
    -------
    Breakers
    """
    rates = {**RATES, **(rates or {})}
    br = Breakers()
    providers: dict[int, list[int]] = {}
    others: dict[int, set[int]] = {}  # customers and peers of each AS
    peers = np.zeros(t.n, np.int64)
    for a, b, r in zip(t.a.tolist(), t.b.tolist(), t.rel.tolist(), strict=False):
        if r == -1:
            providers.setdefault(b, []).append(a)
            others.setdefault(a, set()).add(b)
        else:
            peers[a] += 1
            peers[b] += 1
            others.setdefault(a, set()).add(b)
            others.setdefault(b, set()).add(a)
    transit = np.flatnonzero(np.isin(t.role, (LARGE, REGIONAL)) & (peers > 0))
    for i in transit[rng.random(len(transit)) < rates["prefer-peer-over-customer"]].tolist():
        asn = int(t.asn[i])
        br.prefer_peer.add(asn)
        br.rows.append({"asn": asn, "policy": "prefer-peer-over-customer", "scope": "all-prefixes"})
    multi = [i for i, ps in sorted(providers.items()) if len(ps) >= 2 and t.role[i] != CLIQUE_R]
    for i in multi:
        asn = int(t.asn[i])
        u = rng.random()
        ps = sorted(int(t.asn[p]) for p in providers[i])
        if u < rates["selective-announcement"]:
            keep = ps[int(rng.integers(len(ps)))]
            rest = [int(t.asn[x]) for x in sorted(others.get(i, ()))]
            br.origin_policy[asn] = [ExportOnlyTo(asn, frozenset([keep, *rest]))]
            br.rows.append({"asn": asn, "policy": "selective-announcement", "scope": "own-prefixes",
                            "announce_to_providers": [keep], "withheld_from": [p for p in ps if p != keep]})
        elif u < rates["selective-announcement"] + rates["prepend"]:
            to = ps[int(rng.integers(len(ps)))]
            times = int(rng.integers(1, 4))
            br.origin_policy[asn] = [Prepend(asn, times, frozenset([to]))]
            br.rows.append({"asn": asn, "policy": "prepend", "scope": "own-prefixes", "times": times, "to": [to]})
    br.rows.sort(key=lambda r: (r["asn"], r["policy"]))
    return br
