"""One root exception and a few precise children. Messages carry the numbers."""

from __future__ import annotations


class OnpathError(Exception):
    """Root of every error onpath raises on purpose. The CLI prints it as one line, exit 1."""

    def __init__(self, message: str, *, file: str | None = None, where: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def line(self) -> str:
        """`<file>:<offset|line>: <what>` (SPEC §1), or just `<what>` when no file is known."""
        if self.file is None:
            return self.message
        if self.where is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.where}: {self.message}"

    def __str__(self) -> str:
        return self.line()


class UsageError(OnpathError):
    """Bad options or arguments: exit 2."""


class NotBuiltYet(OnpathError):
    """A command whose issue is not done yet: exit 3."""


class MalformedRecord(OnpathError):
    """A damaged input record (MRT record, CSV line, JSON object). `where` is the byte offset or line."""


class SchemaMismatch(OnpathError):
    """A table or file whose columns or version are not what this code reads."""


class SourceUnavailable(OnpathError):
    """A dataset that cannot be fetched (offline, 404, checksum mismatch after retries)."""


class SimulationError(OnpathError):
    """A propagation that cannot run as asked (unknown origin, inconsistent policy)."""
