"""The report's coverage and method sections: what was seen, what was not, how figures are made."""

from __future__ import annotations

from typing import Any

from onpath.report.html_util import banner, count, e, share, table
from onpath.report.risk import fmt_value

METHOD = [
    ("Paths", "Per vantage point (a collector and one of its BGP peers) and prefix, the RIB path at the "
     "snapshot time, prepending collapsed. Paths with AS sets or loops are left out of the figures and "
     "counted under coverage. Vantage points inside a watched network are left out of every figure."),
    ("Crossing", "A path crosses an entity when one of the entity's networks is on it other than as the "
     "origin."),
    ("Inbound exposure", "For each of the country's prefixes, the share of vantage points whose path "
     "crosses the entity; 'by address' averages it weighted by address space (each address once, for its "
     "most specific prefix, IPv4 in /24 units), 'reach' is the share of address space with any crossing "
     "path, 'by prefix' the plain mean, 'by path' the share of all (vantage point, prefix) paths."),
    ("Outbound exposure", "The same from vantage points located in the country towards prefixes outside it."),
    ("AS hegemony", "Fontugne, Shah, Aben, 'The (thin) red line: Internet dependence in the wild', PAM "
     "2018: per vantage point the address-weighted share of paths containing the AS, averaged over vantage "
     "points after trimming 10% at each end."),
    ("CTI", "Gamero-Garrido et al., 'Quantifying Nations' Exposure to Traffic Observation and Selective "
     "Tampering', PAM 2022, as the authors' code (CAIDA/mapkit-cti-code) computes it."),
    ("Adjacency and cone", "Neighbours in the country from CAIDA AS relationships and from observed paths; "
     "the customer cone follows provider-to-customer links recursively and is restricted to the country."),
    ("Footprint", "PeeringDB facilities and exchange points in the country where an entity network is "
     "present, grouped by city; prefixes the entity originates that are located in the country."),
    ("Confidence", "high: at least 10 inbound vantage points in at least 3 countries and at least 90% of "
     "the country's IPv4 space seen; low: fewer than 3 inbound vantage points or less than 50% seen; "
     "otherwise medium."),
]


def coverage_section(rep: dict[str, Any]) -> str:
    """Vantage points and their countries, address space seen, paths, dataset dates and ages, unresolved."""
    cov = rep.get("coverage") or {}
    vp = cov.get("vantage_points") or {}
    basis = rep.get("country_basis")
    basis_txt = basis if isinstance(basis, str) else ", ".join(
        f"{k}: {v}" for k, v in sorted((basis or {}).items()) if not isinstance(v, dict))
    countries = sorted((vp.get("countries") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    paths = cov.get("paths") or {}
    ages = [[d.get("kind"), d.get("collector") or "", d.get("date") or "unknown",
             "unknown" if d.get("age_days") is None else f"{d['age_days']} days", d.get("source")]
            for d in cov.get("datasets") or []]
    unres = [[k.replace("_", " "), share(v) if k.startswith("address_space") else count(v)]
             for k, v in sorted((cov.get("unresolved") or {}).items())]
    return (f'<section id="coverage">{banner(rep.get("synthetic", False))}<h2>Coverage and confidence</h2>'
            f"<p>Vantage points: {count(vp.get('total'))} in the snapshot, {count(vp.get('full_feed'))} full-feed, "
            f"{count(vp.get('used'))} used ({count(vp.get('excluded_in_watched'))} left out because they sit inside "
            f"a watched network); {count(cov.get('inbound_vantage_points'))} measure inbound paths and "
            f"{count(cov.get('outbound_vantage_points'))} sit in {e(rep.get('country'))} and measure outbound paths. "
            f"Paths: {count(paths.get('usable'))} usable of {count(paths.get('total'))}, from "
            f"{e(cov.get('paths_source', 'unknown'))}. Share of {e(rep.get('country'))}'s address space seen: "
            f"IPv4 {share((cov.get('seen_share') or {}).get('v4'))}, IPv6 {share((cov.get('seen_share') or {}).get('v6'))}. "
            f"Country of prefixes and networks from: {e(basis_txt or 'unknown')}.</p>"
            "<h3>Vantage points by country</h3>"
            + table(["country", "vantage points used"], [[c if c != "??" else "unknown", n] for c, n in countries])
            + "<h3>Datasets, their dates and ages at the snapshot date</h3>"
            + table(["kind", "collector", "date", "age", "source"], ages)
            + "<h3>What could not be resolved</h3>" + table(["item", "count"], unres)
            + "<h3>Conflicting attributions</h3>"
            + table(["network", "entities", "reason"], [[f"AS{c.get('asn')}", ", ".join(c.get("entities") or []),
                                                        c.get("reason")] for c in rep.get("conflicts") or []])
            + "</section>")


def method_section(rep: dict[str, Any]) -> str:
    """How each figure is defined, and the risk thresholds in force."""
    th = rep.get("risk_thresholds") or {}
    bands = th.get("bands") or []
    th_rows = []
    for f in th.get("figures") or []:
        unit = f.get("unit", "share")
        vals = [fmt_value(f["thresholds"].get(b), unit) if f["thresholds"].get(b) is not None else "—"
                for b in bands[1:]]
        th_rows.append([f"{f.get('label')}: {f.get('description')}" if f.get("description") else f.get("label"),
                        *vals, f.get("path")])
    src = f"{th.get('source')} (sha256 {th.get('sha256')})" if th else "none"
    return (f'<section id="method">{banner(rep.get("synthetic", False))}<h2>Method and thresholds</h2>'
            + "".join(f"<h4>{e(k)}</h4><p>{e(v)}</p>" for k, v in METHOD)
            + "<h3>Risk bands</h3><p>Each entity's band is the highest band any of its figures reaches; a figure "
              "reaches a band when its value is at or above that band's threshold. The band is always shown with "
              f"the figures that set it. Thresholds in force: {e(src)}; see docs/report.md for why each "
              "threshold sits where it does, and pass your own with <code>--thresholds FILE</code>.</p>"
            + table(["figure", *(f"{b} from" for b in bands[1:]), "where in report.json (entity)"], th_rows)
            + f"<p class=\"small\">Formatting: shares are shown as percentages, e.g. {fmt_value(0.0123, 'share')}.</p>"
            + "</section>")
