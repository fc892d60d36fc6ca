"""PeeringDB: the full dump (CAIDA's archive, ``peeringdb_2_dump_YYYY_MM_DD.json``: one object
``{"org": {"data": [...], "meta": {}}, "net": {...}, ...}``) and API export pages
(``{"data": [...], "meta": {}}`` of one object type, named after it: ``net.json``,
``.../net/page-1.json``, ``prod-net/page-1.json``; else the type is told by the records' fields).

Streamed record by record (`onpath.ingest.jsonstream`), never read whole. Tables ``pdb_<type>`` keep
the dump's scalar fields (lists such as ``social_media`` are left out); the schemas are below.
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

KIND = "peeringdb"
BATCH = 32768

_T = {"i": pa.int64(), "s": pa.string(), "b": pa.bool_(), "f": pa.float64()}
_FIELDS = {
    "org": "id:i name:s aka:s name_long:s website:s notes:s logo:s address1:s address2:s city:s country:s state:s zipcode:s floor:s suite:s latitude:f longitude:f created:s updated:s status:s",
    "net": "id:i org_id:i name:s aka:s name_long:s website:s asn:i looking_glass:s route_server:s irr_as_set:s info_type:s info_prefixes4:i info_prefixes6:i info_traffic:s info_ratio:s info_scope:s info_unicast:b info_multicast:b info_ipv6:b info_never_via_route_servers:b ix_count:i fac_count:i notes:s netixlan_updated:s netfac_updated:s poc_updated:s policy_url:s policy_general:s policy_locations:s policy_ratio:b policy_contracts:s allow_ixp_update:b status_dashboard:s rir_status:s rir_status_updated:s logo:s created:s updated:s status:s",
    "fac": "id:i org_id:i org_name:s campus_id:i name:s aka:s name_long:s website:s clli:s rencode:s npanxx:s notes:s net_count:i ix_count:i carrier_count:i sales_email:s sales_phone:s tech_email:s tech_phone:s diverse_serving_substations:b property:s region_continent:s status_dashboard:s logo:s created:s updated:s status:s address1:s address2:s city:s country:s state:s zipcode:s floor:s suite:s latitude:f longitude:f",
    "ix": "id:i org_id:i name:s aka:s name_long:s city:s country:s region_continent:s media:s notes:s proto_unicast:b proto_multicast:b proto_ipv6:b website:s url_stats:s tech_email:s tech_phone:s policy_email:s policy_phone:s sales_phone:s sales_email:s net_count:i fac_count:i ixf_net_count:i ixf_last_import:s ixf_import_request:s ixf_import_request_status:s service_level:s terms:s status_dashboard:s logo:s created:s updated:s status:s",
    "ixlan": "id:i ix_id:i name:s descr:s mtu:i dot1q_support:b rs_asn:i arp_sponge:s ixf_ixp_member_list_url_visible:s ixf_ixp_member_list_url:s ixf_ixp_import_enabled:b created:s updated:s status:s",
    "ixpfx": "id:i ixlan_id:i protocol:s prefix:s in_dfz:b created:s updated:s status:s",
    "netfac": "id:i name:s city:s country:s net_id:i fac_id:i local_asn:i created:s updated:s status:s",
    "netixlan": "id:i net_id:i ix_id:i name:s ixlan_id:i notes:s speed:i asn:i ipaddr4:s ipaddr6:s is_rs_peer:b bfd_support:b operational:b net_side_id:i ix_side_id:i created:s updated:s status:s",
}
SCHEMAS: dict[str, pa.Schema] = {
    f"pdb_{t}": pa.schema([(f.split(":")[0], _T[f.split(":")[1]]) for f in spec.split()])
    for t, spec in _FIELDS.items()
}
TYPES = tuple(_FIELDS)

# fields that tell an API page's type when its name does not (checked in this order)
_SIGNS = [("netixlan", {"ipaddr4", "ixlan_id", "net_id"}), ("netfac", {"fac_id", "net_id"}),
          ("ixpfx", {"ixlan_id", "protocol", "prefix"}), ("ixlan", {"ix_id", "mtu"}),
          ("net", {"asn", "info_type"}), ("ix", {"proto_unicast"}), ("fac", {"clli"}),
          ("fac", {"net_count", "latitude", "org_id"}), ("org", {"address1", "name"})]
_HEAD = re.compile(rb'^\s*\{\s*"(data|meta|org|net|fac|ix|ixlan|ixpfx|netfac|netixlan|poc|ixfac|campus|carrier|carrierfac)"\s*:\s*[\[{]')


def detect(head: bytes, name: str) -> bool:
    """True for a dump (``{"<type>": {"data": [``) or an API page (``{"data": [`` ... ``"meta"``)."""
    m = _HEAD.match(head)
    if not m:
        return False
    if m.group(1) in (b"data", b"meta"):
        return b'"id"' in head[:65536] or b'"meta"' in head
    return b'"data"' in head[:4096]


def type_from_name(path: str | Path) -> str | None:
    """The object type named by an API page's file or folder name (``prod-net/page-1.json`` -> net)."""
    p = Path(path)
    for part in (p.name, p.parent.name):
        toks = re.split(r"[^a-z]+", part.lower())
        for t in sorted(TYPES, key=len, reverse=True):
            if t in toks:
                return t
    return None


def type_from_fields(rec: dict[str, Any]) -> str | None:
    """The object type whose signature fields the record has."""
    keys = set(rec)
    for t, sign in _SIGNS:
        if sign <= keys:
            return t
    return None


def _coerce(v: Any, typ: pa.DataType) -> Any:
    if v is None:
        return None
    try:
        if typ == pa.string():
            if isinstance(v, str):
                return v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return json.dumps(v)
        if typ == pa.int64():
            return int(v) if not isinstance(v, float) or v.is_integer() else None
        if typ == pa.float64():
            return float(v)
        if typ == pa.bool_():
            return v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes")
    except (TypeError, ValueError):
        return None
    return None


def to_batch(table: str, recs: list[dict[str, Any]]) -> pa.RecordBatch:
    """Records of one type as a ``pdb_<type>`` batch (missing fields null, odd types coerced)."""
    schema = SCHEMAS[table]
    arrays = []
    for f in schema:
        col = [r.get(f.name) for r in recs]
        try:
            arrays.append(pa.array(col, type=f.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError, UnicodeError):
            arrays.append(pa.array([_coerce(v, f.type) for v in col], type=f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


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
                    if t not in _FIELDS:
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
                    if t not in _FIELDS:
                        if t is None:
                            ctx.reject(-1, f"record #{n} of {'/'.join(kp)}: unknown object type",
                                       json.dumps(v2).encode())
                        continue
                    if not isinstance(v2, dict) or "id" not in v2:
                        ctx.reject(-1, f"{t} record #{n}: not an object with an id", json.dumps(v2).encode())
                        continue
                    buf.setdefault(t, []).append(v2)
                    ctx.records += 1
                if t in _FIELDS and pending(t) >= BATCH:
                    yield from flush(t)
        except jsonstream.JsonSyntax as e:
            ctx.reject(e.offset, str(e))
    for t in list({*buf, *done}):
        yield from flush(t)


from onpath.ingest.peeringdb_write import write_peeringdb_dump, write_peeringdb_page  # noqa: E402,F401  (writers beside the loader)
