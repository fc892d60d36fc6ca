"""The store with the real MRT loader: RIBs and updates written by MrtWriter, and a real RIB."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import shared_file

from onpath.cli import main
from onpath.store import Snapshot

mrt = pytest.importorskip("onpath.ingest.mrt")
if getattr(mrt, "KIND", None) != "mrt":
    pytest.skip("the MRT loader is not here yet", allow_module_level=True)
from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer, Session  # noqa: E402

T0 = 1735689600  # 2025-01-01 00:00 UTC


def write_rib(path: Path, n_prefixes: int, n_peers: int = 4, seed: int = 0) -> Path:
    rng = random.Random(seed)
    peers = [Peer(64500 + i, f"192.0.2.{i + 1}") for i in range(n_peers)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with MrtWriter.open(str(path)) as w:
        w.peer_index_table(peers, ts=T0)
        for k in range(n_prefixes):
            pfx = f"{10 + k // 65536}.{(k // 256) % 256}.{k % 256}.0/24"
            origin = 65000 + k % 500
            entries = [(i, T0 - 60, Attrs(as_path=(p.asn, 3356 + rng.randrange(3), origin), next_hop=p.ip))
                       for i, p in enumerate(peers)]
            w.rib(T0, pfx, entries)
    return path


def test_world_layout_rib_and_updates(tmp_path, capsys):
    w = tmp_path / "world"
    write_rib(w / "mrt" / "route-views.linx" / "rib.20250101.0000.bz2", 300)
    s = Session(peer_asn=64500, peer_ip="192.0.2.1", local_asn=6447, local_ip="192.0.2.254")
    up = w / "mrt" / "rrc00" / "updates.20250101.0000.gz"
    up.parent.mkdir(parents=True)
    with MrtWriter.open(str(up)) as wr:
        wr.update(T0 + 10, s, announce=["203.0.113.0/24"], attrs=Attrs(as_path=(64500, 65001), next_hop="192.0.2.1"))
        wr.update(T0 + 20, s, withdraw=["203.0.113.0/24"])
        wr.state_change(T0 + 30, s, old_state=6, new_state=1)
    assert main(["ingest", str(w), "--snapshot", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "1200 records" in out
    snap = Snapshot.open(tmp_path / "s")
    assert snap.date == "2025-01-01"
    by = {d["collector"]: d for d in snap.datasets}
    assert by["route-views.linx"]["route_kinds"] == ["rib"] and by["route-views.linx"]["tables"] == {"routes": 1200}
    assert by["rrc00"]["route_kinds"] == ["announce", "withdraw"] and by["rrc00"]["tables"]["peer_events"] == 1
    assert by["rrc00"]["ts_min_us"] == (T0 + 10) * 10**6
    con = snap.con()
    assert con.execute("SELECT count(*) FROM routes WHERE collector='route-views.linx'").fetchone()[0] == 1200
    assert main(["snapshot", "show", str(tmp_path / "s"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)["snapshot"]
    assert doc["collectors"] == ["route-views.linx", "rrc00"] and doc["peers"] == 5
    assert doc["prefixes"] == 301 and doc["origin_ases"] == 300


def test_damaged_mrt_record_goes_to_rejects(tmp_path, capsys):
    f = write_rib(tmp_path / "rrc01" / "bview.20250101.0000", 50)
    data = bytearray(f.read_bytes())
    # break the 11th record's header length so that the loader must resynchronise or stop
    off = 0
    for _ in range(10):
        off += 12 + int.from_bytes(data[off + 8:off + 12], "big")
    data[off + 4:off + 6] = b"\x00\x63"  # an unknown MRT type
    f.write_bytes(bytes(data))
    assert main(["ingest", str(f), "--snapshot", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    snap = Snapshot.open(tmp_path / "s")
    (e,) = snap.datasets
    assert e["rejected"] >= 1 and f"{e['rejected']} rejected" in out
    rej = snap.con().execute('SELECT kind, source_file, "offset" FROM rejects ORDER BY "offset"').fetchall()
    assert len(rej) == e["rejected"] and {r[:2] for r in rej} == {("mrt", str(f))}
    assert 0 < rej[0][2] <= off  # the loader names the damaged record's offset (or the one before it)
    assert e["records"] + e["rejected"] >= 49


@pytest.mark.slow
def test_real_jinx_rib(tmp_path, capsys):
    rib = shared_file("mrt/rib/routeviews.route-views.jinx.ribs.1401487200.bz2")
    assert main(["ingest", str(rib), "--snapshot", str(tmp_path / "s")]) == 0
    capsys.readouterr()
    snap = Snapshot.open(tmp_path / "s")
    (e,) = snap.datasets
    assert e["collector"] == "route-views.jinx" and e["date"] == "2014-05-30" and snap.date == "2014-05-30"
    assert e["records"] == e["tables"]["routes"] == snap.con().execute("SELECT count(*) FROM routes").fetchone()[0]
    assert e["records"] > 490_000


@pytest.mark.slow
def test_sigkill_during_mrt_ingest(tmp_path):
    big = write_rib(tmp_path / "mrt" / "route-views2" / "rib.20250101.0000.bz2", 60_000, n_peers=8)
    s = tmp_path / "s"
    small = write_rib(tmp_path / "mrt" / "rrc00" / "bview.20250101.0000.gz", 100)
    Snapshot.open(s, create=True).ingest_file(small)
    before = (s / "manifest.json").read_bytes()
    cmd = [sys.executable, "-m", "onpath", "ingest", str(big), "--snapshot", str(s)]
    t0 = time.monotonic()
    subprocess.run([*cmd[:-1], str(tmp_path / "timing")], check=True, capture_output=True)
    full = time.monotonic() - t0
    for seed in range(6):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.Random(seed).uniform(0.1, 0.8) * full)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.wait()
        snap = Snapshot.open(s)
        if (s / "manifest.json").read_bytes() != before:
            break
        assert snap.con().execute("SELECT count(*) FROM routes").fetchone()[0] == 400
        assert {str(f.relative_to(s)) for f in (s / "data").rglob("*") if f.is_file()} == \
            set(snap.datasets[0]["files"])
    subprocess.run(cmd, check=True, capture_output=True)
    assert Snapshot.open(s).con().execute("SELECT count(*) FROM routes").fetchone()[0] == 400 + 480_000
