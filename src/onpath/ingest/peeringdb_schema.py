"""PeeringDB tables as dumped: the ``pdb_*`` schemas (the dump's scalar fields), how a record's
object type is told (file name, else its fields), and records -> Arrow batches with odd values coerced.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

_T = {"i": pa.int64(), "s": pa.string(), "b": pa.bool_(), "f": pa.float64()}
FIELDS = {
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
    for t, spec in FIELDS.items()
}
TYPES = tuple(FIELDS)

# fields that tell an API page's type when its name does not (checked in this order)
_SIGNS = [("netixlan", {"ipaddr4", "ixlan_id", "net_id"}), ("netfac", {"fac_id", "net_id"}),
          ("ixpfx", {"ixlan_id", "protocol", "prefix"}), ("ixlan", {"ix_id", "mtu"}),
          ("net", {"asn", "info_type"}), ("ix", {"proto_unicast"}), ("fac", {"clli"}),
          ("fac", {"net_count", "latitude", "org_id"}), ("org", {"address1", "name"})]
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
