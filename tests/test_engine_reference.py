"""A plain-Python reference of the engine's semantics, and property tests of the C core against it.

The reference shares no code with onpath.simulate: it keeps whole AS paths as tuples and repeats
"every AS takes its best offer from its neighbours' current routes" until nothing changes (a
synchronous path-vector fixpoint), with SPEC §3's rules written out directly:
- offers: a customer/sibling/origin route goes to every neighbour; peer and provider routes go to
  customers and siblings only; a path holding the receiver is refused (loop);
- rank: origin, then customer = sibling, then peer, then provider (peer first where an AS prefers
  peers), then shorter path (prepended copies count), then lower neighbour ASN.
"""

from __future__ import annotations

import ipaddress

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onpath.simulate import (
    AsGraph,
    DropInvalid,
    ExportOnlyTo,
    PreferPeerOverCustomer,
    Prepend,
    RejectPathsThrough,
    RemoveLinks,
    propagate,
)

CUST, PEER, PROV, SIB = "customer", "peer", "provider", "sibling"


def _neighbours(p2c, p2p, sib):
    """{asn: {neighbour: what the neighbour is to asn}}"""
    nb: dict[int, dict[int, str]] = {}
    for p, c in p2c:
        nb.setdefault(p, {})[c] = CUST
        nb.setdefault(c, {})[p] = PROV
    for a, b in p2p:
        if a != b:
            nb.setdefault(a, {})[b] = PEER
            nb.setdefault(b, {})[a] = PEER
    for a, b in sib:
        if a != b:
            nb.setdefault(a, {})[b] = SIB
            nb.setdefault(b, {})[a] = SIB
    return nb


def _rov_invalid(pol: DropInvalid, origin: int) -> bool:
    p = ipaddress.ip_network(pol.prefix)
    cover = [(a, ml) for a, vp, ml in pol.vrps if p.subnet_of(ipaddress.ip_network(vp))]
    return bool(cover) and not any(a == origin and a != 0 and p.prefixlen <= ml for a, ml in cover)


def reference(p2c, p2p, origins, policies=(), sib=(), max_rounds=500, start=None):
    """{asn: (path tuple, learned-from kind)} of every AS with a route."""
    nb = _neighbours(p2c, p2p, sib)
    origins = list(origins)
    removed = {frozenset(lk) for p in policies if isinstance(p, RemoveLinks) for lk in p.links}
    rib = {o: ((o,), "origin") for o in origins} if start is None else dict(start)
    for _ in range(max_rounds):
        new = {}
        for x in set(nb) | set(origins):
            if x in origins:
                new[x] = rib[x]
                continue
            best, bkey = None, None
            prefer_peer = any(isinstance(p, PreferPeerOverCustomer) and x in p.at for p in policies)
            for y, kind in nb.get(x, {}).items():
                if y not in rib or frozenset((x, y)) in removed:
                    continue
                ypath, ykind = rib[y]
                # y's export to x: what x is to y
                x_to_y = {CUST: PROV, PROV: CUST, PEER: PEER, SIB: SIB}[kind]
                if ykind in (PEER, PROV) and x_to_y not in (CUST, SIB):
                    continue
                if any(isinstance(p, ExportOnlyTo) and p.asn == y and x not in p.neighbors for p in policies):
                    continue
                if x in ypath:
                    continue
                extra = sum(p.times for p in policies if isinstance(p, Prepend) and p.asn == y
                            and (p.to is None or x in p.to))
                path = (x,) + (y,) * extra + ypath
                if any(isinstance(p, DropInvalid) and (p.at is None or x in p.at)
                       and _rov_invalid(p, path[-1]) for p in policies):
                    continue
                if any(isinstance(p, RejectPathsThrough) and (p.at is None or x in p.at)
                       and set(ypath) & p.avoid for p in policies):
                    continue
                cls = {CUST: 1, SIB: 1, PEER: 2, PROV: 3}[kind]
                if prefer_peer and cls in (1, 2):
                    cls = 3 - cls
                key = (cls, len(path), y)
                if bkey is None or key < bkey:
                    best, bkey = (path, kind), key
            if best is not None:
                new[x] = best
        if new == rib:
            return rib
        rib = new
    raise RuntimeError("reference did not converge")


