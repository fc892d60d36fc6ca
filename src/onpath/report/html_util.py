"""Small HTML helpers for the report: escaping, tables, figures with their coverage note."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from onpath.report.risk import fmt_value


def e(v: Any) -> str:
    """Escaped text of any value ('' for None)."""
    return "" if v is None else escape(str(v), quote=True)


def share(v: Any) -> str:
    """A share as a percentage, 'n/a' when unknown."""
    return "n/a" if v is None else fmt_value(float(v), "share")


def count(v: Any) -> str:
    """An integer with thousands separators, 'n/a' when unknown."""
    if v is None:
        return "n/a"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def asn(n: Any) -> str:
    """AS number as text."""
    return f"AS{n}"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cls: str = "", raw: bool = False,
          empty: str = "none") -> str:
    """An HTML table; cells are escaped unless ``raw`` (then they are trusted HTML)."""
    rows = list(rows)
    if not rows:
        return f'<p class="none">{e(empty)}</p>'
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c if raw else e(c)}</td>" for c in r) + "</tr>" for r in rows)
    c = f' class="{e(cls)}"' if cls else ""
    return f"<table{c}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def banner(synthetic: bool) -> str:
    """The SYNTHETIC banner every section carries when any input is synthetic."""
    if not synthetic:
        return ""
    return ('<div class="synthetic-banner" role="note">SYNTHETIC — every figure in this report comes '
            "from a generated Internet, not from measurements of real networks.</div>")


def figure(svg: str, note: str) -> str:
    """A plot with its coverage and confidence note under it."""
    return f'<figure>{svg}<figcaption>{e(note)}</figcaption></figure>'


def band_badge(band: str) -> str:
    """The risk band as a coloured label (text, never colour alone)."""
    return f'<span class="band band-{e(band)}">{e(band)}</span>'


def paragraphs(texts: Iterable[str]) -> str:
    """Plain-text paragraphs as <p> elements."""
    return "".join(f"<p>{e(t)}</p>" for t in texts)


def dataset_note(cov: dict[str, Any], kind: str, what: str) -> str:
    """``Source: <what>, dated D (N days before the snapshot)`` from the coverage's dataset list."""
    ds = [d for d in cov.get("datasets") or [] if d.get("kind") == kind]
    if not ds:
        return f"Source: {what} (no {kind} dataset in the snapshot)."
    dates = sorted({d.get("date") or "unknown date" for d in ds})
    ages = [d["age_days"] for d in ds if d.get("age_days") is not None]
    age = f"; {max(ages)} days old at the snapshot date" if ages else "; age unknown"
    return f"Source: {what}, dated {', '.join(dates)}{age}."
