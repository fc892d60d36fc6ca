"""RIR delegated statistics: the real AFRINIC, LACNIC, APNIC and IANA files; all five RIRs' variants
written and read back; bad lines."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import shared_file

from onpath.ingest import rir
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import RIR


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    return pa.Table.from_batches([b for _, b in rir.load(path, ctx)], schema=RIR), ctx


def _counts(t):
    return {d["values"]: d["counts"] for d in t["type"].value_counts().to_pylist()}


@pytest.mark.parametrize("rel,registry,counts", [
    ("rir/2019-09/delegated-afrinic-extended-latest", "afrinic", {"asn": 2302, "ipv4": 3994, "ipv6": 3647}),
    ("rir/2019-09/delegated-lacnic-extended-latest", "lacnic", {"asn": 10461, "ipv4": 17013, "ipv6": 38175}),
    ("rir/2019-09/delegated-apnic-latest", "apnic", {"asn": 9493, "ipv4": 43156, "ipv6": 9561}),
    ("rir/apnic-2026-06/delegated-apnic-latest", "apnic", {"asn": 13701, "ipv4": 54666, "ipv6": 16933}),
])
def test_real_files(rel, registry, counts):
    path = shared_file(rel)
    t, ctx = _load(path)
    assert ctx.rejected == 0
    assert _counts(t) == counts  # the summary lines' figures
    assert set(t["registry"].to_pylist()) == {registry}
    assert detect_kind(path) == "rir"


def test_real_quirks():
    t, _ = _load(shared_file("rir/2019-09/delegated-lacnic-extended-latest"))
    avail = t.filter(pc.equal(t["status"], "available"))
    assert avail.num_rows == 20123  # LACNIC's 7-field available rows: empty cc and date -> null
    assert avail["cc"].null_count == avail.num_rows and avail["date"].null_count == avail.num_rows
    a, _ = _load(shared_file("rir/2019-09/delegated-afrinic-extended-latest"))
    res = a.filter(pc.equal(a["status"], "reserved")).to_pylist()[0]
    assert res["cc"] == "ZZ" and res["date"] is None and res["opaque_id"] is None
    assert a.filter(pc.equal(a["start"], "1228")).to_pylist()[0]["opaque_id"] == "F36B9F4B"
    ap, _ = _load(shared_file("rir/apnic-2026-06/delegated-apnic-latest"))
    for asn, cc in [("4134", "CN"), ("4809", "CN"), ("9808", "CN"), ("23764", "HK"), ("58453", "HK")]:
        r = ap.filter(pc.and_(pc.equal(ap["type"], "asn"), pc.equal(ap["start"], asn))).to_pylist()
        assert r[0]["cc"] == cc and r[0]["opaque_id"] is None


def test_real_iana_keeps_its_broken_line_out():
    path = shared_file("rir/2019-09/delegated-iana-latest")
    t, ctx = _load(path)
    assert ctx.rejected == 1 and ctx.rejects[0].offset == 1007 and ctx.rejects[0].raw == b"|3|19990401|arin"
    assert t.num_rows == 2530
    assert "ripencc" in set(t["status"].to_pylist())  # IANA's status names the RIR
    assert _counts(t) == {"asn": 1194, "ipv4": 1220, "ipv6": 116}


ROWS = {
    "arin": [
        {"cc": "US", "type": "asn", "start": "3356", "value": 1, "date": "20000315", "status": "assigned", "opaque_id": "1e6a8e3c"},
        {"cc": None, "type": "ipv4", "start": "23.128.0.0", "value": 1024, "date": None, "status": "available", "opaque_id": None},
        {"cc": "US", "type": "ipv6", "start": "2600::", "value": 12, "date": "20091116", "status": "allocated", "opaque_id": "d5b6"},
    ],
    "ripencc": [
        {"cc": "EU", "type": "ipv4", "start": "2.16.0.0", "value": 524288, "date": "20100712", "status": "allocated", "opaque_id": "a1"},
        {"cc": "NL", "type": "asn", "start": "1101", "value": 100, "date": None, "status": "assigned", "opaque_id": "b2"},
        {"cc": None, "type": "ipv6", "start": "2a10:1000::", "value": 29, "date": None, "status": "reserved", "opaque_id": None},
    ],
    "afrinic": [{"cc": "ZA", "type": "ipv4", "start": "41.0.0.0", "value": 2097152, "date": "20071126", "status": "allocated", "opaque_id": "F36B9F4B"}],
    "lacnic": [{"cc": "BR", "type": "ipv6", "start": "2804::", "value": 16, "date": "20060101", "status": "allocated", "opaque_id": "257"}],
    "apnic": [{"cc": "CN", "type": "asn", "start": "4134", "value": 1, "date": "20020801", "status": "allocated", "opaque_id": "A92E1062"}],
}


@pytest.mark.parametrize("registry", sorted(ROWS))
def test_writer_round_trip(tmp_path, registry):
    p = rir.write_rir_extended(registry, ROWS[registry], tmp_path / f"delegated-{registry}-extended-20250101", "2025-01-01")
    t, ctx = _load(p)
    assert ctx.rejected == 0
    assert t.drop_columns(["registry"]).to_pylist() == ROWS[registry]
    assert set(t["registry"].to_pylist()) == {registry}
    assert detect_kind(p) == "rir"
    head = p.read_text().splitlines()
    assert head[0].startswith(f"2.3|{registry}|20250101|{len(ROWS[registry])}|")
    assert head[1] == f"{registry}|*|asn|*|{sum(r['type'] == 'asn' for r in ROWS[registry])}|summary"


def test_non_extended_writer(tmp_path):
    p = rir.write_rir_extended("apnic", ROWS["apnic"], tmp_path / "delegated-apnic-20250101.gz", "20250101", extended=False)
    t, _ = _load(p)
    assert t.to_pylist()[0]["opaque_id"] is None and t.num_rows == 1


BAD = """2.3|ripencc|20250101|9|19830705|20250101|+0100
ripencc|*|ipv4|*|3|summary
ripencc|NL|ipv4|193.0.0.0|2048|19930901|allocated|a
ripencc|NL|ipv4|193.0.0.x|2048|19930901|allocated|a
ripencc|NL|ipv5|193.0.0.0|2048|19930901|allocated|a
ripencc|NL|ipv4|193.0.8.0|lots|19930901|allocated|a
ripencc|NLD|asn|3333|1|19930901|assigned|a
ripencc|NL|asn|3333|1|1993-09-01|assigned|a
ripencc|NL|ipv6|2001:67c::|200|20000101|allocated|a
|3|19990401|arin
ripencc|GB|asn|5400|1|00000000|assigned|b
"""


def test_bad_lines(tmp_path):
    p = tmp_path / "delegated-ripencc-extended-20250101"
    p.write_text(BAD.replace("\n", "\r\n"))
    t, ctx = _load(p)
    assert [r.offset for r in ctx.rejects] == [4, 5, 6, 7, 8, 9, 10]
    assert [(r["start"], r["date"]) for r in t.to_pylist()] == [("193.0.0.0", "19930901"), ("5400", None)]
