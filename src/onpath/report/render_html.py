"""``report.html``: one self-contained page (inline CSS and SVG, no network, no script needed).

Order: the overview (entities with their band and key figures, the overview plots), then a section
per entity (summary first), then coverage, datasets and method. Every section carries the
SYNTHETIC banner when any input is synthetic.
"""

from __future__ import annotations

from typing import Any

from onpath.report.html_entity import anchor, entity_page
from onpath.report.html_method import coverage_section, method_section
from onpath.report.html_util import banner, e, table
from onpath.report.overview import in_brief, key_rows, overview_plots

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
nav ul{columns:2}.print-banner{display:none}
@media print{.synthetic-banner,.print-banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}.print-banner{display:block;position:fixed;top:0;right:0;background:#b00020;color:#fff;font-weight:bold;padding:2px 8px;font-size:9pt}}
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


def render(rep: dict[str, Any]) -> str:
    """The whole report as one HTML string."""
    syn = bool(rep.get("synthetic"))
    cc = e(rep.get("country"))
    snap = rep.get("snapshot") or {}
    ents = rep.get("entities") or []
    wl = rep.get("watchlist") or {}
    title = f"onpath: exposure of {rep.get('country')} to watched networks" + (" (SYNTHETIC)" if syn else "")
    nav = "".join(f'<li><a href="#{anchor(x)}">{e(x.get("name"))}</a></li>' for x in ents)
    overview = (f'<section id="overview">{banner(syn)}<h1 id="top">{e(title)}</h1>'
                f"<p>Snapshot <b>{e(snap.get('name'))}</b> of {e(snap.get('date') or 'unknown date')}; target country "
                f"<b>{cc}</b>" + (f"; watchlist <b>{e(wl.get('name'))}</b> ({e(wl.get('source'))})" if wl else "")
                + f". For each watched entity: how much of {cc}'s routing crosses its networks, who in "
                f"{cc} depends on them, where they sit in {cc}, a risk band with the figures that set it, and how "
                "sure the measurement is. Each entity's page starts with a plain-language summary.</p>"
                + in_brief(rep)
                + table(["entity", "risk", "inbound", "reach", "outbound", "hegemony", "CTI", "networks", "confidence"],
                        key_rows(rep), raw=True)
                + overview_plots(rep)
                + f'<nav><h3>Pages</h3><ul>{nav}<li><a href="#coverage">Coverage and confidence</a></li>'
                  '<li><a href="#method">Method and thresholds</a></li></ul></nav></section>')
    body = overview + "".join(entity_page(x, rep) for x in ents) + coverage_section(rep) + method_section(rep)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{CSS}</style>{ERROR_HOOK}</head><body>"
            '<pre id="js-errors" hidden></pre>'
            + ('<div class="print-banner" aria-hidden="true">SYNTHETIC</div>' if syn else "") + body + "</body></html>\n")
