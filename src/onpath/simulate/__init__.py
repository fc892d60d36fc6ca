"""BGP propagation engine: Gao-Rexford best paths, BGPy's semantics, a compiled core (SPEC §3).

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
