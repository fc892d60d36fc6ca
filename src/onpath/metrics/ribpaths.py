"""Observed paths at full scale: the RIB case in NumPy over the snapshot's Parquet files.

`onpath.metrics.paths.observed_paths` (DuckDB) handles every case (several dumps, updates-only
collectors, ADD-PATH). When the snapshot holds one RIB dump per collector, no path ids and no
collector with updates only, this module computes the same table without materialising a row per
route through DuckDB: dictionary codes for prefixes and vantage points, prepending collapsed and loops
found row by row in C (`onpath.metrics._pathcore`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from onpath.metrics.arrays import isin_sorted
from onpath.metrics.pathops import _dict_codes, normalize_paths

TASK_ROWS = 1 << 21  # rows per read task: enough tasks to keep every core busy
CODED = ("collector", "peer_ip", "source_file", "prefix")  # read as dictionary codes


def _repeats_prefixes(path) -> bool:
    """The file's first row group holds each prefix at least twice on average (a RIB dump in prefix
    order, one row per peer): then reading Parquet's dictionary pages beats hashing every row's
    string; a file with one row per prefix and row group is read as plain strings."""
    pf = pq.ParquetFile(path, read_dictionary=["prefix"])
    if pf.metadata.num_row_groups == 0:
        return False
    col = pf.read_row_group(0, columns=["prefix"], use_threads=False).column("prefix")
    distinct = sum(len(c.dictionary) for c in col.chunks)
    return 2 * distinct <= len(col)


def _read_task(path, groups: list[int], cols: list[str], prefix_dict: bool):
    """One slice of row groups: its RIB rows' columns `cols`, each CODED column as codes into the
    slice's own dictionary, and the collectors seen with RIB rows and with other rows."""
    rd = [c for c in (*CODED, "kind") if c != "prefix" or prefix_dict]
    t = pq.ParquetFile(path, read_dictionary=rd).read_row_groups(groups, columns=[*cols, *CODED, "kind"], use_threads=False)
    kc, kd = _dict_codes(t.column("kind"))
    kd = kd.to_pylist()
    isrib = kc == kd.index("rib") if "rib" in kd else np.zeros(len(kc), bool)
    cc, cd = _dict_codes(t.column("collector"))
    names = cd.to_pylist()
    rib_c = {names[i] for i in np.unique(cc[isrib]).tolist()}
    other_c = {names[i] for i in np.unique(cc[~isrib]).tolist()}
    if other_c:  # updates (rare inside a RIB file): a collector with a RIB ignores them
        t = t.filter(pa.array(isrib))
    return t.select(cols), {c: _dict_codes(t.column(c)) for c in CODED}, rib_c, other_c


def _merge_codes(parts: list[tuple[np.ndarray, pa.Array]]) -> tuple[np.ndarray, pa.Array]:
    """Codes into per-slice dictionaries -> int32 codes into one dictionary (hash-encoded once)."""
    dic_all = pa.concat_arrays([d for _, d in parts]) if parts else pa.array([], pa.string())
    gcode, gdic = _dict_codes(pa.chunked_array([dic_all], pa.string()))
    out = np.empty(sum(len(c) for c, _ in parts), np.int32)
    jobs, pos, base = [], 0, 0
    for c, d in parts:
        jobs.append((gcode[base:base + len(d)], c, out[pos:pos + len(c)]))
        pos += len(c)
        base += len(d)
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as ex:
        list(ex.map(lambda j: np.take(j[0], j[1], out=j[2]), jobs))  # NumPy's take releases the GIL
    return out, gdic


def _route_files(snap) -> tuple[list, set[str], bool]:
    """(files that may hold RIB rows, collectors of the datasets known to hold none, whether any
    was skipped). The manifest's `route_kinds` lets update-only files go unread."""
    root = snap.root
    files, upd_collectors, skipped = [], set(), False
    for ds in snap.datasets:
        rf = [root / r for r in ds.get("files", []) if r.startswith("data/routes/")]
        if not rf:
            continue
        kinds, coll = ds.get("route_kinds"), ds.get("collector")
        if kinds is not None and "rib" not in kinds and coll:
            upd_collectors.add(coll)
            skipped = True
        else:
            files += rf
    return files, upd_collectors, skipped


