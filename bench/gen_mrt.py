#!/usr/bin/env python3
"""Generate big, realistic-shaped MRT files for the ingest benchmark (deterministic for a seed).

A TABLE_DUMP_V2 RIB (default 44 peers, 40 full + 4 partial at 30%; 1M prefixes, 8% IPv6: ~41M
entries) and a BGP4MP update stream (default 5M elements), written with onpath's MRT writer.
Paths: peer -> its tier-1 -> one of the origin's two upstream chains -> origin, so attribute sets
repeat per (peer, origin, chain) as in real tables. Prints one JSON line per file; writes
counts.json (entries per file name) for bench_mrt.py.

    python bench/gen_mrt.py --out /tmp/onpath-bench            # the big files (a few minutes)
    python bench/gen_mrt.py --out /tmp/x --prefixes 20000 --peers 8 --updates 50000 --no-gz
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer, Session, encode_attrs  # noqa: E402

TS = 1735689600  # 2025-01-01 00:00 UTC
TIER1 = [174, 701, 1299, 2914, 3257, 3320, 3356, 3491, 5511, 6453, 6461, 6762, 6830, 7018, 12956]


def make_prefixes(r: random.Random, n: int, v6_share: float) -> tuple[list[str], list[str]]:
    """Distinct IPv4 and IPv6 prefixes in RIB order (sorted by address, then length)."""
    n6 = int(n * v6_share)
    v4: set[tuple[int, int]] = set()
    lens4 = [24] * 60 + [23, 22, 22, 21, 20, 20, 19, 18, 17, 16, 16] * 3 + [12, 13, 14, 15, 8]
    while len(v4) < n - n6:
        ln = r.choice(lens4)
        first = r.choice([r.randint(1, 126), r.randint(128, 223)])
        net = ((first << 24) | r.getrandbits(24)) >> (32 - ln) << (32 - ln)
        v4.add((net, ln))
    v6: set[tuple[int, int]] = set()
    lens6 = [48] * 6 + [32, 36, 40, 44, 29, 47]
    while len(v6) < n6:
        ln = r.choice(lens6)
        net = ((0x2 << 124) | r.getrandbits(124)) >> (128 - ln) << (128 - ln)
        v6.add((net, ln))
    p4 = [f"{ipaddress.IPv4Address(a)}/{ln}" for a, ln in sorted(v4)]
    p6 = [f"{ipaddress.IPv6Address(a)}/{ln}" for a, ln in sorted(v6)]
    return p4, p6


class World:
    """Origins, their upstream chains, and the peers' attribute pieces."""

    def __init__(self, r: random.Random, n_peers: int, n_origins: int):
        self.r = r
        self.origins = [r.randint(1, 399999) if r.random() < 0.8 else r.randint(131072, 4_200_000_000)
                        for _ in range(n_origins)]
        transit = [r.randint(1000, 65000) for _ in range(3000)]
        self.chains = []
        for o in self.origins:
            c = []
            for _ in range(2):
                hops = [r.choice(TIER1)] + [r.choice(transit) for _ in range(r.choice([0, 1, 1, 2, 3]))]
                if r.random() < 0.05:
                    hops += [o] * r.randint(1, 3)  # prepending
                c.append(tuple(hops) + (o,))
            self.chains.append(c)
        self.peers = []
        for i in range(n_peers):
            v6 = i % 5 == 4
            ip = f"2001:db8:{i:x}::1" if v6 else f"198.51.{100 + i // 250}.{i % 250 + 1}"
            self.peers.append(Peer(r.randint(1000, 65000) if i % 3 else r.randint(131072, 400000), ip))
        self.peer_t1 = [r.choice(TIER1) for _ in range(n_peers)]
        self.peer_comms = [[(p.asn & 0xFFFF, r.randint(1, 999)) for _ in range(r.choice([0, 1, 2, 4]))]
                           for p in self.peers]
        self._chain_b: dict = {}
        self._pre: dict = {}
        self._post: dict = {}

    def attrs(self, pi: int, oi: int, variant: int, v6: bool) -> Attrs:
        chain = self.chains[oi][variant]
        head = (self.peers[pi].asn, self.peer_t1[pi])
        if chain[0] == head[1]:
            chain = chain[1:]
        nh = self.peers[pi].ip if v6 == (":" in self.peers[pi].ip) else ("2001:db8:ffff::1" if v6 else "192.0.2.1")
        return Attrs(as_path=head + chain, origin=variant & 1 if oi % 7 else 2, next_hop=nh,
                     med=(oi % 50) if oi % 4 == 0 else None, communities=tuple(self.peer_comms[pi]))

    def block(self, pi: int, oi: int, variant: int, v6: bool) -> bytes:
        """`encode_attrs(self.attrs(...))` of a RIB entry, by concatenating cached pieces (fast)."""
        chain = self.chains[oi][variant]
        drop = chain[0] == self.peer_t1[pi]
        n = 2 + len(chain) - drop
        if n > 63:
            return encode_attrs(self.attrs(pi, oi, variant, v6), 2 if v6 else 1)
        origin = variant & 1 if oi % 7 else 2
        med = (oi % 50) if oi % 4 == 0 else None
        key = (oi, variant, drop)
        cb = self._chain_b.get(key)
        if cb is None:
            cb = self._chain_b[key] = struct.pack(f">{len(chain) - drop}I", *chain[drop:])
        pk = (pi, origin, n)
        pre = self._pre.get(pk)
        if pre is None:
            pre = self._pre[pk] = (bytes((0x40, 1, 1, origin, 0x40, 2, 2 + 4 * n, 2, n))
                                   + struct.pack(">II", self.peers[pi].asn, self.peer_t1[pi]))
        qk = (pi, v6, med)
        post = self._post.get(qk)
        if post is None:
            a = self.attrs(pi, oi, variant, v6)
            full = encode_attrs(a, 2 if v6 else 1)
            post = self._post[qk] = full[len(pre) + len(cb):]
        return pre + cb + post


