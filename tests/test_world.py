"""The synthetic world (issue 11): layout, determinism, every file readable by its loader and by
bgpdump, the watched carriers with their US footprint, and published != true at declared rates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onpath.ingest.base import LoadContext, detect_kind, loader_module
from onpath.world import generate

SEED = 7


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Path:
    """One tiny world, generated once for the session."""
    return generate("tiny", SEED, "2025-01-01", tmp_path_factory.mktemp("world") / "w", quiet=True)


@pytest.fixture(scope="session")
def manifest(world) -> dict:
    return json.loads((world / "MANIFEST.json").read_text())


def _load(path: Path) -> dict[str, int]:
    kind = detect_kind(path)
    assert kind is not None, f"no loader recognises {path}"
    ctx = LoadContext(str(path), on_error="raise", warn=False)
    n: dict[str, int] = {}
    for table, batch in loader_module(kind).load(path, ctx):
        n[table] = n.get(table, 0) + batch.num_rows
    return n


def _rows(path: Path, table: str) -> list[dict]:
    kind = detect_kind(path)
    ctx = LoadContext(str(path), on_error="raise", warn=False)
    out = []
    for t, batch in loader_module(kind).load(path, ctx):
        if t == table:
            out += batch.to_pylist()
    return out


def test_layout_follows_spec(world, manifest):
    names = set(manifest["files"])
    for rel in ["caida/20250101.as-rel2.txt.bz2", "caida/20250101.as-org2info.txt.gz",
                "caida/20250101.as-org2info.jsonl.gz", "peeringdb/peeringdb_2_dump_2025_01_01.json",
                "rpki/vrps.csv", "rpki/vrps.json", "geo/prefix-country.csv", "vantage-points.jsonl",
                "truth/as-rel2.txt", "truth/policies.jsonl", "truth/events.jsonl"]:
        assert rel in names, rel
    for rir in ("afrinic", "apnic", "arin", "lacnic", "ripencc"):
        assert f"rir/delegated-{rir}-extended-20250101" in names
    cols = {p.split("/")[1] for p in names if p.startswith("mrt/")}
    assert len(cols) >= 10
    for c in cols:
        files = [p.split("/")[2] for p in names if p.startswith(f"mrt/{c}/")]
        if c.startswith("route-views"):
            assert "rib.20250101.0000.bz2" in files
            assert all(re.fullmatch(r"(rib|updates)\.20250101\.\d{4}\.bz2", f) for f in files)
        else:
            assert re.fullmatch(r"rrc\d\d", c)
            assert "bview.20250101.0000.gz" in files
            assert all(re.fullmatch(r"(bview|updates)\.20250101\.\d{4}\.gz", f) for f in files)
        assert any(f.startswith("updates.") for f in files)
    assert manifest["synthetic"] is True and manifest["seed"] == SEED and manifest["scale"] == "tiny"
    assert manifest["date"] == "2025-01-01"
    on_disk = {p.relative_to(world).as_posix() for p in world.rglob("*") if p.is_file()} - {"MANIFEST.json"}
    assert on_disk == names
    assert (world / "truth/events.jsonl").read_text() == ""  # the incidents issue fills it


def test_same_seed_same_files_other_seed_differs(world, manifest, tmp_path):
    # a second run in another process (other hash seed), through the command line
    p = subprocess.run([sys.executable, "-m", "onpath", "world", "generate", "--scale", "tiny", "--seed", str(SEED),
                        "--workers", "2", "--quiet", "--out", str(tmp_path / "a")], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    again = json.loads((tmp_path / "a" / "MANIFEST.json").read_text())
    assert again["files"] == manifest["files"]
    assert again["realism"] == manifest["realism"]
    other = json.loads((generate("tiny", SEED + 1, "2025-01-01", tmp_path / "b", quiet=True) / "MANIFEST.json").read_text())
    assert other["files"]["caida/20250101.as-rel2.txt.bz2"] != manifest["files"]["caida/20250101.as-rel2.txt.bz2"]


def test_every_file_parses_with_its_loader(world, manifest):
    want = {"caida/20250101.as-rel2.txt.bz2": "as_rel", "caida/20250101.as-org2info.jsonl.gz": "as_org",
            "caida/20250101.as-org2info.txt.gz": "as_org", "geo/prefix-country.csv": "geo",
            "rpki/vrps.csv": "vrps", "rpki/vrps.json": "vrps", "vantage-points.jsonl": "vantage_points",
            "truth/as-rel2.txt": "as_rel"}
    for rel in manifest["files"]:
        if rel.endswith(".jsonl") and rel.startswith("truth/"):
            for line in (world / rel).read_text().splitlines():
                json.loads(line)
            continue
        n = _load(world / rel)
        assert sum(n.values()) > 0, rel
        if rel in want:
            assert n.get(want[rel], 0) > 0, (rel, n)
    pdb = _load(world / "peeringdb/peeringdb_2_dump_2025_01_01.json")
    for t in ("pdb_org", "pdb_net", "pdb_fac", "pdb_ix", "pdb_ixlan", "pdb_ixpfx", "pdb_netfac", "pdb_netixlan"):
        assert pdb.get(t, 0) > 0, t
    assert sum(_load(world / f"rir/delegated-{r}-extended-20250101")["rir"] for r in ("arin", "ripencc", "apnic")) > 0


@pytest.mark.skipif(shutil.which("bgpdump") is None, reason="bgpdump is not installed")
def test_bgpdump_reads_every_mrt_file(world, manifest):
    mrt = sorted(r for r in manifest["files"] if r.startswith("mrt/"))
    for rel in mrt[:: max(1, len(mrt) // 25)] + [r for r in mrt if "/rib." in r or "/bview." in r][:3]:
        p = subprocess.run(["bgpdump", "-m", str(world / rel)], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, rel
        lines = p.stdout.splitlines()
        n = _load(world / rel)
        assert len(lines) == n.get("routes", 0) + n.get("peer_events", 0), rel
        assert all(line.split("|")[0] in ("TABLE_DUMP2", "BGP4MP") for line in lines)


def test_watched_carriers_have_a_us_footprint(world):
    orgs = {r["asn"]: r for r in _rows(world / "caida/20250101.as-org2info.jsonl.gz", "as_org")}
    for asn, word in [(4134, "China Telecom"), (4809, "China Telecom"), (36678, "China Telecom"),
                      (9808, "China Mobile"), (58453, "China Mobile"), (4837, "China Unicom"),
                      (9929, "China Unicom"), (19174, "China Unicom"), (12389, "Rostelecom")]:
        assert word in orgs[asn]["org_name"], asn
    assert orgs[19174]["country"] == "US" and orgs[4134]["country"] == "CN"
    pdb_path = world / "peeringdb/peeringdb_2_dump_2025_01_01.json"
    nets = {r["id"]: r["asn"] for r in _rows(pdb_path, "pdb_net")}
    us_fac = [r for r in _rows(pdb_path, "pdb_netfac") if r["country"] == "US"]
    ixs = {r["id"]: r for r in _rows(pdb_path, "pdb_ix")}
    us_ix = [r for r in _rows(pdb_path, "pdb_netixlan") if ixs[r["ix_id"]]["country"] == "US"]
    for asn in (4134, 4809, 23764, 9929, 19174, 58453):
        assert any(nets[r["net_id"]] == asn for r in us_fac), asn
        assert any(r["asn"] == asn for r in us_ix), asn
    # US-located prefixes originated by the carriers (their cloud services), seen in the RIBs
    geo = {r["prefix"]: r["cc"] for r in _rows(world / "geo/prefix-country.csv", "geo")}
    rib = _rows(world / "mrt/route-views2/rib.20250101.0000.bz2", "routes")
    us_by = {r["origin_asn"] for r in rib if geo.get(r["prefix"]) == "US"}
    assert {4134, 4809, 19174} <= us_by
    # US customers in the true topology
    truth = _rows(world / "truth/as-rel2.txt", "as_rel")
    us = {a for a, r in orgs.items() if r["country"] == "US"}
    for asn in (4134, 36678, 19174):
        assert any(r["asn1"] == asn and r["rel"] == -1 and r["asn2"] in us for r in truth), asn
    for asn in (4134, 9929, 58453):  # and US peers
        assert any(r["rel"] == 0 and asn in (r["asn1"], r["asn2"]) and ({r["asn1"], r["asn2"]} - {asn}) <= us
                   for r in truth), asn


def test_published_differs_from_truth_at_declared_rates(world, manifest):
    truth = {(min(r["asn1"], r["asn2"]), max(r["asn1"], r["asn2"])): (r["asn1"], r["asn2"], r["rel"])
             for r in _rows(world / "truth/as-rel2.txt", "as_rel")}
    pub = _rows(world / "caida/20250101.as-rel2.txt.bz2", "as_rel")
    keys = {(min(r["asn1"], r["asn2"]), max(r["asn1"], r["asn2"])) for r in pub}
    assert keys < set(truth)  # nothing invented, something missing
    wrong = sum(1 for r in pub if (r["asn1"], r["asn2"], r["rel"]) != truth[(min(r["asn1"], r["asn2"]), max(r["asn1"], r["asn2"]))])
    p = manifest["realism"]["published"]
    assert p["missing"] == len(truth) - len(pub) > 0
    assert wrong == p["p2p-as-p2c"] + p["p2c-as-p2p"] + p["p2c-reversed"]
    rates = p["declared_rates"]
    n_p2p = sum(1 for k in keys if truth[k][2] == 0)
    expect = n_p2p * rates["p2p-as-p2c"] + (len(pub) - n_p2p) * (rates["p2c-as-p2p"] + rates["p2c-reversed"])
    assert abs(wrong - expect) <= 4 * expect ** 0.5 + 3, (wrong, expect)


def test_observed_paths_follow_true_links_and_declared_policies(world):
    truth = {(min(r["asn1"], r["asn2"]), max(r["asn1"], r["asn2"])) for r in _rows(world / "truth/as-rel2.txt", "as_rel")}
    pol = [json.loads(x) for x in (world / "truth/policies.jsonl").read_text().splitlines()]
    assert {p["policy"] for p in pol} >= {"prepend", "selective-announcement"}
    prepend = {p["asn"]: p for p in pol if p["policy"] == "prepend"}
    seen_prepend = set()
    for f in ("mrt/route-views2/rib.20250101.0000.bz2", "mrt/rrc00/bview.20250101.0000.gz"):
        for r in _rows(world / f, "routes"):
            hops = list(dict.fromkeys(r["as_path"]))
            for x, y in zip(hops, hops[1:], strict=False):
                assert (min(x, y), max(x, y)) in truth, (f, r["as_path"])
            if len(hops) < len(r["as_path"]) and r["origin_asn"] in prepend:
                seen_prepend.add(r["origin_asn"])
    assert seen_prepend, "no prepended path of a declared prepending AS was observed"


def test_realism_figures_are_measured(manifest):
    r = manifest["realism"]
    assert 0 < r["observed_vs_published_simulation"]["differ_share"] < 1
    assert 0.5 < r["p2p_share_true"] < 0.9
    assert r["degree_true"]["degree1_share"] > 0.1
    assert 2 < r["path_length_observed"]["mean"] < 7
    assert "US" in r["country_ipv4_share"]
    c = manifest["counts"]
    assert c["collectors"] >= 10 and c["full_feed_vantage_points"] >= 10


def test_topology_option_uses_the_given_graph(world, tmp_path):
    out = generate("tiny", 1, "2025-01-01", tmp_path / "real", topology=world / "truth/as-rel2.txt", quiet=True)
    a = {(r["asn1"], r["asn2"], r["rel"]) for r in _rows(world / "truth/as-rel2.txt", "as_rel")}
    b = {(r["asn1"], r["asn2"], r["rel"]) for r in _rows(out / "truth/as-rel2.txt", "as_rel")}
    assert a == b


def test_cli_help_and_bad_date(tmp_path):
    from onpath.cli import main

    p = subprocess.run(["python", "-m", "onpath", "world", "generate", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.rstrip().splitlines()[-1].startswith("example:")
    assert main(["world", "generate", "--scale", "tiny", "--date", "2025-13-01", "--out", str(tmp_path / "x")]) == 2


@pytest.mark.slow
def test_small_world_meets_spec_sizes(tmp_path):
    import time

    t0 = time.process_time()
    out = generate("small", 1, "2025-01-01", tmp_path / "small", quiet=True)
    cpu = time.process_time() - t0
    m = json.loads((out / "MANIFEST.json").read_text())
    c = m["counts"]
    assert 2500 <= c["ases"] <= 3500
    assert c["collectors"] >= 10 and c["full_feed_vantage_points"] >= 30
    assert c["vantage_points"] > c["full_feed_vantage_points"]  # partial feeds too
    assert cpu < 60, cpu
    assert max(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 50_000_000
    vp = [json.loads(x) for x in (out / "vantage-points.jsonl").read_text().splitlines()]
    assert {d["collector"] for d in vp} >= {"route-views2", "rrc00"}


@pytest.mark.slow
def test_calibration_script_reproduces_shipped_figures(shared_data, tmp_path):
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "calibration.json"
    p = subprocess.run([sys.executable, str(root / "scripts/calibrate_world.py"), "--data", str(shared_data),
                        "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert json.loads(out.read_text()) == json.loads((root / "src/onpath/world/calibration.json").read_text())
    assert out.stat().st_size < 100_000


def test_registry_files_agree_with_the_routes(world):
    import ipaddress

    deleg = []
    for rir in ("afrinic", "apnic", "arin", "lacnic", "ripencc"):
        for r in _rows(world / f"rir/delegated-{rir}-extended-20250101", "rir"):
            if r["type"] == "ipv4":
                start = int(ipaddress.IPv4Address(r["start"]))
                deleg.append((start, start + r["value"]))
    deleg.sort()
    assert all(a[1] <= b[0] for a, b in zip(deleg, deleg[1:], strict=False)), "overlapping delegations"
    starts = [d[0] for d in deleg]
    geo = {r["prefix"] for r in _rows(world / "geo/prefix-country.csv", "geo")}
    announced = {}
    for f in ("mrt/route-views2/rib.20250101.0000.bz2", "mrt/rrc00/bview.20250101.0000.gz"):
        for r in _rows(world / f, "routes"):
            announced[r["prefix"]] = r["origin_asn"]
    import bisect

    for p in announced:
        assert p in geo, p
        net = ipaddress.ip_network(p)
        if net.version == 4:
            k = bisect.bisect_right(starts, int(net.network_address)) - 1
            assert k >= 0 and deleg[k][0] <= int(net.network_address) and int(net.broadcast_address) < deleg[k][1], p
    vrps = _rows(world / "rpki/vrps.csv", "vrps")
    assert vrps and all(announced.get(v["prefix"], v["asn"]) == v["asn"] for v in vrps)


def test_full_feed_flags_match_table_sizes(world):
    vp = {(r["collector"], r["peer_ip"]): r["full_feed"] for r in _rows(world / "vantage-points.jsonl", "vantage_points")}
    for col, f in (("route-views2", "rib.20250101.0000.bz2"), ("rrc00", "bview.20250101.0000.gz")):
        count: dict[str, int] = {}
        for r in _rows(world / "mrt" / col / f, "routes"):
            if ":" not in r["prefix"]:
                count[r["peer_ip"]] = count.get(r["peer_ip"], 0) + 1
        top = max(count.values())
        for ip, n in count.items():  # SPEC §4: full feed >= 90% of the largest IPv4 table
            assert vp[(col, ip)] == (n >= 0.9 * top), (col, ip, n, top, vp[(col, ip)])


def test_link_failures_reroute_around_the_failed_link(world):
    log = [json.loads(x) for x in (world / "truth/churn.jsonl").read_text().splitlines()]
    fails = [e for e in log if e["what"] == "link-failure" and e["messages"] > 0]
    assert fails and any(e["what"] == "session-reset" for e in log)
    ann = []
    for f in sorted((world / "mrt").glob("*/updates.*")):
        ann += [r for r in _rows(f, "routes") if r["kind"] == "announce"]
    checked = 0
    for e in fails:
        x, y = e["link"]
        during = [r for r in ann if e["down"] <= r["ts_us"] // 10**6 < e["up"]]
        for r in during:
            hops = list(dict.fromkeys(r["as_path"]))
            assert (x, y) not in zip(hops, hops[1:], strict=False) and (y, x) not in zip(hops, hops[1:], strict=False), (e, r["as_path"])
            checked += 1
        back = [r for r in ann if e["up"] <= r["ts_us"] // 10**6 < e["up"] + 40]
        assert any(y in r["as_path"] for r in back), e  # repaired: paths through the link return
    assert checked > 0


def test_prefixes_per_as_parameter_is_heavy_tailed_and_inside_the_delegations():
    import bisect
    import ipaddress
    from collections import Counter

    import numpy as np

    from onpath.world import orgs, prefixes
    from onpath.world import topology as topo_mod
    from onpath.world.build import SLASH24_PER_AS

    rng = np.random.default_rng(3)
    topo = topo_mod.generate(600, rng)
    rir_of = orgs.rir_of_country()
    org_rows = orgs.build(topo, rir_of, rng)
    px = prefixes.build(topo, org_rows, rir_of, rng, int(SLASH24_PER_AS * topo.n), 2025, v4_per_as=12.0)
    assert len(set(px.prefix)) == len(px.prefix)
    per_as = Counter(o for o, v6 in zip(px.origin, px.v6, strict=True) if not v6)
    n4 = sum(per_as.values())
    assert 0.85 * 12 * topo.n <= n4 <= 1.15 * 12 * topo.n
    assert 0.12 * n4 <= sum(px.v6) <= 0.3 * n4  # IPv6 in proportion
    counts = sorted(per_as.values())
    assert sum(c <= 2 for c in counts) >= 0.15 * len(counts) and counts[-1] >= 10 * 12  # heavy tail
    deleg = sorted((int(ipaddress.IPv4Address(r["start"])), int(ipaddress.IPv4Address(r["start"])) + r["value"])
                   for rows in px.rir_rows.values() for r in rows if r["type"] == "ipv4")
    assert all(a[1] <= b[0] for a, b in zip(deleg, deleg[1:], strict=False))
    starts = [d[0] for d in deleg]
    for p, v6 in zip(px.prefix, px.v6, strict=True):
        if not v6:
            net = ipaddress.IPv4Network(p)
            assert net.prefixlen <= 24
            k = bisect.bisect_right(starts, int(net.network_address)) - 1
            assert k >= 0 and int(net.broadcast_address) < deleg[k][1], p
