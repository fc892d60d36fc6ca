"""The metric building blocks alone: address space, observed paths, hegemony and CTI trimming."""

from __future__ import annotations

import doctest
import importlib
import ipaddress
import random

import numpy as np
import pyarrow as pa
import pytest
from test_metrics_support import make_snapshot, route

from onpath.metrics.cti import cti
from onpath.metrics.frame import PathFrame
from onpath.metrics.hegemony import hegemony, trimmed_mean_sparse
from onpath.metrics.paths import observed_paths, vantage_point_table
from onpath.metrics.space import effective_units

MODULES = ["space", "frame", "exposure", "hegemony", "cti", "topology", "footprint", "evidence", "paths", "arrays", "pathops", "v6text", "ipranges"]


@pytest.mark.parametrize("mod", MODULES)
def test_doctests(mod):
    m = importlib.import_module(f"onpath.metrics.{mod}")
    res = doctest.testmod(m)
    assert res.failed == 0


def test_entities_doctests():
    for name in ("watchlist", "resolve", "cmd_state_owned"):
        assert doctest.testmod(importlib.import_module(f"onpath.entities.{name}")).failed == 0


def test_address_space_no_double_counting_random():
    rng = random.Random(7)
    pfx = set()
    for _ in range(300):
        ln = rng.randint(16, 26)
        net = ipaddress.ip_network((rng.randrange(0, 1 << 12) << 20 | rng.randrange(1 << 20), ln), strict=False)
        net = ipaddress.ip_network((int(net.network_address) & 0xFFFF_FFFF & ~0x0FFF_FFFF | int(net.network_address) & 0x000F_FFFF, ln), strict=False)
        pfx.add(str(net))
    pfx = sorted(pfx)
    fam, u = effective_units(pfx + pfx[:5])  # duplicates share their space
    assert (fam == 4).all()
    # the sum over unique prefixes equals the union's size in /24 units
    covered = set()
    for p in pfx:
        n = ipaddress.ip_network(p)
        lo = int(n.network_address) >> 6
        covered.update(range(lo, lo + max(n.num_addresses >> 6, 1)))
    assert u[: len(pfx)].sum() == pytest.approx(len(covered) / 4)
    assert (u >= 0).all()
    assert u[len(pfx):].tolist() == u[:5].tolist()


def test_address_space_v4_v6_apart():
    fam, u = effective_units(["10.0.0.0/16", "10.0.0.0/17", "10.0.128.0/17", "2001:db8::/32", "2001:db8::/33", "10.1.0.0/25"])
    assert u.tolist() == [0.0, 128.0, 128.0, 32768.0, 32768.0, 0.5]
    assert fam.tolist() == [4, 4, 4, 6, 6, 4]


def test_updates_only_last_announcement(tmp_path):
    routes = [
        route("rrc15", "10.0.0.1", 1, "1.0.0.0/24", "1 2 3", kind="announce", ts=100),
        route("rrc15", "10.0.0.1", 1, "1.0.0.0/24", "1 4 4 4 3", kind="announce", ts=200),
        route("rrc15", "10.0.0.1", 1, "2.0.0.0/24", "1 5", kind="announce", ts=100),
        route("rrc15", "10.0.0.1", 1, "2.0.0.0/24", "", kind="withdraw", ts=150),
        route("rv2", "10.0.0.2", 7, "1.0.0.0/24", "7 3", kind="rib", ts=50),
        route("rv2", "10.0.0.2", 7, "1.0.0.0/24", "7 8 3", kind="rib", ts=90),  # newer dump wins
        route("rv2", "10.0.0.2", 7, "1.0.0.0/24", "7 9 3", kind="announce", ts=95),  # rv2 has a RIB: ignored
    ]
    con = make_snapshot(tmp_path / "s", routes=routes).con()
    t = observed_paths(con).to_pylist()
    got = {(r["collector"], r["prefix"]): (r["path"], r["source"], r["usable"]) for r in t}
    assert got == {("rrc15", "1.0.0.0/24"): ([1, 4, 3], "updates", True), ("rv2", "1.0.0.0/24"): ([7, 8, 3], "rib", True)}
    t = observed_paths(con, at_us=120_000_000).to_pylist()
    assert {(r["collector"], r["prefix"]): r["path"] for r in t} == {
        ("rrc15", "1.0.0.0/24"): [1, 2, 3], ("rrc15", "2.0.0.0/24"): [1, 5], ("rv2", "1.0.0.0/24"): [7, 8, 3]}


