"""The snapshot manifest: the commit point of a snapshot, written atomically.

`DIR/manifest.json` lists every dataset (SPEC §2 fields plus `files`, `tables`, `collector`,
`date`). A dataset exists for readers exactly when it is listed here; Parquet files not listed are
leftovers of an interrupted ingest and are removed by the next writer.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from onpath.errors import SchemaMismatch
from onpath.fsutil import atomic_write, fsync_dir  # noqa: F401  (re-exported for the store)

FORMAT = "onpath.snapshot/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


def empty_manifest() -> dict[str, Any]:
    """A manifest with no datasets."""
    return {"format": FORMAT, "date": None, "datasets": []}


def read_manifest(root: str | Path) -> dict[str, Any]:
    """Read `root/manifest.json`; an absent file is an empty manifest.

    Raises
    ------
    SchemaMismatch
        When the file is not JSON or not an onpath snapshot manifest.
    """
    path = Path(root) / MANIFEST
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return empty_manifest()
    try:
        m = json.loads(data)
    except ValueError as e:
        raise SchemaMismatch(f"not JSON: {e}", file=str(path)) from None
    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("datasets"), list):
        raise SchemaMismatch(f"not an {FORMAT} manifest", file=str(path))
    return m


def dump_manifest(m: dict[str, Any]) -> bytes:
    """The manifest's canonical bytes (stable key order as built, two-space indent)."""
    return (json.dumps(m, indent=2, ensure_ascii=False) + "\n").encode()



def write_manifest(root: str | Path, m: dict[str, Any]) -> None:
    """Commit `m` as `root/manifest.json` atomically."""
    atomic_write(Path(root) / MANIFEST, dump_manifest(m))


def file_sha256(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})\.\d{4}(?!\d)"),  # rib.20250101.0000, bview..., updates...
    re.compile(r"(?<!\d)(\d{4})_(\d{2})_(\d{2})(?!\d)"),  # peeringdb_2_dump_2025_01_01
    re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),  # 2025-01-01
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),  # 20250101.as-rel2, delegated-...-20250101
]


def date_from_name(name: str) -> str | None:
    """The dataset date (YYYY-MM-DD) a public file name carries, or None.

    Examples
    --------
    >>> date_from_name("rib.20250101.0800.bz2"), date_from_name("peeringdb_2_dump_2024_12_31.json")
    ('2025-01-01', '2024-12-31')
    """
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(name):
            y, mo, d = (int(x) for x in m.groups())
            if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
