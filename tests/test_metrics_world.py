"""A hand-made world (tests/test_metrics_support) with hand-computed figures for `analyze`.

ASes: vantage points in AS1 (DE), AS2 (FR), AS3 (US), AS9 (unknown, not in the vantage-point data),
and AS30 (inside the watched entity: left out). Watched entity `wnet`: seed AS30, sibling AS31 (same
CAIDA org), AS33 (same PeeringDB org). Clean transit AS4 (US), its own entity `clean`. Origins in
the US: AS5 10.0.0.0/22, AS6 10.0.1.0/24 (more specific, inside the /22), AS7 2001:db8::/32,
AS31 10.9.0.0/24; AS8 192.168.0.0/24 in DE.

Effective address space: /22 -> 3 (/24 units; its /24 is counted for AS6), /24 -> 1, 10.9/24 -> 1.
"""

from __future__ import annotations

from test_metrics_support import make_snapshot, route

ROUTES = [
    route("rrc00", "192.0.2.1", 1, "10.0.0.0/22", "1 30 5"),
    route("rrc00", "192.0.2.1", 1, "10.0.1.0/24", "1 4 6"),
    route("rrc00", "192.0.2.1", 1, "10.9.0.0/24", "1 31"),
    route("rrc00", "192.0.2.1", 1, "2001:db8::/32", "1 1 1 31 7"),  # prepending, crosses via AS31
    route("rrc00", "192.0.2.2", 2, "10.0.0.0/22", "2 4 30 5"),
    route("rrc00", "192.0.2.2", 2, "10.0.1.0/24", "2 4 6"),
    route("rrc00", "192.0.2.2", 2, "2001:db8::/32", "2 4 7"),
    route("rrc00", "192.0.2.3", 3, "192.168.0.0/24", "3 30 8"),
    route("rrc00", "192.0.2.3", 3, "10.0.0.0/22", "3 5"),
    route("rrc00", "192.0.2.30", 30, "10.0.0.0/22", "30 5"),  # inside the watched AS: left out
    route("rrc00", "192.0.2.9", 9, "10.0.0.0/22", "9 4 {5,6}"),  # AS set: coverage only
    route("rrc00", "192.0.2.9", 9, "10.0.1.0/24", "9 30 4 30 6"),  # loop: coverage only
]
AS_REL = [(30, 5, -1), (4, 6, -1), (4, 30, 0), (30, 1, -1), (4, 1, -1), (32, 30, -1), (31, 7, -1), (5, 6, -1)]
AS_ORG = [
    (1, "O1", "One", "DE", "ONE"), (2, "O2", "Two", "FR", "TWO"), (3, "O3", "Three", "US", "THREE"),
    (4, "O4", "Four", "US", "FOUR"), (5, "O5", "Five", "US", "FIVE"), (6, "O6", "Six", "US", "SIX"),
    (7, "O7", "Seven", "US", "SEVEN"), (8, "O8", "Eight", "DE", "EIGHT"),
    (30, "ORG-W", "Watched", "CN", "W-BACKBONE"), (31, "ORG-W", "Watched", "CN", "W-US"),
    (32, "O32", "Upstream", "US", "UP"),
]
GEO = [("10.0.0.0/8", "US"), ("2001:db8::/32", "US"), ("192.168.0.0/16", "DE")]
VPS = [("rrc00", "192.0.2.1", 1, "DE", True), ("rrc00", "192.0.2.2", 2, "FR", True),
       ("rrc00", "192.0.2.3", 3, "US", True), ("rrc00", "192.0.2.30", 30, "CN", True)]
PDB = {
    "pdb_net": [{"id": 100, "org_id": 7, "asn": 30, "name": "W net"}, {"id": 101, "org_id": 8, "asn": 4, "name": "Four"},
                {"id": 102, "org_id": 7, "asn": 33, "name": "W other"}],
    "pdb_fac": [{"id": 500, "name": "LA1", "city": "Los Angeles", "country": "US"},
                {"id": 501, "name": "FRA", "city": "Frankfurt", "country": "DE"}],
    "pdb_netfac": [{"id": 1, "net_id": 100, "fac_id": 500}, {"id": 2, "net_id": 101, "fac_id": 500},
                   {"id": 3, "net_id": 100, "fac_id": 501}],
    "pdb_ix": [{"id": 600, "name": "Any-IX", "city": "Ashburn", "country": "US"}],
    "pdb_netixlan": [{"id": 1, "net_id": 100, "ix_id": 600, "ixlan_id": 1, "asn": 30},
                     {"id": 2, "net_id": 101, "ix_id": 600, "ixlan_id": 1, "asn": 4}],
}
WATCHLIST = """
name = "test"
[[entity]]
id = "wnet"
name = "W Net"
tickers = ["0000.HK"]
seed_asns = [30]
[[entity.fact]]
text = "a fact"
source = "a source"
[[entity]]
id = "clean"
name = "Clean"
seed_asns = [4]
"""