def write_rib(path: Path, w_: World, p4: list[str], p6: list[str], n_full: int, partial_share: float,
              seed: int) -> dict:
    r = random.Random(seed + 1)
    n_peers = len(w_.peers)
    entries = 0
    t0 = time.time()
    block = w_.block
    with MrtWriter.open(path, compresslevel=1) as w:
        w.peer_index_table(w_.peers, ts=TS, collector_bgp_id="198.51.100.254", view_name="")
        orig = [TS - r.randint(3600, 86400 * 30) for _ in range(n_peers)]
        for v6, prefixes in ((False, p4), (True, p6)):
            for prefix in prefixes:
                oi = r.randrange(len(w_.origins))
                ents = []
                for pi in range(n_peers):
                    if pi >= n_full and r.random() > partial_share:
                        continue
                    ents.append((pi, orig[pi], block(pi, oi, (pi + oi) & 1, v6)))
                entries += len(ents)
                w.rib(TS, prefix, ents)
    return {"file": str(path), "kind": "rib", "peers": n_peers, "prefixes": len(p4) + len(p6),
            "entries": entries, "seconds": round(time.time() - t0, 1)}


def write_updates(path: Path, w_: World, p4: list[str], p6: list[str], n_elems: int, seed: int) -> dict:
    r = random.Random(seed + 2)
    sessions = [Session(p.asn, p.ip, 6447, "2001:db8::fe" if ":" in p.ip else "198.51.100.254")
                for p in w_.peers]
    elems = msgs = 0
    counts = {"A": 0, "W": 0, "STATE": 0}
    t0 = time.time()
    ts = TS
    with MrtWriter.open(path, compresslevel=1) as w:
        while elems < n_elems:
            if msgs % 40 == 0:
                ts += 1
            msgs += 1
            si = r.randrange(len(sessions))
            s = sessions[si]
            if r.random() < 0.0005:
                w.state_change(ts, s, 6, 1)
                w.state_change(ts, s, 1, 6)
                counts["STATE"] += 2
                elems += 2
                continue
            v6 = r.random() < 0.1
            pool = p6 if v6 else p4
            oi = r.randrange(len(w_.origins))
            if r.random() < 0.15:
                wd = [r.choice(pool) for _ in range(r.choice([1, 1, 2, 5]))]
                w.update(ts, s, withdraw=wd)
                counts["W"] += len(wd)
                elems += len(wd)
            else:
                an = list(dict.fromkeys(r.choice(pool) for _ in range(r.choice([1, 1, 1, 2, 3, 8]))))
                w.update(ts, s, announce=an, attrs=w_.attrs(si, oi, r.getrandbits(1), v6))
                counts["A"] += len(an)
                elems += len(an)
    return {"file": str(path), "kind": "updates", "messages": msgs, "entries": elems, **counts,
            "seconds": round(time.time() - t0, 1)}


