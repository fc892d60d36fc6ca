"""`onpath assess` on the command line: help with an example, usage errors, one-line errors."""

from __future__ import annotations

import json

import pytest

from onpath.cli import main


def test_help_ends_with_an_example(capsys):
    with pytest.raises(SystemExit) as e:
        main(["assess", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out.rstrip()
    assert out.splitlines()[-1].startswith("example: onpath assess --snapshot")
    for opt in ("--snapshot", "--country", "--watchlist", "--out", "--format", "--thresholds"):
        assert opt in out


def test_missing_snapshot_is_a_usage_error(tmp_path, capsys):
    rc = main(["assess", "--snapshot", str(tmp_path / "nope"), "--country", "US", "--out", str(tmp_path / "o")])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("onpath: error: ") and "manifest.json missing" in err[0]


def _empty_snapshot(tmp_path):
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "manifest.json").write_text(json.dumps({"format": "onpath.snapshot/1", "date": None, "datasets": []}))
    return snap


def test_bad_country_code(tmp_path, capsys):
    rc = main(["assess", "--snapshot", str(_empty_snapshot(tmp_path)), "--country", "USA", "--out", str(tmp_path)])
    assert rc == 2 and "ISO 3166-1" in capsys.readouterr().err


def test_bad_thresholds_file_names_file_and_key(tmp_path, capsys):
    th = tmp_path / "mine.toml"
    th.write_text('bands = ["low", "high"]\n[[figure]]\nid = "x"\npath = "a.b"\n')
    rc = main(["assess", "--snapshot", str(_empty_snapshot(tmp_path)), "--country", "US", "--out",
               str(tmp_path / "o"), "--thresholds", str(th)])
    assert rc == 1
    err = capsys.readouterr().err.strip()
    assert err == "onpath: error: mine.toml:figure[0].high: threshold for band 'high' must be a number"
    assert not (tmp_path / "o").exists()
