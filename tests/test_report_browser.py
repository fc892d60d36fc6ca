"""A real browser opens report.html over a local HTTP server: DOM, plots, screenshot, no errors.

Debian's chromium runs headless; names that are not 127.0.0.1 resolve to nothing, so any attempt to
fetch from the network fails and is recorded by the page's error hook. Skipped without chromium.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import struct
import subprocess
import threading
from html import unescape

import pytest

from onpath.report import report_from_analysis
from onpath.report.render_html import ERROR_HOOK
from onpath.report.sample import sample_analysis, sample_datasets

DATASETS = sample_datasets()

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


class _Handler(http.server.SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        self.requested.append(self.path)
        super().do_GET()


@pytest.fixture
def served(tmp_path):
    """(base URL, list of requested paths) for an HTTP server on 127.0.0.1 over tmp_path/site."""
    site = tmp_path / "site"
    site.mkdir()
    requested: list[str] = []
    handler = type("H", (_Handler,), {"requested": requested})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield site, f"http://127.0.0.1:{srv.server_address[1]}", requested
    finally:
        srv.shutdown()
        srv.server_close()


def chromium(tmp_path, *args, timeout=90):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=timeout)


def js_errors(dom: str) -> str:
    m = re.search(r'<html[^>]*data-js-errors="([^"]*)"', dom)
    return unescape(m.group(1)) if m else ""


def console_errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "CONSOLE" in ln and ("Uncaught" in ln or "rror" in ln)]


def test_the_error_checks_catch_errors(tmp_path, served):
    """Control: a page with a script error, a console.error and an external image is caught."""
    site, base, _ = served
    (site / "bad.html").write_text(
        f"<!DOCTYPE html><html><head>{ERROR_HOOK}</head><body><script>console.error('boom');nope();</script>"
        '<img src="http://example.com/x.png"></body></html>')
    r = chromium(tmp_path, "--dump-dom", f"{base}/bad.html")
    errs = js_errors(r.stdout)
    assert "console.error: boom" in errs and "nope" in errs and "failed to load http://example.com" in errs
    assert any("Uncaught" in ln for ln in console_errors(r.stderr))


def test_report_opens_in_chromium(tmp_path, served):
    site, base, requested = served
    res = report_from_analysis(sample_analysis(seed=2), snapshot_name="snap", snapshot_date="2025-01-01",
                               datasets=DATASETS, synthetic=True, out_dir=site)
    summary = res["summary"]
    r = chromium(tmp_path, "--dump-dom", f"{base}/report.html")
    dom = r.stdout
    assert "In brief" in dom and "SYNTHETIC" in dom and 'class="synthetic-banner"' in dom
    for ent in summary["entities"]:
        assert f'id="entity-{ent["id"]}"' in dom
        assert f'band band-{ent["band"]}' in dom
    assert len(re.findall(r"<svg\b", dom)) >= 3 + 2 * len(summary["entities"])
    assert len(re.findall(r'class="axis"', dom)) >= 2 * (3 + len(summary["entities"]))
    assert js_errors(dom) == ""
    assert console_errors(r.stderr) == []
    assert set(requested) <= {"/report.html", "/favicon.ico"}

    shot = tmp_path / "shot.png"
    r = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", f"{base}/report.html")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 1400)
    assert len(data) > 20_000  # a rendered page, not a blank one
    assert console_errors(r.stderr) == []
