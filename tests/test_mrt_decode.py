"""MRT decoder: every record type on bytes built here with struct.pack, damaged input, streams."""

from __future__ import annotations

import bz2
import gzip
import io
import random
import struct

import pyarrow as pa
import pytest

from onpath.errors import MalformedRecord
from onpath.ingest import mrt
from onpath.ingest.base import LoadContext
from onpath.ingest.mrt.dump import dump_file
from onpath.models.tables import PEER_EVENTS, ROUTES

# ---------------------------------------------------------------- builders (RFC 6396 / 4271)


def attr(t: int, data: bytes, flag: int = 0x40) -> bytes:
    if len(data) > 255:
        return struct.pack("!BBH", flag | 0x10, t, len(data)) + data
    return struct.pack("!BBB", flag, t, len(data)) + data


def seg(kind: int, asns, w: int = 4) -> bytes:
    return struct.pack("!BB", kind, len(asns)) + b"".join(struct.pack("!I" if w == 4 else "!H", a) for a in asns)


def v4(s: str) -> bytes:
    return bytes(int(x) for x in s.split("."))


def v6(s: str) -> bytes:
    import ipaddress

    return ipaddress.IPv6Address(s).packed


def nlri(pfx: str, path_id: int | None = None) -> bytes:
    import ipaddress

    n = ipaddress.ip_network(pfx)
    nb = (n.prefixlen + 7) // 8
    out = struct.pack("!B", n.prefixlen) + n.network_address.packed[:nb]
    return (struct.pack("!I", path_id) if path_id is not None else b"") + out


def rec(typ: int, sub: int, body: bytes, ts: int = 1_600_000_000, usec: int | None = None) -> bytes:
    if usec is not None:
        return struct.pack("!IHHII", ts, typ, sub, len(body) + 4, usec) + body
    return struct.pack("!IHHI", ts, typ, sub, len(body)) + body


def update(attrs: bytes, announce: bytes = b"", withdraw: bytes = b"") -> bytes:
    body = struct.pack("!H", len(withdraw)) + withdraw + struct.pack("!H", len(attrs)) + attrs + announce
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body


def bgp4mp(msg: bytes, sub: int = 4, peer: str = "10.0.0.1", peer_as: int = 65001, **kw) -> bytes:
    as4 = sub in (4, 5, 7, 9, 11)
    fam = 2 if ":" in peer else 1
    addr = (v6 if fam == 2 else v4)
    local = "::2" if fam == 2 else "10.0.0.2"
    head = struct.pack("!II" if as4 else "!HH", peer_as, 65000) + struct.pack("!HH", 0, fam)
    typ = 17 if kw.get("usec") is not None else 16
    return rec(typ, sub, head + addr(peer) + addr(local) + msg, **kw)


BASE = (attr(1, b"\x00") + attr(2, seg(2, [65001, 3356, 4134])) + attr(3, v4("10.0.0.1"))
        + attr(4, struct.pack("!I", 5)) + attr(5, struct.pack("!I", 100)))


def load_bytes(tmp_path, data: bytes, name: str = "x.mrt", **ctxkw):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    ctx = LoadContext(source_file=str(p), warn=False, **ctxkw)
    tables: dict[str, list] = {}
    for t, b in mrt.load(p, ctx):
        b.validate(full=True)
        assert b.schema == (ROUTES if t == "routes" else PEER_EVENTS)
        tables.setdefault(t, []).append(b)
    out = {t: pa.Table.from_batches(bs).to_pylist() for t, bs in tables.items()}
    return out.get("routes", []), out.get("peer_events", []), ctx


def dump_bytes(tmp_path, data: bytes, **kw) -> tuple[str, list]:
    p = tmp_path / "d.mrt"
    p.write_bytes(data)
    errs: list = []
    buf = io.BytesIO()
    dump_file(p, buf, on_error=lambda f, o, w: errs.append((o, w)), **kw)
    return buf.getvalue().decode(), errs


# ---------------------------------------------------------------- BGP4MP


