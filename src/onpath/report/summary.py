"""The plain-language summary of one entity, for a policy analyst, in five short paragraphs.

What its networks are; how much of the country's routing crosses them; where they sit in the
country; who depends on them; how sure we are. Then the risk band and why. Plain text (the HTML
escapes it); deterministic for the same report.
"""

from __future__ import annotations

from typing import Any

from onpath.report.risk import fmt_value

_REASON_WORDS = {
    "seed": "the watchlist's own list",
    "caida-org": "CAIDA's AS-to-organization data",
    "as-org": "CAIDA's AS-to-organization data",
    "peeringdb-org": "PeeringDB organization records",
    "state-owned": "the IMC 2021 state-owned operators dataset",
}


def p(v: Any) -> str:
    """A share in words-friendly form, or 'unknown'."""
    return "unknown" if v is None else fmt_value(float(v), "share")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 network``, ``2 networks``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def asn_label(n: dict[str, Any]) -> str:
    """``AS4134 (CHINANET-BACKBONE)`` or ``AS4134``."""
    return f"AS{n['asn']} ({n['name']})" if n.get("name") else f"AS{n['asn']}"


def _list(items: list[str], limit: int = 3) -> str:
    if not items:
        return ""
    more = len(items) - limit
    shown = items[:limit]
    s = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if more <= 0 else \
        ", ".join(shown) + f" and {more} more"
    return s


def networks_text(e: dict[str, Any]) -> str:
    nets = e.get("networks") or []
    name = e.get("name") or e.get("id")
    if not nets:
        return f"{name}: none of its networks could be found in this snapshot's data."
    kinds = sorted({r.get("kind") for n in nets for r in n.get("reasons") or [] if r.get("kind")})
    via = _list([_REASON_WORDS.get(k, k) for k in kinds], 4) or "no recorded source"
    owner = f", owned from {e['owner_country']}," if e.get("owner_country") else ""
    tick = f" (listed as {', '.join(e['tickers'])})" if e.get("tickers") else ""
    return (f"{name}{tick}{owner} operates {len(nets)} network{'s' if len(nets) != 1 else ''} (autonomous "
            f"systems) in this data, among them {_list([asn_label(n) for n in nets])}; they were "
            f"attributed to it through {via}.")


def exposure_text(e: dict[str, Any], cc: str) -> str:
    inb = ((e.get("exposure") or {}).get("inbound") or {}).get("v4") or {}
    out = ((e.get("exposure") or {}).get("outbound") or {}).get("v4") or {}
    s = (f"Of the routes the measurement points see towards {cc}'s IPv4 address space, {p(inb.get('by_address'))} "
         f"(weighted by addresses) pass through these networks, and {p(inb.get('reach_by_address'))} of "
         f"{cc}'s seen address space has at least one route through them.")
    if out.get("by_address") is not None:
        s += f" Of routes leaving {cc} towards the rest of the world, {p(out.get('by_address'))} cross them."
    else:
        s += f" Routes leaving {cc} could not be measured (no usable vantage point inside {cc})."
    return s


def footprint_text(e: dict[str, Any], cc: str) -> str:
    d = e.get("derived") or {}
    fp = e.get("footprint") or {}
    cities = [c["city"] for c in d.get("footprint_by_city") or []]
    pic = ((fp.get("prefixes_in_country") or {}).get("count") or {}).get("v4", 0) or 0
    nf, nx = d.get("in_country_facilities", 0), d.get("in_country_ixps", 0)
    if nf == 0 and nx == 0:
        s = f"No PeeringDB record places these networks in a facility or exchange point in {cc}"
    else:
        s = (f"They are present in {nf} data-centre facilit{'ies' if nf != 1 else 'y'} and {nx} internet "
             f"exchange point{'s' if nx != 1 else ''} in {cc}, in {_list(cities, 4)}")
    return s + f"; they originate {pic} IPv4 prefix{'es' if pic != 1 else ''} located in {cc}."


def dependence_text(e: dict[str, Any], cc: str) -> str:
    d = e.get("derived") or {}
    cone = (e.get("adjacency") or {}).get("cone") or {}
    top = (((e.get("exposure") or {}).get("inbound") or {}).get("per_origin") or [])[:3]
    nc = d.get("in_country_customers", 0)
    s = (f"{plural(nc, 'network')} in {cc} {'buys' if nc == 1 else 'buy'} transit from them, "
         f"{d.get('in_country_peers', 0)} peer with them and {d.get('in_country_providers', 0)} sell them "
         f"transit (CAIDA AS relationships); their customer cone in {cc} holds "
         f"{plural(cone.get('ases', 0) or 0, 'network')} and {p(d.get('cone_share_v4'))} of {cc}'s IPv4 space.")
    if top:
        s += " The most exposed networks in " + cc + " are " + _list(
            [f"{asn_label(o)}, {p(o.get('by_address'))} of its routes" for o in top]) + "."
    return s


def confidence_text(e: dict[str, Any]) -> str:
    c = e.get("confidence") or {}
    level = c.get("level") or "unknown"
    s = (f"Confidence is {level}: {c.get('inbound_vantage_points', 'an unknown number of')} measurement "
         f"points outside the country in {c.get('countries_of_vantage_points', 'an unknown number of')} "
         f"countries, {p(c.get('seen_share_v4'))} of the country's address space seen, "
         f"{c.get('paths_crossing', 0)} observed routes crossing these networks.")
    reasons = c.get("reasons") or []
    if reasons:
        s += " Limits: " + "; ".join(reasons) + "."
    return s


def entity_summary(e: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Five paragraphs plus the risk sentence, as plain text."""
    cc = report.get("country") or "the country"
    risk = e.get("risk") or {}
    out = [networks_text(e), exposure_text(e, cc), footprint_text(e, cc), dependence_text(e, cc),
           confidence_text(e)]
    if risk:
        out.append(str(risk.get("statement", "")))
    if report.get("synthetic"):
        out.append("These figures come from a SYNTHETIC Internet and describe no real network.")
    return out
