"""The byte-level part of the MRT writer: buffering, the common header, atomic compressed files."""

from __future__ import annotations

import bz2
import gzip
import os
import struct
import tempfile
from pathlib import Path
from typing import IO, BinaryIO, Self, cast

_HDR = struct.Struct(">IHHI").pack
_I = struct.Struct(">I").pack


class MrtWriterBase:
    """Writes MRT records to a binary file-like object (buffered; call `close` or use `with`).

    Parameters
    ----------
    f : binary file-like
        Where the records go. Use `MrtWriter.open(path)` to create a (compressed) file atomically.
    bufsize : int
        Bytes buffered before a write to `f`.
    """

    def __init__(self, f: BinaryIO | IO[bytes], *, bufsize: int = 1 << 20):
        self._f: BinaryIO | IO[bytes] | None = f
        self._buf: list[bytes] = []
        self._buffered = 0
        self._bufsize = bufsize
        self.offset = 0  # uncompressed bytes written so far
        self.seq = 0  # next TABLE_DUMP_V2 sequence number
        self.records = 0
        self._cache: dict = {}
        self._commit: tuple[IO[bytes], str, str] | None = None  # set by open()

    # ---------------------------------------------------------------- files
    @classmethod
    def open(cls, path: str | os.PathLike, *, compresslevel: int | None = None,
             compress: str | None = None) -> Self:
        """A writer on a new file, compressed by name (`.gz`, `.bz2`, else plain) or `compress`.

        The data goes to a temporary file in the same folder, renamed onto `path` by `close()`;
        leaving a `with` block by an exception deletes it instead.
        """
        path = Path(path)
        kind = compress or {".gz": "gz", ".bz2": "bz2"}.get(path.suffix, "plain")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        raw = os.fdopen(fd, "wb")
        f: IO[bytes]
        if kind == "gz":
            f = cast(IO[bytes], gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                              compresslevel=6 if compresslevel is None else compresslevel))
        elif kind == "bz2":
            f = cast(IO[bytes], bz2.BZ2File(raw, "wb", compresslevel=9 if compresslevel is None else compresslevel))
        elif kind == "plain":
            f = raw
        else:
            raise ValueError(f"unknown compression {kind!r}")
        w = cls(f)
        w._commit = (raw, tmp, str(path))
        return w

    def flush(self) -> None:
        """Write the buffered records to the file object."""
        if self._f is None:
            raise ValueError("I/O on a closed MrtWriter")
        if self._buf:
            self._f.write(b"".join(self._buf))
            self._buf.clear()
            self._buffered = 0

    def close(self, discard: bool = False) -> None:
        """Flush and close; for a writer from `open`, rename the temp file onto the target."""
        f = self._f
        if f is None:
            return
        if not discard:
            self.flush()
        if self._commit is None:
            f.flush()
            self._f = None
            return
        raw, tmp, target = self._commit
        try:
            f.close()
            if raw is not f:
                raw.close()
            if discard:
                os.unlink(tmp)
            else:
                os.replace(tmp, target)
        finally:
            self._f = None
            if os.path.exists(tmp):
                os.unlink(tmp)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(discard=exc_type is not None)

    # -------------------------------------------------------------- records
    def raw_record(self, ts: int, mtype: int, subtype: int, body: bytes, usec: int | None = None) -> int:
        """Append one record with the MRT common header (extended header when `usec` is given).

        Parameters
        ----------
        ts : int
            Timestamp, seconds since the epoch (UTC).
        mtype, subtype : int
            MRT type and subtype (RFC 6396 §4). With `usec`, `mtype` should be an _ET type.
        body : bytes
            The record's message.
        usec : int, optional
            Microseconds, written first in the message (extended timestamp header).

        Returns
        -------
        int
            Byte offset of the record in the uncompressed stream.
        """
        off = self.offset
        if usec is not None:
            body = _I(usec) + body
        rec = _HDR(ts, mtype, subtype, len(body)) + body
        self._buf.append(rec)
        self.offset += len(rec)
        self._buffered += len(rec)
        self.records += 1
        if self._buffered >= self._bufsize:
            self.flush()
        return off
