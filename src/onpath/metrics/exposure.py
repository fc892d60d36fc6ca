"""Inbound and outbound exposure of a country to an entity (SPEC §4).

x_E(p) = (vantage points whose usable path to prefix p crosses E) / (vantage points with a usable
path to p); a path crosses E when an AS of W_E is on it other than as its origin.
"""

from __future__ import annotations

import numpy as np

from onpath.metrics.frame import PathFrame

TOP = 20


def _share(num: float, den: float) -> float | None:
    return None if den <= 0 else float(num / den)


def exposure(frame: PathFrame, country: str, watched, direction: str = "inbound", *,
             excluded_asns=None, names: dict[int, str] | None = None, top: int = TOP) -> dict:
    """Exposure of `country` to the ASes `watched` in one direction.

    Parameters
    ----------
    frame : PathFrame
        Paths (observed or simulated), vantage points and prefixes (with `cc`, `family`, `units`).
    country : str
        ISO 3166-1 alpha-2 code of C.
    watched : iterable of int
        W_E, the entity's ASes.
    direction : {"inbound", "outbound"}
        Inbound: vantage points not located in C towards C's prefixes. Outbound: vantage points
        located in C towards prefixes outside C.
    excluded_asns : iterable of int, optional
        Vantage points inside these ASes are left out (default: `watched`); pass every AS of the
        watchlist.
    names : dict, optional
        AS names for the per-origin list.

    Returns
    -------
    dict
        ``{"v4": {...}, "v6": {...}, "per_vantage_point": [...], "per_origin": [...]}``; each family
        has by_address, reach_by_address, by_prefix, by_path and the counts behind them
        (docs/metrics.md).

    Examples
    --------
    Six ASes: vantage points in AS1 and AS2 (DE), AS3 the watched transit, AS4 a clean transit,
    AS5 and AS6 origins in the US. AS1 reaches 10.0.0.0/24 (AS5) through AS3, AS2 through AS4;
    both reach 10.0.1.0/23 (AS6) through AS4.

    >>> import pyarrow as pa
    >>> paths = pa.table({"collector": ["c"] * 4, "peer_ip": ["a", "a", "b", "b"],
    ...     "peer_asn": pa.array([1, 1, 2, 2], pa.uint32()),
    ...     "prefix": ["10.0.0.0/24", "10.0.1.0/23", "10.0.0.0/24", "10.0.1.0/23"],
    ...     "path": pa.array([[1, 3, 5], [1, 4, 6], [2, 4, 5], [2, 4, 6]], pa.list_(pa.uint32())),
    ...     "usable": [True] * 4})
    >>> vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"],
    ...     "peer_asn": pa.array([1, 2], pa.uint32()), "cc": ["DE", "DE"], "full_feed": [True, True]})
    >>> pfx = pa.table({"prefix": ["10.0.0.0/24", "10.0.1.0/23"], "cc": ["US", "US"],
    ...     "family": pa.array([4, 4], pa.int8()), "units": [1.0, 2.0]})
    >>> e = exposure(PathFrame.build(paths, vps, pfx), "US", {3})
    >>> e["v4"]["by_address"], e["v4"]["reach_by_address"], e["v4"]["by_prefix"], e["v4"]["by_path"]
    (0.16666666666666666, 0.3333333333333333, 0.25, 0.25)

    References
    ----------
    SPEC §4 (onpath). Path-based exposure in the spirit of A. Gamero-Garrido et al., "Quantifying
    Nations' Exposure to Traffic Observation and Selective Tampering", PAM 2022.
    """
    watched = {int(a) for a in watched}
    excluded = watched if excluded_asns is None else {int(a) for a in excluded_asns}
    rows = frame.selection(country, direction, excluded)
    cross = frame.crosses(watched) & rows
    npfx = frame.prefixes.num_rows
    nus = np.bincount(frame.pfx[rows], minlength=npfx).astype(np.float64)
    ncr = np.bincount(frame.pfx[cross], minlength=npfx).astype(np.float64)
    x = np.divide(ncr, nus, out=np.zeros(npfx), where=nus > 0)
    seen = nus > 0
    out: dict = {}
    for fam, key in ((4, "v4"), (6, "v6")):
        sel = seen & (frame.family == fam)
        w = frame.units[sel]
        xs = x[sel]
        out[key] = {
            "by_address": _share(float((xs * w).sum()), float(w.sum())),
            "reach_by_address": _share(float(w[xs > 0].sum()), float(w.sum())),
            "by_prefix": _share(float(xs.sum()), float(sel.sum())),
            "by_path": _share(float(ncr[sel].sum()), float(nus[sel].sum())),
            "prefixes": int(sel.sum()), "prefixes_crossed": int((xs > 0).sum()),
            "address_space": float(w.sum()), "paths": int(nus[sel].sum()), "paths_crossing": int(ncr[sel].sum()),
        }
    out["per_vantage_point"] = _per_vp(frame, rows, cross, top)
    out["per_origin"] = _per_origin(frame, rows, x, names or {}, top,
                                    key=(country, direction, tuple(sorted(excluded))))
    return out


