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
    truth: dict[tuple[int, int], tuple[int, int, int]] = {}
    for a, b, r in zip(t.a.tolist(), t.b.tolist(), t.rel.tolist(), strict=False):
        x, y = int(t.asn[a]), int(t.asn[b])
        if (min(x, y), max(x, y)) not in observed:
            counts["missing"] += 1
            continue
        u = rng.random()
        truth[(min(x, y), max(x, y))] = (x, y, r) if r == -1 else (min(x, y), max(x, y), 0)
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
    rows = _uncycle(rows, truth, counts)
    rows.sort()
    counts["published"] = len(rows)
    counts["declared_rates"] = rates
    return rows, counts


def _uncycle(rows: list, truth: dict, counts: dict) -> list:
    """Undo wrong relationships that close a provider-customer cycle (CAIDA's output has none)."""
    while True:
        left = _cyclic(rows)
        if not left:
            return rows
        fixed = []
        for a, b, r in rows:
            k = (min(a, b), max(a, b))
            if a in left and b in left and (a, b, r) != truth[k]:
                tr = truth[k]
                kind = "p2p-as-p2c" if tr[2] == 0 else ("p2c-reversed" if r == -1 else "p2c-as-p2p")
                counts[kind] -= 1
                fixed.append(tr)
            else:
                fixed.append((a, b, r))
        rows = fixed


def _cyclic(rows: list) -> set[int]:
    """ASes on or between provider-customer cycles: what survives peeling sources (no provider
    left) and peeling sinks (no customer left)."""
    from collections import defaultdict

    down, up = defaultdict(list), defaultdict(list)
    for a, b, r in rows:
        if r == -1:
            down[a].append(b)
            up[b].append(a)
    nodes = set(down) | set(up)

    def peel(nxt, prev) -> set[int]:
        deg = {x: len(prev.get(x, ())) for x in nodes}
        stack = [x for x in nodes if deg[x] == 0]
        gone = set(stack)
        while stack:
            for y in nxt.get(stack.pop(), ()):
                deg[y] -= 1
                if deg[y] == 0:
                    gone.add(y)
                    stack.append(y)
        return nodes - gone

    return peel(down, up) & peel(up, down)
