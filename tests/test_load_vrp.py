"""RPKI VRPs: the real RIPE-archive roas.csv, routinator CSV and rpki-client JSON written and read back,
bad lines and damaged JSON entries."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from conftest import shared_file

from onpath.ingest import vrp
from onpath.ingest.base import LoadContext, detect_kind
from onpath.models.tables import VRPS


def _load(path):
    ctx = LoadContext(str(path), warn=False)
    return pa.Table.from_batches([b for _, b in vrp.load(path, ctx)], schema=VRPS), ctx


def test_real_ripe_archive_roas_csv():
    path = shared_file("rpki/roas.csv")
    t, ctx = _load(path)
    assert t.num_rows == 4372 and ctx.rejected == 0
    pfx = t["prefix"].to_pylist()
    assert sum(":" in p for p in pfx) == 365
    assert len(set(t["asn"].to_pylist())) == 529
    assert set(t["ta"].to_pylist()) == {"afrinic"}
    assert t.to_pylist()[1] == {"asn": 327844, "prefix": "2001:43f8:1::/48", "max_length": 128, "ta": "afrinic"}
    assert detect_kind(path) == "vrp"


ROWS = [{"asn": 13335, "prefix": "1.1.1.0/24", "max_length": 24, "ta": "apnic"},
        {"asn": 4134, "prefix": "2400:da00::/32", "max_length": 48, "ta": "apnic"},
        {"asn": 0, "prefix": "10.0.0.0/8", "max_length": 32, "ta": "ripe"},
        {"asn": 4200000001, "prefix": "2001:db8::/32", "max_length": 32, "ta": "arin"}]


@pytest.mark.parametrize("writer,name", [(vrp.write_vrps_csv, "vrps.csv"), (vrp.write_vrps_json, "vrps.json"),
                                         (vrp.write_vrps_csv, "vrps.csv.gz"), (vrp.write_vrps_json, "vrps.json.bz2")])
def test_writer_round_trip(tmp_path, writer, name):
    p = writer(ROWS, tmp_path / name)
    t, ctx = _load(p)
    assert ctx.rejected == 0 and t.to_pylist() == ROWS
    assert detect_kind(p) == "vrp"


def test_json_asn_spellings_and_big_file(tmp_path):
    roas = [{"asn": f"AS{i}" if i % 2 else i, "prefix": f"10.{i // 256 % 256}.{i % 256}.0/24", "maxLength": 24, "ta": "ripe"}
            for i in range(20000)]
    p = tmp_path / "vrps.json"
    p.write_text(json.dumps({"metadata": {"counts": 20000}, "roas": roas}))
    t, ctx = _load(p)
    assert t.num_rows == 20000 and ctx.rejected == 0
    assert t["asn"].to_pylist() == list(range(20000))


CSV_BAD = """ASN,IP Prefix,Max Length,Trust Anchor
AS1,1.0.0.0/24,24,apnic
ASx,1.0.1.0/24,24,apnic
AS2,1.0.2.1/24,24,apnic
AS3,1.0.3.0/24,16,apnic
AS4,1.0.4.0/24,33,apnic
AS5,1.0.5.0/24,24
AS6,2001:db8::/32,48,ripe
"""


def test_csv_bad_lines(tmp_path):
    p = tmp_path / "vrps.csv"
    p.write_text(CSV_BAD)
    t, ctx = _load(p)
    assert [r.offset for r in ctx.rejects] == [3, 4, 5, 6, 7]
    assert "host bits" in ctx.rejects[1].reason
    assert t["asn"].to_pylist() == [1, 6]


def test_json_damaged_entries_keep_the_rest(tmp_path):
    good = [json.dumps({"asn": i, "prefix": f"10.0.{i}.0/24", "maxLength": 24, "ta": "ripe"}) for i in range(6)]
    body = ",\n".join(good[:3] + ['{"asn": 99, "prefix": "10.9.9.0/24", "maxLength": }'] + good[3:5]
                      + ['{"asn": 98, "prefix": "bogus", "maxLength": 24, "ta": "ripe"}'] + good[5:])
    text = '{"metadata": {}, "roas": [\n' + body + "\n]}\n"
    p = tmp_path / "vrps.json"
    p.write_text(text)
    t, ctx = _load(p)
    assert t["asn"].to_pylist() == [0, 1, 2, 3, 4, 5]
    assert len(ctx.rejects) == 2
    assert ctx.rejects[0].offset == text.index('{"asn": 99')
    assert b'"asn": 99' in ctx.rejects[0].raw
