"""MRT loader (RFC 6396): RIBs and UPDATE streams to the `routes` and `peer_events` tables.

The decoding is done by the C extension `_mrtcore` (TABLE_DUMP, TABLE_DUMP_V2 with ADD-PATH,
BGP4MP/BGP4MP_ET, type-5 BGP); this module wraps its column buffers into Arrow record batches with
the schemas of `onpath.models.tables`. Damaged records go through `LoadContext.reject` with their
byte offset (in the decompressed stream) and the decoder resumes at the next valid record.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from onpath.ingest.mrt._mrtcore import Core, labels
from onpath.ingest.mrt.reader import CompressedStreamError, chunks

if TYPE_CHECKING:  # pyarrow is imported on first use: `onpath mrt dump` starts faster without it
    import pyarrow as pa

    from onpath.ingest.base import LoadContext

KIND = "mrt"
BATCH_ROWS = 1 << 18

_MRT_TYPES = {5: range(0, 8), 12: range(1, 5), 13: range(1, 13), 16: range(0, 12), 17: range(0, 12)}
_RIS = re.compile(r"^(rrc\d\d)$")
_RIS_IN_NAME = re.compile(r"(?:^|[._-])(rrc\d\d)(?:[._-]|$)")
_RV = re.compile(r"(route-views[\w.-]*?)(?:\.(?:ribs|updates|bgpdata|rib)\b|$)")


def detect(head: bytes, name: str) -> bool:
    """True when `head` starts with an MRT record header of a kind this loader reads.

    Parameters
    ----------
    head : bytes
        The first decompressed bytes of the file.
    name : str
        The file name (unused: MRT is recognised by content).

    Returns
    -------
    bool
    """
    if len(head) < 12:
        return False
    _ts, typ, sub, length = struct.unpack_from("!IHHI", head)
    if typ not in _MRT_TYPES or sub not in _MRT_TYPES[typ] or length > (16 << 20):
        return False
    nxt = 12 + length
    if len(head) >= nxt + 12:  # a second header, when the head holds one, must be sane too
        _ts2, typ2, sub2, len2 = struct.unpack_from("!IHHI", head, nxt)
        return typ2 in _MRT_TYPES and sub2 in _MRT_TYPES[typ2] and len2 <= (16 << 20)
    return True


def infer_collector(path: str | Path) -> str | None:
    """The collector a file comes from, from its path: RIS `rrcNN`, RouteViews `route-views*`.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str or None
        e.g. ``rrc00``, ``route-views.jinx``, ``route-views2``; None when nothing in the path says.

    Examples
    --------
    >>> infer_collector("data/rrc01/2000.11/updates.20001104.0124.gz")
    'rrc01'
    >>> infer_collector("routeviews.route-views.jinx.ribs.1401487200.bz2")
    'route-views.jinx'
    """
    parts = Path(path).parts
    for part in reversed(parts):
        m = _RIS.match(part) or _RIS_IN_NAME.search(part)
        if m:
            return m.group(1)
        m = _RV.search(part)
        if m:
            return m.group(1).rstrip(".")
    return None


def _bitmap(valid: bytes, n: int) -> pa.Buffer | None:
    import numpy as np
    import pyarrow as pa

    v = np.frombuffer(valid, np.uint8, count=n)
    if n == 0 or v.all():
        return None
    return pa.py_buffer(np.packbits(v, bitorder="little").tobytes())


def _strings(off: bytes, data: bytes, n: int, valid: bytes | None = None) -> pa.Array:
    import pyarrow as pa

    bm = _bitmap(valid, n) if valid is not None else None
    return pa.Array.from_buffers(pa.string(), n, [bm, pa.py_buffer(off), pa.py_buffer(data)])


def _prim(t: pa.DataType, data: bytes, n: int, valid: bytes | None = None) -> pa.Array:
    import pyarrow as pa

    bm = _bitmap(valid, n) if valid is not None else None
    return pa.Array.from_buffers(t, n, [bm, pa.py_buffer(data)])


def _dict(idx: pa.Array, values: pa.Array, t: pa.DataType) -> pa.Array:
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(idx.cast(t), values)


def _const_dict(value: str, n: int, t: pa.DataType) -> pa.Array:
    import numpy as np
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=t.to_pandas_dtype())), pa.array([value]))


_DICTS: list = []


def _dictionaries():
    """The fixed dictionaries of mrt_type, kind and origin (built once)."""
    if not _DICTS:
        import pyarrow as pa

        _DICTS.extend([pa.array(labels(), pa.string()), pa.array(["rib", "announce", "withdraw"], pa.string()),
                       pa.array(["IGP", "EGP", "INCOMPLETE"], pa.string())])
    return _DICTS


def routes_batch(cols: dict, collector: str, source_file: str) -> pa.RecordBatch:
    """A `routes` RecordBatch (schema `ROUTES`) from the C decoder's column buffers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from onpath.models.tables import ROUTES

    labels_, kinds, origins = _dictionaries()
    n = cols["rows"]
    n_comm = len(cols["comm_off"]) // 4 - 1
    n_lcomm = len(cols["lcomm_off"]) // 4 - 1
    n_asn = len(cols["path"]) // 4
    path_values = _prim(pa.uint32(), cols["path"], n_asn)
    comm_values = _strings(cols["comm_off"], cols["comm"], n_comm)
    lcomm_values = _strings(cols["lcomm_off"], cols["lcomm"], n_lcomm)
    peer = _strings(cols["peer_off"], cols["peer"], n)
    arrays = [
        _dict(_prim(pa.int8(), cols["type"], n), labels_, pa.int8()),
        _prim(pa.int64(), cols["ts"], n),
        _const_dict(collector, n, pa.int16()),
        pc.dictionary_encode(peer).cast(pa.dictionary(pa.int32(), pa.string())),
        _prim(pa.uint32(), cols["peer_asn"], n),
        _dict(_prim(pa.int8(), cols["kind"], n), kinds, pa.int8()),
        _strings(cols["prefix_off"], cols["prefix"], n),
        _prim(pa.uint32(), cols["pathid"], n, cols["pathid_v"]),
        pa.Array.from_buffers(pa.list_(pa.uint32()), n, [_bitmap(cols["path_v"], n), pa.py_buffer(cols["path_off"])],
                              children=[path_values]),
        _strings(cols["ptext_off"], cols["ptext"], n, cols["list_v"]),
        _prim(pa.uint32(), cols["oasn"], n, cols["oasn_v"]),
        _dict(_prim(pa.int8(), cols["origin"], n, cols["origin_v"]), origins, pa.int8()),
        _strings(cols["nh_off"], cols["nh"], n, cols["nh_v"]),
        _prim(pa.uint32(), cols["lp"], n, cols["lp_v"]),
        _prim(pa.uint32(), cols["med"], n, cols["med_v"]),
        pa.Array.from_buffers(pa.list_(pa.string()), n, [None, pa.py_buffer(cols["comm_loff"])], children=[comm_values]),
        pa.Array.from_buffers(pa.list_(pa.string()), n, [None, pa.py_buffer(cols["lcomm_loff"])], children=[lcomm_values]),
        pa.array(np.frombuffer(cols["atomic"], np.bool_, count=n)),
        _strings(cols["agg_off"], cols["agg"], n, cols["agg_v"]),
        _prim(pa.uint32(), cols["otc"], n, cols["otc_v"]),
        _const_dict(source_file, n, pa.int16()),
        _prim(pa.int64(), cols["offset"], n),
        pa.Array.from_buffers(pa.list_(pa.binary()), n, [None, pa.py_buffer(cols["unk_loff"])], children=[
            pa.Array.from_buffers(pa.binary(), len(cols["unk_off"]) // 4 - 1, [None, pa.py_buffer(cols["unk_off"]), pa.py_buffer(cols["unk"])])]),
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=ROUTES)


def events_batch(events: list, collector: str, source_file: str) -> pa.RecordBatch:
    """A `peer_events` RecordBatch from the decoder's state-change tuples."""
    import pyarrow as pa

    from onpath.models.tables import PEER_EVENTS

    cols = list(zip(*events, strict=True)) if events else [[]] * 7
    n = len(events)
    return pa.RecordBatch.from_arrays(
        [
            pa.array(cols[0], pa.string()),
            pa.array(cols[1], pa.int64()),
            pa.array([collector] * n, pa.string()),
            pa.array(cols[2], pa.string()),
            pa.array(cols[3], pa.uint32()),
            pa.array(cols[4], pa.int32()),
            pa.array(cols[5], pa.int32()),
            pa.array([source_file] * n, pa.string()),
            pa.array(cols[6], pa.int64()),
        ],
        schema=PEER_EVENTS,
    )


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Decode one MRT file into ("routes", batch) and ("peer_events", batch) pairs.

    Parameters
    ----------
    path : str or Path
        An MRT file: plain, gzip or bzip2 (by magic bytes), any size (streamed).
    ctx : LoadContext
        Policy and counters; `ctx.collector` overrides the collector inferred from the path.

    Yields
    ------
    tuple of (str, pyarrow.RecordBatch)
        Batches of at most ~262k rows with the `ROUTES` / `PEER_EVENTS` schemas.

    Raises
    ------
    MalformedRecord
        Under `on_error="raise"`, at the first damaged record.
    """
    collector = ctx.collector or infer_collector(path) or "unknown"
    source = ctx.source_file or str(path)
    core = Core()

    def drain(final: bool) -> Iterator[tuple[str, pa.RecordBatch]]:
        for off, why, raw in core.take_errors():
            ctx.reject(off, why, raw)
        if core.rows and (final or core.rows >= BATCH_ROWS):
            cols = core.take_columns()
            ctx.records += cols["rows"]
            yield "routes", routes_batch(cols, collector, source)
        ev = core.take_events() if final else []
        if ev:
            ctx.records += len(ev)
            yield "peer_events", events_batch(ev, collector, source)

    try:
        for chunk in chunks(path):
            core.feed(chunk)
            yield from drain(False)
        core.finish()
    except CompressedStreamError as e:
        core.finish()
        yield from drain(True)
        ctx.reject(core.offset, str(e), b"")
        return
    yield from drain(True)
