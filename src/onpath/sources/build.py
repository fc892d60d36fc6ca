"""Choosing and fetching a snapshot's releases: listings, walking back on 404, the cache.

For each dataset the candidates of `onpath.sources.urls` are tried in order. When the folder's
listing is reachable, candidates it does not list are dropped first (no 404 walk); otherwise the
computed names are fetched one after the other until one exists. Every choice records its URL, why
it was chosen and its release date.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from onpath.errors import SourceUnavailable
from onpath.sources.cache import CachedFile, DownloadCache, NotFound, parse_md5
from onpath.sources.http import Unreachable
from onpath.sources.urls import Candidate

_HREF = re.compile(r'href="([^"?#]+)"', re.I)


@dataclass
class Choice:
    """A release chosen and fetched."""

    candidate: Candidate
    file: CachedFile
    why: str

    def record(self) -> dict:
        """The JSON record of this choice (build.json, manifest extras)."""
        c = self.candidate
        return {"dataset": c.dataset, "kind": c.kind, "url": c.url, "release": c.when.strftime("%Y-%m-%dT%H:%MZ"),
                "collector": c.collector, "why": self.why, "sha256": self.file.sha256,
                "bytes": self.file.bytes, "fetched_at": self.file.fetched_at,
                "from_cache": self.file.from_cache}


@dataclass
class Miss:
    """A dataset none of whose candidates could be fetched."""

    dataset: str
    tried: list[str] = field(default_factory=list)
    why: str = ""

    def record(self) -> dict:
        return {"dataset": self.dataset, "tried": len(self.tried),
                "first": self.tried[0] if self.tried else None, "why": self.why}


def parse_listing(html: str) -> set[str]:
    """File and folder names linked from an HTML directory listing."""
    return {h.rstrip("/").rsplit("/", 1)[-1] for h in _HREF.findall(html)}


class Chooser:
    """Pick the first available candidate of each dataset, through a `DownloadCache`.

    Parameters
    ----------
    cache : DownloadCache
    use_listings : bool
        Ask for folder listings to skip names that are not there.
    log : callable, optional
        Receives one progress line per fetch (default: stderr).
    """

    def __init__(self, cache: DownloadCache, use_listings: bool = True, log=None):
        self.cache = cache
        self.use_listings = use_listings and not cache.offline
        self._listings: dict[str, set[str] | None] = {}
        self.down: set[str] = set()  # hosts found unreachable: not tried again in this build
        self.log = log or (lambda s: print(s, file=sys.stderr, flush=True))

    def listing(self, folder: str) -> set[str] | None:
        """Names in a folder's listing, or None when it cannot be had."""
        if not self.use_listings:
            return None
        if folder not in self._listings:
            try:
                self._listings[folder] = parse_listing(self.cache.get_text(folder))
            except Unreachable:
                self.down.add(urlsplit(folder).netloc)
                self._listings[folder] = None
            except SourceUnavailable:
                self._listings[folder] = None
        return self._listings[folder]

    def _prune(self, cands: list[Candidate]) -> list[tuple[Candidate, bool]]:
        out = []
        for c in cands:
            folder, name = c.url.rsplit("/", 1)
            names = self.listing(folder + "/")
            if names is None:
                out.append((c, False))
            elif name in names:
                out.append((c, True))
        return out

    def _expected_md5(self, c: Candidate) -> str | None:
        if not c.checksum_url or self.cache.offline:
            return None
        try:
            return parse_md5(self.cache.get_text(c.checksum_url))
        except SourceUnavailable:
            return None

    def choose(self, cands: list[Candidate], rule: str) -> Choice | Miss:
        """The first candidate that can be fetched (after pruning by listings).

        Parameters
        ----------
        cands : list of Candidate
            In order of preference.
        rule : str
            Why the order is what it is (e.g. "newest release on or before 2025-01-01").
        """
        label = cands[0].dataset if cands else "?"
        pruned = self._prune(cands)
        miss = Miss(label)
        if not pruned:
            miss.why = "no candidate in the folder listings"
            return miss
        gone = 0
        for c, listed in pruned:
            if urlsplit(c.url).netloc in self.down and not self.cache.offline:
                miss.why = f"{urlsplit(c.url).netloc} is unreachable"
                return miss
            miss.tried.append(c.url)
            md5 = self._expected_md5(c)
            try:
                f = self.cache.fetch(c.url, md5=md5)
            except NotFound:
                gone += 1
                continue
            except SourceUnavailable as e:
                if self.cache.offline:
                    gone += 1
                    continue
                if isinstance(e, Unreachable):
                    self.down.add(urlsplit(c.url).netloc)
                miss.why = e.line()
                return miss
            how = "listed in its folder" if listed else "computed name"
            why = f"{rule}; {how}"
            if gone:
                why += f"; {gone} preferred name(s) not available"
            if md5:
                why += "; MD5 checked against the published .md5"
            self.log(f"onpath: {'cached' if f.from_cache else 'fetched'} {c.url}")
            return Choice(c, f, why)
        miss.why = "offline and none in the cache" if self.cache.offline else "every candidate was 404"
        return miss

    def fetch_each(self, cands: list[Candidate], rule: str) -> tuple[list[Choice], list[str]]:
        """Fetch every candidate that exists (a run of UPDATES files); returns choices and misses."""
        got, missing = [], []
        for c, listed in self._prune(cands):
            if urlsplit(c.url).netloc in self.down and not self.cache.offline:
                missing.append(c.url)
                continue
            try:
                f = self.cache.fetch(c.url)
            except SourceUnavailable as e:
                if isinstance(e, Unreachable):
                    self.down.add(urlsplit(c.url).netloc)
                missing.append(c.url)
                continue
            self.log(f"onpath: {'cached' if f.from_cache else 'fetched'} {c.url}")
            got.append(Choice(c, f, rule + ("; listed in its folder" if listed else "; computed name")))
        pruned = {c.url for c, _ in self._prune(cands)}
        missing += [c.url for c in cands if c.url not in pruned]
        return got, missing


def utc(t: datetime) -> str:
    """`YYYY-MM-DDTHH:MMZ`."""
    return t.strftime("%Y-%m-%dT%H:%MZ")
