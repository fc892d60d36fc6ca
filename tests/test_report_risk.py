"""Risk bands: thresholds at, below and above each edge; unmeasured figures; bad threshold files."""

from __future__ import annotations

import pytest

from onpath.errors import SchemaMismatch
from onpath.report.risk import UNDETERMINED, assess_risk, load_thresholds

TOML = """
format = "onpath.risk-thresholds/1"
bands = ["low", "moderate", "elevated", "high"]
[[figure]]
id = "inb"
path = "exposure.inbound.v4.by_address"
label = "inbound"
moderate = 0.01
elevated = 0.05
high = 0.15
[[figure]]
id = "cust"
path = "derived.in_country_customers"
label = "customers"
unit = "count"
moderate = 1
elevated = 10
high = 50
"""


@pytest.fixture
def th(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text(TOML)
    return load_thresholds(p)


def ent(inb=None, cust=None):
    e = {"exposure": {"inbound": {"v4": {}}}, "derived": {}}
    if inb is not None:
        e["exposure"]["inbound"]["v4"]["by_address"] = inb
    if cust is not None:
        e["derived"]["in_country_customers"] = cust
    return e


@pytest.mark.parametrize("value, band", [
    (0.0, "low"), (0.0099999, "low"), (0.01, "moderate"), (0.0499999, "moderate"), (0.05, "elevated"),
    (0.15, "high"), (1.0, "high"),
])
def test_band_edges_are_inclusive(th, value, band):
    r = assess_risk(ent(inb=value, cust=0), th)
    assert r["band"] == band
    inb = next(f for f in r["figures"] if f["figure"] == "inb")
    assert inb["band"] == band


def test_drivers_name_the_figure_and_threshold_crossed(th):
    r = assess_risk(ent(inb=0.07, cust=12), th)
    assert r["band"] == "elevated"
    assert [(d["figure"], d["value"], d["threshold"], d["comparison"]) for d in r["drivers"]] == [
        ("inb", 0.07, 0.05, ">="), ("cust", 12.0, 10.0, ">=")]
    assert "inbound is 7.00% (>= 5.00%)" in r["statement"] and "customers is 12 (>= 10)" in r["statement"]


def test_only_the_highest_band_figures_drive(th):
    r = assess_risk(ent(inb=0.2, cust=3), th)
    assert r["band"] == "high" and [d["figure"] for d in r["drivers"]] == ["inb"]
    cust = next(f for f in r["figures"] if f["figure"] == "cust")
    assert (cust["band"], cust["threshold"], cust["next_threshold"]) == ("moderate", 1.0, 10.0)


def test_low_band_is_never_bare(th):
    r = assess_risk(ent(inb=0.001, cust=0), th)
    assert r["band"] == "low"
    assert [(d["figure"], d["threshold"], d["comparison"]) for d in r["drivers"]] == [
        ("inb", 0.01, "<"), ("cust", 1.0, "<")]
    assert "no figure reached a higher threshold" in r["statement"]


def test_unmeasured_figures_do_not_move_the_band(th):
    r = assess_risk(ent(inb=0.06), th)
    assert r["band"] == "elevated"
    assert [u["figure"] for u in r["unmeasured"]] == ["cust"]
    assert "Not measured: cust" in r["statement"]
    r = assess_risk(ent(inb=None, cust=None), th)
    assert r["band"] == UNDETERMINED and r["drivers"] == []


@pytest.mark.parametrize("bad", [float("nan"), True, "0.5", None])
def test_non_numbers_count_as_unmeasured(th, bad):
    e = ent(cust=0)
    e["exposure"]["inbound"]["v4"]["by_address"] = bad
    r = assess_risk(e, th)
    assert [u["figure"] for u in r["unmeasured"]] == ["inb"]


def test_default_thresholds_load_and_are_recorded():
    th = load_thresholds()
    assert th.bands == ("low", "moderate", "elevated", "high")
    assert {f.id for f in th.figures} >= {"inbound_by_address", "outbound_by_address", "hegemony", "cti"}
    r = assess_risk(ent(inb=0.02), th, "high")
    assert r["thresholds"]["sha256"] == th.sha256 and r["confidence"] == "high"


@pytest.mark.parametrize("edit, where", [
    (lambda s: s.replace("elevated = 0.05", "elevated = 0.005"), "figure[0].elevated"),
    (lambda s: s.replace("high = 50", ""), "figure[1].high"),
    (lambda s: s.replace('id = "cust"', 'id = "inb"'), "figure[1].id"),
    (lambda s: s.replace('unit = "count"', 'unit = "kg"'), "figure[1].unit"),
    (lambda s: s.replace('bands = ["low", "moderate", "elevated", "high"]', 'bands = ["low"]'), "bands"),
    (lambda s: s.replace("format = ", "format = 'x' #"), "format"),
])
def test_bad_threshold_files_name_the_key(tmp_path, edit, where):
    p = tmp_path / "bad.toml"
    p.write_text(edit(TOML))
    with pytest.raises(SchemaMismatch) as e:
        load_thresholds(p)
    assert e.value.file == "bad.toml" and e.value.where == where


def test_not_toml(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text("bands = [")
    with pytest.raises(SchemaMismatch):
        load_thresholds(p)


def test_needs_one_of(tmp_path):
    p = tmp_path / "n.toml"
    p.write_text(TOML.replace('bands = [', 'needs_one_of = ["inb"]\nbands = ['))
    th = load_thresholds(p)
    assert th.needs_one_of == ("inb",)
    r = assess_risk(ent(inb=None, cust=60), th)
    assert r["band"] == UNDETERMINED and r["drivers"] == [] and "none of inb" in r["statement"]
    assert assess_risk(ent(inb=0.0, cust=60), th)["band"] == "high"
    p.write_text(TOML.replace('bands = [', 'needs_one_of = ["nope"]\nbands = ['))
    with pytest.raises(SchemaMismatch) as e:
        load_thresholds(p)
    assert e.value.where == "needs_one_of"


def _doc_cell(v: float, unit: str) -> str:
    if unit == "count":
        return f"{v:g}"
    return f"{v * 100:g} %"


def test_docs_table_matches_the_default_thresholds():
    """docs/report.md explains every default threshold, with the values the file holds."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text(encoding="utf-8")
    th = load_thresholds()
    for f in th.figures:
        row = next((ln for ln in doc.splitlines() if ln.startswith("|") and f"`{f.path}`" in ln), None)
        assert row is not None, f.path
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1:4] == [_doc_cell(v, f.unit) for _, v in f.thresholds], f.path
