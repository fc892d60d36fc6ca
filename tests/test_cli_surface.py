"""Every SPEC §1 command exists, has --help with an example, and a stub says so with exit 3."""

from __future__ import annotations

import subprocess
import sys

import pytest

from onpath.cli import COMMANDS, main


@pytest.mark.parametrize("words", [c[0] for c in COMMANDS], ids=lambda w: " ".join(w))
def test_help_has_example(words, capsys):
    with pytest.raises(SystemExit) as e:
        main([*words, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out.lower() or "(not built yet)" in out


def test_python_dash_m():
    r = subprocess.run([sys.executable, "-m", "onpath", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("onpath ")


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["no-such-command"])
    assert e.value.code == 2
