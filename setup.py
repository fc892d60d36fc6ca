"""C extensions of onpath, built by the package's own build (pip install .).

- onpath.ingest.mrt._mrtcore: the MRT decoder (RFC 6396), bgpdump text and Arrow column output.
- onpath.simulate._engine: the BGP propagation core (Gao-Rexford, BGPy's tie-break).
- onpath.metrics._pathcore: per-row loops over flat AS-path arrays (prepending, loops, hashes, hops).
An extension whose source is absent is left out, so the package still builds while one is written.
"""

from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).parent
CFLAGS = ["-O3", "-std=c11", "-Wall", "-Wno-unused-function"]

EXTS = [
    ("onpath.ingest.mrt._mrtcore", "src/onpath/ingest/mrt/_mrtcore.c"),
    ("onpath.simulate._engine", "src/onpath/simulate/_engine.c"),
    ("onpath.metrics._pathcore", "src/onpath/metrics/_pathcore.c"),
]

ext_modules = []
for name, src in EXTS:
    if (HERE / src).exists():
        extra = sorted(str(p.relative_to(HERE)) for p in (HERE / src).parent.glob("_*_part_*.c"))
        ext_modules.append(Extension(name, sources=[src, *extra], extra_compile_args=CFLAGS))

setup(ext_modules=ext_modules)
