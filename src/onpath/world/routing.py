"""Observed routes: propagate every origin on the TRUE topology with the declared policy breakers
(onpath.simulate), keep what each vantage point exports to its collector (full feed: every best
route; partial feed: its own and its customers' routes), and write one TABLE_DUMP_V2 RIB per
collector with onpath's MRT writer."""

from __future__ import annotations

import ipaddress
import multiprocessing
import struct
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from onpath.ingest.mrt.writer import (
    RIB_IPV4_UNICAST,
    RIB_IPV6_UNICAST,
    TABLE_DUMP_V2,
    Attrs,
    MrtWriter,
    Peer,
    encode_attrs,
    encode_prefix,
)
from onpath.simulate import AsGraph, RemoveLinks, propagate
from onpath.world.collectors import Collector, VantagePoint, lan_v6
from onpath.world.policies import Breakers
from onpath.world.prefixes import Prefixes
from onpath.world.topology import Topology

_HIH = struct.Struct(">HIH").pack  # RIB entry head: peer index, originated time, attribute length
_H = struct.Struct(">H").pack
_I = struct.Struct(">I").pack


def true_graph(t: Topology) -> AsGraph:
    """The engine's graph of the true topology."""
    p2c = np.stack([t.asn[t.a[t.rel == -1]], t.asn[t.b[t.rel == -1]]], axis=1).astype(np.int64)
    p2p = np.stack([t.asn[t.a[t.rel == 0]], t.asn[t.b[t.rel == 0]]], axis=1).astype(np.int64)
    return AsGraph.from_links(p2c=p2c, p2p=p2p)


def vp_next_hops(vps: list[VantagePoint]) -> list[str]:
    """An IPv6 next hop per vantage point (on the exchange LAN, or a router address)."""
    out = []
    for k, v in enumerate(vps):
        if v.peer_ip.startswith("185.1."):
            out.append(lan_v6(v.peer_ip))
        else:
            out.append(f"2001:7f8:ffff::{k + 1:x}")
    return out


def attrs_for(v: VantagePoint, path, nh6: str, v6: bool) -> Attrs:
    """The attributes a vantage point sends: its path, origin IGP, its address as next hop, and an
    informational community (16-bit ASNs) or large community (32-bit ASNs)."""
    tag = 1000 + min(len(path), 9)
    if v.peer_asn < 65536:
        return Attrs(as_path=tuple(path), origin=0, next_hop=nh6 if v6 else v.peer_ip,
                     communities=((v.peer_asn, tag),))
    return Attrs(as_path=tuple(path), origin=0, next_hop=nh6 if v6 else v.peer_ip,
                 large_communities=((v.peer_asn, 1, tag),))


@dataclass
class RibResult:
    observed_links: set = field(default_factory=set)  # (min asn, max asn) seen on a path
    path_len: Counter = field(default_factory=Counter)  # collapsed path length -> count
    entries: int = 0
    vp_paths: dict = field(default_factory=dict)  # (vp k, origin index) -> path, for churn
    files: list = field(default_factory=list)


