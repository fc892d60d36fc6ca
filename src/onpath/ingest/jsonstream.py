"""Stream the records of big JSON documents without reading them whole.

The document is a top-level object whose values are arrays of records (``{"roas": [...]}``,
``{"data": [...], "meta": {}}``) or objects holding such arrays (``{"net": {"data": [...]}, ...}``).
The scan works on a sliding byte buffer, so memory stays bounded by the chunk size plus one record.
The first records of an array are decoded one by one (`json.JSONDecoder.raw_decode`); once the
separator between records is known (``, {"id"``), runs of whole records are cut at it and handed
out at once. A damaged record is reported with its byte offset, and the scan resynchronises at the
next record that starts like the previous ones.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 22  # bytes per read
LOW = 1 << 20  # keep at least this much ahead of the cursor; also the longest run handed out at once
MAX_RECORD = 1 << 23  # a record longer than this is taken for a damaged one

_WS = re.compile(rb"[ \t\n\r]*")
_dec = json.JSONDecoder()

Event = tuple[str, tuple[str, ...], Any, int, str]


class JsonSyntax(ValueError):
    """The document's structure (outside any record) is broken: the scan cannot go on."""

    def __init__(self, msg: str, offset: int):
        super().__init__(msg)
        self.offset = offset


class _Buf:
    def __init__(self, f: IO[bytes]):
        self.f = f
        self.buf = b""
        self.pos = 0
        self.base = 0  # byte offset of buf[0] in the document
        self.eof = False

    def fill(self, need: int = LOW) -> None:
        while not self.eof and len(self.buf) - self.pos < need:
            data = self.f.read(CHUNK)
            if not data:
                self.eof = True
                return
            self.base += self.pos
            self.buf = self.buf[self.pos:] + data
            self.pos = 0

    def offset(self, pos: int | None = None) -> int:
        return self.base + (self.pos if pos is None else pos)

    def ws(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        self.fill()
        self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
        return self.buf[self.pos: self.pos + 1].decode("latin-1")

    def expect(self, chars: str) -> str:
        c = self.ws()
        if not c or c not in chars:
            raise JsonSyntax(f"expected one of {chars!r}, found {c or 'end of file'!r}", self.offset())
        self.pos += 1
        return c

    def decode(self) -> tuple[Any, int]:
        """The JSON value at the cursor and the byte position after it (JSONDecodeError if none)."""
        w = 1 << 14
        avail = len(self.buf) - self.pos
        while True:
            text = self.buf[self.pos: self.pos + w].decode("utf-8", "surrogateescape")
            try:
                v, end = _dec.raw_decode(text)
            except json.JSONDecodeError:
                if w < avail:
                    w *= 4
                    continue
                if self.eof or avail >= MAX_RECORD:
                    raise
                self.fill(2 * avail)  # a record longer than what is buffered: read on
                avail = w = len(self.buf) - self.pos
                continue
            return v, self.pos + len(text[:end].encode("utf-8", "surrogateescape"))

    def value(self) -> Any:
        self.ws()
        try:
            v, self.pos = self.decode()
        except json.JSONDecodeError as e:
            raise JsonSyntax(f"bad JSON value: {e.msg}", self.offset()) from None
        return v


def _records(b: _Buf, keypath: tuple[str, ...], slices: bool, fast: bool = True,
             first_key: bytes | None = None) -> Iterator[Event]:
    """The elements of the array whose '[' was just consumed."""
    resync: re.Pattern[bytes] | None = None
    if first_key:
        resync = re.compile(rb"[,\[]\s*\{\s*" + re.escape(first_key) + rb"\s*:")
    sep: bytes | None = None
    nested: re.Pattern[bytes] | None = None
    if b.ws() == "]":
        b.pos += 1
        return
    while True:
        b.ws()
        if sep is not None:
            # never cut past the start of another array of such records (the end of this one)
            stop = min(b.pos + LOW, len(b.buf))
            m = nested.search(b.buf, b.pos, stop)  # type: ignore[union-attr]
            k = b.buf.rfind(sep, b.pos, m.start() if m else stop)
            if k > b.pos:
                text = b.buf[b.pos:k]
                base = b.offset()
                b.pos = k + sep.index(b"{")
                if slices:
                    yield ("slice", keypath, text, base, sep.decode("utf-8"))
                else:
                    yield from expand(text, keypath, base, sep.decode("utf-8"))
                continue
        try:
            v, end = b.decode()
        except json.JSONDecodeError as e:
            if resync is None:
                raise JsonSyntax(f"bad JSON record: {e.msg}", b.offset()) from None
            # skip to the next record that starts like the good ones
            while True:
                m = resync.search(b.buf, b.pos + 1)
                if m or b.eof:
                    break
                b.fill(len(b.buf) - b.pos + CHUNK)
            stop = m.start() + 1 if m else len(b.buf)
            yield ("bad", keypath, b.buf[b.pos:stop][:65536], b.offset(), f"bad JSON record: {e.msg}")
            b.pos = stop
            if not m:
                return
            continue
        first = json.dumps(next(iter(v))).encode() if isinstance(v, dict) and v else None
        if resync is None and first is not None:
            resync = re.compile(rb"[,\[]\s*\{\s*" + re.escape(first) + rb"\s*:")
        b.pos = end
        yield ("item", keypath, v, -1, "")
        c = b.expect(",]")
        if c == "]":
            return
        if fast and sep is None and first is not None:
            q = _WS.match(b.buf, b.pos).end()  # type: ignore[union-attr]
            if b.buf[q: q + 1] == b"{":
                q2 = _WS.match(b.buf, q + 1).end()  # type: ignore[union-attr]
                if b.buf.startswith(first, q2):
                    sep = b.buf[end:q2] + first
                    nested = re.compile(rb"\[\s*\{\s*" + re.escape(first) + rb"\s*:")


def expand(text: bytes, keypath: tuple[str, ...], base: int, sep: str = "") -> Iterator[Event]:
    """The ``item`` (and ``bad``) events of a slice of whole records starting at byte `base`."""
    try:
        recs = json.loads(b"[" + text + b"]")
    except (json.JSONDecodeError, UnicodeDecodeError):
        b = _Buf(io.BytesIO(text + b"]"))
        key = sep[sep.index("{") + 1:].lstrip().encode("utf-8") if sep else None
        for ev, kp, v, off, reason in _records(b, keypath, slices=False, fast=False, first_key=key):
            yield ev, kp, v, (base + off if off >= 0 else off), reason
        return
    for v in recs:
        yield ("item", keypath, v, -1, "")


def _object(b: _Buf, keypath: tuple[str, ...], depth: int, slices: bool) -> Iterator[Event]:
    """The members of the object whose '{' was just consumed."""
    if b.ws() == "}":
        b.pos += 1
        return
    while True:
        if b.ws() != '"':
            raise JsonSyntax("expected a key", b.offset())
        key = b.value()
        b.expect(":")
        c = b.ws()
        kp = (*keypath, key)
        if c == "[":
            b.pos += 1
            yield from _records(b, kp, slices)
        elif c == "{" and depth < 1:
            b.pos += 1
            yield from _object(b, kp, depth + 1, slices)
        else:
            yield ("value", kp, b.value(), -1, "")
        if b.expect(",}") == "}":
            return


def stream(f: IO[bytes], slices: bool = False) -> Iterator[Event]:
    """Events of a JSON document: ``(event, keypath, value, byte_offset, reason)``.

    Parameters
    ----------
    f : binary file
        The (decompressed) document.
    slices : bool
        Hand out runs of whole records undecoded (see below).

    Yields
    ------
    tuple
        ``("item", keypath, record, -1, "")`` for each element of an array at depth 1 or 2
        (keypath e.g. ``("net", "data")``); ``("value", keypath, value, -1, "")`` for other
        members; ``("bad", keypath, raw_bytes, byte_offset, reason)`` for a damaged record. With
        `slices`, runs of whole records come as ``("slice", keypath, raw_bytes, byte_offset,
        separator)``: from the first record's ``{`` to the last one's ``}``, records separated by
        `separator`; decode them as the caller likes (e.g. as NDJSON) and fall back to `expand`.

    Raises
    ------
    JsonSyntax
        When the structure around the records is broken (the offset says where).
    """
    b = _Buf(f)
    c = b.ws()
    if c == "[":
        b.pos += 1
        yield from _records(b, (), slices)
    else:
        b.expect("{")
        yield from _object(b, (), 0, slices)
    if b.ws():
        raise JsonSyntax("trailing data after the JSON document", b.offset())
