"""Slow: world generate -> ingest -> assess on a tiny SYNTHETIC world, twice; report stable and marked."""

from __future__ import annotations

import json
import re

import pytest

from onpath.cli import main
from onpath.report.schema import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("world")
    assert main(["world", "generate", "--scale", "tiny", "--seed", "3", "--out", str(tmp / "world"), "--quiet"]) == 0
    assert main(["ingest", str(tmp / "world"), "--snapshot", str(tmp / "snap")]) == 0
    return tmp


def test_assess_on_a_synthetic_world(snapshot, capsys):
    tmp = snapshot
    for n in (1, 2):
        assert main(["assess", "--snapshot", str(tmp / "snap"), "--country", "US", "--out", str(tmp / f"r{n}"),
                     "--format", "json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])["summary"]
    a, b = ((tmp / f"r{n}" / "report.json").read_bytes() for n in (1, 2))
    assert a == b
    doc = json.loads(a)
    validate(doc)
    assert doc["synthetic"] is True and summary["synthetic"] is True
    assert [e["id"] for e in doc["entities"]] == ["china-telecom", "china-mobile", "china-unicom"]
    for e in doc["entities"]:
        assert e["networks"], e["id"]
        assert e["risk"]["band"] in ("low", "moderate", "elevated", "high")
        assert e["risk"]["drivers"]
        for d in e["risk"]["drivers"]:  # every driver's value is the figure at its path
            cur = e
            for k in d["path"].split("."):
                cur = cur[k]
            assert cur == pytest.approx(d["value"])
    ages = {d["kind"]: d["age_days"] for d in doc["coverage"]["datasets"]}
    assert ages["mrt"] == 0
    html = (tmp / "r1" / "report.html").read_text()
    sections = re.findall(r"<section\b.*?</section>", html, flags=re.S)
    assert len(sections) == 3 + len(doc["entities"]) and all("synthetic-banner" in s for s in sections)
    assert (tmp / "r1" / "report.html").read_bytes() == (tmp / "r2" / "report.html").read_bytes()
