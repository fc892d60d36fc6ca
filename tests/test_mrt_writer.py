"""The MRT writer against Debian's bgpdump 1.6.2: every record kind, every field of every line.

Records are drawn from a seeded random generator; the expected `bgpdump -m` line of each is built
from the values handed to the writer (not from its bytes), then compared field by field.
"""

from __future__ import annotations

import bz2
import gzip
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from mrt_random import (  # noqa: E402
    BGPDUMP,
    attr_fields,
    bd_ip,
    bd_prefix,
    bgpdump_lines,
    needs_bgpdump,
    rand_asn,
    rand_attrs,
    rand_ip,
    rand_prefix,
)

from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer, Session, encode_prefix  # noqa: E402


# ----------------------------------------------------------------------------- tests
@needs_bgpdump
@pytest.mark.parametrize("suffix", ["", ".gz", ".bz2"])
def test_rib_every_field(tmp_path, suffix):
    r = random.Random(f"rib{suffix}")
    peers = [Peer(rand_asn(r), rand_ip(r, i % 3 == 0), bgp_id=rand_ip(r, False)) for i in range(12)]
    ts = 1735689600
    expected = []
    with MrtWriter.open(tmp_path / f"rib{suffix}") as w:
        w.peer_index_table(peers, ts=ts, collector_bgp_id="198.51.100.1", view_name="test view")
        for i in range(300):
            v6 = i % 4 == 3
            addpath = i % 10 == 7
            prefix = rand_prefix(r, v6)
            entries = []
            for _ in range(r.randint(1, 5)):
                pi = r.randrange(len(peers))
                a = rand_attrs(r, v6)
                entries.append((pi, ts - r.randint(0, 10**6), a, r.getrandbits(32)))
                p = peers[pi]
                label = "TABLE_DUMP2_AP" if addpath else "TABLE_DUMP2"
                pid = [str(entries[-1][3])] if addpath else []
                expected.append([label, str(ts), "B", bd_ip(p.ip), str(p.asn), bd_prefix(prefix), *pid, *attr_fields(a)])
            w.rib(ts, prefix, entries if addpath else [e[:3] for e in entries], addpath=addpath)
    got = bgpdump_lines(tmp_path / f"rib{suffix}")
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g == e


@needs_bgpdump
def test_updates_every_field(tmp_path):
    r = random.Random("updates")
    sessions = [Session(rand_asn(r), rand_ip(r, i % 2 == 1), local_asn=rand_asn(r), local_ip=None)
                for i in range(6)]
    sessions = [Session(s.peer_asn, s.peer_ip, s.local_asn, rand_ip(r, ":" in s.peer_ip)) for s in sessions]
    expected = []
    ts = 1735689600
    with MrtWriter.open(tmp_path / "updates.gz") as w:
        for i in range(400):
            ts += r.randint(0, 3)
            s = r.choice(sessions)
            usec = r.randint(0, 999999) if i % 5 == 0 else None
            label = "BGP4MP_ET" if usec is not None else "BGP4MP"
            tstext = f"{ts}.{usec:06d}" if usec is not None else str(ts)
            kind = r.random()
            as4 = i % 7 != 3
            peer_as = s.peer_asn if as4 or s.peer_asn < 65536 else 23456
            if kind < 0.1:
                old, new = r.randint(1, 6), r.randint(1, 6)
                w.state_change(ts, s, old, new, usec=usec, as4=as4)
                expected.append([label, tstext, "STATE", bd_ip(s.peer_ip), str(peer_as), str(old), str(new)])
                continue
            addpath = i % 11 == 5 and as4
            if addpath:
                label += "_AP"
            v6 = r.random() < 0.3
            wd = [rand_prefix(r, r.random() < 0.3) for _ in range(r.choice([0, 0, 1, 3]))]
            an = [rand_prefix(r, v6) for _ in range(r.choice([0, 1, 1, 2, 4]))]
            if not an and not wd:
                an = [rand_prefix(r, v6)]
            a = rand_attrs(r, v6, as4)
            wids = [r.getrandbits(32) for _ in wd]
            aids = [r.getrandbits(32) for _ in an]
            if addpath:
                w.update(ts, s, announce=list(zip(an, aids, strict=True)), withdraw=list(zip(wd, wids, strict=True)), attrs=a,
                         addpath=True, usec=usec)
            else:
                w.update(ts, s, announce=an, withdraw=wd, attrs=a, usec=usec, as4=as4)
            # bgpdump prints IPv4 withdrawals, then MP_UNREACH ones, then announcements
            wd_sorted = [(p, x) for p, x in zip(wd, wids, strict=True) if ":" not in p] + [(p, x) for p, x in zip(wd, wids, strict=True) if ":" in p]
            for p, pid in wd_sorted:
                expected.append([label, tstext, "W", bd_ip(s.peer_ip), str(peer_as), bd_prefix(p)] + ([str(pid)] if addpath else []))
            for p, pid in zip(an, aids, strict=True):
                expected.append([label, tstext, "A", bd_ip(s.peer_ip), str(peer_as), bd_prefix(p)]
                                + ([str(pid)] if addpath else []) + attr_fields(a))
    got = bgpdump_lines(tmp_path / "updates.gz")
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g == e


