"""Realism figures of a generated world, measured (not claimed), beside the calibration's real ones.

The figures are computed by the generic functions of `onpath.metrics.graphstats` (the same ones
`scripts/realism_real.py` runs on the real CAIDA graph); this module only feeds them the world's
arrays and runs the simulation on the published graph. The names below are kept for callers.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from onpath.metrics import graphstats
from onpath.simulate import AsGraph, propagate
from onpath.world.geography import calibration

QS = graphstats.QS


def degree_quantiles(a: np.ndarray, b: np.ndarray, n: int) -> dict[str, float]:
    """Quantiles of the AS degree (links per AS) of an edge list over `n` ASes
    (`onpath.metrics.graphstats.degree_distribution`)."""
    return graphstats.degree_distribution(a, b, n, QS)


def cone_sizes(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int, sample: int = 3000,
               seed: int = 0) -> dict[str, float]:
    """Quantiles of the customer-cone size of the transit ASes, CAIDA's recursive cone; over
    `sample` of them at most (`onpath.metrics.graphstats.cone_distribution`)."""
    return graphstats.cone_distribution(a, b, rel, n, sample=sample, seed=seed, qs=QS)


def address_shares(prefixes: list[str], geo: list[str], top: int = 12) -> dict[str, float]:
    """Share of the IPv4 address space per country, each address counted once for the most
    specific prefix covering it (`onpath.metrics.graphstats.address_shares`)."""
    return graphstats.address_shares(prefixes, geo, top=top, family=4)


def path_lengths(counter: Counter) -> dict[str, float]:
    """Mean and shares of the observed AS-path lengths (prepending collapsed; distinct paths)
    (`onpath.metrics.graphstats.path_length_distribution`)."""
    return graphstats.path_length_distribution(counter)


def differ_from_published(g_pub: AsGraph, observed: dict[tuple[int, int], tuple], vps) -> dict[str, float]:
    """Share of observed (vantage point, origin) paths that differ from a Gao-Rexford simulation on
    the published graph (prepending collapsed), over the sampled origins in `observed`
    (`onpath.metrics.graphstats.path_differ_share`)."""
    by_origin: dict[int, dict[int, tuple]] = {}
    for (k, o_asn), p in observed.items():
        by_origin.setdefault(o_asn, {})[k] = p
    pairs: list[tuple[tuple, list[int] | None]] = []
    for o_asn, per in sorted(by_origin.items()):
        if o_asn not in g_pub:
            pairs += [(p, None) for p in per.values()]
            continue
        r = propagate(g_pub, o_asn)
        pairs += [(p, r.path(vps[k].peer_asn, collapse=True)) for k, p in per.items()]
    return graphstats.path_differ_share(pairs)


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
