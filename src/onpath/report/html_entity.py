"""One entity's page of the HTML report: summary first, then risk, numbers, networks, evidence."""

from __future__ import annotations

from typing import Any

from onpath.report.html_topology import adjacency_html, footprint_html
from onpath.report.html_util import (
    asn,
    band_badge,
    banner,
    count,
    e,
    figure,
    paragraphs,
    share,
    table,
)
from onpath.report.plots_svg import bar_chart, empty_plot
from onpath.report.risk import fmt_value


def anchor(ent: dict[str, Any]) -> str:
    """The entity's section id."""
    return "entity-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in str(ent.get("id")))


def coverage_note(ent: dict[str, Any], cov: dict[str, Any]) -> str:
    """Vantage points and their countries, seen share and confidence, said beside a figure."""
    c = ent.get("confidence") or {}
    ccs = sorted(((cov.get("vantage_points") or {}).get("countries") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    where = ", ".join(f"{k if k != '??' else 'unknown'} {n}" for k, n in ccs[:6]) + (", ..." if len(ccs) > 6 else "")
    return (f"Confidence {c.get('level', 'unknown')}: {c.get('inbound_vantage_points', 'n/a')} inbound and "
            f"{c.get('outbound_vantage_points', 'n/a')} outbound vantage points, in "
            f"{c.get('countries_of_vantage_points', 'n/a')} countries" + (f" ({where})" if where else "") + "; "
            f"{share((cov.get('seen_share') or {}).get('v4'))} of the country's IPv4 space seen; "
            f"paths from {cov.get('paths_source', 'unknown source')}.")


def risk_html(risk: dict[str, Any]) -> str:
    rows = []
    drivers = {d["figure"] for d in risk.get("drivers") or []}
    for f in risk.get("figures") or []:
        mark = "driver" if f["figure"] in drivers else ""
        rows.append([f'<span class="{mark}">{e(f["label"])}</span>', e(fmt_value(f["value"], f["unit"])),
                     band_badge(f["band"]), e(fmt_value(f["threshold"], f["unit"]) if f["threshold"] is not None else "—"),
                     e(fmt_value(f["next_threshold"], f["unit"]) if f.get("next_threshold") is not None else "—")])
    for u in risk.get("unmeasured") or []:
        rows.append([e(u["label"]), "not measured", "—", "—", "—"])
    th = risk.get("thresholds") or {}
    return (f'<p class="risk-statement">{band_badge(risk.get("band", ""))} {e(risk.get("statement"))}</p>'
            + table(["figure", "value", "band reached", "threshold crossed", "next threshold"], rows, raw=True)
            + f'<p class="small">Thresholds: {e(th.get("source"))}, sha256 {e(str(th.get("sha256", ""))[:16])}…; '
              "a figure reaches a band when its value is at or above the band's threshold; the entity's band "
              "is the highest any figure reaches. Drivers are in bold.</p>")


def exposure_html(ent: dict[str, Any], cov: dict[str, Any], cc: str) -> str:
    ex = ent.get("exposure") or {}
    rows = []
    for direction in ("inbound", "outbound"):
        for fam in ("v4", "v6"):
            f = (ex.get(direction) or {}).get(fam)
            if not f:
                continue
            rows.append([direction, "IPv4" if fam == "v4" else "IPv6", share(f.get("by_address")),
                         share(f.get("reach_by_address")), share(f.get("by_prefix")), share(f.get("by_path")),
                         f"{count(f.get('paths_crossing'))} / {count(f.get('paths'))}",
                         f"{count(f.get('prefixes_crossed'))} / {count(f.get('prefixes'))}"])
    out = table(["direction", "family", "by address", "reach", "by prefix", "by path", "paths crossing",
                 "prefixes crossed"], rows)
    out += f'<p class="note">{e(coverage_note(ent, cov))}</p>'
    po = ((ex.get("inbound") or {}).get("per_origin") or [])[:12]
    title = f"{ent.get('name')}: most exposed networks in {cc} (inbound, IPv4)"
    if po:
        svg = bar_chart(title, [f"AS{o['asn']} {o.get('name') or ''}".strip()[:34] for o in po],
                        [("share of its address space", [o.get("by_address") for o in po])],
                        axis_label="address-weighted share of inbound paths crossing the entity", max_value=1.0)
    else:
        svg = empty_plot(title, f"no network in {cc} has an observed path through this entity")
    out += figure(svg, coverage_note(ent, cov))
    vps = ((ex.get("inbound") or {}).get("per_vantage_point") or [])[:10]
    out += "<h4>Per vantage point (inbound, top 10)</h4>" + table(
        ["collector", "peer", "peer AS", "country", "paths crossing", "by path", "by address (IPv4)", "by address (IPv6)"],
        [[v.get("collector"), v.get("peer_ip"), asn(v.get("peer_asn")), v.get("cc") or "unknown",
          f"{count(v.get('paths_crossing'))} / {count(v.get('paths'))}", share(v.get("by_path")),
          share(v.get("by_address")), share(v.get("by_address_v6"))] for v in vps], empty="no vantage point saw a crossing path")
    return out


def networks_html(ent: dict[str, Any]) -> str:
    rows = []
    for n in ent.get("networks") or []:
        why = "<br>".join(f"<b>{e(r.get('kind'))}</b>: {e(r.get('source'))}"
                          + (f" — {e(r.get('detail'))}" if r.get("detail") else "") for r in n.get("reasons") or [])
        rows.append([e(asn(n["asn"])), e(n.get("name")), e(n.get("country") or ""), why])
    return table(["network", "name", "country", "why attributed (kind: source)"], rows, raw=True,
                 empty="no network resolved")


def evidence_html(ent: dict[str, Any]) -> str:
    out = ""
    for ev in ent.get("evidence") or []:
        out += f"<h4>Behind {e(ev.get('figure'))}</h4>" + table(
            ["vantage point", "collector", "prefix", "AS path", "paths like it"],
            [[s.get("vantage_point"), s.get("collector"), s.get("prefix"), " ".join(str(a) for a in s.get("path") or []),
              count(s.get("count"))] for s in ev.get("samples") or []], cls="mono")
    return out or '<p class="none">no sample path (no observed path crosses these networks)</p>'


def entity_page(ent: dict[str, Any], rep: dict[str, Any]) -> str:
    """The entity's ``<section>``: banner, summary, risk, exposure, networks, adjacency, footprint, evidence."""
    cc = rep.get("country", "")
    cov = rep.get("coverage") or {}
    risk = ent.get("risk") or {}
    heg, cti = ent.get("hegemony") or {}, ent.get("cti") or {}
    cti_by = {c["asn"]: c.get("cti") for c in cti.get("per_asn") or []}
    cti6 = cti.get("v6") or {}
    cti6_by = {c["asn"]: c.get("cti") for c in cti6.get("per_asn") or []}
    facts = "".join(f"<li>{e(f.get('text'))} <span class=\"src\">[{e(f.get('source'))}]</span></li>"
                    for f in ent.get("facts") or [])
    return (f'<section class="entity" id="{anchor(ent)}">{banner(rep.get("synthetic", False))}'
            f"<h2>{e(ent.get('name'))} {band_badge(risk.get('band', 'undetermined'))}</h2>"
            f'<div class="summary"><h3>Summary</h3>{paragraphs(ent.get("summary") or [])}</div>'
            + (f"<h3>Public facts</h3><ul>{facts}</ul>" if facts else "")
            + "<h3>Risk band and its drivers</h3>" + risk_html(risk)
            + "<h3>Exposure</h3>" + exposure_html(ent, cov, cc)
            + "<h3>Hegemony and CTI</h3>"
            + f"<p>Entity as a whole, country scope: hegemony {share(heg.get('country'))}, CTI {share(cti.get('entity'))} "
            + f"(IPv6, the same definition on /48 units: {share(cti6.get('entity'))}).</p>"
            + table(["network", "hegemony (country)", "CTI", "CTI (IPv6)"],
                    [[asn(h["asn"]), share(h.get("country")), share(cti_by.get(h["asn"])), share(cti6_by.get(h["asn"]))]
                     for h in heg.get("per_asn") or []])
            + f'<p class="note">{e(coverage_note(ent, cov))}</p>'
            + "<h3>Networks and why they are attributed</h3>" + networks_html(ent)
            + f"<h3>Adjacency in {e(cc)}</h3>" + adjacency_html(ent, cc, cov)
            + f"<h3>Footprint in {e(cc)}</h3>" + footprint_html(ent, cc, cov)
            + "<h3>Evidence paths</h3>" + evidence_html(ent)
            + '<p class="top"><a href="#top">back to the overview</a></p></section>')