@needs_bgpdump
def test_table_dump_v1_and_as4_path_merge(tmp_path):
    r = random.Random("td1")
    expected = []
    with MrtWriter.open(tmp_path / "td1.bz2") as w:
        for _ in range(100):
            v6 = r.random() < 0.3
            prefix, peer_ip, asn = rand_prefix(r, v6), rand_ip(r, v6), rand_asn(r)
            a = rand_attrs(r, v6)
            a = Attrs(**{**{k: getattr(a, k) for k in a.__slots__}, "as_path": tuple(x for x in a.as_path if isinstance(x, int))})
            orig = r.randint(10**9, 1_700_000_000)
            w.table_dump(1735689600, prefix, peer_ip, asn, a, originated=orig)
            expected.append(["TABLE_DUMP", "1735689600", "B", bd_ip(peer_ip), str(asn if asn < 65536 else 23456), bd_prefix(prefix),
                             *attr_fields(a)])
    assert bgpdump_lines(tmp_path / "td1.bz2") == expected


@needs_bgpdump
def test_long_path_and_large_attributes_in_verbose_output(tmp_path):
    long_path = tuple(range(100000, 100600))  # 600 hops: three segments, extended-length attribute
    a = Attrs(as_path=long_path, next_hop="192.0.2.1", large_communities=["4200000000:1:2", (7, 8, 9)],
              only_to_customer=4200000001, communities=[(i, i) for i in range(100)])
    with MrtWriter.open(tmp_path / "long.mrt") as w:
        w.peer_index_table([Peer(64500, "192.0.2.1")], ts=1)
        w.rib(1, "10.0.0.0/8", [(0, 1, a)])
    line = bgpdump_lines(tmp_path / "long.mrt")[0]
    assert line[6] == " ".join(map(str, long_path))
    assert line[11] == " ".join(f"{i}:{i}" for i in range(100))
    verbose = subprocess.run([BGPDUMP, str(tmp_path / "long.mrt")], capture_output=True, check=True).stdout.decode()
    assert "LARGE_COMMUNITY: 4200000000:1:2 7:8:9" in verbose
    assert "UNKNOWN_ATTR(192, 35, 4): fa 56 ea 01" in verbose  # OTC, which bgpdump 1.6.2 does not name


def test_offsets_and_headers(tmp_path):
    s = Session(64500, "192.0.2.1", 6447, "192.0.2.2")
    a = Attrs(as_path=(64500, 1), next_hop="192.0.2.1")
    offs = []
    with MrtWriter.open(tmp_path / "u.mrt") as w:
        offs.append(w.update(10, s, announce=["10.0.0.0/8"], attrs=a))
        offs.append(w.state_change(11, s, 1, 2, usec=7))
        offs.append(w.update(12, s, withdraw=["2001:db8::/32"]))
        assert w.records == 3
    data = (tmp_path / "u.mrt").read_bytes()
    assert offs[0] == 0
    pos, seen = 0, []
    while pos < len(data):
        ts, typ, sub, ln = struct.unpack_from(">IHHI", data, pos)
        seen.append((pos, ts, typ, sub))
        pos += 12 + ln
    assert pos == len(data)
    assert seen == [(offs[0], 10, 16, 4), (offs[1], 11, 17, 5), (offs[2], 12, 16, 4)]
    assert struct.unpack_from(">I", data, offs[1] + 12)[0] == 7  # microseconds of BGP4MP_ET


