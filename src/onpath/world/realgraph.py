"""A real as-rel2 graph as the world's true topology (`--topology`): its ASes and links are the
truth; countries are drawn from the calibrated shares (the tier-1 clique and the named carriers keep
their real countries) and roles follow the customer counts."""

from __future__ import annotations

import numpy as np

from onpath.world.entities import CARRIERS, CLIQUE
from onpath.world.geography import country_table
from onpath.world.topology import CLIQUE_R, LARGE, REGIONAL, STUB, Topology


def from_as_rel(rows: list[tuple[int, int, int]], rng: np.random.Generator) -> Topology:
    """A topology on a real graph: its ASes and links are the truth; countries and roles are drawn.

    Parameters
    ----------
    rows : list of (asn1, asn2, rel)
        The as-rel2 links (rel -1: asn1 is provider of asn2; 0: peers).
    rng : numpy.random.Generator

    Returns
    -------
    Topology
    """
    asns = sorted({r[0] for r in rows} | {r[1] for r in rows})
    idx = {a: i for i, a in enumerate(asns)}
    t = Topology(asn=np.array(asns, np.uint32), cc=np.zeros(len(asns), "<U2"), role=np.zeros(len(asns), np.int8))
    t.a = np.array([idx[r[0]] for r in rows], np.int32)
    t.b = np.array([idx[r[1]] for r in rows], np.int32)
    t.rel = np.array([r[2] for r in rows], np.int8)
    table = country_table()
    t.cc[:] = rng.choice([x[0] for x in table], size=t.n, p=[x[2] for x in table])
    nc = t.customers_count()
    t.role[:] = np.where(nc == 0, STUB, np.where(nc > 200, LARGE, REGIONAL))
    for a, (_, c) in CLIQUE.items():
        if a in idx:
            t.cc[idx[a]], t.role[idx[a]] = c, CLIQUE_R
    for c in CARRIERS:
        if c.asn in idx:
            t.cc[idx[c.asn]] = c.cc
    return t