def _per_vp(frame: PathFrame, rows, cross, top) -> list[dict]:
    nvp = frame.vps.num_rows
    w4 = frame._cached("units_v4", lambda: np.where(frame.row_family() == 4, frame.row_units(), 0.0))
    w6 = frame._cached("units_v6", lambda: np.where(frame.row_family() == 6, frame.row_units(), 0.0))
    vr, vc = frame.vp[rows], frame.vp[cross]
    paths = np.bincount(vr, minlength=nvp)
    crs = np.bincount(vc, minlength=nvp)
    wall = np.bincount(vr, weights=w4[rows], minlength=nvp)
    wcr = np.bincount(vc, weights=w4[cross], minlength=nvp)
    wall6 = np.bincount(vr, weights=w6[rows], minlength=nvp)
    wcr6 = np.bincount(vc, weights=w6[cross], minlength=nvp)
    coll, ip = frame.vps.column("collector").to_pylist(), frame.vps.column("peer_ip").to_pylist()
    asn = frame.vps.column("peer_asn").to_pylist()
    out = []
    for i in np.flatnonzero(paths > 0):
        out.append({"collector": coll[i], "peer_ip": ip[i], "peer_asn": int(asn[i]), "cc": frame.vp_cc[i],
                    "paths": int(paths[i]), "paths_crossing": int(crs[i]),
                    "by_path": float(crs[i] / paths[i]), "by_address": _share(float(wcr[i]), float(wall[i])),
                    "by_address_v6": _share(float(wcr6[i]), float(wall6[i]))})
    out.sort(key=lambda d: (-d["by_path"], d["collector"], d["peer_ip"]))
    return out[:top]


def _first_origins(frame: PathFrame, rows) -> tuple[np.ndarray, np.ndarray]:
    """(prefix, origin AS of its first selected row), for the IPv4 prefixes with a selected row."""
    idx = np.flatnonzero(rows)
    none = np.iinfo(np.int64).max
    first = np.full(frame.prefixes.num_rows, none, np.int64)
    np.minimum.at(first, frame.pfx[idx], idx)  # unbuffered: the smallest row of each prefix
    p = np.flatnonzero(first < none)
    p = p[frame.family[p] == 4]
    return p, frame.origin()[first[p]]


def _per_origin(frame: PathFrame, rows, x, names, top, key=None) -> list[dict]:
    """Per origin AS (of the prefix's first usable path): address-weighted mean of x_E(p), IPv4."""
    if not rows.any():
        return []
    p, o = frame._cached(("first_origins", key), lambda: _first_origins(frame, rows)) if key else _first_origins(frame, rows)
    if len(p) == 0:
        return []
    uo, inv = np.unique(o, return_inverse=True)
    w = frame.units[p]
    tot = np.bincount(inv, weights=w, minlength=len(uo))
    num = np.bincount(inv, weights=w * x[p], minlength=len(uo))
    cnt = np.bincount(inv, minlength=len(uo))
    out = [{"asn": int(uo[i]), "name": names.get(int(uo[i])), "prefixes": int(cnt[i]),
            "address_space": float(tot[i]), "by_address": float(num[i] / tot[i]) if tot[i] > 0 else None}
           for i in np.flatnonzero(num > 0)]
    out.sort(key=lambda d: (-d["by_address"], d["asn"]))
    return out[:top]
