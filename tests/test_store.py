"""The snapshot store: commits, views, rejects, idempotence, synthetic flag, date."""

from __future__ import annotations

import hashlib
import json
import threading

import pyarrow as pa
import pytest
import test_store_csvkind as csvkind

from onpath.errors import MalformedRecord, OnpathError
from onpath.ingest.base import LoadContext
from onpath.models.tables import AS_REL, SCHEMAS
from onpath.store import Snapshot


@pytest.fixture
def kind(monkeypatch):
    csvkind.register(monkeypatch)
    return csvkind


def test_empty_snapshot_has_empty_views(tmp_path):
    snap = Snapshot.open(tmp_path / "s", create=True)
    assert snap.datasets == [] and snap.date is None and not snap.synthetic
    con = snap.con()
    for name, schema in SCHEMAS.items():
        rel = con.execute(f"SELECT * FROM {name}")
        assert [d[0] for d in rel.description] == schema.names
        assert rel.fetchall() == []
        assert not snap.has(name)
        assert snap.table(name).schema == schema
    with pytest.raises(OnpathError):
        Snapshot.open(tmp_path / "nothing")


def test_ingest_commit_and_views(tmp_path, kind):
    f = kind.write(tmp_path / "a.txt", 120_000, bad_every=1000)
    snap = Snapshot.open(tmp_path / "s", create=True)
    e = snap.ingest_file(f, warn=False)
    assert e["kind"] == "test-csv" and e["records"] == 119_880 and e["rejected"] == 120
    assert e["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest() and e["bytes"] == f.stat().st_size
    assert e["tables"] == {"as_rel": 119_880, "rejects": 120}
    assert e["synthetic"] is False and "already" not in e
    for k in ("kind", "source", "sha256", "bytes", "fetched_at", "records", "skipped", "rejected",
              "synthetic", "files", "tables", "collector", "date"):
        assert k in e
    # a fresh reader sees it through DuckDB and Arrow
    again = Snapshot.open(tmp_path / "s")
    con = again.con()
    assert con.execute("SELECT count(*) FROM as_rel").fetchone()[0] == 119_880
    assert con.execute("SELECT count(*), min(\"offset\") FROM rejects").fetchone() == (120, 1001)
    rej = again.table("rejects")
    assert rej.schema == SCHEMAS["rejects"] and rej.column("raw")[0].as_py().startswith(b"999|x")
    t = again.table("as_rel", columns=["asn1", "rel"])
    assert t.num_rows == 119_880 and t.column_names == ["asn1", "rel"]
    assert again.has("as_rel") and not again.has("routes")
    for p in e["files"]:
        assert (tmp_path / "s" / p).is_file() and p.startswith("data/")


def test_reingest_same_file_changes_nothing(tmp_path, kind):
    f = kind.write(tmp_path / "a.txt", 1000)
    snap = Snapshot.open(tmp_path / "s", create=True)
    snap.ingest_file(f)
    before = (tmp_path / "s" / "manifest.json").read_bytes()
    files = sorted(p.name for p in (tmp_path / "s").rglob("*.parquet"))
    e = snap.ingest_file(f)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(f.read_bytes())
    e2 = Snapshot.open(tmp_path / "s").ingest_file(copy)
    assert e["already"] and e2["already"]
    assert (tmp_path / "s" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "s").rglob("*.parquet")) == files


def test_two_files_union_and_policies(tmp_path, kind):
    a = kind.write(tmp_path / "a.txt", 500, bad_every=100)
    b = kind.write(tmp_path / "b.txt", 700, seed=3)
    snap = Snapshot.open(tmp_path / "s", create=True)
    snap.ingest_file(a, on_error="skip", warn=False)
    snap.ingest_file(b)
    assert [d["skipped"] for d in snap.datasets] == [5, 0]
    assert snap.con().execute("SELECT count(*) FROM as_rel").fetchone()[0] == 495 + 700
    assert not snap.has("rejects")
    c = kind.write(tmp_path / "c.txt", 500, bad_every=100, seed=9)
    before = (tmp_path / "s" / "manifest.json").read_bytes()
    with pytest.raises(MalformedRecord) as ei:
        snap.ingest_file(c, on_error="raise")
    assert ei.value.file == str(c) and ei.value.where == 101
    assert (tmp_path / "s" / "manifest.json").read_bytes() == before
    assert not list((tmp_path / "s" / "data").rglob(".tmp-*"))


