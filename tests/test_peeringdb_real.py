"""PeeringDB-org expansion and the footprint on real PeeringDB records (the API pages in
../shared/data/peeringdb/api-sample-truncated: first 500 rows per table, April 2026).

Expected values are computed here from the raw JSON, apart from onpath's loaders, store and SQL."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import shared_file

from onpath.entities.resolve import resolve
from onpath.entities.watchlist import load_watchlist
from onpath.metrics.footprint import peeringdb_footprint
from onpath.store import Snapshot

TABLES = ["prod-net", "prod-org", "beta-fac", "beta-netfac", "beta-ix", "beta-netixlan"]


def _raw(table: str) -> list[dict]:
    folder = shared_file(f"peeringdb/api-sample-truncated/{table}/page-1.json").parent
    return [r for p in sorted(folder.glob("page-*.json")) for r in json.loads(p.read_text())["data"]]


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    s = Snapshot.open(tmp_path_factory.mktemp("pdb") / "s", create=True)
    for t in TABLES:
        for page in sorted(shared_file(f"peeringdb/api-sample-truncated/{t}/page-1.json").parent.glob("page-*.json")):
            s.ingest_file(page, kind="peeringdb", warn=False)
    return s


def _watchlist(tmp_path, seeds: dict[str, int]):
    body = 'name = "real-pdb"\ndescription = "test"\n' + "".join(
        f'\n[[entity]]\nid = "{k}"\nname = "{k}"\nowner_country = "US"\nseed_asns = [{a}]\n' for k, a in seeds.items())
    p = tmp_path / "wl.toml"
    p.write_text(body)
    return load_watchlist(p)


def test_peeringdb_org_expansion_on_real_records(snap, tmp_path):
    net = _raw("prod-net")
    by_org = defaultdict(set)
    for n in net:
        by_org[n["org_id"]].add(n["asn"])
    org_of = {n["asn"]: n["org_id"] for n in net}
    seeds = {"gtt": 3257, "verizon": 701, "lumen": 3356}
    res = resolve(snap, _watchlist(tmp_path, seeds))
    for ent in res.entities:
        want = by_org[org_of[seeds[ent.entity.id]]]
        assert len(want) >= 3  # GTT 5, Verizon 6, Lumen 3 networks under one PeeringDB org
        assert set(ent.asns) == want
        reasons = {n.asn: n.reasons for n in ent.networks}
        org = org_of[seeds[ent.entity.id]]
        for a in want - {seeds[ent.entity.id]}:
            pdb = [r for r in reasons[a] if r.kind == "peeringdb-org"]
            assert pdb, (a, reasons[a])
            assert str(org) in pdb[0].detail  # the reason names the PeeringDB org it came through
        assert [r.kind for r in reasons[seeds[ent.entity.id]]][0] == "seed"


def test_footprint_on_real_records(snap, tmp_path):
    net, netfac, fac = _raw("prod-net"), _raw("beta-netfac"), _raw("beta-fac")
    nix, ix = _raw("beta-netixlan"), _raw("beta-ix")
    asn_of = {n["id"]: n["asn"] for n in net}
    fac_us = {f["id"]: f for f in fac if (f.get("country") or "").upper() == "US"}
    at = defaultdict(set)  # fac id -> ASNs present (nets of the sample)
    for x in netfac:
        if x["net_id"] in asn_of and x["fac_id"] in fac_us:
            at[x["fac_id"]].add(asn_of[x["net_id"]])
    ix_us = {i["id"]: i for i in ix if (i.get("country") or "").upper() == "US"}
    members = defaultdict(set)
    for x in nix:
        if x["ix_id"] in ix_us and x.get("asn"):
            members[x["ix_id"]].add(x["asn"])
    W = {701, 702, 703, 2828, 6066, 23148}  # Verizon's PeeringDB org in the sample
    want_f = sorted(((fac_us[i]["name"], i, sorted(a & W), len(a - W)) for i, a in at.items() if a & W))
    want_x = sorted(((ix_us[i]["name"], i, sorted(a & W), len(a - W)) for i, a in members.items() if a & W))
    pdb = {k: snap.table(k) for k in ("pdb_net", "pdb_netfac", "pdb_fac", "pdb_netixlan", "pdb_ix")}
    got = peeringdb_footprint(W, "US", **pdb)
    assert [(f["name"], f["id"], f["asns"], f["co_located_networks"]) for f in got["facilities"]] == want_f
    assert [(x["name"], x["id"], x["asns"], x["members"]) for x in got["ixps"]] == want_x
    assert len(want_f) >= 3  # the sample does place Verizon in US facilities
