"""Random MRT record values and bgpdump's text for them: shared by the MRT writer and fuzz tests.

`rand_*` draw values from a seeded `random.Random`; `attr_fields`, `bd_ip`, `bd_prefix` give the
fields `bgpdump -m` prints for them, built from the values (not from the writer's bytes).
"""

from __future__ import annotations

import ipaddress
import random
import shutil
import socket
import struct
import subprocess
from pathlib import Path

import pytest

from onpath.ingest.mrt.writer import AsSegment, Attrs, MrtWriter, Peer, Session

BGPDUMP = shutil.which("bgpdump")
needs_bgpdump = pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")

WELL_KNOWN = {(65535, 65281): "no-export", (65535, 65282): "no-advertise", (65535, 65283): "local-AS"}
ORIGIN_TEXT = ["IGP", "EGP", "INCOMPLETE"]


# ----------------------------------------------------------------------------- expected text
def bd_ip(ip: str) -> str:
    """An address as bgpdump 1.6.2 prints it (its own fmt_ipv6): the first longest run of zero
    groups becomes `::` even when it is one group long (RFC 5952 and Python keep `:0:`), and
    IPv4-mapped / -compatible addresses end in dotted quads."""
    if ":" not in ip:
        return ip
    raw = socket.inet_pton(socket.AF_INET6, ip)
    groups = struct.unpack(">8H", raw)
    if raw[:10] == bytes(10) and (raw[10:12] == b"\xff\xff" or (raw[10:12] == bytes(2) and int.from_bytes(raw[12:], "big") > 1)):
        return "::" + ("ffff:" if raw[10:12] == b"\xff\xff" else "") + socket.inet_ntop(socket.AF_INET, raw[12:])
    best, start, run, rstart = 0, -1, 0, 0
    for i, g in enumerate(groups):
        if g == 0:
            if run == 0:
                rstart = i
            run += 1
            if run > best:
                best, start = run, rstart
        else:
            run = 0
    hexes = [f"{g:x}" for g in groups]
    if start < 0:
        return ":".join(hexes)
    return ":".join(hexes[:start]) + "::" + ":".join(hexes[start + best:])


def bd_prefix(prefix: str) -> str:
    ip, _, n = prefix.partition("/")
    return f"{bd_ip(ip)}/{n}"


def path_text(path) -> str:
    out = []
    for el in path:
        if isinstance(el, int):
            out.append(str(el))
        elif isinstance(el, AsSegment):
            asns = [str(a) for a in el.asns]
            out.append({1: "{" + ",".join(asns) + "}", 2: " ".join(asns),
                        3: "(" + " ".join(asns) + ")", 4: "[" + ",".join(asns) + "]"}[el.type])
        else:
            out.append("{" + ",".join(str(a) for a in el) + "}")
    return " ".join(out)


def attr_fields(a: Attrs) -> list[str]:
    comms = " ".join(WELL_KNOWN.get(c, f"{c[0]}:{c[1]}") for c in a.communities)
    # bgpdump keeps 255.255.255.255 as "no aggregator" and prints an empty field for it
    agg = f"{a.aggregator[0]} {a.aggregator[1]}" if a.aggregator and a.aggregator[1] != "255.255.255.255" else ""
    return [path_text(a.as_path), ORIGIN_TEXT[a.origin], bd_ip(a.next_hop) if a.next_hop else "",
            str(a.local_pref or 0), str(a.med or 0), comms, "AG" if a.atomic_aggregate else "NAG", agg, ""]


def bgpdump_lines(path: Path) -> list[list[str]]:
    out = subprocess.run([BGPDUMP, "-m", str(path)], capture_output=True, check=True, timeout=120)
    return [ln.split("|") for ln in out.stdout.decode().splitlines()]


# ----------------------------------------------------------------------------- random values
def rand_asn(r: random.Random) -> int:
    return r.choice([r.randint(1, 65535), r.randint(65536, 2**32 - 1), r.randint(1, 400000)])


def rand_prefix(r: random.Random, v6: bool) -> str:
    if v6:
        n = r.randint(0, 128)
        net = ipaddress.IPv6Network((r.getrandbits(128) >> (128 - n) << (128 - n), n))
    else:
        n = r.randint(0, 32)
        net = ipaddress.IPv4Network((r.getrandbits(32) >> (32 - n) << (32 - n) if n else 0, n))
    return str(net)


