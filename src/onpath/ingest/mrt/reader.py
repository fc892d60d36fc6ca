"""Streaming input for the MRT decoder: plain, gzip or bzip2 bytes in chunks, whatever the size.

Decompression runs in a helper thread (zlib and bz2 release the GIL), so on two cores it overlaps
the C decoder. Multi-member gzip and multi-stream bzip2 files are read to the end.
"""

from __future__ import annotations

import bz2
import queue
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


class CompressedStreamError(Exception):
    """The compressed stream ends early or is corrupt; `args[0]` says how."""


def _raw_chunks(path: Path, size: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while True:
            b = f.read(size)
            if not b:
                return
            yield b


def _decompressed(path: Path, size: int = CHUNK) -> Iterator[bytes]:
    """Decompressed chunks of `path` (by magic bytes); raises CompressedStreamError at a bad end."""
    with open(path, "rb") as f:
        magic = f.read(3)
    if magic[:2] == b"\x1f\x8b":
        def new():
            return zlib.decompressobj(wbits=31)
    elif magic == b"BZh":
        new = bz2.BZ2Decompressor
    else:
        yield from _raw_chunks(path, size)
        return
    d = new()
    fed = False
    for raw in _raw_chunks(path, size):
        while raw:
            fed = True
            try:
                out = d.decompress(raw)
            except (OSError, EOFError, ValueError, zlib.error) as e:
                raise CompressedStreamError(f"corrupt compressed data: {e}") from None
            if out:
                yield out
            if d.eof:
                raw = d.unused_data
                d = new()
                fed = False
                if raw and not (raw[:2] == b"\x1f\x8b" or raw[:3] == b"BZh"):
                    return  # trailing bytes after the last member are ignored, as gzip does
            else:
                raw = b""
    if fed and not d.eof:
        raise CompressedStreamError("compressed stream ends early (truncated file)")


def chunks(path: str | Path, size: int = CHUNK, threaded: bool = True) -> Iterator[bytes]:
    """Decompressed chunks of an MRT file; a helper thread decompresses ahead when `threaded`."""
    gen = _decompressed(Path(path), size)
    if not threaded:
        yield from gen
        return
    q: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()

    def work():
        try:
            for c in gen:
                while not stop.is_set():
                    try:
                        q.put(c, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(None)
        except BaseException as e:  # handed to the consumer
            q.put(e)

    t = threading.Thread(target=work, daemon=True)
    t.start()
    try:
        while True:
            c = q.get()
            if c is None:
                return
            if isinstance(c, BaseException):
                raise c
            yield c
    finally:
        stop.set()
