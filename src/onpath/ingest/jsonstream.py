"""Stream the records of big JSON documents without reading them whole.

The document is a top-level object whose values are arrays of records (``{"roas": [...]}``,
``{"data": [...], "meta": {}}``) or objects holding such arrays (``{"net": {"data": [...]}, ...}``).
Each array element is decoded on its own with `json.JSONDecoder.raw_decode` over a sliding text
buffer, so memory stays bounded by the chunk size plus one record. A damaged record is reported with
its byte offset, and the scan resynchronises at the next record that starts like the previous ones.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 22  # 4 MiB of bytes per read
LOW = 1 << 20  # keep at least this much text ahead of the cursor (the biggest expected record)

_WS = re.compile(r"[ \t\n\r]*")
_dec = json.JSONDecoder()


class JsonSyntax(ValueError):
    """The document's structure (outside any record) is broken: the scan cannot go on."""

    def __init__(self, msg: str, offset: int):
        super().__init__(msg)
        self.offset = offset


class _Buf:
    def __init__(self, f: IO[bytes]):
        self.f = f
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.buf = ""
        self.pos = 0
        self.base = 0  # byte offset of buf[0]
        self.eof = False
        self._mark = (0, 0)  # (position in buf, its byte offset): offsets are encoded incrementally

    def fill(self, need: int = LOW) -> None:
        while not self.eof and len(self.buf) - self.pos < need:
            data = self.f.read(CHUNK)
            if self.pos > CHUNK:
                self.base = self.offset()
                self.buf = self.buf[self.pos:]
                self.pos = 0
                self._mark = (0, self.base)
            if not data:
                self.eof = True
                self.buf += self.dec.decode(b"", final=True)
            else:
                self.buf += self.dec.decode(data)

    def offset(self, pos: int | None = None) -> int:
        p = self.pos if pos is None else pos
        mp, mb = self._mark
        if p < mp:
            return self.base + len(self.buf[:p].encode("utf-8"))
        off = mb + len(self.buf[mp:p].encode("utf-8"))
        self._mark = (p, off)
        return off

    def ws(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        self.fill()
        self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
        return self.buf[self.pos: self.pos + 1]

    def expect(self, chars: str) -> str:
        c = self.ws()
        if not c or c not in chars:
            raise JsonSyntax(f"expected one of {chars!r}, found {c or 'end of file'!r}", self.offset())
        self.pos += 1
        return c

    def value(self) -> Any:
        self.ws()
        try:
            v, end = _dec.raw_decode(self.buf, self.pos)
        except json.JSONDecodeError as e:
            raise JsonSyntax(f"bad JSON value: {e.msg}", self.offset(e.pos)) from None
        self.pos = end
        return v


def _records(b: _Buf, keypath: tuple[str, ...], slices: bool, fast: bool = True,
             first_key: str | None = None) -> Iterator[tuple[str, tuple[str, ...], Any, int, str]]:
    """The elements of the array whose '[' was just consumed.

    After the first two records, runs of whole records are cut at the separator seen between them
    (``, {"id"``) and handed out at once: as a ``slice`` event when `slices`, else decoded with one
    `json.loads` (record by record again when that fails).
    """
    resync: re.Pattern[str] | None = None
    if first_key:
        resync = re.compile(r"[,\[]\s*\{\s*" + re.escape(first_key) + r"\s*:")
    sep: str | None = None
    nested: re.Pattern[str] | None = None
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
                b.pos = k + sep.index("{")
                if slices:
                    yield ("slice", keypath, text, base, sep)
                else:
                    yield from expand(text, keypath, base, sep)
                continue
        start = b.pos
        try:
            v, end = _dec.raw_decode(b.buf, start)
        except json.JSONDecodeError as e:
            if resync is None:
                raise JsonSyntax(f"bad JSON record: {e.msg}", b.offset(e.pos)) from None
            # skip to the next record that starts like the good ones
            while True:
                m = resync.search(b.buf, b.pos + 1)
                if m or b.eof:
                    break
                b.fill(len(b.buf) - b.pos + CHUNK)
            stop = m.start() + 1 if m else len(b.buf)
            raw = b.buf[b.pos:stop]
            yield ("bad", keypath, raw.encode("utf-8")[:65536], b.offset(), f"bad JSON record: {e.msg}")
            b.pos = stop
            if not m:
                return
            continue
        first = next(iter(v)) if isinstance(v, dict) and v else None
        if resync is None and first is not None:
            resync = re.compile(r"[,\[]\s*\{\s*" + re.escape(json.dumps(first)) + r"\s*:")
        b.pos = end
        yield ("item", keypath, v, -1, "")
        c = b.expect(",]")
        if c == "]":
            return
        if fast and sep is None and first is not None:
            q = _WS.match(b.buf, b.pos).end()  # type: ignore[union-attr]
            if b.buf[q: q + 1] == "{":
                q2 = _WS.match(b.buf, q + 1).end()  # type: ignore[union-attr]
                key = json.dumps(first)
                if b.buf.startswith(key, q2):
                    sep = b.buf[end:q2] + key
                    nested = re.compile(r"\[\s*\{\s*" + re.escape(key) + r"\s*:")


def expand(text: str, keypath: tuple[str, ...], base: int, sep: str = "",
           ) -> Iterator[tuple[str, tuple[str, ...], Any, int, str]]:
    """The ``item`` (and ``bad``) events of a slice of whole records starting at byte `base`."""
    try:
        recs = json.loads("[" + text + "]")
    except json.JSONDecodeError:
        b = _Buf(io.BytesIO(("[" + text + "]").encode("utf-8")))
        b.pos = 1
        for ev, kp, v, off, reason in _records(b, keypath, slices=False, fast=False,
                                                 first_key=sep[sep.index("{") + 1:].lstrip() if sep else None):
            yield ev, kp, v, (base + off - 1 if off >= 0 else off), reason
        return
    for v in recs:
        yield ("item", keypath, v, -1, "")


def _object(b: _Buf, keypath: tuple[str, ...], depth: int, slices: bool) -> Iterator[tuple[str, tuple[str, ...], Any, int, str]]:
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


def stream(f: IO[bytes], slices: bool = False) -> Iterator[tuple[str, tuple[str, ...], Any, int, str]]:
    """Events of a JSON document: ``(event, keypath, value, byte_offset, reason)``.

    Parameters
    ----------
    f : binary file
        The (decompressed) document.

    Yields
    ------
    tuple
        ``("item", keypath, record, -1, "")`` for each element of an array at depth 1 or 2
        (keypath e.g. ``("net", "data")``); ``("value", keypath, value, -1, "")`` for other
        members; ``("bad", keypath, raw_bytes, byte_offset, reason)`` for a damaged record (offsets
        are computed only for those, to keep the scan linear). With `slices`, runs of whole records
        come as ``("slice", keypath, text, byte_offset, separator)``: the text between the first
        record's ``{`` and the last one's ``}``, records separated by `separator`; decode them with
        `expand` (or faster, e.g. as NDJSON) and fall back to `expand` when that fails.

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
