"""`onpath mrt dump FILE...`: MRT records as `bgpdump -m` lines (docs/mrt-dump.md)."""

from __future__ import annotations

import argparse
import os
import sys

from onpath.errors import OnpathError, SourceUnavailable

EPILOG = """\
Output is byte-identical to Debian's bgpdump 1.6.2 `-m` for every record bgpdump decodes
correctly; docs/mrt-dump.md lists each deliberate difference. A damaged record gets one error
line on stderr (file and byte offset in the decompressed stream), the dump resumes at the next
valid record, and the exit status is 1.

example: onpath mrt dump updates.20100227.1600.gz | grep '|A|' | head
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Options of `onpath mrt dump`."""
    parser.epilog = EPILOG
    parser.add_argument("files", nargs="+", metavar="FILE", help="MRT files (plain, .gz or .bz2)")
    parser.add_argument("-m", action="store_true", help="one line per entry, unix timestamps (the default and only form)")
    parser.add_argument("-l", dest="large", action="store_true", help="add a large-communities field after the communities (bgpdump -l)")
    parser.add_argument("-u", dest="unknown", action="store_true", help="add a field of unassigned attributes (bgpdump -u)")
    parser.add_argument("-t", dest="timetype", choices=("dump", "change"), default="dump",
                        help="RIB lines: time of the dump (default) or of the route's last change")


def run(args: argparse.Namespace) -> int:
    """Dump every file in order; 1 when any record was damaged, else 0."""
    from onpath.ingest.mrt.dump import dump_file

    out = sys.stdout.buffer
    bad = 0
    for f in args.files:
        try:
            with open(f, "rb"):
                pass
        except OSError as e:
            out.flush()
            raise SourceUnavailable(f"cannot open: {e.strerror}", file=f) from None
        try:
            bad += dump_file(f, out, large=args.large, unknown=args.unknown, change=args.timetype == "change")
        except OnpathError:
            raise
        except BrokenPipeError:  # `| head`: stop quietly, as bgpdump does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except OSError as e:
            out.flush()
            raise SourceUnavailable(f"read failed: {e}", file=f) from None
    try:
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if bad else 0
