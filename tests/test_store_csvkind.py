"""A tiny loader of a test-only text kind, so the store is tested without the real loaders.

Format: first line `#onpath-test-csv`, then `asn1|asn2|rel` lines (as-rel table). A line that does
not parse is a bad record (its 1-based line number is the offset). Registered by the tests through
`onpath.ingest.base.LOADER_MODULES`; also used by the SIGKILL test's subprocess.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa

from onpath.ingest.base import LoadContext, text_lines
from onpath.models.tables import AS_REL

KIND = "test-csv"
MAGIC = b"#onpath-test-csv"
BATCH = 50_000


def detect(head: bytes, name: str) -> bool:
    return head.startswith(MAGIC)


def _batch(a, b, r, src):
    return pa.RecordBatch.from_arrays(
        [pa.array(a, pa.uint32()), pa.array(b, pa.uint32()), pa.array(r, pa.int8()), pa.array([src] * len(a), pa.string())],
        schema=AS_REL,
    )


def load(path: Path, ctx: LoadContext):
    a, b, r = [], [], []
    with text_lines(path) as f:
        for lineno, line in enumerate(f, 1):
            if lineno == 1 or not line.strip():
                continue
            try:
                x, y, z = (int(v) for v in line.rstrip("\n").split("|"))
            except ValueError:
                ctx.reject(lineno, f"bad line {line.strip()[:40]!r}", line.encode())
                continue
            a.append(x)
            b.append(y)
            r.append(z)
            ctx.records += 1
            if len(a) >= BATCH:
                yield "as_rel", _batch(a, b, r, "test")
                a, b, r = [], [], []
    if a:
        yield "as_rel", _batch(a, b, r, "test")


def write(path: Path, n: int, bad_every: int = 0, seed: int = 0) -> Path:
    """Write a file of `n` records (every `bad_every`-th line damaged when > 0)."""
    lines = [MAGIC.decode()]
    for i in range(n):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append(f"{i}|x|y")
        else:
            lines.append(f"{(i * 7 + seed) % 65000 + 1}|{i % 5000 + 1}|{-1 if i % 3 else 0}")
    Path(path).write_text("\n".join(lines) + "\n")
    return Path(path)


def register(monkeypatch) -> None:
    """Put this module first in the loader registry."""
    import onpath.ingest.base as base

    sys.modules.setdefault("test_store_csvkind", sys.modules[__name__])
    monkeypatch.setattr(base, "LOADER_MODULES", [__name__, *base.LOADER_MODULES])


def test_detect_and_write(tmp_path):
    p = write(tmp_path / "x.txt", 10, bad_every=4)
    assert detect(p.read_bytes()[:100], p.name)
    ctx = LoadContext(str(p), warn=False)
    rows = sum(b.num_rows for _, b in load(p, ctx))
    assert rows == ctx.records == 8 and ctx.rejected == 2