def world(tmp_path):
    snap = make_snapshot(tmp_path / "snap", routes=ROUTES, as_rel=AS_REL, as_org=AS_ORG, geo=GEO, vps=VPS, pdb=PDB)
    wl = tmp_path / "wl.toml"
    wl.write_text(WATCHLIST)
    return snap, wl


# ----------------------------------------------------------------------------- tests
import json  # noqa: E402

import pytest  # noqa: E402

from onpath.metrics import analyze  # noqa: E402


@pytest.fixture(scope="module")
def us_report(tmp_path_factory):
    snap, wl = world(tmp_path_factory.mktemp("w"))
    return snap, wl, analyze(snap, "US", str(wl))


def _ent(rep, eid):
    return next(e for e in rep["entities"] if e["id"] == eid)


def test_report_has_the_spec_keys(us_report):
    _, _, rep = us_report
    assert {"country", "country_basis", "coverage", "entities"} <= set(rep)
    for e in rep["entities"]:
        assert {"id", "name", "tickers", "networks", "exposure", "hegemony", "cti", "adjacency", "footprint",
                "evidence", "confidence"} <= set(e)
        for n in e["networks"]:
            assert {"asn", "name", "reasons"} <= set(n) and all({"kind", "source"} <= set(r) for r in n["reasons"])
    assert rep["country"] == "US" and rep["country_basis"]["prefix"] == "geo"


def test_resolution_reasons(us_report):
    _, _, rep = us_report
    nets = {n["asn"]: [r["kind"] for r in n["reasons"]] for n in _ent(rep, "wnet")["networks"]}
    assert nets == {30: ["seed"], 31: ["caida-org"], 33: ["peeringdb-org"]}


def test_inbound_exposure_hand_computed(us_report):
    # x(/22) = 2/2 (AS1 via 30, AS2 via 4 30), x(/24 of AS6) = 0, x(10.9/24, AS31 is its origin) = 0;
    # units 3, 1, 1 (the /22 loses its /24). AS9 (set, loop) and AS30 (inside W) are left out.
    _, _, rep = us_report
    v4 = _ent(rep, "wnet")["exposure"]["inbound"]["v4"]
    assert v4["by_address"] == pytest.approx(3 / 5)
    assert v4["reach_by_address"] == pytest.approx(3 / 5)
    assert v4["by_prefix"] == pytest.approx(1 / 3)
    assert v4["by_path"] == pytest.approx(2 / 5)
    assert (v4["prefixes"], v4["paths"], v4["address_space"]) == (3, 5, 5.0)
    v6 = _ent(rep, "wnet")["exposure"]["inbound"]["v6"]  # AS1 "1 1 1 31 7" crosses via AS31 after collapsing
    assert (v6["by_address"], v6["reach_by_address"], v6["address_space"]) == (0.5, 1.0, 65536.0)
    clean = _ent(rep, "clean")["exposure"]["inbound"]["v4"]
    assert clean["by_address"] == pytest.approx((0.5 * 3 + 1 * 1) / 5)
    assert clean["reach_by_address"] == pytest.approx(4 / 5)
    assert clean["by_path"] == pytest.approx(3 / 5)


def test_per_vantage_point_and_origin(us_report):
    _, _, rep = us_report
    inb = _ent(rep, "wnet")["exposure"]["inbound"]
    vp = {d["peer_ip"]: (d["paths"], d["paths_crossing"]) for d in inb["per_vantage_point"]}
    assert vp == {"192.0.2.1": (4, 2), "192.0.2.2": (3, 1)}
    assert [(d["asn"], d["by_address"]) for d in inb["per_origin"]] == [(5, 1.0)]


def test_outbound(us_report):
    _, _, rep = us_report
    out = _ent(rep, "wnet")["exposure"]["outbound"]
    assert out["v4"]["by_path"] == 1.0 and out["v4"]["paths"] == 1  # AS3 (US) -> 30 -> 8 (DE)
    assert out["v6"]["by_address"] is None
    assert _ent(rep, "clean")["exposure"]["outbound"]["v4"]["by_address"] == 0.0


def test_hegemony_and_cti(us_report):
    # hegemony: AS1 weights 3,1,1 -> H1(30) = 3/5; AS2: H2(30) = 3/4; mean (no trimming with 2 vps)
    # CTI: cut at the first p2c link; 30 billed 3 by both hosts (d=1), denominators 4 + 4
    _, _, rep = us_report
    w = _ent(rep, "wnet")
    assert w["hegemony"]["country"] == pytest.approx((3 / 5 + 3 / 4) / 2)
    assert _ent(rep, "clean")["hegemony"]["country"] == pytest.approx((1 / 5 + 1) / 2)
    assert w["cti"]["entity"] == pytest.approx(6 / 8)
    assert _ent(rep, "clean")["cti"]["entity"] == pytest.approx(2 / 8)
    assert w["cti"]["stats"]["paths_without_p2c"] == 1  # "1 31" has no p2c link
    # origin scope: AS6's /24 is reached through AS4 by both; AS5's /22 by AS2 only
    assert _ent(rep, "clean")["hegemony"]["origins"] == [{"asn": 6, "hegemony": 1.0}, {"asn": 5, "hegemony": 0.5}]
    assert [t["asn"] for t in rep["top_transit"]] == [30, 4]


