"""The RIB fast path (`RibIndex`) and the general DuckDB path give the same analysis on a world
snapshot whose collectors all have a RIB *and* updates (the updates are ignored by both, SPEC §4:
the RIB path at the snapshot time)."""

from __future__ import annotations

import pytest

from onpath.cli import main
from onpath.metrics import analyze, ribpaths
from onpath.store import Snapshot


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fast")
    assert main(["world", "generate", "--scale", "tiny", "--seed", "5", "--out", str(tmp / "w"), "--quiet"]) == 0
    assert main(["ingest", str(tmp / "w"), "--snapshot", str(tmp / "s")]) == 0
    return Snapshot.open(tmp / "s")


def _diffs(a, b, path=""):
    """Where two analyses differ, sample paths included, leaving out float noise below 1e-9 (sums
    in another order; the report rounds to 1e-6)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in _diffs(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _diffs(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        return [] if abs(a - b) <= 1e-9 else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def test_fast_path_taken_and_equal_to_general(snap, monkeypatch):
    kinds = snap.con().sql("SELECT DISTINCT kind::VARCHAR FROM routes").fetchall()
    assert {k for (k,) in kinds} >= {"rib", "announce"}, "the world must have updates too"
    assert ribpaths.RibIndex.load(snap) is not None
    fast = analyze(snap, "US")
    monkeypatch.setattr(ribpaths.RibIndex, "load", classmethod(lambda cls, s: None))
    general = analyze(snap, "US")
    assert _diffs(fast, general) == []
    assert fast["coverage"]["paths"]["usable"] > 0
    assert any(ev["samples"] for e in fast["entities"] for ev in e["evidence"])  # compared, not empty


@pytest.fixture(scope="module")
def rib_snap(snap, tmp_path_factory):
    """The same world with its RIB dumps only (and the registries): no updates at all."""
    tmp = tmp_path_factory.mktemp("ribonly")
    world = snap.root.parent / "w"
    s = Snapshot.open(tmp / "s", create=True)
    ribs = sorted(world.glob("mrt/*/rib.*"))
    assert ribs
    for f in ribs:
        s.ingest_file(f, kind="mrt", warn=False)
    for f in sorted((world / "caida").glob("*as-rel2*")) + sorted((world / "caida").glob("*as-org2info.txt*")):
        s.ingest_file(f, warn=False)
    return s


def test_rib_only_origins_equal_the_general_query(rib_snap):
    idx = ribpaths.RibIndex.load(rib_snap)
    assert idx is not None and idx.rib_only
    asns = {int(a) for (a,) in rib_snap.con().sql("SELECT DISTINCT origin_asn FROM routes USING SAMPLE 50 ROWS").fetchall()}
    fast = idx.origins(asns)
    q = ", ".join(str(a) for a in sorted(asns))
    general = rib_snap.con().sql(f"SELECT DISTINCT prefix, origin_asn FROM routes WHERE kind <> 'withdraw' "
                                 f"AND origin_asn IN ({q})").fetchall()
    assert fast.num_rows > 0
    assert sorted(zip(fast.column("prefix").to_pylist(), fast.column("origin_asn").to_pylist(), strict=True)) == sorted(general)


def test_rib_only_analysis_equal_to_general(rib_snap, monkeypatch):
    fast = analyze(rib_snap, "US")
    monkeypatch.setattr(ribpaths.RibIndex, "load", classmethod(lambda cls, s: None))
    general = analyze(rib_snap, "US")
    assert _diffs(fast, general) == []
    assert any(e["adjacency"]["cone"]["ases"] for e in fast["entities"])
