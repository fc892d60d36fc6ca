"""Sample paths behind a figure: the most frequent AS paths among the rows that make it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from onpath.metrics.frame import PathFrame, isin_sorted


def sample_paths(frame: PathFrame, rows: np.ndarray, k: int = 5) -> list[dict]:
    """Up to `k` distinct AS paths among `rows`, most frequent first.

    Each sample: `vantage_point` (collector|peer_ip), `collector`, `peer_ip`, `prefix`, `path`
    (one example row) and `count` (rows with that exact AS path). The example row and the order of
    equally frequent paths follow (vantage point, prefix) in the frame's sorted `vps` and
    `prefixes` tables, never the row order of the paths table, so the same routes give the same
    samples whichever way the paths table was built.

    Examples
    --------
    >>> import pyarrow as pa
    >>> paths = pa.table({"collector": ["c"] * 3, "peer_ip": ["a", "a", "b"], "peer_asn": pa.array([1, 1, 2], pa.uint32()),
    ...     "prefix": ["10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/24"],
    ...     "path": pa.array([[1, 3, 5], [1, 3, 5], [2, 3, 5]], pa.list_(pa.uint32())), "usable": [True] * 3})
    >>> vps = pa.table({"collector": ["c", "c"], "peer_ip": ["a", "b"], "peer_asn": pa.array([1, 2], pa.uint32()),
    ...     "cc": ["DE", "DE"], "full_feed": [True, True]})
    >>> pfx = pa.table({"prefix": ["10.0.0.0/24", "10.0.1.0/24"], "cc": ["US", "US"],
    ...     "family": pa.array([4, 4], pa.int8()), "units": [1.0, 1.0]})
    >>> f = PathFrame.build(paths, vps, pfx)
    >>> [(s["path"], s["count"]) for s in sample_paths(f, f.usable)]
    [([1, 3, 5], 2), ([2, 3, 5], 1)]
    """
    idx = np.flatnonzero(rows)
    if len(idx) == 0:
        return []
    h = frame.path_hash()[idx]
    # rank of a row: its vantage point, then its prefix (unknown ones last)
    nv, npfx = frame.vps.num_rows + 1, frame.prefixes.num_rows + 1
    v = np.where(frame.vp[idx] >= 0, frame.vp[idx], nv - 1).astype(np.int64)
    p = np.where(frame.pfx[idx] >= 0, frame.pfx[idx], npfx - 1).astype(np.int64)
    key = v * npfx + p
    g = pa.table({"h": pa.array(h), "k": pa.array(key)}).group_by("h").aggregate([("k", "min"), ("k", "count")])
    cnt = g.column("k_count").to_numpy()
    kmin = g.column("k_min").to_numpy()
    order = np.lexsort((kmin, -cnt))[:k]
    top_h = g.column("h").to_numpy()[order]
    # the example row of each chosen path: its row with the smallest rank
    by_h = np.argsort(top_h)
    th, tk = top_h[by_h], kmin[order][by_h]
    cand = np.flatnonzero(isin_sorted(h, th))
    j = np.searchsorted(th, h[cand])
    hit = cand[key[cand] == tk[j]]  # rows of a chosen path at its smallest rank (one, or equal duplicates)
    pick = {}
    for i in hit.tolist():
        pick.setdefault(int(h[i]), i)
    reps = frame.paths.take(pa.array([idx[pick[int(x)]] for x in top_h.tolist()])).to_pylist()
    out = []
    for j, r in zip(order, reps, strict=True):
        out.append({"vantage_point": f"{r['collector']}|{r['peer_ip']}", "collector": r["collector"],
                    "peer_ip": r["peer_ip"], "prefix": r["prefix"], "path": [int(x) for x in r["path"]],
                    "count": int(cnt[j])})
    return out
