"""Write MRT files (RFC 6396): TABLE_DUMP_V2 RIBs, BGP4MP updates and state changes.

The synthetic world and the tests write every MRT file with this module, the writer beside the
loader. Example::

    from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer, Session

    with MrtWriter.open("rib.20250101.0000.bz2") as w:          # atomic: temp file + os.replace
        w.peer_index_table([Peer(64500, "192.0.2.1"), Peer(64501, "2001:db8::1")],
                           ts=1735689600, collector_bgp_id="198.51.100.1", view_name="")
        a = Attrs(as_path=(64500, 3356, 15169), origin="IGP", next_hop="192.0.2.1",
                  communities=["3356:100"])
        w.rib(1735689600, "8.8.8.0/24", [(0, 1735600000, a)])    # (peer index, originated, attrs)
        w.rib(1735689600, "2001:db8::/32",
              [(1, 1735600000, Attrs(as_path=(64501, 6939), next_hop="2001:db8::1"))])

    s = Session(peer_asn=64500, peer_ip="192.0.2.1", local_asn=6447, local_ip="192.0.2.254")
    with MrtWriter.open("updates.20250101.0000.gz") as w:
        w.update(1735689600, s, announce=["203.0.113.0/24"], attrs=a)
        w.update(1735689601, s, withdraw=["203.0.113.0/24", "2001:db8:1::/48"])
        w.state_change(1735689602, s, old_state=6, new_state=1)
        w.update(1735689603, s, announce=["198.51.100.0/24"], attrs=a, usec=250000)  # BGP4MP_ET

Every record method returns the byte offset (in the uncompressed stream) where its record starts.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from onpath.ingest.mrt.writer_attrs import (  # noqa: F401  (re-exported API)
    AS_TRANS,
    AsSegment,
    Attrs,
    attr,
    encode_attrs,
    encode_head,
    encode_prefix,
    ip_bytes,
    mp_next_hop,
)
from onpath.ingest.mrt.writer_bgp4mp import (  # noqa: F401  (re-exported API)
    BGP4MP,
    BGP4MP_ET,
    MESSAGE,
    MESSAGE_AS4,
    MESSAGE_AS4_ADDPATH,
    STATE_CHANGE,
    STATE_CHANGE_AS4,
    Bgp4mpWriter,
    Session,
)

TABLE_DUMP, TABLE_DUMP_V2 = 12, 13
PEER_INDEX_TABLE, RIB_IPV4_UNICAST, RIB_IPV6_UNICAST = 1, 2, 4
RIB_IPV4_UNICAST_ADDPATH, RIB_IPV6_UNICAST_ADDPATH = 8, 10

_HIH = struct.Struct(">HIH").pack
_HIIH = struct.Struct(">HIIH").pack
_H = struct.Struct(">H").pack
_I = struct.Struct(">I").pack


@dataclass(frozen=True, slots=True)
class Peer:
    """A PEER_INDEX_TABLE entry. `bgp_id` defaults to the peer IP (IPv4) or 0.0.0.0."""

    asn: int
    ip: str
    bgp_id: str | None = None
    as4: bool = True


class MrtWriter(Bgp4mpWriter):
    """Writes MRT records to a binary file-like object (buffered; call `close` or use `with`).

    Parameters
    ----------
    f : binary file-like
        Where the records go. Use `MrtWriter.open(path)` to create a (compressed) file atomically:
        compression by name (`.gz`, `.bz2`, else plain), temp file renamed by `close()`.
    bufsize : int
        Bytes buffered before a write to `f`.

    Methods: `peer_index_table`, `rib` (TABLE_DUMP_V2), `table_dump` (v1), `update`,
    `state_change`, `bgp_message` (BGP4MP/BGP4MP_ET), `raw_record`; `attr_block` pre-encodes.
    """

    def peer_index_table(self, peers, *, ts: int, collector_bgp_id: str = "0.0.0.0",
                         view_name: str = "") -> int:
        """The TABLE_DUMP_V2 PEER_INDEX_TABLE; RIB entries refer to peers by their index here.

        Parameters
        ----------
        peers : sequence of Peer
            In index order; IPv6 peers and 2-byte-AS peers (``as4=False``) get their type bits.
        ts : int
            Record timestamp (seconds).
        collector_bgp_id : str
            The collector's BGP identifier (IPv4 text).
        view_name : str
            Optional view name (UTF-8).

        Returns
        -------
        int
            Byte offset of the record.
        """
        name = view_name.encode()
        parts = [ip_bytes(collector_bgp_id), _H(len(name)), name, _H(len(peers))]
        for p in peers:
            v6 = ":" in p.ip
            bgp_id = p.bgp_id or (p.ip if not v6 else "0.0.0.0")
            parts.append(bytes(((1 if v6 else 0) | (2 if p.as4 else 0),)) + ip_bytes(bgp_id)
                         + ip_bytes(p.ip) + (_I(p.asn) if p.as4 else _H(p.asn)))
        return self.raw_record(ts, TABLE_DUMP_V2, PEER_INDEX_TABLE, b"".join(parts))

    def attr_block(self, attrs: Attrs, afi: int = 1, rib: bool = True) -> bytes:
        """The encoded attribute block of `attrs` (cached); pass it to `rib` in place of `attrs`."""
        key = (attrs, afi, rib)
        b = self._cache.get(key)
        if b is None:
            if len(self._cache) > 200_000:  # bounded: ~100 MB per writer at most
                self._cache.clear()
            b = self._cache[key] = encode_attrs(attrs, afi, rib)
        return b

    def rib(self, ts: int, prefix: str, entries, *, seq: int | None = None, addpath: bool = False) -> int:
        """One RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record (or its ADDPATH variant).

        Parameters
        ----------
        ts : int
            Record timestamp (seconds).
        prefix : str
            ``"a.b.c.d/n"`` or an IPv6 prefix, host bits zero.
        entries : iterable of tuple
            ``(peer_index, originated_time, attrs)`` or, with `addpath`,
            ``(peer_index, originated_time, attrs, path_id)``; `attrs` is an `Attrs` or the bytes
            from `attr_block` (faster for big tables).
        seq : int, optional
            Sequence number; by default the writer's counter, incremented per record.
        addpath : bool
            Writes RIB_IPV4_UNICAST_ADDPATH / RIB_IPV6_UNICAST_ADDPATH (RFC 8050).

        Returns
        -------
        int
            Byte offset of the record in the uncompressed stream.

        Raises
        ------
        ValueError
            A malformed prefix or host bits set.
        """
        afi, nlri = encode_prefix(prefix)
        parts = []
        cache = self._cache
        for e in entries:
            a = e[2]
            if not isinstance(a, (bytes, bytearray)):
                key = (a, afi, True)
                b = cache.get(key)
                if b is None:
                    b = self.attr_block(a, afi, True)
                a = b
            if addpath:
                parts.append(_HIIH(e[0], e[1], e[3], len(a)))
            else:
                parts.append(_HIH(e[0], e[1], len(a)))
            parts.append(a)
        if seq is None:
            seq = self.seq
        self.seq = seq + 1
        body = _I(seq & 0xFFFFFFFF) + nlri + _H(len(parts) // 2) + b"".join(parts)
        if addpath:
            sub = RIB_IPV6_UNICAST_ADDPATH if afi == 2 else RIB_IPV4_UNICAST_ADDPATH
        else:
            sub = RIB_IPV6_UNICAST if afi == 2 else RIB_IPV4_UNICAST
        return self.raw_record(ts, TABLE_DUMP_V2, sub, body)

    def table_dump(self, ts: int, prefix: str, peer_ip: str, peer_asn: int, attrs: Attrs, *,
                   originated: int | None = None, view: int = 0, seq: int | None = None,
                   status: int = 1) -> int:
        """One legacy TABLE_DUMP (v1) record: 2-byte ASNs, AS4_PATH added for big ones."""
        afi, nlri = encode_prefix(prefix)
        plen = nlri[0]
        addr = nlri[1:].ljust(16 if afi == 2 else 4, b"\0")
        if seq is None:
            seq = self.seq
        self.seq = seq + 1
        head, tail = encode_head(attrs, afi, rib=False, as4=False)
        mp = attr(0x80, 14, mp_next_hop(attrs)) if afi == 2 and attrs.next_hop else b""
        ab = head + mp + tail
        body = (_H(view) + _H(seq & 0xFFFF) + addr + bytes((plen, status))
                + _I(ts if originated is None else originated) + ip_bytes(peer_ip)
                + _H(peer_asn if peer_asn < 65536 else AS_TRANS) + _H(len(ab)) + ab)
        return self.raw_record(ts, TABLE_DUMP, afi, body)
