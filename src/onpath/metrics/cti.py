"""Country-level Transit Influence (CTI), Gamero-Garrido et al., PAM 2022.

Follows the authors' code, CAIDA/mapkit-cti-code `CTI-Netacuity/CTIn.py` (read for this module):

1. Monitors: full-feed vantage points located outside C (known country); paths to C's prefixes.
2. Each path is cut at its first provider->customer link seen from the monitor (as-rel): hops
   before the provider are dropped; a path without any p2c link is discarded.
3. Every hop of the cut path except the origin is a transit AS t, at distance d hops from the origin;
   it is billed w(p) / d ("indirect transit" discount), w(p) the prefix's address space.
4. Monitors in the same AS ("BGP host AS" h) share a prefix: each gets w(p) / n_h(p).
   TI_h(t) = sum of t's bills in h / sum over prefixes h sees of w(p).
5. Per t, the host ASes that observed t are sorted by TI_h(t); the bottom and top 10 % (floor) are
   discarded (none when fewer than 10), and CTI(t) = kept bills / (all hosts' denominators minus the
   discarded hosts' denominators).

Departures, stated: w(p) is the de-duplicated address space of onpath (fractions of a /24 kept;
the code bills at least one /24 and skips prefixes longer than /24); the code's merge of
dependent territories into C and its multi-hop collector exclusions are not applied (C is whatever
the prefix-country basis says; the vantage-point data decides which peers are used).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from onpath.metrics.arrays import unique_inverse
from onpath.metrics.frame import PathFrame, group_sum, isin_sorted
from onpath.metrics.pathops import first_link, transit_hops


def p2c_keys(as_rel: pa.Table) -> np.ndarray:
    """Sorted uint64 keys provider<<32|customer of the as-rel table's p2c links (rel = -1)."""
    rel = as_rel.column("rel").to_numpy(zero_copy_only=False)
    a = as_rel.column("asn1").to_numpy(zero_copy_only=False).astype(np.uint64)[rel == -1]
    b = as_rel.column("asn2").to_numpy(zero_copy_only=False).astype(np.uint64)[rel == -1]
    return np.unique((a << np.uint64(32)) | b)


def _cut(frame: PathFrame, rows: np.ndarray, p2c: np.ndarray):
    """For the selected rows: the rows kept (with a p2c link), and (row, AS code of
    `frame.asn_codes`, distance to origin) of the hops kept after the cut (from the first p2c
    link's provider to the hop before the origin)."""
    first = first_link(frame.values, frame.offsets, rows, p2c)
    kept_rows = np.flatnonzero(first >= 0)
    codes = frame.asn_codes()[1].view(np.uint32)  # ranks are >= 0: walk them as hops
    r, a, d = transit_hops(codes, frame.offsets, kept_rows, first[kept_rows])
    return kept_rows, r, a.astype(np.int64), d


def _rows_per_host_prefix(host: np.ndarray, pfx: np.ndarray, nhost: int) -> np.ndarray:
    """Per row: how many rows share its (host, prefix); rows grouped by host with a radix sort,
    then one dense count over the prefixes per host (no hash table of every pair).

    >>> _rows_per_host_prefix(np.array([0, 1, 0, 0]), np.array([5, 5, 5, 2]), 2).tolist()
    [2.0, 1.0, 2.0, 1.0]
    """
    out = np.empty(len(host))
    order = np.argsort(host.astype(np.int16 if nhost < 1 << 15 else np.int64), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(host, minlength=nhost))])
    for h in range(nhost):
        idx = order[bounds[h]:bounds[h + 1]]
        ph = pfx[idx]
        out[idx] = np.bincount(ph)[ph]
    return out


