"""CAIDA AS relationships: serial-1 ``as-rel`` (``a|b|rel``) and serial-2 ``as-rel2`` (``a|b|rel|source``).

``rel`` is -1 (a is provider of b) or 0 (peers). Comment lines (``# source:...``, ``# input clique``)
are skipped. The fast path parses the whole file with pyarrow.csv; when it finds anything odd, a
line-by-line pass finds the bad lines with their numbers and keeps the rest.

References
----------
https://publicdata.caida.org/datasets/as-relationships/serial-2/README.txt
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from onpath.ingest.base import LoadContext, open_maybe_compressed
from onpath.ingest.textfmt import BATCH_ROWS, Columns, atomic_text, dataset_name, rows_of
from onpath.models.tables import AS_REL

KIND = "as-rel"
TABLE = "as_rel"

_LINE = re.compile(rb"^\d{1,10}\|\d{1,10}\|(-1|0)(\|[A-Za-z0-9_,-]*)?$")


def detect(head: bytes, name: str) -> bool:
    """True when the complete data lines of `head` are ``a|b|rel[|source]`` lines."""
    lines = head.split(b"\n")[:-1] if b"\n" in head else [head]
    data = [ln.rstrip(b"\r") for ln in lines if ln and not ln.startswith(b"#")]
    if not data:
        return b"# source:topology|" in head and b"as-rel" in name.encode()
    good = sum(1 for ln in data if _LINE.match(ln))
    return good >= max(1, int(0.9 * len(data)))


def _fast(body: bytes, source: str) -> pa.Table | None:
    """Parse the non-comment lines in one go; None when anything is off (the slow pass decides)."""
    try:
        tbl = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter="|", quote_char=False, double_quote=False),
            convert_options=pacsv.ConvertOptions(
                column_types={"f0": pa.uint32(), "f1": pa.uint32(), "f2": pa.int8(), "f3": pa.string()},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if tbl.num_columns not in (3, 4) or tbl.num_rows == 0:
        return None
    for i in range(3):
        if tbl.column(i).null_count:
            return None
    rel = tbl.column(2).to_numpy()
    if not np.isin(rel, (-1, 0)).all():
        return None
    if tbl.num_columns == 4:
        src = tbl.column(3).cast(pa.string())
        if pc.any(pc.equal(src, "")).as_py():
            return None
    else:
        src = pa.array([source] * tbl.num_rows, type=pa.string())
    return pa.Table.from_arrays([tbl.column(0), tbl.column(1), tbl.column(2), src], schema=AS_REL)


def _slow(lines: list[bytes], ctx: LoadContext, source: str) -> Iterator[pa.RecordBatch]:
    cols = Columns(AS_REL)
    width = None
    for no, raw in enumerate(lines, 1):
        ln = raw.rstrip(b"\r")
        if not ln or ln.startswith(b"#"):
            continue
        f = ln.split(b"|")
        if width is None and len(f) in (3, 4):
            width = len(f)
        if len(f) != width:
            ctx.reject(no, f"expected {width or '3 or 4'} |-separated fields, got {len(f)}", raw)
            continue
        try:
            a, b, r = int(f[0]), int(f[1]), int(f[2])
        except ValueError:
            ctx.reject(no, "ASN or relationship is not an integer", raw)
            continue
        if not (0 <= a <= 0xFFFFFFFF and 0 <= b <= 0xFFFFFFFF):
            ctx.reject(no, "ASN out of range", raw)
            continue
        if r not in (-1, 0):
            ctx.reject(no, f"relationship {r} is neither -1 (p2c) nor 0 (p2p)", raw)
            continue
        s = f[3].decode("utf-8", "replace") if width == 4 else source
        if not s:
            ctx.reject(no, "empty source field", raw)
            continue
        ctx.records += 1
        if cols.add(a, b, r, s):
            yield cols.batch()
    if len(cols):
        yield cols.batch()


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("as_rel", batch)`` pairs of an as-rel or as-rel2 file (plain, .gz or .bz2).

    Parameters
    ----------
    path : str or Path
        The file.
    ctx : LoadContext
        Policy and counters; every bad line goes through ``ctx.reject(line_no, reason, raw)``.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        Batches with the ``AS_REL`` schema; ``source`` is the serial-2 source column, or the file's
        dataset name (e.g. ``20080101.as-rel``) for serial-1.
    """
    with open_maybe_compressed(path) as f:
        data = f.read()
    source = dataset_name(path)
    lines = data.split(b"\n")
    body = b"\n".join(ln for ln in lines if ln and not ln.startswith(b"#"))
    tbl = _fast(body, source) if body else None
    if tbl is None:
        for b in _slow(lines, ctx, source):
            yield TABLE, b
        return
    ctx.records += tbl.num_rows
    for b in tbl.to_batches(max_chunksize=BATCH_ROWS * 4):
        yield TABLE, b


def write_as_rel2(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                  header: Iterable[str] = ()) -> Path:
    """Write a serial-2 ``as-rel2`` file (atomic; .bz2/.gz by name).

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``asn1``, ``asn2``, ``rel`` (-1 or 0) and ``source`` (``bgp``, ``mlp``, ``bgp,mlp``).
    path : str or Path
        Output file.
    header : iterable of str
        Comment lines written first, each prefixed with ``# ``.

    Returns
    -------
    Path
        `path`.
    """
    with atomic_text(path) as out:
        for h in header:
            out.write(f"# {h}\n")
        for r in rows_of(rows):
            out.write(f"{int(r['asn1'])}|{int(r['asn2'])}|{int(r['rel'])}|{r.get('source') or 'bgp'}\n")
    return Path(path)


def write_as_rel(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                 header: Iterable[str] = ()) -> Path:
    """Write a serial-1 ``as-rel`` file (``a|b|rel``; no source column). See `write_as_rel2`."""
    with atomic_text(path) as out:
        for h in header:
            out.write(f"# {h}\n")
        for r in rows_of(rows):
            out.write(f"{int(r['asn1'])}|{int(r['asn2'])}|{int(r['rel'])}\n")
    return Path(path)