def compress(src: Path, kind: str) -> Path:
    """`src.gz` (gzip -6) or `src.bz2` (bzip2 -9) beside src, with the system tools."""
    dst = src.with_name(src.name + "." + kind)
    tool = {"gz": ["gzip", "-6", "-c"], "bz2": ["bzip2", "-9", "-c"]}[kind]
    tmp = dst.with_name(dst.name + ".tmp")
    with open(tmp, "wb") as out:
        subprocess.run(tool + [str(src)], stdout=out, check=True)
    tmp.replace(dst)
    return dst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/gen_mrt.py --out /tmp/onpath-bench")
    ap.add_argument("--out", type=Path, default=Path("/tmp/onpath-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers", type=int, default=44, help="RIB peers (default 44)")
    ap.add_argument("--full-peers", type=int, default=None, help="full-feed peers (default peers-4)")
    ap.add_argument("--partial-share", type=float, default=0.3)
    ap.add_argument("--prefixes", type=int, default=1_000_000)
    ap.add_argument("--v6-share", type=float, default=0.08)
    ap.add_argument("--origins", type=int, default=None, help="origin ASes (default prefixes/14)")
    ap.add_argument("--updates", type=int, default=5_000_000, help="update elements (0: none)")
    ap.add_argument("--no-rib", action="store_true")
    ap.add_argument("--no-gz", action="store_true", help="skip the .gz copies")
    ap.add_argument("--bz2", action="store_true", help="also write .bz2 copies (slow)")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    r = random.Random(a.seed)
    p4, p6 = make_prefixes(r, a.prefixes, a.v6_share)
    world = World(r, a.peers, a.origins or max(a.prefixes // 14, 10))
    full = a.peers - 4 if a.full_peers is None else a.full_peers
    outs = []
    tag = f"p{a.prefixes}.n{a.peers}.s{a.seed}"
    if not a.no_rib:
        outs.append(write_rib(a.out / f"rib.{tag}.mrt", world, p4, p6, full, a.partial_share, a.seed))
    if a.updates:
        outs.append(write_updates(a.out / f"updates.{tag}.u{a.updates}.mrt", world, p4, p6, a.updates, a.seed))
    counts_file = a.out / "counts.json"  # entries per file name, read by bench_mrt.py
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    for o in outs:
        o["bytes"] = Path(o["file"]).stat().st_size
        print(json.dumps(o), flush=True)
        counts[Path(o["file"]).name] = o["entries"]
        for kind in ([] if a.no_gz else ["gz"]) + (["bz2"] if a.bz2 else []):
            t0 = time.time()
            dst = compress(Path(o["file"]), kind)
            counts[dst.name] = o["entries"]
            print(json.dumps({**o, "file": str(dst), "bytes": dst.stat().st_size,
                              "seconds": round(time.time() - t0, 1)}), flush=True)
    counts_file.write_text(json.dumps(counts, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
