"""RIR statistics exchange format: ``delegated-<rir>[-extended]-YYYYMMDD`` of AFRINIC, APNIC, ARIN,
LACNIC, RIPE NCC, and IANA's ``delegated-iana-latest``.

Lines: ``#`` comments; a version line ``2[.3]|registry|serial|records|startdate|enddate|UTCoffset``;
summaries ``registry|*|type|*|count|summary``; records
``registry|cc|type|start|value|date|status[|opaque_id[|extensions...]]``. Real differences handled:
APNIC and IANA publish the 7-field (non-extended) form; IANA's ``status`` is the RIR the block went to
(``arin``, ``ripencc``, ``ietf``...); LACNIC's ``available``/``reserved`` rows have an empty ``cc``
and ``date`` (AFRINIC and ARIN write ``ZZ``); RIPE NCC writes ``EU`` for some blocks and dates of
``00000000``; ARIN's extended file carries ``available``/``reserved`` rows for unassigned space.
Empty ``cc``/``date`` and ``00000000`` become null; ``ZZ`` is kept (it means: no country).

References
----------
https://www.apnic.net/about-apnic/corporate-documents/documents/resource-guidelines/rir-statistics-exchange-format/
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.ingest.base import LoadContext, text_lines
from onpath.ingest.textfmt import Columns, atomic_text, rows_of
from onpath.models.tables import RIR

KIND = "rir"
TABLE = "rir"

REGISTRIES = ("afrinic", "apnic", "arin", "iana", "lacnic", "ripencc")
TYPES = ("asn", "ipv4", "ipv6")
_VERSION = re.compile(rb"^\d+(\.\d+)?\|(afrinic|apnic|arin|iana|lacnic|ripencc|ripe)\|", re.M)
_RECORD = re.compile(rb"^(afrinic|apnic|arin|iana|lacnic|ripencc)\|[A-Za-z*]{0,2}\|(asn|ipv4|ipv6)\|", re.M)
_IPV4 = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")


def detect(head: bytes, name: str) -> bool:
    """True when `head` has a delegated-stats version line or record lines."""
    return bool(_VERSION.search(head)) or len(_RECORD.findall(head)) >= 2


def _start_ok(typ: str, start: str) -> bool:
    if typ == "asn":
        return start.isdigit() and int(start) <= 0xFFFFFFFF
    if typ == "ipv4":
        return bool(_IPV4.match(start)) and all(int(x) <= 255 for x in start.split("."))
    return ":" in start and all(c in "0123456789abcdefABCDEF:." for c in start)


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("rir", batch)``: one row per resource record (version, summary, comments left out).

    Parameters
    ----------
    path : str or Path
        A delegated(-extended) file, plain or compressed.
    ctx : LoadContext
        Policy and counters; bad lines are rejected with their line numbers.

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``RIR`` batches. ``value`` is the ASN count, the IPv4 address count or the IPv6 prefix length.
    """
    cols = Columns(RIR)
    seen_version = False
    with text_lines(path) as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            p = line.split("|")
            if not seen_version and len(p) >= 6 and re.fullmatch(r"\d+(\.\d+)?", p[0]) and p[1]:
                seen_version = True
                continue
            if len(p) >= 6 and p[1] == "*" and p[5] == "summary":
                continue
            if len(p) < 7:
                ctx.reject(no, f"record needs at least 7 |-separated fields, got {len(p)}", line.encode())
                continue
            reg, cc, typ, start, value, date, status = p[:7]
            opaque = p[7] if len(p) > 7 and p[7] else None
            if reg.lower() not in REGISTRIES:
                ctx.reject(no, f"unknown registry {reg!r}", line.encode())
                continue
            if typ not in TYPES:
                ctx.reject(no, f"unknown type {typ!r}", line.encode())
                continue
            if not _start_ok(typ, start):
                ctx.reject(no, f"bad {typ} start {start!r}", line.encode())
                continue
            if not value.isdigit() or (typ == "ipv6" and int(value) > 128):
                ctx.reject(no, f"bad value {value!r}", line.encode())
                continue
            if date and not (date.isdigit() and len(date) == 8):
                ctx.reject(no, f"bad date {date!r}", line.encode())
                continue
            if cc and not re.fullmatch(r"[A-Za-z]{2}", cc):
                ctx.reject(no, f"bad country code {cc!r}", line.encode())
                continue
            ctx.records += 1
            if cols.add(reg.lower(), cc.upper() or None, typ, start, int(value),
                        None if date in ("", "00000000") else date, status or None, opaque):
                yield TABLE, cols.batch()
    if len(cols):
        yield TABLE, cols.batch()


def write_rir_extended(registry: str, rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                       date: str, extended: bool = True) -> Path:
    """Write a ``delegated-<registry>-extended`` file: version line, summaries, records.

    Parameters
    ----------
    registry : str
        ``afrinic``, ``apnic``, ``arin``, ``lacnic`` or ``ripencc``.
    rows : iterable of dict or pyarrow.Table
        ``cc``, ``type``, ``start``, ``value``, ``date`` (YYYYMMDD or None), ``status``, ``opaque_id``.
    path : str or Path
        Output file (atomic; .gz/.bz2 by name).
    date : str
        The file's date, ``YYYYMMDD`` or ``YYYY-MM-DD``.
    extended : bool
        False writes the 7-field form (no opaque id), as APNIC's plain file.

    Returns
    -------
    Path
        `path`.
    """
    d = date.replace("-", "")
    rs = list(rows_of(rows))
    counts = {t: sum(1 for r in rs if r["type"] == t) for t in TYPES}
    dates = sorted(r["date"] for r in rs if r.get("date"))
    with atomic_text(path) as out:
        out.write(f"{'2.3' if extended else '2'}|{registry}|{d}|{len(rs)}|{dates[0] if dates else '00000000'}|{d}|+0000\n")
        for t in TYPES:
            out.write(f"{registry}|*|{t}|*|{counts[t]}|summary\n")
        for r in rs:
            f = [registry, r.get("cc") or "", r["type"], str(r["start"]), str(int(r["value"])),
                 r.get("date") or "", r.get("status") or ""]
            if extended:
                f.append(r.get("opaque_id") or "")
            out.write("|".join(f) + "\n")
    return Path(path)
