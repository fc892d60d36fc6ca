"""Observed paths at full scale: the RIB case in NumPy over the snapshot's Parquet files.

`onpath.metrics.paths.observed_paths` (DuckDB) handles every case (several dumps, updates-only
collectors, ADD-PATH). When the snapshot holds one RIB dump per collector, no path ids and no
collector with updates only, this module computes the same table without materialising a row per
route through DuckDB: dictionary codes for prefixes and vantage points, prepending collapsed and loops
found row by row in C (`onpath.metrics._pathcore`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.arrays import isin_sorted
from onpath.metrics.pathops import normalize_paths
from onpath.metrics.ribread import merge_codes, read_routes, route_files, take_into


class RibIndex:
    """The routes of a RIB-only snapshot as codes (one RIB dump per collector, no path ids, no
    updates): per row its vantage point (`vcode`, into `vp_coll`/`vp_ip`) and prefix (`pcode`,
    into `pdic`), beside `t` (peer_asn, as_path, origin_asn). `RibIndex.load(snap)` returns None
    when that does not hold."""

    def __init__(self, snap, t, vcode, vps: list[tuple[str, str]], vp_asn, vp_n4, vp_n6, pcode, pdic, rib_only: bool):
        self.snap, self.t, self.vcode, self.pcode, self.pdic, self.rib_only = snap, t, vcode, pcode, pdic, rib_only
        self.vp_coll = [c for c, _ in vps]
        self.vp_ip = [i for _, i in vps]
        self.vp_asn, self.vp_n4, self.vp_n6 = vp_asn, vp_n4, vp_n6
        cl, il = sorted(set(self.vp_coll)), sorted(set(self.vp_ip))
        self.cdic, self.idic = pa.array(cl, pa.string()), pa.array(il, pa.string())
        cpos, ipos = {c: k for k, c in enumerate(cl)}, {x: k for k, x in enumerate(il)}
        self.vp_cidx = np.array([cpos[c] for c in self.vp_coll], np.int32)
        self.vp_iidx = np.array([ipos[x] for x in self.vp_ip], np.int32)

    @classmethod
    def load(cls, snap) -> RibIndex | None:
        files, upd_c, skipped = route_files(snap)
        if not files:
            return None
        parts = read_routes(files, ["peer_asn", "path_id", "as_path", "origin_asn"])
        rib_c = set().union(*(p["rib_c"] for p in parts))
        other_c = set().union(*(p["other_c"] for p in parts))
        if not rib_c:
            return None
        # A collector with a RIB ignores its updates (as `paths._latest_sql` does), so the fast
        # path holds when every collector with updates also has a RIB; else the general path
        # (DuckDB) handles the updates-only collectors.
        if not (upd_c | other_c) <= rib_c:
            return None
        t = pa.concat_tables([p["t"] for p in parts], promote_options="permissive")
        if t.column("path_id").null_count != len(t):
            return None
        dumps = set().union(*(p["dumps"] for p in parts))
        if len({c for c, _ in dumps}) != len(dumps):
            return None  # several dumps of one collector
        # vantage points: the slices' lists merged in first-seen order (file order, then rows)
        index: dict[tuple[str, str], int] = {}
        jobs, pos = [], 0
        for p in parts:
            jobs.append((np.array([index.setdefault(v, len(index)) for v in p["vps"]], np.int32), p["vcode"],
                         slice(pos, pos + len(p["vcode"]))))
            pos += len(p["vcode"])
        vcode = take_into(np.empty(pos, np.int32), jobs)
        nvp = len(index)
        n4, n6, asn = np.zeros(nvp, np.int64), np.zeros(nvp, np.int64), np.zeros(nvp, np.uint32)
        seen = np.zeros(nvp, bool)
        for (g, _c, _s), p in zip(jobs, parts, strict=True):
            np.add.at(n4, g, p["n4"])
            np.add.at(n6, g, p["n6"])
            new = ~seen[g]
            asn[g[new]] = p["asn"][new]
            seen[g] = True
        pcode, pdic = merge_codes([p["prefix"] for p in parts])
        del parts
        return cls(snap, t.select(["peer_asn", "as_path", "origin_asn"]), vcode, list(index), asn, n4, n6,
                   pcode, pdic, rib_only=not (upd_c or other_c or skipped))

    def origins(self, asns) -> pa.Table | None:
        """Distinct (`prefix`, `origin_asn`) of the routes originated by `asns`, as the general
        path's query over every announcement; None when the snapshot also holds updates (which
        the index leaves out)."""
        if not self.rib_only:
            return None
        o = pc.fill_null(self.t.column("origin_asn"), 0).to_numpy().astype(np.uint32, copy=False)
        m = isin_sorted(o, np.asarray(sorted(int(a) for a in asns if int(a) > 0), np.uint32))
        keys = (self.pcode[m].astype(np.uint64) << np.uint64(32)) | o[m]
        u = np.sort(pc.unique(pa.array(keys)).to_numpy())  # hash first: the same route from many peers
        return pa.table({"prefix": self.pdic.take(pa.array((u >> np.uint64(32)).astype(np.int64))),
                         "origin_asn": pa.array((u & np.uint64(0xFFFFFFFF)).astype(np.uint32), pa.uint32())})

    def prefixes(self) -> pa.Array:
        """The distinct prefixes."""
        used = np.zeros(len(self.pdic), bool)
        used[self.pcode] = True
        return self.pdic.filter(pa.array(used))

    def vantage_points(self, full_feed_share: float = 0.9) -> pa.Table:
        """As `paths.vantage_point_table`, from the counts gathered while reading."""
        coll, ips, n4 = self.vp_coll, self.vp_ip, self.vp_n4.tolist()
        mx: dict[str, int] = {}
        for c, k in zip(coll, n4, strict=True):
            mx[c] = max(mx.get(c, 0), k)
        known = {}
        if self.snap.has("vantage_points"):
            v = self.snap.table("vantage_points")
            for r in v.to_pylist():
                known.setdefault((r["collector"], r["peer_ip"]), r)
        ccs, full, basis = [], [], []
        for c, ip, k in zip(coll, ips, n4, strict=True):
            r = known.get((c, ip))
            ccs.append(r["cc"] if r else None)
            if r and r.get("full_feed") is not None:
                full.append(bool(r["full_feed"]))
                basis.append("vantage-points")
            else:
                full.append(bool(mx[c] > 0 and k >= full_feed_share * mx[c]))
                basis.append("prefix-count")
        out = pa.table({"collector": pa.array(coll, pa.string()), "peer_ip": pa.array(ips, pa.string()),
                        "peer_asn": pa.array(self.vp_asn, pa.uint32()), "cc": pa.array(ccs, pa.string()),
                        "full_feed": pa.array(full, pa.bool_()), "prefixes_v4": pa.array(self.vp_n4, pa.int64()),
                        "prefixes_v6": pa.array(self.vp_n6, pa.int64()), "full_feed_basis": pa.array(basis, pa.string())})
        return out.sort_by([("collector", "ascending"), ("peer_ip", "ascending")])

    def _set_rows(self, rows: np.ndarray) -> np.ndarray:
        """Per kept row: its path has an AS set or a confederation set (found by DuckDB)."""
        found = self.snap.con().sql(
            "SELECT collector::VARCHAR AS c, peer_ip::VARCHAR AS i, prefix AS p FROM routes "
            "WHERE as_path_text LIKE '%{%' OR as_path_text LIKE '%[%'").to_arrow_table()
        if found.num_rows == 0:
            return np.zeros(len(rows), bool)
        nP = len(self.pdic) + 1
        vix = {k: n for n, k in enumerate(zip(self.vp_coll, self.vp_ip, strict=True))}
        v = np.array([vix.get(k, -1) for k in zip(found.column("c").to_pylist(), found.column("i").to_pylist(), strict=True)], np.int64)
        p = pc.fill_null(pc.index_in(found.column("p"), value_set=self.pdic), -1).to_numpy(zero_copy_only=False)
        keys = (v * nP + p)[(v >= 0) & (p >= 0)]
        rk = self.vcode[rows].astype(np.int64) * nP + self.pcode[rows]
        return isin_sorted(rk, np.unique(keys))

    def paths(self, *, prefixes: pa.Array | None = None, vantage_points: pa.Table | None = None) -> pa.Table:
        """The observed paths table (PATHS_COLUMNS); filters as in `observed_paths` (OR-ed)."""
        t = self.t
        keep = None
        if prefixes is not None:
            pk = pc.is_in(self.pdic, value_set=pa.array(prefixes).cast(pa.string())).to_numpy(zero_copy_only=False)
            keep = pk[self.pcode]
        if vantage_points is not None:
            vk = set(zip(vantage_points.column("collector").to_pylist(), vantage_points.column("peer_ip").to_pylist(), strict=True))
            ok = np.array([k in vk for k in zip(self.vp_coll, self.vp_ip, strict=True)], bool)
            m = ok[self.vcode] if len(ok) else np.zeros(len(t), bool)
            keep = m if keep is None else (keep | m)
        rows = np.flatnonzero(keep) if keep is not None else np.arange(len(t))
        chunks, start = [], 0
        for ch in t.column("as_path").chunks:  # chunk by chunk: the kept rows' hops are copied once
            end = start + len(ch)
            lo, hi = np.searchsorted(rows, [start, end])
            if hi > lo:
                chunks.append((ch.values.to_numpy(zero_copy_only=False), ch.offsets.to_numpy(), rows[lo:hi] - start))
            start = end
        values, offsets, has_loop = normalize_paths(chunks)
        del chunks
        has_set = self._set_rows(rows)
        nonempty = np.diff(offsets) > 0
        path = pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values, pa.uint32()))  # zero-copy
        return pa.table({
            "collector": pa.DictionaryArray.from_arrays(pa.array(self.vp_cidx[self.vcode[rows]]), self.cdic),
            "peer_ip": pa.DictionaryArray.from_arrays(pa.array(self.vp_iidx[self.vcode[rows]]), self.idic),
            "peer_asn": t.column("peer_asn").take(pa.array(rows)),
            "prefix": pa.DictionaryArray.from_arrays(pa.array(self.pcode[rows]), self.pdic),
            "path": path,
            "usable": pa.array(~has_set & ~has_loop & nonempty),
            "has_set": pa.array(has_set), "has_loop": pa.array(has_loop),
            "source": pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(rows), np.int32)), pa.array(["rib"])),
        })


def rib_paths(snap, *, prefixes: pa.Array | None = None, vantage_points: pa.Table | None = None) -> pa.Table | None:
    """The observed paths table for a RIB-only snapshot, or None when the fast path does not apply."""
    idx = RibIndex.load(snap)
    return None if idx is None else idx.paths(prefixes=prefixes, vantage_points=vantage_points)
