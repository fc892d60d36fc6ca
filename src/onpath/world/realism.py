"""Realism figures of a generated world, measured (not claimed), beside the calibration's real ones.

The graph figures here (`degree_quantiles`, `cone_sizes`, `address_shares`) are generic metrics
that belong in `onpath.metrics` once that package has them; they are pure functions of arrays.
"""

from __future__ import annotations

import ipaddress
from collections import Counter

import numpy as np

from onpath.simulate import AsGraph, propagate
from onpath.world.geography import calibration

QS = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)


def degree_quantiles(a: np.ndarray, b: np.ndarray, n: int) -> dict[str, float]:
    """Quantiles of the AS degree (links per AS) of an edge list over `n` ASes."""
    d = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    d = d[d > 0]
    return {str(q): float(np.quantile(d, q)) for q in QS} | {"max": int(d.max()), "mean": round(float(d.mean()), 3),
                                                           "degree1_share": round(float((d == 1).mean()), 4)}


def cone_sizes(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int) -> dict[str, float]:
    """Quantiles of the customer-cone size (the AS and every AS reached down p2c links) of the
    transit ASes (those with a customer), CAIDA's recursive cone."""
    m = rel == -1
    cust: list[list[int]] = [[] for _ in range(n)]
    for x, y in zip(a[m].tolist(), b[m].tolist()):
        cust[x].append(y)
    sizes = []
    for i in range(n):
        if not cust[i]:
            continue
        seen, stack = {i}, [i]
        while stack:
            for c in cust[stack.pop()]:
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        sizes.append(len(seen))
    s = np.array(sizes) if sizes else np.zeros(1)
    return {str(q): float(np.quantile(s, q)) for q in QS} | {"max": int(s.max()), "transit_ases": len(sizes)}


def address_shares(prefixes: list[str], geo: list[str], top: int = 12) -> dict[str, float]:
    """Share of the IPv4 address space per country (most specific prefix counted once per address
    is approximated by counting only prefixes not covered by another of the same list)."""
    nets = sorted((ipaddress.ip_network(p), c) for p, c in zip(prefixes, geo) if ":" not in p)
    tot: Counter = Counter()
    last = None
    for net, c in nets:
        if last is not None and net.subnet_of(last):
            continue
        last = net
        tot[c] += net.num_addresses
    s = sum(tot.values()) or 1
    return {c: round(v / s, 4) for c, v in tot.most_common(top)}


def path_lengths(counter: Counter) -> dict[str, float]:
    """Mean and shares of the observed AS-path lengths (prepending collapsed; distinct paths)."""
    n = sum(counter.values()) or 1
    mean = sum(k * v for k, v in counter.items()) / n
    return {"mean": round(mean, 3), **{str(k): round(v / n, 4) for k, v in sorted(counter.items())}}


def differ_from_published(g_pub: AsGraph, observed: dict[tuple[int, int], tuple], vps) -> dict[str, float]:
    """Share of observed (vantage point, origin) paths that differ from a Gao-Rexford simulation on
    the published graph (prepending collapsed), over the sampled origins in `observed`."""
    by_origin: dict[int, dict[int, tuple]] = {}
    for (k, o_asn), p in observed.items():
        by_origin.setdefault(o_asn, {})[k] = p
    same = diff = missing = 0
    for o_asn, per in sorted(by_origin.items()):
        if o_asn not in g_pub:
            missing += len(per)
            continue
        r = propagate(g_pub, o_asn)
        for k, p in per.items():
            sim = r.path(vps[k].peer_asn, collapse=True)
            if sim is None:
                missing += 1
            elif tuple(sim) == tuple(dict.fromkeys(p)):
                same += 1
            else:
                diff += 1
    n = same + diff + missing or 1
    return {"paths": n, "differ_share": round((diff + missing) / n, 4), "no_route_share": round(missing / n, 4)}


def reference() -> dict:
    """The real figures from the calibration, to print beside ours."""
    g = calibration()["graph"]
    return {"degree_quantiles": g["degree_quantiles"], "degree1_share": g["degree1_share"], "p2p_share": g["p2p_share"],
            "stub_share": g["stub_share"], "cone_quantiles_transit": g["cone_quantiles_transit"],
            "country_ipv4_share": {c: v["ipv4_share"] for c, v in sorted(calibration()["countries"].items(),
                                                                        key=lambda x: -x[1]["ipv4_share"])[:12]},
            "source": calibration()["sources"]}
