"""Country of prefixes and ASes (SPEC §4): geolocation majority, RIR records, iptocc, as-org."""

from __future__ import annotations

import random
import time

import pyarrow as pa
import pytest
from conftest import shared_file

from onpath.ingest import rir as rir_loader
from onpath.ingest.base import LoadContext
from onpath.metrics.country import as_country, iptocc_basis, prefix_country, prefix_ranges
from onpath.models.tables import RIR


def _rir(rows):
    base = {"registry": "apnic", "date": "20200101", "opaque_id": None}
    return pa.Table.from_pylist([{**base, **r} for r in rows], schema=RIR)


def test_prefix_ranges():
    fam, s, e = prefix_ranges(["10.0.0.0/8", "10.1.2.3/16", "0.0.0.0/0", "2001:db8::/32", "2001:db8::1/128", "300.0.0.0/8", None])
    assert fam.tolist() == [4, 4, 4, 6, 6, 0, 0]
    assert (int(s[1]), int(e[1])) == (0x0A010000, 0x0A01FFFF)  # host bits dropped
    assert (int(s[2]), int(e[2])) == (0, 2**32 - 1)
    assert int(e[3] - s[3]) == 2**32 - 1  # /32 = 2^32 /64 units
    assert int(e[4]) == int(s[4])


def test_geo_majority_nesting_and_fallbacks():
    geo = pa.table({"prefix": ["10.0.0.0/8", "10.0.0.0/10", "10.64.0.0/10", "2001:db8::/32", "192.0.2.0/25"],
                    "cc": ["US", "CN", "CN", "DE", "FR"]})
    rir = _rir([{"cc": "JP", "type": "ipv4", "start": "192.0.2.128", "value": 128, "status": "allocated"},
                {"cc": "KR", "type": "ipv4", "start": "198.51.100.0", "value": 256, "status": "assigned"},
                {"cc": "AU", "type": "ipv4", "start": "203.0.113.0", "value": 256, "status": "reserved"}])
    q = ["10.0.0.0/8",  # CN holds 2 of 4 /10s, US 2: tie -> alphabetical CN
         "10.128.0.0/9",  # only US (the /8 outside the CN /10s)
         "10.0.0.0/16",  # inside a CN /10
         "2001:db8:1::/48", "192.0.2.0/24",  # FR half, and the other half unknown to geo -> FR
         "198.51.100.0/24",  # not in geo -> RIR
         "203.0.113.0/24",  # reserved in RIR -> iptocc or unknown
         "1.1.1.0/24",  # iptocc
         "bogus"]
    cc, basis = prefix_country(q, geo=geo, rir=rir)
    assert cc.to_pylist()[:6] == ["CN", "US", "CN", "DE", "FR", "KR"]
    assert basis.to_pylist()[:6] == ["geo"] * 5 + ["rir"]
    assert basis[7].as_py() == iptocc_basis() and iptocc_basis().startswith("iptocc ")
    assert cc[7].as_py() == "AU"
    assert (cc[8].as_py(), basis[8].as_py()) == (None, "unknown")


def test_rir_majority_over_non_cidr_ranges():
    rir = _rir([{"cc": "BR", "type": "ipv4", "start": "45.4.0.0", "value": 768, "status": "allocated"},
                {"cc": "CL", "type": "ipv4", "start": "45.4.3.0", "value": 256, "status": "allocated"},
                {"cc": "CN", "type": "ipv6", "start": "2400:da00::", "value": 32, "status": "allocated"}])
    cc, basis = prefix_country(["45.4.0.0/22", "45.4.3.0/24", "2400:da00:1::/48"], rir=rir)
    assert cc.to_pylist() == ["BR", "CL", "CN"] and set(basis.to_pylist()) == {"rir"}


def _apnic():
    path = shared_file("rir/apnic-2026-06/delegated-apnic-latest")
    return pa.Table.from_batches([b for _, b in rir_loader.load(path, LoadContext(str(path), warn=False))])