def test_adjacency_cone_footprint(us_report):
    _, _, rep = us_report
    a = _ent(rep, "wnet")["adjacency"]
    assert [d["asn"] for d in a["as_rel"]["customers"]] == [5, 7]  # AS1 is a customer too, but in DE
    assert [d["asn"] for d in a["as_rel"]["peers"]] == [4]
    assert [d["asn"] for d in a["as_rel"]["providers"]] == [32]
    obs = {d["asn"]: (d["relationship"], d["paths"]) for d in a["observed"]}
    assert obs == {5: ("customer", 2), 3: ("unknown", 1), 4: ("peer", 1), 7: ("customer", 1)}
    assert a["cone"]["ases"] == 3 and a["cone"]["prefixes"] == {"v4": 2, "v6": 1}
    assert a["cone"]["address_space"] == {"v4_slash24": 4.0, "v6_slash48": 65536.0}
    fp = _ent(rep, "wnet")["footprint"]
    assert [(f["name"], f["city"], f["co_located_networks"]) for f in fp["facilities"]] == [("LA1", "Los Angeles", 1)]
    assert [(x["name"], x["members"]) for x in fp["ixps"]] == [("Any-IX", 1)]
    assert fp["prefixes_in_country"]["sample"] == ["10.9.0.0/24"]


def test_coverage_and_evidence(us_report):
    _, _, rep = us_report
    cov = rep["coverage"]
    assert cov["paths"] == {"total": 12, "usable": 10, "with_set": 1, "with_loop": 1}
    assert cov["vantage_points"]["excluded_in_watched"] == 1
    assert cov["inbound_vantage_points"] == 2 and cov["outbound_vantage_points"] == 1
    ev = _ent(rep, "wnet")["evidence"][0]["samples"]
    assert {tuple(s["path"]) for s in ev} == {(1, 30, 5), (1, 31, 7), (2, 4, 30, 5)}
    assert _ent(rep, "wnet")["confidence"]["level"] == "low"


def test_same_inputs_same_json(us_report):
    snap, wl, rep = us_report
    assert json.dumps(analyze(snap, "US", str(wl)), sort_keys=True) == json.dumps(rep, sort_keys=True)


def test_another_country_and_watchlist(us_report, tmp_path):
    snap, _, _ = us_report
    wl = tmp_path / "other.toml"
    wl.write_text('[[entity]]\nid = "x"\nname = "X"\nseed_asns = [31]\n')
    rep = analyze(snap, "DE", str(wl))
    x = rep["entities"][0]
    assert sorted(n["asn"] for n in x["networks"]) == [30, 31]  # AS30 joins through the CAIDA org
    # DE's prefix 192.168.0.0/24 is seen by AS3 (US) through AS30
    assert x["exposure"]["inbound"]["v4"]["by_address"] == 1.0
    # outbound from AS1 (DE): /22 via 30 crosses; /24 via 4 does not; 10.9/24 is originated by AS31
    assert x["exposure"]["outbound"]["v4"]["by_path"] == pytest.approx(1 / 3)
    assert x["exposure"]["outbound"]["v4"]["by_address"] == pytest.approx(3 / 5)
    assert x["exposure"]["outbound"]["v6"]["by_address"] == 1.0


def test_updates_only_world_gives_the_same_figures(us_report, tmp_path):
    """The same routes as announcements (no RIB): the DuckDB path, labelled `updates`, same exposure."""
    from test_metrics_support import make_snapshot

    _, _, rep = us_report
    ann = [dict(r, kind="announce") for r in ROUTES]
    ann.append(route("rrc00", "192.0.2.1", 1, "10.0.0.0/22", "1 30 5", kind="withdraw", ts=1_600_000_000))  # older
    snap = make_snapshot(tmp_path / "u", routes=ann, as_rel=AS_REL, as_org=AS_ORG, geo=GEO, vps=VPS, pdb=PDB)
    wl = tmp_path / "wl.toml"
    wl.write_text(WATCHLIST)
    up = analyze(snap, "US", str(wl))
    assert up["coverage"]["paths_source"] == "updates"
    for a, b in zip(rep["entities"], up["entities"], strict=True):
        assert a["exposure"] == b["exposure"] and a["hegemony"] == b["hegemony"] and a["cti"] == b["cti"]
    assert up["country_basis"]["as"] == "as-org"
