"""`onpath ingest PATH... --snapshot DIR`: add files to a snapshot (SPEC §1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from onpath.errors import MalformedRecord, OnpathError
from onpath.ingest.base import ON_ERROR_CHOICES, LoadContext, detect_kind
from onpath.store.snapshot import Snapshot

KINDS = ("mrt", "as-rel", "as-org", "peeringdb", "rir", "vrp", "geo", "vantage-points", "state-owned")
WARN_LIMIT = 20

EPILOG = """\
A folder ingests every file it recognises, recursively (a whole synthetic world; its truth/ folder
and MANIFEST.json are skipped). A file already in the snapshot (same SHA-256) changes nothing.
Bad records: collect (default; kept in the `rejects` table, exit 0), skip, or raise (exit 1 at the
first).

example: onpath ingest world/ --snapshot snap/
"""


class _QuietContext(LoadContext):
    """A LoadContext that prints the first WARN_LIMIT bad records, then one line saying how many."""

    def reject(self, offset: int, reason: str, raw: bytes = b"") -> None:
        n = self.skipped + self.rejected
        self.warn = n < WARN_LIMIT
        super().reject(offset, reason, raw)
        if n == WARN_LIMIT:
            print(f"onpath: warning: {self.source_file}: more bad records; not printing them",
                  file=sys.stderr)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest")
    p.add_argument("--snapshot", required=True, metavar="DIR", help="snapshot folder (created if absent)")
    p.add_argument("--kind", choices=KINDS, help="the format (default: detected from content)")
    p.add_argument("--collector", metavar="NAME", help="MRT collector name (default: from the path)")
    p.add_argument("--on-error", choices=ON_ERROR_CHOICES, default="collect", help="bad-record policy")
    p.epilog = EPILOG


def expand(paths: list[str], kind: str | None) -> tuple[list[tuple[Path, str | None]], list[Path], list[str]]:
    """Files to ingest with their kind, files not recognised, and missing paths.

    Folders are walked recursively in name order; `truth/` folders, `MANIFEST.json` and hidden
    files are left out.
    """
    todo: list[tuple[Path, str | None]] = []
    unknown: list[Path] = []
    missing: list[str] = []
    for arg in paths:
        p = Path(arg)
        if p.is_file():
            todo.append((p, kind))
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if not f.is_file() or "truth" in rel[:-1] or f.name == "MANIFEST.json":
                    continue
                if any(part.startswith(".") for part in rel):
                    continue
                k = kind or detect_kind(f)
                if k is None:
                    unknown.append(f)
                else:
                    todo.append((f, k))
        else:
            missing.append(arg)
    return todo, unknown, missing


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False)


def run(args: argparse.Namespace) -> int:
    todo, unknown, missing = expand(args.paths, args.kind)
    status = 0
    for m in missing:
        print(f"onpath: error: {m}: no such file or folder", file=sys.stderr)
        status = 1
    for u in unknown:
        print(f"onpath: note: {u}: not a recognised format; not ingested", file=sys.stderr)
    snap = Snapshot.open(args.snapshot, create=True)
    bar = _progress(sum(f.stat().st_size for f, _ in todo))
    totals = {"files": 0, "records": 0, "skipped": 0, "rejected": 0}
    try:
        for f, k in todo:
            if bar is not None:
                bar.set_description(f.name)
            else:
                print(f"onpath: ingesting {f}", file=sys.stderr, flush=True)
            try:
                e = _ingest_one(snap, f, k, args)
            except MalformedRecord:
                raise
            except OnpathError as err:
                print(f"onpath: error: {err.line()}", file=sys.stderr)
                status = 1
                continue
            except (ValueError, TypeError, KeyError, IndexError, OSError, ArithmeticError) as err:
                # a loader bug or an unreadable file: one line, the other files still go in
                print(f"onpath: error: {f}: {type(err).__name__}: {err}", file=sys.stderr)
                status = 1
                continue
            finally:
                if bar is not None:
                    bar.update(f.stat().st_size)
            if e.get("already"):
                print(f"{f}: already in the snapshot ({e['kind']}, sha256 {e['sha256'][:12]}); unchanged")
                continue
            totals["files"] += 1
            for key in ("records", "skipped", "rejected"):
                totals[key] += e[key]
            print(f"{f}: {e['kind']}: {e['records']} records, {e['skipped']} skipped, "
                  f"{e['rejected']} rejected")
    finally:
        if bar is not None:
            bar.close()
    line = (f"ingested {totals['files']} files into {args.snapshot}: {totals['records']} records, "
            f"{totals['skipped']} skipped, {totals['rejected']} rejected")
    if totals["rejected"]:
        line += " (kept in the table `rejects`)"
    print(line)
    return status


def _ingest_one(snap: Snapshot, f: Path, kind: str | None, args: argparse.Namespace) -> dict:
    return snap.ingest_file(f, kind=kind, collector=args.collector, on_error=args.on_error,
                            context=_QuietContext)
