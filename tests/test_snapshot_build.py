"""`onpath snapshot build` end to end against a fake archive tree on 127.0.0.1."""

from __future__ import annotations

import bz2
import hashlib
import json
import lzma
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_cache import FakeArchive

from onpath.cli import main
from onpath.ingest.asrel import write_as_rel2
from onpath.ingest.rir import write_rir_extended
from onpath.ingest.stateowned import write_state_owned_csv
from onpath.sources import urls
from onpath.sources.build import Chooser, parse_listing
from onpath.sources.cache import DownloadCache
from onpath.store import Snapshot

DATE = "2025-01-01"


def _mrt_available() -> bool:
    import onpath.ingest.mrt as m

    return getattr(m, "KIND", None) == "mrt"


def _rib_bytes(tmp: Path, t: datetime) -> bytes:
    from onpath.ingest.mrt.writer import Attrs, MrtWriter, Peer

    p = tmp / f"rib.{t:%Y%m%d.%H%M}.bz2"
    ts = int(t.timestamp())
    with MrtWriter.open(str(p)) as w:
        w.peer_index_table([Peer(64500, "192.0.2.1"), Peer(64501, "192.0.2.2")], ts=ts)
        w.rib(ts, "8.8.8.0/24", [(0, ts - 100, Attrs(as_path=(64500, 3356, 15169), next_hop="192.0.2.1")),
                                 (1, ts - 100, Attrs(as_path=(64501, 15169), next_hop="192.0.2.2"))])
        w.rib(ts, "1.0.0.0/24", [(0, ts - 100, Attrs(as_path=(64500, 13335), next_hop="192.0.2.1"))])
    return p.read_bytes()


def _updates_bytes(tmp: Path, t: datetime, k: int) -> bytes:
    from onpath.ingest.mrt.writer import Attrs, MrtWriter, Session

    p = tmp / f"updates.{t:%Y%m%d.%H%M}.bz2"
    s = Session(peer_asn=64500, peer_ip="192.0.2.1", local_asn=6447, local_ip="192.0.2.254")
    with MrtWriter.open(str(p)) as w:
        w.update(int(t.timestamp()) + 5, s, announce=[f"203.0.{113 + k}.0/24"],
                 attrs=Attrs(as_path=(64500, 65001), next_hop="192.0.2.1"))
    return p.read_bytes()


def _put(archive: FakeArchive, url: str, data: bytes) -> None:
    archive.files[url.split(archive.url, 1)[1]] = data


@pytest.fixture
def tree(tmp_path):
    """A fake archive: a RouteViews RIB at 02:00 (none at 00:00), as-rel2 of the month before,
    the APNIC file of the day before (with its .md5), the state-owned list."""
    a = FakeArchive()
    base = a.url
    d = tmp_path / "build-src"
    d.mkdir()
    t_rib = datetime(2025, 1, 1, 2, tzinfo=UTC)
    _put(a, urls.rebase(urls.mrt_url("route-views2", t_rib), base), _rib_bytes(d, t_rib))
    for k, u in enumerate(urls.update_candidates("route-views2", t_rib, 0.5, base)):
        _put(a, u.url, _updates_bytes(d, u.when, k))
    rel = write_as_rel2([{"asn1": 3356, "asn2": 15169, "rel": -1}, {"asn1": 3356, "asn2": 13335, "rel": 0},
                         {"asn1": 64500, "asn2": 3356, "rel": 0}], d / "20241201.as-rel2.txt.bz2")
    _put(a, urls.as_rel_candidates(DATE, base)[1].url, rel.read_bytes())
    rir = write_rir_extended("apnic", [{"cc": "CN", "type": "asn", "start": "4134", "value": 1, "date": "20000101",
                                        "status": "allocated", "opaque_id": "A1"},
                                       {"cc": "AU", "type": "ipv4", "start": "1.0.0.0", "value": 256,
                                        "date": "20110811", "status": "assigned", "opaque_id": "A2"}],
                             d / "delegated-apnic-extended-20241231.gz", date="20241231")
    rir_url = urls.rir_candidates("apnic", DATE, base)[1].url
    _put(a, rir_url, rir.read_bytes())
    _put(a, rir_url + ".md5", f"MD5 ({rir.name}) = {hashlib.md5(rir.read_bytes()).hexdigest()}\n".encode())
    so = write_state_owned_csv([{"asn": 4134, "conglomerate": "CN-TELECOM", "org_id": "x", "org_name": "China Telecom",
                                 "ownership_cc": "CN", "target_cc": "CN", "source": "s", "url": "u"}], d / "so.csv")
    _put(a, urls.state_owned_candidates(base)[0].url, so.read_bytes())
    roas = ("URI,ASN,IP Prefix,Max Length,Not Before,Not After\n"
            "rsync://rpki.apnic.net/x.roa,AS4134,1.0.0.0/24,24,2024-01-01 00:00:00,2026-01-01 00:00:00\n")
    _put(a, urls.vrp_candidates("apnic", DATE, base)[0].url, lzma.compress(roas.encode()))
    yield a
    a.close()


