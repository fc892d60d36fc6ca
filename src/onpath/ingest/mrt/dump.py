"""`bgpdump -m` text from MRT files: the C decoder's text mode over the streaming reader."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from onpath.ingest.mrt._mrtcore import Core
from onpath.ingest.mrt.reader import CompressedStreamError, chunks


def dump_file(
    path: str | Path,
    out: BinaryIO,
    *,
    large: bool = False,
    unknown: bool = False,
    change: bool = False,
    on_error: Callable[[str, int, str], None] | None = None,
) -> int:
    """Write the bgpdump one-line text of one MRT file to `out`.

    Parameters
    ----------
    path : str or Path
        An MRT file, plain, gzip or bzip2.
    out : binary file
        Where the lines go.
    large, unknown : bool
        bgpdump's `-l` (large communities field) and `-u` (unassigned attributes field).
    change : bool
        bgpdump's `-t change`: RIB lines carry the route's originated time.
    on_error : callable, optional
        Called with (file, offset, reason) for each damaged record; default prints one line on stderr.

    Returns
    -------
    int
        The number of damaged records (and decompression failures) met.

    Examples
    --------
    >>> import io; dump_file("updates.20020722.2238.gz", io.BytesIO())  # doctest: +SKIP
    0
    """
    name = str(path)
    if on_error is None:
        def on_error(f: str, off: int, why: str) -> None:
            print(f"onpath: error: {f}:{off}: {why}", file=sys.stderr)
    core = Core(text=True, large=large, unknown=unknown, change=change)
    bad = 0

    def flush_errors() -> int:
        n = 0
        for off, why, _raw in core.take_errors():
            on_error(name, off, why)
            n += 1
        return n

    try:
        for chunk in chunks(path):
            text = core.feed(chunk)
            if text:
                out.write(text)
            bad += flush_errors()
    except CompressedStreamError as e:
        text = core.finish()
        if text:
            out.write(text)
        bad += flush_errors()
        on_error(name, core.offset, str(e))
        return bad + 1
    text = core.finish()
    if text:
        out.write(text)
    bad += flush_errors()
    return bad
