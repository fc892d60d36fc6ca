"""`onpath assess` end to end on the hand-made world of tests/test_metrics_world.py.

That world's figures are computed by hand there (wnet: inbound by address 3/5, reach 3/5); here we
check that the report carries them, bands them by the documented thresholds, and is stable.
"""

from __future__ import annotations

import json

import pytest
from test_metrics_world import world

from onpath.cli import main
from onpath.report import assess
from onpath.report.schema import validate


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assess")
    snap, wl = world(tmp)
    return tmp, snap, wl


def _ent(doc, eid):
    return next(e for e in doc["entities"] if e["id"] == eid)


def test_cli_writes_a_valid_stable_report(made, capsys):
    tmp, snap, wl = made
    outs = []
    for n in (1, 2):
        rc = main(["assess", "--snapshot", str(snap.root), "--country", "us", "--watchlist", str(wl),
                   "--out", str(tmp / f"out{n}"), "--format", "json", "--quiet"])
        assert rc == 0
        outs.append(json.loads(capsys.readouterr().out))
    a, b = ((tmp / f"out{n}" / "report.json").read_bytes() for n in (1, 2))
    assert a == b
    doc = json.loads(a)
    validate(doc)
    assert doc["country"] == "US" and doc["synthetic"] is False and doc["snapshot"]["date"] == "2025-01-01"
    assert doc["watchlist"] == {"name": "test", "description": "", "source": "wl.toml"}
    w = _ent(doc, "wnet")
    assert w["exposure"]["inbound"]["v4"]["by_address"] == pytest.approx(0.6)
    # 0.6 >= 0.15 (high) for inbound by address; reach 0.6 >= 0.5 (high)
    assert w["risk"]["band"] == "high"
    drivers = {d["figure"]: d for d in w["risk"]["drivers"]}
    assert {"inbound_by_address", "inbound_reach"} <= set(drivers)
    assert drivers["inbound_by_address"]["threshold"] == 0.15 and drivers["inbound_reach"]["threshold"] == 0.5
    summary = outs[0]["summary"]
    assert [e["id"] for e in summary["entities"]] == [e["id"] for e in doc["entities"]]
    assert next(e for e in summary["entities"] if e["id"] == "wnet")["band"] == "high"
    run = json.loads((tmp / "out1" / "run.json").read_text())
    assert run["arguments"]["country"] == "US" and run["started_at"] and run["report_json_sha256"]
    html = (tmp / "out1" / "report.html").read_text()
    assert "W Net" in html and "synthetic-banner" not in html.split("</style>")[1]


def test_table_format_and_thresholds_override(made, capsys):
    tmp, snap, wl = made
    th = tmp / "strict.toml"
    th.write_text('bands = ["ok", "watch"]\n[[figure]]\nid = "inb"\npath = "exposure.inbound.v4.by_address"\n'
                  'label = "inbound"\nwatch = 0.7\n')
    rc = main(["assess", "--snapshot", str(snap.root), "--country", "US", "--watchlist", str(wl),
               "--out", str(tmp / "t"), "--thresholds", str(th)])
    assert rc == 0
    cap = capsys.readouterr()
    assert "onpath assess:" in cap.err  # progress on stderr
    line = next(ln for ln in cap.out.splitlines() if ln.startswith("W Net"))
    assert " ok " in line and "60.0%" in line
    doc = json.loads((tmp / "t" / "report.json").read_text())
    w = _ent(doc, "wnet")
    assert w["risk"]["band"] == "ok" and w["risk"]["drivers"][0]["threshold"] == 0.7
    assert doc["risk_thresholds"]["source"] == "strict.toml"


def test_python_api_for_the_demo(made):
    tmp, snap, wl = made
    res = assess(snap.root, "US", str(wl), tmp / "api", progress=False)
    assert set(res["paths"]) == {"report_json", "report_html", "run_json"}
    assert res["summary"]["country"] == "US"
    assert (tmp / "api" / "report.html").stat().st_size > 10_000
