"""The real networks the world places by name: the tier-1 clique and state-owned carriers.

ASNs and names are checked against the IMC 2021 state-owned ASes dataset (Carisimo et al.,
"Identifying ASes of State-Owned Internet Operators", IMC 2021) and CAIDA's 2025-01-01 clique.
AS23764 (CTGNet) is China Telecom's global arm by its CAIDA name; it is not in the IMC 2021 table.
AS21859 is not a China Telecom network (it is Zenlayer), so it is left out; China Telecom's US arm
in the IMC 2021 table is AS36678 (target country US), China Unicom's is AS19174.
"""

from __future__ import annotations

from dataclasses import dataclass

# CAIDA as-rel2 20250101 "# input clique" with the countries of their operators.
CLIQUE: dict[int, tuple[str, str]] = {
    174: ("COGENT-174", "US"), 209: ("CENTURYLINK-US-LEGACY-QWEST", "US"), 286: ("KPN", "NL"),
    701: ("UUNET", "US"), 1239: ("SPRINTLINK", "US"), 1299: ("TWELVE99", "SE"),
    2828: ("XO-AS15", "US"), 2914: ("NTT-LTD-2914", "US"), 3257: ("GTT-BACKBONE", "DE"),
    3320: ("DTAG", "DE"), 3356: ("LEVEL3", "US"), 3491: ("BTN-ASN", "US"), 5511: ("OPENTRANSIT", "FR"),
    6453: ("AS6453", "US"), 6461: ("ZAYO-6461", "US"), 6762: ("SEABONE-NET", "IT"),
    6830: ("LIBERTYGLOBAL", "NL"), 7018: ("ATT-INTERNET4", "US"), 12956: ("TELXIUS", "ES"),
}


@dataclass(frozen=True, slots=True)
class Carrier:
    """One network of a state-owned operator: where it sits and what part it plays."""

    asn: int
    name: str
    org: str  # the org id it shares with its siblings
    org_name: str
    cc: str  # registration country
    role: str  # "national" | "international" | "us-arm" | "province"
    conglomerate: str  # the IMC 2021 conglomerate id
    us_presence: bool = False  # facilities, IXP ports and cloud prefixes in US cities


CARRIERS: list[Carrier] = [
    Carrier(4134, "CHINANET-BACKBONE", "ORG-CT-CN", "China Telecom", "CN", "national", "CN-TELECOM", True),
    Carrier(4809, "CHINATELECOM-CORE-WAN-CN2", "ORG-CT-CN", "China Telecom", "CN", "international", "CN-TELECOM", True),
    Carrier(23764, "CTGNet", "ORG-CTG-HK", "China Telecom Global Limited", "HK", "international", "CN-TELECOM", True),
    Carrier(36678, "CTUSA", "ORG-CTA-US", "China Telecom (Americas) Corporation", "US", "us-arm", "CN-TELECOM", True),
    Carrier(9808, "CMNET-GD", "ORG-CM-CN", "China Mobile", "CN", "national", "CN-MOBILE"),
    Carrier(58453, "CMI-INT-HK", "ORG-CMI-HK", "China Mobile International Limited", "HK", "international", "CN-MOBILE", True),
    Carrier(58807, "CMIN2-NET", "ORG-CMI-HK", "China Mobile International Limited", "HK", "international", "CN-MOBILE", True),
    Carrier(4837, "CHINA169-BACKBONE", "ORG-CU-CN", "China Unicom", "CN", "national", "CN-UNICOM"),
    Carrier(9929, "CNCNET-CN", "ORG-CU-CN", "China Unicom", "CN", "international", "CN-UNICOM", True),
    Carrier(10099, "UNICOM-Global", "ORG-CUG-HK", "China Unicom (Hong Kong) Operations Limited", "HK", "international", "CN-UNICOM", True),
    Carrier(19174, "CUA-US", "ORG-CUA-US", "China Unicom (Americas) Operations Ltd", "US", "us-arm", "CN-UNICOM", True),
    Carrier(12389, "ROSTELECOM-AS", "ORG-RT-RU", "PJSC Rostelecom", "RU", "national", "RU-ROSTELECOM"),
    Carrier(4788, "TMNET-AS-AP", "ORG-TM-MY", "Telekom Malaysia Bhd.", "MY", "national", "MY-TM"),
    Carrier(8966, "ETISALAT-CW", "ORG-ET-AE", "Emirates Telecommunications Corporation", "AE", "international", "AE-ETISALAT"),
    Carrier(5384, "EMIRATES-INTERNET", "ORG-ET-AE", "Emirates Telecommunications Corporation", "AE", "national", "AE-ETISALAT"),
    Carrier(39386, "STC-IGW-AS", "ORG-STC-SA", "Saudi Telecom Company JSC", "SA", "international", "SA-STC"),
    Carrier(25019, "SAUDINETSTC-AS", "ORG-STC-SA", "Saudi Telecom Company JSC", "SA", "national", "SA-STC"),
]
# Provincial and regional networks of the three Chinese carriers (ASNs from the IMC 2021 table),
# single-homed to their backbone; their AS names here are placeholders, not the registry's.
_PROVINCES = {("CN-TELECOM", "ORG-CT-CN", "China Telecom", 4134, "CHINATELECOM"): [4811, 4812, 23724],
              ("CN-MOBILE", "ORG-CM-CN", "China Mobile", 9808, "CMNET"): [24400, 24444, 24445, 56040, 56046, 56047, 56048],
              ("CN-UNICOM", "ORG-CU-CN", "China Unicom", 4837, "UNICOM"): [17621, 17622, 17816]}
for (_cong, _org, _oname, _up, _pre), _asns in _PROVINCES.items():
    CARRIERS += [Carrier(a, f"{_pre}-{a}", _org, _oname, "CN", "province", _cong) for a in _asns]
CARRIERS.append(Carrier(9231, "CMNET-9231", "ORG-CMI-HK", "China Mobile International Limited", "HK", "province", "CN-MOBILE"))
BY_ASN = {c.asn: c for c in CARRIERS}

# Provider links inside each operator (provider, customer), as the real graph has them.
INTERNAL_P2C: list[tuple[int, int]] = [
    (4134, 4809), (4134, 36678), (4809, 36678), (23764, 4134), (23764, 4809),
    (58453, 9808), (58453, 58807), (4837, 9929), (4837, 10099), (4837, 19174), (10099, 19174),
    (8966, 5384), (39386, 25019), (58453, 9231),
] + [(up, a) for (_c, _o, _n, up, _p), asns in _PROVINCES.items() for a in asns]
WATCHED_CN = {"CN-TELECOM": "China Telecom", "CN-MOBILE": "China Mobile", "CN-UNICOM": "China Unicom"}
