"""Static geography of the synthetic world: RIR address pools, real cities, IXPs and collectors.

These are public facts (IANA /8 registry per RIR, well-known exchange points and their cities, the
RouteViews and RIS collector names), not calibration figures; the calibration lives in
`calibration.json`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

RIRS = ("afrinic", "apnic", "arin", "lacnic", "ripencc")

# IANA IPv4 /8s delegated to each RIR (a subset of the IANA registry), allocated in this order.
# 185/8 is kept out: the world's exchange-point LANs come from 185.1.0.0/16.
V4_POOLS: dict[str, list[int]] = {
    "arin": [23, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 100,
             104, 107, 108, 136, 142, 143, 144, 146, 147, 148, 149, 152, 155, 156, 157, 158, 159, 160,
             161, 162, 164, 165, 166, 167, 168, 169, 170, 172, 173, 174, 184, 192, 198, 199, 204, 205,
             206, 207, 208, 209, 216],
    "ripencc": [2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92,
                93, 94, 95, 109, 141, 145, 151, 176, 178, 188, 193, 194, 195, 212, 213, 217],
    "apnic": [1, 14, 27, 36, 39, 42, 43, 49, 58, 59, 60, 61, 101, 103, 106, 110, 111, 112, 113, 114,
              115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 150, 153, 163, 171, 175, 180,
              182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223],
    "lacnic": [177, 179, 181, 186, 187, 189, 190, 191, 200, 201],
    "afrinic": [41, 102, 105, 154, 196, 197],
}
# IPv6 /12 per RIR (IANA).
V6_POOLS = {"arin": 0x2600, "ripencc": 0x2A00, "apnic": 0x2400, "lacnic": 0x2800, "afrinic": 0x2C00}
# RPKI trust anchor names as the validators print them.
TA = {"arin": "arin", "ripencc": "ripe", "apnic": "apnic", "lacnic": "lacnic", "afrinic": "afrinic"}

# Real cities with carrier-neutral facilities, by country (first one hosts the main IXP).
CITIES: dict[str, list[str]] = {
    "US": ["Ashburn", "Los Angeles", "New York", "San Jose", "Chicago", "Dallas", "Miami", "Seattle"],
    "CN": ["Beijing", "Shanghai", "Guangzhou"], "HK": ["Hong Kong"], "JP": ["Tokyo", "Osaka"],
    "DE": ["Frankfurt", "Berlin"], "GB": ["London", "Manchester"], "NL": ["Amsterdam"],
    "FR": ["Paris", "Marseille"], "RU": ["Moscow", "Saint Petersburg"], "BR": ["Sao Paulo", "Rio de Janeiro"],
    "SG": ["Singapore"], "AU": ["Sydney", "Perth"], "ZA": ["Johannesburg", "Cape Town"], "IN": ["Mumbai", "Chennai"],
    "MY": ["Kuala Lumpur"], "AE": ["Dubai"], "SA": ["Riyadh"], "SE": ["Stockholm"], "IT": ["Milan"],
    "ES": ["Madrid"], "CH": ["Zurich"], "AT": ["Vienna"], "PL": ["Warsaw"], "CA": ["Toronto"],
    "KR": ["Seoul"], "AR": ["Buenos Aires"], "KE": ["Nairobi"],
}
# Exchange points modelled on real ones: (name, city, country).
IXPS: list[tuple[str, str, str]] = [
    ("Equinix Ashburn", "Ashburn", "US"), ("Any2 Los Angeles", "Los Angeles", "US"),
    ("Equinix San Jose", "San Jose", "US"), ("NYIIX New York", "New York", "US"),
    ("SIX Seattle", "Seattle", "US"), ("Equinix Chicago", "Chicago", "US"), ("DE-CIX Dallas", "Dallas", "US"),
    ("Equinix Miami", "Miami", "US"), ("DE-CIX Frankfurt", "Frankfurt", "DE"), ("AMS-IX", "Amsterdam", "NL"),
    ("LINX LON1", "London", "GB"), ("France-IX Paris", "Paris", "FR"), ("MSK-IX Moscow", "Moscow", "RU"),
    ("IX.br Sao Paulo", "Sao Paulo", "BR"), ("HKIX", "Hong Kong", "HK"), ("JPNAP Tokyo", "Tokyo", "JP"),
    ("SGIX", "Singapore", "SG"), ("Equinix Sydney", "Sydney", "AU"), ("NAPAfrica Johannesburg", "Johannesburg", "ZA"),
    ("Netnod Stockholm", "Stockholm", "SE"), ("MIX Milan", "Milan", "IT"), ("ESpanix Madrid", "Madrid", "ES"),
    ("SwissIX", "Zurich", "CH"), ("VIX Vienna", "Vienna", "AT"), ("MyIX Kuala Lumpur", "Kuala Lumpur", "MY"),
    ("UAE-IX Dubai", "Dubai", "AE"), ("Mumbai IX", "Mumbai", "IN"), ("KINX Seoul", "Seoul", "KR"),
    ("TorIX", "Toronto", "CA"), ("CHN-IX Shanghai", "Shanghai", "CN"), ("KIXP Nairobi", "Nairobi", "KE"),
]
# Collectors modelled on RouteViews (.bz2, rib.*) and RIS (.gz, bview.*): (name, archive, city, cc, ixp).
COLLECTORS: list[tuple[str, str, str, str, str | None]] = [
    ("route-views2", "routeviews", "Eugene", "US", None),
    ("route-views.eqix", "routeviews", "Ashburn", "US", "Equinix Ashburn"),
    ("route-views.sydney", "routeviews", "Sydney", "AU", "Equinix Sydney"),
    ("route-views.linx", "routeviews", "London", "GB", "LINX LON1"),
    ("route-views.saopaulo", "routeviews", "Sao Paulo", "BR", "IX.br Sao Paulo"),
    ("route-views.wide", "routeviews", "Tokyo", "JP", "JPNAP Tokyo"),
    ("route-views.sg", "routeviews", "Singapore", "SG", "SGIX"),
    ("rrc00", "ris", "Amsterdam", "NL", None),
    ("rrc01", "ris", "London", "GB", "LINX LON1"),
    ("rrc03", "ris", "Amsterdam", "NL", "AMS-IX"),
    ("rrc06", "ris", "Tokyo", "JP", "JPNAP Tokyo"),
    ("rrc12", "ris", "Frankfurt", "DE", "DE-CIX Frankfurt"),
    ("rrc13", "ris", "Moscow", "RU", "MSK-IX Moscow"),
    ("rrc14", "ris", "San Jose", "US", "Equinix San Jose"),
    ("rrc19", "ris", "Johannesburg", "ZA", "NAPAfrica Johannesburg"),
]
COLLECTOR_ASN = {"routeviews": 6447, "ris": 12654}


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The shipped calibration figures (made by scripts/calibrate_world.py from ../shared/data)."""
    return json.loads((Path(__file__).with_name("calibration.json")).read_text())


def country_table() -> list[tuple[str, str, float, float]]:
    """(cc, rir, share of ASes, share of IPv4 space) per calibrated country, shares renormalised."""
    c = calibration()["countries"]
    ta = sum(v["as_share"] for v in c.values())
    tv = sum(v["ipv4_share"] for v in c.values())
    return [(cc, v["rir"], v["as_share"] / ta, v["ipv4_share"] / tv) for cc, v in sorted(c.items())]


def city_of(cc: str, k: int = 0) -> str:
    """A real city of country `cc` (its capital-ish first city when unknown)."""
    cities = CITIES.get(cc)
    return cities[k % len(cities)] if cities else f"{cc} City"
