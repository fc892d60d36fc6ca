#!/usr/bin/env python3
"""Derive the synthetic world's calibration figures from the real reference data, once.

Reads ../shared/data (CAIDA 2025-01-01 as-rel2, CAIDA AS-to-org 2021-10-01, the RIR delegated files of
2019-09, the CTI PAM 2022 result tables, the IMC 2021 state-owned ASes) and writes the small
`src/onpath/world/calibration.json` the package ships. The world never reads ../shared at run time.

example: python scripts/calibrate_world.py --data ../shared/data --out src/onpath/world/calibration.json
"""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import json
import sys
from collections import Counter, defaultdict, deque
from pathlib import Path

import numpy as np

WATCHED = [4134, 4809, 23764, 36678, 9808, 58453, 58807, 4837, 9929, 10099, 19174,
           12389, 4788, 8966, 5384, 39386, 25019]
QS = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999]


def _asrel(path: Path):
    links, clique = [], []
    with bz2.open(path, "rt") as f:
        for line in f:
            if line.startswith("# input clique:"):
                clique = [int(x) for x in line.split(":", 1)[1].split()]
            if line.startswith("#"):
                continue
            a, b, r = line.split("|")[:3]
            links.append((int(a), int(b), int(r)))
    return links, clique


def graph_figures(links, clique):
    """Degree, peering share, hierarchy depth, cone sizes and multihoming of the real graph."""
    deg, prov, cust, peer = Counter(), defaultdict(list), defaultdict(list), Counter()
    for a, b, r in links:
        deg[a] += 1
        deg[b] += 1
        if r == -1:
            cust[a].append(b)
            prov[b].append(a)
        else:
            peer[a] += 1
            peer[b] += 1
    asns = sorted(deg)
    d = np.array([deg[a] for a in asns])
    # depth: hops down provider->customer links from the clique (BFS)
    depth = {a: 0 for a in clique}
    q = deque(clique)
    while q:
        x = q.popleft()
        for c in cust.get(x, ()):
            if c not in depth:
                depth[c] = depth[x] + 1
                q.append(c)
    # customer cone sizes (recursive, memo by DFS on the DAG; cycles guarded)

    def cone_of(a):
        stack, order, seen = [a], [], set()
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            order.append(x)
            stack.extend(cust.get(x, ()))
        return len(seen)

    transit = [a for a in asns if cust.get(a)]
    cones = np.array(sorted(cone_of(a) for a in transit))
    nprov = Counter(min(len(prov.get(a, ())), 4) for a in asns if a not in clique)
    return {
        "ases": len(asns),
        "links": len(links),
        "p2p_share": round(sum(1 for _, _, r in links if r == 0) / len(links), 4),
        "mean_degree": round(float(d.mean()), 3),
        "degree_quantiles": {str(q): float(np.quantile(d, q)) for q in QS},
        "degree_max": int(d.max()),
        "degree_top20": sorted((int(x) for x in d), reverse=True)[:20],
        "degree1_share": round(float((d == 1).mean()), 4),
        "stub_share": round(1 - len(transit) / len(asns), 4),
        "ases_with_peers_share": round(sum(1 for a in asns if peer[a]) / len(asns), 4),
        "depth_shares": {str(k): round(v / len(depth), 4) for k, v in sorted(Counter(depth.values()).items())},
        "unreached_by_p2c_share": round(1 - len(depth) / len(asns), 4),
        "cone_quantiles_transit": {str(q): float(np.quantile(cones, q)) for q in QS},
        "cone_max": int(cones.max()),
        "providers_count_shares": {str(k): round(v / sum(nprov.values()), 4) for k, v in sorted(nprov.items())},
        "clique": clique,
    }, prov, cust, deg


def org_countries(path: Path):
    orgs, as_org, as_name = {}, {}, {}
    with gzip.open(path, "rt") as f:
        for line in f:
            o = json.loads(line)
            if o.get("type") == "Organization":
                orgs[o["organizationId"]] = (o.get("country") or "", o.get("source") or "", o.get("name") or "")
            elif o.get("type") == "ASN":
                as_org[int(o["asn"])] = o.get("organizationId")
                as_name[int(o["asn"])] = o.get("name") or ""
    cc = {a: orgs.get(oid, ("", "", ""))[0] for a, oid in as_org.items()}
    rir = {a: orgs.get(oid, ("", "", ""))[1] for a, oid in as_org.items()}
    return cc, rir, as_name


def rir_ipv4(paths):
    tot = Counter()
    for p in paths:
        for line in open(p, encoding="utf-8", errors="replace"):
            f = line.strip().split("|")
            if len(f) >= 7 and f[2] == "ipv4" and f[1] not in ("*", "") and f[6] in ("allocated", "assigned"):
                tot[f[1]] += int(f[4])
    return tot


