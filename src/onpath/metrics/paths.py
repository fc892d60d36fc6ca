"""Observed paths and vantage points (SPEC §4), straight from the snapshot's `routes` in DuckDB.

One row per (vantage point, prefix): the RIB path at the snapshot time, or, for a collector that
has only updates, the last announcement per pair up to that time (a withdrawal removes the pair;
such rows are labelled `source = 'updates'`). Prepending is collapsed; paths with an AS set or a
loop are flagged (`usable = False`): left out of transit figures, counted in coverage.
"""

from __future__ import annotations

import itertools

import pyarrow as pa

PATHS_COLUMNS = ("collector", "peer_ip", "peer_asn", "prefix", "path", "usable", "has_set", "has_loop", "source")
FULL_FEED_SHARE = 0.9
_ids = itertools.count()


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _latest_sql(at_us: int | None) -> str:
    """SQL of the last state per (collector, peer_ip, prefix) at `at_us` (None: end of data)."""
    t = "" if at_us is None else f" AND ts_us <= {int(at_us)}"
    return f"""
    WITH rib_coll AS (SELECT DISTINCT collector FROM routes WHERE kind = 'rib'{t}),
    rib_last AS (  -- the newest RIB dump per collector (its source file)
        SELECT collector, arg_max(source_file, ts_us) AS sf FROM routes WHERE kind = 'rib'{t} GROUP BY collector),
    rib AS (
        SELECT r.collector, r.peer_ip, r.peer_asn, r.prefix,
               min_by(r.as_path, coalesce(r.path_id, 0)) AS as_path,
               min_by(r.as_path_text, coalesce(r.path_id, 0)) AS as_path_text,
               'rib' AS source
        FROM routes r JOIN rib_last l ON r.collector = l.collector AND r.source_file = l.sf
        WHERE r.kind = 'rib'{t.replace('ts_us', 'r.ts_us')}
        GROUP BY r.collector, r.peer_ip, r.peer_asn, r.prefix),
    upd AS (
        SELECT collector, peer_ip, arg_max(peer_asn, ts_us) AS peer_asn, prefix,
               arg_max(as_path, (ts_us, "offset")) AS as_path,
               arg_max(as_path_text, (ts_us, "offset")) AS as_path_text,
               arg_max(kind, (ts_us, "offset")) AS last_kind, 'updates' AS source
        FROM routes
        WHERE kind IN ('announce', 'withdraw'){t} AND collector NOT IN (SELECT collector FROM rib_coll)
        GROUP BY collector, peer_ip, prefix)
    SELECT collector, peer_ip, peer_asn, prefix, as_path, as_path_text, source FROM rib
    UNION ALL
    SELECT collector, peer_ip, peer_asn, prefix, as_path, as_path_text, source FROM upd
    WHERE last_kind = 'announce'
    """


def _register(con, table: pa.Table) -> str:
    name = f"_onpath_m{next(_ids)}"
    con.register(name, table)
    return name


def observed_paths(con, *, at_us: int | None = None, prefixes: pa.Table | None = None,
                   vantage_points: pa.Table | None = None) -> pa.Table:
    """Observed paths from a DuckDB connection with a `routes` view (`Snapshot.con()`).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    at_us : int, optional
        Snapshot time (UTC microseconds); default: all data.
    prefixes : pyarrow.Table, optional
        A `prefix` column: keep only these prefixes (OR-ed with `vantage_points`).
    vantage_points : pyarrow.Table, optional
        `collector`, `peer_ip`: keep only these vantage points (OR-ed with `prefixes`).

    Returns
    -------
    pyarrow.Table
        Columns `PATHS_COLUMNS`, sorted by collector, peer_ip, prefix.
    """
    filt, regs = [], []
    if prefixes is not None:
        n = _register(con, prefixes.select(["prefix"]))
        regs.append(n)
        filt.append(f"prefix IN (SELECT prefix FROM {n})")
    if vantage_points is not None:
        n = _register(con, vantage_points.select(["collector", "peer_ip"]))
        regs.append(n)
        filt.append(f"(collector, peer_ip) IN (SELECT (collector, peer_ip) FROM {n})")
    where = ("WHERE " + " OR ".join(filt)) if filt else ""
    sql = f"""
    WITH s AS ({_latest_sql(at_us)}),
    c AS (
        SELECT collector::VARCHAR AS collector, peer_ip::VARCHAR AS peer_ip, peer_asn, prefix,
               list_filter(as_path, lambda x, i: i = 1 OR x <> as_path[i - 1]) AS path,
               coalesce(as_path_text LIKE '%{{%' OR as_path_text LIKE '%[%', false) AS has_set,
               source
        FROM s {where})
    SELECT collector, peer_ip, peer_asn, prefix, path,
           (NOT has_set AND len(list_distinct(path)) = len(path) AND len(path) > 0) AS usable,
           has_set, len(list_distinct(path)) < len(path) AS has_loop, source
    FROM c ORDER BY collector, peer_ip, prefix
    """
    try:
        return con.sql(sql).to_arrow_table()
    finally:
        for n in regs:
            con.unregister(n)


def vantage_point_table(con, *, at_us: int | None = None) -> pa.Table:
    """Vantage points with their country and full-feed flag.

    Full feed: `full_feed` of the vantage-point data when known, otherwise at least 90 % of the
    largest per-peer IPv4 prefix count of the same collector. Country: the vantage-point data,
    otherwise null (unknown).

    Returns
    -------
    pyarrow.Table
        `collector`, `peer_ip`, `peer_asn`, `cc`, `full_feed`, `prefixes_v4`, `prefixes_v6`,
        `full_feed_basis` ('vantage-points' | 'prefix-count').
    """
    sql = f"""
    WITH s AS ({_latest_sql(at_us)}),
    counts AS (
        SELECT collector::VARCHAR AS collector, peer_ip::VARCHAR AS peer_ip, any_value(peer_asn) AS peer_asn,
               count(*) FILTER (WHERE prefix NOT LIKE '%:%') AS prefixes_v4,
               count(*) FILTER (WHERE prefix LIKE '%:%') AS prefixes_v6
        FROM s GROUP BY 1, 2),
    mx AS (SELECT collector, max(prefixes_v4) AS m FROM counts GROUP BY collector),
    vp AS (SELECT collector, peer_ip, any_value(cc) AS cc, any_value(full_feed) AS full_feed
           FROM vantage_points GROUP BY collector, peer_ip)
    SELECT c.collector, c.peer_ip, c.peer_asn, vp.cc,
           coalesce(vp.full_feed, c.prefixes_v4 >= {FULL_FEED_SHARE} * mx.m AND mx.m > 0) AS full_feed,
           c.prefixes_v4, c.prefixes_v6,
           CASE WHEN vp.full_feed IS NULL THEN 'prefix-count' ELSE 'vantage-points' END AS full_feed_basis
    FROM counts c JOIN mx USING (collector)
    LEFT JOIN vp ON vp.collector = c.collector AND vp.peer_ip = c.peer_ip
    ORDER BY c.collector, c.peer_ip
    """
    return con.sql(sql).to_arrow_table()


def snapshot_time_us(con) -> int | None:
    """The snapshot time: the newest RIB entry's time, else the newest update's, else None."""
    r = con.sql("SELECT max(ts_us) FILTER (WHERE kind = 'rib'), max(ts_us) FROM routes").fetchall()[0]
    return r[0] if r[0] is not None else r[1]
