"""RPKI validated ROA payloads: routinator/rpki-client CSV (``ASN,IP Prefix,Max Length,Trust Anchor``),
rpki-client/routinator JSON (``{"roas": [{"asn", "prefix", "maxLength", "ta"}]}``), and the RIPE NCC
RPKI archive's ``roas.csv`` (``URI,ASN,IP Prefix,Max Length,Not Before,Not After``; the trust anchor
is read from the URI's host: ``rpki.afrinic.net`` -> ``afrinic``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.errors import MalformedRecord
from onpath.ingest import jsonstream
from onpath.ingest.base import LoadContext, open_maybe_compressed, text_lines
from onpath.ingest.textfmt import Columns, atomic_text, canonical_prefix, parse_asn, rows_of
from onpath.models.tables import VRPS

KIND = "vrp"
TABLE = "vrps"

_CSV_HEAD = re.compile(rb"^\s*(URI,)?ASN,IP Prefix,Max Length", re.I)
_JSON_HEAD = re.compile(rb'^\s*\{\s*"(metadata|roas)"\s*:')
_TAS = ("afrinic", "apnic", "arin", "lacnic", "ripe")


def detect(head: bytes, name: str) -> bool:
    """True for a VRP CSV (its header) or a VRP JSON (``metadata``/``roas`` first key)."""
    if _CSV_HEAD.match(head):
        return True
    return bool(_JSON_HEAD.match(head)) and b'"roas"' in head


def ta_of_uri(uri: str) -> str | None:
    """The trust anchor of a repository URI (``rsync://rpki.afrinic.net/...`` -> ``afrinic``)."""
    m = re.match(r"^[a-z]+://([^/]+)/", uri)
    if not m:
        return None
    host = m.group(1).lower()
    for ta in _TAS:
        if ta in host:
            return ta
    return host


def _row(asn: Any, prefix: Any, maxlen: Any, ta: Any) -> tuple[int, str, int, str | None]:
    a = parse_asn(str(asn)) if not isinstance(asn, int) or isinstance(asn, bool) else asn
    if not 0 <= a <= 0xFFFFFFFF:
        raise ValueError(f"ASN {asn!r} out of range")
    p = canonical_prefix(str(prefix))
    plen = int(p.rsplit("/", 1)[1])
    ml = int(maxlen) if maxlen not in (None, "") else plen
    top = 128 if ":" in p else 32
    if not plen <= ml <= top:
        raise ValueError(f"max length {ml} outside {plen}..{top}")
    return a, p, ml, (str(ta) if ta not in (None, "") else None)


def _csv(path: Path, ctx: LoadContext) -> Iterator[pa.RecordBatch]:
    cols = Columns(VRPS)
    with text_lines(path) as f:
        rd = csv.reader(f)
        header = None
        for rec in rd:
            no = rd.line_num
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue
            if header is None:
                header = [h.strip().lower() for h in rec]
                try:
                    ia, ip, im = header.index("asn"), header.index("ip prefix"), header.index("max length")
                except ValueError:
                    raise MalformedRecord(f"not a VRP CSV header: {','.join(rec)!r}", file=str(path), where=no) from None
                it = header.index("trust anchor") if "trust anchor" in header else None
                iu = header.index("uri") if "uri" in header else None
                continue
            if len(rec) != len(header):
                ctx.reject(no, f"expected {len(header)} fields, got {len(rec)}", ",".join(rec).encode())
                continue
            ta = rec[it] if it is not None else (ta_of_uri(rec[iu]) if iu is not None else None)
            try:
                row = _row(rec[ia], rec[ip], rec[im], ta)
            except ValueError as e:
                ctx.reject(no, str(e), ",".join(rec).encode())
                continue
            ctx.records += 1
            if cols.add(*row):
                yield cols.batch()
    if len(cols):
        yield cols.batch()


def _json(path: Path, ctx: LoadContext) -> Iterator[pa.RecordBatch]:
    cols = Columns(VRPS)
    with open_maybe_compressed(path) as f:
        try:
            for ev, kp, v, off, reason in jsonstream.stream(f):
                if kp[:1] != ("roas",) or len(kp) != 1:
                    continue
                if ev == "bad":
                    ctx.reject(off, reason, v)
                    continue
                if ev != "item":
                    continue
                try:
                    if not isinstance(v, dict):
                        raise ValueError("ROA entry is not an object")
                    row = _row(v.get("asn"), v.get("prefix"), v.get("maxLength"), v.get("ta"))
                except (ValueError, TypeError) as e:
                    ctx.reject(off, f"roa #{ctx.records + ctx.rejected + ctx.skipped + 1}: {e}",
                               json.dumps(v).encode())
                    continue
                ctx.records += 1
                if cols.add(*row):
                    yield cols.batch()
        except jsonstream.JsonSyntax as e:
            ctx.reject(e.offset, str(e))
    if len(cols):
        yield cols.batch()


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("vrps", batch)`` from a VRP CSV or JSON file.

    Parameters
    ----------
    path : str or Path
        routinator/rpki-client CSV, RIPE archive ``roas.csv``, or rpki-client JSON.
    ctx : LoadContext
        Policy and counters; bad CSV lines are rejected by line number, bad JSON entries by byte
        offset of the damage (-1 when the entry is well-formed JSON with a bad value).

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``VRPS`` batches: ``asn``, canonical ``prefix``, ``max_length``, ``ta``.
    """
    p = Path(path)
    with open_maybe_compressed(p) as f:
        head = f.read(256).lstrip()
    gen = _json(p, ctx) if head.startswith(b"{") else _csv(p, ctx)
    for b in gen:
        yield TABLE, b


def write_vrps_csv(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path) -> Path:
    """Write routinator's CSV: ``ASN,IP Prefix,Max Length,Trust Anchor`` with ``AS123`` ASNs.

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``asn``, ``prefix``, ``max_length``, ``ta``.
    path : str or Path
        Output file (atomic; .gz/.bz2 by name).

    Returns
    -------
    Path
        `path`.
    """
    with atomic_text(path) as out:
        out.write("ASN,IP Prefix,Max Length,Trust Anchor\n")
        for r in rows_of(rows):
            out.write(f"AS{int(r['asn'])},{r['prefix']},{int(r['max_length'])},{r.get('ta') or ''}\n")
    return Path(path)


def write_vrps_json(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path,
                    generated: int = 0) -> Path:
    """Write rpki-client's JSON: ``{"metadata": {...}, "roas": [{"asn", "prefix", "maxLength", "ta"}]}``."""
    with atomic_text(path) as out:
        out.write(json.dumps({"metadata": {"buildtime": "", "generated": generated}})[:-1] + ',\n"roas": [')
        first = True
        for r in rows_of(rows):
            o = {"asn": int(r["asn"]), "prefix": r["prefix"], "maxLength": int(r["max_length"]),
                 "ta": r.get("ta") or "", "expires": 0}
            out.write(("\n" if first else ",\n") + "\t" + json.dumps(o))
            first = False
        out.write("\n]}\n")
    return Path(path)
