"""A paths table turned into NumPy codes, shared by the exposure, hegemony and CTI functions.

`PathFrame.build(paths, vps, prefixes)` indexes every path row to its vantage point and prefix and
flattens the AS paths into one array (`values`, with `offsets` per row). Nothing here is a metric.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _np(col) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col.to_numpy(zero_copy_only=False)


def _str(col) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    return col.cast(pa.string())


def vp_key(collector, peer_ip) -> pa.Array:
    """`collector|peer_ip`, the vantage point's text identifier."""
    return pc.binary_join_element_wise(_str(collector), _str(peer_ip), "|")


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
        vkeys = vp_key(vps.column("collector"), vps.column("peer_ip"))
        vp = _np(pc.fill_null(pc.index_in(vp_key(paths.column("collector"), paths.column("peer_ip")), value_set=vkeys), -1)).astype(np.int32)
        pfx = _np(pc.fill_null(pc.index_in(_str(paths.column("prefix")), value_set=_str(prefixes.column("prefix"))), -1)).astype(np.int32)
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
            pfx_cc=np.array(_str(prefixes.column("cc")).to_pylist(), dtype=object),
            family=_np(prefixes.column("family")).astype(np.int8),
            units=_np(prefixes.column("units")).astype(np.float64),
        )

    @property
    def n(self) -> int:
        return len(self.vp)

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def row_of_value(self) -> np.ndarray:
        return np.repeat(np.arange(self.n, dtype=np.int64), self.lengths())

    def origin(self) -> np.ndarray:
        """The last hop of every row (0 for an empty path)."""
        last = self.offsets[1:] - 1
        out = np.zeros(self.n, np.uint32)
        ok = last >= self.offsets[:-1]
        out[ok] = self.values[last[ok]]
        return out

    def crosses(self, watched) -> np.ndarray:
        """Per row: an AS of `watched` is on the path other than as its origin."""
        w = np.asarray(sorted(watched), dtype=np.uint32)
        hit = np.isin(self.values, w)
        if len(self.values):
            hit[self.offsets[1:][self.offsets[1:] > self.offsets[:-1]] - 1] = False
        rows = self.row_of_value()[hit]
        return np.bincount(rows, minlength=self.n).astype(bool) if self.n else np.zeros(0, bool)

    def eligible_vp(self, excluded_asns) -> np.ndarray:
        """Per vantage point: full feed and not inside an excluded (watched) AS."""
        ex = np.asarray(sorted(excluded_asns), dtype=np.uint32)
        vasn = _np(self.vps.column("peer_asn")).astype(np.uint32)
        return self.vp_full & ~np.isin(vasn, ex)

    def in_country(self, cc: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vantage point in C, vantage point country known, prefix in C) as bool arrays."""
        vin = np.array([c == cc for c in self.vp_cc], dtype=bool)
        vknown = np.array([c is not None and c != "" for c in self.vp_cc], dtype=bool)
        pin = np.array([c == cc for c in self.pfx_cc], dtype=bool)
        return vin, vknown, pin

    def selection(self, cc: str, direction: str, excluded_asns) -> np.ndarray:
        """Rows used for `direction` ('inbound': vantage points not in C towards C's prefixes;
        'outbound': vantage points in C towards prefixes not in C): usable, eligible, known."""
        vin, _vknown, pin = self.in_country(cc)
        elig = self.eligible_vp(excluded_asns)
        ok = self.usable & (self.vp >= 0) & (self.pfx >= 0)
        v = np.where(self.vp >= 0, self.vp, 0)
        p = np.where(self.pfx >= 0, self.pfx, 0)
        if direction == "inbound":
            return ok & elig[v] & ~vin[v] & pin[p]
        if direction == "outbound":
            return ok & elig[v] & vin[v] & ~pin[p]
        raise ValueError(direction)
