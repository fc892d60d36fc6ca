"""Generate a full-size PeeringDB dump in CAIDA's archive format (for bench_loaders.py).

About 30k networks and 1M JSON objects (records plus nested ``social_media`` entries), with every
scalar field of the real records. Written with `onpath.ingest.peeringdb.write_peeringdb_dump`.

    python bench/gen_peeringdb.py --out /tmp/peeringdb_2_dump_2025_01_01.json [--scale 1.0] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from typing import Any

from onpath.ingest.peeringdb import SCHEMAS, write_peeringdb_dump

COUNTS = {"org": 32000, "net": 31000, "fac": 5600, "ix": 1300, "ixlan": 1300, "ixpfx": 2600,
          "netfac": 160000, "netixlan": 420000, "poc": 80000, "ixfac": 12000}
TS = "2024-12-31T23:59:59Z"


def _value(name: str, typ: str, i: int, rnd: random.Random) -> Any:
    if name == "id":
        return i
    if name in ("status",):
        return "ok"
    if name in ("created", "updated") or name.endswith("_updated"):
        return TS
    if name == "country":
        return rnd.choice(["US", "DE", "GB", "NL", "CN", "BR", "JP", "FR", "SG", "HK"])
    if typ == "int64":
        return rnd.randrange(1, 400000)
    if typ == "bool":
        return rnd.random() < 0.5
    if typ == "double":
        return round(rnd.uniform(-90, 90), 6)
    return f"{name} {i} " + "x" * rnd.randrange(0, 40)


def records(t: str, n: int, seed: int) -> Iterator[dict[str, Any]]:
    """`n` records of type `t` with the schema's fields (and social_media lists where real ones have them)."""
    rnd = random.Random(f"{seed}-{t}")
    schema = SCHEMAS.get(f"pdb_{t}")
    for i in range(1, n + 1):
        if schema is None:  # poc, ixfac: a few fields
            yield {"id": i, "net_id": rnd.randrange(1, 31000), "role": "Technical", "visible": "Public",
                   "name": f"contact {i}", "email": f"noc{i}@example.net", "created": TS, "updated": TS, "status": "ok"}
            continue
        r = {f.name: _value(f.name, str(f.type), i, rnd) for f in schema}
        if t in ("org", "net", "fac", "ix"):
            r["social_media"] = [{"service": "website", "identifier": f"https://example{i}.net"}
                                 for _ in range(rnd.randrange(1, 5))]
        if t == "net":
            r["asn"] = 64512 + i if i > 20000 else i * 3
            r["info_types"] = ["NSP"]
        yield r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    tables = {t: records(t, max(1, int(n * a.scale)), a.seed) for t, n in COUNTS.items()}
    write_peeringdb_dump(tables, a.out)  # type: ignore[arg-type]
    print(a.out)


if __name__ == "__main__":
    main()