def test_bgp4mp_as4_update_all_attributes(tmp_path):
    attrs = (BASE + attr(6, b"") + attr(7, struct.pack("!I", 4134) + v4("1.2.3.4"), 0xC0)
             + attr(8, struct.pack("!II", 0xFFFFFF01, (3356 << 16) | 2), 0xC0)
             + attr(32, struct.pack("!III", 1, 2, 3), 0xC0) + attr(35, struct.pack("!I", 64512), 0xC0)
             + attr(99, b"\x01\x02", 0xC0))
    data = bgp4mp(update(attrs, nlri("192.0.2.0/24") + nlri("198.51.100.0/23"), nlri("203.0.113.0/24")))
    routes, events, ctx = load_bytes(tmp_path, data, "rrc00.updates.mrt")
    assert [r["kind"] for r in routes] == ["withdraw", "announce", "announce"]
    w, a = routes[0], routes[1]
    assert w["prefix"] == "203.0.113.0/24" and w["as_path"] is None and w["origin"] is None
    assert a["prefix"] == "192.0.2.0/24" and routes[2]["prefix"] == "198.51.100.0/23"
    assert a["as_path"] == [65001, 3356, 4134] and a["origin_asn"] == 4134 and a["origin"] == "IGP"
    assert a["next_hop"] == "10.0.0.1" and a["med"] == 5 and a["local_pref"] == 100
    assert a["communities"] == ["65535:65281", "3356:2"] and a["large_communities"] == ["1:2:3"]
    assert a["atomic_aggregate"] is True and a["aggregator"] == "4134 1.2.3.4"
    assert a["only_to_customer"] == 64512 and a["collector"] == "rrc00" and a["mrt_type"] == "BGP4MP"
    assert a["unknown_attrs"] == [b"\xc0\x63\x02\x01\x02"] and w["unknown_attrs"] == []
    assert a["peer_ip"] == "10.0.0.1" and a["peer_asn"] == 65001 and a["ts_us"] == 1_600_000_000_000_000
    assert a["offset"] == 0 and ctx.records == 3 and ctx.rejected == 0
    text, errs = dump_bytes(tmp_path, data, large=True, unknown=True)
    assert errs == []
    assert text.splitlines() == [
        "BGP4MP|1600000000|W|10.0.0.1|65001|203.0.113.0/24",
        "BGP4MP|1600000000|A|10.0.0.1|65001|192.0.2.0/24|65001 3356 4134|IGP|10.0.0.1|100|5|no-export 3356:2|1:2:3|AG|4134 1.2.3.4|23:c0:0000fc00 63:c0:0102|",
        "BGP4MP|1600000000|A|10.0.0.1|65001|198.51.100.0/23|65001 3356 4134|IGP|10.0.0.1|100|5|no-export 3356:2|1:2:3|AG|4134 1.2.3.4|23:c0:0000fc00 63:c0:0102|",
    ]


def test_bgp4mp_mp_reach_unreach_ipv6_and_et(tmp_path):
    reach = attr(14, struct.pack("!HBB", 2, 1, 32) + v6("2001:db8::1") + v6("fe80::1") + b"\x00" + nlri("2001:db8:100::/40"), 0x80)
    unreach = attr(15, struct.pack("!HB", 2, 1) + nlri("2001:db8:200::/48"), 0x80)
    data = bgp4mp(update(BASE + reach + unreach), peer="2001:db8::ff", usec=123456)
    routes, _, _ = load_bytes(tmp_path, data)
    assert [(r["kind"], r["prefix"]) for r in routes] == [("withdraw", "2001:db8:200::/48"), ("announce", "2001:db8:100::/40")]
    assert routes[1]["next_hop"] == "2001:db8::1" and routes[1]["mrt_type"] == "BGP4MP_ET"
    assert routes[1]["ts_us"] == 1_600_000_000_123_456 and routes[1]["peer_ip"] == "2001:db8::ff"
    text, _ = dump_bytes(tmp_path, data)
    assert text.splitlines()[1].startswith("BGP4MP_ET|1600000000.123456|A|2001:db8::ff|65001|2001:db8:100::/40|65001 3356 4134|IGP|2001:db8::1|")


