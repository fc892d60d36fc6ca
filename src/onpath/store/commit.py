"""Writing one dataset: stream its batches to Parquet, then commit it in the manifest.

The writer lock is held throughout; the files are renamed to their final names and fsynced before
the manifest that lists them is replaced, so a crash at any point leaves the previous state.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from onpath.ingest.base import LoadContext
from onpath.models.tables import REJECTS
from onpath.store.lock import WriterLock
from onpath.store.manifest import fsync_dir, read_manifest, write_manifest
from onpath.store.writer import DatasetWriter


def _rejects_batch(kind: str, ctx: LoadContext) -> pa.RecordBatch:
    rs = ctx.rejects
    return pa.RecordBatch.from_arrays(
        [
            pa.array([kind] * len(rs), pa.string()),
            pa.array([r.source_file for r in rs], pa.string()),
            pa.array([r.offset for r in rs], pa.int64()),
            pa.array([r.reason for r in rs], pa.string()),
            pa.array([r.raw for r in rs], pa.binary()),
        ],
        schema=REJECTS,
    )


def commit_dataset(snap, kind: str, source: str, batches: Iterable[tuple[str, pa.RecordBatch]],
                   ctx: LoadContext, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write `batches` as one dataset of `snap` and commit it (see `Snapshot.add_dataset`)."""
    extra = dict(extra or {})
    sha = extra.pop("sha256", None)
    lock = WriterLock(snap.root)
    lock.acquire()
    writer: DatasetWriter | None = None
    try:
        if sha is not None:
            known = snap.find(sha)
            if known is not None:
                return dict(known, already=True)
        hasher = hashlib.sha256() if sha is None else None
        writer = DatasetWriter(snap.root, f"{(sha or 'mem')[:16]}-{os.getpid()}")
        for table, batch in batches:
            if hasher is not None:
                hasher.update(table.encode() + b"\0")
                for b in batch.to_batches() if isinstance(batch, pa.Table) else [batch]:
                    hasher.update(b.serialize())
            writer.put(table, batch)
            if ctx.rejects:
                writer.put("rejects", _rejects_batch(kind, ctx))
                ctx.rejects.clear()
        if ctx.rejects:
            writer.put("rejects", _rejects_batch(kind, ctx))
            ctx.rejects.clear()
        if sha is None:
            assert hasher is not None
            sha = hasher.hexdigest()
            known = snap.find(sha)
            if known is not None:
                writer.abort()
                return dict(known, already=True)
        tables = writer.finish(sha[:16])
        entry = _entry(snap.root, kind, source, sha, ctx, tables, extra)
        m = read_manifest(snap.root)
        m["datasets"].append(entry)
        for d in {p.parent for tf in tables.values() for p in tf.tmp_files}:
            fsync_dir(d)
        write_manifest(snap.root, m)
        return copy.deepcopy(entry)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        lock.release()



def _entry(root: Path, kind, source, sha, ctx, tables, extra) -> dict[str, Any]:
    e: dict[str, Any] = {
        "kind": kind,
        "source": source,
        "sha256": sha,
        "bytes": extra.pop("bytes", None),
        "fetched_at": extra.pop("fetched_at", None),
        "records": ctx.records,
        "skipped": ctx.skipped,
        "rejected": ctx.rejected,
        "synthetic": bool(extra.pop("synthetic", False)),
        "collector": extra.pop("collector", ctx.collector),
        "date": extra.pop("date", None),
    }
    names = sorted(tables)
    e["files"] = [str(p.relative_to(root)) for t in names for p in tables[t].tmp_files]
    e["tables"] = {t: tables[t].rows for t in names}
    ts = [tf for tf in tables.values() if tf.ts_min is not None]
    if ts:
        e["ts_min_us"] = min(tf.ts_min for tf in ts)
        e["ts_max_us"] = max(tf.ts_max for tf in ts)
        if e["date"] is None:
            e["date"] = datetime.fromtimestamp(e["ts_min_us"] / 1e6, UTC).strftime("%Y-%m-%d")
    if "routes" in tables:
        e["route_kinds"] = sorted(tables["routes"].route_kinds)
    e.update(extra)
    return e
