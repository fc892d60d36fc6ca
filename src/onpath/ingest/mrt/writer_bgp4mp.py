"""BGP4MP records of the MRT writer: UPDATE messages (IPv4 NLRI, MP_REACH/MP_UNREACH) and state changes."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from onpath.ingest.mrt.writer_attrs import (
    AS_TRANS,
    Attrs,
    attr,
    encode_head,
    encode_prefix,
    ip_bytes,
    mp_next_hop,
)
from onpath.ingest.mrt.writer_base import MrtWriterBase

BGP4MP, BGP4MP_ET = 16, 17
STATE_CHANGE, MESSAGE, MESSAGE_AS4, STATE_CHANGE_AS4 = 0, 1, 4, 5
MESSAGE_AS4_ADDPATH = 9

_H = struct.Struct(">H").pack
_I = struct.Struct(">I").pack
_MARKER = b"\xff" * 16


@dataclass(frozen=True, slots=True)
class Session:
    """The BGP session of a BGP4MP record: the peer and the collector's side."""

    peer_asn: int
    peer_ip: str
    local_asn: int = 0
    local_ip: str | None = None
    ifindex: int = 0

    def header(self, as4: bool = True) -> bytes:
        """Peer AS, local AS, interface index, AFI, peer IP, local IP."""
        v6 = ":" in self.peer_ip
        local = self.local_ip or ("::" if v6 else "0.0.0.0")
        if as4:
            asns = _I(self.peer_asn) + _I(self.local_asn)
        else:
            asns = _H(self.peer_asn if self.peer_asn < 65536 else AS_TRANS) + _H(
                self.local_asn if self.local_asn < 65536 else AS_TRANS)
        return asns + _H(self.ifindex) + _H(2 if v6 else 1) + ip_bytes(self.peer_ip) + ip_bytes(local)


class Bgp4mpWriter(MrtWriterBase):
    """The BGP4MP record methods of `MrtWriter`."""

    def update(self, ts: int, session: Session, announce=(), withdraw=(), attrs: Attrs | None = None,
               *, usec: int | None = None, as4: bool = True, addpath: bool = False) -> int:
        """One BGP4MP(_ET) MESSAGE_AS4 record carrying a BGP UPDATE.

        Parameters
        ----------
        announce, withdraw : sequence of str
            Prefixes (with `addpath`: ``(prefix, path_id)`` pairs). IPv4 ones go in the NLRI and
            withdrawn-routes fields, IPv6 ones in MP_REACH_NLRI / MP_UNREACH_NLRI. All announced
            prefixes share `attrs` (and its next hop), so they must be of one address family.
        attrs : Attrs
            Required when `announce` is not empty.
        usec : int, optional
            Microseconds: writes a BGP4MP_ET record.
        as4 : bool
            False writes the 2-byte MESSAGE subtype (AS_TRANS, AS4_PATH, AS4_AGGREGATOR).
        addpath : bool
            Writes MESSAGE_AS4_ADDPATH (path identifiers before each prefix).

        Returns
        -------
        int
            Byte offset of the record in the uncompressed stream.

        Raises
        ------
        ValueError
            Announcements of both families, announcements without `attrs`, a malformed prefix.
        """
        def enc(items):
            v4, v6 = [], []
            for it in items:
                p, pid = (it[0], it[1]) if addpath else (it, None)
                afi, nl = encode_prefix(p)
                if pid is not None:
                    nl = _I(pid) + nl
                (v6 if afi == 2 else v4).append(nl)
            return b"".join(v4), b"".join(v6)

        w4, w6 = enc(withdraw)
        a4, a6 = enc(announce)
        if a4 and a6:
            raise ValueError("announce: one address family per UPDATE (they share the next hop)")
        parts = []
        tail = b""
        if a4 or a6:
            if attrs is None:
                raise ValueError("announce needs attrs")
            key = ("u", attrs, 2 if a6 else 1, as4)
            ht = self._cache.get(key)
            if ht is None:
                if len(self._cache) > 200_000:
                    self._cache.clear()
                ht = self._cache[key] = encode_head(attrs, 2 if a6 else 1, rib=False, as4=as4)
            head, tail = ht
            parts.append(head)
            if a6:
                parts.append(attr(0x90, 14, b"\x00\x02\x01" + mp_next_hop(attrs) + b"\x00" + a6))
        if w6:
            parts.append(attr(0x90, 15, b"\x00\x02\x01" + w6))
        parts.append(tail)
        ab = b"".join(parts)
        msg = _H(len(w4)) + w4 + _H(len(ab)) + ab + a4
        bgp = _MARKER + _H(19 + len(msg)) + b"\x02" + msg
        sub = MESSAGE_AS4_ADDPATH if addpath else (MESSAGE_AS4 if as4 else MESSAGE)
        return self.raw_record(ts, BGP4MP_ET if usec is not None else BGP4MP, sub,
                               session.header(as4) + bgp, usec)

    def bgp_message(self, ts: int, session: Session, message: bytes, *, usec: int | None = None,
                    as4: bool = True) -> int:
        """A BGP4MP MESSAGE(_AS4) record with a raw BGP message (OPEN, KEEPALIVE, odd UPDATEs)."""
        return self.raw_record(ts, BGP4MP_ET if usec is not None else BGP4MP,
                               MESSAGE_AS4 if as4 else MESSAGE, session.header(as4) + message, usec)

    def state_change(self, ts: int, session: Session, old_state: int, new_state: int, *,
                     usec: int | None = None, as4: bool = True) -> int:
        """One BGP4MP(_ET) STATE_CHANGE_AS4 record (STATE_CHANGE with ``as4=False``).

        Parameters
        ----------
        ts : int
            Timestamp (seconds); `usec` adds microseconds and makes it BGP4MP_ET.
        session : Session
            The peer and the collector's side.
        old_state, new_state : int
            BGP FSM states, 1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established.

        Returns
        -------
        int
            Byte offset of the record.
        """
        body = session.header(as4) + _H(old_state) + _H(new_state)
        return self.raw_record(ts, BGP4MP_ET if usec is not None else BGP4MP,
                               STATE_CHANGE_AS4 if as4 else STATE_CHANGE, body, usec)
