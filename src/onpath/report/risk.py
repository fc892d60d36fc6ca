"""Risk bands from documented, configurable thresholds; a band always comes with its drivers.

An entity's band is the highest band any of its figures reaches; a figure reaches a band when its
value is ``>=`` that band's threshold (so a value exactly at a threshold reaches it). Figures the
analysis could not measure (missing or null) are listed as unmeasured and never raise or lower the
band; with no measured figure at all, or none of the file's ``needs_one_of`` figures (the inbound
exposure by default), the band is ``undetermined``.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from onpath.errors import OnpathError, SchemaMismatch

FORMAT = "onpath.risk-thresholds/1"
UNDETERMINED = "undetermined"


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure and its ascending thresholds, one per band above the lowest."""

    id: str
    path: str
    label: str
    unit: str
    thresholds: tuple[tuple[str, float], ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A parsed thresholds file: band names (lowest first), figures, and where it came from."""

    bands: tuple[str, ...]
    figures: tuple[Figure, ...]
    source: str
    sha256: str
    needs_one_of: tuple[str, ...] = ()


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """Read a thresholds TOML file (the packaged default when ``path`` is None).

    Raises
    ------
    SchemaMismatch
        When the file is not valid TOML or a figure lacks a band or has thresholds out of order;
        the message names the file and the key.
    """
    if path is None:
        data = resources.files("onpath.report").joinpath("risk-thresholds.toml").read_bytes()
        name = "risk-thresholds.toml (default)"
    else:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as e:
            raise OnpathError(f"cannot read thresholds: {e.strerror}", file=str(p)) from e
        name = p.name
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SchemaMismatch(f"not a thresholds TOML file: {e}", file=name) from e
    return _parse(doc, name, hashlib.sha256(data).hexdigest())


def _parse(doc: dict[str, Any], name: str, sha: str) -> Thresholds:
    if doc.get("format", FORMAT) != FORMAT:
        raise SchemaMismatch(f"format {doc.get('format')!r}, expected {FORMAT!r}", file=name, where="format")
    bands = doc.get("bands")
    if not isinstance(bands, list) or len(bands) < 2 or not all(isinstance(b, str) for b in bands):
        raise SchemaMismatch("`bands` must list at least two band names, lowest first", file=name, where="bands")
    if len(set(bands)) != len(bands) or UNDETERMINED in bands:
        raise SchemaMismatch("band names must be distinct and not 'undetermined'", file=name, where="bands")
    figs = doc.get("figure")
    if not isinstance(figs, list) or not figs:
        raise SchemaMismatch("no [[figure]] tables", file=name, where="figure")
    out: list[Figure] = []
    seen: set[str] = set()
    for i, f in enumerate(figs):
        where = f"figure[{i}]"
        for key in ("id", "path"):
            if not isinstance(f.get(key), str) or not f[key]:
                raise SchemaMismatch(f"missing `{key}`", file=name, where=f"{where}.{key}")
        if f["id"] in seen:
            raise SchemaMismatch(f"duplicate figure id {f['id']!r}", file=name, where=f"{where}.id")
        seen.add(f["id"])
        unit = f.get("unit", "share")
        if unit not in ("share", "count"):
            raise SchemaMismatch(f"unit {unit!r} is not share or count", file=name, where=f"{where}.unit")
        steps: list[tuple[str, float]] = []
        for band in bands[1:]:
            v = f.get(band)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise SchemaMismatch(f"threshold for band {band!r} must be a number", file=name,
                                     where=f"{where}.{band}")
            if steps and v <= steps[-1][1]:
                raise SchemaMismatch(f"threshold {band}={v} is not above {steps[-1][0]}={steps[-1][1]}",
                                     file=name, where=f"{where}.{band}")
            steps.append((band, float(v)))
        out.append(Figure(f["id"], f["path"], str(f.get("label", f["id"])), unit, tuple(steps),
                          str(f.get("description", ""))))
    needs = doc.get("needs_one_of", [])
    if not isinstance(needs, list) or any(n not in seen for n in needs):
        raise SchemaMismatch("`needs_one_of` must list figure ids of this file", file=name, where="needs_one_of")
    return Thresholds(tuple(bands), tuple(out), name, sha, tuple(needs))


def lookup(obj: Any, path: str) -> float | None:
    """The number at a dot-separated ``path`` inside ``obj``, or None when absent or not a number."""
    cur = obj
    for key in path.split("."):
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    if isinstance(cur, bool) or not isinstance(cur, int | float) or not math.isfinite(cur):
        return None
    return float(cur)


def band_of(value: float, fig: Figure, lowest: str) -> tuple[str, float | None, float | None]:
    """(band reached, threshold crossed or None, next threshold not reached or None)."""
    band, crossed, nxt = lowest, None, None
    for name, t in fig.thresholds:
        if value >= t:
            band, crossed = name, t
        else:
            nxt = t
            break
    return band, crossed, nxt


def assess_risk(entity: dict[str, Any], th: Thresholds, confidence: str | None = None) -> dict[str, Any]:
    """The ``risk`` object of one report entity: band, drivers, every figure evaluated, unmeasured.

    Drivers are the figures that reached the entity's band, each with its value and the threshold it
    crossed; when the band is the lowest, the drivers are every measured figure with the first
    threshold it stayed below, so the band is never bare.
    """
    rank = {b: i for i, b in enumerate(th.bands)}
    figures: list[dict[str, Any]] = []
    unmeasured: list[dict[str, Any]] = []
    for fig in th.figures:
        value = lookup(entity, fig.path)
        if value is None:
            unmeasured.append({"figure": fig.id, "label": fig.label, "path": fig.path})
            continue
        band, crossed, nxt = band_of(value, fig, th.bands[0])
        figures.append({"figure": fig.id, "label": fig.label, "path": fig.path, "unit": fig.unit,
                        "value": value, "band": band, "threshold": crossed, "next_threshold": nxt})
    measured = {f["figure"] for f in figures}
    if not figures or (th.needs_one_of and not measured & set(th.needs_one_of)):
        band = UNDETERMINED
        drivers: list[dict[str, Any]] = []
    else:
        band = max((str(f["band"]) for f in figures), key=rank.__getitem__)
        if band == th.bands[0]:
            drivers = [{**f, "comparison": "<", "threshold": f["next_threshold"]} for f in figures]
        else:
            drivers = [{**f, "comparison": ">="} for f in figures if f["band"] == band]
    for d in drivers:
        d.pop("next_threshold", None)
    return {
        "band": band,
        "bands": list(th.bands),
        "drivers": drivers,
        "figures": figures,
        "unmeasured": unmeasured,
        "confidence": confidence,
        "thresholds": {"source": th.source, "sha256": th.sha256},
        "statement": statement(band, drivers, unmeasured, th.needs_one_of),
    }


def fmt_value(value: float | None, unit: str) -> str:
    """A figure as a reader sees it: shares as percentages, counts as integers."""
    if value is None:
        return "n/a"
    if unit == "count":
        return f"{int(value):,}"
    pct = value * 100
    return f"{pct:.2f}%" if pct < 10 else f"{pct:.1f}%"


def statement(band: str, drivers: list[dict[str, Any]], unmeasured: list[dict[str, Any]],
              needs: tuple[str, ...] = ()) -> str:
    """One sentence saying why the band is what it is."""
    if band == UNDETERMINED:
        if needs:
            return (f"Risk band undetermined: none of {', '.join(needs)} could be measured (no usable path "
                    "towards the country's address space), so the other figures cannot set a band alone.")
        return "Risk band undetermined: no figure behind the band could be measured."
    parts = [f"{d['label']} is {fmt_value(d['value'], d['unit'])} ({d['comparison']} "
             f"{fmt_value(d['threshold'], d['unit'])})" if d["threshold"] is not None else
             f"{d['label']} is {fmt_value(d['value'], d['unit'])}" for d in drivers]
    why = "; ".join(parts)
    if drivers and drivers[0]["comparison"] == "<":
        s = f"Risk band {band}: no figure reached a higher threshold ({why})."
    else:
        s = f"Risk band {band} because {why}."
    if unmeasured:
        s += f" Not measured: {', '.join(u['figure'] for u in unmeasured)}."
    return s
