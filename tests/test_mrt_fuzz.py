"""Corruption fuzz of the MRT decoder: damaged files never crash it, rejects carry offsets, and
every record lying entirely before the first damaged byte is still decoded, unchanged.

Valid files come from the writer (seeded); each variant is truncated, bit-flipped, has a length
field overwritten, bytes inserted or a range zeroed. All variants are decoded in one subprocess
(so a segfault fails the test instead of killing pytest) by `onpath.ingest.mrt.load` with
`on_error="collect"` and, when present, by `onpath.ingest.mrt.dump.dump_file`. The reference for a
variant is the decode of the undamaged prefix of the file up to the last whole record before the
damage.
"""

from __future__ import annotations

import gzip
import json
import random
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from onpath.ingest.mrt.writer import MrtWriter, Peer, Session

mrt = pytest.importorskip("onpath.ingest.mrt")
if not hasattr(mrt, "load"):
    pytest.skip("onpath.ingest.mrt.load is not built yet", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).parent))
from test_mrt_writer import rand_asn, rand_attrs, rand_ip, rand_prefix  # noqa: E402

DRIVER = textwrap.dedent("""
    import io, json, sys
    from pathlib import Path
    from onpath.ingest.base import LoadContext
    from onpath.ingest.mrt import load
    try:
        from onpath.ingest.mrt.dump import dump_file
    except ImportError:
        dump_file = None
    out = open(sys.argv[2], "w")
    for f in json.load(open(sys.argv[1])):
        print("BEGIN", f, file=sys.stderr, flush=True)
        res = {"file": f, "rows": [], "events": [], "rejects": [], "exception": None, "dump": None}
        ctx = LoadContext(source_file=f, on_error="collect", warn=False)
        try:
            for table, batch in load(Path(f), ctx):
                for r in batch.to_pylist():
                    r.pop("source_file", None)
                    (res["rows"] if table == "routes" else res["events"]).append(
                        json.dumps(r, sort_keys=True, default=str))
        except Exception as e:
            res["exception"] = repr(e)
        res["rejects"] = [[r.offset, r.reason] for r in ctx.rejects]
        if dump_file is not None:
            buf, errs = io.BytesIO(), []
            try:
                dump_file(f, buf, on_error=lambda name, off, why: errs.append([off, why]))
                res["dump"] = {"lines": buf.getvalue().decode("utf-8", "replace").splitlines(), "errors": errs}
            except Exception as e:
                res["dump"] = {"exception": repr(e)}
        out.write(json.dumps(res) + "\\n")
        out.flush()
""")