def test_full_feed_rule(tmp_path):
    routes = [route("c", "a", 1, f"10.{i}.0.0/16", "1 2") for i in range(10)]
    routes += [route("c", "b", 3, f"10.{i}.0.0/16", "3 2") for i in range(9)]  # 90 %: full
    routes += [route("c", "d", 4, f"10.{i}.0.0/16", "4 2") for i in range(8)]  # 80 %: partial
    routes += [route("c", "e", 5, "10.0.0.0/16", "5 2")]  # partial by count, full by the data
    snap = make_snapshot(tmp_path / "s", routes=routes, vps=[("c", "e", 5, "JP", True)])
    vp = {r["peer_ip"]: (r["full_feed"], r["cc"], r["full_feed_basis"]) for r in vantage_point_table(snap.con()).to_pylist()}
    assert vp == {"a": (True, None, "prefix-count"), "b": (True, None, "prefix-count"),
                  "d": (False, None, "prefix-count"), "e": (True, "JP", "vantage-points")}


def _frame(rows, vps, pfx):
    paths = pa.table({"collector": ["c"] * len(rows), "peer_ip": [r[0] for r in rows],
                      "peer_asn": pa.array([r[1] for r in rows], pa.uint32()), "prefix": [r[2] for r in rows],
                      "path": pa.array([r[3] for r in rows], pa.list_(pa.uint32())), "usable": [True] * len(rows)})
    v = pa.table({"collector": ["c"] * len(vps), "peer_ip": [x[0] for x in vps],
                  "peer_asn": pa.array([x[1] for x in vps], pa.uint32()), "cc": [x[2] for x in vps],
                  "full_feed": [True] * len(vps)})
    p = pa.table({"prefix": [x[0] for x in pfx], "cc": [x[1] for x in pfx],
                  "family": pa.array([4] * len(pfx), pa.int8()), "units": [x[2] for x in pfx]})
    return PathFrame.build(paths, v, p)


def test_hegemony_trims_ten_percent():
    # 10 vantage points; AS50 is on the path of vp0 only, AS60 on all but vp9: trimming 1 at each end
    vps = [(f"v{i}", 100 + i, "DE") for i in range(10)]
    rows = [(f"v{i}", 100 + i, "1.0.0.0/24", [100 + i, 60, 7] if i < 9 else [100 + i, 61, 7]) for i in range(10)]
    rows[0] = ("v0", 100, "1.0.0.0/24", [100, 50, 60, 7])
    f = _frame(rows, vps, [("1.0.0.0/24", "US", 1.0)])
    t, g = hegemony(f, f.usable, {"E": {50, 61}})
    h = dict(zip(t.column("asn").to_pylist(), t.column("hegemony").to_pylist(), strict=True))
    assert h == {60: pytest.approx(8 / 8)}  # sorted [0, 1 x 9]: cut one 0 and one 1 -> 8/8
    assert g["E"] == pytest.approx(1 / 8)  # sorted [0 x 8, 1, 1]: positions 1..8 keep seven 0s and one 1
    assert 50 not in h and 61 not in h  # one vantage point of ten: trimmed away
    assert trimmed_mean_sparse(np.zeros(2, np.int64), np.array([1.0, 1.0]), 10, 1).tolist() == [1 / 8]


def test_cti_trims_host_ases():
    # 10 host ASes, each one monitor outside C, one prefix of C behind AS7 (provider of origin AS8).
    # Host i reaches it through AS7 directly (d=1) except host 0 (via 7 at d=2 behind AS9, p2c 7->9->8).
    vps = [(f"v{i}", 100 + i, "DE") for i in range(10)]
    rows = [(f"v{i}", 100 + i, "1.0.0.0/24", [100 + i, 7, 8]) for i in range(1, 10)]
    rows.append(("v0", 100, "1.0.0.0/24", [100, 7, 9, 8]))
    f = _frame(rows, vps, [("1.0.0.0/24", "US", 1.0)])
    rel = pa.table({"asn1": pa.array([7, 7, 9], pa.uint32()), "asn2": pa.array([8, 9, 8], pa.uint32()),
                    "rel": pa.array([-1, -1, -1], pa.int8())})
    t, _, stats = cti(f, "US", rel)
    c = dict(zip(t.column("asn").to_pylist(), t.column("cti").to_pylist(), strict=True))
    # AS7: TI 0.5 at host 0, 1.0 at the nine others; drop host 0 (bottom) and one 1.0 (top):
    # kept 8 x 1.0 / (10 - 2 dropped denominators) = 1.0
    assert c[7] == pytest.approx(1.0)
    # AS9 seen by one host only (< 10 hosts: nothing dropped): 1 / 10
    assert c[9] == pytest.approx(0.1)
    assert stats["host_ases"] == 10


