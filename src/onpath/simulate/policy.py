"""Routing policies that change the Gao-Rexford baseline (SPEC §3), as frozen dataclasses.

Every policy with an `at` field is a partial adoption: `at=None` means every AS, otherwise only
the ASes listed. ASNs absent from the graph are ignored. `compile_policies` turns a list of
policies into the arrays the C core reads.

- `RemoveLinks`: the links are gone (both directions, whatever the relationship).
- `ExportOnlyTo`: selective announcement; an AS exports only to the listed neighbours (and
  still only what Gao-Rexford lets it export to each).
- `Prepend`: an AS adds `times` extra copies of its ASN toward all or some neighbours; path
  *length* (which decides among routes of a class) then differs from the number of hops.
- `DropInvalid`: route origin validation (RFC 6811) at some ASes: a route whose (prefix, origin)
  is RPKI-invalid under the VRPs is refused; not-found and valid routes are kept.
- `RejectPathsThrough`: some ASes refuse any route whose AS path holds one of `avoid`
  (the origin included).
- `PreferPeerOverCustomer`: some ASes rank peer routes above customer routes (breaks
  Gao-Rexford; the engine then runs the general fixpoint instead of the three phases).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from onpath.errors import SimulationError


def _asns(v) -> frozenset[int] | None:
    if v is None:
        return None
    if isinstance(v, int):
        return frozenset([v])
    return frozenset(int(x) for x in v)


class Policy:
    """Base of every policy (marker class)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class RemoveLinks(Policy):
    """Links removed from the graph: (asn, asn) pairs, order irrelevant."""

    links: frozenset[tuple[int, int]]

    def __post_init__(self):
        object.__setattr__(self, "links", frozenset((int(a), int(b)) for a, b in self.links))


@dataclass(frozen=True, slots=True)
class ExportOnlyTo(Policy):
    """AS `asn` announces (any route) only to `neighbors`."""

    asn: int
    neighbors: frozenset[int]

    def __post_init__(self):
        object.__setattr__(self, "neighbors", _asns(self.neighbors))


@dataclass(frozen=True, slots=True)
class Prepend(Policy):
    """AS `asn` prepends `times` extra copies of its ASN toward `to` (None: every neighbour)."""

    asn: int
    times: int = 1
    to: frozenset[int] | None = None

    def __post_init__(self):
        if not 0 <= int(self.times) <= 255:
            raise SimulationError(f"Prepend times must be 0..255, not {self.times}")
        object.__setattr__(self, "to", _asns(self.to))


@dataclass(frozen=True, slots=True)
class DropInvalid(Policy):
    """ROV at `at` (None: every AS): drop routes whose origin is RPKI-invalid for `prefix`.

    `vrps` are (asn, prefix, max_length) triples, or a table with those columns.
    """

    vrps: tuple[tuple[int, str, int], ...]
    prefix: str
    at: frozenset[int] | None = None

    def __post_init__(self):
        v = self.vrps
        if hasattr(v, "column"):  # a pyarrow table with asn, prefix, max_length
            v = zip(v.column("asn").to_pylist(), v.column("prefix").to_pylist(),
                    v.column("max_length").to_pylist(), strict=True)
        rows = []
        for asn, pfx, ml in v:
            net = ipaddress.ip_network(pfx, strict=False)
            rows.append((int(asn), str(net), int(ml) if ml is not None else net.prefixlen))
        object.__setattr__(self, "vrps", tuple(rows))
        try:
            ipaddress.ip_network(self.prefix, strict=False)
        except ValueError as e:
            raise SimulationError(f"DropInvalid prefix: {e}") from None
        object.__setattr__(self, "at", _asns(self.at))

    def validity(self, origin: int) -> str:
        """RFC 6811 state of (prefix, origin): 'valid', 'invalid' or 'not-found'."""
        p = ipaddress.ip_network(self.prefix, strict=False)
        covered = False
        for asn, vp, ml in self.vrps:
            net = ipaddress.ip_network(vp)
            if net.version != p.version or not p.subnet_of(net):
                continue
            covered = True
            if asn == origin and asn != 0 and p.prefixlen <= ml:
                return "valid"
        return "invalid" if covered else "not-found"


@dataclass(frozen=True, slots=True)
class RejectPathsThrough(Policy):
    """ASes of `at` (None: every AS) refuse routes whose path holds an AS of `avoid`."""

    avoid: frozenset[int]
    at: frozenset[int] | None = None

    def __post_init__(self):
        object.__setattr__(self, "avoid", _asns(self.avoid))
        object.__setattr__(self, "at", _asns(self.at))


@dataclass(frozen=True, slots=True)
class PreferPeerOverCustomer(Policy):
    """ASes of `at` rank peer routes above customer (and sibling) routes."""

    at: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(self, "at", _asns(self.at))


@dataclass(eq=False)
class Compiled:
    """Arrays for the C core; None where a policy kind is absent."""

    cattr: np.ndarray | None = None
    eattr: np.ndarray | None = None
    eattr_push: np.ndarray | None = None
    pattr: np.ndarray | None = None
    sattr: np.ndarray | None = None
    imp_rov: np.ndarray | None = None
    org_bad: np.ndarray | None = None
    avoid: np.ndarray | None = None
    enforce: np.ndarray | None = None
    prefer_peer: np.ndarray | None = None
    prepends: bool = False


