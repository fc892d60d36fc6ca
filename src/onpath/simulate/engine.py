"""One prefix's propagation over an AsGraph, and streaming over many origins.

Results are compact: per AS the index of its next hop (-1: no route; an origin points to
itself), how the route was learned, the AS-path length and the prepends on the chosen link.
Full paths are built on demand.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from onpath.errors import SimulationError

from . import _engine
from .graph import AsGraph
from .policy import Compiled, as_list, compile_policies

#: `learned` codes
ORIGIN, CUSTOMER, PEER, PROVIDER, SIBLING, NONE = 0, 1, 2, 3, 4, -1


@dataclass(eq=False)
class PropagationResult:
    """The best route of every AS for one prefix.

    Attributes
    ----------
    graph : AsGraph
    origins : tuple of int
        The announcing ASNs.
    next_hop : np.ndarray
        int32 AS index of the next hop; -1 without a route; an origin points to itself.
    learned : np.ndarray
        int8: 0 origin, 1 customer, 2 peer, 3 provider, 4 sibling, -1 none.
    length : np.ndarray
        int32 AS-path length (prepended copies counted; 1 at an origin, 0 without a route).
    prepended : np.ndarray or None
        int16 extra copies of the next hop's ASN on the chosen link (None: no prepending).
    """

    graph: AsGraph
    origins: tuple[int, ...]
    next_hop: np.ndarray
    learned: np.ndarray
    length: np.ndarray
    prepended: np.ndarray | None = None
    origin_slot: np.ndarray | None = None

    @property
    def has_route(self) -> np.ndarray:
        """Boolean mask of the ASes with a route."""
        return self.next_hop >= 0

    def asns_with_route(self) -> np.ndarray:
        """ASNs (uint32, ascending) that have a route."""
        return self.graph.asns[self.has_route]

    def origin_of(self, asn: int) -> int | None:
        """The origin ASN that `asn`'s best route leads to (None without a route)."""
        i = self.graph.index(asn)
        if self.next_hop[i] < 0 or self.origin_slot is None:
            return None
        return self.origins[int(self.origin_slot[i])]

    def path(self, asn: int, collapse: bool = False) -> list[int] | None:
        """The AS path from `asn` to the origin (prepended copies kept unless `collapse`),
        or None when `asn` has no route or is not in the graph."""
        if asn not in self.graph:
            return None
        i = self.graph.index(asn)
        if self.next_hop[i] < 0:
            return None
        asns, nh, pre = self.graph.asns, self.next_hop, self.prepended
        out = [int(asns[i])]
        while nh[i] != i:
            j = int(nh[i])
            if pre is not None and not collapse:
                out.extend([int(asns[j])] * int(pre[i]))
            out.append(int(asns[j]))
            i = j
        return out

    def paths(self, collapse: bool = False, asns: Iterable[int] | None = None) -> dict[int, list[int]]:
        """{asn: path} for every AS with a route (or for the given ASes that have one)."""
        if asns is None:
            idx = np.flatnonzero(self.has_route)
        else:  # the given ASes that are in the graph, in one vectorised lookup
            a = np.asarray(list(asns) if not isinstance(asns, np.ndarray) else asns, dtype=np.int64)
            a = a[(a >= 0) & (a <= 0xFFFFFFFF)].astype(np.uint32)
            g = self.graph.asns
            i = np.minimum(np.searchsorted(g, a), max(len(g) - 1, 0))
            idx = i[(g[i] == a)] if len(g) else np.zeros(0, np.int64)
        idx = idx[self.next_hop[idx] >= 0]
        if not len(idx):
            return {}
        # walk all chosen ASes one hop at a time (vectorised), then cut each row at its origin
        cols = [idx]
        cur = idx
        while True:
            nxt = self.next_hop[cur].astype(np.int64)
            if (nxt == cur).all():
                break
            cur = nxt
            cols.append(cur)
        mat = np.stack(cols, axis=1)
        # hops per row: 1 + the steps before the row reaches its origin (then it repeats)
        hops = 1 + (mat[:, 1:] != mat[:, :-1]).sum(axis=1)
        asn = self.graph.asns
        pre = None if collapse else self.prepended
        if pre is None or not pre[idx].any() and not pre[mat.ravel()].any():
            rows = asn[mat].tolist()
            return {r[0]: r[:h] for r, h in zip(rows, hops.tolist(), strict=True)}
        out: dict[int, list[int]] = {}
        for row, h in zip(mat.tolist(), hops.tolist(), strict=True):
            p = [int(asn[row[0]])]
            for a, b in zip(row[:h - 1], row[1:h], strict=True):
                p.extend([int(asn[b])] * (1 + int(pre[a])))
            out[p[0]] = p
        return out


def _origin_list(graph: AsGraph, origin) -> tuple[int, ...]:
    if isinstance(origin, int | np.integer):
        origins = (int(origin),)
    else:
        origins = tuple(int(o) for o in origin)
    if not origins:
        raise SimulationError("no origin given")
    return origins


