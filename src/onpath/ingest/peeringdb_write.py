"""Writers of the PeeringDB formats `onpath.ingest.peeringdb` reads: the full dump and API pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.ingest.textfmt import atomic_text, rows_of


def write_peeringdb_dump(tables: dict[str, list[dict[str, Any]] | pa.Table], path: str | Path) -> Path:
    """Write a full dump in CAIDA's archive layout: ``{"<type>": {"data": [...], "meta": {}}, ...}``.

    Parameters
    ----------
    tables : dict
        Object type (``net``, or table name ``pdb_net``) -> records (dicts, or a ``pdb_*`` table).
        Records may carry more fields than the schema (``social_media``...); they are written as given.
    path : str or Path
        Output file (atomic; .gz/.bz2 by name).

    Returns
    -------
    Path
        `path`.
    """
    with atomic_text(path) as out:
        out.write("{")
        for i, (name, recs) in enumerate(tables.items()):
            t = name.removeprefix("pdb_")
            out.write(("" if i == 0 else ", ") + json.dumps(t) + ': {"data": [')
            for j, r in enumerate(rows_of(recs)):
                out.write(("" if j == 0 else ", ") + json.dumps(r, ensure_ascii=False))
            out.write('], "meta": {}}')
        out.write("}\n")
    return Path(path)


def write_peeringdb_page(records: list[dict[str, Any]] | pa.Table, path: str | Path) -> Path:
    """Write one API page ``{"data": [...], "meta": {}}`` (name the file after its type)."""
    with atomic_text(path) as out:
        out.write('{"data": [' + ", ".join(json.dumps(r, ensure_ascii=False) for r in rows_of(records)) + '], "meta": {}}\n')
    return Path(path)