def test_addpath_and_local_labels(tmp_path):
    data = (bgp4mp(update(BASE, nlri("192.0.2.0/24", path_id=7)), sub=9)
            + bgp4mp(update(BASE, nlri("192.0.2.0/24")), sub=7)
            + bgp4mp(update(BASE, b"", nlri("192.0.2.0/24", path_id=9)), sub=11, usec=1))
    routes, _, _ = load_bytes(tmp_path, data)
    assert [(r["mrt_type"], r["path_id"]) for r in routes] == [("BGP4MP_AP", 7), ("BGP4MP_LOCAL", None), ("BGP4MP_ET_LOCAL_AP", 9)]
    text, _ = dump_bytes(tmp_path, data)
    lines = text.splitlines()
    assert lines[0].startswith("BGP4MP_AP|1600000000|A|10.0.0.1|65001|192.0.2.0/24|7|65001 3356 4134|")
    assert lines[2] == "BGP4MP_ET_LOCAL_AP|1600000000.000001|W|10.0.0.1|65001|192.0.2.0/24|9"


def test_as4_path_merge_two_byte_session(tmp_path):
    attrs = (attr(1, b"\x00") + attr(2, seg(2, [65001, 23456, 23456], w=2)) + attr(3, v4("10.0.0.1"))
             + attr(17, seg(2, [4200000001, 4200000002]), 0xC0)
             + attr(7, struct.pack("!H", 23456) + v4("1.1.1.1"), 0xC0) + attr(18, struct.pack("!I", 4200000002) + v4("1.1.1.1"), 0xC0))
    data = bgp4mp(update(attrs, nlri("192.0.2.0/24")), sub=1)
    routes, _, _ = load_bytes(tmp_path, data)
    r = routes[0]
    assert r["as_path"] == [65001, 4200000001, 4200000002] and r["origin_asn"] == 4200000002
    assert r["aggregator"] == "4200000002 1.1.1.1"
    assert r["as_path_text"] == "65001 4200000001 4200000002"


def test_sets_and_confederations(tmp_path):
    attrs = attr(1, b"\x02") + attr(2, seg(3, [64512, 64513]) + seg(2, [1, 2]) + seg(1, [7, 8])) + attr(3, v4("10.0.0.1"))
    routes, _, _ = load_bytes(tmp_path, bgp4mp(update(attrs, nlri("192.0.2.0/24"))))
    r = routes[0]
    assert r["as_path"] == [1, 2] and r["origin_asn"] is None and r["origin"] == "INCOMPLETE"
    assert r["as_path_text"] == "(64512 64513) 1 2 {7,8}"


def test_state_changes_and_non_update_messages(tmp_path):
    open_msg = b"\xff" * 16 + struct.pack("!HBBHHIB", 29, 1, 4, 65001, 180, 1, 0)
    keepalive = b"\xff" * 16 + struct.pack("!HB", 19, 4)
    notif = b"\xff" * 16 + struct.pack("!HBBB", 21, 3, 6, 2)
    sc = struct.pack("!HHHH", 65001, 65000, 0, 1) + v4("10.0.0.1") + v4("10.0.0.2") + struct.pack("!HH", 6, 1)
    sc4 = struct.pack("!IIHH", 4200000000, 65000, 0, 1) + v4("10.0.0.9") + v4("10.0.0.2") + struct.pack("!HH", 1, 7)
    short = struct.pack("!HHHH", 65002, 65000, 3, 8)
    data = (bgp4mp(open_msg) + bgp4mp(keepalive) + bgp4mp(notif) + rec(16, 0, sc) + rec(17, 5, sc4, usec=5)
            + rec(16, 0, short))
    routes, events, ctx = load_bytes(tmp_path, data)
    assert routes == [] and ctx.rejected == 0
    assert [(e["mrt_type"], e["peer_ip"], e["peer_asn"], e["old_state"], e["new_state"]) for e in events] == [
        ("BGP4MP", "10.0.0.1", 65001, 6, 1), ("BGP4MP_ET", "10.0.0.9", 4200000000, 1, 7), ("BGP4MP", "0.0.0.0", 65002, 3, 8)]
    text, errs = dump_bytes(tmp_path, data)
    assert errs == []
    assert text.splitlines() == ["BGP4MP|1600000000|STATE|10.0.0.1|65001|6|1", "BGP4MP_ET|1600000000.000005|STATE|10.0.0.9|4200000000|1|7",
                                 "BGP4MP|1600000000|STATE|0.0.0.0|65002|3|8"]


# ---------------------------------------------------------------- RIBs


