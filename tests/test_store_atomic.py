"""A real `onpath ingest` killed with SIGKILL at random points leaves the snapshot as it was."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import test_store_csvkind as csvkind

from onpath.store import Snapshot

TESTS = Path(__file__).resolve().parent
BIG = 250_000  # lines: most of a second of ingest on one core
PROG = (
    "import sys; sys.path.insert(0, {tests!r});"
    "import onpath.ingest.base as b; b.LOADER_MODULES.insert(0, 'test_store_csvkind');"
    "from onpath.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _ingest(args):
    return subprocess.Popen([sys.executable, "-c", PROG.format(tests=str(TESTS)), "ingest", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _state(snap_dir: Path):
    snap = Snapshot.open(snap_dir)
    con = snap.con()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("as_rel", "rejects", "routes")}
    return (snap_dir / "manifest.json").read_bytes(), counts


def test_sigkill_leaves_snapshot_unchanged(tmp_path, monkeypatch):
    csvkind.register(monkeypatch)
    small = csvkind.write(tmp_path / "small.txt", 1000, bad_every=100)
    big = csvkind.write(tmp_path / "big.txt", BIG, bad_every=997, seed=5)
    s = tmp_path / "s"
    Snapshot.open(s, create=True).ingest_file(small, warn=False)
    before, counts = _state(s)
    assert counts["as_rel"] == 990

    t0 = time.monotonic()
    p = _ingest([str(big), "--snapshot", str(tmp_path / "timing")])
    assert p.wait() == 0, p.stderr.read()
    full = time.monotonic() - t0
    full_rows = Snapshot.open(tmp_path / "timing").datasets[0]["tables"]["as_rel"]

    killed = []
    for seed in range(10):
        if len(killed) >= 3:
            break
        snap_dir = tmp_path / f"s{seed}"
        shutil.copytree(s, snap_dir)
        delay = random.Random(seed).uniform(0.1, 0.9) * full
        p = _ingest([str(big), "--snapshot", str(snap_dir)])
        time.sleep(delay)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        rc = p.wait()
        err = p.stderr.read().decode()
        p.stderr.close()
        manifest, now = _state(snap_dir)
        if rc == -signal.SIGKILL and manifest == before:
            killed.append(snap_dir)
            assert now == counts
            # nothing but committed files remain after the reopen's clean-up
            listed = {f for d in json.loads(manifest)["datasets"] for f in d["files"]}
            on_disk = {str(f.relative_to(snap_dir)) for f in (snap_dir / "data").rglob("*") if f.is_file()}
            assert on_disk == listed
        else:  # finished, or killed after the commit: the dataset is there completely
            assert rc in (0, -signal.SIGKILL), err
            m = json.loads(manifest)
            assert m["datasets"][-1]["tables"]["as_rel"] == full_rows
            assert now["as_rel"] == counts["as_rel"] + full_rows
    assert len(killed) >= 3

    p = _ingest([str(big), "--snapshot", str(killed[-1])])
    assert p.wait() == 0, p.stderr.read()
    p.stderr.close()
    _, after = _state(killed[-1])
    assert after["as_rel"] == counts["as_rel"] + full_rows
    assert after["rejects"] == counts["rejects"] + BIG // 997
