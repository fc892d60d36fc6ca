"""The published as-rel2: what a CAIDA-style inference would publish from the collectors' view.

Links no vantage point sees on a path are missing; of the links seen, a share gets the wrong
relationship, at rates of the order CAIDA's validation reports (Luckie et al., "AS Relationships,
Customer Cones, and Validation", IMC 2013: 99.6% of p2c and 98.7% of p2p inferences correct;
our rates are set a little higher, as later validations on other data found).
"""

from __future__ import annotations

import numpy as np

from onpath.world.topology import Topology

# declared error rates among the links that are published
WRONG = {"p2p-as-p2c": 0.02, "p2c-as-p2p": 0.01, "p2c-reversed": 0.003}


def build(t: Topology, observed: set[tuple[int, int]], rng: np.random.Generator,
          wrong: dict[str, float] | None = None) -> tuple[list[tuple[int, int, int]], dict]:
    """Published rows (asn1, asn2, rel) sorted, and the declared and realised error counts.

    Parameters
    ----------
    t : Topology
        The truth.
    observed : set of (asn, asn)
        Links seen on observed paths, as (smaller ASN, larger ASN).
    rng : numpy.random.Generator
    wrong : dict, optional
        Error rates (default `WRONG`).

    Returns
    -------
    (list of tuple, dict)
    """
    rates = {**WRONG, **(wrong or {})}
    deg = t.degree()
    rows, counts = [], {"true_links": len(t.a), "published": 0, "missing": 0, **{k: 0 for k in rates}}
    for a, b, r in zip(t.a.tolist(), t.b.tolist(), t.rel.tolist()):
        x, y = int(t.asn[a]), int(t.asn[b])
        if (min(x, y), max(x, y)) not in observed:
            counts["missing"] += 1
            continue
        u = rng.random()
        if r == 0 and u < rates["p2p-as-p2c"]:
            p, c = (x, y) if deg[a] >= deg[b] else (y, x)
            rows.append((p, c, -1))
            counts["p2p-as-p2c"] += 1
        elif r == -1 and u < rates["p2c-as-p2p"]:
            rows.append((min(x, y), max(x, y), 0))
            counts["p2c-as-p2p"] += 1
        elif r == -1 and u < rates["p2c-as-p2p"] + rates["p2c-reversed"]:
            rows.append((y, x, -1))
            counts["p2c-reversed"] += 1
        else:
            rows.append((x, y, r) if r == -1 else (min(x, y), max(x, y), 0))
    rows.sort()
    counts["published"] = len(rows)
    counts["declared_rates"] = rates
    return rows, counts
