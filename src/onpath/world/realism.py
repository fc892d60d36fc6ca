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


def cone_sizes(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int, sample: int = 3000,
               seed: int = 0) -> dict[str, float]:
    """Quantiles of the customer-cone size (the AS and every AS reached down p2c links) of the
    transit ASes (those with a customer), CAIDA's recursive cone; over `sample` of them at most."""
    m = rel == -1
    cust: list[list[int]] = [[] for _ in range(n)]
    for x, y in zip(a[m].tolist(), b[m].tolist(), strict=False):
        cust[x].append(y)
    sizes = []
    transit = [i for i in range(n) if cust[i]]
    pick = transit if len(transit) <= sample else sorted(
        np.random.default_rng(seed).choice(transit, size=sample, replace=False).tolist())
    for i in pick:
        seen, stack = {i}, [i]
        while stack:
            for c in cust[stack.pop()]:
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        sizes.append(len(seen))
    s = np.array(sizes) if sizes else np.zeros(1)
    return {str(q): float(np.quantile(s, q)) for q in QS} | {"max": int(s.max()), "transit_ases": len(transit), "sampled": len(pick)}


def address_shares(prefixes: list[str], geo: list[str], top: int = 12) -> dict[str, float]:
    """Share of the IPv4 address space per country (most specific prefix counted once per address
    is approximated by counting only prefixes not covered by another of the same list)."""
    nets = sorted((ipaddress.ip_network(p), c) for p, c in zip(prefixes, geo, strict=False) if ":" not in p)
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


def table(manifest: dict) -> list[tuple[str, str, str, str]]:
    """(figure, synthetic world, real Internet, source) rows for a README table."""
    r = manifest["realism"]
    ref = r["reference_real_internet"]
    dq, rq = r["degree_true"], ref["degree_quantiles"]
    cq, rc = r["cone_sizes_true"], ref["cone_quantiles_transit"]
    caida = "CAIDA as-rel2 2025-01-01"
    rows = [
        ("ASes", str(r["ases"]), "77,480", caida),
        ("share of p2p links", f"{r['p2p_share_true']:.3f}", f"{ref['p2p_share']:.3f}", caida),
        ("ASes of degree 1", f"{dq['degree1_share']:.3f}", f"{ref['degree1_share']:.3f}", caida),
        ("degree median / p90 / p99", f"{dq['0.5']:g} / {dq['0.9']:g} / {dq['0.99']:.0f}",
         f"{rq['0.5']:g} / {rq['0.9']:g} / {rq['0.99']:.0f}", caida),
        ("transit cone median / p90", f"{cq['0.5']:g} / {cq['0.9']:g}", f"{rc['0.5']:g} / {rc['0.9']:.0f}", caida),
        ("mean observed AS-path length (distinct paths)", f"{r['path_length_observed']['mean']:.2f}",
         "not in the shipped data", "-"),
        ("true links missing from published as-rel2", f"{r['published']['missing_share']:.3f}",
         "many p2p links invisible to collectors", "Oliveira et al., IEEE/ACM ToN 2010"),
        ("published relationships wrong", f"{r['published']['wrong_share']:.4f}",
         "0.004 of p2c, 0.013 of p2p (PPV 99.6% / 98.7%)", "Luckie et al., IMC 2013"),
        ("observed paths != simulation on published graph",
         f"{r['observed_vs_published_simulation']['differ_share']:.3f}", "not in the shipped data", "-"),
    ]
    for cc in ("US", "CN", "JP", "DE"):
        rows.append((f"IPv4 share {cc}", f"{r['country_ipv4_share'].get(cc, 0):.3f}",
                     f"{ref['country_ipv4_share'].get(cc, 0):.3f}", "calibration (RIR 2019, CTI PAM 2022)"))
    return rows


def main(argv=None) -> int:
    """Print the realism table of a world: ``python -m onpath.world.realism DIR``."""
    import argparse
    import json
    from pathlib import Path

    ap = argparse.ArgumentParser(description="realism figures of a synthetic world beside real ones",
                                 epilog="example: python -m onpath.world.realism world")
    ap.add_argument("world", type=Path)
    a = ap.parse_args(argv)
    m = json.loads((a.world / "MANIFEST.json").read_text())
    print("| figure | synthetic world | real Internet | source |\n|---|---|---|---|")
    for row in table(m):
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
