"""Imports point one way (CONVENTIONS): models <- sources/ingest <- store <- analysis <- report <- cli.

A module may import from its own layer or lower ones, never from a higher one. Checked on the
source text with `ast`, so a violation fails here before it becomes a cycle at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "onpath"

LAYER = {
    "errors": 0, "models": 0, "fsutil": 0, "procmem": 0,
    "sources": 1, "ingest": 1,
    "store": 2,
    "entities": 3, "metrics": 3, "simulate": 3, "incidents": 3, "world": 3,
    "report": 4,
    "web": 5, "cli": 5, "demo": 5, "__main__": 5,
}


def _layer_of(mod: str) -> int | None:
    parts = mod.split(".")
    if parts[0] != "onpath" or len(parts) < 2:
        return None
    return LAYER.get(parts[1])


def test_imports_point_down():
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        me = ".".join(rel.parts)
        mine = _layer_of(me if me != "onpath.__init__" else "onpath.errors")
        if mine is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for n in names:
                theirs = _layer_of(n)
                # the world (layer 3) may use the other layer-3 engines (simulate) and metrics
                if theirs is not None and theirs > mine:
                    bad.append(f"{me} imports {n}")
    assert not bad, "imports against the layer order:\n" + "\n".join(bad)


def test_every_package_is_layered():
    for d in SRC.iterdir():
        if d.is_dir() and (d / "__init__.py").exists():
            assert d.name in LAYER, f"package onpath.{d.name} has no layer in this test"
