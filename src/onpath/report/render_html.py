"""``report.html``: one self-contained page (inline CSS and SVG, no network, no script needed).

Order: the overview (entities with their band and key figures, the overview plots), then a section
per entity (summary first), then coverage, datasets and method. Every section carries the
SYNTHETIC banner when any input is synthetic.
"""

from __future__ import annotations

from typing import Any

from onpath.report.html_entity import anchor, entity_page
from onpath.report.html_method import coverage_section, method_section
from onpath.report.html_util import band_badge, banner, e, figure, share, table
from onpath.report.plots_svg import bar_chart, empty_plot
from onpath.report.summary import plural

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:980px;padding:0 18px 40px;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6em;margin:.6em 0 .2em}h2{border-bottom:2px solid #1f4e79;padding-bottom:.2em;margin-top:1.8em}
h3{margin:1.3em 0 .4em;color:#1f4e79}h4{margin:1em 0 .3em}
section{page-break-before:always;padding-top:.2em}
.synthetic-banner{background:#b00020;color:#fff;font-weight:bold;padding:.5em .8em;margin:.8em 0;border-radius:3px}
.summary{background:#f3f6fa;border-left:4px solid #1f4e79;padding:.2em 1em;margin:.6em 0}
table{border-collapse:collapse;margin:.4em 0 .8em;font-size:.88em;width:100%}
th,td{border:1px solid #ccd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#e8edf3}
table.mono td{font-family:"DejaVu Sans Mono",monospace;font-size:.95em}
.band{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8em;font-weight:bold;color:#fff;background:#666;vertical-align:middle}
.band-low{background:#3a7d2c}.band-moderate{background:#a07800}.band-elevated{background:#c55a11}.band-high{background:#a0001c}
.driver{font-weight:bold}.note,.small,figcaption{font-size:.85em;color:#444}.none{color:#777;font-style:italic}
figure{margin:.8em 0}svg.plot{max-width:100%;height:auto;display:block}.src{color:#555;font-size:.85em}
nav ul{columns:2}@media print{.synthetic-banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

# Script errors, console.error calls and resources that fail to load are recorded on <html
# data-js-errors="..."> and shown at the top of the page, so a reader (and the browser test) sees them.
ERROR_HOOK = (
    "<script>(function(){var h=document.documentElement;function rec(m){h.setAttribute('data-js-errors',"
    "(h.getAttribute('data-js-errors')||'')+m+'\\n');var d=document.getElementById('js-errors');"
    "if(d){d.textContent=h.getAttribute('data-js-errors');d.hidden=false}}"
    "window.addEventListener('error',function(v){var t=v.target;rec(v.message||('failed to load '+"
    "((t&&(t.src||t.href))||'a resource')))},true);var ce=console.error;console.error=function(){"
    "rec('console.error: '+[].join.call(arguments,' '));ce.apply(console,arguments)}})();</script>")


def _key_rows(rep: dict[str, Any]) -> list[list[str]]:
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
                            axis_label="share of the network's address space, by paths crossing", max_value=1.0)
                  if top else empty_plot(title, "no in-country network has a path through a watched entity"), note)
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


def render(rep: dict[str, Any]) -> str:
    """The whole report as one HTML string."""
    syn = bool(rep.get("synthetic"))
    cc = e(rep.get("country"))
    snap = rep.get("snapshot") or {}
    ents = rep.get("entities") or []
    title = f"onpath: exposure of {rep.get('country')} to watched networks" + (" (SYNTHETIC)" if syn else "")
    nav = "".join(f'<li><a href="#{anchor(x)}">{e(x.get("name"))}</a></li>' for x in ents)
    overview = (f'<section id="overview">{banner(syn)}<h1 id="top">{e(title)}</h1>'
                f"<p>Snapshot <b>{e(snap.get('name'))}</b> of {e(snap.get('date') or 'unknown date')}; target country "
                f"<b>{cc}</b>. For each watched entity: how much of {cc}'s routing crosses its networks, who in "
                f"{cc} depends on them, where they sit in {cc}, a risk band with the figures that set it, and how "
                "sure the measurement is. Each entity's page starts with a plain-language summary.</p>"
                + in_brief(rep)
                + table(["entity", "risk", "inbound", "reach", "outbound", "hegemony", "CTI", "networks", "confidence"],
                        _key_rows(rep), raw=True)
                + overview_plots(rep)
                + f'<nav><h3>Pages</h3><ul>{nav}<li><a href="#coverage">Coverage and confidence</a></li>'
                  '<li><a href="#method">Method and thresholds</a></li></ul></nav></section>')
    body = overview + "".join(entity_page(x, rep) for x in ents) + coverage_section(rep) + method_section(rep)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{CSS}</style>{ERROR_HOOK}</head><body>"
            '<pre id="js-errors" hidden></pre>' + body + "</body></html>\n")
