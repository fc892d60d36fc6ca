"""Property tests (Hypothesis): writers and loaders round-trip; prefix normalisation is idempotent."""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from onpath.ingest import asrel, rir, vrp
from onpath.ingest.base import LoadContext
from onpath.ingest.textfmt import canonical_prefix
from onpath.metrics.ipranges import prefix_ranges

asn = st.integers(0, 2**32 - 1)
net4 = st.builds(lambda a, n: ipaddress.IPv4Network((a, n), strict=False), st.integers(0, 2**32 - 1), st.integers(0, 32))
net6 = st.builds(lambda a, n: ipaddress.IPv6Network((a, n), strict=False), st.integers(0, 2**128 - 1), st.integers(0, 128))
nets = st.one_of(net4, net6)
FAST = settings(max_examples=40, deadline=None)


def _read(mod, path):
    ctx = LoadContext(str(path), warn=False)
    return [r for _, b in mod.load(path, ctx) for r in b.to_pylist()], ctx


@FAST
@given(st.lists(st.fixed_dictionaries({"asn1": asn, "asn2": asn, "rel": st.sampled_from([-1, 0]),
                                       "source": st.sampled_from(["bgp", "mlp", "bgp,mlp"])}), min_size=1, max_size=30))
def test_as_rel2_round_trip(rows):
    with tempfile.TemporaryDirectory() as d:
        p = asrel.write_as_rel2(rows, Path(d) / "x.as-rel2.txt.bz2")
        got, ctx = _read(asrel, p)
    assert got == rows and ctx.records == len(rows)


@FAST
@given(st.lists(st.tuples(asn, nets, st.integers(0, 128)), min_size=1, max_size=20))
def test_vrps_round_trip(items):
    rows = [{"asn": a, "prefix": str(n), "max_length": min(n.max_prefixlen, n.prefixlen + extra), "ta": "ripe"}
            for a, n, extra in items]
    with tempfile.TemporaryDirectory() as d:
        for w, name in ((vrp.write_vrps_csv, "v.csv"), (vrp.write_vrps_json, "v.json")):
            got, ctx = _read(vrp, w(rows, Path(d) / name))
            assert got == rows and ctx.rejected == 0


@FAST
@given(nets)
def test_canonical_prefix_idempotent_and_matches_ipaddress(n):
    c = canonical_prefix(str(n))
    assert c == str(n) == canonical_prefix(c)
    fam, s, e = prefix_ranges([c])
    if n.version == 4:
        assert (int(s[0]), int(e[0])) == (int(n.network_address), int(n.broadcast_address))
    else:
        assert int(s[0]) == int(n.network_address) >> 64 and int(e[0]) == int(n.broadcast_address) >> 64


@FAST
@given(st.lists(st.one_of(
    st.builds(lambda a, v: {"cc": "CN", "type": "asn", "start": str(a), "value": v, "date": "20200101",
                            "status": "allocated", "opaque_id": "x"}, asn, st.integers(1, 1000)),
    st.builds(lambda n: {"cc": None, "type": "ipv6", "start": str(n.network_address), "value": n.prefixlen,
                         "date": None, "status": "available", "opaque_id": None}, net6),
    st.builds(lambda n: {"cc": "ZZ", "type": "ipv4", "start": str(n.network_address), "value": n.num_addresses,
                         "date": None, "status": "reserved", "opaque_id": "r"}, net4)), max_size=20))
def test_rir_round_trip(rows):
    with tempfile.TemporaryDirectory() as d:
        got, ctx = _read(rir, rir.write_rir_extended("ripencc", rows, Path(d) / "delegated-ripencc-extended-20250101", "20250101"))
    assert [{k: v for k, v in r.items() if k != "registry"} for r in got] == rows and ctx.rejected == 0
