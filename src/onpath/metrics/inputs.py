"""What `analyze` fetches from a snapshot: the prefix table (countries, de-duplicated space), AS
names, dataset dates. The metric functions never fetch; this module does it for them."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.countries import prefix_countries
from onpath.metrics.space import effective_units


def prefix_table(snap, con=None, distinct: pa.Array | None = None) -> pa.Table:
    """Every prefix announced in the snapshot: `prefix`, `cc`, `basis`, `family`, `units`."""
    if distinct is None:
        con = con or snap.con()
        distinct = con.sql("SELECT DISTINCT prefix FROM routes WHERE kind <> 'withdraw' AND prefix IS NOT NULL").to_arrow_table().column("prefix")
    arr = (distinct.combine_chunks() if isinstance(distinct, pa.ChunkedArray) else distinct).cast(pa.string())
    arr = arr.take(pc.array_sort_indices(arr)) if len(arr) else arr
    fam, units = effective_units(arr)
    cc = prefix_countries(snap, arr)
    return pa.table({"prefix": arr, "cc": cc.column("cc"), "basis": cc.column("basis"),
                     "family": pa.array(fam, pa.int8()), "units": pa.array(units, pa.float64())})


def names_of(snap, asns) -> dict[int, str]:
    want = {int(a) for a in asns}
    out: dict[int, str] = {}
    if snap.has("as_org"):
        t = snap.table("as_org", columns=["asn", "as_name", "org_name"])
        for a, n, o in zip(t.column("asn").to_pylist(), t.column("as_name").to_pylist(), t.column("org_name").to_pylist(), strict=True):
            if a in want and a not in out and (n or o):
                out[a] = n or o
    return out


def dataset_dates(snap) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in snap.datasets:
        k, dt = d.get("kind"), d.get("date")
        if k and dt and dt > out.get(k, ""):
            out[k] = dt
    return dict(sorted(out.items()))


def table_or_none(snap, name):
    return snap.table(name) if snap.has(name) else None




def fill_names(entities: list[dict], names: dict[int, str]) -> None:
    """Put AS names into an analysis' entity dicts (networks, adjacency, per-origin lists)."""
    for ent in entities:
        for n in ent["networks"]:
            n["name"] = n["name"] or names.get(n["asn"])
        for k in ("customers", "peers", "providers"):
            for d in ent["adjacency"]["as_rel"][k]:
                d["name"] = names.get(d["asn"])
        for d in ent["adjacency"]["observed"]:
            d["name"] = names.get(d["asn"])
        for d in ent["exposure"]["inbound"]["per_origin"] + ent["exposure"]["outbound"]["per_origin"]:
            d["name"] = d["name"] or names.get(d["asn"])
