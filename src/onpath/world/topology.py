"""The true AS-level topology: tier-1 clique, national and regional transit, content, stubs.

Providers are chosen by preferential attachment (heavy-tailed degrees) with a preference for the
customer's own country; peering is drawn at exchange points and between transit networks so that
the share of peer links, the multihoming shares and the hierarchy depth follow the calibration
(CAIDA 2025-01-01). `from_as_rel` takes a real as-rel2 graph as the truth instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from onpath.world.entities import BY_ASN, CARRIERS, CLIQUE, INTERNAL_P2C
from onpath.world.geography import calibration, country_table

# roles
CLIQUE_R, LARGE, REGIONAL, CONTENT, STUB = 0, 1, 2, 3, 4
ROLE_NAMES = ("tier1", "large-transit", "regional-transit", "content", "stub")


@dataclass
class Topology:
    """ASes (parallel arrays) and links (index pairs; rel -1: a is provider of b, 0: peers)."""

    asn: np.ndarray  # uint32
    cc: np.ndarray  # '<U2'
    role: np.ndarray  # int8
    a: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    b: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    rel: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))

    @property
    def n(self) -> int:
        return len(self.asn)

    def index(self) -> dict[int, int]:
        """ASN -> position."""
        return {int(x): i for i, x in enumerate(self.asn)}

    def degree(self) -> np.ndarray:
        return np.bincount(self.a, minlength=self.n) + np.bincount(self.b, minlength=self.n)

    def customers_count(self) -> np.ndarray:
        return np.bincount(self.a[self.rel == -1], minlength=self.n)

    def rows(self):
        """(asn1, asn2, rel) tuples sorted like CAIDA's files."""
        out = []
        for x, y, r in zip(self.asn[self.a].tolist(), self.asn[self.b].tolist(), self.rel.tolist(), strict=False):
            out.append((x, y, r) if r == -1 else (min(x, y), max(x, y), 0))
        return sorted(out)


def _pick_asns(rng: np.random.Generator, n: int, taken: set[int]) -> np.ndarray:
    """`n` distinct public ASNs (16- and 32-bit ranges), none of `taken`, sorted-free order."""
    pool16 = np.arange(1000, 64496, dtype=np.int64)
    pool32 = np.arange(131072, 401309, dtype=np.int64)
    k16 = min(int(n * 0.55), len(pool16) - len(taken))
    c16 = rng.choice(pool16, size=k16 + len(taken), replace=False)
    c16 = [x for x in c16.tolist() if x not in taken][:k16]
    c32 = rng.choice(pool32, size=n - len(c16) + len(taken), replace=False)
    c32 = [x for x in c32.tolist() if x not in taken][: n - len(c16)]
    out = np.array(c16 + c32, dtype=np.uint32)
    rng.shuffle(out)
    return out


def _nprov(rng: np.random.Generator, size: int) -> np.ndarray:
    shares = calibration()["graph"]["providers_count_shares"]
    ks = np.array([1, 2, 3, 4])
    p = np.array([shares.get(str(k), 0.0) for k in ks])
    p = p / p.sum()
    k = rng.choice(ks, size=size, p=p)
    extra = rng.geometric(0.5, size=size) - 1  # the "4+" bucket: 4, 5, 6, ...
    return np.where(k == 4, 4 + extra, k)


