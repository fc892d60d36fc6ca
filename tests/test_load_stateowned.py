"""State-owned operators (IMC 2021): the real dataset, writer round trip, bad lines."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import shared_file

from onpath.errors import SchemaMismatch
from onpath.ingest import stateowned
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import STATE_OWNED


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    return pa.Table.from_batches([b for _, b in stateowned.load(path, ctx)], schema=STATE_OWNED), ctx


def test_real_dataset():
    path = shared_file("reference/state-owned-ases-imc2021/state_owned_ases.csv")
    t, ctx = _load(path)
    assert t.num_rows == 984 and ctx.rejected == 0
    cong = {d["values"]: d["counts"] for d in t["conglomerate"].value_counts().to_pylist()}
    assert (cong["CN-TELECOM"], cong["CN-UNICOM"], cong["CN-MOBILE"], cong["CN-CITIC"]) == (134, 34, 31, 26)
    asns = set(t["asn"].to_pylist())
    assert {4134, 4809, 4812, 23724, 9808, 58453, 58807, 9231, 4837, 9929} <= asns and 23764 not in asns
    sub = t.filter(pc.equal(t["asn"], 36678)).to_pylist()[0]
    assert (sub["ownership_cc"], sub["target_cc"]) == ("CN", "US")
    assert detect_kind(path) == "state-owned"


def test_real_minority_file():
    t, ctx = _load(shared_file("reference/state-owned-ases-imc2021/minority_state_owned_ases.csv"))
    assert t.num_rows == 302 and ctx.rejected == 0


def test_writer_round_trip(tmp_path):
    rows = [{"asn": 4134, "conglomerate": "CN-TELECOM", "org_id": "ORG-CT1-AP-APNIC", "org_name": "China Telecom, \"CT\"",
             "ownership_cc": "CN", "target_cc": None, "source": "Company's website", "url": "https://example.cn/a,b"},
            {"asn": 36678, "conglomerate": "CN-TELECOM", "org_id": "CTA-ARIN", "org_name": "China Telecom Americas",
             "ownership_cc": "CN", "target_cc": "US", "source": None, "url": None}]
    p = stateowned.write_state_owned_csv(rows, tmp_path / "state_owned_ases.csv")
    t, ctx = _load(p)
    assert ctx.rejected == 0 and t.to_pylist() == rows
    assert detect_kind(p) == "state-owned"


def test_bad_lines(tmp_path):
    h = ",".join(stateowned.HEADER)
    empty = "," * (len(stateowned.HEADER) - 5)
    p = tmp_path / "so.csv"
    p.write_text(f"{h}\n1,A,o,n,CN{empty}\nx,A,o,n,CN{empty}\n2,A,o,n,CHN{empty}\n3,A,o\n"
                 f"4,A,o,\"multi\nline\",US{empty}\n5,A,o,n,FR{empty}\n")
    t, ctx = _load(p)
    assert t["asn"].to_pylist() == [1, 4, 5]
    assert [r.offset for r in ctx.rejects] == [3, 4, 5]
    assert t.to_pylist()[1]["org_name"] == "multi\nline"


def test_wrong_header(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("org_id,asn\nA,1\n")
    with pytest.raises(SchemaMismatch):
        _load(p)
