"""Engine tests: tiny literal topologies with saved expected outputs, the API, the CLI.

Expected outputs live in tests/data/engine/<case>.json; ONPATH_REGEN=1 rewrites them (review
the diff). Each case is also checked against the plain-Python reference of
tests/test_engine_reference.py where that reference's answer is unique.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from conftest import shared_file
from test_engine_reference import reference

from onpath.cli import main
from onpath.errors import SimulationError
from onpath.simulate import (
    AsGraph,
    DropInvalid,
    ExportOnlyTo,
    PreferPeerOverCustomer,
    Prepend,
    RejectPathsThrough,
    RemoveLinks,
    propagate,
    propagate_many,
)

DATA = Path(__file__).parent / "data" / "engine"
REGEN = os.environ.get("ONPATH_REGEN") == "1"

# A small Internet: 1 and 2 are tier-1 peers; 10, 11, 12 regionals; 100.. stubs.
BASE_P2C = [(1, 10), (1, 11), (2, 11), (2, 12), (10, 100), (11, 100), (11, 101), (12, 101),
            (12, 102), (10, 103)]
BASE_P2P = [(1, 2), (10, 11), (11, 12)]

CASES = {
    # ties go to the lower next-hop ASN (BGPy): 1 hears 100 from 10 (10 < 11)
    "baseline": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100]),
    # a customer route wins over a shorter peer route; peer routes don't go to peers/providers
    "customer_over_peer": dict(p2c=[(1, 2), (2, 3), (3, 4)], p2p=[(1, 4), (4, 5), (5, 6)], origins=[4]),
    # origin prepends toward 10: 1 now prefers the path through 11
    "prepend": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100],
                    policies=[Prepend(100, 2, to={10})]),
    # a hijack by 102 of 100's prefix; ROV at 2 and 12 drops the invalid origin
    "rov_hijack": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100, 102],
                       policies=[DropInvalid([(100, "10.0.0.0/16", 24)], "10.0.0.0/24", at={2, 12})]),
    # everyone refuses paths through 11
    "reject_through": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[101],
                           policies=[RejectPathsThrough({11})]),
    # 100 announces only to 11 (selective announcement)
    "export_only_to": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100],
                           policies=[ExportOnlyTo(100, {11})]),
    "removed_link": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100],
                         policies=[RemoveLinks({(10, 100), (1, 2)})]),
    # 11 prefers its peer 10 over its customer 100 (a Gao-Rexford violation)
    "prefer_peer": dict(p2c=BASE_P2C, p2p=BASE_P2P, origins=[100],
                        policies=[PreferPeerOverCustomer({11})]),
    # 12 and 13 are siblings: 13's routes (even provider-learned) reach 12's providers
    "siblings": dict(p2c=BASE_P2C + [(3, 13)], p2p=BASE_P2P, siblings=[(12, 13)], origins=[3]),
}


def _run(case):
    g = AsGraph.from_links(p2c=case["p2c"], p2p=case["p2p"], siblings=case.get("siblings", ()))
    origins = case["origins"]
    res = propagate(g, origins if len(origins) > 1 else origins[0], case.get("policies"))
    return res


@pytest.mark.parametrize("name", sorted(CASES))
def test_literal_topology(name):
    case = CASES[name]
    res = _run(case)
    got = {str(a): " ".join(map(str, p)) for a, p in sorted(res.paths().items())}
    learned = {str(int(a)): int(c) for a, c in zip(res.graph.asns, res.learned, strict=True) if c >= 0}
    doc = {"paths": got, "learned": learned}
    f = DATA / f"{name}.json"
    if REGEN or not f.exists():
        if not REGEN:
            pytest.fail(f"{f} is missing: run with ONPATH_REGEN=1 and review it")
        DATA.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    assert doc == json.loads(f.read_text())
    # every case has one stable state: the reference must find it too
    ref = reference(case["p2c"], case["p2p"], case["origins"], case.get("policies", ()),
                    sib=case.get("siblings", ()))
    assert {a: tuple(p) for a, p in res.paths().items()} == {a: p for a, (p, _) in ref.items()}


def test_literal_cases_say_what_they_claim():
    assert _run(CASES["baseline"]).path(1) == [1, 10, 100]
    assert _run(CASES["customer_over_peer"]).path(1) == [1, 2, 3, 4]
    assert _run(CASES["customer_over_peer"]).path(5) == [5, 4]
    assert _run(CASES["customer_over_peer"]).path(6) is None
    pre = _run(CASES["prepend"])
    assert pre.path(1) == [1, 11, 100] and pre.path(10) == [10, 100, 100, 100]
    assert pre.path(10, collapse=True) == [10, 100] and pre.length[pre.graph.index(10)] == 4
    rov = _run(CASES["rov_hijack"])
    assert rov.origin_of(12) == 100 and rov.origin_of(102) == 102
    assert all(11 not in p[1:] for p in _run(CASES["reject_through"]).paths().values())
    assert _run(CASES["export_only_to"]).path(10) == [10, 11, 100]
    assert _run(CASES["removed_link"]).path(10) == [10, 11, 100]
    pp = _run(CASES["prefer_peer"])
    assert pp.path(11) == [11, 10, 100] and pp.path(2) == [2, 1, 10, 100]
    sib = _run(CASES["siblings"])
    assert sib.path(2) == [2, 12, 13, 3] and sib.learned[sib.graph.index(12)] == 4


def test_result_arrays_and_origin_self_pointer():
    res = _run(CASES["baseline"])
    i = res.graph.index(100)
    assert res.next_hop[i] == i and res.learned[i] == 0 and res.length[i] == 1
    assert res.next_hop.dtype == np.int32 and res.learned.dtype == np.int8
    assert set(res.asns_with_route().tolist()) == set(res.paths())
    assert res.paths(asns=[1, 999]) == {1: [1, 10, 100]}


def test_graph_from_table_and_errors():
    t = pa.table({"asn1": pa.array([1, 1, 2], pa.uint32()), "asn2": pa.array([2, 3, 3], pa.uint32()),
                  "rel": pa.array([-1, -1, 0], pa.int8())})
    g = AsGraph.from_as_rel(t)
    assert g.asns.tolist() == [1, 2, 3] and g.customers.of(0).tolist() == [1, 2]
    assert g.rank.tolist() == [1, 0, 0]
    with pytest.raises(SimulationError, match="cycle"):
        AsGraph.from_links(p2c=[(1, 2), (2, 3), (3, 1)])
    with pytest.raises(SimulationError, match="AS9 is not in the graph"):
        propagate(g, 9)
    with pytest.raises(SimulationError, match="rel 5"):
        AsGraph.from_as_rel(pa.table({"asn1": [1], "asn2": [2], "rel": [5]}))
    with pytest.raises(SimulationError):
        propagate(g, 1, method="phases", policy=PreferPeerOverCustomer({2}))


def test_propagate_many_streams_in_order_with_workers():
    g = AsGraph.from_links(p2c=BASE_P2C, p2p=BASE_P2P)
    origins = [int(a) for a in g.asns]
    one = list(propagate_many(g, origins, reduce=lambda r: r.paths(asns=[1, 2]), workers=1))
    two = list(propagate_many(g, origins, reduce=lambda r: r.paths(asns=[1, 2]), workers=2, chunksize=2))
    assert one == two and [o for o, _ in two] == origins
    assert dict(two)[100] == {1: [1, 10, 100], 2: [2, 11, 100]}
    raw = dict(propagate_many(g, [100, (100, 102)], workers=2))
    assert raw[100].graph is g and raw[100].paths() == propagate(g, 100).paths()
    assert raw[(100, 102)].origin_of(102) == 102


def test_cli_tsv_and_json(tmp_path, capsys):
    f = tmp_path / "20250101.as-rel2.txt"
    f.write_text("# a comment\n" + "".join(f"{p}|{c}|-1|bgp\n" for p, c in BASE_P2C)
                 + "".join(f"{a}|{b}|0|bgp\n" for a, b in BASE_P2P))
    assert main(["simulate", "paths", "--as-rel", str(f), "--origin", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1\t1 10 100" and "100\t100" in lines
    assert [int(x.split("\t")[0]) for x in lines] == sorted(int(x.split("\t")[0]) for x in lines)
    assert main(["simulate", "paths", "--as-rel", str(f), "--origin", "AS100", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["origin"] == 100 and doc["paths"]["1"] == [1, 10, 100] and doc["paths"]["100"] == [100]
    assert main(["simulate", "paths", "--as-rel", str(f), "--origin", "7"]) == 1
    assert "AS7 is not in the graph" in capsys.readouterr().err
    assert main(["simulate", "paths", "--as-rel", str(f), "--origin", "x7"]) == 2


def test_cli_help_has_example():
    r = subprocess.run([sys.executable, "-m", "onpath", "simulate", "paths", "--help"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.rstrip().splitlines()[-1].startswith("example:")


@pytest.mark.slow
def test_real_graph_one_origin_fast_and_valley_free():
    path = shared_file("caida/20250101.as-rel2.txt.bz2")
    g = AsGraph.from_as_rel(path)
    assert g.n == 77480
    res = propagate(g, 4134)
    assert int(res.has_route.sum()) > 75000
    paths = res.paths()
    assert paths[4134] == [4134]
    # every hop of a path is a link of the graph, no loops
    for p in list(paths.values())[::500]:
        assert len(set(p)) == len(p)
        for a, b in zip(p, p[1:], strict=False):
            i = g.index(a)
            j = g.index(b)
            assert j in g.customers.of(i) or j in g.peers.of(i) or j in g.providers.of(i)


def test_graph_and_cli_from_snapshot_with_siblings(tmp_path, capsys):
    store = pytest.importorskip("onpath.store")
    from onpath.ingest.asorg import write_as_org_jsonl
    from onpath.ingest.asrel import write_as_rel2

    case = CASES["siblings"]
    rows = [{"asn1": p, "asn2": c, "rel": -1, "source": "bgp"} for p, c in case["p2c"]]
    rows += [{"asn1": a, "asn2": b, "rel": 0, "source": "bgp"} for a, b in case["p2p"]]
    world = tmp_path / "in"
    world.mkdir()
    write_as_rel2(rows, world / "20250101.as-rel2.txt")
    orgs = [{"asn": a, "org_id": "ORG-SIB" if a in (12, 13) else f"ORG-{a}", "org_name": "x",
             "country": "US", "source": "ARIN"} for a in {x for lk in case["p2c"] for x in lk}]
    write_as_org_jsonl(orgs, world / "20250101.as-org2info.jsonl")
    snap = store.Snapshot.open(tmp_path / "snap", create=True)
    snap.ingest_file(world / "20250101.as-rel2.txt")
    snap.ingest_file(world / "20250101.as-org2info.jsonl")
    g = AsGraph.from_snapshot(snap, siblings=True)
    assert g.siblings is not None and g.siblings.of(g.index(12)).tolist() == [g.index(13)]
    assert propagate(g, 3).paths() == _run(case).paths()
    assert AsGraph.from_snapshot(snap).siblings is None
    assert main(["simulate", "paths", "--snapshot", str(tmp_path / "snap"), "--origin", "3", "--siblings"]) == 0
    assert "2\t2 12 13 3" in capsys.readouterr().out.splitlines()
    assert main(["simulate", "paths", "--snapshot", str(tmp_path / "snap"), "--origin", "3"]) == 0
    assert "2\t2 12 13 3" not in capsys.readouterr().out.splitlines()
