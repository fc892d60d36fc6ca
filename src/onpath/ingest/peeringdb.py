"""PeeringDB: the full dump (CAIDA's archive, ``peeringdb_2_dump_YYYY_MM_DD.json``: one object
``{"org": {"data": [...], "meta": {}}, "net": {...}, ...}``) and API export pages
(``{"data": [...], "meta": {}}`` of one object type, named after it: ``net.json``,
``.../net/page-1.json``, ``prod-net/page-1.json``; else the type is told by the records' fields).

Streamed (`onpath.ingest.jsonstream`), never read whole: runs of whole records go through pyarrow's
JSON reader, the rest record by record. Tables ``pdb_<type>`` keep the dump's scalar fields (lists
such as ``social_media`` are left out); the schemas are in `onpath.ingest.peeringdb_schema`.
Object types other than the eight (``poc``, ``ixfac``, ``carrier``, ``campus``...) are skipped.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson

from onpath.ingest import jsonstream
from onpath.ingest.base import LoadContext, open_maybe_compressed
from onpath.ingest.peeringdb_schema import (  # noqa: F401  (SCHEMAS, TYPES are this module's API too)
    FIELDS,
    SCHEMAS,
    TYPES,
    to_batch,
    type_from_fields,
    type_from_name,
)

KIND = "peeringdb"
BATCH = 32768

_HEAD = re.compile(rb'^\s*\{\s*"(data|meta|org|net|fac|ix|ixlan|ixpfx|netfac|netixlan|poc|ixfac|campus|carrier|carrierfac)"\s*:\s*[\[{]')


def detect(head: bytes, name: str) -> bool:
    """True for a dump (``{"<type>": {"data": [``) or an API page (``{"data": [`` ... ``"meta"``)."""
    m = _HEAD.match(head)
    if not m:
        return False
    if m.group(1) in (b"data", b"meta"):
        return b'"id"' in head[:65536] or b'"meta"' in head
    return b'"data"' in head[:4096]


def _fast(text: bytes, sep: str, table: str) -> pa.Table | None:
    """A slice of records as NDJSON through pyarrow.json; None when it does not parse cleanly."""
    bsep = sep.encode("utf-8")
    nd = text.replace(bsep, b"\n" + bsep[bsep.index(b"{"):])
    try:
        tbl = pajson.read_json(io.BytesIO(nd), read_options=pajson.ReadOptions(block_size=1 << 21),
                               parse_options=pajson.ParseOptions(
                                   explicit_schema=SCHEMAS[table], unexpected_field_behavior="ignore",
                                   newlines_in_values=b"\n" in text))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if tbl.column("id").null_count:
        return None
    return tbl


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("pdb_<type>", batch)`` pairs from a PeeringDB dump or API page, streamed.

    Runs of whole records go through pyarrow's JSON reader; a run that does not parse cleanly is
    decoded record by record, so a damaged record costs only itself.

    Parameters
    ----------
    path : str or Path
        The JSON (plain or compressed).
    ctx : LoadContext
        Policy and counters; a damaged record is rejected with its byte offset (the rest kept), a
        record that is not an object or has no ``id`` with offset -1 and its position in the reason.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        Batches of at most about 32,768 rows with the schemas in `SCHEMAS`.
    """
    page_type = type_from_name(path)
    buf: dict[str, list[dict[str, Any]]] = {}
    done: dict[str, list[pa.Table]] = {}
    seen: dict[tuple[str, ...], int] = {}

    def flush(t: str) -> Iterator[tuple[str, pa.RecordBatch]]:
        parts = done.pop(t, [])
        if buf.get(t):
            parts.append(pa.Table.from_batches([to_batch(f"pdb_{t}", buf[t])]))
            buf[t] = []
        if parts:
            for b in pa.concat_tables(parts).combine_chunks().to_batches(max_chunksize=BATCH):
                yield f"pdb_{t}", b

    def pending(t: str) -> int:
        return len(buf.get(t, ())) + sum(p.num_rows for p in done.get(t, ()))

    with open_maybe_compressed(path) as f:
        try:
            for ev, kp, v, off, reason in jsonstream.stream(f, slices=True):
                if ev == "value":
                    continue
                if kp == ("data",):
                    t = page_type or (type_from_fields(v) if ev == "item" and isinstance(v, dict) else None)
                    page_type = t
                elif len(kp) == 2 and kp[1] == "data":
                    t = kp[0]
                else:
                    continue
                if ev == "slice":
                    if t not in FIELDS:
                        continue
                    tbl = _fast(v, reason, f"pdb_{t}")
                    if tbl is not None:
                        ctx.records += tbl.num_rows
                        seen[kp] = seen.get(kp, 0) + tbl.num_rows
                        if buf.get(t):  # keep file order: records decoded one by one go first
                            done.setdefault(t, []).append(pa.Table.from_batches([to_batch(f"pdb_{t}", buf[t])]))
                            buf[t] = []
                        done.setdefault(t, []).append(tbl)
                        if pending(t) >= BATCH:
                            yield from flush(t)
                        continue
                    events = jsonstream.expand(v, kp, off, reason)
                else:
                    events = iter([(ev, kp, v, off, reason)])
                for ev2, _kp, v2, off2, reason2 in events:
                    if ev2 == "bad":
                        ctx.reject(off2, f"{t or 'unknown'} record: {reason2}", v2)
                        continue
                    n = seen[kp] = seen.get(kp, 0) + 1
                    if t not in FIELDS:
                        if t is None:
                            ctx.reject(-1, f"record #{n} of {'/'.join(kp)}: unknown object type",
                                       json.dumps(v2).encode())
                        continue
                    if not isinstance(v2, dict) or "id" not in v2:
                        ctx.reject(-1, f"{t} record #{n}: not an object with an id", json.dumps(v2).encode())
                        continue
                    buf.setdefault(t, []).append(v2)
                    ctx.records += 1
                if t in FIELDS and pending(t) >= BATCH:
                    yield from flush(t)
        except jsonstream.JsonSyntax as e:
            ctx.reject(e.offset, str(e))
    for t in list({*buf, *done}):
        yield from flush(t)


from onpath.ingest.peeringdb_write import write_peeringdb_dump, write_peeringdb_page  # noqa: E402,F401  (writers beside the loader)
