"""Hook for labelled incidents (the incidents issue fills it; until then no events).

`build(world)` returns ``(events, msgs)``: the `onpath.event/1` records of SPEC §7 plus ``label``
(``incident`` | ``benign``) for truth/events.jsonl, and the extra `churn.Msg` update messages that
make them visible in the collectors' UPDATE files (merged with the background churn before the
files are written). `world` is the `build.WorldState` with the topology, prefixes, vantage
points, policies, engine graph, random source and time window.
"""

from __future__ import annotations


def build(world) -> tuple[list[dict], list]:
    """Labelled events and their update messages: none yet."""
    return [], []
