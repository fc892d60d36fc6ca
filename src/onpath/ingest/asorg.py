"""CAIDA AS-to-Organization: the pipe-separated ``as-org2info.txt`` and the ``jsonl`` format.

txt: two sections, ``# format:org_id|changed|org_name|country|source`` then
``# format:aut|changed|aut_name|org_id|opaque_id|source``. jsonl: one object per line,
``{"type": "Organization", "organizationId", "name", "country", "changed", "source"}`` or
``{"type": "ASN", "asn", "name", "organizationId", "opaqueId", "changed", "source"}`` (any of the
optional keys may be absent). Output: one ``as_org`` row per ASN record, joined to its organisation.

References
----------
https://publicdata.caida.org/datasets/as-organizations/README.txt
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.ingest.asorg_fast import fast_jsonl
from onpath.ingest.base import LoadContext, text_lines
from onpath.ingest.textfmt import BATCH_ROWS, Columns, atomic_text, rows_of
from onpath.models.tables import AS_ORG

KIND = "as-org"
TABLE = "as_org"

ORG_FORMAT = "org_id|changed|org_name|country|source"
AUT_FORMAT = "aut|changed|aut_name|org_id|opaque_id|source"
_JSON_HEAD = re.compile(rb'^\{[^\n]*"type"\s*:\s*"(Organization|ASN)"')


def detect(head: bytes, name: str) -> bool:
    """True for an as-org2info txt (its ``# format:`` lines) or jsonl (Organization/ASN objects)."""
    if b"# format:org_id|changed|org_name|country|source" in head or b"# format:aut|changed|aut_name|org_id" in head:
        return True
    first = head.lstrip().split(b"\n", 1)[0]
    return bool(_JSON_HEAD.match(first)) and b'"organizationId"' in first


def _txt(path: Path, ctx: LoadContext, orgs: dict, auts: list) -> None:
    section = None
    with text_lines(path) as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            if line.startswith("#"):
                m = line[1:].strip()
                if m.startswith("format:"):
                    fmt = m[len("format:"):].strip()
                    section = "org" if fmt.startswith("org_id|") else "aut" if fmt.startswith("aut|") else None
                continue
            p = line.split("|")
            if section == "org":
                if len(p) != 5:
                    ctx.reject(no, f"organization line needs 5 |-separated fields, got {len(p)}", line.encode())
                    continue
                orgs[p[0]] = (p[2] or None, p[3] or None)
            elif section == "aut":
                if len(p) != 6:
                    ctx.reject(no, f"ASN line needs 6 |-separated fields, got {len(p)}", line.encode())
                    continue
                if not p[0].isdigit() or int(p[0]) > 0xFFFFFFFF:
                    ctx.reject(no, f"bad ASN {p[0]!r}", line.encode())
                    continue
                auts.append((int(p[0]), p[3], p[5] or None, p[2] or None))
            else:
                ctx.reject(no, "data line before any '# format:' line", line.encode())


def _jsonl(path: Path, ctx: LoadContext, orgs: dict, auts: list) -> None:
    with text_lines(path) as f:
        for no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                ctx.reject(no, f"bad JSON: {e.msg} at column {e.colno}", line.encode())
                continue
            if not isinstance(d, dict):
                ctx.reject(no, "line is not a JSON object", line.encode())
                continue
            t = d.get("type")
            oid = d.get("organizationId")
            if t == "Organization":
                if not isinstance(oid, str) or not oid:
                    ctx.reject(no, "Organization without organizationId", line.encode())
                    continue
                orgs[oid] = (d.get("name") or None, d.get("country") or None)
            elif t == "ASN":
                a = d.get("asn")
                try:
                    asn = int(a)  # type: ignore[arg-type]  # None -> TypeError, caught
                    if not 0 <= asn <= 0xFFFFFFFF or isinstance(a, bool):
                        raise ValueError
                except (TypeError, ValueError):
                    ctx.reject(no, f"bad asn {a!r}", line.encode())
                    continue
                if not isinstance(oid, str) or not oid:
                    ctx.reject(no, "ASN without organizationId", line.encode())
                    continue
                auts.append((asn, oid, d.get("source") or None, d.get("name") or None))
            else:
                ctx.reject(no, f"unknown record type {t!r}", line.encode())


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("as_org", batch)``: one row per ASN with its organisation's name and country.

    Parameters
    ----------
    path : str or Path
        An ``as-org2info.txt`` or ``.jsonl`` file (plain, .gz or .bz2).
    ctx : LoadContext
        Policy and counters; bad lines are rejected with their line numbers.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``AS_ORG`` batches; ``source`` is the ASN record's source (``ARIN``, ``RIPE``, ...);
        ``org_name``/``country`` are null when the organisation is not in the file.
    """
    p = Path(path)
    orgs: dict[str, tuple[str | None, str | None]] = {}
    auts: list[tuple[int, str, str | None, str | None]] = []
    with text_lines(p) as f:
        first = f.read(4096).lstrip()
    if first.startswith("{"):
        tbl = fast_jsonl(p)
        if tbl is not None:
            ctx.records += tbl.num_rows
            for b in tbl.to_batches(max_chunksize=BATCH_ROWS):
                yield TABLE, b
            return
    (_jsonl if first.startswith("{") else _txt)(p, ctx, orgs, auts)
    cols = Columns(AS_ORG)
    for asn, oid, src, aname in auts:
        oname, cc = orgs.get(oid, (None, None))
        ctx.records += 1
        if cols.add(asn, oid, oname, cc, src, aname):
            yield TABLE, cols.batch()
    if len(cols):
        yield TABLE, cols.batch()


def _orgs_of(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    orgs: dict[str, dict[str, Any]] = {}
    for r in rows:
        orgs.setdefault(r["org_id"], r)
    return orgs


def write_as_org_txt(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                     changed: str = "20250101") -> Path:
    """Write ``as-org2info.txt`` from ``as_org`` rows (atomic; .gz/.bz2 by name).

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``asn``, ``org_id``, ``org_name``, ``country``, ``source``, ``as_name``; organisations are
        the distinct ``org_id`` values (name and country from their first row).
    path : str or Path
        Output file.
    changed : str
        The ``changed`` date (YYYYMMDD) written on every line.

    Returns
    -------
    Path
        `path`.
    """
    rs = list(rows_of(rows))
    with atomic_text(path) as out:
        out.write("# name: AS Org\n# some ASes and organisations (synthetic or trimmed)\n")
        out.write(f"# format:{ORG_FORMAT}\n")
        for oid, r in _orgs_of(rs).items():
            out.write(f"{oid}|{changed}|{r.get('org_name') or ''}|{r.get('country') or ''}|{r.get('source') or ''}\n")
        out.write(f"# format:{AUT_FORMAT}\n")
        for r in rs:
            out.write(f"{int(r['asn'])}|{changed}|{r.get('as_name') or ''}|{r['org_id']}||{r.get('source') or ''}\n")
    return Path(path)


def write_as_org_jsonl(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                       changed: str = "20250101") -> Path:
    """Write ``as-org2info.jsonl`` from ``as_org`` rows; see `write_as_org_txt`."""
    rs = list(rows_of(rows))
    with atomic_text(path) as out:
        for oid, r in _orgs_of(rs).items():
            o = {"changed": changed, "country": r.get("country") or "", "name": r.get("org_name") or "",
                 "organizationId": oid, "source": r.get("source") or "", "type": "Organization"}
            out.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")
        for r in rs:
            a = {"asn": str(int(r["asn"])), "changed": changed, "name": r.get("as_name") or "",
                 "organizationId": r["org_id"], "source": r.get("source") or "", "type": "ASN"}
            out.write(json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n")
    return Path(path)