def peer_index(peers) -> bytes:
    body = v4("192.0.2.1") + struct.pack("!H", 4) + b"test" + struct.pack("!H", len(peers))
    for ip, asn in peers:
        six = ":" in ip
        body += struct.pack("!B", (1 if six else 0) | 2) + v4("1.1.1.1") + (v6(ip) if six else v4(ip)) + struct.pack("!I", asn)
    return rec(13, 1, body)


def rib(sub: int, pfx: str, entries, seq: int = 0, generic: tuple[int, int] | None = None) -> bytes:
    addpath = sub >= 8
    p = nlri(pfx)
    body = struct.pack("!I", seq) + (struct.pack("!HB", *generic) if generic else b"") + p + struct.pack("!H", len(entries))
    for i, (idx, attrs) in enumerate(entries):
        body += struct.pack("!HI", idx, 1_500_000_000 + i) + (struct.pack("!I", 40 + i) if addpath else b"")
        body += struct.pack("!H", len(attrs)) + attrs
    return rec(13, sub, body)


def test_table_dump_v2_unicast_addpath_generic_multicast(tmp_path):
    mp6 = attr(14, struct.pack("!B", 16) + v6("2001:db8::7"), 0x80)
    a6 = attr(1, b"\x00") + attr(2, seg(2, [64500, 4134])) + mp6
    data = (peer_index([("10.0.0.1", 65001), ("2001:db8::1", 4200000000)])
            + rib(2, "192.0.2.0/24", [(0, BASE), (1, BASE)])
            + rib(4, "2001:db8::/32", [(1, a6)])
            + rib(8, "198.51.100.0/24", [(0, BASE)])
            + rib(3, "224.1.0.0/16", [(0, BASE)])
            + rib(6, "203.0.113.0/24", [(0, BASE)], generic=(1, 1)))
    routes, _, ctx = load_bytes(tmp_path, data, "route-views.jinx/rib.bz2.mrt")
    got = [(r["mrt_type"], r["prefix"], r["peer_ip"], r["peer_asn"], r["path_id"], r["kind"]) for r in routes]
    assert got == [
        ("TABLE_DUMP2", "192.0.2.0/24", "10.0.0.1", 65001, None, "rib"),
        ("TABLE_DUMP2", "192.0.2.0/24", "2001:db8::1", 4200000000, None, "rib"),
        ("TABLE_DUMP2", "2001:db8::/32", "2001:db8::1", 4200000000, None, "rib"),
        ("TABLE_DUMP2_AP", "198.51.100.0/24", "10.0.0.1", 65001, 40, "rib"),
        ("TABLE_DUMP2", "224.1.0.0/16", "10.0.0.1", 65001, None, "rib"),
        ("TABLE_DUMP2", "203.0.113.0/24", "10.0.0.1", 65001, None, "rib"),
    ]
    assert routes[2]["next_hop"] == "2001:db8::7" and routes[2]["as_path"] == [64500, 4134]
    assert routes[0]["collector"] == "route-views.jinx"
    text, errs = dump_bytes(tmp_path, data)
    lines = text.splitlines()
    assert errs == [] and len(lines) == 4  # bgpdump prints unicast RIB entries only
    assert lines[2] == "TABLE_DUMP2|1600000000|B|2001:db8::1|4200000000|2001:db8::/32|64500 4134|IGP|2001:db8::7|0|0||NAG||"
    assert lines[3].startswith("TABLE_DUMP2_AP|1600000000|B|10.0.0.1|65001|198.51.100.0/24|40|65001 3356 4134|")
    change, _ = dump_bytes(tmp_path, data, change=True)
    assert change.splitlines()[1].startswith("TABLE_DUMP2|1500000001|B|2001:db8::1|")


def test_rib_before_peer_index_is_rejected(tmp_path):
    data = rib(2, "192.0.2.0/24", [(0, BASE)]) + peer_index([("10.0.0.1", 1)]) + rib(2, "192.0.2.0/24", [(0, BASE)])
    routes, _, ctx = load_bytes(tmp_path, data)
    assert len(routes) == 1 and ctx.rejected == 1 and ctx.rejects[0].offset == 0


