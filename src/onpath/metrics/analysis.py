"""`analyze(snap, country, watchlist)`: every metric for one country and watchlist, as the plain
dict that becomes `report.json` (minus `snapshot`, `synthetic`, `risk`). Shape: docs/metrics.md.

The metric functions take tables; this module fetches them from the snapshot, once.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from onpath.entities.resolve import Resolution, resolve
from onpath.metrics.countries import as_countries
from onpath.metrics.coverage import confidence, coverage_of
from onpath.metrics.cti import cti, p2c_keys
from onpath.metrics.evidence import sample_paths
from onpath.metrics.exposure import exposure
from onpath.metrics.footprint import originated_in_country, peeringdb_footprint
from onpath.metrics.frame import PathFrame, isin_sorted
from onpath.metrics.hegemony import group_hegemony_by_origin, hegemony
from onpath.metrics.inputs import fill_names, names_of, prefix_table, table_or_none
from onpath.metrics.paths import observed_paths, vantage_point_table
from onpath.metrics.ribpaths import RibIndex
from onpath.metrics.topology import adjacency, customer_cone, neighbours, observed_adjacency

TOP = 20


def analyze(snap, country: str, watchlist=None, *, resolution: Resolution | None = None,
            paths: pa.Table | None = None, vantage_points: pa.Table | None = None, top: int = TOP,
            progress=None) -> dict:
    """Every SPEC §4 metric of `country` against the watchlist's entities.

    Parameters
    ----------
    snap : onpath.store.Snapshot
    country : str
        ISO 3166-1 alpha-2.
    watchlist : str, Path or Watchlist, optional
        Default `cn-carriers`.
    resolution : Resolution, optional
        Already resolved entities (else resolved here).
    paths : pyarrow.Table, optional
        A paths table (e.g. simulated, columns of `onpath.metrics.paths.PATHS_COLUMNS`) used
        instead of the observed paths. Its (collector, peer_ip) must be in the vantage points.
    vantage_points : pyarrow.Table, optional
        `collector`, `peer_ip`, `peer_asn`, `cc`, `full_feed` (default: the snapshot's, with the
        full-feed rule of SPEC §4).
    progress : callable, optional
        Called with a short label as each step starts (for progress displays).

    Returns
    -------
    dict
        Keys `country`, `country_basis`, `coverage`, `top_transit`, `entities`, `conflicts`
        (docs/metrics.md).
    """
    country = country.upper()
    step = progress or (lambda _label: None)
    step("resolving entities")
    res = resolution or resolve(snap, watchlist)
    con = snap.con()
    step("reading routes")
    rib = RibIndex.load(snap) if paths is None else None
    prefixes = prefix_table(snap, con, rib.prefixes() if rib is not None else None)
    if vantage_points is not None:
        vps = vantage_points
    else:
        vps = rib.vantage_points() if rib is not None else vantage_point_table(con)
    in_c_vps = vps.filter(pa.compute.equal(vps.column("cc"), country))
    c_pfx = prefixes.filter(pa.compute.equal(prefixes.column("cc"), country))
    source = "simulated" if paths is not None else None
    as_rel = table_or_none(snap, "as_rel")
    cones = {e.entity.id: customer_cone(as_rel, e.asns) if as_rel is not None else np.zeros(0, np.int64) for e in res.entities}
    cone_asns = set(np.concatenate(list(cones.values())).tolist()) if cones else set()
    all_w = res.all_asns()
    origins = rib.origins(cone_asns | all_w) if rib is not None else None
    if origins is None:
        con.register("_onpath_want", pa.table({"asn": pa.array(sorted(cone_asns | all_w), pa.uint32())}))
        origins = con.sql("SELECT DISTINCT prefix, origin_asn FROM routes WHERE kind <> 'withdraw' "
                          "AND origin_asn IN (SELECT asn FROM _onpath_want)").to_arrow_table()
        con.unregister("_onpath_want")
    step("observed paths")
    if paths is None:
        if rib is not None:
            paths = rib.paths(prefixes=c_pfx.column("prefix"), vantage_points=in_c_vps)
            rib = None  # free the full routes
        else:
            paths = observed_paths(con, prefixes=c_pfx, vantage_points=in_c_vps)
        srcs = sorted(str(x) for x in pc.unique(paths.column("source").cast(pa.string())).to_pylist()) if paths.num_rows else []
        source = "+".join(srcs) or "none"
    frame = PathFrame.build(paths, vps, prefixes)
    inb = frame.selection(country, "inbound", all_w)
    outb = frame.selection(country, "outbound", all_w)
    p2c = p2c_keys(as_rel) if as_rel is not None else None

    coverage, country_basis, conf = coverage_of(snap, frame, paths, prefixes, c_pfx, vps, inb, outb, all_w, country, source)
    inb_vps, inb_ccs, seen_v, outb_vps = conf["inbound_vantage_points"], conf["countries"], conf["seen_v4"], conf["outbound_vantage_points"]
    pfx_fam, pfx_units, pin = frame.family, frame.units, frame.in_country(country)[2]
    elig = frame.eligible_vp(all_w)

    # ---- context: top transit of C
    step("hegemony and CTI")
    groups = {e.entity.id: set(e.asns) for e in res.entities}
    heg_t, heg_g = hegemony(frame, inb, groups)
    cti_t, cti_g, cti_stats = cti(frame, country, p2c, excluded_asns=all_w, groups=groups) if p2c is not None else (None, {}, {})
    cti6_t, cti6_g, cti6_stats = cti(frame, country, p2c, excluded_asns=all_w, groups=groups, family=6) if p2c is not None else (None, {}, {})
    cti6_map = dict(zip(cti6_t.column("asn").to_pylist(), cti6_t.column("cti").to_pylist(), strict=True)) if cti6_t is not None else {}
    cti_map = dict(zip(cti_t.column("asn").to_pylist(), cti_t.column("cti").to_pylist(), strict=True)) if cti_t is not None else {}
    top_asns = heg_t.column("asn").to_pylist()[:top]
    need_names = set(top_asns) | all_w
    # ---- AS countries for adjacency and cones
    step("cones and AS countries")
    neighbour_asns = neighbours(as_rel, all_w) if as_rel is not None else set()
    path_asns = set(pc.unique(pa.array(frame.values)).to_pylist())
    as_cc, _as_basis = as_countries(snap, neighbour_asns | cone_asns | path_asns | all_w)
    in_c = {a for a, c in as_cc.items() if c == country}
    as_bases = sorted({b.split(" ")[0] for b in _as_basis.values()})
    country_basis["as"] = "|".join(as_bases) if as_bases else "unknown"
    pfx_strings = prefixes.column("prefix")
    pdb = {k: table_or_none(snap, k) for k in ("pdb_net", "pdb_netfac", "pdb_fac", "pdb_netixlan", "pdb_ix")}

    entities = []
    for e in res.entities:
        step(f"entity {e.entity.name}")
        W = set(e.asns)
        need_names |= W
        inbound = exposure(frame, country, W, "inbound", excluded_asns=all_w, top=top)
        outbound = exposure(frame, country, W, "outbound", excluded_asns=all_w, top=top)
        cross = frame.crosses(W)
        # hegemony for the top origins of C (origin scope)
        top_o = [d["asn"] for d in inbound["per_origin"]][:top]
        by_o = group_hegemony_by_origin(frame, inb, W, top_o)
        per_origin_h = [{"asn": int(o), "hegemony": by_o[o]} for o in top_o]
        heg_rows = dict(zip(heg_t.column("asn").to_pylist(), heg_t.column("hegemony").to_pylist(), strict=True))
        # adjacency
        adj = adjacency(as_rel, W, in_c) if as_rel is not None else {"customers": [], "peers": [], "providers": []}
        obs_adj = observed_adjacency(frame, frame.usable & (frame.vp >= 0) & frame.eligible_vp(all_w)[np.maximum(frame.vp, 0)],
                                     W, in_c, as_rel)
        cone = cones[e.entity.id]
        cone_c = np.array(sorted(set(cone.tolist()) & in_c), np.int64)
        cone_pfx = origins.filter(pa.array(isin_sorted(origins.column("origin_asn").to_numpy(zero_copy_only=False).astype(np.int64), cone_c)))
        ci = pc.index_in(cone_pfx.column("prefix"), value_set=pfx_strings).to_numpy(zero_copy_only=False)
        ci = np.unique(ci[~np.isnan(ci.astype(np.float64))].astype(np.int64)) if len(ci) else np.zeros(0, np.int64)
        ci = ci[pin[ci]]
        adj_out = {
            "as_rel": adj, "observed": obs_adj[:top * 5],
            "cone": {"ases": int(len(cone_c)),
                     "prefixes": {"v4": int((pfx_fam[ci] == 4).sum()), "v6": int((pfx_fam[ci] == 6).sum())},
                     "address_space": {"v4_slash24": float(pfx_units[ci][pfx_fam[ci] == 4].sum()),
                                       "v6_slash48": float(pfx_units[ci][pfx_fam[ci] == 6].sum())},
                     "sample_asns": cone_c[:50].tolist()},
        }
        for k in ("customers", "peers", "providers"):
            need_names |= {d["asn"] for d in adj[k]}
        need_names |= {d["asn"] for d in obs_adj[:top * 5]}
        need_names |= {d["asn"] for d in inbound["per_origin"] + outbound["per_origin"]}
        fp = peeringdb_footprint(W, country, **pdb)
        fp["prefixes_in_country"] = originated_in_country(origins, prefixes, W, country)
        near = frame.rows_with(W, "any") & frame.usable & (frame.vp >= 0) & elig[np.maximum(frame.vp, 0)]
        evidence = [
            {"figure": "exposure.inbound", "samples": sample_paths(frame, inb & cross)},
            {"figure": "exposure.outbound", "samples": sample_paths(frame, outb & cross)},
            {"figure": "hegemony.country", "samples": sample_paths(frame, inb & frame.rows_with(W, "transit"))},
            {"figure": "adjacency.observed", "samples": sample_paths(frame, near)},
        ]
        iv4 = inbound["v4"]
        entities.append({
            **e.to_json(),
            "exposure": {"inbound": inbound, "outbound": outbound},
            "hegemony": {"country": heg_g.get(e.entity.id, 0.0),
                         "per_asn": [{"asn": a, "country": heg_rows.get(a, 0.0)} for a in sorted(W)],
                         "origins": per_origin_h},
            "cti": {"entity": cti_g.get(e.entity.id) if p2c is not None else None,
                    "per_asn": [{"asn": a, "cti": cti_map.get(a, 0.0)} for a in sorted(W)] if p2c is not None else [],
                    "definition": "CAIDA/mapkit-cti-code CTI-Netacuity/CTIn.py (see onpath.metrics.cti)",
                    "stats": cti_stats,
                    "v6": {"entity": cti6_g.get(e.entity.id) if p2c is not None else None,
                           "per_asn": [{"asn": a, "cti": cti6_map.get(a, 0.0)} for a in sorted(W)] if p2c is not None else [],
                           "stats": cti6_stats}},
            "adjacency": adj_out,
            "footprint": fp,
            "evidence": evidence,
            "confidence": confidence(inb_vps, inb_ccs, seen_v, int(iv4["paths_crossing"] or 0)) | {"outbound_vantage_points": outb_vps},
        })
    names = names_of(snap, need_names)
    fill_names(entities, names)
    top_transit = [{"asn": int(a), "name": names.get(int(a)), "hegemony": float(h), "cti": cti_map.get(a, 0.0) if p2c is not None else None,
                    "watched": int(a) in all_w}
                   for a, h in zip(heg_t.column("asn").to_pylist()[:top], heg_t.column("hegemony").to_pylist()[:top], strict=True)]
    return {"country": country, "country_basis": country_basis, "coverage": coverage,
            "top_transit": top_transit, "entities": entities, "conflicts": res.conflicts}
