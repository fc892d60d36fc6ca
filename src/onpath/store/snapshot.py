"""The snapshot: datasets as Parquet per table, a manifest as commit point, DuckDB views on top.

See docs/contracts.md ("Store"). Layout: `DIR/manifest.json`, `DIR/data/<table>/<sha16>-<n>.parquet`.
One commit per dataset; a reader sees a dataset completely or not at all.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from onpath.errors import OnpathError, UsageError
from onpath.ingest.base import LoadContext, detect_kind, loader_module
from onpath.store import catalog
from onpath.store.cleanup import remove_leftovers
from onpath.store.collectors import infer_collector
from onpath.store.commit import commit_dataset
from onpath.store.lock import WriterLock
from onpath.store.manifest import (
    MANIFEST,
    date_from_name,
    empty_manifest,
    file_sha256,
    read_manifest,
    write_manifest,
)
from onpath.store.synthetic import is_synthetic

ENTRY_KEYS = ("kind", "source", "sha256", "bytes", "fetched_at", "records", "skipped", "rejected", "synthetic")


class Snapshot:
    """A snapshot folder. Use `Snapshot.open(dir, create=True)`.

    Attributes
    ----------
    root : Path
        The folder.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._manifest: dict[str, Any] | None = None
        self._sig: tuple | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_sig: tuple | None = None

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, root: str | Path, create: bool = False) -> Snapshot:
        """Open a snapshot folder (created when absent and `create`).

        Leftovers of an interrupted ingest (temp files, Parquet files no manifest lists) are
        removed when no writer is active.

        Raises
        ------
        OnpathError
            When the folder is not a snapshot and `create` is False.
        """
        root = Path(root)
        if not (root / MANIFEST).is_file():
            if not create:
                raise OnpathError("not a snapshot (no manifest.json)", file=str(root))
            if root.exists() and not root.is_dir():
                raise UsageError("exists and is not a folder", file=str(root))
            root.mkdir(parents=True, exist_ok=True)
            with WriterLock(root):
                if not (root / MANIFEST).is_file():
                    write_manifest(root, empty_manifest())
        snap = cls(root)
        snap._read()
        if os.access(root, os.W_OK):
            snap.clean()
        return snap

    def clean(self) -> int:
        """Remove stale temp and unlisted Parquet files when no writer is active; returns how many."""
        return remove_leftovers(self.root)

    def _read(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            st = path.stat()
            sig = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            sig = None
        if self._manifest is None or sig != self._sig:
            self._manifest = read_manifest(self.root)
            self._sig = sig
        return self._manifest

    # -------------------------------------------------------------- properties
    @property
    def manifest(self) -> dict[str, Any]:
        """The committed manifest (a copy)."""
        return copy.deepcopy(self._read())

    @property
    def datasets(self) -> list[dict[str, Any]]:
        """Manifest entries, in commit order (copies)."""
        return copy.deepcopy(self._read()["datasets"])

    @property
    def synthetic(self) -> bool:
        """True when any dataset is synthetic."""
        return any(ds.get("synthetic") for ds in self._read()["datasets"])

    @property
    def date(self) -> str | None:
        """Snapshot date YYYY-MM-DD: the manifest's `date`, else the newest RIB's date, else None."""
        m = self._read()
        if m.get("date"):
            return m["date"]
        ribs = [ds["date"] for ds in m["datasets"]
                if ds.get("kind") == "mrt" and ds.get("date") and "rib" in ds.get("route_kinds", [])]
        return max(ribs) if ribs else None

    def set_date(self, date: str | None) -> None:
        """Record the snapshot date in the manifest (committed atomically)."""
        with WriterLock(self.root):
            m = read_manifest(self.root)
            m["date"] = date
            write_manifest(self.root, m)

    def find(self, sha256: str) -> dict[str, Any] | None:
        """The manifest entry of a dataset with this SHA-256, or None."""
        for ds in self._read()["datasets"]:
            if ds.get("sha256") == sha256:
                return copy.deepcopy(ds)
        return None

    # ------------------------------------------------------------------ reading
    def files(self, name: str) -> list[Path]:
        """Committed Parquet files of table `name`."""
        return catalog.files_by_table(self.root, self._read()).get(name, [])

    def tables(self) -> dict[str, int]:
        """Row count per table with data, summed over datasets."""
        out: dict[str, int] = {}
        for ds in self._read()["datasets"]:
            for t, n in ds.get("tables", {}).items():
                out[t] = out.get(t, 0) + n
        return out

    def has(self, name: str) -> bool:
        """True when table `name` has at least one row."""
        return self.tables().get(name, 0) > 0

    def con(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with one view per table (refreshed when the manifest changed).

        Tables without data are empty views with the schema of `onpath.models.tables`.
        """
        m = self._read()
        if self._con is None or self._con_sig != self._sig:
            if self._con is not None:
                self._con.close()
            self._con = catalog.connect(self.root, m)
            self._con_sig = self._sig
        return self._con

    def table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """Table `name` as one Arrow table (all datasets), optionally only `columns`.

        Raises
        ------
        SchemaMismatch
            When the snapshot has no such table and no schema is known for it.
        """
        return catalog.read_table(self.root, name, self.files(name), columns)

    # ------------------------------------------------------------------ writing
    def ingest_file(self, path: str | Path, kind: str | None = None, collector: str | None = None,
                    on_error: str = "collect", extra: dict[str, Any] | None = None,
                    source: str | None = None, warn: bool = True,
                    context: type[LoadContext] = LoadContext) -> dict[str, Any]:
        """Detect, load and commit one file as one dataset.

        Parameters
        ----------
        path : str or Path
            The file (plain, gzip or bzip2).
        kind : str, optional
            SPEC §1 kind; detected from content when None.
        collector : str, optional
            MRT collector name; inferred from the folder (`.../<collector>/...`) when None.
        on_error : {"skip", "raise", "collect"}
            Bad-record policy (collected rejects go to the `rejects` table).
        extra : dict, optional
            More manifest fields (e.g. `fetched_at`, `url`, `why`), merged into the entry.
        source : str, optional
            The manifest `source` (default: the file's absolute path).
        warn : bool
            Print one line per bad record on stderr.
        context : type
            The LoadContext class (a subclass may print or count differently).

        Returns
        -------
        dict
            The manifest entry; it carries `"already": True` when the file's SHA-256 was already
            in the snapshot (nothing was changed).

        Raises
        ------
        OnpathError
            Unreadable or unrecognised file; `MalformedRecord` under `raise`.
        """
        p = Path(path)
        if not p.is_file():
            raise OnpathError("no such file", file=str(p))
        sha, size = file_sha256(p)
        known = self.find(sha)
        if known is not None:
            return dict(known, already=True)
        if kind is None:
            kind = detect_kind(p)
            if kind is None:
                raise OnpathError("format not recognised (give --kind)", file=str(p))
        mod = loader_module(kind)
        if collector is None and kind == "mrt":
            collector = infer_collector(p) or getattr(mod, "infer_collector", lambda _p: None)(p)
        ctx = context(source_file=str(p), on_error=on_error, collector=collector, warn=warn)  # type: ignore[arg-type]
        info: dict[str, Any] = {
            "sha256": sha,
            "bytes": size,
            "fetched_at": None,
            "synthetic": is_synthetic(p, sha),
            "collector": collector,
            "date": date_from_name(p.name),
        }
        info.update(extra or {})
        return self.add_dataset(kind, source or str(p.resolve()), mod.load(p, ctx), ctx, extra=info)

    def add_dataset(self, kind: str, source: str, batches: Iterable[tuple[str, pa.RecordBatch]],
                    ctx: LoadContext, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write `batches` as one dataset and commit it (lower level than `ingest_file`).

        Parameters
        ----------
        kind : str
            SPEC §1 kind.
        source : str
            URL or path, recorded as the entry's `source`.
        batches : iterable of (table, RecordBatch)
            Consumed once, streamed to Parquet on a writer thread.
        ctx : LoadContext
            Counters and rejects; collected rejects are moved to the `rejects` table as they come
            (so `ctx.rejects` is emptied; `ctx.rejected` keeps the count).
        extra : dict, optional
            Manifest fields: `sha256` (else a hash of the batches' Arrow IPC bytes), `bytes`,
            `fetched_at`, `synthetic`, `collector`, `date`, and any others.

        Returns
        -------
        dict
            The committed manifest entry (`"already": True` if the SHA-256 was known).
        """
        return commit_dataset(self, kind, source, batches, ctx, extra)