def test_legacy_table_dump_and_type5(tmp_path):
    td = struct.pack("!HH", 0, 1) + v4("192.0.2.0") + struct.pack("!BBI", 24, 1, 1_400_000_000) + v4("10.0.0.1") + struct.pack("!H", 65001)
    a2 = attr(1, b"\x00") + attr(2, seg(2, [65001, 4134], w=2)) + attr(3, v4("10.0.0.1")) + attr(8, struct.pack("!I", (1 << 16) | 2), 0xC0)
    td += struct.pack("!H", len(a2)) + a2
    b5 = struct.pack("!H", 3333) + v4("193.0.0.56") + struct.pack("!H", 12654) + v4("193.0.0.1")
    b5 += struct.pack("!H", 3) + nlri("10.1.0.0/16") + struct.pack("!H", len(a2)) + a2 + nlri("10.2.0.0/16")
    st = struct.pack("!H", 3333) + v4("193.0.0.56") + struct.pack("!HH", 1, 6)
    data = rec(12, 1, td) + rec(5, 1, b5) + rec(5, 3, st)
    routes, events, _ = load_bytes(tmp_path, data, "rrc00/1999.09/x.gz.mrt")
    assert [(r["mrt_type"], r["kind"], r["prefix"]) for r in routes] == [
        ("TABLE_DUMP", "rib", "192.0.2.0/24"), ("BGP", "withdraw", "10.1.0.0/16"), ("BGP", "announce", "10.2.0.0/16")]
    assert routes[0]["as_path"] == [65001, 4134] and events[0]["mrt_type"] == "BGP" and events[0]["new_state"] == 6
    text, _ = dump_bytes(tmp_path, data)
    assert text.splitlines() == [
        "TABLE_DUMP|1600000000|B|10.0.0.1|65001|192.0.2.0/24|65001 4134|IGP|10.0.0.1|0|0|1:2|NAG||",
        "BGP|1600000000|W|193.0.0.56|3333|10.1.0.0/16",
        "BGP|1600000000|A|193.0.0.56|3333|10.2.0.0/16|65001 4134|IGP|10.0.0.1|0|01:2|NAG||",
        "BGP|1600000000|STATE|193.0.0.56|3333|1|6",
    ]


# ---------------------------------------------------------------- damaged input, streams


def _three_updates() -> list[bytes]:
    return [bgp4mp(update(BASE, nlri(f"192.0.{i}.0/24")), ts=1_600_000_000 + i) for i in range(3)]


def test_truncated_file_keeps_earlier_records(tmp_path):
    recs = _three_updates()
    data = b"".join(recs)
    cut = len(recs[0]) + len(recs[1]) + 20
    routes, _, ctx = load_bytes(tmp_path, data[:cut])
    assert [r["prefix"] for r in routes] == ["192.0.0.0/24", "192.0.1.0/24"]
    assert ctx.rejected == 1 and ctx.rejects[0].offset == len(recs[0]) + len(recs[1])
    assert "truncated" in ctx.rejects[0].reason


def test_flipped_length_resyncs_to_next_record(tmp_path):
    recs = _three_updates()
    bad = bytearray(recs[1])
    bad[8:12] = struct.pack("!I", len(recs[1]) - 12 + 7)  # wrong length: next header no longer lines up
    data = recs[0] + bytes(bad) + recs[2]
    routes, _, ctx = load_bytes(tmp_path, data)
    assert [r["prefix"] for r in routes] == ["192.0.0.0/24", "192.0.2.0/24"]
    assert [r.offset for r in ctx.rejects] == [len(recs[0])]
    text, errs = dump_bytes(tmp_path, data)
    assert len(text.splitlines()) == 2 and errs[0][0] == len(recs[0])


def test_bad_marker_and_attribute_reported_with_offset(tmp_path):
    recs = _three_updates()
    bad = bytearray(recs[1])
    bad[12 + 20] ^= 0xFF  # inside the BGP marker
    data = recs[0] + bytes(bad) + recs[2]
    routes, _, ctx = load_bytes(tmp_path, data)
    assert len(routes) == 2 and ctx.rejects[0].offset == len(recs[0]) and "marker" in ctx.rejects[0].reason
    with pytest.raises(MalformedRecord) as e:
        load_bytes(tmp_path, data, on_error="raise")
    assert e.value.where == len(recs[0])


