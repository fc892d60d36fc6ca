"""What every loader shares: the bad-input policy, rejects, and the kind registry.

A loader is a module `onpath.ingest.<name>` with
- `KIND`: the SPEC §1 kind it loads (`mrt`, `as-rel`, `as-org`, `peeringdb`, `rir`, `vrp`, `geo`,
  `vantage-points`, `state-owned`);
- `detect(head: bytes, name: str) -> bool`: True when the first bytes (already decompressed, up to
  64 KiB) and the file name look like this format;
- `load(path: Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]`: yields
  (table name, batch) pairs whose schemas are those of `onpath.models.tables` (or the loader's own,
  for `pdb_*`); counts go into `ctx.records`; every bad record goes through `ctx.reject(...)`.
"""

from __future__ import annotations

import bz2
import gzip
import importlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from onpath.errors import MalformedRecord, UsageError

OnError = Literal["skip", "raise", "collect"]
ON_ERROR_CHOICES = ("skip", "raise", "collect")

# Loader modules in detection order: the most specific content signatures first.
LOADER_MODULES = [
    "onpath.ingest.mrt",
    "onpath.ingest.peeringdb",
    "onpath.ingest.asorg",
    "onpath.ingest.asrel",
    "onpath.ingest.rir",
    "onpath.ingest.vrp",
    "onpath.ingest.geo",
    "onpath.ingest.vantage",
    "onpath.ingest.stateowned",
]

MAX_RAW = 64 * 1024


@dataclass(frozen=True, slots=True)
class Reject:
    """One bad record: where it was, why, and its bytes (up to 64 KiB)."""

    source_file: str
    offset: int
    reason: str
    raw: bytes = b""


@dataclass
class LoadContext:
    """The policy and counters of one file's load."""

    source_file: str
    on_error: OnError = "collect"
    collector: str | None = None
    records: int = 0
    skipped: int = 0
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    warn: bool = True  # print one line per bad record on stderr

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR_CHOICES:
            raise UsageError(f"--on-error must be one of {', '.join(ON_ERROR_CHOICES)}, not {self.on_error!r}")

    def reject(self, offset: int, reason: str, raw: bytes = b"") -> None:
        """Apply the policy to one bad record at `offset` (byte offset, or line number for text)."""
        if self.on_error == "raise":
            raise MalformedRecord(reason, file=self.source_file, where=offset)
        if self.warn:
            import sys

            print(f"onpath: warning: {self.source_file}:{offset}: {reason}", file=sys.stderr)
        if self.on_error == "skip":
            self.skipped += 1
        else:
            self.rejected += 1
            self.rejects.append(Reject(self.source_file, offset, reason, bytes(raw[:MAX_RAW])))


def open_maybe_compressed(path: str | Path) -> IO[bytes]:
    """Open plain, gzip or bzip2 by magic bytes (not by name)."""
    p = Path(path)
    f = open(p, "rb")
    magic = f.read(3)
    f.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[return-value]
    if magic == b"BZh":
        return bz2.BZ2File(f, mode="rb")  # type: ignore[return-value]
    return f


def read_head(path: str | Path, n: int = 64 * 1024) -> bytes:
    """The first `n` decompressed bytes (less on a short or damaged file)."""
    try:
        with open_maybe_compressed(path) as f:
            return f.read(n)
    except (OSError, EOFError):
        with open(path, "rb") as f:
            return f.read(n)


def text_lines(path: str | Path) -> io.TextIOWrapper:
    """Decompressed text lines, UTF-8 with replacement (registry files carry odd bytes)."""
    return io.TextIOWrapper(open_maybe_compressed(path), encoding="utf-8", errors="replace", newline="")


def loader_module(kind: str):
    """The loader module of a SPEC §1 kind."""
    for name in LOADER_MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(mod, "KIND", None) == kind:
            return mod
    raise UsageError(f"unknown or unavailable --kind {kind!r}")


def detect_kind(path: str | Path) -> str | None:
    """The kind of a file from its content (and name), or None when no loader recognises it."""
    head = read_head(path)
    name = Path(path).name
    for modname in LOADER_MODULES:
        try:
            mod = importlib.import_module(modname)
        except ImportError:
            continue
        try:
            if mod.detect(head, name):
                return mod.KIND
        except Exception:  # a detector must never break detection of the others
            continue
    return None
