"""PeeringDB: the real API pages, the dump written and streamed back (small buffers too), damaged
records with byte offsets, type inference."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest
from conftest import shared_file

from onpath.ingest import jsonstream, peeringdb
from onpath.ingest.base import LoadContext, detect_kind

PAGES = ["prod-org/page-1.json", "prod-net/page-1.json", "beta-fac/page-1.json", "beta-ix/page-2.json",
         "beta-ixlan/page-1.json", "beta-ixpfx/page-1.json", "beta-netfac/page-1.json", "beta-netixlan/page-2.json"]


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    out: dict[str, list[pa.RecordBatch]] = {}
    for t, b in peeringdb.load(path, ctx):
        assert b.schema == peeringdb.SCHEMAS[t]
        out.setdefault(t, []).append(b)
    return {t: pa.Table.from_batches(bs) for t, bs in out.items()}, ctx


def _expect(recs, table):
    names = peeringdb.SCHEMAS[table].names
    return [{k: r.get(k) for k in names} for r in recs]


@pytest.mark.parametrize("page", PAGES)
def test_real_api_pages(page, tmp_path):
    path = shared_file(f"peeringdb/api-sample-truncated/{page}")
    typ = page.split("/")[0].split("-")[1]
    tables, ctx = _load(path)
    recs = json.loads(path.read_text())["data"]
    assert list(tables) == [f"pdb_{typ}"] and ctx.rejected == 0 and ctx.records == len(recs) == 250
    assert tables[f"pdb_{typ}"].to_pylist() == _expect(recs, f"pdb_{typ}")
    assert detect_kind(path) == "peeringdb"
    # the same page under a name that says nothing: the type comes from the fields
    anon = tmp_path / "page.json"
    anon.write_bytes(path.read_bytes())
    assert list(_load(anon)[0]) == [f"pdb_{typ}"]


def _world(n_net=300, seed=3):
    rnd = random.Random(seed)
    org = [{"id": i, "name": f"Org {i}", "country": rnd.choice(["US", "CN"]), "latitude": 1 if i % 3 else 1.5,
            "social_media": [{"service": "website", "identifier": "x"}], "status": "ok"} for i in range(1, n_net + 1)]
    net = [{"id": i, "org_id": i, "asn": 64500 + i, "name": f"Net \"{i}\" ü", "info_type": "NSP", "info_types": ["NSP"],
            "info_ipv6": bool(i % 2), "notes": "a, {\"id\": 5} b" if i == 7 else "", "status": "ok"} for i in range(1, n_net + 1)]
    netixlan = [{"id": i, "net_id": i % n_net + 1, "ix_id": 1, "ixlan_id": 1, "asn": 64500 + i % n_net + 1,
                 "ipaddr4": f"192.0.2.{i % 250}", "ipaddr6": None, "speed": 10000, "status": "ok"} for i in range(1, 3 * n_net)]
    poc = [{"id": i, "net_id": 1, "role": "NOC"} for i in range(1, 50)]
    return {"org": org, "poc": poc, "net": net, "netixlan": netixlan, "ixpfx": []}


@pytest.mark.parametrize("small_buffers", [False, True])
@pytest.mark.parametrize("name", ["peeringdb_2_dump_2025_01_01.json", "peeringdb_2_dump_2025_01_01.json.gz"])
def test_dump_round_trip(tmp_path, monkeypatch, small_buffers, name):
    if small_buffers:  # refills, compaction and slice cuts all happen many times
        monkeypatch.setattr(jsonstream, "CHUNK", 4096)
        monkeypatch.setattr(jsonstream, "LOW", 2048)
    w = _world()
    p = peeringdb.write_peeringdb_dump(w, tmp_path / name)
    tables, ctx = _load(p)
    assert ctx.rejected == 0
    assert set(tables) == {"pdb_org", "pdb_net", "pdb_netixlan"}
    for t in ("org", "net", "netixlan"):
        assert tables[f"pdb_{t}"].to_pylist() == _expect(w[t], f"pdb_{t}")
    assert ctx.records == sum(len(w[t]) for t in ("org", "net", "netixlan"))
    assert detect_kind(p) == "peeringdb"


@pytest.mark.parametrize("small_buffers", [False, True])
def test_damaged_records_are_rejected_with_offsets(tmp_path, monkeypatch, small_buffers):
    if small_buffers:
        monkeypatch.setattr(jsonstream, "CHUNK", 4096)
        monkeypatch.setattr(jsonstream, "LOW", 2048)
    w = _world()
    text = peeringdb.write_peeringdb_dump(w, tmp_path / "d.json").read_text()
    bad1 = json.dumps(w["net"][100], ensure_ascii=False)
    bad2 = json.dumps(w["netixlan"][500], ensure_ascii=False)
    text = text.replace(bad1, bad1[:-1].replace('"asn": ', '"asn": ,'), 1)  # missing value
    text = text.replace(bad2, bad2[: len(bad2) // 2], 1)  # truncated record
    p = tmp_path / "d.json"
    p.write_text(text)
    tables, ctx = _load(p)
    assert len(ctx.rejects) == 2
    raw = text.encode()
    assert ctx.rejects[0].offset == raw.index(b'{"id": 101, "org_id": 101')
    assert ctx.rejects[1].offset == raw.index(bad2[: len(bad2) // 2].encode())
    assert tables["pdb_net"]["id"].to_pylist() == [i for i in range(1, 301) if i != 101]
    assert tables["pdb_netixlan"].num_rows == len(w["netixlan"]) - 1
    assert tables["pdb_org"].num_rows == 300


def test_broken_structure_keeps_what_came_before(tmp_path):
    p = tmp_path / "d.json"
    p.write_text('{"org": {"data": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]} "net": {"data": []}}')
    tables, ctx = _load(p)
    assert tables["pdb_org"]["id"].to_pylist() == [1, 2]
    assert len(ctx.rejects) == 1 and ctx.rejects[0].offset == p.read_text().index('"net"')


def test_odd_field_types_are_coerced(tmp_path):
    p = peeringdb.write_peeringdb_page([{"id": 1, "asn": "65000", "info_type": 5, "name": "n", "info_ipv6": "true"},
                                        {"id": 2, "asn": 65001, "name": ["x"], "info_type": "NSP"}], tmp_path / "net.json")
    tables, ctx = _load(p)
    rows = tables["pdb_net"].to_pylist()
    assert (rows[0]["asn"], rows[0]["info_type"], rows[0]["info_ipv6"]) == (65000, "5", True)
    assert rows[1]["name"] == '["x"]'


def test_detect_is_strict():
    assert peeringdb.detect(b'{"data": [{"id": 1', "net.json")
    assert peeringdb.detect(b'{"fac": {"data": [', "dump.json")
    assert not peeringdb.detect(b'{"changed":"20170128","country":"US","type":"Organization"}', "x")
    assert not peeringdb.detect(b'{"metadata": {}, "roas": [', "x")
    assert not peeringdb.detect(b'{"collector":"wide","peers":[', "x")


@pytest.mark.slow
def test_big_dump_streams_in_bounded_memory(tmp_path):
    """A 180 MB dump (half the full size of bench/gen_peeringdb.py) loads with a peak RSS far below
    what `json.load` of it needs (about 5x the file)."""
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench"
    dump = tmp_path / "peeringdb_2_dump_2025_01_01.json"
    subprocess.run([sys.executable, str(bench / "gen_peeringdb.py"), "--out", str(dump), "--scale", "0.5"], check=True,
                   capture_output=True)
    out = subprocess.run([sys.executable, str(bench / "bench_loaders.py"), "--one", "peeringdb", str(dump)], check=True,
                         capture_output=True, text=True).stdout
    r = json.loads(out)
    assert r["rows"] == 16000 + 15500 + 2800 + 650 + 650 + 1300 + 80000 + 210000
    assert r["rejected"] == 0
    assert r["peak_rss_mb"] < 400 and dump.stat().st_size > 150e6


def test_record_longer_than_the_buffer(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 4096)
    monkeypatch.setattr(jsonstream, "LOW", 2048)
    recs = [{"id": i, "name": f"n{i}", "notes": "x" * (50_000 if i == 3 else 10)} for i in range(1, 8)]
    p = peeringdb.write_peeringdb_dump({"net": recs}, tmp_path / "d.json")
    tables, ctx = _load(p)
    assert ctx.rejected == 0 and tables["pdb_net"]["notes"].to_pylist() == [r["notes"] for r in recs]
