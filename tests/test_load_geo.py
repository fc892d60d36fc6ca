"""Geolocation: prefix,cc CSV and the GeoLite2-Country trio, written and read back; bad lines."""

from __future__ import annotations

import pyarrow as pa
import pytest

from onpath.errors import SourceUnavailable
from onpath.ingest import geo
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import GEO

ROWS = [{"prefix": "1.0.0.0/24", "cc": "AU"}, {"prefix": "36.0.0.0/10", "cc": "CN"},
        {"prefix": "2001:db8::/32", "cc": "US"}, {"prefix": "2400:da00::/32", "cc": "CN"}]


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    return pa.Table.from_batches([b for _, b in geo.load(path, ctx)], schema=GEO), ctx


@pytest.mark.parametrize("name", ["prefix-country.csv", "prefix-country.csv.gz"])
def test_plain_round_trip(tmp_path, name):
    p = geo.write_geo_csv(ROWS, tmp_path / name)
    t, ctx = _load(p)
    assert ctx.rejected == 0 and t.to_pylist() == ROWS
    assert detect_kind(p) == "geo"


def test_geolite2_round_trip(tmp_path):
    b4, b6, loc = geo.write_geolite2_country(ROWS, tmp_path)
    t4, _ = _load(b4)
    t6, _ = _load(b6)
    assert t4.to_pylist() + t6.to_pylist() == ROWS
    assert detect_kind(b4) == "geo" and detect_kind(b6) == "geo"
    loc.unlink()
    with pytest.raises(SourceUnavailable):
        _load(b4)


def test_geolite2_registered_country_fallback_and_bad_lines(tmp_path):
    (tmp_path / "GeoLite2-Country-Locations-en.csv").write_text(
        ",".join(geo.LOCATIONS_HEADER) + "\n2077456,en,OC,Oceania,AU,Australia,0\n6252001,en,NA,\"North America\",US,\"United States\",0\n")
    b = tmp_path / "GeoLite2-Country-Blocks-IPv4.csv"
    b.write_text(",".join(geo.BLOCKS_HEADER) + "\n1.0.0.0/24,2077456,2077456,,0,0\n"
                 "1.0.1.0/24,,6252001,,0,0\n1.0.2.0/24,,,,1,0\n1.0.3.0/33,2077456,2077456,,0,0\n")
    t, ctx = _load(b)
    assert t.to_pylist() == [{"prefix": "1.0.0.0/24", "cc": "AU"}, {"prefix": "1.0.1.0/24", "cc": "US"}]
    assert [r.offset for r in ctx.rejects] == [4, 5]


def test_plain_bad_lines(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("prefix,cc\n1.0.0.0/24,au\n1.0.1.0/24,USA\n1.0.2.0,US\n1.0.3.0/24\n1.0.4.0/24,JP\n")
    t, ctx = _load(p)
    assert t.to_pylist() == [{"prefix": "1.0.0.0/24", "cc": "AU"}, {"prefix": "1.0.4.0/24", "cc": "JP"}]
    assert [r.offset for r in ctx.rejects] == [3, 4, 5]


def test_detect_is_strict():
    assert geo.detect(b"prefix,cc\n1.0.0.0/24,AU\n", "x.csv")
    assert not geo.detect(b"ASN,IP Prefix,Max Length,Trust Anchor\nAS1,1.0.0.0/24,24,apnic\n", "x")
    assert not geo.detect(b"asn,conglomerate,org_id,org_name\n", "x")