def test_add_dataset_from_memory_is_idempotent(tmp_path):
    snap = Snapshot.open(tmp_path / "s", create=True)
    t = pa.table({"asn1": pa.array([1, 2], pa.uint32()), "asn2": pa.array([2, 3], pa.uint32()),
                  "rel": pa.array([-1, 0], pa.int8()), "source": ["x", "x"]}, schema=AS_REL)
    ctx = LoadContext("mem")
    ctx.records = 2
    e = snap.add_dataset("as-rel", "memory", [("as_rel", t)], ctx)
    assert len(e["sha256"]) == 64 and e["tables"] == {"as_rel": 2}
    e2 = snap.add_dataset("as-rel", "memory", iter([("as_rel", t)]), LoadContext("mem"))
    assert e2["already"] and len(snap.datasets) == 1


def test_schema_check(tmp_path):
    snap = Snapshot.open(tmp_path / "s", create=True)
    bad = pa.table({"asn1": pa.array([1], pa.uint32())})
    with pytest.raises(OnpathError, match="lacks columns"):
        snap.add_dataset("as-rel", "memory", [("as_rel", bad)], LoadContext("mem"))
    assert snap.datasets == [] and not list((tmp_path / "s" / "data").rglob("*.parquet"))


def test_synthetic_flag_from_world_manifest(tmp_path, kind):
    world = tmp_path / "world"
    (world / "caida").mkdir(parents=True)
    f = kind.write(world / "caida" / "x.txt", 50)
    g = kind.write(world / "caida" / "y.txt", 60)
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    (world / "MANIFEST.json").write_text(json.dumps({"synthetic": True, "files": {"caida/x.txt": sha}}))
    snap = Snapshot.open(tmp_path / "s", create=True)
    assert snap.ingest_file(f)["synthetic"] is True
    assert snap.ingest_file(g)["synthetic"] is False
    assert snap.synthetic


def test_stale_leftovers_cleaned_on_open(tmp_path, kind):
    snap = Snapshot.open(tmp_path / "s", create=True)
    snap.ingest_file(kind.write(tmp_path / "a.txt", 100))
    d = tmp_path / "s" / "data" / "as_rel"
    (d / ".tmp-dead-1-0.parquet").write_bytes(b"junk")
    (d / "0123456789abcdef-0.parquet").write_bytes(b"junk")  # renamed but never committed
    (tmp_path / "s" / ".manifest.json.tmp-1").write_bytes(b"{")
    Snapshot.open(tmp_path / "s")
    assert sorted(p.name for p in d.iterdir()) == [p.split("/")[-1] for p in snap.datasets[0]["files"] if "as_rel" in p]
    assert not (tmp_path / "s" / ".manifest.json.tmp-1").exists()


def test_reader_sees_whole_datasets_while_writer_runs(tmp_path, kind):
    snap = Snapshot.open(tmp_path / "s", create=True)
    files = [kind.write(tmp_path / f"{i}.txt", 60_000, seed=i) for i in range(3)]
    t = threading.Thread(target=lambda: [snap.ingest_file(f) for f in files])
    t.start()
    seen = set()
    while t.is_alive():
        n = Snapshot.open(tmp_path / "s").con().execute("SELECT count(*) FROM as_rel").fetchone()[0]
        seen.add(n)
    t.join()
    assert seen <= {0, 60_000, 120_000, 180_000}
    assert snap.con().execute("SELECT count(*) FROM as_rel").fetchone()[0] == 180_000


def test_date_from_names_and_manifest(tmp_path, kind):
    snap = Snapshot.open(tmp_path / "s", create=True)
    e = snap.ingest_file(kind.write(tmp_path / "20250101.as-rel2.txt", 10))
    assert e["date"] == "2025-01-01"
    assert snap.date is None  # no RIB yet
    snap.set_date("2025-01-02")
    assert Snapshot.open(tmp_path / "s").date == "2025-01-02"


def test_missing_or_corrupt_files_are_clear_errors(tmp_path, kind, capsys):
    from onpath.cli import main

    snap = Snapshot.open(tmp_path / "s", create=True)
    e = snap.ingest_file(kind.write(tmp_path / "a.txt", 10))
    (tmp_path / "s" / e["files"][0]).unlink()
    assert main(["snapshot", "show", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err
    assert "manifest.json: the manifest lists data/as_rel/" in err and "missing" in err
    (tmp_path / "s" / "manifest.json").write_text("{not json")
    assert main(["snapshot", "show", str(tmp_path / "s")]) == 1
    assert "manifest.json: not JSON" in capsys.readouterr().err


def test_concurrent_writers_both_commit(tmp_path, kind):
    files = [kind.write(tmp_path / f"{i}.txt", 30_000, seed=i) for i in range(4)]
    Snapshot.open(tmp_path / "s", create=True)
    errors = []

    def work(f):
        try:
            Snapshot.open(tmp_path / "s").ingest_file(f)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(f,)) for f in files]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    snap = Snapshot.open(tmp_path / "s")
    assert len(snap.datasets) == 4 and snap.con().execute("SELECT count(*) FROM as_rel").fetchone()[0] == 120_000
