"""Watchlists and their resolution to networks (issue 12)."""

from __future__ import annotations

import json
import tomllib

import pyarrow as pa
import pytest
from test_metrics_support import make_snapshot
from test_metrics_world import world

from onpath.cli import main
from onpath.entities.cmd_state_owned import build
from onpath.entities.resolve import resolve, resolve_tables
from onpath.entities.watchlist import Entity, Watchlist, load_watchlist, parse_watchlist, shipped
from onpath.errors import MalformedRecord, UsageError


def test_shipped_cn_carriers():
    wl = load_watchlist()
    assert "cn-carriers" in shipped()
    ids = {e.id: e for e in wl.entities}
    assert set(ids) == {"china-telecom", "china-mobile", "china-unicom"}
    assert ids["china-telecom"].tickers == ("0728.HK",) and ids["china-mobile"].tickers == ("0941.HK",)
    assert ids["china-unicom"].tickers == ("0762.HK",)
    assert {4134, 4809, 23764}.issubset(ids["china-telecom"].seed_asns)
    assert {9808, 58453}.issubset(ids["china-mobile"].seed_asns)
    assert {4837, 9929, 10099, 19174}.issubset(ids["china-unicom"].seed_asns)
    assert 21859 not in wl.all_seed_asns()  # Zenlayer, not China Telecom
    srcs = " ".join(f.source for e in wl.entities for f in e.facts)
    for cite in ("FCC 21-114", "FCC 19-38", "FCC 22-9", "Threats to U.S. Networks", "IMC 2021"):
        assert cite in srcs
    assert all(f.text and f.source for e in wl.entities for f in e.facts)


def test_user_file_minimal_and_errors(tmp_path):
    p = tmp_path / "w.toml"
    p.write_text('[[entity]]\nid = "a"\nname = "A"\nseed_asns = [1, "AS2"]\n')
    assert load_watchlist(str(p)).entities[0].seed_asns == (1, 2)
    p.write_text('[[entity]]\nid = "a"\nname = "A"\n')
    with pytest.raises(MalformedRecord) as e:
        load_watchlist(str(p))
    assert "seed_asns" in str(e.value) and str(p) in str(e.value) and "entity 1" in str(e.value)
    p.write_text('[[entity]]\nid = "a"\nname = "A"\nseed_asns = [0]\n')
    with pytest.raises(MalformedRecord):
        load_watchlist(str(p))
    p.write_text('[[entity]]\nid = "a"\nname = "A"\nseed_asns = [1]\n[[entity]]\nid = "a"\nname = "B"\nseed_asns = [2]\n')
    with pytest.raises(MalformedRecord, match="duplicate"):
        load_watchlist(str(p))
    with pytest.raises(UsageError):
        load_watchlist("no-such-watchlist")


def test_toml_round_trip():
    wl = load_watchlist()
    again = parse_watchlist(tomllib.loads(wl.to_toml()), wl.source)
    assert again.entities == wl.entities


def _wl(*ents):
    return Watchlist("t", tuple(Entity(i, i.upper(), tuple(s)) for i, s in ents))


def test_conflicts_claimed_by_two_and_large_org():
    org = pa.table({"asn": pa.array([1, 2, 3, 4, 5, 6, 7], pa.uint32()),
                    "org_id": ["A", "A", "B", "B", "A", "BIG", "BIG"]})
    # AS2 and AS5: org A (seed 1 of e1); AS3 is seeded by e2 and shares org B with AS4
    so = pa.table({"asn": pa.array([4, 2], pa.uint32()), "conglomerate": ["X", "X"]})
    r = resolve_tables(_wl(("e1", [1]), ("e2", [3, 2])), as_org=org, state_owned=so)
    e1 = {n.asn: [x.kind for x in n.reasons] for n in r.entities[0].networks}
    e2 = {n.asn: [x.kind for x in n.reasons] for n in r.entities[1].networks}
    # org A links e1's seed AS1 and e2's seed AS2: each seed stays with its seeder, AS5 goes to nobody
    assert e1 == {1: ["seed"]}
    assert e2 == {2: ["seed"], 3: ["seed"], 4: ["caida-org", "state-owned"]}
    assert [(c["asn"], c["kind"], c["kept_by"]) for c in r.conflicts] == [
        (1, "claimed-by-several", "e1"), (2, "claimed-by-several", "e2"), (5, "claimed-by-several", None)]
    # AS8 claimed by both through expansions only: nobody takes it
    org2 = pa.table({"asn": pa.array([1, 8, 3], pa.uint32()), "org_id": ["A", "A", "C"]})
    so2 = pa.table({"asn": pa.array([3, 8], pa.uint32()), "conglomerate": ["X", "X"]})
    r = resolve_tables(_wl(("e1", [1]), ("e2", [3])), as_org=org2, state_owned=so2)
    assert all(8 not in e.asns for e in r.entities)
    assert r.conflicts[0]["asn"] == 8 and r.conflicts[0]["kept_by"] is None
    # an organisation too large is not expanded, and is reported
    r = resolve_tables(_wl(("e", [6])), as_org=org, max_org_asns=1)
    assert r.entities[0].asns == [6]
    assert r.conflicts[0]["kind"] == "large-org"


