"""The download cache against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from onpath.errors import SourceUnavailable
from onpath.sources.cache import DownloadCache, NotFound, default_root, parse_md5


class FakeArchive:
    """A local HTTP server over an in-memory tree, with misbehaviours on demand.

    `files[path] = bytes`; `drop_once`, `no_range`, `fail` (path -> count of 500s) select
    misbehaviours; folders (paths ending in `/`) get an HTML listing unless `listings` is False.
    Every request is logged as (path, Range header or None).
    """

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.drop_once: set[str] = set()
        self.no_range: set[str] = set()
        self.fail: dict[str, int] = {}
        self.listings = True
        self.log: list[tuple[str, str | None]] = []
        self.if_range: list[str | None] = []
        archive = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                archive._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _serve(self, h):
        path = h.path.split("?")[0]
        rng = h.headers.get("Range")
        self.log.append((path, rng))
        self.if_range.append(h.headers.get("If-Range"))
        if self.fail.get(path, 0) > 0:
            self.fail[path] -= 1
            h.send_error(500)
            return
        if path.endswith("/") and self.listings:
            names = sorted({p[len(path):].split("/")[0] + ("/" if "/" in p[len(path):] else "")
                            for p in self.files if p.startswith(path)})
            if names:
                body = "".join(f'<a href="{n}">{n}</a>\n' for n in names).encode()
                h.send_response(200)
                h.send_header("Content-Type", "text/html")
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body)
                return
        data = self.files.get(path)
        if data is None:
            h.send_error(404)
            return
        start = 0
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if_range = h.headers.get("If-Range")
        if rng and if_range and if_range != etag:
            rng = None  # changed since: the whole file (RFC 9110 If-Range)
        if rng and path not in self.no_range:
            start = int(rng.split("=")[1].split("-")[0])
            if start >= len(data):
                h.send_error(416)
                return
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            h.send_response(200)
        body = data[start:]
        h.send_header("ETag", etag)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if path in self.drop_once:
            self.drop_once.discard(path)
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(body)


@pytest.fixture
def archive():
    a = FakeArchive()
    yield a
    a.close()


def _cache(tmp_path, **kw):
    kw.setdefault("backoff", 0.01)
    return DownloadCache(tmp_path / "cache", **kw)


def _blob(n=300_000, seed=1):
    return hashlib.sha256(str(seed).encode()).digest() * (n // 32)


def test_fetch_then_served_from_cache(tmp_path, archive):
    data = _blob()
    archive.files["/a/rib.bz2"] = data
    c = _cache(tmp_path)
    f = c.fetch(archive.url + "/a/rib.bz2")
    assert f.path.read_bytes() == data and not f.from_cache
    assert f.sha256 == hashlib.sha256(data).hexdigest() and f.bytes == len(data)
    n = len(archive.log)
    g = _cache(tmp_path).fetch(archive.url + "/a/rib.bz2")
    assert g.from_cache and g.path == f.path and len(archive.log) == n
    meta = json.loads(f.path.with_name(f.path.name + ".json").read_text())
    assert meta["sha256"] == f.sha256 and meta["url"] == archive.url + "/a/rib.bz2"


def test_dropped_connection_resumes_with_range(tmp_path, archive):
    data = _blob(seed=2)
    archive.files["/f"] = data
    archive.drop_once.add("/f")
    f = _cache(tmp_path).fetch(archive.url + "/f", sha256=hashlib.sha256(data).hexdigest())
    assert f.path.read_bytes() == data
    assert archive.log[0] == ("/f", None)
    assert archive.log[1] == ("/f", f"bytes={len(data) // 2}-")


def test_server_ignoring_range_restarts_cleanly(tmp_path, archive):
    data = _blob(seed=3)
    archive.files["/g"] = data
    archive.drop_once.add("/g")
    archive.no_range.add("/g")
    f = _cache(tmp_path).fetch(archive.url + "/g")
    assert f.path.read_bytes() == data  # not half + whole
    assert archive.log[1][1] is not None  # it did ask for a range


def test_resume_across_runs_and_if_range(tmp_path, archive):
    v1, v2 = _blob(seed=5), _blob(seed=6)
    archive.files["/v"] = v1
    archive.drop_once.add("/v")
    with pytest.raises(SourceUnavailable, match="connection closed|IncompleteRead|after 1 attempts"):
        _cache(tmp_path, retries=0).fetch(archive.url + "/v")
    # a later run resumes the same file
    f = _cache(tmp_path).fetch(archive.url + "/v")
    assert f.path.read_bytes() == v1 and archive.log[-1][1] == f"bytes={len(v1) // 2}-"
    assert archive.if_range[-1] is not None
    # the file changed on the server between runs: If-Range makes it come whole
    archive.files["/w"] = v1
    archive.drop_once.add("/w")
    with pytest.raises(SourceUnavailable):
        _cache(tmp_path, retries=0).fetch(archive.url + "/w")
    archive.files["/w"] = v2
    assert _cache(tmp_path).fetch(archive.url + "/w").path.read_bytes() == v2


def test_corrupt_file_is_an_error_and_nothing_cached(tmp_path, archive):
    good = _blob(seed=4)
    archive.files["/c"] = good[:-1] + b"X"
    c = _cache(tmp_path, retries=1)
    with pytest.raises(SourceUnavailable, match="SHA-256 mismatch") as e:
        c.fetch(archive.url + "/c", sha256=hashlib.sha256(good).hexdigest())
    assert e.value.file == archive.url + "/c"
    assert c.lookup(archive.url + "/c") is None
    left = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert left == []
    with pytest.raises(SourceUnavailable, match="MD5"):
        c.fetch(archive.url + "/c", md5=hashlib.md5(good).hexdigest())
    # the right checksum passes
    archive.files["/c"] = good
    assert c.fetch(archive.url + "/c", md5=hashlib.md5(good).hexdigest()).path.read_bytes() == good


def test_404_is_not_found_without_retries(tmp_path, archive):
    c = _cache(tmp_path)
    with pytest.raises(NotFound) as e:
        c.fetch(archive.url + "/nope")
    assert "404" in str(e.value) and e.value.file == archive.url + "/nope"
    assert len(archive.log) == 1


def test_retries_with_backoff_and_limit(tmp_path, archive):
    archive.files["/r"] = b"hello"
    archive.fail["/r"] = 2
    assert _cache(tmp_path, retries=2).fetch(archive.url + "/r").path.read_bytes() == b"hello"
    archive.files["/r2"] = b"x"
    archive.fail["/r2"] = 5
    with pytest.raises(SourceUnavailable, match="after 3 attempts.*HTTP 500"):
        _cache(tmp_path, retries=2).fetch(archive.url + "/r2")
    assert [p for p, _ in archive.log].count("/r2") == 3


def test_offline(tmp_path, archive):
    archive.files["/o"] = b"cached bytes"
    _cache(tmp_path).fetch(archive.url + "/o")
    off = _cache(tmp_path, offline=True)
    n = len(archive.log)
    assert off.fetch(archive.url + "/o").path.read_bytes() == b"cached bytes"
    with pytest.raises(SourceUnavailable) as e:
        off.fetch(archive.url + "/p")
    msg = e.value.line()
    assert archive.url + "/p" in msg and str(off.path_for(archive.url + "/p")) in msg and "offline" in msg
    assert len(archive.log) == n


def test_cached_copy_with_wrong_size_is_fetched_again(tmp_path, archive):
    archive.files["/s"] = b"abcdef"
    c = _cache(tmp_path)
    f = c.fetch(archive.url + "/s")
    f.path.write_bytes(b"abc")
    assert c.lookup(archive.url + "/s") is None
    assert c.fetch(archive.url + "/s").path.read_bytes() == b"abcdef"


def test_helpers(monkeypatch, tmp_path):
    assert parse_md5("MD5 (delegated-apnic-extended-20190901) = 0123456789ABCDEF0123456789abcdef") == \
        "0123456789abcdef0123456789abcdef"
    assert parse_md5("nothing") is None
    monkeypatch.setenv("ONPATH_CACHE", str(tmp_path))
    assert default_root() == tmp_path
    monkeypatch.delenv("ONPATH_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_root() == tmp_path / "x" / "onpath"
    assert os.path.basename(str(DownloadCache(tmp_path).path_for("http://h/a/b.gz"))).endswith("-b.gz")


@pytest.mark.live
def test_live_routeviews_checksum_file(tmp_path):
    c = DownloadCache(tmp_path, retries=1)
    text = c.get_text("https://ftp.apnic.net/stats/apnic/delegated-apnic-extended-latest.md5")
    assert parse_md5(text)


def test_unreachable_host(tmp_path):
    import socket

    from onpath.sources.http import Unreachable

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(Unreachable, match="after 2 attempts"):
        _cache(tmp_path, retries=1).fetch(f"http://127.0.0.1:{port}/x")
    with pytest.raises(Unreachable):
        _cache(tmp_path).get_text(f"http://127.0.0.1:{port}/")
