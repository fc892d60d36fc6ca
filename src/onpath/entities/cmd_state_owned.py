"""`onpath watchlist from-state-owned`: a watchlist of one country's state-owned operators, from the
IMC 2021 dataset (Carisimo et al.), grouped by conglomerate, ready to edit and cite (SPEC §1)."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path

import pyarrow as pa

from onpath.entities.watchlist import Entity, Fact, Watchlist
from onpath.errors import UsageError

CITATION = ("Carisimo, Gamero-Garrido, Snoeren, Dainotti, 'Identifying ASes of State-Owned Internet Operators', "
            "ACM IMC 2021, doi:10.1145/3487552.3487822")
DEFAULT_REL = "reference/state-owned-ases-imc2021/state_owned_ases.csv"

EPILOG = """The dataset comes from --snapshot (its state_owned table) or --dataset (the CSV); without
either, ../shared/data/reference/state-owned-ases-imc2021/state_owned_ases.csv (or
$ONPATH_SHARED_DATA/...) is used when present.

example: onpath watchlist from-state-owned --owner CN --out cn-state.toml"""


def configure(p: argparse.ArgumentParser) -> None:
    p.epilog = EPILOG
    p.add_argument("--owner", required=True, metavar="CC", help="ownership country (ISO 3166-1 alpha-2)")
    p.add_argument("--out", required=True, metavar="FILE", help="TOML file to write")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--snapshot", metavar="DIR", help="take the snapshot's state_owned table")
    g.add_argument("--dataset", metavar="FILE", help="the IMC 2021 state_owned_ases.csv")


def _default_dataset() -> Path | None:
    cands = []
    if os.environ.get("ONPATH_SHARED_DATA"):
        cands.append(Path(os.environ["ONPATH_SHARED_DATA"]) / DEFAULT_REL)
    cands += [Path.cwd().parent / "shared" / "data" / DEFAULT_REL, Path(__file__).resolve().parents[4] / "shared" / "data" / DEFAULT_REL]
    return next((c for c in cands if c.is_file()), None)


def load_table(snapshot: str | None, dataset: str | None) -> tuple[pa.Table, str]:
    if snapshot:
        from onpath.store import Snapshot

        snap = Snapshot.open(snapshot)
        if not snap.has("state_owned"):
            raise UsageError(f"snapshot {snapshot} has no state-owned dataset (ingest state_owned_ases.csv)")
        return snap.table("state_owned"), f"snapshot {snapshot}"
    path = Path(dataset) if dataset else _default_dataset()
    if path is None:
        raise UsageError("no state-owned dataset: give --snapshot DIR or --dataset FILE")
    if not path.is_file():
        raise UsageError(f"no such file {path}")
    from onpath.ingest import stateowned
    from onpath.ingest.base import LoadContext

    ctx = LoadContext(source_file=str(path), on_error="skip", warn=False)
    batches = [b for _, b in stateowned.load(path, ctx)]
    return pa.Table.from_batches(batches, schema=batches[0].schema if batches else None), str(path)


def build(table: pa.Table, owner: str, source: str = "") -> Watchlist:
    """One entity per conglomerate owned by `owner`, seeded with its ASes, with cited facts.

    >>> t = pa.table({"asn": [1, 2, 3], "conglomerate": ["XX-A", "XX-A", "YY-B"], "org_id": ["o", "o", "p"],
    ...               "org_name": ["A Corp", "A Corp", "B"], "ownership_cc": ["XX", "XX", "YY"],
    ...               "target_cc": [None, "US", None], "source": ["s", "s", "s"], "url": ["u", "u", "u"]})
    >>> [(e.id, e.seed_asns) for e in build(t, "XX").entities]
    [('xx-a', (1, 2))]
    """
    owner = owner.upper()
    rows = [r for r in table.to_pylist() if (r.get("ownership_cc") or "").upper() == owner]
    if not rows:
        raise UsageError(f"no state-owned operators owned by {owner} in the dataset")
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r.get("conglomerate") or r.get("org_id") or f"AS{r['asn']}", []).append(r)
    ents = []
    for g in sorted(groups):
        rs = groups[g]
        name = Counter(r.get("org_name") or g for r in rs).most_common(1)[0][0]
        abroad = sorted({r["target_cc"] for r in rs if r.get("target_cc")})
        facts = [Fact(f"State-owned operator of {owner} (conglomerate {g}): {len(rs)} ASes in the IMC 2021 dataset"
                      + (f"; foreign subsidiaries in {', '.join(abroad)}" if abroad else "") + ".", CITATION)]
        for url in sorted({r["url"] for r in rs if r.get("url")})[:5]:
            src = next((r.get("source") for r in rs if r.get("url") == url), None) or "evidence"
            facts.append(Fact(f"Ownership evidence ({src}).", url))
        ents.append(Entity(id=g.lower(), name=name, seed_asns=tuple(sorted({int(r["asn"]) for r in rs})),
                           owner_country=owner, notes="Generated from the IMC 2021 state-owned dataset; edit and cite.",
                           facts=tuple(facts)))
    return Watchlist(name=f"state-owned-{owner.lower()}", entities=tuple(ents), source=source,
                     description=f"State-owned operators of {owner} ({CITATION})")


def run(args) -> int:
    table, src = load_table(args.snapshot, args.dataset)
    wl = build(table, args.owner, src)
    Path(args.out).write_text(wl.to_toml(), encoding="utf-8")
    print(f"{args.out}: {len(wl.entities)} entities, {sum(len(e.seed_asns) for e in wl.entities)} ASes")
    return 0