def propagate(graph: AsGraph, origin, policy=None, *, method: str = "auto",
              max_steps: int | None = None) -> PropagationResult:
    """Propagate one prefix announced by `origin` (an ASN or several: MOAS, hijacks).

    Parameters
    ----------
    graph : AsGraph
    origin : int or iterable of int
        Announcing ASN(s); each is seeded as an origin route (never replaced).
    policy : Policy or sequence of Policy, optional
        See `onpath.simulate.policy`.
    method : {"auto", "phases", "iterate", "iterate-cold"}
        "phases": BGPy's three phases (exact for Gao-Rexford with the edge and import
        policies). "iterate": the general path-vector fixpoint started from the phases'
        result (needed for siblings and peer-over-customer preferences); "iterate-cold"
        starts it from the origins alone. "auto" picks phases unless iteration is needed.
    max_steps : int, optional
        Cap on the fixpoint's re-decisions (default 200 per AS); beyond it SimulationError.

    Returns
    -------
    PropagationResult

    Raises
    ------
    SimulationError
        Unknown origin, bad policy, or no stable state reached within `max_steps`.

    Examples
    --------
    >>> g = AsGraph.from_links(p2c=[(1, 2), (1, 3), (2, 4)], p2p=[(3, 4)])
    >>> propagate(g, 4).path(1)
    [1, 2, 4]
    """
    origins = _origin_list(graph, origin)
    oidx = graph.indices(origins)
    pol = as_list(policy)
    comp = compile_policies(graph, pol, origins) if pol else Compiled()
    return _run(graph, origins, oidx, comp, method, max_steps)


def _run(graph: AsGraph, origins, oidx, comp: Compiled, method: str, max_steps) -> PropagationResult:
    n = graph.n
    nh = np.empty(n, np.int32)
    cls = np.empty(n, np.int8)
    ln = np.empty(n, np.int32)
    org = np.empty(n, np.int32)
    pre = np.empty(n, np.int16) if comp.prepends else None
    need_iter = graph.siblings is not None or comp.prefer_peer is not None
    if method == "auto":
        method = "iterate" if need_iter else "phases"
    if method not in ("phases", "iterate", "iterate-cold"):
        raise SimulationError(f"unknown method {method!r}")
    if method == "phases" and need_iter:
        raise SimulationError("siblings and peer-over-customer preferences need method='iterate'")
    args = (graph.order, graph.customers.ptr, graph.customers.idx, comp.cattr,
            graph.peers.ptr, graph.peers.idx, comp.eattr,
            graph.providers.ptr, graph.providers.idx, comp.pattr,
            oidx, comp.imp_rov, comp.org_bad, comp.avoid, comp.enforce,
            nh, cls, ln, pre, org, comp.eattr_push)
    if method == "phases":
        _engine.propagate(*args)
    else:
        sib = graph.siblings
        cap = max_steps if max_steps is not None else 200 * max(n, 1)
        steps = _engine.iterate(*args, sib.ptr if sib else None, sib.idx if sib else None,
                                comp.sattr, comp.prefer_peer, int(cap), method == "iterate")
        if steps < 0:
            raise SimulationError(f"no stable state after {cap} steps (a policy dispute?)")
    return PropagationResult(graph, origins, nh, cls, ln, pre, org)


# ---- many origins -----------------------------------------------------------------------

_WORK: tuple | None = None  # (graph, policy, reduce, method), inherited by forked workers


def _one(origin):
    graph, policy, reduce, method = _WORK  # type: ignore[misc]
    r = propagate(graph, origin, policy, method=method)
    if reduce is None:  # send the arrays only; the parent re-attaches its graph
        return origin, (r.origins, r.next_hop, r.learned, r.length, r.prepended, r.origin_slot)
    return origin, reduce(r)


def propagate_many(graph: AsGraph, origins: Iterable, reduce: Callable[[PropagationResult], object] | None = None,
                   workers: int = 2, policy=None, method: str = "auto",
                   chunksize: int = 16) -> Iterator[tuple[object, object]]:
    """Propagate each origin in turn and yield `(origin, reduce(result))`, in input order.

    Each result is reduced before the next is kept, so memory stays bounded. With
    `workers > 1` the work runs in forked processes that share the graph copy-on-write
    (`reduce` may be any callable, a lambda included; its return value must pickle).

    Parameters
    ----------
    graph : AsGraph
    origins : iterable
        ASNs, or tuples of ASNs for several origins of one prefix.
    reduce : callable, optional
        PropagationResult -> anything (default: the result itself, which is large).
    workers : int
        Processes (1: in this process).
    policy, method
        As for `propagate`.
    chunksize : int
        Origins per task sent to a worker.

    Yields
    ------
    tuple
        (origin, reduced value).

    Examples
    --------
    >>> g = AsGraph.from_links(p2c=[(1, 2), (1, 3)])
    >>> list(propagate_many(g, [2, 3], reduce=lambda r: r.path(1), workers=1))
    [(2, [1, 2]), (3, [1, 3])]
    """
    global _WORK
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for o in origins:
            r = propagate(graph, o, policy, method=method)
            yield o, (reduce(r) if reduce is not None else r)
        return
    prev = _WORK
    _WORK = (graph, policy, reduce, method)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for o, v in pool.imap(_one, origins, chunksize=chunksize):
                yield o, (v if reduce is not None else PropagationResult(graph, *v))
    finally:
        _WORK = prev
