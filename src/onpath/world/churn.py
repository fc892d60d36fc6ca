"""Background churn over the update window: link failures and repairs (the affected origins are
recomputed with the engine on the true topology), prefix moves to a new origin, and session resets.

Each change becomes per-vantage-point messages: ``Msg(ts, vp, kind, prefixes, path)``, kind
``A`` (announce with `path`), ``W`` (withdraw) or ``S`` (state change, `path` = (old, new)).
`log` records what happened, for the hook that will label incidents (events.jsonl).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from onpath.simulate import AsGraph
from onpath.world.policies import Breakers
from onpath.world.prefixes import Prefixes
from onpath.world.routing import paths_without, vp_paths
from onpath.world.topology import Topology


@dataclass(frozen=True, slots=True)
class Msg:
    ts: int
    vp: int
    kind: str  # A | W | S
    prefixes: tuple = ()
    path: tuple = ()


@dataclass
class Churn:
    msgs: list[Msg] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # origins whose routes change in the window


def _customers(t: Topology) -> dict[int, list[int]]:
    cust: dict[int, list[int]] = {}
    m = t.rel == -1
    for a, b in zip(t.a[m].tolist(), t.b[m].tolist(), strict=False):
        cust.setdefault(a, []).append(b)
    return cust


def _cone(cust: dict[int, list[int]], i: int, cap: int) -> list[int]:
    seen, stack = {i}, [i]
    while stack and len(seen) <= cap:
        for c in cust.get(stack.pop(), ()):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return sorted(seen)


def _diff(before: dict, after: dict, ts: int, pfx: list[str], rng, msgs: list[Msg]) -> int:
    n = 0
    for k in sorted(set(before) | set(after)):
        p0, p1 = before.get(k), after.get(k)
        if p0 == p1:
            continue
        at = ts + int(rng.integers(0, 40))  # propagation delay to this vantage point
        msgs.append(Msg(at, k, "A", tuple(pfx), p1) if p1 is not None else Msg(at, k, "W", tuple(pfx)))
        n += 1
    return n


def build(t: Topology, g: AsGraph, px: Prefixes, vps, br: Breakers, t0: int, window: int,
          n_fail: int, n_move: int, n_reset: int, rng: np.random.Generator) -> Churn:
    """The churn messages of the window [t0, t0 + window).

    Parameters
    ----------
    n_fail, n_move, n_reset : int
        Numbers of link failures (each repaired within the window), prefix moves and session resets.
    """
    ch = Churn()
    cust = _customers(t)
    full = np.array([v.full_feed for v in vps])
    vp_as = {v.as_index for v in vps}
    by_origin: dict[int, list[str]] = {}
    for p, o in zip(px.prefix, px.origin, strict=False):
        by_origin.setdefault(o, []).append(p)
    # link failures on customer links whose customer cone holds no vantage point (exact recompute)
    p2c = np.flatnonzero(t.rel == -1)
    downs: list[tuple[tuple[int, int], int, int]] = []

    def down_at(ts: int) -> list[tuple[int, int]]:
        return [lk for lk, d, u in downs if d <= ts < u]

    tries = 0
    done = 0
    while done < n_fail and tries < n_fail * 20:
        tries += 1
        e = int(p2c[int(rng.integers(len(p2c)))])
        a, b = int(t.a[e]), int(t.b[e])
        cone = _cone(cust, b, 60)
        if len(cone) > 60 or vp_as.intersection(cone) or not any(o in by_origin for o in cone):
            continue
        down = int(t0 + rng.integers(0, window * 2 // 3))
        up = int(min(t0 + window - 30, down + rng.integers(120, 1200)))
        link = [(int(t.asn[a]), int(t.asn[b]))]
        ch.touched.update(cone)
        changed = 0
        for o in cone:
            if o not in by_origin:
                continue
            asn = int(t.asn[o])
            base = vp_paths(g, t, vps, full, asn, br.for_origin(asn))
            cut = paths_without(g, t, vps, asn, br, link)
            changed += _diff(base, cut, down, by_origin[o], rng, ch.msgs)
            changed += _diff(cut, base, up, by_origin[o], rng, ch.msgs)
        ch.log.append({"what": "link-failure", "link": link[0], "down": down, "up": up, "messages": changed})
        downs.append((link[0], down, up))
        done += 1
    # prefix moves: one prefix of an origin is announced by a customer (or a provider) instead
    origins = sorted(by_origin)
    prov: dict[int, list[int]] = {}
    for p_, cs in cust.items():
        for c_ in cs:
            prov.setdefault(c_, []).append(p_)
    for _ in range(n_move):
        o = origins[int(rng.integers(len(origins)))]
        nb = cust.get(o, []) + prov.get(o, [])
        if not len(nb) or not by_origin[o]:
            continue
        new = int(nb[int(rng.integers(len(nb)))])
        pfx = by_origin[o][int(rng.integers(len(by_origin[o])))]
        at = int(t0 + rng.integers(0, window - 60))
        a_old, a_new = int(t.asn[o]), int(t.asn[new])
        ch.touched.update((o, new))
        before = paths_without(g, t, vps, a_old, br, down_at(at))
        after = paths_without(g, t, vps, a_new, br, down_at(at))
        n = _diff(before, after, at, [pfx], rng, ch.msgs)
        ch.log.append({"what": "prefix-move", "prefix": pfx, "from": a_old, "to": a_new, "at": at, "messages": n})
    # session resets of partial-feed vantage points: down, up again, table re-sent
    partial = [k for k, v in enumerate(vps) if not v.full_feed]
    for k in rng.permutation(partial)[:n_reset].tolist():
        v = vps[k]
        cone = _cone(cust, v.as_index, 300)
        at = int(t0 + rng.integers(0, window - 300))
        back = at + int(rng.integers(30, 240))
        ch.msgs.append(Msg(at, k, "S", (), (6, 1)))
        for s0, s1 in ((1, 2), (2, 4), (4, 5), (5, 6)):
            ch.msgs.append(Msg(back, k, "S", (), (s0, s1)))
        n = 0
        for o in cone:
            if o not in by_origin:
                continue
            asn = int(t.asn[o])
            p = paths_without(g, t, [v], asn, br, down_at(back + 1)).get(0)
            if p is not None:
                ch.msgs.append(Msg(back + 1, k, "A", tuple(by_origin[o]), p))
                n += 1
        ch.log.append({"what": "session-reset", "collector": v.collector, "peer_ip": v.peer_ip,
                       "peer_asn": v.peer_asn, "down": at, "up": back, "messages": n})
    ch.msgs.sort(key=lambda m: (m.ts, m.vp, m.kind != "S"))
    return ch


def duplicates(known: dict[tuple[int, int], tuple], vps, px: Prefixes, t0: int, window: int, step: int,
               rng: np.random.Generator, skip: set[int] = frozenset()) -> list[Msg]:
    """Duplicate announcements (same path re-sent), a few per collector and `step` seconds: the
    most common background noise of real update streams, and it keeps no update file empty.

    Parameters
    ----------
    known : dict
        (vantage point k, origin AS index) -> path, the routes known to be in the RIBs.
    step : int
        Interval length in seconds.
    skip : set of int
        Origins whose routes change in the window (no stale duplicates of them).
    """
    by_origin: dict[int, list[str]] = {}
    for p, o in zip(px.prefix, px.origin, strict=False):
        by_origin.setdefault(o, []).append(p)
    per_col: dict[str, list[tuple[int, int]]] = {}
    for k, o in sorted(known):
        if o in skip:
            continue
        per_col.setdefault(vps[k].collector, []).append((k, o))
    out = []
    for col in sorted(per_col):
        items = per_col[col]
        for start in range(t0, t0 + window, step):
            for _ in range(int(rng.integers(1, 4))):
                k, o = items[int(rng.integers(len(items)))]
                pfx = by_origin[o][int(rng.integers(len(by_origin[o])))]
                out.append(Msg(int(start + rng.integers(0, step)), k, "A", (pfx,), known[(k, o)]))
    return out
