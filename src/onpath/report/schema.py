"""The ``onpath.report/1`` JSON Schema that ships in the package, and validation against it.

Every report is validated before it is written; a failure is a ``SchemaMismatch`` naming the
field as a JSON pointer (``report.json:/entities/0/risk/band: ...``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from onpath.errors import SchemaMismatch

SCHEMA_FILE = "schema/report.schema.json"


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The packaged schema as a dict."""
    text = resources.files("onpath.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = report_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path)


def errors(report: Any) -> list[tuple[str, str]]:
    """Every violation as (JSON pointer of the field, message), sorted by pointer."""
    out = [(_pointer(e.absolute_path), e.message) for e in _validator().iter_errors(report)]
    return sorted(out)


def validate(report: Any, *, file: str = "report.json") -> None:
    """Raise ``SchemaMismatch`` naming the first offending field (by pointer) when ``report`` is invalid."""
    errs = errors(report)
    if errs:
        where, msg = errs[0]
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        raise SchemaMismatch(f"does not match onpath.report/1: {msg}{more}", file=file, where=where)
