"""Process memory settings for batch analysis (layer 0: no onpath imports).

An analysis of a full snapshot allocates and frees arrays of hundreds of MB many times. glibc
returns every such block to the kernel at `free` (they are `mmap`ed above 32 MB), so the next
one faults in fresh zeroed pages; on a virtual machine that page zeroing cost a third of the run
(`perf`: `clear_page_erms`). `keep_freed_memory()` makes glibc serve large blocks from its heap and
keep freed ones for reuse instead: measured on the 40 M-route benchmark, system time 11.3 -> 8.1 s
and wall time 27.0 -> 23.6 s (median of 3 pairs), for a peak 6% higher (bench/README.md).

It is for a process that analyses and exits (the `assess` and `demo` commands, the benchmarks); a
long-lived server should not call it, since the memory it keeps is not given back until exit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed large blocks for reuse (see the module text). Returns True when the
    settings were taken; False elsewhere (another C library, not Linux), where nothing changes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    ok = mallopt(_M_MMAP_MAX, 0) == 1
    ok &= mallopt(_M_TRIM_THRESHOLD, 2**31 - 1) == 1  # the largest value the int argument holds
    return bool(ok)