def engine_paths(res) -> dict[int, tuple[int, ...]]:
    return {a: tuple(p) for a, p in res.paths().items()}


# ---- random graphs ---------------------------------------------------------------------------

@st.composite
def graphs(draw, max_n=12, siblings=False):
    n = draw(st.integers(2, max_n))
    asns = draw(st.lists(st.integers(1, 60), min_size=n, max_size=n, unique=True))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    kinds = draw(st.lists(st.sampled_from(["none", "none", "p2c", "p2p", "sib"] if siblings
                                          else ["none", "none", "p2c", "p2p"]),
                          min_size=len(pairs), max_size=len(pairs)))
    p2c, p2p, sib = [], [], []
    for (i, j), k in zip(pairs, kinds, strict=True):
        # hierarchy by position (acyclic); ASN order independent of it
        if k == "p2c":
            p2c.append((asns[i], asns[j]))
        elif k == "p2p":
            p2p.append((asns[i], asns[j]))
        elif k == "sib":
            sib.append((asns[i], asns[j]))
    linked = sorted({a for lk in p2c + p2p + sib for a in lk})
    if not linked:
        p2c.append((asns[0], asns[1]))
        linked = sorted({asns[0], asns[1]})
    origin = draw(st.sampled_from(linked))
    return p2c, p2p, sib, origin


def _ref_paths(rib):
    return {a: p for a, (p, _k) in rib.items()}


SET = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SET
@given(graphs())
def test_phases_agree_with_reference(gr):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    assert engine_paths(propagate(g, origin)) == _ref_paths(reference(p2c, p2p, [origin]))


@SET
@given(graphs(), st.data())
def test_fixpoint_from_origins_agrees_with_phases(gr, data):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    a, b = propagate(g, origin), propagate(g, origin, method="iterate-cold")
    assert engine_paths(a) == engine_paths(b)
    assert (a.learned == b.learned).all()


def _rel(p2c, p2p, sib):
    r = {}
    for p, c in p2c:
        r[(p, c)], r[(c, p)] = "down", "up"
    for a, b in p2p:
        r[(a, b)] = r[(b, a)] = "peer"
    for a, b in sib:
        r[(a, b)] = r[(b, a)] = "sib"
    return r


@SET
@given(graphs())
def test_paths_valley_free_and_loop_free(gr):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    rel = _rel(p2c, p2p, ())
    for asn, path in propagate(g, origin).paths().items():
        assert path[0] == asn and path[-1] == origin
        assert len(set(path)) == len(path)
        # the announcement travels origin -> asn: up*, at most one peer, then down*
        steps = [rel[(a, b)] for a, b in zip(path[::-1], path[::-1][1:], strict=False)]
        phase = 0
        for s in steps:
            want = {"up": 0, "peer": 1, "down": 2}[s]
            assert want >= phase and not (s == "peer" and phase >= 1)
            phase = max(phase, want if s != "peer" else 1.5)


@SET
@given(graphs(), st.data())
def test_removing_a_link_never_adds_routes(gr, data):
    p2c, p2p, _sib, origin = gr
    links = p2c + p2p
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    cut = data.draw(st.sampled_from(links))
    before = set(propagate(g, origin).paths())
    after_res = propagate(g, origin, RemoveLinks({cut}))
    after = set(after_res.paths())
    assert after <= before
    # the same as building the graph without the link
    p2c2 = [lk for lk in p2c if lk != cut]
    p2p2 = [lk for lk in p2p if lk != cut]
    ref = _ref_paths(reference(p2c2, p2p2, [origin]))
    assert engine_paths(after_res) == ref


