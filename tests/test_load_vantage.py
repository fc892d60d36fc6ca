"""Vantage points: the real 2018 collector-peers file, collector spellings, writer round trip, bad lines."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
from conftest import shared_file

from onpath.ingest import vantage
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import VANTAGE_POINTS


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    return pa.Table.from_batches([b for _, b in vantage.load(path, ctx)], schema=VANTAGE_POINTS), ctx


def test_real_2018_file():
    path = shared_file("reference/cti-pam2022/collector-peers-geo.20180301.jsonl")
    t, ctx = _load(path)
    assert t.num_rows == ctx.records == 685 and ctx.rejected == 0
    colls = set(t["collector"].to_pylist())
    assert {"route-views2", "route-views3", "route-views.jinx", "route-views.sydney", "rrc00", "rrc21"} <= colls
    assert not any(c in colls for c in ("routeviews2", "jinx", "sydney"))
    assert t["cc"].null_count == 168  # 167 empty + one "1"
    assert pc.sum(t["full_feed"].cast(pa.int64())).as_py() == 350
    assert t.filter(pc.equal(t["cc"], "US")).num_rows == 47
    assert t.to_pylist()[0] == {"collector": "route-views.wide", "peer_ip": "202.249.2.83", "peer_asn": 2500, "cc": "JP", "full_feed": False}
    assert detect_kind(path) == "vantage-points"


def test_collector_names():
    assert [vantage.collector_name(n) for n in ("routeviews2", "routeviews6", "jinx", "rrc03", "route-views.sg", "RouteViews.linx")] == \
        ["route-views2", "route-views6", "route-views.jinx", "rrc03", "route-views.sg", "route-views.linx"]


def test_writer_round_trip(tmp_path):
    rows = [{"collector": "route-views2", "peer_ip": "192.0.2.1", "peer_asn": 3356, "cc": "US", "full_feed": True},
            {"collector": "rrc00", "peer_ip": "2001:db8::1", "peer_asn": 4200000000, "cc": None, "full_feed": False},
            {"collector": "route-views2", "peer_ip": "192.0.2.2", "peer_asn": 174, "cc": "DE", "full_feed": None}]
    p = vantage.write_vantage_points_jsonl(rows, tmp_path / "vantage-points.jsonl")
    t, ctx = _load(p)
    assert ctx.rejected == 0
    assert sorted(t.to_pylist(), key=str) == sorted(rows, key=str)
    assert detect_kind(p) == "vantage-points"


def test_bad_lines(tmp_path):
    good = {"collector": "jinx", "peers": [{"peer_address": "192.0.2.1", "peer_asn": "1", "final_country": "ZA", "full_feed": "1"},
                                           {"peer_address": "300.0.0.1", "peer_asn": "2"},
                                           {"peer_address": "192.0.2.3", "peer_asn": "x"}]}
    p = tmp_path / "vp.jsonl"
    p.write_text(json.dumps(good) + "\n{broken\n" + json.dumps({"collector": "rrc01"}) + "\n")
    t, ctx = _load(p)
    assert t.to_pylist() == [{"collector": "route-views.jinx", "peer_ip": "192.0.2.1", "peer_asn": 1, "cc": "ZA", "full_feed": True}]
    assert [r.offset for r in ctx.rejects] == [1, 1, 2, 3]
