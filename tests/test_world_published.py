"""The published as-rel2 of the world: missing links and wrong relationships, never a p2c cycle."""

from __future__ import annotations

import numpy as np

from onpath.simulate import AsGraph
from onpath.world import published
from onpath.world.topology import Topology


def _ring() -> Topology:
    # 1 provider of 2, 2 provider of 3; peers 1-3, 3-4, 4-1: turning every p2p into p2c makes cycles
    t = Topology(asn=np.array([1, 2, 3, 4], np.uint32), cc=np.array(["US"] * 4), role=np.zeros(4, np.int8))
    t.a = np.array([0, 1, 0, 2, 3], np.int32)
    t.b = np.array([1, 2, 2, 3, 0], np.int32)
    t.rel = np.array([-1, -1, 0, 0, 0], np.int8)
    return t


def test_all_wrong_still_acyclic_and_counted():
    t = _ring()
    seen = {(1, 2), (2, 3), (1, 3), (3, 4), (1, 4)}
    rows, c = published.build(t, seen, np.random.default_rng(0), wrong={"p2p-as-p2c": 1.0, "p2c-as-p2p": 0.0,
                                                                         "p2c-reversed": 0.0})
    AsGraph.from_links(p2c=[(a, b) for a, b, r in rows if r == -1], p2p=[(a, b) for a, b, r in rows if r == 0])
    truth = {(1, 2, -1), (2, 3, -1), (1, 3, 0), (3, 4, 0), (1, 4, 0)}
    assert c["p2p-as-p2c"] == len(set(rows) - truth) > 0
    assert c["missing"] == 0 and c["published"] == 5


def test_unseen_links_are_missing():
    t = _ring()
    rows, c = published.build(t, {(1, 2), (2, 3)}, np.random.default_rng(0), wrong={k: 0.0 for k in published.WRONG})
    assert rows == [(1, 2, -1), (2, 3, -1)]
    assert c["missing"] == 3
