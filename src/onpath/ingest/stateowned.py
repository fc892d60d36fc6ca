"""State-owned operators: the IMC 2021 dataset (Carisimo et al., ``state_owned_ases.csv`` and
``minority_state_owned_ases.csv``), one row per AS.

Columns read: ``asn``, ``conglomerate``, ``org_id``, ``org_name``, ``ownership_cc``, ``target_cc``
(the country of a foreign subsidiary; empty -> null), ``source``, ``url``; extra columns are ignored.

References
----------
E. Carisimo, A. Gamero-Garrido, A. C. Snoeren, A. Dainotti, "Identifying ASes of State-Owned Internet
Operators", ACM IMC 2021, doi:10.1145/3487552.3487822.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.errors import SchemaMismatch
from onpath.ingest.base import LoadContext, text_lines
from onpath.ingest.textfmt import Columns, atomic_text, parse_asn, rows_of
from onpath.models.tables import STATE_OWNED

KIND = "state-owned"
TABLE = "state_owned"

HEADER = ["asn", "conglomerate", "org_id", "org_name", "ownership_cc", "ownership_country_name", "rir",
          "source", "quote", "quote_lang", "url", "additional_info", "inputs", "parent_org", "target_cc",
          "target_country_name"]
_NEED = ("asn", "conglomerate", "org_id", "org_name", "ownership_cc")


def detect(head: bytes, name: str) -> bool:
    """True when the CSV header has the dataset's ``asn,conglomerate,org_id,org_name`` columns."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower().split(",")
    return all(c in first for c in _NEED) and first[0] == "asn"


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("state_owned", batch)``.

    Parameters
    ----------
    path : str or Path
        ``state_owned_ases.csv`` or ``minority_state_owned_ases.csv`` (or a file with those columns).
    ctx : LoadContext
        Policy and counters; bad lines rejected with their (first) line number.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``STATE_OWNED`` batches.

    Raises
    ------
    SchemaMismatch
        When the header lacks the dataset's columns.
    """
    cols = Columns(STATE_OWNED)
    with text_lines(path) as f:
        rd = csv.reader(f)
        header: list[str] | None = None
        start = 1
        for rec in rd:
            no, start = start, rd.line_num + 1
            if not rec or not "".join(rec).strip():
                continue
            if header is None:
                header = [h.strip().lower() for h in rec]
                missing = [c for c in _NEED if c not in header]
                if missing:
                    raise SchemaMismatch(f"state-owned CSV lacks columns {missing}", file=str(path), where=no)
                continue
            raw = ",".join(rec).encode()
            if len(rec) != len(header):
                ctx.reject(no, f"expected {len(header)} fields, got {len(rec)}", raw)
                continue
            r = dict(zip(header, rec, strict=True))
            try:
                asn = parse_asn(r["asn"])
            except ValueError as e:
                ctx.reject(no, str(e), raw)
                continue
            own = r["ownership_cc"].strip().upper()
            if len(own) != 2 or not own.isalpha():
                ctx.reject(no, f"bad ownership_cc {r['ownership_cc']!r}", raw)
                continue
            ctx.records += 1
            if cols.add(asn, r["conglomerate"] or None, r["org_id"] or None, r["org_name"] or None, own,
                        (r.get("target_cc") or "").strip().upper() or None, r.get("source") or None,
                        r.get("url") or None):
                yield TABLE, cols.batch()
    if len(cols):
        yield TABLE, cols.batch()


def write_state_owned_csv(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path) -> Path:
    """Write rows in the dataset's CSV layout (its full header; absent columns left empty).

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``STATE_OWNED`` columns (more are written when their names are in the header).
    path : str or Path
        Output file (atomic; .gz/.bz2 by name).

    Returns
    -------
    Path
        `path`.
    """
    with atomic_text(path) as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(HEADER)
        for r in rows_of(rows):
            w.writerow(["" if r.get(c) is None else str(r[c]) for c in HEADER])
    return Path(path)