def _read_routes(files, cols: list[str]):
    """The RIB rows of the routes files: columns `cols` (one table), every CODED column as int32
    codes into one dictionary per column ({name: (codes, dictionary)}), and the collectors seen
    with RIB rows and with other rows.

    Slices of row groups are read and hash-encoded on every core (Arrow releases the GIL); the
    slices' small dictionaries are then merged, so no column of 40 M prefix strings is ever held.
    """
    tasks = []
    for f in files:
        md = pq.ParquetFile(f).metadata
        pd = _repeats_prefixes(f)
        cur, n = [], 0
        for g in range(md.num_row_groups):
            cur.append(g)
            n += md.row_group(g).num_rows
            if n >= TASK_ROWS:
                tasks.append((f, cur, pd))
                cur, n = [], 0
        if cur or md.num_row_groups == 0:
            tasks.append((f, cur, pd))
    with ThreadPoolExecutor(max_workers=max(1, min(len(tasks), os.cpu_count() or 1))) as ex:
        parts = list(ex.map(lambda tk: _read_task(tk[0], tk[1], cols, tk[2]), tasks))
    codes = {c: _merge_codes([p[1][c] for p in parts]) for c in CODED}
    t = pa.concat_tables([p[0] for p in parts], promote_options="permissive")
    rib_c = set().union(*(p[2] for p in parts))
    other_c = set().union(*(p[3] for p in parts))
    return t, codes, rib_c, other_c


