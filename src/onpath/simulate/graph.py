"""The AS graph of the propagation engine: sorted ASNs and CSR adjacency in NumPy arrays.

ASes are indexed in ascending ASN order, so comparing indices compares ASNs (BGPy breaks ties
by the lowest neighbour ASN). Each AS has three lists (customers, peers, providers) and, when
siblings are on, a fourth (siblings: ASes of the same AS-to-org `org_id`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from onpath.errors import SimulationError

from . import _engine


@dataclass(frozen=True, eq=False)
class Csr:
    """One adjacency list per AS: `idx[ptr[i]:ptr[i+1]]` are the neighbours of AS index i."""

    ptr: np.ndarray  # int64, n+1
    idx: np.ndarray  # int32, ascending within each AS

    @classmethod
    def build(cls, n: int, owner: np.ndarray, other: np.ndarray) -> Csr:
        """Lists from (owner, neighbour) index pairs; duplicates are dropped."""
        if len(owner):
            key = np.unique(owner.astype(np.int64) * n + other.astype(np.int64))
            owner, other = key // n, key % n
        counts = np.bincount(owner, minlength=n) if len(owner) else np.zeros(n, np.int64)
        ptr = np.zeros(n + 1, np.int64)
        np.cumsum(counts, out=ptr[1:])
        return cls(ptr, np.ascontiguousarray(other, dtype=np.int32))

    def owners(self) -> np.ndarray:
        """The owning AS index of every entry (aligned with `idx`)."""
        return np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int32), np.diff(self.ptr))

    def of(self, i: int) -> np.ndarray:
        """Neighbour indices of AS index `i`."""
        return self.idx[self.ptr[i]:self.ptr[i + 1]]


@dataclass(frozen=True, eq=False)
class AsGraph:
    """An AS-level topology ready for propagation.

    Attributes
    ----------
    asns : np.ndarray
        uint32, sorted ascending; position = AS index.
    customers, peers, providers : Csr
        Adjacency lists by relationship (from the AS's point of view).
    siblings : Csr or None
        ASes sharing an organisation, when built with siblings.
    order : np.ndarray
        int32 AS indices by ascending propagation rank (BGPy's: longest customer chain below).
    rank : np.ndarray
        int32 propagation rank per AS.
    """

    asns: np.ndarray
    customers: Csr
    peers: Csr
    providers: Csr
    siblings: Csr | None
    order: np.ndarray
    rank: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)  # derived arrays (policy.py)

    @property
    def n(self) -> int:
        """Number of ASes."""
        return len(self.asns)

    def index(self, asn: int) -> int:
        """AS index of `asn`; raises SimulationError when the AS is not in the graph."""
        i = int(np.searchsorted(self.asns, asn))
        if i >= len(self.asns) or int(self.asns[i]) != int(asn):
            raise SimulationError(f"AS{asn} is not in the graph")
        return i

    def indices(self, asns) -> np.ndarray:
        """AS indices of many ASNs (int32); unknown ASNs raise SimulationError."""
        a = np.asarray(list(asns) if not isinstance(asns, np.ndarray) else asns, dtype=np.int64)
        if len(a) and (a.min() < 0 or a.max() > 0xFFFFFFFF):
            raise SimulationError(f"AS{int(a[(a < 0) | (a > 0xFFFFFFFF)][0])} is not in the graph")
        a32 = a.astype(np.uint32)  # same dtype as asns: no conversion of the whole array
        i = np.searchsorted(self.asns, a32)
        bad = (i >= len(self.asns)) | (self.asns[np.minimum(i, max(len(self.asns) - 1, 0))] != a32) \
            if len(self.asns) else np.ones(len(a), bool)
        if bad.any():
            raise SimulationError(f"AS{int(a[bad][0])} is not in the graph")
        return i.astype(np.int32)

    def __contains__(self, asn: object) -> bool:
        try:
            self.index(int(asn))  # type: ignore[arg-type]
        except (SimulationError, TypeError, ValueError):
            return False
        return True

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_links(cls, p2c=(), p2p=(), siblings=()) -> AsGraph:
        """Graph from link lists: `p2c` (provider, customer) pairs, `p2p` peer pairs,
        `siblings` pairs of ASes under one organisation.

        Examples
        --------
        >>> g = AsGraph.from_links(p2c=[(1, 2), (1, 3)], p2p=[(2, 3)])
        >>> g.asns.tolist()
        [1, 2, 3]
        """
        p2c = np.asarray(list(p2c), dtype=np.int64).reshape(-1, 2)
        p2p = np.asarray(list(p2p), dtype=np.int64).reshape(-1, 2)
        sib = np.asarray(list(siblings), dtype=np.int64).reshape(-1, 2)
        return cls._build(p2c, p2p, sib if len(sib) else None)

    @classmethod
    def from_as_rel(cls, source, siblings=None) -> AsGraph:
        """Graph from an `as_rel` table (asn1, asn2, rel) or a CAIDA as-rel/as-rel2 file.

        Parameters
        ----------
        source : pyarrow.Table or path
            rel -1: asn1 is the provider of asn2; rel 0: peers. Other rel values are refused.
        siblings : iterable of (asn, asn) pairs, optional
            Sibling links to add; pairs with an AS absent from the relationships are left out.

        Returns
        -------
        AsGraph

        Raises
        ------
        MalformedRecord
            A file line that is not `asn|asn|rel[|source]`.
        SimulationError
            A provider-customer cycle.
        """
        table = source if isinstance(source, pa.Table) else read_as_rel(Path(source))
        a1 = table.column("asn1").to_numpy().astype(np.int64)
        a2 = table.column("asn2").to_numpy().astype(np.int64)
        rel = table.column("rel").to_numpy().astype(np.int64)
        bad = ~np.isin(rel, (-1, 0))
        if bad.any():
            raise SimulationError(f"as_rel row {int(np.flatnonzero(bad)[0])}: rel {int(rel[bad][0])} is not -1 or 0")
        pc = rel == -1
        p2c = np.stack([a1[pc], a2[pc]], axis=1)
        p2p = np.stack([a1[~pc], a2[~pc]], axis=1)
        sib = None
        if siblings is not None:
            # sibling links only between ASes of the relationship data (an AS-to-org entry
            # alone does not put an AS on the routing graph)
            sib = np.asarray(list(siblings) if not isinstance(siblings, np.ndarray) else siblings,
                             dtype=np.int64).reshape(-1, 2)
            known = np.unique(np.concatenate([a1, a2]))
            sib = sib[np.isin(sib[:, 0], known) & np.isin(sib[:, 1], known)]
        return cls._build(p2c, p2p, sib if sib is not None and len(sib) else None)

    @classmethod
    def from_snapshot(cls, snap, siblings: bool = False) -> AsGraph:
        """Graph from a snapshot's `as_rel` table; with `siblings`, ASes sharing an `org_id`
        in `as_org` are linked as siblings (each AS to the lowest ASN of its organisation and
        to every other; a clique per organisation)."""
        table = snap.table("as_rel", columns=["asn1", "asn2", "rel"])
        pairs = None
        if siblings:
            org = snap.table("as_org", columns=["asn", "org_id"])
            pairs = sibling_pairs(org)
        return cls.from_as_rel(table, siblings=pairs)

    @classmethod
    def _build(cls, p2c: np.ndarray, p2p: np.ndarray, sib: np.ndarray | None) -> AsGraph:
        parts = [p2c.ravel(), p2p.ravel()] + ([sib.ravel()] if sib is not None else [])
        asns = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
        if len(asns) and (asns[0] < 0 or asns[-1] > 0xFFFFFFFF):
            raise SimulationError("ASN out of range 0..4294967295")
        n = len(asns)
        ix = lambda a: np.searchsorted(asns, a).astype(np.int64)  # noqa: E731
        prov, cust = ix(p2c[:, 0]), ix(p2c[:, 1])
        e1, e2 = ix(p2p[:, 0]), ix(p2p[:, 1])
        keep = e1 != e2
        e1, e2 = e1[keep], e2[keep]
        customers = Csr.build(n, prov, cust)
        providers = Csr.build(n, cust, prov)
        peers = Csr.build(n, np.concatenate([e1, e2]), np.concatenate([e2, e1]))
        sibs = None
        if sib is not None:
            s1, s2 = ix(sib[:, 0]), ix(sib[:, 1])
            k = s1 != s2
            sibs = Csr.build(n, np.concatenate([s1[k], s2[k]]), np.concatenate([s2[k], s1[k]]))
        rank = np.zeros(n, np.int32)
        ranked = _engine.ranks(customers.ptr, customers.idx, providers.ptr, providers.idx, rank)
        if ranked < n:
            raise SimulationError(f"provider-customer cycle among {n - ranked} ASes")
        order = np.argsort(rank, kind="stable").astype(np.int32)
        return cls(asns.astype(np.uint32), customers, peers, providers, sibs, order, rank)


def sibling_pairs(as_org: pa.Table) -> np.ndarray:
    """(asn, asn) pairs of ASes that share an `org_id` (every pair within an organisation)."""
    asn = as_org.column("asn").to_numpy(zero_copy_only=False).astype(np.int64)
    org = as_org.column("org_id").to_pylist()
    groups: dict[str, list[int]] = {}
    for a, o in zip(asn.tolist(), org, strict=True):
        if o:
            groups.setdefault(o, []).append(a)
    out = [(a, b) for members in groups.values() for i, a in enumerate(sorted(set(members)))
           for b in sorted(set(members))[i + 1:]]
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


def read_as_rel(path: Path) -> pa.Table:
    """A CAIDA as-rel (serial-1) or as-rel2 (serial-2) file, plain, .bz2 or .gz, as an
    `as_rel` table (asn1, asn2, rel), read by `onpath.ingest.asrel` (a bad line raises
    MalformedRecord with its line number)."""
    from onpath.ingest import asrel
    from onpath.ingest.base import LoadContext

    if not Path(path).is_file():
        raise SimulationError("no such file", file=str(path))
    ctx = LoadContext(source_file=str(path), on_error="raise", warn=False)
    batches = [b for t, b in asrel.load(path, ctx) if t == asrel.TABLE]
    if not batches:
        return pa.table({"asn1": pa.array([], pa.uint32()), "asn2": pa.array([], pa.uint32()),
                         "rel": pa.array([], pa.int8())})
    return pa.Table.from_batches(batches).select(["asn1", "asn2", "rel"])
