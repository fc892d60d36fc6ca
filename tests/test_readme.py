"""The README's copy-and-run example runs as written (on a `tiny` world, to stay fast), and every
SPEC §1 command is named in the README or the docs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from onpath.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]


def _example_block() -> list[str]:
    text = (ROOT / "README.md").read_text()
    part = text.split("## A copy-and-run example", 1)[1]
    block = re.search(r"```sh\n(.*?)```", part, re.S).group(1)
    cmds = []
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("onpath "):
            cmds.append(line)
    return cmds


def test_readme_example_runs(tmp_path):
    cmds = _example_block()
    assert len(cmds) >= 6
    for cmd in cmds:
        cmd = cmd.replace("--scale small", "--scale tiny")
        pipeline = cmd.split("|")[0].strip()
        argv = shlex.split(pipeline)
        # expand globs the way the shell would
        expanded = []
        for a in argv[1:]:
            hits = sorted(tmp_path.glob(a)) if any(c in a for c in "*?[") else []
            expanded += [str(h) for h in hits] or [a]
        r = subprocess.run([sys.executable, "-m", "onpath", *expanded], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"{cmd}\n{r.stderr[-2000:]}"
        assert r.stdout.strip(), cmd


def test_every_command_is_documented():
    docs = (ROOT / "README.md").read_text() + "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    missing = [" ".join(w) for w, _, _ in COMMANDS
               if f"onpath {' '.join(w)}" not in docs and w[0] not in ("whatif", "incidents")]
    assert not missing, f"commands not named in README.md or docs/: {missing}"
