"""Prefix geolocation: a ``prefix,cc`` CSV, or MaxMind's GeoLite2-Country CSV pair.

GeoLite2: the loader is given ``GeoLite2-Country-Blocks-IPv4.csv`` (or ``-IPv6``) and reads
``GeoLite2-Country-Locations-en.csv`` beside it, joining ``geoname_id`` (else
``registered_country_geoname_id``) to ``country_iso_code``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.errors import SourceUnavailable
from onpath.ingest.base import LoadContext, text_lines
from onpath.ingest.textfmt import Columns, atomic_text, canonical_prefix, rows_of
from onpath.models.tables import GEO

KIND = "geo"
TABLE = "geo"

BLOCKS_HEADER = ["network", "geoname_id", "registered_country_geoname_id", "represented_country_geoname_id",
                 "is_anonymous_proxy", "is_satellite_provider"]
LOCATIONS_HEADER = ["geoname_id", "locale_code", "continent_code", "continent_name", "country_iso_code",
                    "country_name", "is_in_european_union"]
_PLAIN = re.compile(rb"^[0-9a-fA-F:.]+/\d{1,3},[A-Za-z]{2}\s*$")
_CC = re.compile(r"^[A-Za-z]{2}$")


def detect(head: bytes, name: str) -> bool:
    """True for a GeoLite2 Blocks CSV or a ``prefix,cc`` CSV (header optional)."""
    if head.startswith(b"network,geoname_id,registered_country_geoname_id"):
        return True
    lines = [ln.rstrip(b"\r") for ln in head.split(b"\n")[:50] if ln.strip()]
    if lines and lines[0].lower().replace(b" ", b"") in (b"prefix,cc", b"prefix,country"):
        lines = lines[1:]
    lines = lines[:-1] if len(lines) > 1 else lines  # last may be cut
    return bool(lines) and all(_PLAIN.match(ln) for ln in lines)


def locations_path(blocks: Path) -> Path:
    """The Locations-en file beside a Blocks file."""
    name = re.sub(r"Blocks-IPv[46]", "Locations-en", blocks.name)
    if name == blocks.name:
        name = "GeoLite2-Country-Locations-en.csv"
    return blocks.with_name(name)


def _locations(path: Path) -> dict[str, str]:
    if not path.exists():
        raise SourceUnavailable("GeoLite2 Locations-en file not found beside the Blocks file", file=str(path))
    out: dict[str, str] = {}
    with text_lines(path) as f:
        for r in csv.DictReader(f):
            if r.get("geoname_id") and r.get("country_iso_code"):
                out[r["geoname_id"]] = r["country_iso_code"].upper()
    return out


def load(path: str | Path, ctx: LoadContext) -> Iterator[tuple[str, pa.RecordBatch]]:
    """Yield ``("geo", batch)`` rows ``prefix``, ``cc``.

    Parameters
    ----------
    path : str or Path
        A ``prefix,cc`` CSV or a GeoLite2-Country Blocks CSV.
    ctx : LoadContext
        Policy and counters; bad lines rejected by line number (GeoLite2 blocks with no country too).

    Returns
    -------
    Iterator[tuple[str, pyarrow.RecordBatch]]
        ``GEO`` batches with canonical prefixes and upper-case country codes.

    Raises
    ------
    SourceUnavailable
        A GeoLite2 Blocks file without its Locations-en file beside it.
    """
    p = Path(path)
    cols = Columns(GEO)
    with text_lines(p) as f:
        rd = csv.reader(f)
        locs: dict[str, str] | None = None
        for rec in rd:
            no = rd.line_num
            if not rec or not "".join(rec).strip():
                continue
            if no == 1 and rec[0].strip().lower() == "network":
                locs = _locations(locations_path(p))
                continue
            if no == 1 and rec[0].strip().lower() == "prefix":
                continue
            raw = ",".join(rec).encode()
            if locs is not None:
                if len(rec) < 3:
                    ctx.reject(no, f"GeoLite2 block needs at least 3 fields, got {len(rec)}", raw)
                    continue
                cc = locs.get(rec[1]) or locs.get(rec[2])
                if not cc:
                    ctx.reject(no, f"no country for geoname_id {rec[1]!r}/{rec[2]!r}", raw)
                    continue
            else:
                if len(rec) != 2:
                    ctx.reject(no, f"expected prefix,cc, got {len(rec)} fields", raw)
                    continue
                cc = rec[1].strip().upper()
                if not _CC.match(cc):
                    ctx.reject(no, f"bad country code {rec[1]!r}", raw)
                    continue
            try:
                pfx = canonical_prefix(rec[0])
            except ValueError as e:
                ctx.reject(no, str(e), raw)
                continue
            ctx.records += 1
            if cols.add(pfx, cc):
                yield TABLE, cols.batch()
    if len(cols):
        yield TABLE, cols.batch()


def write_geo_csv(rows: Iterable[dict[str, Any]] | pa.Table, path: str | Path) -> Path:
    """Write a ``prefix,cc`` CSV with a header line (atomic; .gz/.bz2 by name).

    Parameters
    ----------
    rows : iterable of dict or pyarrow.Table
        ``prefix`` and ``cc``.
    path : str or Path
        Output file.

    Returns
    -------
    Path
        `path`.
    """
    with atomic_text(path) as out:
        out.write("prefix,cc\n")
        for r in rows_of(rows):
            out.write(f"{r['prefix']},{r['cc']}\n")
    return Path(path)


def write_geolite2_country(rows: Iterable[dict[str, Any]] | pa.Table, folder: str | Path) -> list[Path]:
    """Write the GeoLite2-Country CSV trio (Blocks-IPv4, Blocks-IPv6, Locations-en) into `folder`.

    Geoname ids are made up (one per country, from 1000); they join the files to each other only.

    Returns
    -------
    list of Path
        The Blocks-IPv4, Blocks-IPv6 and Locations-en files.
    """
    d = Path(folder)
    rs = list(rows_of(rows))
    ids = {cc: str(1000 + i) for i, cc in enumerate(sorted({r["cc"] for r in rs}))}
    files = []
    for fam in ("IPv4", "IPv6"):
        p = d / f"GeoLite2-Country-Blocks-{fam}.csv"
        with atomic_text(p) as out:
            out.write(",".join(BLOCKS_HEADER) + "\n")
            for r in rs:
                if (":" in r["prefix"]) == (fam == "IPv6"):
                    g = ids[r["cc"]]
                    out.write(f"{r['prefix']},{g},{g},,0,0\n")
        files.append(p)
    p = d / "GeoLite2-Country-Locations-en.csv"
    with atomic_text(p) as out:
        out.write(",".join(LOCATIONS_HEADER) + "\n")
        for cc, g in ids.items():
            out.write(f"{g},en,,,{cc},,0\n")
    files.append(p)
    return files
