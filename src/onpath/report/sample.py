"""A generated analysis in the shape ``onpath.metrics.analyze`` returns (docs/metrics.md).

For tests and benchmarks of the report stage alone, and to preview the report without a snapshot.
Seeded and self-consistent (shares in [0, 1], crossing counts below totals); it is SYNTHETIC and
its figures describe no network.
"""

from __future__ import annotations

import random
from typing import Any

CITIES = ["Los Angeles", "San Jose", "New York", "Ashburn", "Chicago", "Dallas", "Seattle", "Miami"]
ENTITIES: list[tuple[str, str, list[str], list[int]]] = [("china-telecom", "China Telecom", ["0728.HK"], [4134, 4809, 23764]),
            ("china-mobile", "China Mobile", ["0941.HK"], [9808, 58453]),
            ("china-unicom", "China Unicom", ["0762.HK"], [4837, 9929, 10099])]


def _family(r: random.Random, scale: float, space: float) -> dict[str, Any]:
    paths = r.randint(2000, 6000)
    crossing = int(paths * scale * r.uniform(0.5, 1.5))
    prefixes = r.randint(80, 400)
    return {"by_address": round(scale, 6), "reach_by_address": round(min(1.0, scale * r.uniform(3, 8)), 6),
            "by_prefix": round(scale * r.uniform(0.6, 1.4), 6), "by_path": round(crossing / paths, 6),
            "prefixes": prefixes, "prefixes_crossed": int(prefixes * min(1.0, scale * 4)),
            "address_space": space, "paths": paths, "paths_crossing": crossing}


def _direction(r: random.Random, scale: float, nets: list[int], cc: str) -> dict[str, Any]:
    vps: list[dict[str, Any]] = [{"collector": f"rrc{i:02d}", "peer_ip": f"192.0.2.{i + 1}", "peer_asn": 64600 + i,
            "cc": r.choice(["NL", "DE", "JP", "BR", cc]), "paths": 150, "paths_crossing": int(150 * scale * (i + 1) / 4),
            "by_path": round(scale * (i + 1) / 4, 6), "by_address": round(scale * (i + 1) / 4, 6)} for i in range(6)]
    vps.sort(key=lambda v: (-v["by_path"], v["collector"], v["peer_ip"]))
    po = [{"asn": 64500 + i, "name": f"EXAMPLE-NET-{i}", "prefixes": r.randint(1, 9),
           "address_space": float(r.randint(1, 64)), "by_address": round(min(1.0, scale * 10 / (i + 1)), 6)}
          for i in range(8)]
    return {"v4": _family(r, scale, 812.5), "v6": _family(r, scale / 2, 65536.0),
            "per_vantage_point": vps, "per_origin": po}


