"""Canonical JSON for reports: fixed float rounding, sorted keys, atomic writes.

Same inputs must give a byte-identical ``report.json`` (SPEC §5), so every float is rounded to a
fixed number of decimals, ``-0.0`` becomes ``0.0``, keys are sorted and the text ends in one newline.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from onpath.errors import SchemaMismatch

DECIMALS = 6


def canonical(value: Any, *, decimals: int = DECIMALS, where: str = "") -> Any:
    """A copy of ``value`` with floats rounded, tuples as lists and mapping keys as strings.

    Raises
    ------
    SchemaMismatch
        For NaN or infinite floats and for values JSON cannot hold, naming the field.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SchemaMismatch(f"{value!r} is not a finite number", file="report.json", where=where or "/")
        r = round(value, decimals)
        return 0.0 if r == 0 else r
    if isinstance(value, Mapping):
        return {str(k): canonical(v, decimals=decimals, where=f"{where}/{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v, decimals=decimals, where=f"{where}/{i}") for i, v in enumerate(value)]
    # numpy scalars and similar: anything with item() that gives a plain value
    item = getattr(value, "item", None)
    if callable(item):
        return canonical(item(), decimals=decimals, where=where)
    raise SchemaMismatch(f"{type(value).__name__} is not JSON", file="report.json", where=where or "/")


def dumps(value: Any) -> str:
    """Canonical text: sorted keys, two-space indent, UTF-8 characters kept, one final newline."""
    return json.dumps(canonical(value), sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then ``os.replace`` it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