def test_resolve_on_snapshot_and_cli(tmp_path, capsys):
    snap, wl = world(tmp_path)
    res = resolve(snap, str(wl))
    j = res.to_json()
    assert [e["id"] for e in j["entities"]] == ["wnet", "clean"]
    src = j["entities"][0]["networks"][1]["reasons"][0]["source"]
    assert src.startswith("sha256:") and "as_org" in src
    assert main(["entities", "resolve", "--snapshot", str(snap.root), "--watchlist", str(wl), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"entities", "conflicts"} and out["entities"][0]["networks"][0]["asn"] == 30
    assert main(["entities", "resolve", "--snapshot", str(snap.root), "--watchlist", str(wl)]) == 0
    assert "AS31" in capsys.readouterr().out


def test_from_state_owned(tmp_path, capsys):
    rows = [(4134, "CN-TELECOM", "ORG-CT1", "China Telecom", "CN", None),
            (36678, "CN-TELECOM", "CTUC-ARIN", "China Telecom", "CN", "US"),
            (4837, "CN-UNICOM", "@aut-9929", "China Unicom", "CN", None),
            (3320, "DE-DTAG", "ORG-DT", "Deutsche Telekom", "DE", None)]
    snap = make_snapshot(tmp_path / "s", state_owned=rows)
    out = tmp_path / "cn.toml"
    assert main(["watchlist", "from-state-owned", "--owner", "CN", "--out", str(out), "--snapshot", str(snap.root)]) == 0
    wl = load_watchlist(str(out))
    assert [(e.id, e.seed_asns) for e in wl.entities] == [("cn-telecom", (4134, 36678)), ("cn-unicom", (4837,))]
    assert "US" in wl.entities[0].facts[0].text and "IMC 2021" in wl.entities[0].facts[0].source
    assert main(["watchlist", "from-state-owned", "--owner", "ZZ", "--out", str(out), "--snapshot", str(snap.root)]) == 2
    assert build(snap.table("state_owned"), "de").entities[0].seed_asns == (3320,)


def test_state_owned_real_dataset_and_shipped_seeds(shared_data, tmp_path):
    """The shipped seeds against the real IMC 2021 dataset: which are listed, and under which conglomerate."""
    csv = shared_data / "reference/state-owned-ases-imc2021/state_owned_ases.csv"
    out = tmp_path / "cn.toml"
    assert main(["watchlist", "from-state-owned", "--owner", "CN", "--out", str(out), "--dataset", str(csv)]) == 0
    gen = {e.id: set(e.seed_asns) for e in load_watchlist(str(out)).entities}
    assert len(gen["cn-telecom"]) == 134 and len(gen["cn-unicom"]) == 34 and len(gen["cn-mobile"]) == 31
    shipped_wl = {e.id: set(e.seed_asns) for e in load_watchlist().entities}
    assert {4134, 4809, 4812, 23724, 36678} <= gen["cn-telecom"] & shipped_wl["china-telecom"]
    assert 23764 not in gen["cn-telecom"]  # CTGNet: not in the 2021 list (README)
    assert {9808, 58453, 58807, 9231} <= gen["cn-mobile"] & shipped_wl["china-mobile"]
    assert {4837, 9929, 10099, 19174} <= gen["cn-unicom"] & shipped_wl["china-unicom"]