def generate(n: int, rng: np.random.Generator) -> Topology:
    """A synthetic true topology of about `n` ASes.

    Parameters
    ----------
    n : int
        Number of ASes (the clique and the named carriers included).
    rng : numpy.random.Generator
        The world's random source (determinism per seed).

    Returns
    -------
    Topology
    """
    table = country_table()
    ccs = np.array([t[0] for t in table])
    as_p = np.array([t[2] for t in table])
    specials = [(a, cc, CLIQUE_R) for a, (_, cc) in CLIQUE.items()]
    specials += [(c.asn, c.cc, LARGE if c.role in ("national", "international") else REGIONAL) for c in CARRIERS]
    m = n - len(specials)
    cc = rng.choice(ccs, size=m, p=as_p)
    u = rng.random(m)
    # national incumbents and large transit (~0.6%), regional transit, content (~1%), stubs
    role = np.where(u < 0.006, LARGE, np.where(u < 0.16, REGIONAL, np.where(u < 0.17, CONTENT, STUB)))
    # every country gets one large transit network
    for c in ccs:
        idx = np.flatnonzero(cc == c)
        if len(idx) and not np.any(role[idx] == LARGE):
            role[idx[0]] = LARGE
    asn = _pick_asns(rng, m, {a for a, _, _ in specials})
    t = Topology(
        asn=np.concatenate([np.array([s[0] for s in specials], np.uint32), asn]),
        cc=np.concatenate([np.array([s[1] for s in specials]), cc]).astype("<U2"),
        role=np.concatenate([np.array([s[2] for s in specials], np.int8), role.astype(np.int8)]),
    )
    _link(t, rng)
    return t


def _link(t: Topology, rng: np.random.Generator) -> None:
    idx = t.index()
    N = t.n
    links: dict[tuple[int, int], int] = {}  # (min, max) -> rel code; stored with direction
    direction: dict[tuple[int, int], tuple[int, int]] = {}
    ncust = np.zeros(N)

    def p2c(p: int, c: int) -> None:
        k = (min(p, c), max(p, c))
        if p == c or k in links:
            return
        links[k] = -1
        direction[k] = (p, c)
        ncust[p] += 1

    def p2p(x: int, y: int) -> None:
        k = (min(x, y), max(x, y))
        if x == y or k in links:
            return
        links[k] = 0
        direction[k] = k

    clique = np.flatnonzero(t.role == CLIQUE_R)
    for i in clique:
        for j in clique:
            if i < j:
                p2p(i, j)
    # named carriers: their internal links, real providers and clique peers (calibration)
    for p, c in INTERNAL_P2C:
        if p in idx and c in idx:
            p2c(idx[p], idx[c])
    w = calibration()["watched"]
    for c in CARRIERS:
        real = w.get(str(c.asn), {})
        for pa in real.get("providers", []):
            if pa in idx and pa in CLIQUE:
                p2c(idx[pa], idx[c.asn])
        for pe in real.get("clique_peers", []):
            if pe in idx:
                p2p(idx[pe], idx[c.asn])
    # order: large, regional (two tiers), content, stubs
    order = {LARGE: [], REGIONAL: [], CONTENT: [], STUB: []}
    for i in range(N):
        if t.role[i] != CLIQUE_R and int(t.asn[i]) not in BY_ASN:
            order[int(t.role[i])].append(i)
    by_cc: dict[str, list[int]] = {}
    cand: list[int] = list(clique)
    for r in (LARGE, REGIONAL, CONTENT, STUB):
        members = order[r]
        ks = _nprov(rng, len(members))
        if r == LARGE:
            ks = np.maximum(ks, 2)
        for s0 in range(0, len(members), 400):  # weights refreshed per chunk (preferential attachment)
            chunk = members[s0:s0 + 400]
            gpool = np.array(cand if r != LARGE else
                             list(clique) + [j for j in cand if t.role[j] == LARGE and j not in clique])
            gcum = np.cumsum((ncust[gpool] + 1.0) ** 1.1)
            lcache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
            for i, k in zip(chunk, ks[s0:s0 + 400], strict=False):
                c = str(t.cc[i])
                if r != LARGE and c in by_cc and rng.random() < 0.75:
                    if c not in lcache:
                        lp = np.array(by_cc[c])
                        lcache[c] = (lp, np.cumsum((ncust[lp] + 1.0) ** 1.1))
                    pool, cum = lcache[c]
                else:
                    pool, cum = gpool, gcum
                picks = pool[np.searchsorted(cum, rng.random(int(k) * 2) * cum[-1], side="right").clip(0, len(pool) - 1)]
                for j in dict.fromkeys(picks.tolist()).__iter__():
                    p2c(int(j), i)
                    k -= 1
                    if k <= 0:
                        break
        if r in (LARGE, REGIONAL):
            for i in members:
                by_cc.setdefault(str(t.cc[i]), []).append(i)
            # carriers serve their own country like its large transit
            for c in CARRIERS:
                if c.role == "national" and c.asn in idx and idx[c.asn] not in by_cc.get(c.cc, []):
                    by_cc.setdefault(c.cc, []).append(idx[c.asn])
            cand = cand + members
    # US footprint of carriers: some US customers (scaled from their real US neighbours)
    us_stubs = [i for i in order[STUB] if t.cc[i] == "US"]
    scale = N / calibration()["graph"]["ases"]
    for c in CARRIERS:
        if c.us_presence and us_stubs:
            k = max(2, int(round(w.get(str(c.asn), {}).get("us_neighbours", 4) * scale * 4)))
            for j in rng.choice(len(us_stubs), size=min(k, len(us_stubs)), replace=False):
                p2c(idx[c.asn], us_stubs[int(j)])
    # ... and US peers, met at the US exchanges where they have ports
    us_open = [i for i in order[REGIONAL] + order[CONTENT] if t.cc[i] == "US"]
    for c in CARRIERS:
        if c.us_presence and us_open:
            k = max(2, int(round(w.get(str(c.asn), {}).get("us_neighbours", 4) * scale * 3)))
            for j in rng.choice(len(us_open), size=min(k, len(us_open)), replace=False):
                p2p(idx[c.asn], us_open[int(j)])
    _peer(t, rng, p2c, p2p, links, ncust)
    ks = sorted(links)
    t.a = np.array([direction[k][0] for k in ks], np.int32)
    t.b = np.array([direction[k][1] for k in ks], np.int32)
    t.rel = np.array([links[k] for k in ks], np.int8)


