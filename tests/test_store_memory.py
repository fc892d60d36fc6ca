"""Ingest streams: peak memory does not grow with the size of the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import test_store_csvkind as csvkind

TESTS = Path(__file__).resolve().parent
PROG = (
    "import resource, sys; sys.path.insert(0, {tests!r});"
    "import onpath.ingest.base as b; b.LOADER_MODULES.insert(0, 'test_store_csvkind');"
    "from onpath.store import Snapshot;"
    "Snapshot.open(sys.argv[2], create=True).ingest_file(sys.argv[1]);"
    "print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')][0])"  # not ru_maxrss: kept across execve
)


def _peak_kb(src: Path, snap: Path) -> int:
    r = subprocess.run([sys.executable, "-c", PROG.format(tests=str(TESTS)), str(src), str(snap)],
                       capture_output=True, text=True, check=True)
    return int(r.stdout.strip())


@pytest.mark.slow
def test_peak_memory_flat_in_file_size(tmp_path):
    small = csvkind.write(tmp_path / "small.txt", 300_000)
    big = csvkind.write(tmp_path / "big.txt", 3_000_000, seed=1)
    a = _peak_kb(small, tmp_path / "s1")
    b = _peak_kb(big, tmp_path / "s2")
    assert b < a + 60_000, (a, b)  # ten times the rows, < 60 MB more
