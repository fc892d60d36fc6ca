"""CAIDA AS relationships: real serial-1/serial-2 files, writer round trips, bad lines."""

from __future__ import annotations

import bz2

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import shared_file

from onpath.errors import MalformedRecord
from onpath.ingest import asrel
from onpath.ingest.base import LoadContext, detect_kind, read_head


def _load(path, on_error="collect"):
    ctx = LoadContext(str(path), on_error=on_error, warn=False)
    batches = [b for t, b in asrel.load(path, ctx) if t == "as_rel"]
    return pa.Table.from_batches(batches, schema=asrel.AS_REL), ctx


def test_real_as_rel2_2025():
    path = shared_file("caida/20250101.as-rel2.txt.bz2")
    t, ctx = _load(path)
    assert t.num_rows == ctx.records == 689_189
    assert ctx.rejected == 0
    rel = t["rel"].to_numpy()
    assert (rel == -1).sum() == 160_392 and (rel == 0).sum() == 528_797
    src = t["source"].value_counts().to_pylist()
    assert {d["values"]: d["counts"] for d in src} == {"bgp": 442_267, "mlp": 205_285, "bgp,mlp": 41_637}
    touching = pc.or_(pc.equal(t["asn1"], 4134), pc.equal(t["asn2"], 4134))
    assert pc.sum(touching.cast(pa.int64())).as_py() == 291
    assert detect_kind(path) == "as-rel"


def test_real_serial1_source_is_dataset_name():
    path = shared_file("caida/20080101.as-rel.txt")
    t, ctx = _load(path)
    assert t.num_rows == 75_094 and ctx.rejected == 0
    assert set(t["source"].to_pylist()) == {"20080101.as-rel"}
    assert (t["rel"].to_numpy() == -1).sum() == 52_311


@pytest.mark.parametrize("name", ["x.as-rel2.txt", "x.as-rel2.txt.bz2", "x.as-rel2.txt.gz"])
def test_writer_round_trip(tmp_path, name):
    rows = [{"asn1": 1, "asn2": 2, "rel": -1, "source": "bgp"},
            {"asn1": 4294967295, "asn2": 3, "rel": 0, "source": "bgp,mlp"},
            {"asn1": 7, "asn2": 8, "rel": 0, "source": "mlp"}]
    p = asrel.write_as_rel2(rows, tmp_path / name, header=["input clique: 1 2", "source:topology|BGP|x"])
    t, ctx = _load(p)
    assert t.to_pylist() == rows
    assert detect_kind(p) == "as-rel"


def test_serial1_writer_round_trip(tmp_path):
    rows = [{"asn1": 10, "asn2": 20, "rel": -1}, {"asn1": 20, "asn2": 30, "rel": 0}]
    p = asrel.write_as_rel(rows, tmp_path / "20100101.as-rel.txt")
    t, _ = _load(p)
    assert t.select(["asn1", "asn2", "rel"]).to_pylist() == rows
    assert t["source"].to_pylist() == ["20100101.as-rel"] * 2


BAD = b"""# source:topology|BGP|20250101|ripe|rrc00
1|2|-1|bgp
3|4|7|bgp
5|x|0|bgp
6|7|0
# comment in the middle
8|9|0|mlp
99999999999|1|0|bgp
10|11|-1|
12|13|0|bgp
"""


def test_bad_lines_found_with_line_numbers(tmp_path):
    p = tmp_path / "bad.as-rel2.txt.bz2"
    p.write_bytes(bz2.compress(BAD))
    t, ctx = _load(p)
    assert t.to_pylist() == [{"asn1": 1, "asn2": 2, "rel": -1, "source": "bgp"},
                             {"asn1": 8, "asn2": 9, "rel": 0, "source": "mlp"},
                             {"asn1": 12, "asn2": 13, "rel": 0, "source": "bgp"}]
    assert [(r.offset, r.raw) for r in ctx.rejects] == [
        (3, b"3|4|7|bgp"), (4, b"5|x|0|bgp"), (5, b"6|7|0"), (8, b"99999999999|1|0|bgp"), (9, b"10|11|-1|")]
    assert all(r.source_file == str(p) for r in ctx.rejects)
    assert ctx.records == 3 and ctx.rejected == 5


def test_raise_policy_stops_at_first_bad_line(tmp_path):
    p = tmp_path / "bad.as-rel2.txt"
    p.write_bytes(BAD)
    with pytest.raises(MalformedRecord) as e:
        _load(p, on_error="raise")
    assert e.value.where == 3


def test_detect_is_strict():
    assert asrel.detect(b"1|2|-1|bgp\n3|4|0|mlp\n", "x")
    assert asrel.detect(b"# source:topology|BGP|x\n1|2|0\n", "x")
    assert not asrel.detect(b"apnic|CN|asn|4134|1|20020801|allocated\n", "x")
    assert not asrel.detect(b"ASN,IP Prefix,Max Length,Trust Anchor\n", "x")
    assert not asrel.detect(b"2|apnic|20190912|62210|19830613|20190911|+1000\n", "x")
    assert not asrel.detect(read_head(__file__), "test.py")


def test_crlf_lines(tmp_path):
    p = tmp_path / "x.as-rel2.txt"
    p.write_bytes(b"# x\r\n1|2|-1|bgp\r\n3|4|0|mlp\r\n")
    t, ctx = _load(p)
    assert t.to_pylist() == [{"asn1": 1, "asn2": 2, "rel": -1, "source": "bgp"}, {"asn1": 3, "asn2": 4, "rel": 0, "source": "mlp"}]


def test_writers_are_atomic(tmp_path):
    def rows():
        yield {"asn1": 1, "asn2": 2, "rel": -1, "source": "bgp"}
        raise RuntimeError("the generator broke half way")

    target = tmp_path / "x.as-rel2.txt.bz2"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        asrel.write_as_rel2(rows(), target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.as-rel2.txt.bz2"]