def exported(r, vp_idx: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Mask of vantage points that send this route: full feeds always, partial feeds only their
    own and customer (or sibling) routes."""
    nh = r.next_hop[vp_idx]
    ln = r.learned[vp_idx]
    return (nh >= 0) & (full | (ln == 0) | (ln == 1) | (ln == 4))


def vp_paths(g: AsGraph, t: Topology, vps, full, asn: int, policies, idx: np.ndarray | None = None) -> dict[int, tuple]:
    """{vp k: path} for one origin (paths with prepending as sent)."""
    r = propagate(g, asn, policies)
    if idx is None:
        idx = vp_index(g, vps)
    ok = exported(r, idx, full)
    nh, pre, asns = r.next_hop, r.prepended, g.asns
    out = {}
    for k in np.flatnonzero(ok).tolist():
        i = int(idx[k])
        p = [int(asns[i])]
        while nh[i] != i:
            j = int(nh[i])
            if pre is not None and pre[i]:
                p.extend([int(asns[j])] * int(pre[i]))
            p.append(int(asns[j]))
            i = j
        out[k] = tuple(p)
    return out


def vp_index(g: AsGraph, vps) -> np.ndarray:
    """Engine index of every vantage point's AS."""
    return np.array([g.index(v.peer_asn) for v in vps], np.int64)


_STATE: tuple | None = None  # (graph, topology, vps, full, vp index, breakers), inherited by forked workers


def _paths_of(o: int) -> dict[int, tuple]:
    g, t, vps, full, vidx, br = _STATE  # type: ignore[misc]
    asn = int(t.asn[o])
    return vp_paths(g, t, vps, full, asn, br.for_origin(asn), vidx)


def _all_paths(origins: list[int], workers: int):
    """(origin, {vp k: path}) in origin order, computed here or in forked worker processes."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for o in origins:
            yield o, _paths_of(o)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from zip(origins, pool.imap(_paths_of, origins, chunksize=32), strict=True)


def rib_pass(t: Topology, g: AsGraph, px: Prefixes, cols: list[Collector], vps: list[VantagePoint],
             br: Breakers, out: Path, stamp: str, ts: int, keep_origins: set[int],
             rng: np.random.Generator, progress: bool = True, workers: int = 1) -> RibResult:
    """Write the RIB of every collector; return what the later stages need.

    Parameters
    ----------
    keep_origins : set of int
        AS indices whose per-vantage-point paths are kept (realism sample, background noise).
    workers : int
        Processes for the propagations (same output for any number).
    stamp : str
        ``YYYYMMDD.HHMM`` of the snapshot time; `ts` the same in epoch seconds.
    """
    res = RibResult()
    by_origin: dict[int, list[int]] = defaultdict(list)
    for k, o in enumerate(px.origin):
        by_origin[o].append(k)
    full = np.array([v.full_feed for v in vps])
    nh6 = vp_next_hops(vps)
    writers, peer_idx = {}, {}
    for c in cols:
        d = out / "mrt" / c.name
        d.mkdir(parents=True, exist_ok=True)
        name = f"rib.{stamp}.bz2" if c.archive == "routeviews" else f"bview.{stamp}.gz"
        w = MrtWriter.open(d / name)
        mine = [k for k, v in enumerate(vps) if v.collector == c.name]
        w.peer_index_table([Peer(vps[k].peer_asn, vps[k].peer_ip) for k in mine], ts=ts,
                           collector_bgp_id=c.bgp_id, view_name="")
        writers[c.name] = w
        for j, k in enumerate(mine):
            peer_idx[k] = j
        res.files.append(d / name)
    col_of = [v.collector for v in vps]
    origins = sorted(by_origin)
    age = rng.integers(3600, 86400 * 60, size=t.n)
    vidx = vp_index(g, vps)
    global _STATE
    _STATE = (g, t, vps, full, vidx, br)
    try:
        for n, (o, paths) in enumerate(_all_paths(origins, workers)):
            if o in keep_origins:
                for k, p in paths.items():
                    res.vp_paths[(k, o)] = p
            for p in set(paths.values()):
                hops = list(dict.fromkeys(p))
                res.path_len[len(hops)] += 1
                for x, y in zip(hops, hops[1:], strict=False):
                    res.observed_links.add((min(x, y), max(x, y)))
            per_col: dict[str, list] = defaultdict(list)
            for k in sorted(paths):
                per_col[col_of[k]].append(k)
            # A RIB record's entries for one origin at one collector are the same for all its
            # prefixes of one family (same peers, paths, attributes, originated time): encode them
            # once per (collector, family) and reuse the bytes, the record body being
            # seq + NLRI + entry count + entries (what MrtWriter.rib writes, byte for byte).
            # Attribute blocks stay out of the writer's cache: paths rarely repeat across origins.
            born = int(ts - age[o])
            bodies: dict[tuple[str, bool], tuple[int, bytes]] = {}
            for pk in by_origin[o]:
                pfx = px.prefix[pk]
                v6 = px.v6[pk]
                afi, nlri = encode_prefix(pfx)
                sub = RIB_IPV6_UNICAST if afi == 2 else RIB_IPV4_UNICAST
                for cname, ks in per_col.items():
                    e = bodies.get((cname, v6))
                    if e is None:
                        parts = []
                        for k in ks:
                            b = encode_attrs(attrs_for(vps[k], paths[k], nh6[k], v6), 2 if v6 else 1)
                            parts.append(_HIH(peer_idx[k], born, len(b)))
                            parts.append(b)
                        e = bodies[(cname, v6)] = (len(ks), _H(len(ks)) + b"".join(parts))
                    w = writers[cname]
                    seq = w.seq
                    w.seq = seq + 1
                    w.raw_record(ts, TABLE_DUMP_V2, sub, _I(seq & 0xFFFFFFFF) + nlri + e[1])
                    res.entries += e[0]
            if progress and (n % 500 == 0 or n == len(origins) - 1):
                print(f"\rworld: RIBs {n + 1}/{len(origins)} origins, {res.entries} entries", end="",
                      file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
    except BaseException:
        for w in writers.values():
            w.close(discard=True)
        raise
    finally:
        _STATE = None
    for w in writers.values():
        w.close()
    return res


def paths_without(g: AsGraph, t: Topology, vps, asn: int, br: Breakers, removed: list[tuple[int, int]]):
    """{vp k: path} for one origin with some links down."""
    full = np.array([v.full_feed for v in vps])
    pol = br.for_origin(asn) + ([RemoveLinks(frozenset(removed))] if removed else [])
    return vp_paths(g, t, vps, full, asn, pol)


def is_v6(prefix: str) -> bool:
    return ipaddress.ip_network(prefix).version == 6
