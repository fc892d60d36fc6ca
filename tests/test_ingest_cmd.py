"""`onpath ingest` and `onpath snapshot show` through the real CLI entry point."""

from __future__ import annotations

import hashlib
import json

import pytest
import test_store_csvkind as csvkind

from onpath.cli import main
from onpath.store import Snapshot


@pytest.fixture(autouse=True)
def kind(monkeypatch):
    csvkind.register(monkeypatch)


def test_ingest_folder_skips_truth_and_reports_unknown(tmp_path, capsys):
    w = tmp_path / "world"
    (w / "caida").mkdir(parents=True)
    (w / "truth").mkdir()
    a = csvkind.write(w / "caida" / "20250101.a.txt", 300, bad_every=100)
    csvkind.write(w / "truth" / "t.txt", 10)
    (w / "notes.bin").write_bytes(b"\x00\x01garbage")
    (w / "MANIFEST.json").write_text(json.dumps(
        {"synthetic": True, "files": {"caida/20250101.a.txt": hashlib.sha256(a.read_bytes()).hexdigest()}}))
    rc = main(["ingest", str(w), "--snapshot", str(tmp_path / "s")])
    out, err = capsys.readouterr()
    assert rc == 0
    assert "297 records, 0 skipped, 3 rejected" in out and "(kept in the table `rejects`)" in out
    assert "notes.bin: not a recognised format" in err and "t.txt" not in out + err.replace("truth", "")
    assert "MANIFEST.json" not in err
    snap = Snapshot.open(tmp_path / "s")
    assert [d["source"] for d in snap.datasets] == [str(a.resolve())]
    # again: nothing changes
    before = (tmp_path / "s" / "manifest.json").read_bytes()
    assert main(["ingest", str(w), "--snapshot", str(tmp_path / "s")]) == 0
    assert "already in the snapshot" in capsys.readouterr().out
    assert (tmp_path / "s" / "manifest.json").read_bytes() == before

    assert main(["snapshot", "show", str(tmp_path / "s"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"snapshot", "datasets"}
    assert doc["snapshot"]["synthetic"] is True and doc["snapshot"]["rejects"] == 3
    assert doc["snapshot"]["as_rel_ases"] > 0 and doc["datasets"][0]["date"] == "2025-01-01"
    assert main(["snapshot", "show", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "test-csv" in out and "297" in out


def test_raise_exits_1_and_keeps_snapshot(tmp_path, capsys):
    good = csvkind.write(tmp_path / "good.txt", 50)
    bad = csvkind.write(tmp_path / "bad.txt", 50, bad_every=10)
    s = str(tmp_path / "s")
    assert main(["ingest", str(good), "--snapshot", s]) == 0
    before = (tmp_path / "s" / "manifest.json").read_bytes()
    capsys.readouterr()
    assert main(["ingest", str(bad), "--snapshot", s, "--on-error", "raise"]) == 1
    err = capsys.readouterr().err
    assert f"onpath: error: {bad}:11: bad line" in err and "Traceback" not in err
    assert (tmp_path / "s" / "manifest.json").read_bytes() == before
    assert main(["ingest", str(bad), "--snapshot", s, "--on-error", "skip"]) == 0
    assert "45 records, 5 skipped, 0 rejected" in capsys.readouterr().out


def test_usage_and_missing(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["ingest", str(tmp_path), "--snapshot", str(tmp_path / "s"), "--on-error", "nope"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["ingest", str(tmp_path)])
    assert e.value.code == 2
    good = csvkind.write(tmp_path / "good.txt", 5)
    rc = main(["ingest", str(tmp_path / "absent.txt"), str(good), "--snapshot", str(tmp_path / "s")])
    out, err = capsys.readouterr()
    assert rc == 1 and "absent.txt: no such file" in err and "5 records" in out
    (tmp_path / "odd.bin").write_bytes(b"\x00junk")
    assert main(["ingest", str(tmp_path / "odd.bin"), "--snapshot", str(tmp_path / "s")]) == 1
    assert "odd.bin: format not recognised" in capsys.readouterr().err
    assert main(["snapshot", "show", str(tmp_path / "nope")]) == 1
    assert "not a snapshot" in capsys.readouterr().err


def test_real_as_rel2_and_rir(tmp_path, capsys):
    from conftest import shared_file

    rel = shared_file("caida/20250101.as-rel2.txt.bz2")
    iana = shared_file("rir/2019-09/delegated-iana-latest")
    s = str(tmp_path / "s")
    assert main(["ingest", str(rel), str(iana), "--snapshot", s]) == 0
    out = capsys.readouterr().out
    assert "689189 records" in out and "1 rejected" in out
    assert main(["snapshot", "show", s, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)["snapshot"]
    assert doc["as_rel_ases"] == 77480 and doc["tables"]["as_rel"] == 689189 and doc["rejects"] == 1
    snap = Snapshot.open(s)
    (bad,) = snap.con().execute('SELECT source_file, "offset", kind FROM rejects').fetchall()
    assert bad == (str(iana), 1007, "rir")


@pytest.mark.slow
def test_ingest_a_generated_world(tmp_path, capsys):
    import importlib

    cmd = importlib.import_module("onpath.world.cmd") if importlib.util.find_spec("onpath.world.cmd") else None
    if cmd is None:
        pytest.skip("world generate is not here yet")
    assert main(["world", "generate", "--scale", "small", "--seed", "3", "--out", str(tmp_path / "w")]) == 0
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "w"), "--snapshot", str(tmp_path / "s")]) == 0
    out, err = capsys.readouterr()
    assert "not a recognised format" not in err and "truth" not in out
    snap = Snapshot.open(tmp_path / "s")
    world = json.loads((tmp_path / "w" / "MANIFEST.json").read_text())
    assert all(d["synthetic"] for d in snap.datasets) and snap.synthetic
    assert len(snap.datasets) == len([f for f in world["files"] if not f.startswith("truth/")])
    assert snap.date == world["date"] and snap.tables().get("rejects", 0) == 0
    for t in ("routes", "as_rel", "as_org", "rir", "vrps", "geo", "vantage_points", "pdb_net"):
        assert snap.has(t), t


def test_kind_and_collector_options(tmp_path, capsys):
    from onpath.ingest.asrel import write_as_rel2

    f = write_as_rel2([{"asn1": 1, "asn2": 2, "rel": -1}], tmp_path / "weird.name")
    s = str(tmp_path / "s")
    assert main(["ingest", str(f), "--snapshot", s, "--kind", "as-rel"]) == 0
    mrt = pytest.importorskip("onpath.ingest.mrt")
    if getattr(mrt, "KIND", None) == "mrt":
        from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer

        rib = tmp_path / "rib.20250101.0000"
        with MrtWriter.open(str(rib)) as w:
            w.peer_index_table([Peer(64500, "192.0.2.1")], ts=1735689600)
            w.rib(1735689600, "10.0.0.0/8", [(0, 1, Attrs(as_path=(64500, 1), next_hop="192.0.2.1"))])
        assert main(["ingest", str(rib), "--snapshot", s, "--collector", "route-views.kixp"]) == 0
        snap = Snapshot.open(s)
        assert snap.datasets[-1]["collector"] == "route-views.kixp"
        assert snap.con().execute("SELECT DISTINCT collector FROM routes").fetchall() == [("route-views.kixp",)]
    capsys.readouterr()
    assert Snapshot.open(s).datasets[0]["kind"] == "as-rel"


def test_a_loader_crash_is_one_line_and_the_rest_goes_in(tmp_path, capsys, monkeypatch):
    good = csvkind.write(tmp_path / "a.txt", 10)
    bad = csvkind.write(tmp_path / "b.txt", 10, seed=1)
    real = csvkind.load

    def load(path, ctx):
        if path.name == "b.txt":
            raise ValueError("boom")
        return real(path, ctx)

    monkeypatch.setattr(csvkind, "load", load)
    rc = main(["ingest", str(bad), str(good), "--snapshot", str(tmp_path / "s")])
    out, err = capsys.readouterr()
    assert rc == 1 and f"onpath: error: {bad}: ValueError: boom" in err and "Traceback" not in err
    assert [d["source"] for d in Snapshot.open(tmp_path / "s").datasets] == [str(good.resolve())]
    assert not list((tmp_path / "s" / "data").rglob(".tmp-*"))
