"""Footprint of an entity in a country (SPEC §4): PeeringDB facilities and IXPs in C where an AS of
W_E is present (city, co-located networks), and the prefixes W_E originates that are located in C.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.frame import isin_sorted


def _empty(t: pa.Table | None, cols: list[str]) -> bool:
    return t is None or t.num_rows == 0 or any(c not in t.column_names for c in cols)


def peeringdb_footprint(watched, country: str, *, pdb_net: pa.Table | None = None, pdb_netfac: pa.Table | None = None,
                        pdb_fac: pa.Table | None = None, pdb_netixlan: pa.Table | None = None,
                        pdb_ix: pa.Table | None = None) -> dict[str, list[dict]]:
    """Facilities and IXPs located in `country` where a watched AS is present.

    Parameters
    ----------
    watched : iterable of int
    country : str
    pdb_net, pdb_netfac, pdb_fac, pdb_netixlan, pdb_ix : pyarrow.Table, optional
        PeeringDB tables as dumped (`net`: id, asn; `netfac`: net_id, fac_id; `fac`: id, name, city,
        country; `netixlan`: net_id, ix_id, asn; `ix`: id, name, city, country).

    Returns
    -------
    dict
        ``{"facilities": [{"id", "name", "city", "asns", "co_located_networks"}], "ixps": [{"id",
        "name", "city", "asns", "members"}]}`` sorted by name, id. `co_located_networks` and
        `members` count the other networks present there.

    Examples
    --------
    >>> import pyarrow as pa
    >>> net = pa.table({"id": [10, 11, 12], "asn": [1, 2, 3]})
    >>> netfac = pa.table({"net_id": [10, 11, 12], "fac_id": [100, 100, 101]})
    >>> fac = pa.table({"id": [100, 101], "name": ["F1", "F2"], "city": ["LA", "NY"], "country": ["US", "US"]})
    >>> peeringdb_footprint({1}, "US", pdb_net=net, pdb_netfac=netfac, pdb_fac=fac)["facilities"]
    [{'id': 100, 'name': 'F1', 'city': 'LA', 'asns': [1], 'co_located_networks': 1}]
    """
    w = pa.table({"asn": pa.array(sorted({int(a) for a in watched}), pa.int64())})
    con = duckdb.connect()
    out: dict[str, list[dict]] = {"facilities": [], "ixps": []}
    try:
        con.register("w", w)
        if not _empty(pdb_net, ["id", "asn"]) and not _empty(pdb_netfac, ["net_id", "fac_id"]) and not _empty(pdb_fac, ["id", "name", "country"]):
            con.register("net", pdb_net.select(["id", "asn"]))
            con.register("netfac", pdb_netfac.select(["net_id", "fac_id"]))
            city = "city" if "city" in pdb_fac.column_names else "NULL AS city"
            con.register("fac", pdb_fac.select([c for c in ("id", "name", "city", "country") if c in pdb_fac.column_names]))
            rows = con.sql(f"""
                WITH nf AS (SELECT DISTINCT nf.fac_id, n.asn::BIGINT AS asn FROM netfac nf JOIN net n ON n.id = nf.net_id),
                f AS (SELECT id, name, {city}, country FROM fac WHERE upper(country) = '{country.upper()}')
                SELECT f.id, f.name, f.city,
                       list_sort(list(DISTINCT nf.asn) FILTER (WHERE nf.asn IN (SELECT asn FROM w))) AS asns,
                       count(DISTINCT nf.asn) FILTER (WHERE nf.asn NOT IN (SELECT asn FROM w)) AS others
                FROM f JOIN nf ON nf.fac_id = f.id
                GROUP BY f.id, f.name, f.city
                HAVING count(*) FILTER (WHERE nf.asn IN (SELECT asn FROM w)) > 0
                ORDER BY f.name, f.id""").fetchall()
            out["facilities"] = [{"id": int(i), "name": n, "city": c, "asns": [int(x) for x in a],
                                  "co_located_networks": int(o)} for i, n, c, a, o in rows]
        if not _empty(pdb_netixlan, ["ix_id", "asn"]) and not _empty(pdb_ix, ["id", "name", "country"]):
            con.register("nix", pdb_netixlan.select(["ix_id", "asn"]))
            city = "city" if "city" in pdb_ix.column_names else "NULL AS city"
            con.register("ix", pdb_ix.select([c for c in ("id", "name", "city", "country") if c in pdb_ix.column_names]))
            rows = con.sql(f"""
                WITH x AS (SELECT id, name, {city} FROM ix WHERE upper(country) = '{country.upper()}'),
                m AS (SELECT DISTINCT ix_id, asn::BIGINT AS asn FROM nix)
                SELECT x.id, x.name, x.city,
                       list_sort(list(DISTINCT m.asn) FILTER (WHERE m.asn IN (SELECT asn FROM w))) AS asns,
                       count(DISTINCT m.asn) FILTER (WHERE m.asn NOT IN (SELECT asn FROM w)) AS others
                FROM x JOIN m ON m.ix_id = x.id
                GROUP BY x.id, x.name, x.city
                HAVING count(*) FILTER (WHERE m.asn IN (SELECT asn FROM w)) > 0
                ORDER BY x.name, x.id""").fetchall()
            out["ixps"] = [{"id": int(i), "name": n, "city": c, "asns": [int(x) for x in a], "members": int(o)}
                           for i, n, c, a, o in rows]
    finally:
        con.close()
    return out


def originated_in_country(origins: pa.Table, prefixes: pa.Table, watched, country: str, sample: int = 10) -> dict:
    """Prefixes originated by a watched AS whose country is `country`.

    Parameters
    ----------
    origins : pyarrow.Table
        `prefix`, `origin_asn` (one row per pair seen).
    prefixes : pyarrow.Table
        `prefix`, `cc`, `family`, `units` (de-duplicated address space).

    Returns
    -------
    dict
        ``{"count": {"v4", "v6"}, "address_space": {"v4_slash24", "v6_slash48"}, "sample": [...]}``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> o = pa.table({"prefix": ["10.0.0.0/24", "10.0.1.0/24", "2001:db8::/48"], "origin_asn": [1, 2, 1]})
    >>> p = pa.table({"prefix": ["10.0.0.0/24", "10.0.1.0/24", "2001:db8::/48"], "cc": ["US", "US", "US"],
    ...               "family": [4, 4, 6], "units": [1.0, 1.0, 1.0]})
    >>> originated_in_country(o, p, {1}, "US")["count"]
    {'v4': 1, 'v6': 1}
    """
    w = np.asarray(sorted({int(a) for a in watched}), np.int64)
    oa = origins.column("origin_asn").to_numpy(zero_copy_only=False)
    oa = np.where(np.isnan(oa.astype(np.float64)), -1, oa).astype(np.int64) if oa.dtype.kind == "f" else oa.astype(np.int64)
    mine = origins.filter(pa.array(isin_sorted(oa, w)))
    pfx = prefixes.column("prefix")
    hit = pc.is_in(pfx, value_set=mine.column("prefix").combine_chunks()) if mine.num_rows else pa.array(np.zeros(len(pfx), bool))
    sel_mask = np.asarray(hit.to_numpy(zero_copy_only=False), bool) & np.asarray(
        pc.fill_null(pc.equal(prefixes.column("cc"), country), False).to_numpy(zero_copy_only=False), bool)
    sel = np.flatnonzero(sel_mask)
    fam = np.asarray(prefixes.column("family").to_numpy(zero_copy_only=False))[sel]
    un = np.asarray(prefixes.column("units").to_numpy(zero_copy_only=False), np.float64)[sel]
    out = {"count": {"v4": int((fam == 4).sum()), "v6": int((fam == 6).sum())},
           "address_space": {"v4_slash24": float(un[fam == 4].sum()), "v6_slash48": float(un[fam == 6].sum())}}
    pp = pfx.take(pa.array(sel)).to_pylist() if len(sel) else []
    out["sample"] = sorted(pp)[:sample]
    return out
