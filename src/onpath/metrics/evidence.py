"""Sample paths behind a figure: the most frequent AS paths among the rows that make it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from onpath.metrics.frame import PathFrame


def sample_paths(frame: PathFrame, rows: np.ndarray, k: int = 5) -> list[dict]:
    """Up to `k` distinct AS paths among `rows`, most frequent first (ties: first seen in table order).

    Each sample: `vantage_point` (collector|peer_ip), `collector`, `peer_ip`, `prefix`, `path`
    (one example row, the first in table order) and `count` (rows with that exact AS path).

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
    g = pa.table({"h": pa.array(h), "i": pa.array(np.arange(len(idx)))}).group_by("h").aggregate([("i", "min"), ("i", "count")])
    cnt = g.column("i_count").to_numpy()
    first = g.column("i_min").to_numpy()
    order = np.lexsort((first, -cnt))[:k]
    reps = frame.paths.take(pa.array(idx[first[order]])).to_pylist()
    out = []
    for j, r in zip(order, reps, strict=True):
        out.append({"vantage_point": f"{r['collector']}|{r['peer_ip']}", "collector": r["collector"],
                    "peer_ip": r["peer_ip"], "prefix": r["prefix"], "path": [int(x) for x in r["path"]],
                    "count": int(cnt[j])})
    return out
