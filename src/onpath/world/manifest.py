"""MANIFEST.json of a world: seed, scale, date, "synthetic": true, files {relpath: sha256}, realism."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hashes(root: Path) -> dict[str, str]:
    """{relative posix path: sha256} of every file under `root` except MANIFEST.json, sorted."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if rel == "MANIFEST.json" or name.startswith("."):
                continue
            out[rel] = sha256(p)
    return dict(sorted(out.items()))


def write(root: Path, *, seed: int, scale: str, date: str, realism: dict, extra: dict | None = None) -> Path:
    """Write MANIFEST.json (atomically) listing every file already written under `root`.

    Parameters
    ----------
    root : Path
        The world folder.
    seed, scale, date
        The generation arguments (date as YYYY-MM-DD).
    realism : dict
        Measured figures (see `onpath.world.realism`).
    extra : dict, optional
        More top-level keys (counts, generator, topology source).
    """
    doc = {"synthetic": True, "seed": seed, "scale": scale, "date": date, **(extra or {}),
           "files": file_hashes(root), "realism": realism}
    tmp = root / ".MANIFEST.json.tmp"
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, root / "MANIFEST.json")
    return root / "MANIFEST.json"
