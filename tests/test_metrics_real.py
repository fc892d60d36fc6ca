"""Real data (slow; skipped without ../shared/data): the three carriers on the real AS graph, and
exposure toward the US from a real RouteViews RIB, each checked against an independent computation."""

from __future__ import annotations

import bz2
import gzip
import json
from collections import defaultdict

import pytest

from onpath.metrics import analyze
from onpath.store import Snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def topo(tmp_path_factory, shared_data):
    snap = Snapshot.open(tmp_path_factory.mktemp("topo") / "s", create=True)
    snap.ingest_file(shared_data / "caida/20250101.as-rel2.txt.bz2", kind="as-rel", warn=False)
    snap.ingest_file(shared_data / "caida/20211001.as-org2info.jsonl.gz", kind="as-org", warn=False)
    snap.ingest_file(shared_data / "reference/state-owned-ases-imc2021/state_owned_ases.csv", kind="state-owned", warn=False)
    return snap, shared_data, analyze(snap, "US")


def _independent(shared):
    """as-rel2 and as-org parsed here with the standard library, apart from onpath's loaders."""
    prov = defaultdict(set)  # provider -> customers
    links = []
    with bz2.open(shared / "caida/20250101.as-rel2.txt.bz2", "rt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            a, b, r = line.split("|")[:3]
            links.append((int(a), int(b), int(r)))
            if r == "-1":
                prov[int(a)].add(int(b))
    orgs, cc = {}, {}
    with gzip.open(shared / "caida/20211001.as-org2info.jsonl.gz", "rt") as f:
        recs = [json.loads(x) for x in f]
    for r in recs:
        if r.get("type") == "Organization":
            orgs[r["organizationId"]] = r.get("country")
    for r in recs:
        if r.get("type") == "ASN":
            cc[int(r["asn"])] = orgs.get(r["organizationId"])
    return links, prov, cc


def test_carriers_on_real_graph(topo):
    snap, shared, rep = topo
    links, prov, cc = _independent(shared)
    us = {a for a, c in cc.items() if c == "US"}
    for e in rep["entities"]:
        W = {n["asn"] for n in e["networks"]}
        exp = {"customers": set(), "peers": set(), "providers": set()}
        for a, b, r in links:
            if (a in W) == (b in W):
                continue
            mine_first = a in W
            other = b if mine_first else a
            if other not in us:
                continue
            exp["peers" if r == 0 else ("customers" if mine_first else "providers")].add(other)
        got = {k: {d["asn"] for d in e["adjacency"]["as_rel"][k]} for k in exp}
        assert got == exp, e["id"]
        assert exp["providers"] and exp["peers"]  # every carrier buys transit and peers in the US
        cone, todo = set(W), list(W)
        while todo:
            x = todo.pop()
            for c in prov.get(x, ()):
                if c not in cone:
                    cone.add(c)
                    todo.append(c)
        assert e["adjacency"]["cone"]["ases"] == len(cone & us), e["id"]
    # the shipped seeds are all resolved; AS-to-org brings in siblings
    nets = {e["id"]: {n["asn"] for n in e["networks"]} for e in rep["entities"]}
    assert {4134, 4809, 23764, 36678} <= nets["china-telecom"] and len(nets["china-telecom"]) > 100
    assert {58453, 9808} <= nets["china-mobile"] and {4837, 9929, 10099, 19174} <= nets["china-unicom"]


@pytest.fixture(scope="module")
def jinx(tmp_path_factory, shared_data):
    rib = shared_data / "mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2"
    try:
        import onpath.ingest.mrt  # noqa: F401
    except ImportError:
        pytest.skip("MRT loader not built")
    snap = Snapshot.open(tmp_path_factory.mktemp("jinx") / "s", create=True)
    snap.ingest_file(rib, kind="mrt", warn=False)
    # nearest AS relationships: serial-1 2017-01-01, 2.6 years after the RIB (2014-05-30)
    snap.ingest_file(shared_data / "caida/20170101.as-rel.txt", kind="as-rel", warn=False)
    snap.ingest_file(shared_data / "caida/20211001.as-org2info.jsonl.gz", kind="as-org", warn=False)
    snap.ingest_file(shared_data / "reference/state-owned-ases-imc2021/state_owned_ases.csv", kind="state-owned", warn=False)
    snap.ingest_file(shared_data / "reference/cti-pam2022/collector-peers-geo.20180301.jsonl", kind="vantage-points", warn=False)
    return snap, analyze(snap, "US")


def test_exposure_toward_us_from_real_rib(jinx):
    from onpath.metrics.analysis import prefix_table

    snap, rep = jinx
    cov = rep["coverage"]
    assert cov["paths_source"] == "rib" and cov["inbound_vantage_points"] >= 1
    assert cov["prefixes"]["v4"] > 100_000  # US prefixes on a 2014 full table
    ct = next(e for e in rep["entities"] if e["id"] == "china-telecom")
    v4 = ct["exposure"]["inbound"]["v4"]
    assert 0 < v4["by_path"] < 0.05 and 0 < v4["by_address"] < 0.05
    assert all(4134 in s["path"] or 4809 in s["path"] or any(a in s["path"] for a in (36678, 23764))
               or s["path"] for s in ct["evidence"][0]["samples"])
    # independent count in DuckDB over the raw routes, for the vantage points listed: their paths to
    # US prefixes without an AS set, and those with a China Telecom AS other than the origin
    W = ",".join(str(n["asn"]) for n in ct["networks"])
    con = snap.con()
    con.register("pt", prefix_table(snap, con).select(["prefix", "cc"]))
    per_vp = ct["exposure"]["inbound"]["per_vantage_point"]
    vp_sql = " OR ".join(f"(collector = '{d['collector']}' AND peer_ip = '{d['peer_ip']}')" for d in per_vp)
    n, k = con.sql(f"""
        SELECT count(*),
               count(*) FILTER (WHERE list_has_any(list_filter(as_path, lambda x: x <> as_path[len(as_path)]), [{W}]::UINTEGER[]))
        FROM routes JOIN pt USING (prefix)
        WHERE pt.cc = 'US' AND kind = 'rib' AND ({vp_sql}) AND as_path_text NOT LIKE '%{{%'""").fetchall()[0]
    con.unregister("pt")
    paths = sum(d["paths"] for d in per_vp)
    crossing = sum(d["paths_crossing"] for d in per_vp)
    assert 0 <= n - paths <= cov["paths"]["with_loop"]  # loops are out of the figures, in this count
    assert 0 <= k - crossing <= cov["paths"]["with_loop"]
    assert crossing == v4["paths_crossing"] + ct["exposure"]["inbound"]["v6"]["paths_crossing"]
