"""One HTTP request at a time: resume a partial file with Range, or read a small document."""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from onpath.errors import SourceUnavailable

CHUNK = 1 << 16
USER_AGENT = "onpath/0.1"


class NotFound(SourceUnavailable):
    """The server says the URL does not exist (HTTP 404 or 410)."""


class Unreachable(SourceUnavailable):
    """The host could not be reached at all (DNS, refused, timed out)."""


class Retry(Exception):
    """A failure worth another attempt (5xx, short read, bad resume)."""


def get_into(url: str, part: Path, timeout: float) -> None:
    """Fetch `url` into `part`, resuming with `Range` when `part` has bytes.

    A resume sends `If-Range` with the ETag (or Last-Modified) of the first response, so a file
    that changed meanwhile comes whole. A server that answers 200 to a Range request is read from
    the start (the part is rewritten); a 206 whose Content-Range does not start where the part ends
    discards the part. The validator is kept in `<part>.meta`.

    Raises
    ------
    NotFound
        HTTP 404 or 410.
    Retry
        Anything worth another attempt; OSError and http.client errors pass through.
    """
    have = part.stat().st_size if part.exists() else 0
    meta = part.with_name(part.name + ".meta")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        req.add_header("Range", f"bytes={have}-")
        try:
            validator = json.loads(meta.read_text()).get("validator")
        except (OSError, ValueError):
            validator = None
        if validator:  # the server sends the whole file (200) when it changed since
            req.add_header("If-Range", validator)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code in (404, 410):
            raise NotFound(f"HTTP {e.code} not found", file=url) from None
        if e.code == 416 and have:  # our part is no prefix the server knows: start over
            part.unlink(missing_ok=True)
            raise Retry("HTTP 416 on resume") from None
        raise Retry(f"HTTP {e.code}") from None
    with resp:
        mode = "ab"
        if have and resp.status == 206:
            m = re.match(r"bytes (\d+)-", resp.headers.get("Content-Range", ""))
            if not m or int(m.group(1)) != have:
                part.unlink(missing_ok=True)
                raise Retry("bad Content-Range on resume")
        elif resp.status == 200:
            mode = "wb"  # no range asked, the server ignored it, or the file changed: (re)start
            validator = resp.headers.get("ETag") or resp.headers.get("Last-Modified")
            meta.write_text(json.dumps({"validator": validator}))
        else:
            raise Retry(f"HTTP {resp.status}")
        expect = resp.headers.get("Content-Length")
        got = 0
        with open(part, mode) as f:
            while chunk := resp.read(CHUNK):
                f.write(chunk)
                got += len(chunk)
            f.flush()
            os.fsync(f.fileno())
        if expect is not None and got < int(expect):
            raise Retry(f"connection closed after {got} of {expect} bytes")


def get_text(url: str, timeout: float) -> str:
    """The body of a small document as text (one attempt).

    Raises
    ------
    SourceUnavailable
        Any HTTP or network error (`NotFound` for 404/410).
    """
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        cls = NotFound if e.code in (404, 410) else SourceUnavailable
        raise cls(f"HTTP {e.code}", file=url) from None
    except (OSError, http.client.HTTPException) as e:
        raise Unreachable(str(e), file=url) from None
