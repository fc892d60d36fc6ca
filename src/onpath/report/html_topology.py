"""An entity's place in the country: adjacency (relationships, cone) and footprint by city."""

from __future__ import annotations

from typing import Any

from onpath.report.html_util import asn, count, dataset_note, e, figure, share, table
from onpath.report.plots_svg import bar_chart, empty_plot, num
from onpath.report.summary import plural

TOP = 20


def adjacency_html(ent: dict[str, Any], cc: str, cov: dict[str, Any]) -> str:
    adj = ent.get("adjacency") or {}
    rel = adj.get("as_rel") or {}
    d = ent.get("derived") or {}
    cone = adj.get("cone") or {}
    out = (f"<p>In {e(cc)}: {plural(d.get('in_country_customers', 0), 'customer')}, "
           f"{plural(d.get('in_country_peers', 0), 'peer')}, {plural(d.get('in_country_providers', 0), 'provider')} "
           f"(CAIDA AS relationships). Customer cone in {e(cc)}: "
           f"{count(cone.get('ases'))} networks, {count((cone.get('prefixes') or {}).get('v4'))} IPv4 prefixes, "
           f"{count((cone.get('address_space') or {}).get('v4_slash24'))} /24s "
           f"({share(d.get('cone_share_v4'))} of the country's IPv4 space).</p>"
           f'<p class="note">{e(dataset_note(cov, "as-rel", "CAIDA AS relationships"))}</p>')
    for kind in ("customers", "peers", "providers"):
        lst = rel.get(kind) or []
        out += f"<h4>{e(kind.capitalize())} in {e(cc)} ({len(lst)}{', first ' + str(TOP) if len(lst) > TOP else ''})</h4>"
        out += table(["network", "name", "next to"], [[asn(a["asn"]), a.get("name"), " ".join(asn(v) for v in a.get("via") or [])]
                                                      for a in lst[:TOP]])
    obs = (adj.get("observed") or [])[:TOP]
    out += "<h4>Neighbours in " + e(cc) + " on observed paths</h4>" + table(
        ["network", "name", "relationship", "next to", "paths"],
        [[asn(a["asn"]), a.get("name"), a.get("relationship"), " ".join(asn(v) for v in a.get("via") or []),
          count(a.get("paths"))] for a in obs])
    return out


def footprint_html(ent: dict[str, Any], cc: str, cov: dict[str, Any]) -> str:
    fp = ent.get("footprint") or {}
    cities = (ent.get("derived") or {}).get("footprint_by_city") or []
    title = f"{ent.get('name')}: presence in {cc} by city"
    if cities:
        top = cities[:12]
        svg = bar_chart(title, [c["city"][:30] for c in top],
                        [("facilities", [c["facilities"] for c in top]), ("IXPs", [c["ixps"] for c in top])],
                        axis_label="PeeringDB records where one of the entity's networks is present", fmt=num,
                        integer=True)
    else:
        svg = empty_plot(title, f"no PeeringDB facility or IXP in {cc} lists these networks")
    out = figure(svg, dataset_note(cov, "peeringdb", "PeeringDB facilities (netfac) and IXPs (netixlan)"))
    out += table(["city", "facilities", "IXPs", "networks present", "sites"],
                 [[c["city"], c["facilities"], c["ixps"], " ".join(asn(a) for a in c["asns"]), "; ".join(c["sites"][:6])]
                  for c in cities])
    pic = fp.get("prefixes_in_country") or {}
    out += (f"<p>Prefixes these networks originate that are located in {e(cc)}: "
            f"{count((pic.get('count') or {}).get('v4'))} IPv4 ({count((pic.get('address_space') or {}).get('v4_slash24'))} /24s), "
            f"{count((pic.get('count') or {}).get('v6'))} IPv6. Examples: {e(', '.join((pic.get('sample') or [])[:8]) or 'none')}.</p>")
    return out
