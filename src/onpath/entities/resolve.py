"""Resolve a watchlist's entities to networks (ASes), each with the reasons and sources behind it.

Seeds expand one step, never transitively: through CAIDA AS-to-organization (same `org_id`),
PeeringDB (same `pdb_net.org_id`) and the IMC 2021 state-owned dataset (same conglomerate). An AS
claimed by two entities, or an organisation too large to be one operator, becomes a conflict and is
not taken silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from onpath.entities.watchlist import Entity, Watchlist, load_watchlist

MAX_ORG_ASNS = 1000  # an organisation with more ASes than this is not expanded (listed as a conflict)


@dataclass(frozen=True, slots=True)
class Reason:
    kind: str  # seed | caida-org | peeringdb-org | state-owned
    source: str
    detail: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "source": self.source, "detail": self.detail}


@dataclass(slots=True)
class Network:
    asn: int
    name: str | None = None
    country: str | None = None
    reasons: list[Reason] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"asn": self.asn, "name": self.name, "country": self.country,
                "reasons": [r.to_json() for r in self.reasons]}


@dataclass(slots=True)
class ResolvedEntity:
    entity: Entity
    networks: list[Network]

    @property
    def asns(self) -> list[int]:
        return [n.asn for n in self.networks]

    def to_json(self) -> dict:
        e = self.entity
        return {"id": e.id, "name": e.name, "tickers": list(e.tickers), "owner_country": e.owner_country,
                "facts": [{"text": f.text, "source": f.source} for f in e.facts],
                "networks": [n.to_json() for n in self.networks]}


@dataclass(slots=True)
class Resolution:
    watchlist: Watchlist
    entities: list[ResolvedEntity]
    conflicts: list[dict]

    def all_asns(self) -> set[int]:
        return {a for e in self.entities for a in e.asns}

    def to_json(self) -> dict:
        return {"watchlist": self.watchlist.name, "entities": [e.to_json() for e in self.entities],
                "conflicts": self.conflicts}


def _col(t: pa.Table | None, name: str) -> list | None:
    if t is None or name not in t.column_names:
        return None
    return t.column(name).to_pylist()


def _groups(t: pa.Table | None, key: str, seeds: np.ndarray) -> tuple[dict, dict]:
    """For a table with `asn` and `key`: {seed asn: key value} and {key value: [asns]} for those keys."""
    if t is None or key not in t.column_names or "asn" not in t.column_names or t.num_rows == 0:
        return {}, {}
    asn = t.column("asn").to_numpy(zero_copy_only=False).astype(np.int64)
    keys = t.column(key).to_pylist()
    seed_key = {int(asn[i]): keys[i] for i in np.flatnonzero(np.isin(asn, seeds)) if keys[i] not in (None, "")}
    wanted = set(seed_key.values())
    members: dict = {}
    for i, k in enumerate(keys):
        if k in wanted:
            members.setdefault(k, set()).add(int(asn[i]))
    return seed_key, members


def resolve_tables(watchlist: Watchlist, *, as_org: pa.Table | None = None, pdb_net: pa.Table | None = None,
                   state_owned: pa.Table | None = None, sources: dict[str, str] | None = None,
                   max_org_asns: int = MAX_ORG_ASNS) -> Resolution:
    """Resolve every entity of `watchlist` over the given tables.

    Parameters
    ----------
    watchlist : Watchlist
    as_org, pdb_net, state_owned : pyarrow.Table, optional
        SPEC §2 tables (`as_org`: asn, org_id, org_name, country, as_name; `pdb_net`: asn, org_id,
        name; `state_owned`: asn, conglomerate, org_name).
    sources : dict
        Dataset label per kind (`as-org`, `peeringdb`, `state-owned`), e.g. ``"sha256:ab12… (file)"``.
    max_org_asns : int
        Organisations with more ASes are not expanded and are listed in `conflicts`.

    Returns
    -------
    Resolution
        Entities with their networks (sorted by ASN) and conflicts (sorted by ASN).

    Examples
    --------
    >>> import pyarrow as pa
    >>> from onpath.entities.watchlist import Entity, Watchlist
    >>> wl = Watchlist("t", (Entity("e", "E", (1,)),))
    >>> org = pa.table({"asn": pa.array([1, 2, 3], pa.uint32()), "org_id": ["O", "O", "P"]})
    >>> r = resolve_tables(wl, as_org=org)
    >>> [(n.asn, [x.kind for x in n.reasons]) for n in r.entities[0].networks]
    [(1, ['seed']), (2, ['caida-org'])]
    """
    src = {"as-org": "as-org", "peeringdb": "peeringdb", "state-owned": "state-owned"} | (sources or {})
    seeds_all = np.array(sorted(watchlist.all_seed_asns()), dtype=np.int64)
    rules = [("caida-org", as_org, "org_id", src["as-org"]),
             ("peeringdb-org", pdb_net, "org_id", src["peeringdb"]),
             ("state-owned", state_owned, "conglomerate", src["state-owned"])]
    expansions = [(kind, s, *_groups(t, key, seeds_all), key) for kind, t, key, s in rules]
    conflicts: list[dict] = []
    claims: dict[int, dict[str, list[Reason]]] = {}
    big_reported: set = set()
    for e in watchlist.entities:
        wsrc = watchlist.source or watchlist.name
        for a in e.seed_asns:
            claims.setdefault(a, {}).setdefault(e.id, []).append(Reason("seed", f"watchlist {wsrc}"))
        for kind, s, seed_key, members, key in expansions:
            for a in e.seed_asns:
                k = seed_key.get(a)
                if k is None:
                    continue
                mem = members.get(k, set())
                if len(mem) > max_org_asns:
                    if (kind, k) not in big_reported:
                        big_reported.add((kind, k))
                        conflicts.append({"asn": a, "entities": [e.id], "kind": "large-org",
                                          "reason": f"{kind} {key} {k} has {len(mem)} ASes (> {max_org_asns}); not expanded",
                                          "source": s})
                    continue
                for m in sorted(mem):
                    if m == a:
                        continue
                    rs = claims.setdefault(m, {}).setdefault(e.id, [])
                    r = Reason(kind, s, f"{key} {k} (as AS{a})")
                    if not any(x.kind == kind and x.detail.split(" (")[0] == r.detail.split(" (")[0] for x in rs):
                        rs.append(r)
    names, countries = _names(as_org, pdb_net, state_owned)
    per_entity: dict[str, list[Network]] = {e.id: [] for e in watchlist.entities}
    seed_owner = {a: e.id for e in watchlist.entities for a in e.seed_asns}
    for asn in sorted(claims):
        by = claims[asn]
        if len(by) > 1:
            seeded = [eid for eid in by if any(r.kind == "seed" for r in by[eid])]
            conflicts.append({"asn": asn, "entities": sorted(by), "kind": "claimed-by-several",
                              "reason": "; ".join(f"{eid}: " + ", ".join(sorted({r.kind for r in by[eid]})) for eid in sorted(by)),
                              "kept_by": seeded[0] if len(seeded) == 1 else None})
            if len(seeded) != 1:
                continue
            keep = {seeded[0]: by[seeded[0]]}
        else:
            keep = by
        if asn in seed_owner and seed_owner[asn] not in keep:
            continue
        for eid, rs in keep.items():
            per_entity[eid].append(Network(asn, names.get(asn), countries.get(asn), rs))
    ents = [ResolvedEntity(e, per_entity[e.id]) for e in watchlist.entities]
    conflicts.sort(key=lambda c: (c["asn"], c["kind"]))
    return Resolution(watchlist, ents, conflicts)


def _names(as_org, pdb_net, state_owned) -> tuple[dict[int, str], dict[int, str]]:
    names: dict[int, str] = {}
    countries: dict[int, str] = {}
    for t, ncols in ((as_org, ("as_name", "org_name")), (pdb_net, ("name",)), (state_owned, ("org_name",))):
        a = _col(t, "asn")
        if a is None:
            continue
        for c in ncols:
            vals = _col(t, c)
            if vals is None:
                continue
            for x, v in zip(a, vals, strict=True):
                if v and x not in names:
                    names[int(x)] = v
    cc = _col(as_org, "country")
    if cc is not None:
        for x, v in zip(_col(as_org, "asn"), cc, strict=True):
            if v:
                countries.setdefault(int(x), v)
    return names, countries


def dataset_label(snap, kind: str) -> str:
    """`sha256:<16 hex> (<file name>)` of the newest dataset of `kind` in the snapshot, or `kind`."""
    ds = [d for d in getattr(snap, "datasets", []) if d.get("kind") == kind]
    if not ds:
        return kind
    d = sorted(ds, key=lambda d: str(d.get("date") or d.get("fetched_at") or ""))[-1]
    return f"sha256:{str(d.get('sha256', ''))[:16]} ({Path(str(d.get('source', ''))).name})"


def resolve(snap, watchlist=None, **kw) -> Resolution:
    """Resolve a watchlist (name, path or Watchlist) over a snapshot's as_org, pdb_net, state_owned."""
    wl = load_watchlist(watchlist)
    tabs = {}
    for name in ("as_org", "pdb_net", "state_owned"):
        tabs[name] = snap.table(name) if snap.has(name) else None
    sources = {k: dataset_label(snap, k) for k in ("as-org", "peeringdb", "state-owned")}
    return resolve_tables(wl, sources=sources, **tabs, **kw)


def to_json_text(res: Resolution) -> str:
    return json.dumps(res.to_json(), indent=1, sort_keys=False)
