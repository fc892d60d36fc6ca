"""A paths table turned into NumPy codes, shared by the exposure, hegemony and CTI functions.

`PathFrame.build(paths, vps, prefixes)` indexes every path row to its vantage point and prefix and
flattens the AS paths into one array (`values`, with `offsets` per row). Nothing here is a metric.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.metrics.arrays import encode_asns, group_sum, isin_sorted  # noqa: F401  (re-exported)
from onpath.metrics.pathops import _str, hash_rows, index_in, rows_with_all, vp_index, vp_key  # noqa: F401  (re-exported)


def _one(col):
    """A chunked array as one array, without a copy when it has a single chunk."""
    if isinstance(col, pa.ChunkedArray):
        return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    return col


def _np(col) -> np.ndarray:
    col = _one(col)
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
        lst = _one(paths.column("path"))
        if len(lst) and lst.offset:
            lst = pa.concat_arrays([lst])  # normalise a sliced array's offsets
        offsets = _np(lst.offsets).astype(np.int64, copy=False) if len(lst) else np.zeros(1, np.int64)
        values = _np(lst.values).astype(np.uint32, copy=False) if len(lst) else np.zeros(0, np.uint32)
        if offsets[0]:
            values, offsets = values[offsets[0]:], offsets - offsets[0]
        values = values[: offsets[-1]]
        usable = _np(pc.fill_null(paths.column("usable"), False)).astype(bool)
        full = vps.column("full_feed") if "full_feed" in vps.column_names else pa.array([True] * vps.num_rows)
        return cls(
            paths=paths, vps=vps, prefixes=prefixes, vp=vp, pfx=pfx, usable=usable & (offsets[1:] > offsets[:-1]),
            values=values, offsets=offsets,
            peer_asn=_np(paths.column("peer_asn")).astype(np.uint32, copy=False),
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

    def path_hash(self) -> np.ndarray:
        """Per row: a 64-bit hash of its AS path (equal paths, equal hashes; cached)."""
        c = self.__dict__.setdefault("_cache", {})
        if "hash" not in c:
            c["hash"] = hash_rows(self.values, self.offsets)
        return c["hash"]

    def asn_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(sorted distinct ASNs on the paths, per hop: the rank of its ASN there as int32; cached).
        The codes are laid out like `values`, so path kernels can walk them in its place."""
        return self._cached("asn_codes", lambda: encode_asns(self.values))

    def rows_with(self, asns, where: str = "any") -> np.ndarray:
        """Per row: one of `asns` is on the path, at a hop of kind `where`: 'any', 'transit' (not
        first, not last) or 'notlast' (cached)."""
        if where not in ("any", "transit", "notlast"):
            raise ValueError(f"where: {where!r}")
        c = self.__dict__.setdefault("_cache", {})
        members = tuple(sorted(int(a) for a in asns))
        key = ("rows_with", members, where)
        if key not in c:  # the three kinds come from one pass over the hops
            for w, m in zip(("any", "transit", "notlast"), rows_with_all(self.values, self.offsets, members), strict=True):
                c[("rows_with", members, w)] = m
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
