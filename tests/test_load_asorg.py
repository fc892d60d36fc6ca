"""CAIDA AS-to-organization: real jsonl files, txt/jsonl writers, bad lines."""

from __future__ import annotations

import gzip

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import shared_file

from onpath.ingest import asorg
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import AS_ORG


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    t = pa.Table.from_batches([b for _, b in asorg.load(path, ctx)], schema=AS_ORG)
    return t, ctx


def _row(t, asn):
    rows = t.filter(pc.equal(t["asn"], asn)).to_pylist()
    assert len(rows) == 1
    return rows[0]


def test_real_2021_jsonl():
    path = shared_file("caida/20211001.as-org2info.jsonl.gz")
    t, ctx = _load(path)
    assert t.num_rows == ctx.records == 106_546 and ctx.rejected == 0
    ct = _row(t, 4134)
    assert (ct["org_id"], ct["org_name"], ct["country"], ct["source"]) == ("ORG-CT1-AP-APNIC", "China Telecom", "CN", "APNIC")
    assert _row(t, 58453)["org_id"] == "ORG-CMCC1-AP-APNIC"
    assert _row(t, 10099)["country"] == "HK"
    assert _row(t, 9929)["org_name"] == "CHINA UNICOM Industrial Internet Backbone"
    assert detect_kind(path) == "as-org"


def test_real_2008_jsonl():
    path = shared_file("caida/20080402.as-org2info.jsonl.gz")
    t, ctx = _load(path)
    assert t.num_rows == 42_178 and ctx.rejected == 0
    assert _row(t, 23764)["country"] == "JP"  # before APNIC re-allocated it to China Telecom
    assert t.filter(pc.equal(t["asn"], 58453)).num_rows == 0


ROWS = [
    {"asn": 4134, "org_id": "ORG-CT1", "org_name": "China Telecom", "country": "CN", "source": "APNIC", "as_name": "CHINANET-BACKBONE"},
    {"asn": 4809, "org_id": "ORG-CT1", "org_name": "China Telecom", "country": "CN", "source": "APNIC", "as_name": "CHINANET-CN2"},
    {"asn": 3356, "org_id": "LPL-141-ARIN", "org_name": "Level 3 Parent, LLC", "country": "US", "source": "ARIN", "as_name": "LEVEL3"},
    {"asn": 4200000000, "org_id": "ORG-X", "org_name": "Zürich Netz, \"quoted\"", "country": "CH", "source": "RIPE", "as_name": None},
]


@pytest.mark.parametrize("writer,name", [(asorg.write_as_org_txt, "20250101.as-org2info.txt.gz"),
                                         (asorg.write_as_org_jsonl, "20250101.as-org2info.jsonl.gz"),
                                         (asorg.write_as_org_txt, "x.txt"), (asorg.write_as_org_jsonl, "x.jsonl.bz2")])
def test_writer_round_trip(tmp_path, writer, name):
    p = writer(ROWS, tmp_path / name)
    t, ctx = _load(p)
    assert ctx.rejected == 0
    assert t.to_pylist() == ROWS
    assert detect_kind(p) == "as-org"


TXT_BAD = """# name: AS Org
# format:org_id|changed|org_name|country|source
ORG-A|20250101|Alpha|US|ARIN
ORG-B|20250101|Beta
# format:aut|changed|aut_name|org_id|opaque_id|source
1|20250101|ONE|ORG-A||ARIN
x2|20250101|TWO|ORG-A||ARIN
3|20250101|THREE|ORG-MISSING||RIPE
4|20250101|FOUR|ORG-A|ARIN
"""


def test_txt_bad_lines(tmp_path):
    p = tmp_path / "bad.as-org2info.txt"
    p.write_text(TXT_BAD)
    t, ctx = _load(p)
    assert [(r.offset, r.raw) for r in ctx.rejects] == [
        (4, b"ORG-B|20250101|Beta"), (7, b"x2|20250101|TWO|ORG-A||ARIN"), (9, b"4|20250101|FOUR|ORG-A|ARIN")]
    assert [(r["asn"], r["org_name"], r["country"]) for r in t.to_pylist()] == [(1, "Alpha", "US"), (3, None, None)]


def test_jsonl_bad_lines(tmp_path):
    lines = [
        '{"changed":"20210101","country":"US","name":"Alpha","organizationId":"ORG-A","source":"ARIN","type":"Organization"}',
        '{"asn":"1","changed":"20210101","name":"ONE","organizationId":"ORG-A","source":"ARIN","type":"ASN"}',
        '{"asn":"2","changed":',
        '{"asn":"abc","organizationId":"ORG-A","source":"ARIN","type":"ASN"}',
        '{"asn":"5","organizationId":"ORG-A","source":"ARIN","type":"Whatever"}',
        '{"asn":6,"organizationId":"ORG-A","source":"ARIN","type":"ASN"}',
    ]
    p = tmp_path / "bad.as-org2info.jsonl.gz"
    p.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    t, ctx = _load(p)
    assert [r.offset for r in ctx.rejects] == [3, 4, 5]
    assert [(r["asn"], r["country"]) for r in t.to_pylist()] == [(1, "US"), (6, "US")]


@pytest.mark.parametrize("real", [False, True])
def test_fast_and_line_by_line_paths_agree(tmp_path, monkeypatch, real):
    if real:
        path = shared_file("caida/20080402.as-org2info.jsonl.gz")
    else:
        rows = ROWS + [{"asn": 7, "org_id": "ORG-NOWHERE", "org_name": "", "country": "", "source": "", "as_name": ""}]
        path = asorg.write_as_org_jsonl(rows, tmp_path / "x.jsonl")
        lines = path.read_text().splitlines()
        path.write_text("\n".join(ln for ln in lines if "ORG-NOWHERE" not in ln or '"ASN"' in ln) + "\n")
    fast, _ = _load(path)
    monkeypatch.setattr(asorg, "fast_jsonl", lambda p: None)
    slow, ctx = _load(path)
    assert ctx.rejected == 0 and fast.num_rows == slow.num_rows > 0
    assert fast.equals(slow)
    if not real:
        assert fast.to_pylist()[-1] == {"asn": 7, "org_id": "ORG-NOWHERE", "org_name": None, "country": None,
                                        "source": None, "as_name": None}