def cti(frame: PathFrame, country: str, as_rel: pa.Table | np.ndarray, *, excluded_asns=(),
        groups: dict[str, set[int]] | None = None, family: int = 4) -> tuple[pa.Table, dict[str, float], dict]:
    """CTI of every transit AS of `country`, and of AS groups (an entity counted as one AS).

    Parameters
    ----------
    frame : PathFrame
    country : str
    as_rel : pyarrow.Table or ndarray
        The as-rel table (or `p2c_keys` of it).
    excluded_asns : iterable of int
        Monitors inside these ASes are left out.
    groups : dict, optional
        Name -> ASNs; a path bills the group once, at its hop nearest the origin.
    family : {4, 6}
        The paper's CTI is IPv4 (w(p) in /24 units). 6 applies the same definition to C's IPv6
        prefixes, w(p) in /48 units: an extension, reported apart.

    Returns
    -------
    (pyarrow.Table, dict, dict)
        `asn`, `cti` (desc); CTI per group; counts (monitors, host ASes, paths kept and discarded).

    Examples
    --------
    Six ASes: monitors in AS1 (DE) and AS2 (FR); AS3 is AS5's provider, AS4 AS6's; AS3 also
    provides AS4. AS1 -> 3 -> 5 bills AS3 at d=1; AS2 -> 3 -> 4 -> 6 bills AS4 (d=1) and AS3 (d=2).

    >>> import pyarrow as pa
    >>> paths = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"],
    ...     "peer_asn": pa.array([1, 2], pa.uint32()), "prefix": ["10.0.0.0/24", "10.0.1.0/24"],
    ...     "path": pa.array([[1, 3, 5], [2, 3, 4, 6]], pa.list_(pa.uint32())), "usable": [True, True]})
    >>> vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
    ...     "cc": ["DE", "FR"], "full_feed": [True, True]})
    >>> pfx = pa.table({"prefix": ["10.0.0.0/24", "10.0.1.0/24"], "cc": ["US", "US"],
    ...     "family": pa.array([4, 4], pa.int8()), "units": [1.0, 1.0]})
    >>> rel = pa.table({"asn1": pa.array([3, 4, 3], pa.uint32()), "asn2": pa.array([5, 6, 4], pa.uint32()),
    ...     "rel": pa.array([-1, -1, -1], pa.int8())})
    >>> t, g, _ = cti(PathFrame.build(paths, vps, pfx), "US", rel, groups={"E": {4}})
    >>> t.to_pydict()["asn"], t.to_pydict()["cti"], g
    ([3, 4], [0.75, 0.5], {'E': 0.5})

    References
    ----------
    A. Gamero-Garrido, E. Carisimo, S. Hao, B. Huffaker, A. C. Snoeren, A. Dainotti, "Quantifying
    Nations' Exposure to Traffic Observation and Selective Tampering", PAM 2022,
    doi:10.1007/978-3-030-98785-5_29; code: github.com/CAIDA/mapkit-cti-code.
    """
    p2c = as_rel if isinstance(as_rel, np.ndarray) else p2c_keys(as_rel)
    groups = groups or {}
    vin, vknown, pin = frame.in_country(country)
    elig = frame.eligible_vp(excluded_asns)
    v, p = frame.vp0(), frame.pfx0()
    vok = elig & vknown & ~vin
    if family not in (4, 6):
        raise ValueError(f"family must be 4 or 6, not {family!r}")
    rows = frame.usable & (frame.vp >= 0) & (frame.pfx >= 0) & vok[v] & (pin & (frame.family == family))[p]
    kept, r, acode, d = _cut(frame, rows, p2c)
    stats = {"paths": int(rows.sum()), "paths_kept": int(len(kept)), "paths_without_p2c": int(rows.sum() - len(kept))}
    empty = pa.table({"asn": pa.array([], pa.uint32()), "cti": pa.array([], pa.float64())})
    if len(kept) == 0:
        return empty, {k: 0.0 for k in groups}, stats | {"host_ases": 0}
    host = frame.peer_asn
    uh, hcode_rows = unique_inverse(host[kept])
    hcode = np.full(frame.n, -1, np.int64)
    hcode[kept] = hcode_rows
    # n_h(p): monitors of host h with a kept path to p
    share = np.zeros(frame.n)
    share[kept] = frame.units[p[kept]] / _rows_per_host_prefix(hcode_rows, p[kept], len(uh))
    den = np.bincount(hcode[kept], weights=share[kept], minlength=len(uh))
    stats["host_ases"] = int(len(uh))

    def _score(r_, a_codes, bill, nA):
        uk, num = group_sum(hcode[r_] * nA + a_codes, bill)
        kh, ka = uk // nA, uk % nA
        ti = num / den[kh]
        order = np.lexsort((ti, ka))
        ka_s, kh_s, num_s = ka[order], kh[order], num[order]
        cnt = np.bincount(ka_s, minlength=nA)
        start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        rank = np.arange(len(ka_s)) - start[ka_s]
        cut = cnt // 10
        drop = ((rank < cut[ka_s]) | (rank >= cnt[ka_s] - cut[ka_s])) & (cnt[ka_s] - cut[ka_s] != cnt[ka_s])
        kept_num = np.bincount(ka_s[~drop], weights=num_s[~drop], minlength=nA)
        drop_den = np.bincount(ka_s[drop], weights=den[kh_s[drop]], minlength=nA)
        total = den.sum() - drop_den
        return np.divide(kept_num, total, out=np.zeros(nA), where=total > 0)

    ua = frame.asn_codes()[0]
    val = _score(r, acode, share[r] / d, len(ua))
    order = np.lexsort((ua, -val))
    order = order[val[order] > 0]
    out_g = {}
    for name, members in groups.items():
        m = np.asarray(sorted(int(x) for x in members), np.uint32)
        mc = np.searchsorted(ua, m)
        hit = isin_sorted(acode, mc[(mc < len(ua)) & (ua[np.minimum(mc, len(ua) - 1)] == m)])
        if not hit.any():
            out_g[name] = 0.0
            continue
        # one bill per row: the group's hop nearest the origin (largest 1/d)
        rr, dd = r[hit], d[hit]
        o = np.lexsort((dd, rr))
        rr, dd = rr[o], dd[o]
        firstrow = np.concatenate([[True], rr[1:] != rr[:-1]])
        rr, dd = rr[firstrow], dd[firstrow]
        out_g[name] = float(_score(rr, np.zeros(len(rr), np.int64), share[rr] / dd, 1)[0])
    return pa.table({"asn": pa.array(ua[order], pa.uint32()), "cti": pa.array(val[order], pa.float64())}), out_g, stats
