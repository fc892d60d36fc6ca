"""DuckDB views over a snapshot's Parquet files.

An in-memory DuckDB connection with one view per table: the union (by column name) of the Parquet
files the manifest lists for it, or an empty view with the table's schema (models.tables) when no
dataset has rows for it. Only committed files are ever in a view.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from onpath.errors import SchemaMismatch
from onpath.models.tables import SCHEMAS

_SIMPLE = {
    pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.uint8(): "UTINYINT",
    pa.uint16(): "USMALLINT",
    pa.uint32(): "UINTEGER",
    pa.uint64(): "UBIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.binary(): "BLOB",
    pa.large_binary(): "BLOB",
}


def duckdb_type(t: pa.DataType) -> str:
    """The DuckDB SQL type that DuckDB reads an Arrow/Parquet column of type `t` as."""
    if pa.types.is_dictionary(t):
        return duckdb_type(t.value_type)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return duckdb_type(t.value_type) + "[]"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP"
    return _SIMPLE.get(t, "VARCHAR")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def empty_view_sql(schema: pa.Schema) -> str:
    """A SELECT with the columns of `schema` and no rows."""
    cols = ", ".join(f"CAST(NULL AS {duckdb_type(f.type)}) AS {_quote(f.name)}" for f in schema)
    return f"SELECT {cols} WHERE false"


def files_by_table(root: Path, manifest: dict) -> dict[str, list[Path]]:
    """Committed Parquet files per table, in dataset order."""
    out: dict[str, list[Path]] = {}
    for ds in manifest.get("datasets", []):
        for rel in ds.get("files", []):
            parts = Path(rel).parts  # data/<table>/<file>
            if len(parts) >= 3 and parts[0] == "data":
                out.setdefault(parts[1], []).append(root / rel)
    return out


def connect(root: Path, manifest: dict, extra_schemas: dict[str, pa.Schema] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of the snapshot.

    Parameters
    ----------
    root : Path
        The snapshot folder.
    manifest : dict
        Its manifest (only the files it lists are read).
    extra_schemas : dict, optional
        Schemas of further tables to expose as empty views when they have no data.

    Returns
    -------
    duckdb.DuckDBPyConnection

    Raises
    ------
    SchemaMismatch
        When a file the manifest lists is missing.
    """
    files = files_by_table(root, manifest)
    for paths in files.values():
        for p in paths:
            if not p.is_file():
                raise SchemaMismatch(f"the manifest lists {p.relative_to(root)} but it is missing",
                                     file=str(root / "manifest.json"))
    con = duckdb.connect(":memory:")
    for table, paths in files.items():
        lst = "[" + ", ".join(_lit(str(p)) for p in paths) + "]"
        con.execute(f"CREATE VIEW {_quote(table)} AS SELECT * FROM read_parquet({lst}, union_by_name=true)")
    for table, schema in {**SCHEMAS, **(extra_schemas or {})}.items():
        if table not in files:
            con.execute(f"CREATE VIEW {_quote(table)} AS {empty_view_sql(schema)}")
    return con


def read_table(root: Path, name: str, paths: list[Path], columns: list[str] | None = None) -> pa.Table:
    """The committed files of one table as one Arrow table (the schema's empty table when none).

    Raises
    ------
    SchemaMismatch
        When there are no files and no schema is known for `name`.
    """
    if not paths:
        schema = SCHEMAS.get(name)
        if schema is None:
            raise SchemaMismatch(f"snapshot has no table {name!r}", file=str(root))
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        return schema.empty_table()
    parts = [pq.read_table(p, columns=columns) for p in paths]
    if len(parts) == 1:
        return parts[0]
    return pa.concat_tables(parts, promote_options="permissive")
