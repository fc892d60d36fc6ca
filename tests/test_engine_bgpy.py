"""Differential tests against BGPy 13.0.13 (slow): identical best paths, AS by AS.

BGPy runs in its own venv (tests/bgpy_venv.py), made on first use and cached outside the repo.
Both engines read the same as-rel2 file: a generated 10k-AS Internet (tiered hierarchy with
peering) for 200 random origins, and the real CAIDA 2025-01 graph for 5 origins, AS4134 among them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from bgpy_venv import bgpy_python, run_bgpy
from conftest import shared_file

from onpath.simulate import AsGraph, propagate

pytestmark = pytest.mark.slow


def synthetic_internet(n: int, seed: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A tiered AS graph: a tier-1 clique, transit tiers buying from the tiers above (and a few
    from their own tier, for depth), stubs multihomed to transit ASes, peering within tiers.
    ASNs are random, so ASN order says nothing about position. Returns (p2c, p2p)."""
    rnd = random.Random(seed)
    asns = rnd.sample(range(1, 400_000), n)
    t1, t2, t3 = asns[:15], asns[15:15 + n // 30], asns[15 + n // 30:15 + n // 30 + n // 5]
    stubs = asns[15 + n // 30 + n // 5:]
    p2c: set[tuple[int, int]] = set()
    p2p: set[tuple[int, int]] = set()
    for i, a in enumerate(t1):
        for b in t1[i + 1:]:
            p2p.add((a, b))

    def buy(cust, pool, k):
        for p in rnd.sample(pool, min(k, len(pool))):
            if p != cust:
                p2c.add((p, cust))

    for i, a in enumerate(t2):
        buy(a, t1, rnd.randint(1, 3))
        if i > 10 and rnd.random() < 0.2:
            buy(a, t2[:i], 1)  # same-tier transit, earlier ASes only: stays acyclic
    for i, a in enumerate(t3):
        buy(a, t2, rnd.randint(1, 3))
        if i > 10 and rnd.random() < 0.15:
            buy(a, t3[:i], 1)
    for a in stubs:
        buy(a, t2 + t3 if rnd.random() < 0.3 else t3, rnd.choice([1, 1, 1, 2, 2, 3]))
    linked = set(p2c)
    for tier, m in ((t2, 6), (t3, 3), (stubs, 0.2)):
        for a in tier:
            k = int(m) + (1 if rnd.random() < m % 1 else 0)
            for b in rnd.sample(tier, min(k, len(tier))):
                if a != b and (a, b) not in linked and (b, a) not in linked and (b, a) not in p2p:
                    p2p.add((a, b))
    return sorted(p2c), sorted(p2p)


def write_as_rel2(path: Path, p2c, p2p) -> Path:
    with open(path, "w") as f:
        f.write("# synthetic tiered Internet for the BGPy differential test\n")
        f.writelines(f"{p}|{c}|-1|bgp\n" for p, c in p2c)
        f.writelines(f"{a}|{b}|0|bgp\n" for a, b in p2p)
    return path


@pytest.fixture(scope="module")
def bgpy():
    if bgpy_python() is None:
        pytest.skip("BGPy venv could not be made (no PyPI access?)")
    return run_bgpy


def _compare(graph: AsGraph, expected: dict[int, dict]) -> None:
    for origin, d in expected.items():
        ours = propagate(graph, origin).paths()
        theirs = d["paths"]
        assert set(ours) == set(theirs), f"origin {origin}: different ASes with a route"
        diff = [a for a in theirs if ours[a] != theirs[a]]
        assert not diff, f"origin {origin}: {len(diff)} paths differ, e.g. AS{diff[0]}: " \
                         f"{ours[diff[0]]} vs BGPy {theirs[diff[0]]}"


def test_identical_to_bgpy_on_generated_10k_graph(bgpy, tmp_path):
    p2c, p2p = synthetic_internet(10_000, seed=20250101)
    f = write_as_rel2(tmp_path / "synthetic.as-rel2.txt", p2c, p2p)
    graph = AsGraph.from_as_rel(f)
    assert graph.n >= 9_900 and int(graph.rank.max()) >= 4
    origins = random.Random(7).sample([int(a) for a in graph.asns], 200)
    header, out = bgpy(f, origins, jobs=2)
    assert header["ases"] == graph.n and set(out) == set(origins)
    _compare(graph, out)


def test_identical_to_bgpy_on_real_caida_2025_graph(bgpy):
    f = shared_file("caida/20250101.as-rel2.txt.bz2")
    graph = AsGraph.from_as_rel(f)
    rnd = random.Random(11)
    origins = [4134] + rnd.sample([int(a) for a in graph.asns], 4)
    _header, out = bgpy(f, origins, jobs=2)
    _compare(graph, out)
