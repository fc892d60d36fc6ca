"""BGP path attributes and NLRI encoding for the MRT writer (RFC 4271, 4760, 6793, 8092, 9234).

`Attrs` is one hashable set of path attributes; `encode_attrs` turns it into the attribute block of
a TABLE_DUMP_V2 RIB entry or of a BGP UPDATE. `encode_prefix` gives the NLRI bytes of one prefix.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import NamedTuple

ORIGINS = {"IGP": 0, "EGP": 1, "INCOMPLETE": 2}

AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET = 1, 2, 3, 4
AS_TRANS = 23456

_H = struct.Struct(">H").pack
_I = struct.Struct(">I").pack


class AsSegment(NamedTuple):
    """One AS_PATH segment of any type (1 set, 2 sequence, 3 confed sequence, 4 confed set)."""

    type: int
    asns: tuple[int, ...]


def _norm_path(path) -> tuple:
    out: list = []
    for el in path:
        if isinstance(el, AsSegment):
            out.append(AsSegment(int(el.type), tuple(int(a) for a in el.asns)))
        elif isinstance(el, (tuple, list, set, frozenset)):
            out.append(tuple(int(a) for a in el))  # an AS_SET
        else:
            out.append(int(el))
    return tuple(out)


def _norm_community(c) -> tuple[int, ...]:
    if isinstance(c, str):
        return tuple(int(x) for x in c.split(":"))
    if isinstance(c, int):
        return (c >> 16, c & 0xFFFF)
    return tuple(int(x) for x in c)


@dataclass(frozen=True, slots=True)
class Attrs:
    """The path attributes of a route, hashable so encoded blocks can be cached.

    Parameters
    ----------
    as_path : sequence
        Hops in order. An int is one AS of an AS_SEQUENCE; a tuple/list/set of ints is an AS_SET;
        an `AsSegment` gives any segment type. ``(1, 2, (3, 4))`` is ``1 2 {3,4}``.
    origin : int or str
        0/"IGP", 1/"EGP", 2/"INCOMPLETE".
    next_hop : str, optional
        IPv4 next hop (NEXT_HOP attribute) or IPv6 next hop (inside MP_REACH_NLRI).
    next_hop_link_local : str, optional
        Second IPv6 next hop (link-local) of MP_REACH_NLRI.
    med, local_pref : int, optional
    atomic_aggregate : bool
    aggregator : (int, str), optional
        AGGREGATOR AS and IPv4 address.
    communities : sequence
        ``(a, b)`` pairs, ``"a:b"`` strings or 32-bit ints.
    large_communities : sequence
        ``(a, b, c)`` triples or ``"a:b:c"`` strings.
    only_to_customer : int, optional
        OTC attribute (RFC 9234).
    extra : tuple of (flags, type, bytes)
        Raw attributes appended as given (unknown or deliberately odd attributes).
    """

    as_path: tuple = ()
    origin: int = 0
    next_hop: str | None = None
    med: int | None = None
    local_pref: int | None = None
    atomic_aggregate: bool = False
    aggregator: tuple[int, str] | None = None
    communities: tuple = ()
    large_communities: tuple = ()
    only_to_customer: int | None = None
    next_hop_link_local: str | None = None
    extra: tuple = ()

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "as_path", _norm_path(self.as_path))
        if isinstance(self.origin, str):
            if self.origin.upper() not in ORIGINS:
                raise ValueError(f"origin {self.origin!r} is not IGP, EGP or INCOMPLETE")
            s(self, "origin", ORIGINS[self.origin.upper()])
        if not 0 <= self.origin <= 255:
            raise ValueError(f"origin {self.origin} out of range")
        s(self, "communities", tuple(_norm_community(c) for c in self.communities))
        s(self, "large_communities", tuple(_norm_community(c) for c in self.large_communities))
        if self.aggregator is not None:
            s(self, "aggregator", (int(self.aggregator[0]), str(self.aggregator[1])))
        s(self, "extra", tuple((int(f), int(t), bytes(v)) for f, t, v in self.extra))
        _check(self)


def _u32(v: int, what: str) -> None:
    if not 0 <= v <= 0xFFFFFFFF:
        raise ValueError(f"{what} {v} is not a 32-bit unsigned value")


def _check(a: Attrs) -> None:
    """Range checks, so a bad value fails at construction (ValueError), not deep in an encoder."""
    for el in a.as_path:
        for asn in (el,) if isinstance(el, int) else el.asns if isinstance(el, AsSegment) else el:
            _u32(asn, "ASN")
    for name in ("med", "local_pref", "only_to_customer"):
        if getattr(a, name) is not None:
            _u32(getattr(a, name), name)
    if a.aggregator is not None:
        _u32(a.aggregator[0], "aggregator ASN")
    for c in a.communities:
        if len(c) != 2 or not all(0 <= x <= 0xFFFF for x in c):
            raise ValueError(f"community {c} is not two 16-bit values")
    for c in a.large_communities:
        if len(c) != 3:
            raise ValueError(f"large community {c} is not three 32-bit values")
        for x in c:
            _u32(x, "large community part")


def attr(flags: int, code: int, value: bytes) -> bytes:
    """One encoded attribute; sets the extended-length flag when the value exceeds 255 bytes."""
    n = len(value)
    if n > 255 or flags & 0x10:
        return bytes((flags | 0x10, code)) + _H(n) + value
    return bytes((flags, code, n)) + value


def ip_bytes(ip: str) -> bytes:
    """4 or 16 bytes of an IPv4 or IPv6 address in text form."""
    return socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET, ip)


def encode_prefix(prefix: str) -> tuple[int, bytes]:
    """(AFI, NLRI bytes: length octet + significant address octets) of ``"a.b.c.d/n"`` or v6.

    Raises ValueError on a bad address, a length out of range or host bits set.
    """
    ip, _, ln = str(prefix).partition("/")
    v6 = ":" in ip
    raw = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET, ip)
    maxlen = 128 if v6 else 32
    n = int(ln) if ln else maxlen
    if not 0 <= n <= maxlen:
        raise ValueError(f"prefix length {n} out of range in {prefix!r}")
    nb = (n + 7) // 8
    if int.from_bytes(raw, "big") & ((1 << (maxlen - n)) - 1):
        raise ValueError(f"host bits set in {prefix!r}")
    return (2 if v6 else 1), bytes((n,)) + raw[:nb]


def _segments(path: tuple, as4: bool) -> list[tuple[int, tuple[int, ...]]]:
    segs: list[tuple[int, tuple[int, ...]]] = []
    run: list[int] = []
    for el in path:
        if isinstance(el, int):
            run.append(el)
            continue
        if run:
            segs.append((AS_SEQUENCE, tuple(run)))
            run = []
        segs.append((el.type, el.asns) if isinstance(el, AsSegment) else (AS_SET, el))
    if run:
        segs.append((AS_SEQUENCE, tuple(run)))
    return segs


def encode_as_path(path: tuple, as4: bool = True) -> bytes:
    """AS_PATH value: segments of at most 255 ASes, 4-byte ASNs (or 2-byte, AS_TRANS for big ones)."""
    out = []
    for typ, asns in _segments(path, as4):
        for i in range(0, max(len(asns), 1), 255):
            chunk = asns[i:i + 255]
            if as4:
                body = struct.pack(f">{len(chunk)}I", *chunk)
            else:
                body = struct.pack(f">{len(chunk)}H", *(a if a < 65536 else AS_TRANS for a in chunk))
            out.append(bytes((typ, len(chunk))) + body)
    return b"".join(out)


def _needs_as4(a: Attrs) -> bool:
    for el in a.as_path:
        if isinstance(el, int):
            if el > 65535:
                return True
        elif any(x > 65535 for x in (el.asns if isinstance(el, AsSegment) else el)):
            return True
    return False


def encode_head(a: Attrs, afi: int, rib: bool, as4: bool = True) -> tuple[bytes, bytes]:
    """The attribute block split around the MP attributes: (types < 14, types > 15).

    For an IPv6 RIB entry the RFC 6396 §4.3.4 MP_REACH_NLRI (next-hop length and next hop only)
    is included in the head; for UPDATEs the caller inserts MP_REACH/MP_UNREACH between the parts.
    """
    head = [attr(0x40, 1, bytes((a.origin,))), attr(0x40, 2, encode_as_path(a.as_path, as4))]
    if a.next_hop is not None and ":" not in a.next_hop:
        head.append(attr(0x40, 3, ip_bytes(a.next_hop)))
    if a.med is not None:
        head.append(attr(0x80, 4, _I(a.med)))
    if a.local_pref is not None:
        head.append(attr(0x40, 5, _I(a.local_pref)))
    if a.atomic_aggregate:
        head.append(attr(0x40, 6, b""))
    if a.aggregator is not None:
        asn, ip = a.aggregator
        if as4:
            head.append(attr(0xC0, 7, _I(asn) + ip_bytes(ip)))
        else:
            head.append(attr(0xC0, 7, _H(asn if asn < 65536 else AS_TRANS) + ip_bytes(ip)))
    if a.communities:
        head.append(attr(0xC0, 8, b"".join(_H(x) + _H(y) for x, y in a.communities)))
    if rib and afi == 2 and a.next_hop is not None:
        head.append(attr(0x80, 14, mp_next_hop(a)))
    tail = []
    if not as4 and _needs_as4(a):
        tail.append(attr(0xC0, 17, encode_as_path(a.as_path, True)))
    if not as4 and a.aggregator is not None and a.aggregator[0] > 65535:
        tail.append(attr(0xC0, 18, _I(a.aggregator[0]) + ip_bytes(a.aggregator[1])))
    if a.large_communities:
        tail.append(attr(0xC0, 32, b"".join(_I(x) + _I(y) + _I(z) for x, y, z in a.large_communities)))
    if a.only_to_customer is not None:
        tail.append(attr(0xC0, 35, _I(a.only_to_customer)))
    for flags, code, value in a.extra:
        tail.append(attr(flags, code, value))
    return b"".join(head), b"".join(tail)


def mp_next_hop(a: Attrs) -> bytes:
    """Next-hop length octet + next hop(s) of MP_REACH_NLRI."""
    nh = ip_bytes(a.next_hop) if a.next_hop else b""
    if a.next_hop_link_local:
        nh += ip_bytes(a.next_hop_link_local)
    return bytes((len(nh),)) + nh


def encode_attrs(a: Attrs, afi: int = 1, rib: bool = True, as4: bool = True) -> bytes:
    """The whole attribute block of a RIB entry (or of an IPv4-only UPDATE)."""
    head, tail = encode_head(a, afi, rib, as4)
    return head + tail
