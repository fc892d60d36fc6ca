"""Coverage of an analysis (vantage points, prefixes, address space seen, paths) and the confidence
level derived from it (thresholds documented in docs/metrics.md)."""

from __future__ import annotations

import numpy as np

from onpath.metrics.inputs import dataset_dates


def coverage_of(snap, frame, paths, prefixes, c_pfx, vps, inb, outb, all_w, country, source):
    """(coverage dict, country_basis dict, numbers for `confidence`)."""
    basis_counts: dict[str, int] = {}
    for b in c_pfx.column("basis").to_pylist():
        basis_counts[b] = basis_counts.get(b, 0) + 1
    fam_c = c_pfx.column("family").to_numpy()
    units_c = c_pfx.column("units").to_numpy()
    seen_pfx = np.zeros(prefixes.num_rows, bool)
    seen_pfx[frame.pfx[inb]] = True
    seen_v = {}
    pfx_fam, pfx_units, pin = frame.family, frame.units, frame.in_country(country)[2]
    for f, k in ((4, "v4"), (6, "v6")):
        tot = float(pfx_units[pin & (pfx_fam == f)].sum())
        seen = float(pfx_units[pin & (pfx_fam == f) & seen_pfx].sum())
        seen_v[k] = None if tot <= 0 else seen / tot
    elig = frame.eligible_vp(all_w)
    used_mask = np.bincount(frame.vp[frame.usable & (frame.vp >= 0)], minlength=vps.num_rows) > 0
    ccs: dict[str, int] = {}
    for i in np.flatnonzero(used_mask & elig):
        c = frame.vp_cc[i] or "??"
        ccs[c] = ccs.get(c, 0) + 1
    inb_set = np.flatnonzero(np.bincount(frame.vp[inb], minlength=vps.num_rows))
    inb_vps = int(len(inb_set))
    outb_vps = int((np.bincount(frame.vp[outb], minlength=vps.num_rows) > 0).sum())
    inb_ccs = len({frame.vp_cc[i] for i in inb_set if frame.vp_cc[i]})
    coverage = {
        "paths_source": source,
        "vantage_points": {"total": vps.num_rows, "full_feed": int(frame.vp_full.sum()), "used": int((used_mask & elig).sum()),
                           "excluded_in_watched": int((frame.vp_full & ~elig).sum()), "countries": dict(sorted(ccs.items()))},
        "inbound_vantage_points": inb_vps, "outbound_vantage_points": outb_vps,
        "prefixes": {"v4": int(((fam_c == 4)).sum()), "v6": int((fam_c == 6).sum())},
        "address_space": {"v4_slash24": float(units_c[fam_c == 4].sum()), "v6_slash48": float(units_c[fam_c == 6].sum())},
        "seen_share": seen_v,
        "paths": {"total": paths.num_rows, "usable": int(frame.usable.sum()),
                  "with_set": int(np.asarray(paths.column("has_set").to_numpy(zero_copy_only=False), bool).sum()) if "has_set" in paths.column_names else 0,
                  "with_loop": int(np.asarray(paths.column("has_loop").to_numpy(zero_copy_only=False), bool).sum()) if "has_loop" in paths.column_names else 0},
        "dataset_dates": dataset_dates(snap),
    }
    pb = {b: n for b, n in basis_counts.items()}
    country_basis = {"prefix": (next(iter(pb)) if len(pb) == 1 else "mixed") if pb else "unknown",
                     "as": "rir|as-org", "counts": dict(sorted(pb.items()))}

    nums = {"inbound_vantage_points": inb_vps, "outbound_vantage_points": outb_vps, "countries": inb_ccs,
            "seen_v4": seen_v["v4"]}
    return coverage, country_basis, nums


def confidence(inb_vps: int, inb_ccs: int, seen_v4, crossing: int) -> dict:
    reasons = []
    if inb_vps >= 10 and inb_ccs >= 3 and seen_v4 is not None and seen_v4 >= 0.9:
        level = "high"
    elif inb_vps < 3 or seen_v4 is None or seen_v4 < 0.5:
        level = "low"
    else:
        level = "medium"
    if inb_vps < 10:
        reasons.append(f"{inb_vps} inbound vantage points (< 10)")
    if inb_ccs < 3:
        reasons.append(f"vantage points in {inb_ccs} countries (< 3)")
    if seen_v4 is None or seen_v4 < 0.9:
        reasons.append("share of the country's IPv4 space seen is " + ("unknown" if seen_v4 is None else f"{seen_v4:.2f}"))
    return {"level": level, "inbound_vantage_points": inb_vps, "countries_of_vantage_points": inb_ccs,
            "seen_share_v4": seen_v4, "paths_crossing": crossing, "reasons": reasons}


