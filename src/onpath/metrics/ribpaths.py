"""Observed paths at full scale: the RIB case in NumPy over the snapshot's Parquet files.

`onpath.metrics.paths.observed_paths` (DuckDB) handles every case (several dumps, updates-only
collectors, ADD-PATH). When the snapshot holds one RIB dump per collector, no path ids and no
collector with updates only, this module computes the same table without materialising a row per
route through DuckDB: dictionary codes for prefixes and vantage points, prepending collapsed on the
flat hop array, loops found by sorting the rows of each path length as one 2-D array.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from onpath.metrics.arrays import isin_sorted
from onpath.metrics.pathops import _dict_codes, collapse_prepending, loop_rows

COLS = ["kind", "collector", "peer_ip", "peer_asn", "prefix", "path_id", "as_path", "as_path_text", "source_file"]


class RibIndex:
    """The routes of a RIB-only snapshot as dictionary codes (one RIB dump per collector, no path
    ids, no updates). `RibIndex.load(snap)` returns None when that does not hold."""

    def __init__(self, snap, t, ccode, cdic, icode, idic, pcode, pdic):
        self.snap, self.t = snap, t
        self.ccode, self.cdic, self.icode, self.idic, self.pcode, self.pdic = ccode, cdic, icode, idic, pcode, pdic

    @classmethod
    def load(cls, snap) -> RibIndex | None:
        files = snap.files("routes")
        if not files:
            return None
        cols = [c for c in COLS if c != "as_path_text"]
        # prefix is read as strings and hash-encoded once (`_dict_codes`): reading Parquet's
        # per-row-group dictionaries and unifying them costs about twice as much.
        t = pa.concat_tables([pq.read_table(f, columns=cols) for f in files], promote_options="permissive")
        kcode, kdic = _dict_codes(t.column("kind"))
        kd = kdic.to_pylist()
        if "rib" not in kd:
            return None
        isrib = kcode == kd.index("rib")
        if not isrib.all():
            # A collector with a RIB ignores its updates (as `paths._latest_sql` does), so the
            # fast path holds when every collector with updates also has a RIB; else the
            # general path (DuckDB) handles the updates-only collectors.
            ccode, cdic = _dict_codes(t.column("collector"))
            has_rib = np.zeros(len(cdic), bool)
            has_rib[ccode[isrib]] = True
            if not has_rib[ccode[~isrib]].all():
                return None
            t = t.filter(pa.array(isrib))
        if t.column("path_id").null_count != len(t):
            return None
        ccode, cdic = _dict_codes(t.column("collector"))
        scode, _ = _dict_codes(t.column("source_file"))
        nsrc = int(scode.max()) + 1 if len(scode) else 1
        pairs = np.unique(ccode.astype(np.int64) * nsrc + scode)
        if len(np.unique(pairs // nsrc)) != len(pairs):
            return None  # several dumps of one collector
        icode, idic = _dict_codes(t.column("peer_ip"))
        pcode, pdic = _dict_codes(t.column("prefix"))
        return cls(snap, t.select(["peer_asn", "as_path"]), ccode, cdic, icode, idic, pcode, pdic)

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
        first = np.full(len(ci), -1, np.int64)
        first[inv[::-1]] = np.arange(len(inv))[::-1]
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
        parts, lens_parts, start = [], [], 0
        for ch in t.column("as_path").chunks:  # chunk by chunk: never a second copy of every hop
            o = ch.offsets.to_numpy().astype(np.int64)
            v = ch.values.to_numpy(zero_copy_only=False)[o[0]:o[-1]]
            ln = np.diff(o)
            k = keep[start:start + len(ch)] if keep is not None else None
            parts.append(v[np.repeat(k, ln)] if k is not None else v)
            lens_parts.append(ln[k] if k is not None else ln)
            start += len(ch)
        values = np.concatenate(parts).astype(np.uint32, copy=False) if parts else np.zeros(0, np.uint32)
        del parts
        lens = np.concatenate(lens_parts) if lens_parts else np.zeros(0, np.int64)
        offsets = np.concatenate([[0], np.cumsum(lens)])
        values, offsets = collapse_prepending(values, offsets)
        has_loop = loop_rows(values, offsets)
        has_set = self._set_rows(rows)
        nonempty = np.diff(offsets) > 0
        path = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32) if offsets[-1] < 2**31 else offsets),
                                        pa.array(values, pa.uint32()))
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
