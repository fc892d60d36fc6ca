"""BGPy (bgpy-pkg 13.0.13) in its own venv outside the repo, and a driver that runs it offline.

BGPy pins exact versions of its dependencies, so it gets a venv of its own, made once and cached
(default ~/.cache/onpath/bgpy-venv; env ONPATH_BGPY_VENV overrides). The driver builds BGPy's
CAIDA graph from a local as-rel2 file through `CAIDAASGraphConstructor._get_as_graph_info`
(the parser BGPy runs on the file it would have downloaded; nothing is fetched), seeds one
announcement per origin and runs BGPy's SimulationEngine (three phases, BGP policy everywhere),
then prints every AS's local-RIB AS path as JSON lines.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BGPY_VERSION = "13.0.13"
VENV = Path(os.environ.get("ONPATH_BGPY_VENV", Path.home() / ".cache" / "onpath" / "bgpy-venv"))
MARKER = ".onpath-bgpy-ok"

DRIVER = r'''
import bz2, gzip, json, sys, tempfile, time
from pathlib import Path

src, origins = Path(sys.argv[1]), [int(x) for x in sys.argv[2:]]
raw = src.read_bytes()
if raw[:3] == b"BZh":
    raw = bz2.decompress(raw)
elif raw[:2] == b"\x1f\x8b":
    raw = gzip.decompress(raw)
tmp = Path(tempfile.mkdtemp())
plain = tmp / "as-rel2.txt"
plain.write_bytes(raw)

from bgpy.as_graphs import CAIDAASGraphConstructor
from bgpy.shared.enums import Relationships
from bgpy.simulation_engine import BGP, Announcement, SimulationEngine

t0 = time.perf_counter()
ctor = CAIDAASGraphConstructor(as_graph_collector_kwargs={"cache_dir": tmp / "cache"})
info = ctor._get_as_graph_info(plain)   # BGPy's own parser, on the local file
graph = ctor._get_as_graph(info)
engine = SimulationEngine(graph)
print(json.dumps({"build_seconds": time.perf_counter() - t0, "ases": len(graph.as_dict)}), flush=True)

PREFIX = "1.2.0.0/16"
for origin in origins:
    t = time.perf_counter()
    for as_obj in graph:
        del as_obj.policy.as_
        as_obj.policy = BGP(as_=as_obj)
    graph.as_dict[origin].policy.seed_ann(Announcement(
        prefix=PREFIX, as_path=(origin,), next_hop_asn=origin, seed_asn=origin,
        recv_relationship=Relationships.ORIGIN))
    engine.ready_to_run_round = 0
    engine._propagate(0, None)
    paths = {}
    for as_obj in graph:
        ann = as_obj.policy.local_rib.get(PREFIX)
        if ann is not None:
            paths[as_obj.asn] = list(ann.as_path)
    print(json.dumps({"origin": origin, "seconds": time.perf_counter() - t, "paths": paths}), flush=True)
'''


def bgpy_python(create: bool = True) -> Path | None:
    """The venv's python with BGPy installed (made when absent and `create`), or None."""
    py = VENV / "bin" / "python"
    if (VENV / MARKER).exists() and py.exists():
        return py
    if not create:
        return None
    base = shutil.which("python3.11") or (sys.executable if sys.version_info[:2] == (3, 11) else None)
    if base is None:
        return None
    if VENV.exists():
        shutil.rmtree(VENV)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([base, "-m", "venv", str(VENV)], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", f"bgpy-pkg=={BGPY_VERSION}"],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        return None
    (VENV / MARKER).write_text(BGPY_VERSION + "\n")
    return py


def run_bgpy(as_rel: Path, origins: list[int], jobs: int = 1,
             timeout: float = 3600) -> tuple[dict, dict[int, dict]]:
    """Run BGPy on `as_rel` for each origin, in `jobs` processes (each builds its own graph).

    Returns (header of the first process, {origin: {"seconds", "paths"}}), paths being
    {asn: [path]} for every AS with a route."""
    py = bgpy_python()
    if py is None:
        raise RuntimeError("BGPy venv is not available")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(DRIVER)
        driver = f.name
    parts = [origins[k::jobs] for k in range(max(1, jobs))]
    try:
        procs = [subprocess.Popen([str(py), driver, str(as_rel), *map(str, part)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONHASHSEED": "0"})
                 for part in parts if part]
        outs = [p.communicate(timeout=timeout) for p in procs]
    finally:
        os.unlink(driver)
    header: dict = {}
    out: dict[int, dict] = {}
    for proc, (stdout, stderr) in zip(procs, outs, strict=True):
        if proc.returncode != 0:
            raise RuntimeError(f"BGPy driver failed: {stderr[-2000:]}")
        lines = [json.loads(x) for x in stdout.splitlines() if x.startswith("{")]
        header = header or lines[0]
        for d in lines[1:]:
            out[int(d["origin"])] = {"seconds": d["seconds"],
                                     "paths": {int(k): v for k, v in d["paths"].items()}}
    return header, out


if __name__ == "__main__":  # python tests/bgpy_venv.py: make the venv now
    print(bgpy_python() or "BGPy venv could not be made")
