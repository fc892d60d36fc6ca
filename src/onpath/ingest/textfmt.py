"""Small pieces the registry loaders and writers share: atomic compressed writes, column batches,
ASN and prefix normalisation.
"""

from __future__ import annotations

import bz2
import gzip
import io
import ipaddress
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

BATCH_ROWS = 65536


@contextmanager
def atomic_text(path: str | Path) -> Iterator[IO[str]]:
    """Open `path` for writing text through a temp file renamed into place on success.

    ``.gz`` and ``.bz2`` names are compressed (gzip with mtime 0, so output is reproducible).

    Parameters
    ----------
    path : str or Path
        The final file name.

    Yields
    ------
    IO[str]
        A UTF-8 text stream with ``\\n`` line endings.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    raw = open(tmp, "wb")
    try:
        if p.name.endswith(".gz"):
            comp: IO[bytes] = gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0)  # type: ignore[assignment]
        elif p.name.endswith(".bz2"):
            comp = bz2.BZ2File(raw, mode="wb")  # type: ignore[assignment]
        else:
            comp = raw
        text = io.TextIOWrapper(comp, encoding="utf-8", newline="\n")
        yield text
        text.flush()
        text.close()  # closes comp
        if comp is not raw:
            raw.close()
        os.replace(tmp, p)
    except BaseException:
        raw.close()
        tmp.unlink(missing_ok=True)
        raise


def rows_of(rows: Iterable[dict[str, Any]] | pa.Table | pa.RecordBatch) -> Iterator[dict[str, Any]]:
    """Rows as dicts, from an Arrow table or batch or any iterable of dicts."""
    if isinstance(rows, pa.Table | pa.RecordBatch):
        yield from rows.to_pylist()
    else:
        yield from rows


class Columns:
    """Accumulates rows column by column and hands out RecordBatches of at most `size` rows."""

    def __init__(self, schema: pa.Schema, size: int = BATCH_ROWS):
        self.schema = schema
        self.size = size
        self.cols: list[list[Any]] = [[] for _ in schema.names]

    def __len__(self) -> int:
        return len(self.cols[0])

    def add(self, *values: Any) -> bool:
        """Append one row (values in schema order); True when a batch is due."""
        for c, v in zip(self.cols, values, strict=True):
            c.append(v)
        return len(self.cols[0]) >= self.size

    def batch(self) -> pa.RecordBatch:
        """The rows so far as one batch; the accumulator is emptied."""
        arrays = [pa.array(c, type=f.type) for c, f in zip(self.cols, self.schema, strict=True)]
        self.cols = [[] for _ in self.schema.names]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def parse_asn(text: str) -> int:
    """An ASN from ``123``, ``AS123``, ``as123`` or asdot ``1.10``; ValueError when it is none."""
    t = text.strip()
    if t[:2] in ("AS", "as", "As"):
        t = t[2:]
    if "." in t:
        hi, _, lo = t.partition(".")
        if not (hi.isdigit() and lo.isdigit()) or int(hi) > 65535 or int(lo) > 65535:
            raise ValueError(f"bad ASN {text!r}")
        return int(hi) * 65536 + int(lo)
    if not t.isdigit():
        raise ValueError(f"bad ASN {text!r}")
    v = int(t)
    if v > 0xFFFFFFFF:
        raise ValueError(f"ASN {text!r} out of range")
    return v


def canonical_prefix(text: str, strict: bool = True) -> str:
    """A prefix in compressed canonical form (``10.0.0.0/8``, ``2001:db8::/32``).

    Raises ValueError on a malformed prefix, or one with host bits set when `strict`.
    """
    t = text.strip()
    if "/" not in t:
        raise ValueError(f"not a prefix: {text!r}")
    if ":" not in t:
        addr, _, ln = t.partition("/")
        parts = addr.split(".")
        if len(parts) == 4 and ln.isdigit() and all(p.isdigit() and len(p) <= 3 for p in parts):
            n = int(ln)
            vals = [int(p) for p in parts]
            if n <= 32 and all(v <= 255 for v in vals):
                iv = (vals[0] << 24) | (vals[1] << 16) | (vals[2] << 8) | vals[3]
                mask = (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF
                if iv & ~mask & 0xFFFFFFFF:
                    if strict:
                        raise ValueError(f"host bits set in {text!r}")
                    iv &= mask
                return f"{iv >> 24}.{(iv >> 16) & 255}.{(iv >> 8) & 255}.{iv & 255}/{n}"
        raise ValueError(f"not a prefix: {text!r}")
    try:
        return str(ipaddress.ip_network(t, strict=strict))
    except ValueError as e:
        raise ValueError(f"not a prefix: {text!r} ({e})") from None


def dataset_name(path: str | Path) -> str:
    """The file name without compression and ``.txt`` suffixes (``20080101.as-rel``)."""
    name = Path(path).name
    for suf in (".bz2", ".gz", ".txt", ".csv", ".jsonl", ".json"):
        if name.endswith(suf):
            name = name[: -len(suf)]
    return name