def sample_analysis(seed: int = 1, country: str = "US", entities: int = 3, networks: int = 3) -> dict[str, Any]:
    """An analysis dict for ``country`` with ``entities`` watched entities (docs/metrics.md shape)."""
    r = random.Random(seed)
    ents = []
    for k in range(entities):
        eid, name, tick, seeds = ENTITIES[k % len(ENTITIES)]
        if k >= len(ENTITIES):
            eid, name = f"{eid}-{k}", f"{name} {k}"
        nets = sorted(set(seeds[:networks]) | {65000 + 100 * k + j for j in range(max(0, networks - len(seeds)))})
        scale = [0.12, 0.03, 0.004][k % 3] * r.uniform(0.8, 1.2)
        fac: list[dict[str, Any]] = [{"id": 100 * k + i, "name": f"Facility {i} of {name}", "city": CITIES[(i * (k + 1)) % len(CITIES)],
                "asns": nets[:1], "co_located_networks": r.randint(10, 300)} for i in range(r.randint(1, 7))]
        fac.sort(key=lambda f: str(f["name"]))
        ixps: list[dict[str, Any]] = [{"id": 900 + 10 * k + i, "name": f"IX-{i}", "city": CITIES[i % len(CITIES)], "asns": nets[:1],
                 "members": r.randint(50, 800)} for i in range(r.randint(0, 3))]
        cust: list[dict[str, Any]] = [{"asn": 64700 + 10 * k + i, "name": f"CUSTOMER-{k}-{i}", "via": nets[:1]} for i in range(r.randint(0, 14))]
        ents.append({
            "id": eid, "name": name, "tickers": tick, "owner_country": "CN",
            "facts": [{"text": f"{name} is listed in the watchlist.", "source": "onpath watchlist cn-carriers"}],
            "networks": [{"asn": a, "name": f"NET-{a}", "country": "CN" if a < 64512 else country,
                          "reasons": [{"kind": "seed", "source": "watchlist cn-carriers", "detail": None}]
                          + ([{"kind": "caida-org", "source": "sha256:ab12 (as-org)", "detail": "org_id ORG-1"}]
                             if a != nets[0] else [])} for a in nets],
            "exposure": {"inbound": _direction(r, scale, nets, country), "outbound": _direction(r, scale / 3, nets, country)},
            "hegemony": {"country": round(scale * 0.8, 6), "per_asn": [{"asn": a, "country": round(scale * 0.8 / (i + 1), 6)}
                                                                       for i, a in enumerate(nets)],
                         "origins": [{"asn": 64500 + i, "hegemony": round(scale * 3 / (i + 1), 6)} for i in range(5)]},
            "cti": {"entity": round(scale * 0.6, 6), "per_asn": [{"asn": a, "cti": round(scale * 0.6 / (i + 1), 6)}
                                                                 for i, a in enumerate(nets)],
                    "definition": "CAIDA/mapkit-cti-code CTI-Netacuity/CTIn.py"},
            "adjacency": {"as_rel": {"customers": cust, "peers": [{"asn": 3356, "name": "LEVEL3", "via": nets[:1]}],
                                     "providers": []},
                          "observed": [{"asn": 3356, "name": "LEVEL3", "via": nets[:1], "relationship": "peer", "paths": 40}],
                          "cone": {"ases": len(cust) + 1, "prefixes": {"v4": 3 * len(cust), "v6": len(cust)},
                                   "address_space": {"v4_slash24": float(4 * len(cust)), "v6_slash48": float(len(cust))},
                                   "sample_asns": [c["asn"] for c in cust]}},
            "footprint": {"facilities": fac, "ixps": ixps,
                          "prefixes_in_country": {"count": {"v4": 3, "v6": 1},
                                                  "address_space": {"v4_slash24": 4.0, "v6_slash48": 1.0},
                                                  "sample": ["198.51.100.0/24"]}},
            "evidence": [{"figure": "exposure.inbound", "samples": [
                {"vantage_point": f"rrc0{i}|192.0.2.{i + 1}", "collector": f"rrc0{i}", "peer_ip": f"192.0.2.{i + 1}",
                 "prefix": f"203.0.{113 + i}.0/24", "path": [64600 + i, nets[0], 64500 + i], "count": 4 - i}
                for i in range(3)]}],
            "confidence": {"level": ["high", "medium", "low"][k % 3], "inbound_vantage_points": 25,
                           "outbound_vantage_points": 4, "countries_of_vantage_points": 9, "seen_share_v4": 0.97,
                           "paths_crossing": 27, "reasons": []},
        })
    return {
        "country": country,
        "country_basis": {"prefix": "geo", "as": "rir", "counts": {"geo": 300, "rir": 10, "iptocc": 2, "unknown": 1}},
        "coverage": {"paths_source": "rib",
                     "vantage_points": {"total": 40, "full_feed": 31, "used": 29, "excluded_in_watched": 2,
                                        "countries": {country: 4, "DE": 6, "NL": 9, "JP": 5, "??": 5}},
                     "inbound_vantage_points": 25, "outbound_vantage_points": 4,
                     "prefixes": {"v4": 312, "v6": 40}, "address_space": {"v4_slash24": 812.5, "v6_slash48": 65536.0},
                     "seen_share": {"v4": 0.97, "v6": None},
                     "paths": {"total": 5000, "usable": 4950, "with_set": 20, "with_loop": 30},
                     "dataset_dates": {"routes": "2025-01-01", "as_rel": "2025-01-01"}},
        "top_transit": [{"asn": 3356 + i, "name": f"TRANSIT-{i}", "hegemony": round(0.4 / (i + 1), 6),
                         "cti": round(0.25 / (i + 1), 6), "watched": False} for i in range(10)],
        "entities": ents,
        "conflicts": [],
    }


def sample_datasets() -> list[dict[str, Any]]:
    """Two manifest entries (SPEC §2) in the shape ``Snapshot.datasets`` gives, both synthetic."""
    return [
        {"kind": "mrt", "source": "/w/mrt/rrc00/bview.20250101.0000.gz", "sha256": "a" * 64, "bytes": 10,
         "records": 5, "skipped": 0, "rejected": 0, "synthetic": True, "date": "2025-01-01",
         "collector": "rrc00", "fetched_at": "2026-11-29T10:00:00+00:00"},
        {"kind": "as-rel", "source": "/w/caida/20241201.as-rel2.txt.bz2", "sha256": "b" * 64, "bytes": 10,
         "records": 5, "skipped": 0, "rejected": 0, "synthetic": True, "date": "2024-12-01"},
    ]
