"""Streaming input for the MRT decoder: plain, gzip or bzip2 bytes in chunks, whatever the size.

Decompression runs in a helper thread (zlib and bz2 release the GIL), so on two cores it overlaps
the C decoder. Multi-member gzip and multi-stream bzip2 files are read to the end.
"""

from __future__ import annotations

import bz2
import os
import queue
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


# ---- bzip2 blocks in parallel: each block is an independent unit (it carries its own CRC), so a
# block re-wrapped as a one-block stream ("BZh9" + block bits + end-of-stream marker + the block's
# CRC as stream CRC) decompresses alone. Blocks start at bit (not byte) offsets.
_BLOCK = 0x314159265359
_EOS = 0x177245385090
WINDOW = 4 << 20


def _needles(magic: int) -> list[tuple[int, bytes, int]]:
    """(shift, 5 fully known bytes, their byte offset in the 7-byte window) for each bit shift."""
    out = []
    for s in range(8):
        v = (magic << (8 - s)).to_bytes(7, "big")
        out.append((s, v[1:6], 1))
    return out


_NEEDLES = {m: _needles(m) for m in (_BLOCK, _EOS)}


def _find_bits(buf: bytes, magic: int, start: int = 0) -> list[int]:
    """Bit offsets of every occurrence of the 48-bit `magic` in `buf` from byte `start`."""
    hits = []
    for s, needle, k in _NEEDLES[magic]:
        i = buf.find(needle, start + k)
        while i >= 0:
            p = i - k
            if p >= 0 and p + 7 <= len(buf):
                w = int.from_bytes(buf[p : p + 7], "big")
                if (w >> (8 - s)) & ((1 << 48) - 1) == magic:
                    hits.append(8 * p + s)
            i = buf.find(needle, i + 1)
    return sorted(hits)


def _one_block_stream(buf: bytes, a: int, b: int) -> bytes:
    """Bits [a, b) of `buf` (one block, from its magic) as a complete bzip2 stream."""
    lo, hi = a // 8, (b + 7) // 8
    v = int.from_bytes(buf[lo:hi], "big") >> (8 * (hi - lo) - (b - 8 * lo))
    n = b - a
    v &= (1 << n) - 1
    crc = (v >> (n - 80)) & 0xFFFFFFFF
    v = (((v << 48) | _EOS) << 32) | crc
    n += 80
    pad = -n % 8
    return b"BZh9" + (v << pad).to_bytes((n + pad) // 8, "big")


class _Fallback(Exception):
    pass


def _bz2_blocks(path: Path) -> Iterator[bytes]:
    """Block-parallel bzip2 decompression (two threads); raises _Fallback when the split fails."""
    pool = ThreadPoolExecutor(max_workers=2)
    pending: list = []
    try:
        with open(path, "rb") as f:
            buf = b""
            eof = False
            while not eof or buf:
                more = f.read(WINDOW)
                eof = not more
                buf += more
                starts = _find_bits(buf, _BLOCK)
                ends = _find_bits(buf, _EOS)
                marks = sorted([(p, 0) for p in starts] + [(p, 1) for p in ends])
                keep = len(buf)
                for (p, kind), nxt in zip(marks, [*marks[1:], None], strict=False):
                    if kind == 1:
                        continue
                    if nxt is None:
                        if eof:
                            raise _Fallback("last block has no end")
                        keep = p // 8
                        break
                    pending.append(pool.submit(bz2.decompress, _one_block_stream(buf, p, nxt[0])))
                    while len(pending) > 4:
                        yield pending.pop(0).result()
                else:
                    keep = len(buf)
                if eof:
                    break
                if keep == len(buf) and marks and marks[-1][1] == 0:
                    keep = marks[-1][0] // 8
                buf = buf[keep:] if keep < len(buf) else b""
        while pending:
            yield pending.pop(0).result()
    except (OSError, ValueError, EOFError) as e:
        raise _Fallback(str(e)) from None
    finally:
        for fu in pending:
            fu.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


def _bz2_parallel(path: Path, size: int) -> Iterator[bytes]:
    """bzip2 through `_bz2_blocks`; on any doubt, the sequential decoder takes over where it stopped."""
    done = 0
    try:
        for out in _bz2_blocks(path):
            done += len(out)
            yield out
        return
    except _Fallback:
        pass
    skip = done
    for out in _decompressed(path, size):
        if skip >= len(out):
            skip -= len(out)
            continue
        yield out[skip:]
        skip = 0


def chunks(path: str | Path, size: int = CHUNK, threaded: bool = True) -> Iterator[bytes]:
    """Decompressed chunks of an MRT file; a helper thread decompresses ahead when `threaded`."""
    p = Path(path)
    with open(p, "rb") as f:
        is_bz2 = f.read(3) == b"BZh"
    if is_bz2 and threaded and (os.cpu_count() or 1) > 1:
        gen = _bz2_parallel(p, size)
    else:
        gen = _decompressed(p, size)
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
