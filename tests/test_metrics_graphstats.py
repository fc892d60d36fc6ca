"""onpath.metrics.graphstats on tiny hand-built graphs whose figures are worked out by hand."""

from __future__ import annotations

import doctest
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from onpath.metrics import graphstats as gs
from onpath.metrics.topology import customer_cone

# Six ASes (indices): 0 provides 1 and 2; 1 and 2 both provide 3 (a diamond); 2 provides 4;
# 0 peers with 5; 1 peers with 2.
A = np.array([0, 0, 1, 2, 2, 0, 1])
B = np.array([1, 2, 3, 3, 4, 5, 2])
REL = np.array([-1, -1, -1, -1, -1, 0, 0])


def test_docstring_examples_run():
    from onpath.metrics import pathstats

    res = [doctest.testmod(m, optionflags=doctest.NORMALIZE_WHITESPACE) for m in (gs, pathstats)]
    assert sum(r.attempted for r in res) >= 10 and sum(r.failed for r in res) == 0


def test_edge_index_maps_asns_to_dense_indices():
    a, b, asns = gs.edge_index(np.array([65001, 65003, 65001], np.uint32), [65002, 65001, 65010])
    assert asns.tolist() == [65001, 65002, 65003, 65010]
    assert a.tolist() == [0, 2, 0] and b.tolist() == [1, 0, 3]


def test_degrees_and_distribution_by_hand():
    # degrees: 0:{1,2,5}=3  1:{0,3,2}=3  2:{0,3,4,1}=4  3:{1,2}=2  4:{2}=1  5:{0}=1
    assert gs.degrees(A, B, 6).tolist() == [3, 3, 4, 2, 1, 1]
    d = gs.degree_distribution(A, B, 8, qs=(0.5, 0.9))  # ASes 6 and 7 have no link: left out
    # sorted [1,1,2,3,3,4]: median (2+3)/2; p90 at position 4.5 -> 3 + 0.5*(4-3)
    assert d == {"0.5": 2.5, "0.9": 3.5, "max": 4, "mean": 2.333, "degree1_share": 0.3333}


def test_repeated_link_counts_twice():
    assert gs.degrees(np.array([0, 0]), np.array([1, 1]), 2).tolist() == [2, 2]


def test_ccdf_by_hand():
    x, p = gs.ccdf(np.array([1, 1, 1, 2, 5]))
    assert x.tolist() == [1, 2, 5]
    assert p.tolist() == pytest.approx([1.0, 0.4, 0.2])
    x, p = gs.ccdf(np.array([], np.int64))
    assert len(x) == 0 and len(p) == 0


def test_customer_cones_by_hand():
    # 0 -> {1,2} -> {3,4}: 5 ASes (the peer 5 is not in it); 1 -> 3: 2; 2 -> 3, 4: 3; stubs: 1
    assert gs.customer_cone_sizes(A, B, REL, 6).tolist() == [5, 2, 3, 1, 1, 1]
    assert gs.customer_cone_sizes(A, B, REL, 6, roots=[2, 0, 2]).tolist() == [3, 5, 3]


def test_customer_cones_agree_with_topology_customer_cone():
    asns = np.array([10, 20, 30, 40, 50, 60])
    rel = pa.table({"asn1": pa.array(asns[A], pa.uint32()), "asn2": pa.array(asns[B], pa.uint32()),
                    "rel": pa.array(REL, pa.int8())})
    sizes = gs.customer_cone_sizes(A, B, REL, 6)
    for i in range(6):
        assert sizes[i] == len(customer_cone(rel, [int(asns[i])]))


def test_customer_cone_survives_a_p2c_cycle():
    # 0 -> 1 -> 2 -> 0 (a cycle, as wrong inferences can make) and 2 -> 3
    a, b, rel = np.array([0, 1, 2, 2]), np.array([1, 2, 0, 3]), np.array([-1, -1, -1, -1])
    assert gs.customer_cone_sizes(a, b, rel, 4).tolist() == [4, 4, 4, 1]


def test_cone_distribution_all_and_sampled():
    d = gs.cone_distribution(A, B, REL, 6, sample=None, qs=(0.5,))
    assert d == {"0.5": 3.0, "max": 5, "transit_ases": 3, "sampled": 3}  # cones 5, 2, 3
    s = gs.cone_distribution(A, B, REL, 6, sample=2, seed=1, qs=(0.5,))
    assert s["sampled"] == 2 and s["transit_ases"] == 3 and s["max"] in (3, 5)
    assert s == gs.cone_distribution(A, B, REL, 6, sample=2, seed=1, qs=(0.5,))  # same seed, same draw
    none = gs.cone_distribution(np.array([0]), np.array([1]), np.array([0]), 2, qs=(0.5,))
    assert none == {"0.5": 0.0, "max": 0, "transit_ases": 0, "sampled": 0}


def test_path_length_distribution_counter_and_list():
    assert gs.path_length_distribution(Counter({2: 1, 4: 3})) == {"mean": 3.5, "2": 0.25, "4": 0.75}
    assert gs.path_length_distribution([4, 2, 4, 4]) == {"mean": 3.5, "2": 0.25, "4": 0.75}
    assert gs.path_length_distribution({}) == {"mean": 0.0}


def test_collapse():
    assert gs.collapse([1, 1, 2, 3, 3, 3]) == (1, 2, 3)


def test_address_shares_most_specific_wins():
    # 10.0.0.0/16 US (256 /24s) with 10.0.0.0/17 CN inside (128) and 10.0.0.0/24 JP inside that (1):
    # US 128, CN 127, JP 1; plus 192.0.2.0/25 DE (half a /24) and an IPv6 prefix that must not count.
    p = ["10.0.0.0/16", "10.0.0.0/17", "10.0.0.0/24", "192.0.2.0/25", "2001:db8::/32"]
    cc = ["US", "CN", "JP", "DE", "US"]
    got = gs.address_shares(p, cc)
    tot = 256.5
    assert got == {"US": round(128 / tot, 4), "CN": round(127 / tot, 4), "JP": round(1 / tot, 4),
                   "DE": round(0.5 / tot, 4)}
    assert list(got) == ["US", "CN", "JP", "DE"]  # largest first
    assert list(gs.address_shares(p, cc, top=2)) == ["US", "CN"]


def test_address_shares_duplicates_count_once_and_ipv6_apart():
    got = gs.address_shares(["10.0.0.0/24", "10.0.0.0/24", "10.0.1.0/24"], ["US", "CN", "CN"])
    assert got == {"US": 0.5, "CN": 0.5}
    v6 = gs.address_shares(["2001:db8::/32", "2001:db8::/33", "10.0.0.0/8"], ["US", "FR", "CN"], family=6)
    assert v6 == {"FR": 0.5, "US": 0.5}
    assert gs.address_shares(["2001:db8::/32"], ["US"]) == {}


def test_address_shares_accepts_arrow():
    assert gs.address_shares(pa.array(["10.0.0.0/24"]), pa.array(["US"])) == {"US": 1.0}


def test_path_differ_share_by_hand():
    pairs = [((1, 2, 3), (1, 2, 3)),            # same
             ((1, 1, 2, 3), [1, 2, 3]),          # same after prepending collapsed
             ((4, 2, 3), (4, 5, 3)),             # differs
             ((6, 3), None)]                     # no simulated route
    assert gs.path_differ_share(pairs) == {"paths": 4, "differ_share": 0.5, "no_route_share": 0.25}
    assert gs.path_differ_share([]) == {"paths": 1, "differ_share": 0.0, "no_route_share": 0.0}
