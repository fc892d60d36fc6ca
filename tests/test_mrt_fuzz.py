"""Corruption fuzz of the MRT decoder: damaged files never crash it, rejects carry offsets, and
every record lying entirely before the first damaged byte is still decoded, unchanged.

Valid files come from the writer (seeded); each variant is truncated, bit-flipped, has a length
or type field overwritten, bytes inserted or a range zeroed; gzip and bzip2 copies are truncated.
All variants are decoded in one subprocess (so a segfault fails the test instead of killing
pytest) by `onpath.ingest.mrt.load` with `on_error="collect"` and, when present, by
`onpath.ingest.mrt.dump.dump_file`. The reference for a variant is the decode of the undamaged
prefix of the file up to the last whole record before the damage.
"""

from __future__ import annotations

import bz2
import gzip
import json
import random
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

mrt = pytest.importorskip("onpath.ingest.mrt")
if not hasattr(mrt, "load"):
    pytest.skip("onpath.ingest.mrt.load is not built yet", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).parent))
from mrt_random import make_valid  # noqa: E402

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


def fuzz(tmp: Path, seed: int, variants: int) -> dict[str, list[str]]:
    """Damage, decode, check; the failures of each property, by property."""
    r = random.Random(seed)
    cases = []  # (damaged file, reference file, how, first damaged offset, boundary, length)
    for kind in ["rib", "updates"]:
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
        full = tmp / f"{kind}.full.mrt"
        full.write_bytes(data)
        for ext, z in (("gz", gzip.compress(data, mtime=0)), ("bz2", bz2.compress(data))):
            cut = tmp / f"{kind}.trunc.{ext}"
            cut.write_bytes(z[: r.randrange(1, len(z))])
            cases.append((cut, full, "z-truncate", None, None, len(data)))
    res = run_driver([c[0] for c in cases] + [c[1] for c in cases], tmp)
    failures: dict[str, list[str]] = {"robust": [], "kept": []}
    for f, ref, how, first, boundary, n in cases:
        got, want = res[str(f)], res[str(ref)]
        what = f"{f.name} (first damaged byte {first}, boundary {boundary})"
        bad = failures["robust"]
        if got["exception"] is not None:
            bad.append(f"{what}: load raised {got['exception']}")
        if want["exception"] is not None or want["rejects"]:
            bad.append(f"{ref.name}: the intact prefix must load cleanly")
        if any(not (0 <= off <= n and reason) for off, reason in got["rejects"]):
            bad.append(f"{what}: reject offsets outside the file: {got['rejects']}")
        if got["dump"] is not None and "exception" in got["dump"]:
            bad.append(f"{what}: dump raised {got['dump']['exception']}")
        if how == "z-truncate":
            if not got["rejects"]:
                bad.append(f"{what}: a truncated compressed stream must be reported")
            if not set(got["rows"]) <= set(want["rows"]):
                bad.append(f"{what}: rows that are not in the file")
            continue
        if how == "truncate" and boundary < n:
            if not got["rejects"]:
                bad.append(f"{what}: truncation not reported")
            if got["dump"] is not None and not got["dump"].get("errors"):
                bad.append(f"{what}: dump did not report the truncated record")
        bad = failures["kept"]
        if how == "truncate" and boundary < n and not any(boundary <= off <= n for off, _ in got["rejects"]):
            bad.append(f"{what}: truncated record not reported at its offset (in [{boundary}, {n}]): {got['rejects']}")
        if [x for x in got["rows"] if json.loads(x)["offset"] < boundary] != want["rows"]:
            bad.append(f"{what}: routes before the damage changed or were lost")
        if [x for x in got["events"] if json.loads(x)["offset"] < boundary] != want["events"]:
            bad.append(f"{what}: state changes before the damage changed or were lost")
        d, dw = got["dump"], want["dump"]
        if d is not None and "lines" in d and d["lines"][: len(dw["lines"])] != dw["lines"]:
            bad.append(f"{what}: dump lines before the damage differ")
    return failures


def report(failures: list[str]) -> str:
    return f"{len(failures)} damaged files:\n" + "\n".join(failures[:30])


@pytest.fixture(scope="module")
def fuzz_small(tmp_path_factory):
    return fuzz(tmp_path_factory.mktemp("fuzz"), seed=1, variants=160)


def test_fuzz_never_crashes_and_reports_offsets(fuzz_small):
    assert not fuzz_small["robust"], report(fuzz_small["robust"])


def test_fuzz_keeps_every_record_before_the_damage(fuzz_small):
    assert not fuzz_small["kept"], report(fuzz_small["kept"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2, 6))
def test_fuzz_many(tmp_path, seed):
    f = fuzz(tmp_path, seed=seed, variants=1000)
    assert not f["robust"], report(f["robust"])
    assert not f["kept"], report(f["kept"])
