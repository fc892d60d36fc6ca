"""Streaming Parquet writer of one dataset: batches in, temp files out, on a second thread.

The loader decodes on the calling thread; a bounded queue hands batches to a writer thread that
buffers them per table and writes zstd Parquet row groups (Arrow's writer releases the GIL).
Files are written under temporary names (`.tmp-<token>-...`) and renamed to their final names only
by `finish()`; the manifest commit that follows is what makes them visible.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from onpath.errors import SchemaMismatch
from onpath.models.tables import SCHEMAS

ROW_GROUP = 128 * 1024  # rows buffered per table before a row group is written
FILE_ROWS = 16 * 1024 * 1024  # rows per Parquet file before rolling to the next
QUEUE_DEPTH = 4
_DONE = object()


class TableFiles:
    """The Parquet files of one table of one dataset, written in order."""

    def __init__(self, root: Path, table: str, token: str):
        self.root, self.table, self.token = root, table, token
        self.dir = root / "data" / table
        self.tmp_files: list[Path] = []
        self.rows = 0
        self.ts_min: int | None = None
        self.ts_max: int | None = None
        self.route_kinds: set[str] = set()
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._buf: list[pa.RecordBatch] = []
        self._buf_rows = 0
        self._file_rows = 0

    def add(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        if self._schema is None:
            want = SCHEMAS.get(self.table)
            if want is not None:
                missing = [n for n in want.names if n not in batch.schema.names]
                if missing:
                    raise SchemaMismatch(f"table {self.table}: batch lacks columns {missing}")
            self._schema = batch.schema
        elif not batch.schema.equals(self._schema):
            try:
                batch = batch.select(self._schema.names).cast(self._schema)
            except (KeyError, ValueError, pa.ArrowException) as e:
                raise SchemaMismatch(f"table {self.table}: batch schema changed mid-file: {e}") from None
        self._stats(batch)
        self._buf.append(batch)
        self._buf_rows += batch.num_rows
        self.rows += batch.num_rows
        if self._buf_rows >= ROW_GROUP:
            self._flush()

    def _stats(self, batch: pa.RecordBatch) -> None:
        names = batch.schema.names
        if "ts_us" in names:
            mm = pc.min_max(batch.column("ts_us"))
            lo, hi = mm["min"].as_py(), mm["max"].as_py()
            if lo is not None:
                self.ts_min = lo if self.ts_min is None else min(self.ts_min, lo)
                self.ts_max = hi if self.ts_max is None else max(self.ts_max, hi)
        if self.table == "routes" and "kind" in names:
            col = batch.column("kind")
            if pa.types.is_dictionary(col.type):
                col = col.dictionary_decode()
            self.route_kinds.update(k for k in pc.unique(col).to_pylist() if k)

    def _flush(self) -> None:
        if not self._buf:
            return
        assert self._schema is not None
        if self._writer is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / f".tmp-{self.token}-{len(self.tmp_files)}.parquet"
            self.tmp_files.append(path)
            self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")
        self._writer.write_table(pa.Table.from_batches(self._buf, schema=self._schema), row_group_size=ROW_GROUP)
        self._file_rows += self._buf_rows
        self._buf, self._buf_rows = [], 0
        if self._file_rows >= FILE_ROWS:
            self._close_file()

    def _close_file(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with open(self.tmp_files[-1], "rb+") as f:
                os.fsync(f.fileno())
            self._writer = None
            self._file_rows = 0

    def close(self) -> None:
        self._flush()
        self._close_file()

    def abort(self) -> None:
        try:
            if self._writer is not None:
                self._writer.close()
        except Exception:
            pass
        self._writer = None
        for p in self.tmp_files:
            try:
                p.unlink()
            except OSError:
                pass


class DatasetWriter:
    """Writes the tables of one dataset on a background thread.

    Parameters
    ----------
    root : Path
        The snapshot folder.
    token : str
        A unique name part for the temp files (the dataset's sha256 prefix and the pid).
    """

    def __init__(self, root: Path, token: str, threaded: bool = True):
        self.root, self.token = root, token
        self.tables: dict[str, TableFiles] = {}
        self._error: BaseException | None = None
        self._q: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._q = queue.Queue(maxsize=QUEUE_DEPTH)
            self._thread = threading.Thread(target=self._run, name="onpath-parquet", daemon=True)
            self._thread.start()

    def _add(self, table: str, batch: pa.RecordBatch) -> None:
        tf = self.tables.get(table)
        if tf is None:
            tf = self.tables[table] = TableFiles(self.root, table, self.token)
        tf.add(batch)

    def _run(self) -> None:
        assert self._q is not None
        while True:
            item = self._q.get()
            if item is _DONE:
                return
            if self._error is not None:
                continue  # drain so the producer never blocks
            try:
                self._add(*item)
            except BaseException as e:  # handed to the producer thread
                self._error = e

    def put(self, table: str, batch: pa.RecordBatch | pa.Table) -> None:
        """Queue one batch (a Table is split into its batches)."""
        if self._error is not None:
            raise self._error
        batches: Iterable[pa.RecordBatch] = batch.to_batches() if isinstance(batch, pa.Table) else [batch]
        for b in batches:
            if self._q is None:
                self._add(table, b)
            else:
                self._q.put((table, b))

    def _join(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            assert self._q is not None
            self._q.put(_DONE)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def finish(self, prefix: str) -> dict[str, TableFiles]:
        """Flush and close every file, then rename temp files to `<prefix>-<n>.parquet`."""
        self._join()
        for tf in self.tables.values():
            tf.close()
        for tf in self.tables.values():
            final = []
            for i, p in enumerate(tf.tmp_files):
                dst = p.with_name(f"{prefix}-{i}.parquet")
                os.replace(p, dst)
                final.append(dst)
            tf.tmp_files = final
        return self.tables

    def abort(self) -> None:
        """Stop the thread and delete every file written so far."""
        try:
            self._join()
        except BaseException:
            pass
        for tf in self.tables.values():
            tf.abort()
