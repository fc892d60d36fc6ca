"""Hand-made snapshots from Python literals, for the entity and metric tests.

`make_snapshot(tmp_path, routes=[...], as_rel=[...], ...)` writes each table through
`Snapshot.add_dataset` in the onpath.models.tables schemas, like a real ingest.
"""

from __future__ import annotations

import re

import pyarrow as pa

from onpath.ingest.base import LoadContext
from onpath.models.tables import AS_ORG, AS_REL, GEO, ROUTES, STATE_OWNED, VANTAGE_POINTS


def _path(text: str) -> tuple[list[int], int | None]:
    """as_path (sets left out) and origin (None when the path ends in a set) from bgpdump text."""
    seq = [int(x) for x in re.sub(r"\{[^}]*\}|\[[^]]*\]|\([^)]*\)", " ", text).split()]
    ends_in_set = text.strip().endswith("}")
    return seq, (None if ends_in_set or not seq else seq[-1])


def route(collector, peer_ip, peer_asn, prefix, path_text, kind="rib", ts=1_700_000_000):
    return dict(collector=collector, peer_ip=peer_ip, peer_asn=peer_asn, prefix=prefix, path_text=path_text,
                kind=kind, ts=ts)


def _routes_batch(rows) -> pa.RecordBatch:
    recs = []
    for i, r in enumerate(rows):
        path, origin = _path(r["path_text"]) if r["kind"] != "withdraw" else ([], None)
        recs.append({
            "mrt_type": "TABLE_DUMP2" if r["kind"] == "rib" else "BGP4MP", "ts_us": r["ts"] * 1_000_000,
            "collector": r["collector"], "peer_ip": r["peer_ip"], "peer_asn": r["peer_asn"], "kind": r["kind"],
            "prefix": r["prefix"], "path_id": None, "as_path": path if r["kind"] != "withdraw" else None,
            "as_path_text": r["path_text"] if r["kind"] != "withdraw" else None, "origin_asn": origin,
            "origin": "IGP", "next_hop": None, "local_pref": None, "med": None, "communities": [],
            "large_communities": [], "atomic_aggregate": False, "aggregator": None, "only_to_customer": None,
            "source_file": f"{r['collector']}-{r['kind'] == 'rib'}-{r['ts']}", "offset": i,
        })
    return pa.RecordBatch.from_pylist(recs, schema=ROUTES)


def _add(snap, kind, table, batch, date="2025-01-01"):
    ctx = LoadContext(source_file=f"literal:{table}", warn=False)
    ctx.records = batch.num_rows
    snap.add_dataset(kind, f"literal:{table}", [(table, batch)], ctx, extra={"date": date})


def make_snapshot(root, *, routes=(), as_rel=(), as_org=(), geo=(), vps=(), state_owned=(), pdb=None,
                  date="2025-01-01"):
    """A Snapshot in `root` from literals.

    routes: `route(...)` dicts; as_rel: (asn1, asn2, rel); as_org: (asn, org_id, org_name, country,
    as_name); geo: (prefix, cc); vps: (collector, peer_ip, peer_asn, cc, full_feed); state_owned:
    (asn, conglomerate, org_id, org_name, ownership_cc, target_cc); pdb: {"pdb_net": [dict...], ...}.
    """
    from onpath.store import Snapshot

    snap = Snapshot.open(root, create=True)
    if routes:
        _add(snap, "mrt", "routes", _routes_batch(list(routes)), date)
    if as_rel:
        _add(snap, "as-rel", "as_rel", pa.RecordBatch.from_pylist(
            [{"asn1": a, "asn2": b, "rel": r, "source": "literal"} for a, b, r in as_rel], schema=AS_REL), date)
    if as_org:
        _add(snap, "as-org", "as_org", pa.RecordBatch.from_pylist(
            [{"asn": a, "org_id": o, "org_name": n, "country": c, "source": "literal", "as_name": an}
             for a, o, n, c, an in as_org], schema=AS_ORG), date)
    if geo:
        _add(snap, "geo", "geo", pa.RecordBatch.from_pylist([{"prefix": p, "cc": c} for p, c in geo], schema=GEO), date)
    if vps:
        _add(snap, "vantage-points", "vantage_points", pa.RecordBatch.from_pylist(
            [{"collector": c, "peer_ip": ip, "peer_asn": a, "cc": cc, "full_feed": ff} for c, ip, a, cc, ff in vps],
            schema=VANTAGE_POINTS), date)
    if state_owned:
        _add(snap, "state-owned", "state_owned", pa.RecordBatch.from_pylist(
            [{"asn": a, "conglomerate": g, "org_id": o, "org_name": n, "ownership_cc": oc, "target_cc": t,
              "source": "literal", "url": None} for a, g, o, n, oc, t in state_owned], schema=STATE_OWNED), date)
    for name, rows in (pdb or {}).items():
        from onpath.ingest.peeringdb import SCHEMAS as PDB

        _add(snap, "peeringdb", name, pa.RecordBatch.from_pylist(rows, schema=PDB[name]), date)
    return snap


def test_helper_builds_a_snapshot(tmp_path):
    snap = make_snapshot(tmp_path / "s", routes=[route("rrc00", "192.0.2.1", 1, "10.0.0.0/24", "1 2 {3,4}")],
                         geo=[("10.0.0.0/8", "US")])
    t = snap.table("routes")
    assert t.column("as_path").to_pylist() == [[1, 2]]
    assert t.column("origin_asn").to_pylist() == [None]
    assert snap.has("geo") and not snap.has("as_rel")
