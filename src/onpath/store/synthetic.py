"""Is a file part of a synthetic world? (SPEC §2, §6)

A file is synthetic when a `MANIFEST.json` with `"synthetic": true` in an enclosing folder lists its
SHA-256 among its `files`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def _world_hashes(manifest: str, mtime_ns: int) -> frozenset[str]:
    try:
        m = json.loads(Path(manifest).read_bytes())
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(m, dict) or m.get("synthetic") is not True:
        return frozenset()
    files = m.get("files")
    if isinstance(files, dict):
        return frozenset(str(v).lower() for v in files.values())
    if isinstance(files, list):  # tolerate [{"path":..., "sha256":...}]
        return frozenset(str(f.get("sha256", "")).lower() for f in files if isinstance(f, dict))
    return frozenset()


def world_manifests(path: str | Path) -> list[Path]:
    """Every `MANIFEST.json` in the folders enclosing `path`, nearest first."""
    out = []
    for parent in Path(path).resolve().parents:
        cand = parent / "MANIFEST.json"
        if cand.is_file():
            out.append(cand)
    return out


def is_synthetic(path: str | Path, sha256: str) -> bool:
    """True when a synthetic world's `MANIFEST.json` above `path` lists `sha256`.

    Parameters
    ----------
    path : str or Path
        The ingested file.
    sha256 : str
        Its SHA-256 in hex.

    Returns
    -------
    bool
    """
    for m in world_manifests(path):
        try:
            mtime = m.stat().st_mtime_ns
        except OSError:
            continue
        if sha256.lower() in _world_hashes(str(m), mtime):
            return True
    return False
