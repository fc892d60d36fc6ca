"""The report's overview: one paragraph per entity, the key-figure table, the three overview plots."""

from __future__ import annotations

from typing import Any

from onpath.report.html_entity import anchor
from onpath.report.html_util import band_badge, e, figure, share
from onpath.report.plots_svg import bar_chart, empty_plot
from onpath.report.summary import plural


def key_rows(rep: dict[str, Any]) -> list[list[str]]:
    """One row of HTML cells per entity: name (linked), band, key figures, confidence."""
    rows = []
    for ent in rep.get("entities") or []:
        ex = ent.get("exposure") or {}
        inb = (ex.get("inbound") or {}).get("v4") or {}
        out = (ex.get("outbound") or {}).get("v4") or {}
        rows.append([f'<a href="#{anchor(ent)}">{e(ent.get("name"))}</a>',
                     band_badge((ent.get("risk") or {}).get("band", "undetermined")),
                     e(share(inb.get("by_address"))), e(share(inb.get("reach_by_address"))),
                     e(share(out.get("by_address"))), e(share((ent.get("hegemony") or {}).get("country"))),
                     e(share((ent.get("cti") or {}).get("entity"))), e(len(ent.get("networks") or [])),
                     e((ent.get("confidence") or {}).get("level", "unknown"))])
    return rows


def in_brief(rep: dict[str, Any]) -> str:
    """One plain-language paragraph per entity, before any table or plot."""
    cc = e(rep.get("country"))
    out = []
    for x in rep.get("entities") or []:
        ex = x.get("exposure") or {}
        inb = (ex.get("inbound") or {}).get("v4") or {}
        d = x.get("derived") or {}
        risk = x.get("risk") or {}
        out.append(f'<p><a href="#{anchor(x)}"><b>{e(x.get("name"))}</b></a> '
                   f"{band_badge(risk.get('band', 'undetermined'))}: {e(share(inb.get('by_address')))} of the "
                   f"routes towards {cc}'s address space (weighted by addresses) cross its "
                   f"{plural(len(x.get('networks') or []), 'network')}, and {e(share(inb.get('reach_by_address')))} of {cc}'s "
                   f"seen address space has at least one route through them; "
                   f"{plural(d.get('in_country_customers', 0), 'network')} in {cc} "
                   f"{'buys' if d.get('in_country_customers', 0) == 1 else 'buy'} transit from it, and it is present in "
                   f"{plural(d.get('in_country_facilities', 0), 'facility', 'facilities')} and "
                   f"{plural(d.get('in_country_ixps', 0), 'exchange point')} in {cc}. Confidence: "
                   f"{e((x.get('confidence') or {}).get('level', 'unknown'))}.</p>")
    return '<div class="summary"><h3>In brief</h3>' + "".join(out) + "</div>" if out else ""


def overview_plots(rep: dict[str, Any]) -> str:
    """Exposure by entity; top exposed in-country networks; hegemony and CTI beside top transit."""
    cc = rep.get("country", "")
    ents = rep.get("entities") or []
    vp = rep.get("coverage", {}).get("vantage_points", {})
    note = (f"Vantage points used: {vp.get('used', 'n/a')} of {vp.get('total', 'n/a')}; "
            f"{share((rep.get('coverage', {}).get('seen_share') or {}).get('v4'))} of {cc}'s IPv4 space seen.")
    names = [str(x.get("name"))[:30] for x in ents]

    def v4(x: dict[str, Any], d: str, k: str) -> float | None:
        return (((x.get("exposure") or {}).get(d) or {}).get("v4") or {}).get(k)

    out = figure(bar_chart(f"Exposure of {cc} by entity (IPv4, address-weighted)", names,
                           [("inbound", [v4(x, "inbound", "by_address") for x in ents]),
                            ("inbound reach", [v4(x, "inbound", "reach_by_address") for x in ents]),
                            ("outbound", [v4(x, "outbound", "by_address") for x in ents])],
                           axis_label="share of paths crossing the entity's networks"), note)
    best: dict[int, dict[str, Any]] = {}
    for i, x in enumerate(ents):
        for o in ((x.get("exposure") or {}).get("inbound") or {}).get("per_origin") or []:
            b = best.setdefault(o["asn"], {"name": o.get("name") or "", "v": [None] * len(ents)})
            b["v"][i] = o.get("by_address")
    top = sorted(best.items(), key=lambda kv: (-max(v or 0 for v in kv[1]["v"]), kv[0]))[:12]
    title = f"Most exposed networks in {cc} (inbound, IPv4)"
    out += figure(bar_chart(title, [f"AS{a} {b['name']}".strip()[:34] for a, b in top],
                            [(n, [b["v"][i] for _, b in top]) for i, n in enumerate(names)],
                            axis_label="share of the network's address space, by paths crossing", max_value=1.0,
                            missing="")
                  if top else empty_plot(title, "no in-country network has a path through a watched entity"),
                  "No bar: not among that entity's 20 most exposed networks. " + note)
    tt = list(rep.get("top_transit") or [])[:15]
    title = f"Hegemony and CTI: watched entities beside {cc}'s top transit networks"
    rows = [(f"{x.get('name')} (entity)"[:34], (x.get("hegemony") or {}).get("country"), (x.get("cti") or {}).get("entity"))
            for x in ents]
    rows += [(("★ " if t.get("watched") else "") + f"AS{t['asn']} {t.get('name') or ''}".strip()[:32],
              t.get("hegemony"), t.get("cti")) for t in tt]
    out += figure(bar_chart(title, [r[0] for r in rows], [("hegemony", [r[1] for r in rows]), ("CTI", [r[2] for r in rows])],
                            axis_label="country-scope AS hegemony and CTI (★ = watched network)")
                  if rows else empty_plot(title, "no transit figures"),
                  "Top transit networks by country-scope hegemony; " + note)
    return out
