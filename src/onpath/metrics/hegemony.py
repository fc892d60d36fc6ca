"""AS hegemony (Fontugne, Shah, Aben, PAM 2018), on a paths table.

Per vantage point v: H_v(a) = address-weighted share of v's paths to the scope's prefixes that
contain a; then H(a) = mean of H_v(a) over the scope's vantage points after trimming 10 % at each
end (zeros included: a vantage point whose paths avoid a contributes 0). As in IHR, the vantage
point's own AS (first hop) is not counted; the origin (last hop) is left out too, so the values
measure transit dependence. Weights are IPv4 /24 units (IPv6 /48 units when the scope has only IPv6).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from onpath.metrics.frame import PathFrame, group_sum, isin_sorted
from onpath.metrics.pathops import transit_hops

TRIM = 0.1


def trimmed_mean_sparse(groups: np.ndarray, vals: np.ndarray, n: int, ngroups: int, trim: float = TRIM) -> np.ndarray:
    """Trimmed mean per group of an n-vector whose entries missing from `vals` are 0.

    `groups` (0..ngroups-1) and `vals` are the nonzero entries. k = floor(trim * n) values are cut
    at each end (as scipy.stats.trim_mean).

    >>> trimmed_mean_sparse(np.array([0, 0, 1]), np.array([1.0, 0.5, 1.0]), 10, 2).tolist()
    [0.0625, 0.0]
    """
    k = int(np.floor(trim * n))
    if n - 2 * k <= 0:
        return np.zeros(ngroups)
    order = np.lexsort((vals, groups))
    g, v = groups[order], vals[order]
    cnt = np.bincount(g, minlength=ngroups)
    start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    rank = np.arange(len(g)) - start[g]
    pos = (n - cnt[g]) + rank  # zeros sit below the nonzero values
    keep = (pos >= k) & (pos < n - k)
    return np.bincount(g[keep], weights=v[keep], minlength=ngroups) / (n - 2 * k)


def _transit_pairs(frame: PathFrame, rows: np.ndarray):
    """(row, AS code of `frame.asn_codes`) for the hops of the selected rows other than the first
    and the last."""
    codes = frame.asn_codes()[1].view(np.uint32)  # ranks are >= 0: walk them as hops
    r, a, _d = transit_hops(codes, frame.offsets, np.flatnonzero(rows))
    return r, a.astype(np.int64)


def hegemony(frame: PathFrame, rows: np.ndarray, groups: dict[str, set[int]] | None = None,
             trim: float = TRIM, per_as: bool = True) -> tuple[pa.Table, dict[str, float]]:
    """AS hegemony of every transit AS (and of AS groups) over the selected path rows.

    Parameters
    ----------
    frame : PathFrame
    rows : bool array
        The scope's rows (e.g. usable paths of eligible vantage points to country C's prefixes, or
        to one origin AS's prefixes).
    groups : dict, optional
        Name -> set of ASNs; the hegemony of a group counts a path once when any of its ASes is on it.
    trim : float
        Share trimmed at each end.
    per_as : bool
        Compute every AS's value (else only the groups').

    Returns
    -------
    (pyarrow.Table, dict)
        Table `asn`, `hegemony`, `vantage_points` (with a nonzero value), sorted by hegemony desc;
        and hegemony per group name.

    Examples
    --------
    Six ASes: vantage points AS1 and AS2; AS3 carries everything to AS5's prefix, AS4 half.

    >>> import pyarrow as pa
    >>> from onpath.metrics.frame import PathFrame
    >>> paths = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"],
    ...     "peer_asn": pa.array([1, 2], pa.uint32()), "prefix": ["10.0.0.0/24"] * 2,
    ...     "path": pa.array([[1, 3, 4, 5], [2, 3, 5]], pa.list_(pa.uint32())), "usable": [True, True]})
    >>> vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
    ...     "cc": ["DE", "FR"], "full_feed": [True, True]})
    >>> pfx = pa.table({"prefix": ["10.0.0.0/24"], "cc": ["US"], "family": pa.array([4], pa.int8()), "units": [1.0]})
    >>> f = PathFrame.build(paths, vps, pfx)
    >>> t, g = hegemony(f, f.usable, {"E": {4, 6}})
    >>> t.to_pydict()["asn"], t.to_pydict()["hegemony"], g
    ([3, 4], [1.0, 0.5], {'E': 0.5})

    References
    ----------
    R. Fontugne, A. Shah, E. Aben, "The (thin) red line: Internet dependence in the wild" (AS
    hegemony), PAM 2018; Internet Health Report (IHR), RIPE NCC / IIJ.
    """
    groups = groups or {}
    empty = pa.table({"asn": pa.array([], pa.uint32()), "hegemony": pa.array([], pa.float64()),
                      "vantage_points": pa.array([], pa.int64())})
    if not rows.any():
        return empty, {k: 0.0 for k in groups}
    rfam = frame.row_family()
    fam = 4 if (rfam[rows] == 4).any() else 6
    rows = rows & (rfam == fam)
    w_row = frame.row_units()
    vr = frame.vp[rows]
    vps_in = np.flatnonzero(np.bincount(vr, minlength=frame.vps.num_rows))
    n = len(vps_in)
    vcode = np.full(frame.vps.num_rows, -1, np.int64)
    vcode[vps_in] = np.arange(n)
    den = np.bincount(vcode[vr], weights=w_row[rows], minlength=n)
    del vr
    r, acode = _transit_pairs(frame, rows) if per_as else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    out_groups = {}
    for name, members in groups.items():
        rr = rows & frame.rows_with(members, "transit")
        num = np.bincount(vcode[frame.vp[rr]], weights=w_row[rr], minlength=n)
        h = np.divide(num, den, out=np.zeros(n), where=den > 0)
        out_groups[name] = float(trimmed_mean_sparse(np.zeros(n, np.int64), h, n, 1, trim)[0])
    if len(acode) == 0 or not per_as:
        return empty, out_groups
    ua = frame.asn_codes()[0]
    acode += vcode[frame.vp[r]] * len(ua)  # key (vantage point, AS), in place
    uk, num = group_sum(acode, w_row[r])
    kv, ka = uk // len(ua), uk % len(ua)
    h = num / den[kv]
    val = trimmed_mean_sparse(ka, h, n, len(ua), trim)
    nz = np.bincount(ka, minlength=len(ua))
    order = np.lexsort((ua, -val))
    keep = order[val[order] > 0]
    return pa.table({"asn": pa.array(ua[keep], pa.uint32()), "hegemony": pa.array(val[keep], pa.float64()),
                     "vantage_points": pa.array(nz[keep], pa.int64())}), out_groups


def group_hegemony_by_origin(frame: PathFrame, rows: np.ndarray, members, origins, trim: float = TRIM) -> dict[int, float]:
    """Hegemony of the AS group `members` in the scope of each origin AS of `origins` (one pass).

    Same values as ``hegemony(frame, rows & (frame.origin() == o), {"E": members})`` for each o.

    Examples
    --------
    >>> import pyarrow as pa
    >>> paths = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"],
    ...     "peer_asn": pa.array([1, 2], pa.uint32()), "prefix": ["10.0.0.0/24"] * 2,
    ...     "path": pa.array([[1, 3, 4, 5], [2, 3, 5]], pa.list_(pa.uint32())), "usable": [True, True]})
    >>> vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
    ...     "cc": ["DE", "FR"], "full_feed": [True, True]})
    >>> pfx = pa.table({"prefix": ["10.0.0.0/24"], "cc": ["US"], "family": pa.array([4], pa.int8()), "units": [1.0]})
    >>> f = PathFrame.build(paths, vps, pfx)
    >>> group_hegemony_by_origin(f, f.usable, {4}, [5])
    {5: 0.5}
    """
    origins = [int(o) for o in origins]
    idx = np.flatnonzero(rows)
    o = frame.origin()[idx]
    keep = isin_sorted(o, origins)
    idx, o = idx[keep], o[keep]
    hit = frame.rows_with(members, "transit")[idx]
    v = frame.vp[idx]
    p = frame.pfx[idx]
    w, fam = frame.units[p], frame.family[p]
    out = {}
    nvp = frame.vps.num_rows
    for oi in origins:
        m = o == oi
        if not m.any():
            out[oi] = 0.0
            continue
        m &= fam == (4 if (fam[m] == 4).any() else 6)
        den = np.bincount(v[m], weights=w[m], minlength=nvp)
        mh = m & hit
        num = np.bincount(v[mh], weights=w[mh], minlength=nvp)
        h = np.sort(num[den > 0] / den[den > 0])
        k = int(np.floor(trim * len(h)))
        out[oi] = float(h[k:len(h) - k].mean()) if len(h) - 2 * k > 0 else 0.0
    return out
