"""Organizations and AS-to-org: real names for the clique and the state-owned carriers, made-up
names for everyone else, and a few multi-AS organizations (siblings)."""

from __future__ import annotations

import numpy as np

from onpath.world.entities import BY_ASN, CLIQUE
from onpath.world.geography import calibration
from onpath.world.topology import CONTENT, LARGE, REGIONAL, Topology

_SYL = ["ka", "lo", "mi", "ne", "tra", "vo", "zen", "qui", "dar", "bel", "cor", "fin", "gal", "hex",
        "ion", "jet", "kor", "lum", "mar", "nov", "orb", "pax", "rex", "sol", "tel", "uni", "vir", "wav"]
_SUFFIX = {LARGE: "Telecom", REGIONAL: "Networks", CONTENT: "Cloud"}
CAIDA_SOURCE = {"arin": "ARIN", "ripencc": "RIPE", "apnic": "APNIC", "lacnic": "LACNIC", "afrinic": "AFRINIC"}


def _name(rng: np.random.Generator) -> str:
    k = int(rng.integers(2, 4))
    return "".join(_SYL[int(i)] for i in rng.integers(0, len(_SYL), k)).capitalize()


def build(t: Topology, rir_of_cc: dict[str, str], rng: np.random.Generator) -> list[dict]:
    """The `as_org` rows (SPEC §2) of every AS: asn, org_id, org_name, country, source, as_name.

    Parameters
    ----------
    t : Topology
    rir_of_cc : dict
        Country -> RIR (``arin``, ``ripencc``, ...).
    rng : numpy.random.Generator

    Returns
    -------
    list of dict
        One row per AS, in ASN order.
    """
    rows = []
    sib_pending: dict[str, dict] = {}
    for i in np.argsort(t.asn, kind="stable"):
        asn, cc = int(t.asn[i]), str(t.cc[i])
        src = CAIDA_SOURCE[rir_of_cc.get(cc, "ripencc")]
        if asn in BY_ASN:
            c = BY_ASN[asn]
            src = CAIDA_SOURCE[rir_of_cc.get(c.cc, "apnic")]
            rows.append({"asn": asn, "org_id": f"{c.org}-{src}", "org_name": c.org_name, "country": c.cc,
                         "source": src, "as_name": c.name})
            continue
        if asn in CLIQUE:
            nm, ccc = CLIQUE[asn]
            rows.append({"asn": asn, "org_id": f"ORG-T{asn}-{src}", "org_name": nm.split("-")[0].title() + " Backbone",
                         "country": ccc, "source": src, "as_name": nm})
            continue
        base = _name(rng)
        role = int(t.role[i])
        org_name = f"{base} {_SUFFIX.get(role, 'Internet')}"
        as_name = f"{base.upper()}-{cc}"
        if role in (LARGE, REGIONAL) and cc in sib_pending and rng.random() < 0.15:
            o = sib_pending.pop(cc)  # a sibling: second AS of an existing organization
            rows.append({**o, "asn": asn, "as_name": f"{o['as_name']}-{asn % 100}"})
            continue
        row = {"asn": asn, "org_id": f"ORG-{base[:4].upper()}{asn}-{src}", "org_name": org_name,
               "country": cc, "source": src, "as_name": as_name}
        if role in (LARGE, REGIONAL):
            sib_pending[cc] = row
        rows.append(row)
    return rows


def rir_of_country() -> dict[str, str]:
    """Country -> RIR from the calibration (HK and CN are APNIC, US ARIN, ...)."""
    return {cc: v["rir"] for cc, v in calibration()["countries"].items()}