EDGE_V6 = ["::", "::1", "::2", "::ffff:192.0.2.1", "::192.0.2.1", "2001:db8::", "fe80::", "1:0:0:2::3",
           "1::2:0:0:3", "0:1::", "1:0:2:0:3:0:4:0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]
EDGE_V4 = ["0.0.0.0", "255.255.255.255", "10.0.0.1"]


def rand_ip(r: random.Random, v6: bool) -> str:
    if r.random() < 0.1:
        return r.choice(EDGE_V6 if v6 else EDGE_V4)
    if v6:
        return str(ipaddress.IPv6Address(r.getrandbits(128)))
    return str(ipaddress.IPv4Address(r.getrandbits(32)))


def rand_attrs(r: random.Random, v6: bool, as4: bool = True) -> Attrs:
    path: list = [rand_asn(r) for _ in range(r.randint(1, 8))]
    if r.random() < 0.15:
        path.append(tuple(sorted({rand_asn(r) for _ in range(r.randint(1, 4))})))
    if r.random() < 0.05:
        path.insert(0, AsSegment(r.choice([3, 4]), tuple(rand_asn(r) for _ in range(r.randint(1, 3)))))
    comms = [(r.randint(0, 65535), r.randint(0, 65535)) for _ in range(r.choice([0, 0, 1, 3]))]
    if r.random() < 0.2:
        comms.append(r.choice(list(WELL_KNOWN)))
    return Attrs(
        as_path=tuple(path), origin=r.randint(0, 2), next_hop=rand_ip(r, v6),
        med=r.choice([None, r.randint(1, 2**32 - 1)]), local_pref=r.choice([None, r.randint(1, 2**32 - 1)]),
        atomic_aggregate=r.random() < 0.2,
        aggregator=r.choice([None, (rand_asn(r) if as4 else r.randint(1, 65535), rand_ip(r, False))]),
        communities=tuple(comms),
        large_communities=tuple((rand_asn(r), r.getrandbits(32), r.getrandbits(32)) for _ in range(r.choice([0, 1, 2]))),
        only_to_customer=r.choice([None, rand_asn(r)]),
        next_hop_link_local="fe80::1:2" if v6 and r.random() < 0.3 else None,
    )


def make_valid(r: random.Random, kind: str) -> bytes:
    """A small valid MRT file: a RIB (PIT + 40 records) or an update stream (60 records), every kind."""
    import io

    buf = io.BytesIO()
    w = MrtWriter(buf)
    if kind == "rib":
        peers = [Peer(rand_asn(r), rand_ip(r, i % 3 == 2)) for i in range(6)]
        w.peer_index_table(peers, ts=1735689600, collector_bgp_id="192.0.2.1", view_name="fuzz")
        for i in range(40):
            v6, addpath = i % 4 == 3, i % 9 == 4
            ents = [(r.randrange(6), 1735600000 + i, rand_attrs(r, v6), r.getrandbits(32)) for _ in range(r.randint(1, 4))]
            w.rib(1735689600, rand_prefix(r, v6), ents if addpath else [e[:3] for e in ents], addpath=addpath)
    else:
        sessions = [Session(rand_asn(r), rand_ip(r, i % 2 == 1), rand_asn(r), None) for i in range(4)]
        for i in range(60):
            s = r.choice(sessions)
            usec = r.randint(0, 999999) if i % 5 == 0 else None
            if i % 13 == 0:
                w.state_change(1735689600 + i, s, r.randint(1, 6), r.randint(1, 6), usec=usec)
                continue
            v6 = r.random() < 0.3
            wd = [rand_prefix(r, r.random() < 0.3) for _ in range(r.choice([0, 1, 2]))]
            an = [rand_prefix(r, v6) for _ in range(r.choice([1, 1, 3]))]
            w.update(1735689600 + i, s, announce=an, withdraw=wd, attrs=rand_attrs(r, v6, as4=i % 7 != 3),
                     usec=usec, as4=i % 7 != 3)
    w.close()
    return buf.getvalue()
