"""report.json is validated against the packaged onpath.report/1 schema before anything is written."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from onpath.errors import SchemaMismatch
from onpath.report import report_from_analysis
from onpath.report.build import build_report, snapshot_header
from onpath.report.canon import canonical
from onpath.report.risk import load_thresholds
from onpath.report.sample import sample_analysis, sample_datasets
from onpath.report.schema import errors, report_schema, validate

DATASETS = sample_datasets()


def report(analysis=None, synthetic=True):
    head = snapshot_header("snap", "2025-01-01", DATASETS)
    return canonical(build_report(analysis or sample_analysis(), head, synthetic, load_thresholds()))


def test_schema_is_a_valid_draft_2020_12_schema():
    s = report_schema()
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$id"] == "onpath.report/1"


def test_built_report_validates():
    rep = report()
    assert errors(rep) == []
    validate(rep)
    assert rep["schema"] == "onpath.report/1"


@pytest.mark.parametrize("breaker, pointer", [
    (lambda r: r["entities"][0]["risk"].pop("band"), "/entities/0/risk"),
    (lambda r: r["entities"][1]["exposure"]["inbound"]["v4"].__setitem__("by_address", 1.5),
     "/entities/1/exposure/inbound/v4/by_address"),
    (lambda r: r.__setitem__("country", "usa"), "/country"),
    (lambda r: r["snapshot"]["datasets"][0].__setitem__("sha256", "xyz"), "/snapshot/datasets/0/sha256"),
    (lambda r: r["entities"][2]["networks"][0].__setitem__("reasons", []), "/entities/2/networks/0/reasons"),
    (lambda r: r["entities"][0]["risk"].__setitem__("drivers", []), "/entities/0/risk/drivers"),
    (lambda r: r.pop("synthetic"), "/"),
])
def test_broken_report_fails_naming_the_field(breaker, pointer):
    rep = copy.deepcopy(report())
    breaker(rep)
    with pytest.raises(SchemaMismatch) as e:
        validate(rep)
    assert e.value.where == pointer
    assert e.value.line().startswith(f"report.json:{pointer}: does not match onpath.report/1")


def test_invalid_report_writes_nothing(tmp_path):
    bad = sample_analysis()
    bad["entities"][0]["confidence"]["level"] = "certain"
    with pytest.raises(SchemaMismatch) as e:
        report_from_analysis(bad, snapshot_name="s", snapshot_date="2025-01-01", datasets=DATASETS,
                             synthetic=True, out_dir=tmp_path / "out")
    assert e.value.where == "/entities/0/confidence/level"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_nan_is_refused_naming_the_field():
    a = sample_analysis()
    a["entities"][0]["hegemony"]["country"] = float("nan")
    with pytest.raises(SchemaMismatch) as e:
        report(a)
    assert e.value.where == "/entities/0/hegemony/country"


def test_written_report_validates_with_plain_jsonschema(tmp_path):
    res = report_from_analysis(sample_analysis(seed=7), snapshot_name="s", snapshot_date="2025-01-01",
                               datasets=DATASETS, synthetic=True, out_dir=tmp_path)
    doc = json.loads(open(res["paths"]["report_json"], encoding="utf-8").read())
    jsonschema.validate(doc, report_schema())
