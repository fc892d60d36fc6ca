"""Watchlists: TOML files naming entities, their seed ASNs and cited facts (SPEC §1).

A user's file needs only `id`, `name` and `seed_asns` per `[[entity]]`; the shipped ones add
`tickers`, `owner_country`, `notes` and `[[entity.fact]]` tables with `text` and `source`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from onpath.errors import MalformedRecord, UsageError

DEFAULT = "cn-carriers"


@dataclass(frozen=True, slots=True)
class Fact:
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    seed_asns: tuple[int, ...]
    tickers: tuple[str, ...] = ()
    owner_country: str | None = None
    notes: str = ""
    facts: tuple[Fact, ...] = ()

    def __post_init__(self):
        if not self.id or not self.name:
            raise MalformedRecord("an entity needs a non-empty id and name")
        for a in self.seed_asns:
            if not isinstance(a, int) or isinstance(a, bool) or not 0 < a < 2**32:
                raise MalformedRecord(f"entity {self.id}: seed ASN {a!r} is not an ASN")


@dataclass(frozen=True, slots=True)
class Watchlist:
    name: str
    entities: tuple[Entity, ...]
    source: str = ""
    description: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def all_seed_asns(self) -> set[int]:
        return {a for e in self.entities for a in e.seed_asns}

    def to_toml(self) -> str:
        """The watchlist as TOML text (the format `load_watchlist` reads)."""
        out = [f"name = {_q(self.name)}"]
        if self.description:
            out.append(f"description = {_q(self.description)}")
        for e in self.entities:
            out += ["", "[[entity]]", f"id = {_q(e.id)}", f"name = {_q(e.name)}",
                    "tickers = [" + ", ".join(_q(t) for t in e.tickers) + "]"]
            if e.owner_country:
                out.append(f"owner_country = {_q(e.owner_country)}")
            out.append("seed_asns = [" + ", ".join(str(a) for a in e.seed_asns) + "]")
            if e.notes:
                out.append(f"notes = {_q(e.notes)}")
            for f in e.facts:
                out += ["", "[[entity.fact]]", f"text = {_q(f.text)}", f"source = {_q(f.source)}"]
        return "\n".join(out) + "\n"


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def shipped() -> list[str]:
    """Names of the watchlists shipped with the package."""
    d = resources.files("onpath.entities") / "watchlists"
    return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".toml"))


def parse_watchlist(data: dict, source: str) -> Watchlist:
    """A Watchlist from parsed TOML; errors name the file and the entity."""
    ents = data.get("entity")
    if not isinstance(ents, list) or not ents:
        raise MalformedRecord("no [[entity]] tables", file=source)
    out, seen = [], set()
    for i, e in enumerate(ents, 1):
        where = f"entity {i}"
        try:
            facts = tuple(Fact(str(f["text"]), str(f["source"])) for f in e.get("fact", []))
            ent = Entity(
                id=str(e["id"]), name=str(e["name"]),
                seed_asns=tuple(int(a) if not isinstance(a, str) else int(a.upper().removeprefix("AS"))
                                for a in e["seed_asns"]),
                tickers=tuple(str(t) for t in e.get("tickers", [])),
                owner_country=e.get("owner_country"), notes=str(e.get("notes", "")), facts=facts,
            )
        except KeyError as k:
            raise MalformedRecord(f"missing key {k.args[0]!r}", file=source, where=where) from None
        except (TypeError, ValueError) as x:
            raise MalformedRecord(str(x), file=source, where=where) from None
        except MalformedRecord as m:
            raise MalformedRecord(m.message, file=source, where=where) from None
        if ent.id in seen:
            raise MalformedRecord(f"duplicate entity id {ent.id!r}", file=source, where=where)
        seen.add(ent.id)
        out.append(ent)
    return Watchlist(name=str(data.get("name", Path(source).stem)), entities=tuple(out), source=source,
                     description=str(data.get("description", "")))


def load_watchlist(name_or_path: str | Path | Watchlist | None = None) -> Watchlist:
    """A shipped watchlist by name (default `cn-carriers`) or a TOML file by path.

    >>> wl = load_watchlist("cn-carriers")
    >>> [e.id for e in wl.entities]
    ['china-telecom', 'china-mobile', 'china-unicom']
    >>> 4134 in wl.entities[0].seed_asns
    True
    """
    if isinstance(name_or_path, Watchlist):
        return name_or_path
    name = str(name_or_path or DEFAULT)
    p = Path(name)
    if p.suffix == ".toml" or p.exists():
        if not p.is_file():
            raise UsageError(f"watchlist file {name} does not exist")
        text, source = p.read_bytes(), str(p)
    else:
        res = resources.files("onpath.entities") / "watchlists" / f"{name}.toml"
        if not res.is_file():
            raise UsageError(f"unknown watchlist {name!r}; shipped: {', '.join(shipped())}")
        text, source = res.read_bytes(), f"onpath:watchlists/{name}.toml"
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise MalformedRecord(str(e), file=source) from None
    return parse_watchlist(data, source)
