"""Arrow schemas of the snapshot tables (SPEC §2). One place; every loader and reader uses these.

Columns beyond SPEC's minimum are allowed; these are the ones every producer writes.
"""

from __future__ import annotations

import pyarrow as pa

ROUTES = pa.schema(
    [
        ("mrt_type", pa.dictionary(pa.int8(), pa.string())),
        ("ts_us", pa.int64()),
        ("collector", pa.dictionary(pa.int16(), pa.string())),
        ("peer_ip", pa.dictionary(pa.int32(), pa.string())),
        ("peer_asn", pa.uint32()),
        ("kind", pa.dictionary(pa.int8(), pa.string())),  # rib | announce | withdraw
        ("prefix", pa.string()),
        ("path_id", pa.uint32()),
        ("as_path", pa.list_(pa.uint32())),
        ("as_path_text", pa.string()),
        ("origin_asn", pa.uint32()),
        ("origin", pa.dictionary(pa.int8(), pa.string())),  # IGP | EGP | INCOMPLETE
        ("next_hop", pa.string()),
        ("local_pref", pa.uint32()),
        ("med", pa.uint32()),
        ("communities", pa.list_(pa.string())),
        ("large_communities", pa.list_(pa.string())),
        ("atomic_aggregate", pa.bool_()),
        ("aggregator", pa.string()),
        ("only_to_customer", pa.uint32()),
        ("source_file", pa.dictionary(pa.int16(), pa.string())),
        ("offset", pa.int64()),
        ("unknown_attrs", pa.list_(pa.binary())),  # other path attributes, raw TLVs as on the wire
    ]
)

PEER_EVENTS = pa.schema(
    [
        ("mrt_type", pa.string()),
        ("ts_us", pa.int64()),
        ("collector", pa.string()),
        ("peer_ip", pa.string()),
        ("peer_asn", pa.uint32()),
        ("old_state", pa.int32()),
        ("new_state", pa.int32()),
        ("source_file", pa.string()),
        ("offset", pa.int64()),
    ]
)

REJECTS = pa.schema(
    [
        ("kind", pa.string()),
        ("source_file", pa.string()),
        ("offset", pa.int64()),  # byte offset (binary formats) or 1-based line number (text)
        ("reason", pa.string()),
        ("raw", pa.binary()),
    ]
)

AS_REL = pa.schema([("asn1", pa.uint32()), ("asn2", pa.uint32()), ("rel", pa.int8()), ("source", pa.string())])

AS_ORG = pa.schema(
    [
        ("asn", pa.uint32()),
        ("org_id", pa.string()),
        ("org_name", pa.string()),
        ("country", pa.string()),
        ("source", pa.string()),
        ("as_name", pa.string()),
    ]
)

RIR = pa.schema(
    [
        ("registry", pa.string()),
        ("cc", pa.string()),
        ("type", pa.string()),  # asn | ipv4 | ipv6
        ("start", pa.string()),
        ("value", pa.int64()),
        ("date", pa.string()),
        ("status", pa.string()),
        ("opaque_id", pa.string()),
    ]
)

VRPS = pa.schema([("asn", pa.uint32()), ("prefix", pa.string()), ("max_length", pa.int16()), ("ta", pa.string())])

GEO = pa.schema([("prefix", pa.string()), ("cc", pa.string())])

STATE_OWNED = pa.schema(
    [
        ("asn", pa.uint32()),
        ("conglomerate", pa.string()),
        ("org_id", pa.string()),
        ("org_name", pa.string()),
        ("ownership_cc", pa.string()),
        ("target_cc", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
    ]
)

VANTAGE_POINTS = pa.schema(
    [
        ("collector", pa.string()),
        ("peer_ip", pa.string()),
        ("peer_asn", pa.uint32()),
        ("cc", pa.string()),
        ("full_feed", pa.bool_()),
    ]
)

# PeeringDB tables are stored "as dumped": pdb_org, pdb_net, pdb_fac, pdb_ix, pdb_ixlan, pdb_ixpfx,
# pdb_netfac, pdb_netixlan, each with the dump's scalar fields; their schemas live in
# onpath.ingest.peeringdb.

SCHEMAS: dict[str, pa.Schema] = {
    "routes": ROUTES,
    "peer_events": PEER_EVENTS,
    "rejects": REJECTS,
    "as_rel": AS_REL,
    "as_org": AS_ORG,
    "rir": RIR,
    "vrps": VRPS,
    "geo": GEO,
    "state_owned": STATE_OWNED,
    "vantage_points": VANTAGE_POINTS,
}