class RibIndex:
    """The routes of a RIB-only snapshot as dictionary codes (one RIB dump per collector, no path
    ids, no updates). `RibIndex.load(snap)` returns None when that does not hold."""

    def __init__(self, snap, t, ccode, cdic, icode, idic, pcode, pdic):
        self.snap, self.t = snap, t
        self.ccode, self.cdic, self.icode, self.idic, self.pcode, self.pdic = ccode, cdic, icode, idic, pcode, pdic

    @classmethod
    def load(cls, snap) -> RibIndex | None:
        files, upd_c, skipped = _route_files(snap)
        if not files:
            return None
        t, codes, rib_c, other_c = _read_routes(files, ["peer_asn", "path_id", "as_path", "origin_asn"])
        if not rib_c:
            return None
        # A collector with a RIB ignores its updates (as `paths._latest_sql` does), so the fast
        # path holds when every collector with updates also has a RIB; else the general path
        # (DuckDB) handles the updates-only collectors.
        if not (upd_c | other_c) <= rib_c:
            return None
        rib_only = not (upd_c or other_c or skipped)
        if t.column("path_id").null_count != len(t):
            return None
        ccode, cdic = codes["collector"]
        scode, _ = codes["source_file"]
        nsrc = int(scode.max()) + 1 if len(scode) else 1
        pairs = np.flatnonzero(np.bincount(ccode.astype(np.int64) * nsrc + scode) > 0)  # few collectors x files
        if len(np.unique(pairs // nsrc)) != len(pairs):
            return None  # several dumps of one collector
        icode, idic = codes["peer_ip"]
        pcode, pdic = codes["prefix"]
        idx = cls(snap, t.select(["peer_asn", "as_path", "origin_asn"]), ccode, cdic, icode, idic, pcode, pdic)
        idx.rib_only = rib_only
        return idx

    def origins(self, asns) -> pa.Table | None:
        """Distinct (`prefix`, `origin_asn`) of the routes originated by `asns`, as the general
        path's query over every announcement; None when the snapshot also holds updates (which
        the index leaves out)."""
        if not getattr(self, "rib_only", False):
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

    def _vp_combo(self):
        if getattr(self, "_combo", None) is None:
            n2 = len(self.idic) + 1
            key = self.ccode.astype(np.int64) * n2 + self.icode
            present = np.bincount(key, minlength=(len(self.cdic) + 1) * n2) > 0  # dense: few collectors x peers
            combo = np.flatnonzero(present)
            code = np.cumsum(present) - 1
            self._combo = (combo // n2, combo % n2, code[key])
        return self._combo

    def vantage_points(self, full_feed_share: float = 0.9) -> pa.Table:
        """As `paths.vantage_point_table`, from the codes."""
        ci, ii, inv = self._vp_combo()
        is6 = pc.fill_null(pc.match_substring(self.pdic, ":"), False).to_numpy(zero_copy_only=False)
        r6 = is6[self.pcode]
        n4 = np.bincount(inv[~r6], minlength=len(ci))
        n6 = np.bincount(inv[r6], minlength=len(ci))
        first = np.full(len(ci), len(inv), np.int64)
        np.minimum.at(first, inv, np.arange(len(inv)))  # each vantage point's first row
        asn = self.t.column("peer_asn").take(pa.array(first)).to_numpy(zero_copy_only=False)
        coll = self.cdic.take(pa.array(ci)).to_pylist()
        ips = self.idic.take(pa.array(ii)).to_pylist()
        mx: dict[str, int] = {}
        for c, k in zip(coll, n4.tolist(), strict=True):
            mx[c] = max(mx.get(c, 0), k)
        known = {}
        if self.snap.has("vantage_points"):
            v = self.snap.table("vantage_points")
            for r in v.to_pylist():
                known.setdefault((r["collector"], r["peer_ip"]), r)
        ccs, full, basis = [], [], []
        for c, ip, k in zip(coll, ips, n4.tolist(), strict=True):
            r = known.get((c, ip))
            ccs.append(r["cc"] if r else None)
            if r and r.get("full_feed") is not None:
                full.append(bool(r["full_feed"]))
                basis.append("vantage-points")
            else:
                full.append(bool(mx[c] > 0 and k >= full_feed_share * mx[c]))
                basis.append("prefix-count")
        out = pa.table({"collector": pa.array(coll, pa.string()), "peer_ip": pa.array(ips, pa.string()),
                        "peer_asn": pa.array(asn, pa.uint32()), "cc": pa.array(ccs, pa.string()),
                        "full_feed": pa.array(full, pa.bool_()), "prefixes_v4": pa.array(n4, pa.int64()),
                        "prefixes_v6": pa.array(n6, pa.int64()), "full_feed_basis": pa.array(basis, pa.string())})
        return out.sort_by([("collector", "ascending"), ("peer_ip", "ascending")])

    def _set_rows(self, rows: np.ndarray) -> np.ndarray:
        """Per kept row: its path has an AS set or a confederation set (found by DuckDB)."""
        found = self.snap.con().sql(
            "SELECT collector::VARCHAR AS c, peer_ip::VARCHAR AS i, prefix AS p FROM routes "
            "WHERE as_path_text LIKE '%{%' OR as_path_text LIKE '%[%'").to_arrow_table()
        if found.num_rows == 0:
            return np.zeros(len(rows), bool)
        nI, nP = len(self.idic) + 1, len(self.pdic) + 1
        c = pc.fill_null(pc.index_in(found.column("c"), value_set=self.cdic), -1).to_numpy(zero_copy_only=False)
        i = pc.fill_null(pc.index_in(found.column("i"), value_set=self.idic), -1).to_numpy(zero_copy_only=False)
        p = pc.fill_null(pc.index_in(found.column("p"), value_set=self.pdic), -1).to_numpy(zero_copy_only=False)
        keys = (c.astype(np.int64) * nI + i) * nP + p
        rk = (self.ccode[rows].astype(np.int64) * nI + self.icode[rows]) * nP + self.pcode[rows]
        return isin_sorted(rk, keys)

    def paths(self, *, prefixes: pa.Array | None = None, vantage_points: pa.Table | None = None) -> pa.Table:
        """The observed paths table (PATHS_COLUMNS); filters as in `observed_paths` (OR-ed)."""
        t = self.t
        keep = None
        if prefixes is not None:
            pk = pc.is_in(self.pdic, value_set=pa.array(prefixes).cast(pa.string())).to_numpy(zero_copy_only=False)
            keep = pk[self.pcode]
        if vantage_points is not None:
            vk = set(zip(vantage_points.column("collector").to_pylist(), vantage_points.column("peer_ip").to_pylist(), strict=True))
            ci, ii, inv = self._vp_combo()
            cl, il = self.cdic.to_pylist(), self.idic.to_pylist()
            ok = np.array([(cl[a], il[b]) in vk for a, b in zip(ci.tolist(), ii.tolist(), strict=True)], bool)
            m = ok[inv] if len(ci) else np.zeros(len(t), bool)
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
            "collector": pa.DictionaryArray.from_arrays(pa.array(self.ccode[rows]), self.cdic),
            "peer_ip": pa.DictionaryArray.from_arrays(pa.array(self.icode[rows]), self.idic),
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