def test_rib_fast_path_equals_duckdb_path(tmp_path):
    from test_metrics_world import world

    from onpath.metrics.ribpaths import RibIndex

    snap, _ = world(tmp_path)
    idx = RibIndex.load(snap)
    assert idx is not None

    def norm(t):
        cols = ["collector", "peer_ip", "prefix", "path", "usable", "has_set", "has_loop", "source"]
        rows = zip(*[(t.column(c).cast(pa.string()) if c in ("collector", "peer_ip", "prefix", "source") else t.column(c)).to_pylist() for c in cols], strict=True)
        return sorted((a, b, c, tuple(d), e, f, g, h) for a, b, c, d, e, f, g, h in rows)

    assert norm(idx.paths()) == norm(observed_paths(snap.con()))
    sub = pa.table({"collector": ["rrc00"], "peer_ip": ["192.0.2.3"]})
    assert norm(idx.paths(prefixes=pa.array(["2001:db8::/32"]), vantage_points=sub)) == norm(
        observed_paths(snap.con(), prefixes=pa.table({"prefix": ["2001:db8::/32"]}), vantage_points=sub))
    a = idx.vantage_points().drop_columns([]).to_pylist()
    b = vantage_point_table(snap.con()).to_pylist()
    assert a == b


def _v6_frame():
    """The CTI docstring's six ASes with IPv6 prefixes: AS1 (DE) -> 3 -> 5 to a /48 (1 unit),
    AS2 (FR) -> 3 -> 4 -> 6 to a /46 (4 units)."""
    paths = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
                      "prefix": ["2001:db8::/48", "2001:db8:4::/46"],
                      "path": pa.array([[1, 3, 5], [2, 3, 4, 6]], pa.list_(pa.uint32())), "usable": [True, True]})
    vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
                    "cc": ["DE", "FR"], "full_feed": [True, True]})
    pfx = pa.table({"prefix": ["2001:db8::/48", "2001:db8:4::/46"], "cc": ["US", "US"],
                    "family": pa.array([6, 6], pa.int8()), "units": [1.0, 4.0]})
    return PathFrame.build(paths, vps, pfx)


def test_cti_ipv6_hand_computed():
    rel = pa.table({"asn1": pa.array([3, 4, 3], pa.uint32()), "asn2": pa.array([5, 6, 4], pa.uint32()),
                    "rel": pa.array([-1, -1, -1], pa.int8())})
    f = _v6_frame()
    # hosts AS1 (denominator 1) and AS2 (4); AS3 billed 1/1 in AS1 and 4/2 in AS2 -> 3/5;
    # AS4 billed 4/1 in AS2 -> 4/5; fewer than 10 hosts: nothing trimmed
    t, g, stats = cti(f, "US", rel, groups={"E": {4, 3}}, family=6)
    got = dict(zip(t.column("asn").to_pylist(), t.column("cti").to_pylist(), strict=True))
    assert got == pytest.approx({3: 0.6, 4: 0.8})
    assert t.column("asn").to_pylist() == [4, 3]
    # the group bills each path once, at its hop nearest the origin: 1/1 (AS3) and 4/1 (AS4)
    assert g["E"] == pytest.approx(1.0)
    assert stats["paths"] == 2 and stats["host_ases"] == 2
    t4, g4, s4 = cti(f, "US", rel, groups={"E": {4}})  # the paper's IPv4 CTI sees no path here
    assert t4.num_rows == 0 and g4 == {"E": 0.0} and s4["paths"] == 0
    with pytest.raises(ValueError):
        cti(f, "US", rel, family=5)


def test_per_vantage_point_by_address_v6():
    from onpath.metrics.exposure import exposure
    e = exposure(_v6_frame(), "US", {4})
    rows = {d["peer_ip"]: d for d in e["per_vantage_point"]}
    assert rows["b"]["by_address_v6"] == 1.0 and rows["b"]["by_address"] is None
    assert rows["a"]["by_address_v6"] == 0.0
    assert e["v6"]["by_address"] == pytest.approx(4 / 5)


@pytest.mark.parametrize("nmembers", [3, 5000])
def test_isin_sorted_large_arrays_match_numpy(nmembers):
    from onpath.metrics.arrays import isin_sorted
    rng = np.random.default_rng(nmembers)
    v = rng.integers(1, 400_000, 1 << 20).astype(np.uint32)
    v[::97] = 4_200_000_000 + v[::97] % 50  # private 32-bit ASNs above the dense table
    w = np.unique(np.concatenate([rng.integers(1, 400_000, nmembers), [4_200_000_007]])).astype(np.uint32)
    assert (isin_sorted(v, w) == np.isin(v, w)).all()
