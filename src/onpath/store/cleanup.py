"""Leftovers of an interrupted ingest: temp files and Parquet files no manifest lists."""

from __future__ import annotations

from pathlib import Path

from onpath.store.lock import WriterLock
from onpath.store.manifest import MANIFEST, read_manifest


def remove_leftovers(root: str | Path) -> int:
    """Delete what a killed writer left in `root`, unless a writer is active now.

    Parameters
    ----------
    root : path
        The snapshot folder.

    Returns
    -------
    int
        Files removed (0 when another writer holds the lock).
    """
    root = Path(root)
    lock = WriterLock(root)
    try:
        if not lock.acquire(blocking=False):
            return 0
    except OSError:
        return 0
    try:
        m = read_manifest(root)
        listed = {str(root / f) for ds in m["datasets"] for f in ds.get("files", [])}
        n = 0
        for p in root.glob(f".{MANIFEST}.tmp-*"):
            p.unlink(missing_ok=True)
            n += 1
        data = root / "data"
        if data.is_dir():
            for p in data.glob("*/*"):
                if p.is_file() and str(p) not in listed:
                    p.unlink(missing_ok=True)
                    n += 1
        return n
    finally:
        lock.release()