def _speed(t, n):
    rnd = random.Random(5)
    pf = [f"{rnd.randrange(1, 224)}.{rnd.randrange(256)}.{rnd.randrange(256)}.0/24" for _ in range(n * 9 // 10)]
    pf += [f"2400:{rnd.randrange(65536):x}:{rnd.randrange(65536):x}::/48" for _ in range(n // 10)]
    t0 = time.perf_counter()
    cc, basis = prefix_country(pf, rir=t)
    took = time.perf_counter() - t0
    assert len(cc) == n
    assert {"rir", iptocc_basis()} <= set(basis.to_pylist())
    return took


def test_real_apnic_file():
    t = _apnic()
    cc, basis = as_country([4134, 4809, 9808, 23764, 58453, 3356], rir=t)
    assert cc.to_pylist() == ["CN", "CN", "CN", "HK", "HK", None]
    c1, b1 = prefix_country(["1.0.1.0/24", "36.96.0.0/11", "36.100.0.0/16", "223.0.0.0/15"], rir=t)
    assert c1.to_pylist() == ["CN"] * 4 and set(b1.to_pylist()) == {"rir"}
    assert _speed(t, 50_000) < 10


@pytest.mark.slow
def test_500k_prefixes_in_seconds():
    assert _speed(_apnic(), 500_000) < 20


def test_as_country_rir_then_as_org():
    rir = _rir([{"cc": "CN", "type": "asn", "start": "4134", "value": 1, "status": "allocated"},
                {"cc": "US", "type": "asn", "start": "100", "value": 10, "status": "assigned"},
                {"cc": "ZZ", "type": "asn", "start": "200", "value": 1, "status": "reserved"}])
    org = pa.table({"asn": pa.array([4134, 200, 300, 300], pa.uint32()), "country": ["HK", "DE", "FR", "GB"]})
    cc, basis = as_country(pa.array([4134, 105, 110, 200, 300, 400], pa.uint32()), rir=rir, as_org=org)
    assert cc.to_pylist() == ["CN", "US", None, "DE", "FR", None]
    assert basis.to_pylist() == ["rir", "rir", "unknown", "as-org", "as-org", "unknown"]
    assert as_country([], rir=rir)[0].to_pylist() == []


@pytest.mark.parametrize("n", [0, 1])
def test_empty_inputs(n):
    cc, basis = prefix_country(["10.0.0.0/8"] * n, geo=pa.table({"prefix": pa.array([], pa.string()), "cc": pa.array([], pa.string())}))
    assert len(cc) == n


class _Snap:
    """The two methods of onpath.store.Snapshot the adapters use, over in-memory tables."""

    def __init__(self, **tables):
        self.tables = tables

    def has(self, name):
        return name in self.tables

    def table(self, name, columns=None):
        t = self.tables[name]
        return t.select(columns) if columns else t


def test_snapshot_adapters():
    from onpath.metrics.country import as_country_map, prefix_country_table

    snap = _Snap(geo=pa.table({"prefix": ["192.0.2.0/24"], "cc": ["NL"]}),
                 rir=_rir([{"cc": "CN", "type": "asn", "start": "4134", "value": 1, "status": "allocated"}]),
                 as_org=pa.table({"asn": pa.array([3356], pa.uint32()), "country": ["US"]}))
    t = prefix_country_table(snap, ["192.0.2.0/25", "bogus"])
    assert t.to_pylist() == [{"prefix": "192.0.2.0/25", "cc": "NL", "basis": "geo"},
                             {"prefix": "bogus", "cc": None, "basis": "unknown"}]
    assert as_country_map(snap, [4134, 3356, 7]) == ({4134: "CN", 3356: "US"}, {4134: "rir", 3356: "as-org"})
    assert prefix_country_table(None, ["1.0.0.0/24"])["basis"][0].as_py() == iptocc_basis()


def test_docstring_examples_run():
    import doctest

    from onpath.ingest import vantage
    from onpath.metrics import country, ipranges

    for mod in (country, ipranges, vantage):
        res = doctest.testmod(mod)
        assert res.attempted > 0 and res.failed == 0, mod.__name__
