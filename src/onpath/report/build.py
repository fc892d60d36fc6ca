"""Assemble ``report.json`` (schema ``onpath.report/1``): header, coverage, derived figures, risk.

``analyze()`` (onpath.metrics, docs/metrics.md) gives the body; this module adds the ``schema``,
``synthetic`` and ``snapshot`` header from the snapshot's manifest, dataset ages counted to the
snapshot date (never to today), what could not be resolved, a few derived figures the risk
thresholds and the HTML use, the plain-language summary and a risk band per entity.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

from onpath.report.risk import Thresholds, assess_risk
from onpath.report.summary import entity_summary

SCHEMA_ID = "onpath.report/1"
_DATASET_KEYS = ("kind", "sha256", "bytes", "records", "skipped", "rejected", "synthetic", "collector", "date")


def age_days(date: str | None, at: str | None) -> int | None:
    """Whole days from ``date`` to ``at`` (both YYYY-MM-DD), or None when either is unknown."""
    if not date or not at:
        return None
    try:
        return (dt.date.fromisoformat(at[:10]) - dt.date.fromisoformat(date[:10])).days
    except ValueError:
        return None


def _source_name(source: Any) -> str | None:
    """A URL as is; a local path as its file name, so reports do not depend on where files sat."""
    if not isinstance(source, str):
        return None
    if "://" in source:
        return source
    return os.path.basename(source.rstrip("/")) or source


def snapshot_header(name: str, date: str | None, datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's ``snapshot`` object from manifest entries (SPEC §2), sorted, with ages.

    ``fetched_at`` (a wall-clock time) is left out: it goes to ``run.json``.
    """
    out = []
    for ds in datasets:
        e = {k: ds.get(k) for k in _DATASET_KEYS}
        e["source"] = _source_name(ds.get("source"))
        e["synthetic"] = bool(ds.get("synthetic"))
        e["age_days"] = age_days(ds.get("date"), date)
        out.append(e)
    out.sort(key=lambda e: (str(e["kind"]), str(e.get("collector") or ""), str(e["source"]), str(e["sha256"])))
    return {"name": name, "date": date, "datasets": out}


def _unresolved(analysis: dict[str, Any]) -> dict[str, Any]:
    cov = analysis.get("coverage") or {}
    basis = analysis.get("country_basis") or {}
    counts = basis.get("counts") if isinstance(basis, dict) else None
    paths = cov.get("paths") or {}
    vps = cov.get("vantage_points") or {}
    return {
        "prefixes_unknown_country": None if counts is None else
        sum(int(v) for k, v in counts.items() if k in ("unknown", "None", None)),
        "vantage_points_unknown_country": (vps.get("countries") or {}).get("??", 0),
        "paths_with_set": paths.get("with_set"),
        "paths_with_loop": paths.get("with_loop"),
        "asn_conflicts": len(analysis.get("conflicts") or []),
        "address_space_not_seen_v4": None if (cov.get("seen_share") or {}).get("v4") is None
        else 1 - cov["seen_share"]["v4"],
    }


def _share(part: Any, whole: Any) -> float | None:
    if not isinstance(part, int | float) or not isinstance(whole, int | float) or whole <= 0:
        return None
    return min(1.0, part / whole)


def footprint_by_city(fp: dict[str, Any]) -> list[dict[str, Any]]:
    """Facilities and IXPs in the country grouped by city, most present first."""
    cities: dict[str, dict[str, Any]] = {}
    for kind in ("facilities", "ixps"):
        for site in fp.get(kind) or []:
            city = site.get("city") or "(city unknown)"
            c = cities.setdefault(city, {"city": city, "facilities": 0, "ixps": 0, "asns": set(), "sites": []})
            c[kind] += 1
            c["asns"].update(site.get("asns") or [])
            c["sites"].append(site.get("name"))
    out = [{**c, "asns": sorted(c["asns"]), "sites": sorted(str(s) for s in c["sites"])} for c in cities.values()]
    out.sort(key=lambda c: (-(c["facilities"] + c["ixps"]), c["city"]))
    return out


def derived_figures(entity: dict[str, Any], coverage: dict[str, Any]) -> dict[str, Any]:
    """Figures the report computes from the analysis: cone share, in-country counts, by city."""
    adj = entity.get("adjacency") or {}
    rel = adj.get("as_rel") or {}
    cone = adj.get("cone") or {}
    fp = entity.get("footprint") or {}
    space = (coverage.get("address_space") or {}).get("v4_slash24")
    return {
        "cone_share_v4": _share((cone.get("address_space") or {}).get("v4_slash24"), space),
        "in_country_customers": len(rel.get("customers") or []),
        "in_country_peers": len(rel.get("peers") or []),
        "in_country_providers": len(rel.get("providers") or []),
        "in_country_facilities": len(fp.get("facilities") or []),
        "in_country_ixps": len(fp.get("ixps") or []),
        "footprint_by_city": footprint_by_city(fp),
    }


def thresholds_doc(th: Thresholds) -> dict[str, Any]:
    """The thresholds in force, as the report records them."""
    return {"source": th.source, "sha256": th.sha256, "bands": list(th.bands),
            "figures": [{"id": f.id, "label": f.label, "description": f.description, "path": f.path, "unit": f.unit,
                         "thresholds": dict(f.thresholds)} for f in th.figures]}


def build_report(analysis: dict[str, Any], snapshot: dict[str, Any], synthetic: bool,
                 thresholds: Thresholds, watchlist: dict[str, Any] | None = None) -> dict[str, Any]:
    """The complete ``report.json`` object (not yet canonicalised or validated).

    Parameters
    ----------
    analysis : dict
        What ``onpath.metrics.analyze`` returned (not modified).
    snapshot : dict
        ``snapshot_header(...)``.
    synthetic : bool
        Whether any input dataset is synthetic.
    thresholds : Thresholds
        The risk thresholds (``risk.load_thresholds``).
    watchlist : dict, optional
        ``{"name", "description", "source"}`` of the watchlist, recorded as the report's ``watchlist``.
    """
    rep = copy.deepcopy(analysis)
    rep["schema"] = SCHEMA_ID
    rep["synthetic"] = bool(synthetic) or any(d.get("synthetic") for d in snapshot["datasets"])
    rep["snapshot"] = snapshot
    if watchlist is not None:
        rep["watchlist"] = watchlist
    rep["risk_thresholds"] = thresholds_doc(thresholds)
    cov = rep.setdefault("coverage", {})
    cov["datasets"] = [{"kind": d["kind"], "collector": d.get("collector"), "date": d["date"],
                        "age_days": d["age_days"], "source": d["source"]} for d in snapshot["datasets"]]
    cov["unresolved"] = _unresolved(rep)
    for ent in rep.get("entities") or []:
        ent["derived"] = derived_figures(ent, cov)
        level = (ent.get("confidence") or {}).get("level")
        ent["risk"] = assess_risk(ent, thresholds, level)
        ent["summary"] = entity_summary(ent, rep)
    return rep
