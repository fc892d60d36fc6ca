"""The fast path of the AS-to-organization jsonl loader: pyarrow's JSON reader and an Arrow join.

It gives up (returns None) on anything the line-by-line loader in `onpath.ingest.asorg` would
reject or treat specially, which then reads the file again and finds the bad lines with their numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from onpath.ingest.base import open_maybe_compressed
from onpath.models.tables import AS_ORG

_SCHEMA = pa.schema([("type", pa.string()), ("asn", pa.string()), ("organizationId", pa.string()),
                     ("name", pa.string()), ("country", pa.string()), ("source", pa.string())])


def _null_empty(a: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


def fast_jsonl(path: str | Path) -> pa.Table | None:
    """The ``as_org`` table of a clean jsonl file, in file order; None when the file needs the slow path.

    Parameters
    ----------
    path : str or Path
        An ``as-org2info.jsonl`` file (plain, .gz or .bz2).

    Returns
    -------
    pyarrow.Table or None
        Rows as `onpath.ingest.asorg.load` yields them.
    """
    with open_maybe_compressed(path) as f:
        data = f.read()
    try:
        t = pajson.read_json(io.BytesIO(data), parse_options=pajson.ParseOptions(
            explicit_schema=_SCHEMA, unexpected_field_behavior="ignore"))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    typ = t["type"]
    is_org = pc.equal(typ, "Organization")
    is_asn = pc.equal(typ, "ASN")
    if pc.any(pc.invert(pc.or_(is_org, is_asn))).as_py() or t["type"].null_count:
        return None
    orgs = t.filter(is_org)
    auts = t.filter(is_asn)
    oid = orgs["organizationId"]
    if oid.null_count or pc.any(pc.equal(oid, "")).as_py() or pc.count_distinct(oid).as_py() != len(oid):
        return None
    aid = auts["organizationId"]
    if aid.null_count or pc.any(pc.equal(aid, "")).as_py():
        return None
    asn = auts["asn"]
    if asn.null_count or not pc.all(pc.match_substring_regex(asn, r"^\d{1,10}$")).as_py():
        return None
    asn64 = pc.cast(asn, pa.int64())
    if pc.any(pc.greater(asn64, 0xFFFFFFFF)).as_py():
        return None
    left = pa.table({"i": np.arange(auts.num_rows), "asn": pc.cast(asn64, pa.uint32()), "org_id": aid,
                     "source": _null_empty(auts["source"]), "as_name": _null_empty(auts["name"])})
    right = pa.table({"org_id": oid, "org_name": _null_empty(orgs["name"]), "country": _null_empty(orgs["country"])})
    j = left.join(right, "org_id", join_type="left outer").sort_by("i")
    return j.select(AS_ORG.names).cast(AS_ORG)
