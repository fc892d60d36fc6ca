"""`generate(scale, seed, date, out, topology=None)`: the whole synthetic Internet (SPEC §6).

Every file is written by the writer beside its loader (onpath.ingest.*); the order of the stages
and of every random draw is fixed, so one seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onpath.errors import UsageError
from onpath.ingest.asorg import write_as_org_jsonl, write_as_org_txt
from onpath.ingest.asrel import write_as_rel2
from onpath.ingest.geo import write_geo_csv
from onpath.ingest.peeringdb import write_peeringdb_dump
from onpath.ingest.rir import write_rir_extended
from onpath.ingest.vantage import write_vantage_points_jsonl
from onpath.ingest.vrp import write_vrps_csv, write_vrps_json
from onpath.simulate import AsGraph
from onpath.world import (
    churn,
    collectors,
    events,
    manifest,
    orgs,
    pdb,
    policies,
    prefixes,
    published,
    realgraph,
    realism,
    routing,
    updates,
)
from onpath.world import topology as topo_mod

SCALES: dict[str, dict[str, Any]] = {
    # ASes, peers per collector, update window (s), link failures, prefix moves, session resets,
    # mean IPv4 prefixes per AS (None: the allocated blocks and some de-aggregation, ~3.5 per AS;
    # full: ~1M IPv4 prefixes over 75k ASes as in the real tables, IPv6 ~1/5 of that)
    "tiny": dict(n=600, per_collector=3, window=1800, fail=4, move=3, reset=1, v4_per_as=None),
    "small": dict(n=3000, per_collector=6, window=3600, fail=12, move=8, reset=2, v4_per_as=None),
    "full": dict(n=75000, per_collector=4, window=3600, fail=60, move=40, reset=5, v4_per_as=13.4),
}
SLASH24_PER_AS = 6_000_000 / 77480  # routed IPv4 space per AS, in /24s, at the real ratio (order of)


@dataclass
class WorldState:
    """Everything the stages share (and the events hook reads)."""

    topo: topo_mod.Topology
    org_rows: list
    px: prefixes.Prefixes
    cols: list
    vps: list
    breakers: policies.Breakers
    graph: AsGraph
    rng: np.random.Generator
    t0: int
    window: int


def _say(msg: str, quiet: bool) -> None:
    if not quiet:
        print(f"world: {msg}", file=sys.stderr, flush=True)


def _read_topology(path: Path) -> list[tuple[int, int, int]]:
    from onpath.ingest.asrel import load
    from onpath.ingest.base import LoadContext

    rows = []
    ctx = LoadContext(str(path), on_error="skip", warn=False)
    for _name, batch in load(path, ctx):
        d = batch.to_pydict()
        rows += list(zip(d["asn1"], d["asn2"], d["rel"], strict=False))
    if not rows:
        raise UsageError(f"--topology {path}: no AS relationships in it")
    return [(int(a), int(b), int(r)) for a, b, r in rows]


def generate(scale: str, seed: int, date: str = "2025-01-01", out: str | Path = "world",
             topology: str | Path | None = None, quiet: bool = False, workers: int = 1) -> Path:
    """Write a synthetic world to `out` (SPEC §6 layout) and return `out`.

    Parameters
    ----------
    scale : {"tiny", "small", "full"}
        About 600, 3,000 or 75,000 ASes (`tiny` is for tests).
    seed : int
        Random seed: same seed, same files.
    date : str
        Snapshot date, YYYY-MM-DD (RIBs at 00:00 UTC, updates over the next hour).
    out : str or Path
        Output folder (created; files of an earlier world there are replaced).
    topology : str or Path, optional
        A real as-rel2 file whose ASes and links become the true topology.
    quiet : bool
        No progress on stderr.
    workers : int
        Processes for the RIB propagations (the files do not depend on it).

    Returns
    -------
    Path
    """
    if scale not in SCALES:
        raise UsageError(f"--scale must be one of {', '.join(SCALES)}, not {scale!r}")
    try:
        day = dt.datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=dt.UTC)
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, not {date!r}") from None
    cfg = SCALES[scale]
    out = Path(out)
    for sub in ("mrt", "caida", "peeringdb", "rir", "rpki", "geo", "truth"):
        if (out / sub).is_dir():
            shutil.rmtree(out / sub)
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    rng = np.random.default_rng(seed)
    ymd, t0 = day.strftime("%Y%m%d"), int(day.timestamp())
    if topology:
        topo = realgraph.from_as_rel(_read_topology(Path(topology)), rng)
    else:
        topo = topo_mod.generate(cfg["n"], rng)
    _say(f"topology: {topo.n} ASes, {len(topo.a)} links", quiet)
    rir_of = orgs.rir_of_country()
    org_rows = orgs.build(topo, rir_of, rng)
    px = prefixes.build(topo, org_rows, rir_of, rng, int(SLASH24_PER_AS * topo.n), day.year,
                        v4_per_as=cfg["v4_per_as"])
    _say(f"prefixes: {len(px.prefix)} ({sum(px.v6)} IPv6), {len(px.vrps)} VRPs", quiet)
    first4: dict[int, str] = {}
    for p, o, v6 in zip(px.prefix, px.origin, px.v6, strict=False):
        if not v6:
            first4.setdefault(o, p)
    cols, vps = collectors.build(topo, first4, cfg["per_collector"], rng)
    _say(f"collectors: {len(cols)}, vantage points: {len(vps)} ({sum(v.full_feed for v in vps)} full feeds)", quiet)
    br = policies.build(topo, rng)
    g = routing.true_graph(topo)
    origins = sorted(set(px.origin))
    sample = set(rng.choice(origins, size=min(300, len(origins)), replace=False).tolist())
    rib = routing.rib_pass(topo, g, px, cols, vps, br, out, f"{ymd}.0000", t0, sample, rng, progress=not quiet,
                           workers=workers)
    world = WorldState(topo, org_rows, px, cols, vps, br, g, rng, t0, cfg["window"])
    ch = churn.build(topo, g, px, vps, br, t0, cfg["window"], cfg["fail"], cfg["move"], cfg["reset"], rng)
    evs, extra = events.build(world)
    noise = churn.duplicates(rib.vp_paths, vps, px, t0, cfg["window"], min(updates.INTERVAL.values()), rng,
                             skip=ch.touched)
    msgs = sorted(ch.msgs + noise + list(extra), key=lambda m: (m.ts, m.vp, m.kind != "S"))
    upd = updates.write(out, cols, vps, msgs, t0, cfg["window"])
    _say(f"updates: {len(msgs)} messages in {len(upd)} files", quiet)
    for m in msgs:
        hops = list(dict.fromkeys(m.path)) if m.kind == "A" else []
        for x, y in zip(hops, hops[1:], strict=False):
            rib.observed_links.add((min(x, y), max(x, y)))
    pub_rows, pub_counts = published.build(topo, rib.observed_links, rng)
    _write_registry(out, ymd, topo, org_rows, px, cols, vps, br, pub_rows, evs, ch, rng)
    _say("realism figures ...", quiet)
    g_pub = AsGraph.from_links(p2c=[(a, b) for a, b, r in pub_rows if r == -1],
                               p2p=[(a, b) for a, b, r in pub_rows if r == 0])
    observed = {(k, int(topo.asn[o])): p for (k, o), p in rib.vp_paths.items()}
    n = topo.n
    real = {
        "ases": n, "links_true": int(len(topo.a)), "p2p_share_true": round(float((topo.rel == 0).mean()), 4),
        "degree_true": realism.degree_quantiles(topo.a, topo.b, n),
        "cone_sizes_true": realism.cone_sizes(topo.a, topo.b, topo.rel, n),
        "path_length_observed": realism.path_lengths(rib.path_len),
        "country_ipv4_share": realism.address_shares(px.prefix, px.geo),
        "published": {**pub_counts, "missing_share": round(pub_counts["missing"] / max(1, pub_counts["true_links"]), 4),
                      "wrong_share": round(sum(pub_counts[k] for k in published.WRONG) / max(1, pub_counts["published"]), 4)},
        "observed_vs_published_simulation": realism.differ_from_published(g_pub, observed, vps),
        "policy_breakers": {k: sum(1 for r in br.rows if r["policy"] == k) for k in policies.RATES},
        "reference_real_internet": realism.reference(),
    }
    extra_doc = {"generator": "onpath.world", "topology": Path(topology).name if topology else "synthetic",
                 "counts": {"ases": n, "prefixes": len(px.prefix), "ipv6_prefixes": int(sum(px.v6)),
                            "collectors": len(cols), "vantage_points": len(vps),
                            "full_feed_vantage_points": sum(v.full_feed for v in vps),
                            "rib_entries": rib.entries, "update_messages": len(msgs), "vrps": len(px.vrps)}}
    manifest.write(out, seed=seed, scale=scale, date=date, realism=real, extra=extra_doc)
    _say(f"done in {time.time() - t_start:.1f} s: {out}", quiet)
    return out


def _write_registry(out, ymd, topo, org_rows, px, cols, vps, br, pub_rows, evs, ch, rng) -> None:
    src = f"synthetic world (onpath.world), {ymd}"
    write_as_rel2([{"asn1": a, "asn2": b, "rel": r, "source": "bgp"} for a, b, r in pub_rows],
                  out / "caida" / f"{ymd}.as-rel2.txt.bz2", header=[src, "inferred from the world's collectors"])
    write_as_org_txt(org_rows, out / "caida" / f"{ymd}.as-org2info.txt.gz", changed=ymd)
    write_as_org_jsonl(org_rows, out / "caida" / f"{ymd}.as-org2info.jsonl.gz", changed=ymd)
    counts: dict[int, list[int]] = {}
    for o, v6 in zip(px.origin, px.v6, strict=False):
        counts.setdefault(o, [0, 0])[1 if v6 else 0] += 1
    tables = pdb.build(topo, org_rows, vps, {k: (v[0], v[1]) for k, v in counts.items()}, rng)
    write_peeringdb_dump(tables, out / "peeringdb" / f"peeringdb_2_dump_{ymd[:4]}_{ymd[4:6]}_{ymd[6:]}.json")
    for rir, rows in px.rir_rows.items():
        write_rir_extended(rir, rows, out / "rir" / f"delegated-{rir}-extended-{ymd}", date=ymd)
    write_vrps_csv(px.vrps, out / "rpki" / "vrps.csv")
    write_vrps_json(px.vrps, out / "rpki" / "vrps.json")
    write_geo_csv([{"prefix": p, "cc": c} for p, c in zip(px.prefix, px.geo, strict=False)], out / "geo" / "prefix-country.csv")
    write_vantage_points_jsonl(collectors.vantage_rows(cols, vps), out / "vantage-points.jsonl")
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    write_as_rel2([{"asn1": a, "asn2": b, "rel": r, "source": "truth"} for a, b, r in topo.rows()],
                  truth / "as-rel2.txt", header=["true topology of the synthetic world"])
    (truth / "policies.jsonl").write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in br.rows))
    (truth / "events.jsonl").write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in evs))
    (truth / "churn.jsonl").write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in ch.log))