def _build(tree, tmp_path, *extra):
    return main(["snapshot", "build", "--date", DATE, "--out", str(tmp_path / "snap"), "--cache",
                 str(tmp_path / "cache"), "--base-url", tree.url, "--collectors", "route-views2",
                 "--datasets", "mrt,as-rel,rir,state-owned,vrp", "--retries", "0", *extra])


def test_build_end_to_end(tree, tmp_path, capsys):
    rc = _build(tree, tmp_path, "--updates-hours", "0.5")
    out, err = capsys.readouterr()
    rec = json.loads((tmp_path / "snap" / "build.json").read_text())
    by = {c["dataset"]: c for c in rec["chosen"]}
    assert set(by) == {"rib:route-views2", "updates:route-views2", "as-rel2", "rir:apnic", "state-owned", "vrp:apnic"}
    ups = [c["url"] for c in rec["chosen"] if c["dataset"] == "updates:route-views2"]
    assert [u.rsplit("/", 1)[1] for u in ups] == ["updates.20250101.0200.bz2", "updates.20250101.0215.bz2"]
    assert by["vrp:apnic"]["url"].endswith("/rpki/apnic.tal/2025/01/01/roas.csv.xz")
    assert by["rib:route-views2"]["url"].endswith("/bgpdata/2025.01/RIBS/rib.20250101.0200.bz2")
    assert "nearest" in by["rib:route-views2"]["why"] and "listed in its folder" in by["rib:route-views2"]["why"]
    assert by["as-rel2"]["url"].endswith("/serial-2/20241201.as-rel2.txt.bz2")
    assert by["as-rel2"]["release"].startswith("2024-12-01")
    assert "MD5 checked" in by["rir:apnic"]["why"] and by["rir:apnic"]["release"].startswith("2024-12-31")
    missing = {m["dataset"] for m in rec["missing"]}
    assert {"rir:afrinic", "rir:arin", "rir:lacnic", "rir:ripencc"} <= missing
    assert "rir:afrinic: not available" in err
    snap = Snapshot.open(tmp_path / "snap")
    assert snap.date == DATE
    ents = {d["kind"]: d for d in snap.datasets}
    assert ents["as-rel"]["source"] == by["as-rel2"]["url"] and ents["as-rel"]["why"] == by["as-rel2"]["why"]
    assert ents["as-rel"]["date"] == "2024-12-01" and ents["as-rel"]["fetched_at"]
    assert snap.table("as_rel").num_rows == 3
    assert snap.con().execute("SELECT cc FROM rir WHERE type='asn'").fetchall() == [("CN",)]
    assert snap.table("state_owned").column("asn").to_pylist() == [4134]
    assert snap.con().execute("SELECT asn, prefix, max_length FROM vrps").fetchall() == [(4134, "1.0.0.0/24", 24)]
    if _mrt_available():
        assert rc == 0 and snap.table("routes").num_rows == 3 + 2
        assert set(snap.table("routes", ["collector"]).column(0).to_pylist()) == {"route-views2"}
    assert "files ingested" in out

    # offline, from the cache alone, into a new snapshot: the same datasets
    tree.close()
    rc2 = main(["snapshot", "build", "--date", DATE, "--out", str(tmp_path / "snap2"), "--cache",
                str(tmp_path / "cache"), "--base-url", tree.url, "--collectors", "route-views2",
                "--datasets", "mrt,as-rel,rir,state-owned,vrp", "--offline", "--updates-hours", "0.5"])
    capsys.readouterr()
    assert rc2 == rc
    s2 = Snapshot.open(tmp_path / "snap2")
    assert sorted(d["sha256"] for d in s2.datasets) == sorted(d["sha256"] for d in snap.datasets)


def test_walk_back_without_listings(tree, tmp_path, capsys):
    tree.listings = False
    _build(tree, tmp_path, "--datasets", "as-rel")
    capsys.readouterr()
    rec = json.loads((tmp_path / "snap" / "build.json").read_text())
    (ch,) = rec["chosen"]
    assert ch["dataset"] == "as-rel2" and "computed name; 1 preferred name(s) not available" in ch["why"]
    served = [p for p, _ in tree.log if p.endswith(".as-rel2.txt.bz2")]
    assert served[0].endswith("20250101.as-rel2.txt.bz2") and served[1].endswith("20241201.as-rel2.txt.bz2")