def cti_tables(base: Path):
    out = {}
    for p in sorted((base / "origin").glob("*.csv")):
        vals = []
        with open(p, encoding="latin-1") as f:
            next(f)
            for row in csv.reader(f):
                if len(row) >= 3:
                    vals.append(float(row[-2]))
        v = np.array(sorted(vals, reverse=True))
        out[p.stem] = {
            "origins": len(v),
            "slash24": round(float(v.sum())),
            "top1_share": round(float(v[:1].sum() / v.sum()), 4),
            "top10_share": round(float(v[:10].sum() / v.sum()), 4),
            "top100_share": round(float(v[:100].sum() / v.sum()), 4),
        }
    vps = {"collectors": {}, "countries": Counter(), "peers": 0, "full": 0}
    for line in open(base / "collector-peers-geo.20180301.jsonl"):
        d = json.loads(line)
        peers = d["peers"]
        vps["collectors"][d["collector"]] = {"country": d.get("country"), "peers": len(peers),
                                             "full": sum(p["full_feed"] == "1" for p in peers)}
        for p in peers:
            vps["peers"] += 1
            vps["full"] += p["full_feed"] == "1"
            c = p.get("final_country") or ""
            if len(c) == 2 and c.isalpha():
                vps["countries"][c] += 1
    vps["full_share"] = round(vps["full"] / vps["peers"], 4)
    vps["countries"] = dict(vps["countries"].most_common(30))
    return out, vps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src/onpath/world/calibration.json")
    args = ap.parse_args(argv)
    d = args.data
    print("reading CAIDA as-rel2 2025-01-01 ...", file=sys.stderr)
    links, clique = _asrel(d / "caida/20250101.as-rel2.txt.bz2")
    graph, prov, cust, deg = graph_figures(links, clique)
    print("reading AS-to-org 2021-10-01 ...", file=sys.stderr)
    cc, rir, as_name = org_countries(d / "caida/20211001.as-org2info.jsonl.gz")
    ascount = Counter(cc[a] for a in deg if cc.get(a))
    regions = defaultdict(Counter)
    for a in deg:
        if cc.get(a):
            regions[cc[a]][rir.get(a, "")] += 1
    print("reading RIR delegated 2019-09 and CTI tables ...", file=sys.stderr)
    rirv4 = rir_ipv4([d / "rir/2019-09/delegated-apnic-latest", d / "rir/2019-09/delegated-afrinic-extended-latest",
                      d / "rir/2019-09/delegated-lacnic-extended-latest"])
    cti, vps = cti_tables(d / "reference/cti-pam2022")
    scale = np.median([rirv4[c] / (cti[c]["slash24"] * 256) for c in ("BR", "CN", "IN", "JP") if c in cti and rirv4[c]])
    total_ases = sum(ascount.values())
    need = {"CN", "US", "RU", "MY", "AE", "SA", "HK", "SG", "GB", "DE", "JP", "BR", "IN", "FR"}
    countries = {}
    per_as = []
    for c, n in ascount.most_common():
        if n / total_ases >= 0.002 or c in need:
            reg = regions[c].most_common(1)[0][0].lower() or "ripencc"
            reg = {"ripe": "ripencc", "jpnic": "apnic", "krnic": "apnic", "twnic": "apnic", "cnnic": "apnic", "idnic": "apnic", "nic-br": "lacnic", "nicmx": "lacnic"}.get(reg, reg)
            if reg in ("apnic", "afrinic", "lacnic") and rirv4.get(c):
                addr, basis = rirv4[c], "rir-2019"
            elif c in cti:
                addr, basis = int(cti[c]["slash24"] * 256 * scale), "cti-geo-scaled"
            else:
                addr, basis = None, "as-count"
            countries[c] = {"as_share": round(n / total_ases, 5), "rir": reg, "ipv4": addr, "ipv4_basis": basis}
            if addr:
                per_as.append(addr / n)
    med = float(np.median(per_as))
    for v in countries.values():
        if v["ipv4"] is None:
            v["ipv4"] = int(med * v["as_share"] * total_ases)
    tot4 = sum(v["ipv4"] for v in countries.values())
    for v in countries.values():
        v["ipv4_share"] = round(v.pop("ipv4") / tot4, 5)
    watched = {}
    for w in WATCHED:
        ps, cs = prov.get(w, []), cust.get(w, [])
        peers = [b for a, b, r in links if r == 0 and a == w] + [a for a, b, r in links if r == 0 and b == w]
        us_n = Counter(cc.get(x, "") for x in ps + cs + peers)
        watched[str(w)] = {"name": as_name.get(w, ""), "cc": cc.get(w, ""), "degree": deg.get(w, 0),
                           "providers": sorted(ps), "customers": len(cs), "peers": len(peers),
                           "clique_peers": sorted(x for x in peers if x in clique),
                           "us_neighbours": us_n.get("US", 0),
                           "neighbour_countries": dict(us_n.most_common(6))}
    out = {
        "sources": {
            "graph": "CAIDA serial-2 as-rel2 20250101 (../shared/data/caida/20250101.as-rel2.txt.bz2)",
            "countries": "CAIDA as-org2info 20211001 (AS counts); RIR delegated 2019-09 APNIC/AFRINIC/LACNIC (IPv4); CTI PAM 2022 origin tables scaled (other)",
            "vantage_points": "CTI PAM 2022 collector-peers-geo.20180301.jsonl",
            "validation": "Luckie et al., AS Relationships, Customer Cones, and Validation, IMC 2013: 99.6% p2c, 98.7% p2p PPV",
        },
        "graph": graph,
        "countries": countries,
        "cti_origin": cti,
        "vantage_points": vps,
        "watched": watched,
    }
    args.out.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