def test_open_compresses_by_name_and_is_atomic(tmp_path):
    a = Attrs(as_path=(1,), next_hop="192.0.2.1")
    plain = None
    for name, opener in [("x.mrt", open), ("x.mrt.gz", gzip.open), ("x.mrt.bz2", bz2.open)]:
        with MrtWriter.open(tmp_path / name) as w:
            w.peer_index_table([Peer(1, "192.0.2.1")], ts=1)
            w.rib(1, "10.0.0.0/8", [(0, 1, a)])
        with opener(tmp_path / name, "rb") as f:
            body = f.read()
        plain = plain or body
        assert body == plain
    assert (tmp_path / "x.mrt.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert (tmp_path / "x.mrt.bz2").read_bytes()[:3] == b"BZh"
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "x.mrt").stat().st_mode & 0o777 == 0o666 & ~umask
    # an exception inside the block leaves neither the target nor a temp file
    with pytest.raises(RuntimeError):
        with MrtWriter.open(tmp_path / "bad.gz") as w:
            w.rib(1, "10.0.0.0/8", [(0, 1, a)])
            raise RuntimeError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.mrt", "x.mrt.bz2", "x.mrt.gz"]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        encode_prefix("10.0.0.1/8")
    with pytest.raises(ValueError):
        encode_prefix("10.0.0.0/33")
    assert encode_prefix("10.128.0.0/9") == (1, b"\x09\x0a\x80")
    assert encode_prefix("2001:db8::/32") == (2, b"\x20\x20\x01\x0d\xb8")
    assert encode_prefix("0.0.0.0/0") == (1, b"\x00")
    for bad in ({"as_path": (2**32,)}, {"as_path": ((1, -1),)}, {"med": -1}, {"communities": ["1:65536"]},
                {"large_communities": [(1, 2)]}, {"aggregator": (2**32, "10.0.0.1")}, {"origin": "BAD"}):
        with pytest.raises(ValueError):
            Attrs(**bad)
    w = MrtWriter(open(os.devnull, "wb"))
    s = Session(1, "192.0.2.1")
    with pytest.raises(ValueError):
        w.update(1, s, announce=["10.0.0.0/8", "2001:db8::/32"], attrs=Attrs(next_hop="192.0.2.1"))
    with pytest.raises(ValueError):
        w.update(1, s, announce=["10.0.0.0/8"])


@needs_bgpdump
def test_bench_generator_counts_match_bgpdump(tmp_path, capsys):
    """bench/gen_mrt.py (the ingest benchmark's input) writes what it says it writes."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("gen_mrt", Path(__file__).parents[1] / "bench" / "gen_mrt.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.main(["--out", str(tmp_path), "--prefixes", "3000", "--peers", "7", "--updates", "4000"]) == 0
    reports = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert len(reports) == 4  # rib, rib.gz, updates, updates.gz
    counts = json.loads((tmp_path / "counts.json").read_text())  # what bench_mrt.py divides by
    assert counts == {Path(rep["file"]).name: rep["entries"] for rep in reports}
    for rep in reports:
        lines = bgpdump_lines(Path(rep["file"]))
        assert len(lines) == rep["entries"]
        if rep["kind"] == "rib":
            assert {ln[0] for ln in lines} == {"TABLE_DUMP2"}
            assert len({ln[5] for ln in lines}) == rep["prefixes"] == 3000
            assert len({ln[3] for ln in lines}) == rep["peers"] == 7
            assert any(":" in ln[5] for ln in lines)
        else:
            kinds = [ln[2] for ln in lines]
            assert {k: kinds.count(k) for k in ("A", "W", "STATE")} == {k: rep[k] for k in ("A", "W", "STATE")}


def test_bench_generator_fast_blocks_equal_the_writer_encoding():
    """gen_mrt's concatenated attribute blocks are byte for byte what the writer encodes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_mrt", Path(__file__).parents[1] / "bench" / "gen_mrt.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    world = gen.World(random.Random(5), 12, 300)
    from onpath.ingest.mrt.writer import encode_attrs

    for pi in range(12):
        for oi in range(0, 300, 7):
            for variant in (0, 1):
                for v6 in (False, True):
                    assert world.block(pi, oi, variant, v6) == encode_attrs(world.attrs(pi, oi, variant, v6), 2 if v6 else 1)
