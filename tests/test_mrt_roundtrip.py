"""Round trip: random records -> MrtWriter -> onpath's MRT loader -> the same fields (Hypothesis).

Every `routes` / `peer_events` row is compared with the row expected from the values handed to the
writer: prefix as canonical text (RFC 5952), as_path hops, as_path_text as bgpdump prints it,
origin, next hop, MED, LOCAL_PREF (null when absent), communities, large communities, atomic
aggregate, aggregator, OTC, path id, timestamps in microseconds and each record's byte offset.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onpath.ingest.base import LoadContext
from onpath.ingest.mrt.writer import AsSegment, Attrs, MrtWriter, Peer, Session

sys.path.insert(0, str(Path(__file__).parent))
from mrt_random import EDGE_V4, EDGE_V6, make_valid  # noqa: E402

mrt = pytest.importorskip("onpath.ingest.mrt")
if not hasattr(mrt, "load"):
    pytest.skip("onpath.ingest.mrt.load is not built yet", allow_module_level=True)

ORIGIN_TEXT = ["IGP", "EGP", "INCOMPLETE"]
ASN = st.integers(0, 2**32 - 1)
U32 = st.integers(0, 2**32 - 1)


# ----------------------------------------------------------------------------- strategies
@st.composite
def prefixes(draw, v6: bool) -> str:
    bits = 128 if v6 else 32
    n = draw(st.integers(0, bits))
    addr = draw(st.integers(0, 2**bits - 1)) >> (bits - n) << (bits - n) if n else 0
    net = ipaddress.IPv6Network((addr, n)) if v6 else ipaddress.IPv4Network((addr, n))
    return str(net)


def ips(v6: bool):
    if v6:
        return st.sampled_from(EDGE_V6) | st.integers(0, 2**128 - 1).map(lambda x: str(ipaddress.IPv6Address(x)))
    return st.sampled_from(EDGE_V4) | st.integers(0, 2**32 - 1).map(lambda x: str(ipaddress.IPv4Address(x)))


@st.composite
def attrs(draw, v6: bool) -> Attrs:
    path: list = draw(st.lists(ASN, min_size=0, max_size=12))
    extra = draw(st.sampled_from(["", "set", "confed", "set-middle"]))
    if extra == "set":
        path.append(tuple(draw(st.lists(ASN, min_size=1, max_size=4))))
    elif extra == "set-middle" and path:
        path.insert(len(path) // 2, tuple(draw(st.lists(ASN, min_size=1, max_size=3))))
    elif extra == "confed":
        path.insert(0, AsSegment(draw(st.sampled_from([3, 4])), tuple(draw(st.lists(ASN, min_size=1, max_size=3)))))
    return Attrs(
        as_path=tuple(path),
        origin=draw(st.integers(0, 2)),
        next_hop=draw(ips(v6)),
        med=draw(st.none() | U32),
        local_pref=draw(st.none() | U32),
        atomic_aggregate=draw(st.booleans()),
        aggregator=draw(st.none() | st.tuples(ASN, ips(False))),
        communities=tuple(draw(st.lists(st.tuples(st.integers(0, 65535), st.integers(0, 65535)), max_size=5))),
        large_communities=tuple(draw(st.lists(st.tuples(U32, U32, U32), max_size=3))),
        only_to_customer=draw(st.none() | ASN),
    )


# ----------------------------------------------------------------------------- expectations
def path_text(path) -> str:
    out = []
    for el in path:
        if isinstance(el, int):
            out.append(str(el))
        elif isinstance(el, AsSegment):
            a = [str(x) for x in el.asns]
            out.append({3: "(" + " ".join(a) + ")", 4: "[" + ",".join(a) + "]"}[el.type])
        else:
            out.append("{" + ",".join(str(x) for x in el) + "}")
    return " ".join(out)


def route_fields(a: Attrs) -> dict:
    hops = [x for x in a.as_path if isinstance(x, int)]
    last = a.as_path[-1] if a.as_path else None
    return {
        "as_path": hops,
        "as_path_text": path_text(a.as_path),
        "origin_asn": last if isinstance(last, int) else None,
        "origin": ORIGIN_TEXT[a.origin],
        "next_hop": str(ipaddress.ip_address(a.next_hop)),
        "local_pref": a.local_pref,
        "med": a.med,
        "communities": [f"{x}:{y}" for x, y in a.communities],
        "large_communities": [f"{x}:{y}:{z}" for x, y, z in a.large_communities],
        "atomic_aggregate": a.atomic_aggregate,
        "aggregator": f"{a.aggregator[0]} {a.aggregator[1]}" if a.aggregator else None,
        "only_to_customer": a.only_to_customer,
    }


WITHDRAW_KEYS = ("mrt_type", "ts_us", "peer_ip", "peer_asn", "kind", "prefix", "path_id", "offset")


def canon(p: str) -> str:
    return str(ipaddress.ip_network(p))


def load_rows(path: Path) -> tuple[list[dict], list[dict], LoadContext]:
    ctx = LoadContext(source_file=str(path), on_error="raise", warn=False)
    routes, events = [], []
    for table, batch in mrt.load(path, ctx):
        rows = batch.to_pylist()
        (routes if table == "routes" else events if table == "peer_events" else []).extend(rows)
    return routes, events, ctx


def check(got: list[dict], expected: list[dict]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        keys = WITHDRAW_KEYS if e["kind"] == "withdraw" else e.keys()
        assert {k: g[k] for k in keys} == {k: e[k] for k in keys}, e


# ----------------------------------------------------------------------------- tests
@st.composite
def ribs(draw):
    peers = draw(st.lists(st.tuples(ASN, st.booleans()).flatmap(
        lambda t: ips(t[1]).map(lambda ip: Peer(t[0], ip))), min_size=1, max_size=6))
    records = []
    for _ in range(draw(st.integers(1, 12))):
        v6 = draw(st.booleans())
        addpath = draw(st.booleans())
        ents = draw(st.lists(st.tuples(st.integers(0, len(peers) - 1), U32, attrs(v6), U32), min_size=1, max_size=4))
        records.append((draw(prefixes(v6)), addpath, ents))
    return peers, draw(st.integers(0, 2**32 - 1)), records


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ribs())
def test_rib_round_trip(tmp_path_factory, rib):
    peers, ts, records = rib
    path = tmp_path_factory.mktemp("rt") / "rib.mrt"
    expected = []
    with MrtWriter.open(path) as w:
        w.peer_index_table(peers, ts=ts, collector_bgp_id="192.0.2.1", view_name="rt")
        for prefix, addpath, ents in records:
            off = w.rib(ts, prefix, ents if addpath else [e[:3] for e in ents], addpath=addpath)
            for pi, _orig, a, pid in ents:
                expected.append({
                    "mrt_type": "TABLE_DUMP2_AP" if addpath else "TABLE_DUMP2", "ts_us": ts * 1_000_000,
                    "peer_ip": str(ipaddress.ip_address(peers[pi].ip)), "peer_asn": peers[pi].asn, "kind": "rib",
                    "prefix": canon(prefix), "path_id": pid if addpath else None, "offset": off,
                    **route_fields(a)})
    routes, events, ctx = load_rows(path)
    check(routes, expected)
    assert events == [] and ctx.rejected == 0


@st.composite
def update_streams(draw):
    sessions = draw(st.lists(st.tuples(ASN, ASN, st.booleans()).flatmap(
        lambda t: st.tuples(ips(t[2]), ips(t[2])).map(lambda ip: Session(t[0], ip[0], t[1], ip[1]))),
        min_size=1, max_size=4))
    recs = []
    for _ in range(draw(st.integers(1, 15))):
        s = draw(st.sampled_from(sessions))
        ts = draw(st.integers(0, 2**32 - 1))
        usec = draw(st.none() | st.integers(0, 999_999))
        if draw(st.integers(0, 9)) == 0:
            recs.append(("state", s, ts, usec, draw(st.integers(1, 6)), draw(st.integers(1, 6))))
            continue
        v6 = draw(st.booleans())
        addpath = draw(st.booleans())
        wd = draw(st.lists(st.booleans().flatmap(prefixes), max_size=3))
        an = draw(st.lists(prefixes(v6), max_size=3, min_size=0 if wd else 1))
        pid = st.integers(0, 2**32 - 1)
        recs.append(("update", s, ts, usec, addpath, [(p, draw(pid)) for p in wd], [(p, draw(pid)) for p in an],
                     draw(attrs(v6))))
    return recs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(update_streams())
def test_updates_round_trip(tmp_path_factory, recs):
    path = tmp_path_factory.mktemp("rt") / "updates.mrt"
    expected, exp_events = [], []
    with MrtWriter.open(path) as w:
        for rec in recs:
            kind, s, ts, usec = rec[:4]
            ts_us = ts * 1_000_000 + (usec or 0)
            label = "BGP4MP_ET" if usec is not None else "BGP4MP"
            base = {"ts_us": ts_us, "peer_ip": str(ipaddress.ip_address(s.peer_ip)), "peer_asn": s.peer_asn}
            if kind == "state":
                off = w.state_change(ts, s, rec[4], rec[5], usec=usec)
                exp_events.append({**base, "mrt_type": label, "old_state": rec[4], "new_state": rec[5], "offset": off})
                continue
            addpath, wd, an, a = rec[4:]
            if addpath:
                off = w.update(ts, s, announce=an, withdraw=wd, attrs=a, usec=usec, addpath=True)
                label += "_AP"
            else:
                off = w.update(ts, s, announce=[p for p, _ in an], withdraw=[p for p, _ in wd], attrs=a, usec=usec)
            # file order: IPv4 withdrawn routes, MP_UNREACH (IPv6), then announcements
            for p, pid in [x for x in wd if ":" not in x[0]] + [x for x in wd if ":" in x[0]]:
                expected.append({**base, "mrt_type": label, "kind": "withdraw", "prefix": canon(p),
                                 "path_id": pid if addpath else None, "offset": off})
            for p, pid in an:
                expected.append({**base, "mrt_type": label, "kind": "announce", "prefix": canon(p),
                                 "path_id": pid if addpath else None, "offset": off, **route_fields(a)})
    routes, events, ctx = load_rows(path)
    check(routes, expected)
    assert [{k: e[k] for k in exp_events[0]} for e in events] == exp_events if exp_events else events == []
    assert ctx.rejected == 0


def test_two_byte_session_merges_as4_path(tmp_path):
    """BGP4MP_MESSAGE (2-byte ASNs): AS_TRANS in AS_PATH, the real hops from AS4_PATH (RFC 6793)."""
    s = Session(64500, "192.0.2.1", 6447, "192.0.2.2")
    a = Attrs(as_path=(64500, 3356, 4200000000, 4200000001), next_hop="192.0.2.1",
              aggregator=(4200000002, "10.0.0.1"))
    with MrtWriter.open(tmp_path / "u.mrt") as w:
        w.update(1, s, announce=["10.0.0.0/8"], attrs=a, as4=False)
    routes, _, _ = load_rows(tmp_path / "u.mrt")
    assert [r["as_path"] for r in routes] == [[64500, 3356, 4200000000, 4200000001]]
    assert routes[0]["origin_asn"] == 4200000001
    assert routes[0]["aggregator"] == "4200000002 10.0.0.1"


@pytest.mark.parametrize("seed", range(6))
def test_dump_matches_bgpdump_on_written_files(tmp_path, seed):
    """Writer -> `onpath mrt dump` gives byte for byte what `bgpdump -m` gives (every record kind)."""
    import io
    import random
    import shutil
    import subprocess

    if shutil.which("bgpdump") is None:
        pytest.skip("bgpdump is not installed")
    dump = pytest.importorskip("onpath.ingest.mrt.dump")
    for kind in ("rib", "updates"):
        path = tmp_path / f"{kind}.mrt"
        path.write_bytes(make_valid(random.Random(seed), kind))
        buf = io.BytesIO()
        assert dump.dump_file(path, buf) == 0
        ref = subprocess.run(["bgpdump", "-m", str(path)], capture_output=True, check=True).stdout
        assert buf.getvalue().decode().splitlines() == ref.decode().splitlines()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.booleans().flatmap(lambda v6: st.tuples(prefixes(v6), ips(v6), st.integers(0, 65535),
                                                             attrs(v6).map(lambda a: Attrs(**{
                                                                 **{k: getattr(a, k) for k in Attrs.__slots__},
                                                                 "as_path": tuple(x for x in a.as_path if isinstance(x, int))})),
                                                             st.integers(0, 2**32 - 1))), min_size=1, max_size=8))
def test_table_dump_v1_and_two_byte_peers_round_trip(tmp_path_factory, recs):
    """Legacy TABLE_DUMP records (2-byte peer AS, AS4_PATH merged), and a PIT with 2-byte peers."""
    path = tmp_path_factory.mktemp("rt") / "td.mrt"
    expected = []
    with MrtWriter.open(path) as w:
        for prefix, peer_ip, peer_asn, a, ts in recs:
            off = w.table_dump(ts, prefix, peer_ip, peer_asn, a, originated=ts // 2)
            expected.append({"mrt_type": "TABLE_DUMP", "ts_us": ts * 1_000_000, "kind": "rib",
                             "peer_ip": str(ipaddress.ip_address(peer_ip)), "peer_asn": peer_asn,
                             "prefix": canon(prefix), "path_id": None, "offset": off, **route_fields(a)})
        ts = recs[0][4]
        w.peer_index_table([Peer(recs[0][2], recs[0][1], as4=False)], ts=ts)
        off = w.rib(ts, recs[0][0], [(0, ts, recs[0][3])])
        expected.append({**expected[0], "mrt_type": "TABLE_DUMP2", "offset": off})
    routes, _, ctx = load_rows(path)
    check(routes, expected)
    assert ctx.rejected == 0