def test_offline_with_empty_cache_fails_clearly(tmp_path, capsys):
    rc = main(["snapshot", "build", "--date", DATE, "--out", str(tmp_path / "s"), "--cache",
               str(tmp_path / "c"), "--offline", "--datasets", "as-rel", "--base-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert rc == 1 and "nothing could be fetched" in err and "Traceback" not in err
    assert main(["snapshot", "build", "--date", "2025-13-01", "--out", str(tmp_path / "s")]) == 2
    assert main(["snapshot", "build", "--date", DATE, "--out", str(tmp_path / "s"), "--datasets", "nope"]) == 2


def test_updates_after_rib(tmp_path):
    a = FakeArchive()
    try:
        t = datetime(2025, 1, 1, tzinfo=UTC)
        for k in (0, 1, 3):  # the 00:30 file is missing
            u = urls.update_candidates("route-views.jinx", t, 1, a.url)[k]
            _put(a, u.url, bz2.compress(b"x" * k))
        ch = Chooser(DownloadCache(tmp_path / "c", retries=0), log=lambda s: None)
        got, gone = ch.fetch_each(urls.update_candidates("route-views.jinx", t, 1, a.url), "UPDATES")
        assert [g.candidate.when.minute for g in got] == [0, 15, 45]
        assert len(gone) == 1 and gone[0].endswith("updates.20250101.0030.bz2")
        assert "/route-views.jinx/bgpdata/2025.01/UPDATES/" in got[0].candidate.url
    finally:
        a.close()


def test_url_templates():
    t = datetime(2024, 3, 5, 16, tzinfo=UTC)
    assert urls.mrt_url("rrc12", t, "updates") == "https://data.ris.ripe.net/rrc12/2024.03/updates.20240305.1600.gz"
    assert urls.mrt_url("route-views.sydney", t, "updates") == \
        "http://archive.routeviews.org/route-views.sydney/bgpdata/2024.03/UPDATES/updates.20240305.1600.bz2"
    ris = urls.rib_candidates("rrc00", "2024-03-05")
    assert [c.when.hour for c in ris[:3]] == [0, 16, 8] and ris[1].when.day == 4
    assert len(urls.update_candidates("rrc00", t, 2)) == 24
    org = urls.as_org_candidates("2024-03-05")
    assert org[0].url.endswith("/as-organizations/20240101.as-org2info.jsonl.gz")
    assert org[2].url.endswith("/20231001.as-org2info.jsonl.gz")
    assert urls.peeringdb_candidates("2024-03-05")[0].url == \
        "https://publicdata.caida.org/datasets/peeringdb/2024/03/peeringdb_2_dump_2024_03_05.json"
    assert urls.rir_candidates("ripencc", "2024-03-05")[0].url == \
        "https://ftp.ripe.net/pub/stats/ripencc/2024/delegated-ripencc-extended-20240305.bz2"
    vrp = urls.vrp_candidates("apnic", "2024-03-05")
    assert vrp[0].url == "https://ftp.ripe.net/rpki/apnic.tal/2024/03/05/roas.csv.xz"
    assert vrp[3].url == "https://ftp.ripe.net/rpki/apnic.tal/2024/03/04/roas.csv"
    assert urls.as_rel_candidates("2024-01-20")[1].url.endswith("/serial-2/20231201.as-rel2.txt.bz2")
    assert urls.rebase("https://ftp.ripe.net/a/b", "http://h:1/m/") == "http://h:1/m/ftp.ripe.net/a/b"
    assert parse_listing('<a href="rib.20250101.0000.bz2">x</a> <a href="../">up</a>') >= {"rib.20250101.0000.bz2"}


@pytest.mark.live
def test_live_build_as_rel(tmp_path):
    rc = main(["snapshot", "build", "--date", "2025-01-15", "--out", str(tmp_path / "s"), "--cache",
               str(tmp_path / "c"), "--datasets", "as-rel", "--retries", "1"])
    assert rc == 0
    (e,) = Snapshot.open(tmp_path / "s").datasets
    assert e["url"].endswith("20250101.as-rel2.txt.bz2") and e["records"] > 500_000


def test_unreachable_host_is_tried_once(tmp_path, capsys):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: connection refused
    t0 = time.monotonic()
    rc = main(["snapshot", "build", "--date", DATE, "--out", str(tmp_path / "s"), "--cache", str(tmp_path / "c"),
               "--base-url", f"http://127.0.0.1:{port}", "--retries", "1"])
    assert rc == 1 and time.monotonic() - t0 < 20
    assert "nothing could be fetched" in capsys.readouterr().err
    rec = json.loads((tmp_path / "s" / "build.json").read_text())
    whys = [m["why"] for m in rec["missing"]]
    assert len(whys) == 2 + 1 + 1 + 1 + 5 + 5 + 1  # 2 RIBs, as-rel, as-org, peeringdb, 5 RIRs, 5 TAs, state-owned
    assert all(w == f"127.0.0.1:{port} is unreachable" for w in whys)  # its first listing told
