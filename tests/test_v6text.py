"""The vectorized IPv6 prefix parser gives the standard library's answer on every text."""

from __future__ import annotations

import ipaddress

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from onpath.metrics.v6text import v6_prefixes


def _ref(text: str) -> tuple[bool, int, int]:
    try:
        net = ipaddress.IPv6Network(text, strict=False)
    except ValueError:
        return False, 0, 0
    return True, int(net.network_address) >> 64, net.prefixlen


def _forms(addr: int, length: int) -> list[str]:
    a = ipaddress.IPv6Address(addr)
    return [f"{a}/{length}", f"{a.exploded}/{length}", f"{str(a).upper()}/{length}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**128 - 1), st.sampled_from([0, 16, 48, 64, 80, 128]),
                          st.integers(0, 130)), min_size=1, max_size=40))
def test_same_as_ipaddress(items):
    texts = []
    for addr, zeros, length in items:
        texts += _forms(addr & ~((1 << zeros) - 1), length)
    ok, hi, ln = v6_prefixes(pa.array(texts))
    for t, o, h, n in zip(texts, ok.tolist(), hi.tolist(), ln.tolist(), strict=True):
        r = _ref(t)
        assert (o, h if o else 0, n if o else 0) == (r[0], r[1] if r[0] else 0, r[2] if r[0] else 0), t


def test_malformed_and_odd_texts():
    texts = ["::/0", "1:2:3:4:5:6:7::/64", "::2:3:4:5:6:7:8/64", ":1::/8", "1::2::3/64", "12345::/16",
             "1:2:3:4:5:6:7/64", "::ffff:1.2.3.4/96", "1:2:3:4:5:6:7:8:9/64", "abcd:/16", "/64", "1::/129",
             "1:/8", ":/8", "::/", "", None, "10.0.0.0/8", "1:::2/64", " 1::/8"]
    ok, hi, ln = v6_prefixes(pa.array(texts, pa.string()))
    for t, o, h, n in zip(texts, ok.tolist(), hi.tolist(), ln.tolist(), strict=True):
        r = _ref(t) if t and ":" in t else (False, 0, 0)
        assert (o, h if o else 0, n if o else 0) == (r[0], r[1] if r[0] else 0, r[2] if r[0] else 0), t
