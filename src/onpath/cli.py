"""The command line: a thin layer over the library (SPEC §1).

Each command lives in the module that owns its stage; that module defines
`configure(parser)` (options, help with an example) and `run(args) -> int`.
A command whose module is not there yet says so and exits 3.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from onpath.errors import NotBuiltYet, OnpathError, UsageError

# (words, module, one-line help)
COMMANDS: list[tuple[tuple[str, ...], str, str]] = [
    (("mrt", "dump"), "onpath.ingest.mrt.cmd", "print MRT records exactly as `bgpdump -m` does"),
    (("ingest",), "onpath.store.cmd_ingest", "add files to a snapshot (kind detected from content)"),
    (("snapshot", "show"), "onpath.store.cmd_show", "datasets, counts, collectors, rejects of a snapshot"),
    (("snapshot", "build"), "onpath.store.cmd_build", "fetch the public datasets of a date and ingest them"),
    (("world", "generate"), "onpath.world.cmd", "write a synthetic Internet in the real formats"),
    (("simulate", "paths"), "onpath.simulate.cmd", "best path of every AS towards one origin"),
    (("entities", "resolve"), "onpath.entities.cmd_resolve", "a watchlist's entities and their networks, with reasons"),
    (("watchlist", "from-state-owned"), "onpath.entities.cmd_state_owned", "a watchlist of one country's state-owned operators"),
    (("assess",), "onpath.report.cmd", "the risk-based analysis: report.html, report.json, run.json"),
    (("whatif",), "onpath.simulate.cmd_whatif", "blocking scenarios against the baseline"),
    (("incidents", "scan"), "onpath.incidents.cmd_scan", "leak and hijack events from UPDATE streams"),
    (("incidents", "evaluate"), "onpath.incidents.cmd_evaluate", "precision, recall and timing error per kind"),
    (("incidents", "live"), "onpath.incidents.cmd_live", "RIS Live protocol client"),
    (("demo",), "onpath.demo", "the offline main job: small world -> snapshot -> assess"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with SPEC's error line and exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"onpath: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _load(module: str):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name and module.startswith(e.name):
            return None
        raise


def build_parser(only: tuple[str, ...] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, other commands' modules are not imported (faster start)."""
    parser = _Parser(
        prog="onpath",
        description="Whose networks does a country's Internet traffic cross, and what happens if we cut them off?",
        epilog="example: onpath demo --out demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from onpath import __version__

    parser.add_argument("--version", action="version", version=f"onpath {__version__}")
    sub = parser.add_subparsers(dest="_cmd", metavar="COMMAND", parser_class=_Parser)
    groups: dict[str, argparse._SubParsersAction] = {}
    for words, module, helptext in COMMANDS:
        if len(words) == 1:
            p = sub.add_parser(words[0], help=helptext, description=helptext,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        else:
            if words[0] not in groups:
                g = sub.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = g.add_subparsers(dest="_sub", metavar="SUBCOMMAND", parser_class=_Parser)
            p = groups[words[0]].add_parser(words[1], help=helptext, description=helptext,
                                            formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(_module=module, _words=words)
        if only is not None and words != only:
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            continue
        mod = _load(module)
        if mod is not None and hasattr(mod, "configure"):
            mod.configure(p)
        else:
            p.epilog = "(not built yet)"
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _selected(argv: Sequence[str] | None) -> tuple[str, ...] | None:
    """The command words that start `argv`, when they name one command."""
    args = tuple(sys.argv[1:] if argv is None else argv)
    for words, _module, _help in COMMANDS:
        if args[: len(words)] == words:
            return words
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(only=_selected(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        parser.print_help(sys.stderr)
        return 2
    mod = _load(args._module)
    try:
        if mod is None or not hasattr(mod, "run"):
            raise NotBuiltYet(f"'onpath {' '.join(args._words)}' is not built yet")
        return int(mod.run(args) or 0)
    except NotBuiltYet as e:
        print(f"onpath: {e.line()}", file=sys.stderr)
        return 3
    except UsageError as e:
        print(f"onpath: error: {e.line()}", file=sys.stderr)
        return 2
    except OnpathError as e:
        print(f"onpath: error: {e.line()}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("onpath: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