@st.composite
def policy_sets(draw, asns, origin):
    pols = []
    pick = st.sampled_from(asns)
    some = st.frozensets(pick, max_size=4)
    for _ in range(draw(st.integers(0, 3))):
        k = draw(st.sampled_from(["prepend", "export", "reject", "rov"]))
        if k == "prepend":
            pols.append(Prepend(draw(pick), draw(st.integers(1, 3)), draw(st.none() | some)))
        elif k == "export":
            pols.append(ExportOnlyTo(draw(pick), draw(some)))
        elif k == "reject":
            pols.append(RejectPathsThrough(draw(some), draw(st.none() | some)))
        else:
            ok = draw(st.booleans())
            vrp = (origin if ok else origin + 1000, "10.0.0.0/8", 24)
            pols.append(DropInvalid((vrp,), "10.1.0.0/16", draw(st.none() | some)))
    return pols


@SET
@given(graphs(), st.data())
def test_policies_agree_with_reference(gr, data):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    pols = data.draw(policy_sets([int(a) for a in g.asns], origin))
    res = propagate(g, origin, pols)
    assert engine_paths(res) == _ref_paths(reference(p2c, p2p, [origin], pols))
    cold = propagate(g, origin, pols, method="iterate-cold")
    assert engine_paths(cold) == engine_paths(res)


@SET
@given(graphs(max_n=9), st.data())
def test_two_origins_agree_with_reference(gr, data):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    other = data.draw(st.sampled_from([int(a) for a in g.asns]))
    origins = sorted({origin, other})
    res = propagate(g, origins)
    assert engine_paths(res) == _ref_paths(reference(p2c, p2p, origins))
    for a, p in res.paths().items():
        assert res.origin_of(a) == p[-1]


def _is_stable(p2c, p2p, sib, origins, pols, got):
    """Every AS already holds its best offer given its neighbours' routes (one reference round)."""
    nb = _neighbours(p2c, p2p, sib)
    start = {a: (tuple(p), "origin" if a in origins else nb[a][p[1]]) for a, p in got.items()}
    try:
        nxt = reference(p2c, p2p, origins, pols, sib=sib, max_rounds=1, start=start)
    except RuntimeError:
        return False
    return _ref_paths(nxt) == {a: tuple(p) for a, p in got.items()}


@SET
@given(graphs(siblings=True), st.data())
def test_siblings_and_peer_preference_reach_a_stable_state(gr, data):
    p2c, p2p, sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p, siblings=sib)
    pols = []
    if data.draw(st.booleans()):
        pols.append(PreferPeerOverCustomer(data.draw(st.frozensets(st.sampled_from([int(a) for a in g.asns])))))
    for method in ("iterate", "iterate-cold"):
        got = propagate(g, origin, pols, method=method).paths()
        assert _is_stable(p2c, p2p, sib, [origin], pols, got)
        for p in got.values():
            assert len(set(p)) == len(p) and p[-1] == origin


@SET
@given(graphs(), st.data())
def test_peer_preference_reaches_a_stable_state(gr, data):
    p2c, p2p, _sib, origin = gr
    g = AsGraph.from_links(p2c=p2c, p2p=p2p)
    pols = [PreferPeerOverCustomer(data.draw(st.frozensets(st.sampled_from([int(a) for a in g.asns]))))]
    got = propagate(g, origin, pols).paths()
    assert _is_stable(p2c, p2p, (), [origin], pols, got)


def test_reference_sanity():
    # 1 provider of 2 and 3; 2 and 3 providers of 4: ties go to the lower ASN
    rib = reference([(1, 2), (1, 3), (2, 4), (3, 4)], [], [4])
    assert rib[1][0] == (1, 2, 4)
    with pytest.raises(RuntimeError):
        reference([(1, 2)], [], [2], max_rounds=1)


def test_masks_are_numpy():
    g = AsGraph.from_links(p2c=[(1, 2)])
    r = propagate(g, 2)
    assert isinstance(r.has_route, np.ndarray) and r.has_route.all()
