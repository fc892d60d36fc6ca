"""The download cache: keyed by URL, resumable (HTTP Range), checked (SHA-256, size, MD5).

Layout under the cache root (default `~/.cache/onpath`, or `--cache DIR`)::

    <host>/<key[:2]>/<key>-<basename>         the file (key = sha256(url)[:16])
    <host>/<key[:2]>/<key>-<basename>.json    url, sha256, bytes, fetched_at, etag, last_modified
    ...-<basename>.part / .part.json          an interrupted download and its validators

A file is in the cache only when its `.json` exists; both are written atomically after the bytes
were checked. `offline=True` serves from the cache only.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from onpath.errors import SourceUnavailable
from onpath.fsutil import atomic_write
from onpath.sources.http import NotFound, Retry, Unreachable, get_into, get_text

CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class CachedFile:
    """A verified file in the cache."""

    url: str
    path: Path
    sha256: str
    bytes: int
    fetched_at: str
    from_cache: bool


def default_root() -> Path:
    """`$ONPATH_CACHE`, else `$XDG_CACHE_HOME/onpath`, else `~/.cache/onpath`."""
    if os.environ.get("ONPATH_CACHE"):
        return Path(os.environ["ONPATH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "onpath"


def parse_md5(text: str) -> str | None:
    """The MD5 in a checksum file (`MD5 (f) = hex` or `hex  f`), or None."""
    m = re.search(r"\b([0-9a-fA-F]{32})\b", text)
    return m.group(1).lower() if m else None



def _discard(part: Path) -> None:
    """Forget a partial download and its validator."""
    part.unlink(missing_ok=True)
    part.with_name(part.name + ".meta").unlink(missing_ok=True)


def _digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class DownloadCache:
    """Fetch URLs into a local cache with resume, retries and checksums.

    Parameters
    ----------
    root : path, optional
        Cache folder (default `default_root()`).
    offline : bool
        Serve from the cache only; anything else raises `SourceUnavailable`.
    retries : int
        Further attempts after the first, for network errors, 5xx and checksum mismatches.
    backoff : float
        Seconds before the first retry; doubled each time.
    timeout : float
        Socket timeout per request, seconds.
    """

    def __init__(self, root: str | Path | None = None, offline: bool = False, retries: int = 4,
                 backoff: float = 1.0, timeout: float = 60.0):
        self.root = Path(root) if root is not None else default_root()
        self.offline = offline
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout

    # ------------------------------------------------------------------ paths
    def path_for(self, url: str) -> Path:
        """Where `url`'s bytes live in the cache."""
        parts = urlsplit(url)
        key = hashlib.sha256(url.encode()).hexdigest()[:16]
        base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(parts.path).name or "index")[:100]
        host = re.sub(r"[^A-Za-z0-9._-]", "_", parts.netloc or "local")
        return self.root / host / key[:2] / f"{key}-{base}"

    def lookup(self, url: str) -> CachedFile | None:
        """The cached copy of `url` when present and its size matches its record, else None."""
        path = self.path_for(url)
        meta = path.with_name(path.name + ".json")
        try:
            rec = json.loads(meta.read_bytes())
            size = path.stat().st_size
        except (OSError, ValueError):
            return None
        if rec.get("url") != url or rec.get("bytes") != size:
            return None
        return CachedFile(url, path, rec["sha256"], size, rec.get("fetched_at"), True)

    # ------------------------------------------------------------------ fetch
    def fetch(self, url: str, sha256: str | None = None, md5: str | None = None,
              size: int | None = None) -> CachedFile:
        """The verified local copy of `url`, downloaded (or resumed) when needed.

        Parameters
        ----------
        url : str
        sha256, md5 : str, optional
            Expected digests (hex); a cached copy that differs is fetched again.
        size : int, optional
            Expected size in bytes.

        Returns
        -------
        CachedFile

        Raises
        ------
        NotFound
            HTTP 404/410 (never retried).
        SourceUnavailable
            Offline and not cached; network errors or checksum mismatch after the retries.
        """
        path = self.path_for(url)
        hit = self.lookup(url)
        if hit is not None and self._matches(hit, sha256, md5, size):
            return hit
        if self.offline:
            raise SourceUnavailable(f"offline and not in the cache ({path})", file=url)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "a+b") as lockf:
            fcntl.flock(lockf.fileno(), fcntl.LOCK_EX)
            hit = self.lookup(url)  # another process may have fetched it meanwhile
            if hit is not None and self._matches(hit, sha256, md5, size):
                return hit
            return self._download(url, path, sha256, md5, size)

    def _matches(self, hit: CachedFile, sha256, md5, size) -> bool:
        if sha256 and hit.sha256 != sha256.lower():
            return False
        if size is not None and hit.bytes != size:
            return False
        if md5 and _digest(hit.path, "md5") != md5.lower():
            return False
        return True

    def _download(self, url: str, path: Path, sha256, md5, size) -> CachedFile:
        part = path.with_name(path.name + ".part")
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._get(url, part)
            except NotFound:
                _discard(part)
                raise
            except (TimeoutError, OSError, http.client.HTTPException, Retry) as e:
                last = e  # the part stays: the next attempt (or run) resumes it
                continue
            problem = self._check(part, sha256, md5, size)
            if problem is None:
                return self._commit(url, path, part)
            _discard(part)
            last = Retry(problem)
        cls = SourceUnavailable if isinstance(last, Retry) else Unreachable
        raise cls(f"download failed after {self.retries + 1} attempts: {last}", file=url)

    def _get(self, url: str, part: Path) -> None:
        get_into(url, part, self.timeout)

    def _check(self, part: Path, sha256, md5, size) -> str | None:
        n = part.stat().st_size
        if size is not None and n != size:
            return f"size {n} is not the expected {size}"
        if sha256 and _digest(part, "sha256") != sha256.lower():
            return "SHA-256 mismatch"
        if md5 and _digest(part, "md5") != md5.lower():
            return "MD5 mismatch"
        return None

    def _commit(self, url: str, path: Path, part: Path) -> CachedFile:
        part.with_name(part.name + ".meta").unlink(missing_ok=True)
        digest = _digest(part, "sha256")
        n = part.stat().st_size
        fetched = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.replace(part, path)
        rec = {"url": url, "sha256": digest, "bytes": n, "fetched_at": fetched}
        atomic_write(path.with_name(path.name + ".json"), json.dumps(rec, indent=1).encode())
        return CachedFile(url, path, digest, n, fetched, False)

    def get_text(self, url: str) -> str:
        """A small document (a directory listing, a checksum file), not cached, one attempt.

        Raises
        ------
        SourceUnavailable
            Offline, or any HTTP or network error (`NotFound` for 404/410).
        """
        if self.offline:
            raise SourceUnavailable("offline", file=url)
        return get_text(url, self.timeout)
