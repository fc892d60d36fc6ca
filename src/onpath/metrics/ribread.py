"""Reading the RIB rows of a snapshot's routes files in parallel slices (for `ribpaths.RibIndex`).

The Parquet row groups are read in slices on every core (Arrow and NumPy release the GIL). Each
slice hash-encodes its prefixes and counts its own vantage points' prefixes; only the slices' small
dictionaries are merged afterwards, so no column of 40 M strings is ever held. A RIB in prefix
order is read through Parquet's dictionary pages; update-only files are not read at all.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from onpath.metrics.pathops import _dict_codes

TASK_ROWS = 1 << 21  # rows per read task: enough tasks to keep every core busy


def repeats_prefixes(path) -> bool:
    """The file's first row group holds each prefix at least twice on average (a RIB dump in prefix
    order, one row per peer): then reading Parquet's dictionary pages beats hashing every row's
    string; a file with one row per prefix and row group is read as plain strings."""
    pf = pq.ParquetFile(path, read_dictionary=["prefix"])
    if pf.metadata.num_row_groups == 0:
        return False
    col = pf.read_row_group(0, columns=["prefix"], use_threads=False).column("prefix")
    distinct = sum(len(c.dictionary) for c in col.chunks)
    return 2 * distinct <= len(col)


def read_task(path, groups: list[int], cols: list[str], prefix_dict: bool) -> dict:
    """One slice of row groups, reduced on its own core: the RIB rows' columns `cols`; the prefix
    as codes into the slice's dictionary; the vantage point (collector, peer_ip) as codes into the
    slice's list of them, with each one's IPv4/IPv6 prefix count and peer AS (of its first row);
    the (collector, source file) pairs; the collectors seen with RIB rows and with other rows."""
    rd = ["collector", "peer_ip", "source_file", "kind"] + (["prefix"] if prefix_dict else [])
    t = pq.ParquetFile(path, read_dictionary=rd).read_row_groups(
        groups, columns=[*cols, "collector", "peer_ip", "source_file", "prefix", "kind"], use_threads=False)
    kc, kd = _dict_codes(t.column("kind"))
    kd = kd.to_pylist()
    isrib = kc == kd.index("rib") if "rib" in kd else np.zeros(len(kc), bool)
    cc, cd = _dict_codes(t.column("collector"))
    names = cd.to_pylist()
    rib_c = {names[i] for i in np.unique(cc[isrib]).tolist()}
    other_c = {names[i] for i in np.unique(cc[~isrib]).tolist()}
    if other_c:  # updates (rare inside a RIB file): a collector with a RIB ignores them
        t = t.filter(pa.array(isrib))
        cc = cc[isrib]
    ic, idc = _dict_codes(t.column("peer_ip"))
    sc, sd = _dict_codes(t.column("source_file"))
    pcode, pdic = _dict_codes(t.column("prefix"))
    n2 = len(idc) + 1
    key = cc.astype(np.int64) * n2 + ic
    present = np.bincount(key, minlength=(len(cd) + 1) * n2) > 0  # dense: one collector x its peers
    combo = np.flatnonzero(present)
    vcode = (np.cumsum(present, dtype=np.int32) - 1)[key]
    r6 = pc.fill_null(pc.match_substring(pdic, ":"), False).to_numpy(zero_copy_only=False)[pcode]
    nv = len(combo)
    first = np.full(nv, len(vcode), np.int64)
    np.minimum.at(first, vcode, np.arange(len(vcode)))  # each vantage point's first row
    ips, files = idc.to_pylist(), sd.to_pylist()
    ns = len(files) + 1
    pairs = np.flatnonzero(np.bincount(cc.astype(np.int64) * ns + sc, minlength=(len(cd) + 1) * ns) > 0)
    return {"t": t.select(cols), "prefix": (pcode, pdic), "vcode": vcode,
            "vps": [(names[c], ips[i]) for c, i in zip((combo // n2).tolist(), (combo % n2).tolist(), strict=True)],
            "n4": np.bincount(vcode[~r6], minlength=nv), "n6": np.bincount(vcode[r6], minlength=nv),
            "asn": t.column("peer_asn").take(pa.array(first)).to_numpy(zero_copy_only=False) if nv else np.zeros(0, np.uint32),
            "dumps": {(names[x // ns], files[x % ns]) for x in pairs.tolist()},
            "rib_c": rib_c, "other_c": other_c}


def take_into(out: np.ndarray, jobs) -> np.ndarray:
    """out[slice] = table[codes] for each (table, codes, slice) job, on every core (NumPy's take
    releases the GIL)."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as ex:
        list(ex.map(lambda j: np.take(j[0], j[1], out=out[j[2]]), jobs))
    return out


def merge_codes(parts: list[tuple[np.ndarray, pa.Array]]) -> tuple[np.ndarray, pa.Array]:
    """Codes into per-slice dictionaries -> int32 codes into one dictionary (hash-encoded once)."""
    dic_all = pa.concat_arrays([d for _, d in parts]) if parts else pa.array([], pa.string())
    gcode, gdic = _dict_codes(pa.chunked_array([dic_all], pa.string()))
    jobs, pos, base = [], 0, 0
    for c, d in parts:
        jobs.append((gcode[base:base + len(d)], c, slice(pos, pos + len(c))))
        pos += len(c)
        base += len(d)
    return take_into(np.empty(pos, np.int32), jobs), gdic


def route_files(snap) -> tuple[list, set[str], bool]:
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


def read_routes(files, cols: list[str]) -> list[dict]:
    """The slices of `read_task` over the routes files, read and reduced on every core.

    Slices of row groups are read and hash-encoded in parallel (Arrow and NumPy release the GIL);
    their small dictionaries are merged afterwards, so no column of 40 M strings is ever held.
    """
    tasks = []
    for f in files:
        md = pq.ParquetFile(f).metadata
        pd = repeats_prefixes(f)
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
        return list(ex.map(lambda tk: read_task(tk[0], tk[1], cols, tk[2]), tasks))
