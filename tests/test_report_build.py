"""report.json is byte-identical for the same inputs; wall-clock facts go to run.json."""

from __future__ import annotations

import json
import os

import pytest

from onpath.errors import SchemaMismatch
from onpath.report import report_from_analysis
from onpath.report.build import age_days, footprint_by_city, snapshot_header
from onpath.report.canon import canonical, dumps, write_atomic
from onpath.report.sample import sample_analysis, sample_datasets

DATASETS = sample_datasets()


def write(out, analysis=None, datasets=DATASETS, run_info=None):
    return report_from_analysis(analysis or sample_analysis(seed=3), snapshot_name="snap",
                                snapshot_date="2025-01-01", datasets=datasets, synthetic=True,
                                out_dir=out, run_info=run_info)


def test_two_runs_are_byte_identical(tmp_path):
    a = write(tmp_path / "a", run_info={"started_at": "2026-01-01T00:00:00+00:00"})
    b = write(tmp_path / "b", run_info={"started_at": "2026-06-01T12:34:56+00:00"})
    ja, jb = (open(x["paths"]["report_json"], "rb").read() for x in (a, b))
    assert ja == jb
    assert open(a["paths"]["report_html"], "rb").read() == open(b["paths"]["report_html"], "rb").read()
    ra, rb = (json.load(open(x["paths"]["run_json"])) for x in (a, b))
    assert ra["started_at"] != rb["started_at"]
    assert ra["report_json_sha256"] == rb["report_json_sha256"]
    assert "onpath_version" in ra and "python" in ra


def test_input_order_of_datasets_does_not_change_bytes(tmp_path):
    a = write(tmp_path / "a")
    b = write(tmp_path / "b", datasets=list(reversed(DATASETS)))
    assert open(a["paths"]["report_json"], "rb").read() == open(b["paths"]["report_json"], "rb").read()


def test_different_inputs_give_different_reports(tmp_path):
    a = write(tmp_path / "a", analysis=sample_analysis(seed=3))
    b = write(tmp_path / "b", analysis=sample_analysis(seed=4))
    assert open(a["paths"]["report_json"], "rb").read() != open(b["paths"]["report_json"], "rb").read()


def test_report_json_has_no_wall_clock_and_keys_sorted(tmp_path):
    res = write(tmp_path)
    text = open(res["paths"]["report_json"], encoding="utf-8").read()
    assert "fetched_at" not in text and "2026-11-29" not in text and "/w/mrt" not in text
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert text.endswith("}\n")


def test_dataset_ages_are_counted_to_the_snapshot_date():
    head = snapshot_header("s", "2025-01-01", DATASETS)
    ages = {d["kind"]: d["age_days"] for d in head["datasets"]}
    assert ages == {"as-rel": 31, "mrt": 0}
    assert age_days("2024-02-28", "2024-03-01") == 2  # leap year
    assert age_days(None, "2025-01-01") is None and age_days("2025-01-01", None) is None
    assert [d["source"] for d in head["datasets"]] == ["20241201.as-rel2.txt.bz2", "bview.20250101.0000.gz"]


def test_canonical_rounding_and_negative_zero():
    assert canonical({"x": 0.1234567891, "y": -0.0, "z": -1e-9, "n": [1, 2.5]}) == \
        {"x": 0.123457, "y": 0.0, "z": 0.0, "n": [1, 2.5]}
    assert dumps({"b": 1.0000000001, "a": 2}) == '{\n  "a": 2,\n  "b": 1.0\n}\n'
    with pytest.raises(SchemaMismatch) as e:
        canonical({"a": [1, float("inf")]})
    assert e.value.where == "/a/1"


def test_atomic_write_leaves_no_temp_and_replaces(tmp_path):
    p = tmp_path / "d" / "f.json"
    write_atomic(p, "one")
    write_atomic(p, "two")
    assert p.read_text() == "two"
    assert os.listdir(p.parent) == ["f.json"]


def test_footprint_by_city_groups_facilities_and_ixps():
    fp = {"facilities": [{"name": "F1", "city": "Ashburn", "asns": [4134]},
                         {"name": "F2", "city": "Ashburn", "asns": [4809]},
                         {"name": "F3", "city": "Dallas", "asns": [4134]}],
          "ixps": [{"name": "IX", "city": "Dallas", "asns": [4134]}, {"name": "IX2", "city": None, "asns": []}]}
    got = footprint_by_city(fp)
    assert [(c["city"], c["facilities"], c["ixps"], c["asns"]) for c in got] == [
        ("Ashburn", 2, 0, [4134, 4809]), ("Dallas", 1, 1, [4134]), ("(city unknown)", 0, 1, [])]


def test_derived_figures_and_summary_follow_the_analysis(tmp_path):
    a = sample_analysis(seed=5)
    a["entities"][0]["adjacency"]["as_rel"]["customers"] = []
    a["entities"][0]["adjacency"]["cone"]["address_space"]["v4_slash24"] = 81.25
    doc = json.load(open(write(tmp_path, analysis=a)["paths"]["report_json"]))
    d = doc["entities"][0]["derived"]
    assert d["in_country_customers"] == 0 and d["cone_share_v4"] == pytest.approx(0.1)
    assert any("0 networks in US buy transit" in s for s in doc["entities"][0]["summary"])
    assert doc["coverage"]["unresolved"]["vantage_points_unknown_country"] == 5
    assert doc["coverage"]["unresolved"]["prefixes_unknown_country"] == 1


def test_entity_with_nothing_measured_is_undetermined_not_low(tmp_path):
    a = sample_analysis(seed=6)
    ent = a["entities"][2]
    ent["networks"] = []
    for d in ("inbound", "outbound"):
        for fam in ("v4", "v6"):
            ent["exposure"][d][fam] = {k: None for k in ("by_address", "reach_by_address", "by_prefix", "by_path")}
        ent["exposure"][d]["per_origin"] = []
    ent["hegemony"]["country"] = None
    ent["cti"]["entity"] = None
    ent["adjacency"] = {"as_rel": {}, "observed": [], "cone": {}}
    ent["footprint"] = {}
    res = write(tmp_path, analysis=a)
    doc = json.load(open(res["paths"]["report_json"]))
    risk = doc["entities"][2]["risk"]
    # in-country customers is still measured (0), but without any inbound exposure figure a "low"
    # would claim an absence never observed: the default thresholds need one of them
    assert risk["band"] == "undetermined" and risk["drivers"] == []
    assert "none of inbound_by_address, inbound_v6_by_address could be measured" in risk["statement"]
    assert {u["figure"] for u in risk["unmeasured"]} >= {"inbound_by_address", "hegemony", "cti", "cone_share"}
    assert "none of its networks could be found" in doc["entities"][2]["summary"][0]
    html = open(res["paths"]["report_html"], encoding="utf-8").read()
    assert "not measured" in html
