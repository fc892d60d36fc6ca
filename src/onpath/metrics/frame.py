"""A paths table turned into NumPy codes, shared by the exposure, hegemony and CTI functions.

`PathFrame.build(paths, vps, prefixes)` indexes every path row to its vantage point and prefix and
flattens the AS paths into one array (`values`, with `offsets` per row). Nothing here is a metric.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.arrays import group_sum, isin_sorted  # noqa: F401  (re-exported)
from onpath.metrics.pathops import _str, index_in, vp_index, vp_key  # noqa: F401  (re-exported)


def _np(col) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col.to_numpy(zero_copy_only=False)


@dataclass
class PathFrame:
    """Path rows as codes.

    Attributes
    ----------
    vp, pfx : int32 arrays, per row: index into `vps` / `prefixes` (-1 when unknown there)
    usable : bool array, per row
    values : uint32 array, the hops of every row, concatenated; `offsets` (n + 1) delimits rows
    peer_asn : uint32 array, per row
    vp_cc : object array per vantage point (None unknown); vp_full : bool per vantage point
    pfx_cc : object array per prefix; family : int8 per prefix; units : float64 per prefix
    """

    paths: pa.Table
    vps: pa.Table
    prefixes: pa.Table
    vp: np.ndarray
    pfx: np.ndarray
    usable: np.ndarray
    values: np.ndarray
    offsets: np.ndarray
    peer_asn: np.ndarray
    vp_cc: np.ndarray
    vp_full: np.ndarray
    pfx_cc: np.ndarray
    family: np.ndarray
    units: np.ndarray

    @classmethod
    def build(cls, paths: pa.Table, vps: pa.Table, prefixes: pa.Table) -> PathFrame:
        if paths.num_rows:
            vp = vp_index(paths.column("collector"), paths.column("peer_ip"), vps)
            pfx = index_in(paths.column("prefix"), _str(prefixes.column("prefix")))
        else:
            vp = np.zeros(0, np.int32)
            pfx = np.zeros(0, np.int32)
        lst = paths.column("path")
        lst = lst.combine_chunks() if isinstance(lst, pa.ChunkedArray) else lst
        if len(lst) and lst.offset:
            lst = pa.concat_arrays([lst])  # normalise a sliced array's offsets
        offsets = _np(lst.offsets).astype(np.int64) if len(lst) else np.zeros(1, np.int64)
        values = _np(lst.values).astype(np.uint32) if len(lst) else np.zeros(0, np.uint32)
        offsets = offsets - offsets[0]
        values = values[: offsets[-1]]
        usable = _np(pc.fill_null(paths.column("usable"), False)).astype(bool)
        full = vps.column("full_feed") if "full_feed" in vps.column_names else pa.array([True] * vps.num_rows)
        return cls(
            paths=paths, vps=vps, prefixes=prefixes, vp=vp, pfx=pfx, usable=usable & (offsets[1:] > offsets[:-1]),
            values=values, offsets=offsets,
            peer_asn=_np(paths.column("peer_asn")).astype(np.uint32),
            vp_cc=np.array(vps.column("cc").to_pylist(), dtype=object),
            vp_full=_np(pc.fill_null(full, False)).astype(bool),
            pfx_cc=np.zeros(0, dtype=object),  # see in_country
            family=_np(prefixes.column("family")).astype(np.int8),
            units=_np(prefixes.column("units")).astype(np.float64),
        )

    @property
    def n(self) -> int:
        return len(self.vp)

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def row_of_value(self) -> np.ndarray:
        """Per hop: its row (cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "rov" not in c:
            c["rov"] = np.repeat(np.arange(self.n, dtype=np.int32 if self.n < 2**31 else np.int64), self.lengths())
        return c["rov"]

    def pos_in_row(self) -> np.ndarray:
        """Per hop: its position in the path, 0 = the vantage point's AS (cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "pos" not in c:
            dt = np.int32 if len(self.values) < 2**31 else np.int64
            c["pos"] = np.arange(len(self.values), dtype=dt) - self.offsets[:-1].astype(dt)[self.row_of_value()]
        return c["pos"]

    def transit_hop(self) -> np.ndarray:
        """Per hop: neither the first (vantage point's AS) nor the last (origin) of its path (cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "transit" not in c:
            lens = self.lengths().astype(np.int32)
            c["transit"] = (self.pos_in_row() > 0) & (self.pos_in_row() < lens[self.row_of_value()] - 1)
        return c["transit"]

    def path_hash(self) -> np.ndarray:
        """Per row: a 64-bit hash of its AS path (equal paths, equal hashes; cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "hash" not in c:
            mult = (np.arange(1, 257, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
            pos = np.minimum(self.pos_in_row(), 255)
            hv = (self.values.astype(np.uint64) + np.uint64(1)) * mult[pos]
            h = np.zeros(self.n, np.uint64)
            ne = self.lengths() > 0
            if ne.any():
                h[ne] = np.add.reduceat(hv, self.offsets[:-1][ne])
            c["hash"] = h ^ (self.lengths().astype(np.uint64) << np.uint64(56))
        return c["hash"]

    def rows_with(self, asns, where: str = "any") -> np.ndarray:
        """Per row: one of `asns` is on the path, at a hop of kind `where`: 'any', 'transit' (not
        first, not last) or 'notlast' (cached)."""
        c = self.__dict__.setdefault("_cache", {})
        key = ("rows_with", tuple(sorted(int(a) for a in asns)), where)
        if key not in c:
            hkey = ("isin", key[1])
            if hkey not in c:
                c[hkey] = isin_sorted(self.values, asns)
            hit = c[hkey].copy()
            if where == "transit":
                hit &= self.transit_hop()
            elif where == "notlast":
                if len(self.values):
                    hit[self.offsets[1:][self.offsets[1:] > self.offsets[:-1]] - 1] = False
            c[key] = np.bincount(self.row_of_value()[hit], minlength=self.n).astype(bool) if self.n else np.zeros(0, bool)
        return c[key]

    def origin(self) -> np.ndarray:
        """The last hop of every row (0 for an empty path; cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "origin" in c:
            return c["origin"]
        last = self.offsets[1:] - 1
        out = np.zeros(self.n, np.uint32)
        ok = last >= self.offsets[:-1]
        out[ok] = self.values[last[ok]]
        c["origin"] = out
        return out

    def crosses(self, watched) -> np.ndarray:
        """Per row: an AS of `watched` is on the path other than as its origin."""
        return self.rows_with(watched, "notlast")

    def eligible_vp(self, excluded_asns) -> np.ndarray:
        """Per vantage point: full feed and not inside an excluded (watched) AS."""
        ex = np.asarray(sorted(excluded_asns), dtype=np.uint32)
        vasn = _np(self.vps.column("peer_asn")).astype(np.uint32)
        return self.vp_full & ~isin_sorted(vasn, ex)

    def in_country(self, cc: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vantage point in C, vantage point country known, prefix in C) as bool arrays."""
        cache = self.__dict__.setdefault("_cc_cache", {})
        if cc not in cache:
            vin = np.array([c == cc for c in self.vp_cc], dtype=bool)
            vknown = np.array([c is not None and c != "" for c in self.vp_cc], dtype=bool)
            pin = pc.fill_null(pc.equal(_str(self.prefixes.column("cc")), cc), False).to_numpy(zero_copy_only=False)
            cache[cc] = (vin, vknown, np.asarray(pin, bool))
        return cache[cc]

    def _cached(self, key, fn):
        c = self.__dict__.setdefault("_cache", {})
        if key not in c:
            c[key] = fn()
        return c[key]

    def vp0(self) -> np.ndarray:
        """Per row: `vp`, 0 where unknown (cached)."""
        return self._cached("vp0", lambda: np.where(self.vp >= 0, self.vp, 0))

    def pfx0(self) -> np.ndarray:
        """Per row: `pfx`, 0 where unknown (cached)."""
        return self._cached("pfx0", lambda: np.where(self.pfx >= 0, self.pfx, 0))

    def row_family(self) -> np.ndarray:
        """Per row: its prefix's family (that of prefix 0 where unknown; cached)."""
        return self._cached("row_family", lambda: self.family[self.pfx0()])

    def row_units(self) -> np.ndarray:
        """Per row: its prefix's units (those of prefix 0 where unknown; cached)."""
        return self._cached("row_units", lambda: self.units[self.pfx0()])

    def selection(self, cc: str, direction: str, excluded_asns) -> np.ndarray:
        """Rows used for `direction` ('inbound': vantage points not in C towards C's prefixes;
        'outbound': vantage points in C towards prefixes not in C): usable, eligible, known."""
        if direction not in ("inbound", "outbound"):
            raise ValueError(direction)
        key = ("selection", cc, direction, tuple(sorted(int(a) for a in excluded_asns)))

        def build():
            vin, _vknown, pin = self.in_country(cc)
            elig = self.eligible_vp(excluded_asns)
            ok = self._cached("known_usable", lambda: self.usable & (self.vp >= 0) & (self.pfx >= 0))
            v, p = self.vp0(), self.pfx0()
            if direction == "inbound":
                return ok & (elig & ~vin)[v] & pin[p]
            return ok & (elig & vin)[v] & ~pin[p]
        return self._cached(key, build).copy()