def record_bounds(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each MRT record of a valid file."""
    out, pos = [], 0
    while pos + 12 <= len(data):
        ln = struct.unpack_from(">I", data, pos + 8)[0]
        out.append((pos, pos + 12 + ln))
        pos += 12 + ln
    assert pos == len(data)
    return out


def make_valid(r: random.Random, kind: str) -> bytes:
    import io

    buf = io.BytesIO()
    w = MrtWriter(buf)
    if kind == "rib":
        peers = [Peer(rand_asn(r), rand_ip(r, i % 3 == 2)) for i in range(6)]
        w.peer_index_table(peers, ts=1735689600, collector_bgp_id="192.0.2.1", view_name="fuzz")
        for i in range(40):
            v6, addpath = i % 4 == 3, i % 9 == 4
            ents = [(r.randrange(6), 1735600000 + i, rand_attrs(r, v6), r.getrandbits(32)) for _ in range(r.randint(1, 4))]
            w.rib(1735689600, rand_prefix(r, v6), ents if addpath else [e[:3] for e in ents], addpath=addpath)
    else:
        sessions = [Session(rand_asn(r), rand_ip(r, i % 2 == 1), rand_asn(r), None) for i in range(4)]
        for i in range(60):
            s = r.choice(sessions)
            usec = r.randint(0, 999999) if i % 5 == 0 else None
            if i % 13 == 0:
                w.state_change(1735689600 + i, s, r.randint(1, 6), r.randint(1, 6), usec=usec)
                continue
            v6 = r.random() < 0.3
            wd = [rand_prefix(r, r.random() < 0.3) for _ in range(r.choice([0, 1, 2]))]
            an = [rand_prefix(r, v6) for _ in range(r.choice([1, 1, 3]))]
            w.update(1735689600 + i, s, announce=an, withdraw=wd, attrs=rand_attrs(r, v6, as4=i % 7 != 3),
                     usec=usec, as4=i % 7 != 3)
    w.close()
    return buf.getvalue()


def damage(r: random.Random, data: bytes, bounds: list[tuple[int, int]]) -> tuple[str, bytes, int]:
    """(how, damaged bytes, first damaged offset)."""
    how = r.choice(["truncate", "flip", "length", "insert", "zero", "header"])
    n = len(data)
    if how == "truncate":
        cut = r.randrange(1, n)
        return how, data[:cut], cut
    if how == "flip":
        pos = sorted(r.sample(range(n), r.randint(1, 6)))
        b = bytearray(data)
        for p in pos:
            b[p] ^= 1 << r.randrange(8)
        return how, bytes(b), pos[0]
    if how == "length":  # a record's length field set to a random value
        start = r.choice(bounds)[0]
        b = bytearray(data)
        b[start + 8:start + 12] = struct.pack(">I", r.choice([0, 1, 3, r.getrandbits(16), r.getrandbits(32)]))
        return how, bytes(b), start + 8
    if how == "header":  # random type/subtype
        start = r.choice(bounds)[0]
        b = bytearray(data)
        b[start + 4:start + 8] = struct.pack(">HH", r.choice([13, 16, 17, r.getrandbits(16)]), r.getrandbits(4))
        return how, bytes(b), start + 4
    if how == "insert":
        pos = r.randrange(n)
        return how, data[:pos] + bytes(r.getrandbits(8) for _ in range(r.randint(1, 40))) + data[pos:], pos
    pos = r.randrange(n)
    end = min(n, pos + r.randint(1, 64))
    return how, data[:pos] + bytes(end - pos) + data[end:], pos


def run_driver(files: list[Path], tmp: Path) -> dict[str, dict]:
    lst, out = tmp / "files.json", tmp / "results.jsonl"
    lst.write_text(json.dumps([str(f) for f in files]))
    p = subprocess.run([sys.executable, "-c", DRIVER, str(lst), str(out)], capture_output=True, text=True,
                       timeout=600)
    last = [ln for ln in p.stderr.splitlines() if ln.startswith("BEGIN")][-1:]
    assert p.returncode == 0, f"decoder process died ({p.returncode}) on {last}: {p.stderr[-2000:]}"
    res = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert len(res) == len(files)
    return {r["file"]: r for r in res}


def fuzz(tmp: Path, seed: int, variants: int) -> None:
    r = random.Random(seed)
    cases = []  # (damaged file, reference file, how, first damaged offset, boundary, length)
    for k, kind in enumerate(["rib", "updates"]):
        data = make_valid(r, kind)
        bounds = record_bounds(data)
        for i in range(variants // 2):
            how, bad, first = damage(r, data, bounds)
            boundary = max([e for s, e in bounds if e <= first], default=0)
            if kind == "rib" and boundary < bounds[0][1]:
                boundary = 0  # the PIT is damaged: no RIB record is decodable without it
            f, ref = tmp / f"{kind}.{i}.{how}.mrt", tmp / f"{kind}.{i}.ref.mrt"
            f.write_bytes(bad)
            ref.write_bytes(data[:boundary])
            cases.append((f, ref, how, first, boundary, len(bad)))
        gz = tmp / f"{kind}.trunc.gz"
        z = gzip.compress(data, mtime=0)
        gz.write_bytes(z[: len(z) * 2 // 3])
        full = tmp / f"{kind}.full.mrt"
        full.write_bytes(data)
        cases.append((gz, full, "gz-truncate", None, None, len(data)))
    files = [c[0] for c in cases] + [c[1] for c in cases]
    res = run_driver(files, tmp)
    for f, ref, how, first, boundary, n in cases:
        got, want = res[str(f)], res[str(ref)]
        what = f"{f.name} (first damaged byte {first}, boundary {boundary})"
        assert got["exception"] is None, f"{what}: load raised {got['exception']}"
        assert want["exception"] is None and not want["rejects"], f"{ref.name}: the intact prefix must load cleanly"
        for off, reason in got["rejects"]:
            assert 0 <= off <= n and reason, f"{what}: reject {off} {reason!r}"
        if how == "gz-truncate":
            assert got["rejects"], f"{what}: a truncated gzip stream must be reported"
            assert set(got["rows"]) <= set(want["rows"]), f"{what}: rows that are not in the file"
            continue
        kept = [x for x in got["rows"] if json.loads(x)["offset"] < boundary]
        assert kept == want["rows"], f"{what}: records before the damage changed or were lost"
        kept_ev = [x for x in got["events"] if json.loads(x)["offset"] < boundary]
        assert kept_ev == want["events"], f"{what}: state changes before the damage changed or were lost"
        if how == "truncate" and boundary < n:
            assert any(boundary <= off <= n for off, _ in got["rejects"]), f"{what}: truncated record not reported"
        if got["dump"] is not None:
            d, dw = got["dump"], want["dump"]
            assert "exception" not in d, f"{what}: dump raised {d.get('exception')}"
            assert d["lines"][: len(dw["lines"])] == dw["lines"], f"{what}: dump lines before the damage differ"
            if how == "truncate" and boundary < n:
                assert d["errors"], f"{what}: dump did not report the truncated record"


def test_fuzz_damaged_files(tmp_path):
    fuzz(tmp_path, seed=1, variants=160)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2, 8))
def test_fuzz_damaged_files_many(tmp_path, seed):
    fuzz(tmp_path, seed=seed, variants=1000)