def _known(graph, asns: Iterable[int]) -> np.ndarray:
    a = np.fromiter((int(x) for x in asns), dtype=np.int64)
    i = np.searchsorted(graph.asns, a)
    ok = i < graph.n
    ok[ok] = graph.asns[i[ok]] == a[ok]
    return i[ok]


def _mask_at(graph, at: frozenset[int] | None) -> np.ndarray:
    m = np.zeros(graph.n, np.uint8)
    if at is None:
        m[:] = 1
    else:
        m[_known(graph, at)] = 1
    return m


def _peer_mirror(graph) -> np.ndarray:
    """For each peer-list entry (x, y), the position of the entry (y, x); cached on the graph."""
    cache = graph._cache
    if "peer_mirror" not in cache:
        n = graph.n
        key = graph.peers.owners().astype(np.int64) * n + graph.peers.idx
        rev = graph.peers.idx.astype(np.int64) * n + graph.peers.owners()
        cache["peer_mirror"] = np.searchsorted(key, rev)
    return cache["peer_mirror"]


def as_list(policy) -> list[Policy]:
    """A policy, a sequence of policies, or None, as a list."""
    if policy is None:
        return []
    if isinstance(policy, Policy):
        return [policy]
    if isinstance(policy, Sequence | frozenset | set):
        out = list(policy)
        for p in out:
            if not isinstance(p, Policy):
                raise SimulationError(f"not a policy: {p!r}")
        return out
    raise SimulationError(f"not a policy: {policy!r}")


def compile_policies(graph, policies: list[Policy], origins: Sequence[int]) -> Compiled:
    """Arrays for `graph` and `origins` (ASNs) from `policies`.

    Raises
    ------
    SimulationError
        More than 8 `RejectPathsThrough` policies (the core keeps 8 group bits).
    """
    c = Compiled()
    n = graph.n
    edge_pol = [p for p in policies if isinstance(p, RemoveLinks | ExportOnlyTo | Prepend)]
    if edge_pol:
        lists = [graph.customers, graph.peers, graph.providers]
        if graph.siblings is not None:
            lists.append(graph.siblings)
        attrs = []
        for csr in lists:
            owner = csr.owners().astype(np.int64)
            idx = csr.idx.astype(np.int64)
            pre = np.zeros(len(idx), np.int32)
            blocked = np.zeros(len(idx), bool)
            for p in edge_pol:
                if isinstance(p, RemoveLinks):
                    keys = []
                    for a, b in p.links:
                        ia, ib = _known(graph, [a]), _known(graph, [b])
                        if len(ia) and len(ib):
                            keys += [ia[0] * n + ib[0], ib[0] * n + ia[0]]
                    if keys:
                        blocked |= np.isin(owner * n + idx, np.asarray(keys, np.int64))
                    continue
                ip = _known(graph, [p.asn])
                if not len(ip):
                    continue
                sender = idx == ip[0]
                if isinstance(p, ExportOnlyTo):
                    blocked |= sender & ~np.isin(owner, _known(graph, p.neighbors))
                else:
                    m = sender if p.to is None else sender & np.isin(owner, _known(graph, p.to))
                    pre[m] += int(p.times)
                    c.prepends = c.prepends or bool(m.any() and p.times)
            attrs.append(np.where(blocked, -1, np.minimum(pre, 32000)).astype(np.int16))
        c.cattr, c.eattr, c.pattr = attrs[:3]
        c.eattr_push = np.ascontiguousarray(c.eattr[_peer_mirror(graph)])
        if graph.siblings is not None:
            c.sattr = attrs[3]
    rov = [p for p in policies if isinstance(p, DropInvalid)]
    if rov:
        if len(rov) > 8:
            raise SimulationError(f"at most 8 DropInvalid policies at once, not {len(rov)}")
        c.imp_rov = np.zeros(n, np.uint8)
        c.org_bad = np.zeros(max(len(origins), 1), np.uint8)
        for bit, p in enumerate(rov):
            # group `bit`: the ASes of p.at drop the origins invalid under p's VRPs and prefix
            c.imp_rov |= (_mask_at(graph, p.at) << bit).astype(np.uint8)
            for k, o in enumerate(origins):
                if p.validity(int(o)) == "invalid":
                    c.org_bad[k] |= np.uint8(1 << bit)
    rej = [p for p in policies if isinstance(p, RejectPathsThrough)]
    if rej:
        if len(rej) > 8:
            raise SimulationError(f"at most 8 RejectPathsThrough policies at once, not {len(rej)}")
        c.avoid = np.zeros(n, np.uint8)
        c.enforce = np.zeros(n, np.uint8)
        for bit, p in enumerate(rej):
            c.avoid[_known(graph, p.avoid)] |= np.uint8(1 << bit)
            c.enforce |= (_mask_at(graph, p.at) << bit).astype(np.uint8)
    pp = [p for p in policies if isinstance(p, PreferPeerOverCustomer)]
    if pp:
        c.prefer_peer = np.zeros(n, np.uint8)
        for p in pp:
            c.prefer_peer |= _mask_at(graph, p.at)
        if not c.prefer_peer.any():
            c.prefer_peer = None
    return c