def test_random_bytes_never_crash(tmp_path):
    rng = random.Random(7)
    good = b"".join(_three_updates())
    for i in range(200):
        if i % 2:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 400)))
        else:
            b = bytearray(good)
            for _ in range(rng.randrange(1, 6)):
                b[rng.randrange(len(b))] = rng.getrandbits(8)
            data = bytes(b[: rng.randrange(1, len(b) + 1)])
        routes, _, ctx = load_bytes(tmp_path, data)
        for r in routes:
            assert r["prefix"].count("/") == 1
        dump_bytes(tmp_path, data)


def test_gzip_bz2_multimember_and_truncated_stream(tmp_path):
    data = b"".join(_three_updates())
    plain, _, _ = load_bytes(tmp_path, data)
    gz, _, _ = load_bytes(tmp_path, gzip.compress(data[:200]) + gzip.compress(data[200:]), "x.gz")
    bz, _, _ = load_bytes(tmp_path, bz2.compress(data), "x.bz2")
    assert plain == [dict(r, source_file=plain[0]["source_file"]) for r in gz]
    assert [r["prefix"] for r in bz] == [r["prefix"] for r in plain]
    comp = gzip.compress(data)
    _, _, ctx = load_bytes(tmp_path, comp[: len(comp) - 30], "t.gz")
    assert ctx.rejected >= 1 and any("compressed" in r.reason or "truncated" in r.reason for r in ctx.rejects)


def test_detect_and_collector():
    data = b"".join(_three_updates())
    assert mrt.detect(data, "x") and not mrt.detect(b"1|2|-1|caida\n" * 10, "x")
    assert not mrt.detect(b'{"data": []}' + b" " * 20, "x.json")
    assert mrt.infer_collector("/a/rrc15/2010.02/updates.gz") == "rrc15"
    assert mrt.infer_collector("routeviews.route-views.jinx.ribs.1401487200.bz2") == "route-views.jinx"
    assert mrt.infer_collector("/x/route-views2/bgpdata/2020.01/RIBS/rib.bz2") == "route-views2"
    assert mrt.infer_collector("/x/updates.gz") is None


def test_bz2_block_parallel_reader_equals_sequential(tmp_path, monkeypatch):
    import onpath.ingest.mrt.reader as reader

    rng = random.Random(3)
    raw = b"".join(_three_updates()) * 3000 + bytes(rng.getrandbits(8) for _ in range(300_000))
    data = bz2.compress(raw[:700_000], 1) + bz2.compress(raw[700_000:], 9)  # two streams, several blocks
    p = tmp_path / "m.bz2"
    p.write_bytes(data)
    monkeypatch.setattr(reader, "WINDOW", 100_001)  # blocks straddle the read windows
    assert b"".join(reader._bz2_blocks(p)) == raw
    assert b"".join(reader.chunks(p)) == raw
    p.write_bytes(data[:-4000])  # truncated: every complete block out, then the error
    got = []
    with pytest.raises(reader.CompressedStreamError):
        for c in reader.chunks(p):
            got.append(c)
    assert raw.startswith(b"".join(got)) and len(b"".join(got)) >= 700_000


def test_table_addresses_are_python_canonical(tmp_path):
    import ipaddress

    rng = random.Random(11)
    nets = []
    for _ in range(300):
        groups = [rng.choice([0, 0, 0, 1, 0xFFFF, rng.getrandbits(16)]) for _ in range(8)]
        if rng.random() < 0.1:
            groups[:6] = [0, 0, 0, 0, 0, 0xFFFF]  # v4-mapped
        addr = ipaddress.IPv6Address(b"".join(struct.pack("!H", g) for g in groups))
        nets.append(ipaddress.IPv6Network((addr, 128)))
    reach = b"".join(nlri(str(n)) for n in nets)
    mp = attr(14, struct.pack("!HBB", 2, 1, 16) + v6("::ffff:10.0.0.1") + b"\x00" + reach, 0x90)
    routes, _, _ = load_bytes(tmp_path, bgpdump_peer6(update(BASE + mp)))
    assert [r["prefix"] for r in routes] == [str(n) for n in nets]
    assert routes[0]["next_hop"] == str(ipaddress.IPv6Address("::ffff:10.0.0.1"))
    assert routes[0]["peer_ip"] == str(ipaddress.IPv6Address("2001:db8:0:0:1:0:0:1"))


def bgpdump_peer6(msg: bytes) -> bytes:
    return bgp4mp(msg, peer="2001:db8:0:0:1:0:0:1")