def _peer(t, rng, p2c, p2p, links, ncust) -> None:
    """Peer links until the calibrated peer share: transit meshes plus IXP route-server peering."""
    share = calibration()["graph"]["p2p_share"]
    n_p2c = sum(1 for v in links.values() if v == -1)
    target = int(n_p2c * share / (1 - share))
    N = t.n
    # propensity: content and transit peer openly; a minority of stubs peers (most have no peer);
    # the clique peers only privately (its mesh above)
    flag = rng.random(N) < np.select([t.role == REGIONAL, t.role == STUB], [0.7, 0.1], 1.0)
    prop = np.select([t.role == CLIQUE_R, t.role == LARGE, t.role == REGIONAL, t.role == CONTENT],
                     [0.0, 6.0, 2.0, 12.0], 0.5) * (1 + np.sqrt(ncust)) * flag
    prop = prop * rng.lognormal(0, 0.8, N)
    ccs = t.cc
    uniq = np.unique(ccs)
    groups = {c: np.flatnonzero((ccs == c) & (prop > 0)) for c in uniq}
    gcum = {c: np.cumsum(prop[g]) for c, g in groups.items() if len(g) > 1}
    allcum = np.cumsum(prop)
    made, rounds = 0, 0
    while made < target and rounds < 50:
        rounds += 1
        B = max(1000, (target - made) * 2)
        x = np.searchsorted(allcum, rng.random(B) * allcum[-1], side="right").clip(0, N - 1)
        y = np.searchsorted(allcum, rng.random(B) * allcum[-1], side="right").clip(0, N - 1)
        local = rng.random(B) < 0.7  # most peers meet at an exchange in their own country
        for c in np.unique(ccs[x[local]]):
            if c not in gcum:
                continue
            sel = np.flatnonzero(local & (ccs[x] == c))
            cum = gcum[c]
            y[sel] = groups[c][np.searchsorted(cum, rng.random(len(sel)) * cum[-1], side="right").clip(0, len(cum) - 1)]
        for xi, yi in zip(x.tolist(), y.tolist(), strict=False):
            before = len(links)
            p2p(xi, yi)
            made += len(links) - before
            if made >= target:
                break
