"""BGP propagation engine: Gao-Rexford best paths, BGPy's semantics, a compiled core (SPEC §3).

Semantics. Links are provider->customer and peer-peer (as_rel rel -1 / 0), optionally siblings.
An AS ranks routes by how it learned them (origin, then customer = sibling, then peer, then
provider), then by AS-path length (prepended copies count), then by the lower next-hop ASN --
BGPy 13's `_get_best_ann_by_lowest_neighbor_asn_tiebreaker` compares `as_path[1]`, the neighbour
that sent the route. Customer, sibling and origin routes are exported to every neighbour; peer and
provider routes to customers (and siblings) only. A path holding the receiver is refused.

Two cores (`_engine.c`):
- the three phases of BGPy (up by propagation rank, across peers once, down by rank), exact for
  Gao-Rexford with the edge and import policies (RemoveLinks, ExportOnlyTo, Prepend,
  DropInvalid, RejectPathsThrough): those only remove offers or lengthen them, and a route's
  class still depends only on the phase it is taken in, so each phase still sees final inputs.
  With Prepend a path's *length* (what is compared) differs from its hop count;
  `PropagationResult.length` holds the length, `path()` repeats the prepended ASNs.
- a general path-vector fixpoint (worklist, loop checks on current paths) for siblings and
  PreferPeerOverCustomer, which break the phase order. Its result is a stable state (every AS
  holds its best offer); where several exist -- sibling pairs that each prefer the route through
  the other, peer-preference disputes -- it is the one reached from the three-phase result.

>>> from onpath.simulate import AsGraph, propagate
>>> g = AsGraph.from_links(p2c=[(1, 2), (1, 3)], p2p=[(2, 3)])
>>> propagate(g, 3).paths()
{1: [1, 3], 2: [2, 3], 3: [3]}
"""

from .engine import PropagationResult, propagate, propagate_many
from .graph import AsGraph
from .policy import (
    DropInvalid,
    ExportOnlyTo,
    Policy,
    PreferPeerOverCustomer,
    Prepend,
    RejectPathsThrough,
    RemoveLinks,
)

__all__ = [
    "AsGraph", "PropagationResult", "propagate", "propagate_many", "Policy", "DropInvalid",
    "ExportOnlyTo", "PreferPeerOverCustomer", "Prepend", "RejectPathsThrough", "RemoveLinks",
]
