#!/usr/bin/env python3
"""docs/realism.svg: degree CCDF (synthetic `small` world vs the real CAIDA graph 2025-01-01) and
AS-path-length histograms (synthetic worlds vs a real RouteViews RIB), as hand-written SVG.

Inputs: a `small` world folder (its MANIFEST.json, truth/as-rel2.txt and published
caida/*.as-rel2.txt.bz2), the JSON of `scripts/realism_real.py`, and optionally a `full` world's
MANIFEST.json (its path-length histogram is added when given).

example: python scripts/plot_realism.py --small /tmp/realism/small --real /tmp/realism/real.json \
    --out docs/realism.svg
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realism_real import load_as_rel  # noqa: E402  (a sibling script)

from onpath.metrics import graphstats  # noqa: E402

W, H = 960, 400
FONT = 'font-family="Helvetica,Arial,sans-serif"'
COLORS = {"real": "#222222", "small": "#d95f02", "small_pub": "#d95f02", "full": "#1b9e77", "real_entry": "#7570b3"}


def degree_ccdf_of(path: Path) -> tuple[list[int], list[float]]:
    asn1, asn2, _rel = load_as_rel(path)
    a, b, asns = graphstats.edge_index(asn1, asn2)
    d = graphstats.degrees(a, b, len(asns))
    x, p = graphstats.ccdf(d[d > 0])
    return x.tolist(), p.tolist()


def thin(x: list, p: list, per_decade: int = 40) -> tuple[list, list]:
    """Keep about `per_decade` points per decade of x (and the last), to keep the SVG small."""
    keep, last = [], -1.0
    for i, v in enumerate(x):
        k = math.floor(math.log10(v) * per_decade)
        if k != last or i == len(x) - 1:
            keep.append(i)
            last = k
    return [x[i] for i in keep], [p[i] for i in keep]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ccdf_panel(series: list[tuple[str, str, list, list, str]], x0: int, y0: int, w: int, h: int) -> list[str]:
    """Log-log CCDF; series = (label, color, x, p, dash)."""
    xmax = max(max(s[2]) for s in series)
    dx = math.ceil(math.log10(xmax))
    pmin = min(min(q for q in s[3] if q > 0) for s in series)
    dy = math.ceil(-math.log10(pmin))
    X = lambda v: x0 + w * math.log10(v) / dx  # noqa: E731
    Y = lambda q: y0 + h * (-math.log10(q)) / dy  # noqa: E731
    out = [f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>']
    for k in range(dx + 1):
        out.append(f'<line x1="{X(10**k):.1f}" y1="{y0}" x2="{X(10**k):.1f}" y2="{y0 + h}" stroke="#eee"/>')
        out.append(f'<text x="{X(10**k):.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11" {FONT}>{10**k:,}</text>')
    for k in range(dy + 1):
        out.append(f'<line x1="{x0}" y1="{Y(10**-k):.1f}" x2="{x0 + w}" y2="{Y(10**-k):.1f}" stroke="#eee"/>')
        lab = "1" if k == 0 else f"1e-{k}"
        out.append(f'<text x="{x0 - 6}" y="{Y(10**-k) + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{lab}</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle" font-size="12" {FONT}>AS degree (links)</text>')
    out.append(f'<text x="{x0 - 44}" y="{y0 + h / 2}" text-anchor="middle" font-size="12" {FONT} '
               f'transform="rotate(-90 {x0 - 44} {y0 + h / 2})">share of ASes with degree &#8805; x</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 - 10}" text-anchor="middle" font-size="14" font-weight="bold" {FONT}>'
               'Degree CCDF</text>')
    for i, (label, color, xs, ps, dash) in enumerate(series):
        xs, ps = thin(xs, ps)
        pts = " ".join(f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(xs, ps, strict=True) if b > 0)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.8"{extra}/>')
        ly = y0 + h - 14 - 16 * (len(series) - 1 - i)
        out.append(f'<line x1="{x0 + 12}" y1="{ly}" x2="{x0 + 36}" y2="{ly}" stroke="{color}" stroke-width="2"{extra}/>')
        out.append(f'<text x="{x0 + 42}" y="{ly + 4}" font-size="11" {FONT}>{_esc(label)}</text>')
    return out


def hist_panel(series: list[tuple[str, str, dict]], x0: int, y0: int, w: int, h: int, lmax: int = 9) -> list[str]:
    """Grouped bars of the share of paths per length 1..lmax (the last bar: lmax or more)."""
    ymax = 0.6
    for _l, _c, dist in series:
        ymax = max(ymax, max(v for k, v in dist.items() if k != "mean"))
    ymax = math.ceil(ymax * 10) / 10
    Y = lambda v: y0 + h - h * v / ymax  # noqa: E731
    out = [f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>']
    for k in range(int(round(ymax * 10)) + 1):
        v = k / 10
        out.append(f'<line x1="{x0}" y1="{Y(v):.1f}" x2="{x0 + w}" y2="{Y(v):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{Y(v) + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{v:.1f}</text>')
    group = w / lmax
    bw = group * 0.8 / len(series)
    for L in range(1, lmax + 1):
        gx = x0 + group * (L - 1) + group * 0.1
        lab = f"{L}+" if L == lmax else str(L)
        out.append(f'<text x="{gx + group * 0.4:.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11" {FONT}>{lab}</text>')
        for i, (_label, color, dist) in enumerate(series):
            v = sum(val for k, val in dist.items() if k != "mean" and (int(k) == L or (L == lmax and int(k) > lmax)))
            out.append(f'<rect x="{gx + i * bw:.1f}" y="{Y(v):.1f}" width="{bw * 0.92:.1f}" height="{y0 + h - Y(v):.1f}" '
                       f'fill="{color}"/>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle" font-size="12" {FONT}>'
               'AS-path length (ASes on the path, prepending collapsed)</text>')
    out.append(f'<text x="{x0 - 40}" y="{y0 + h / 2}" text-anchor="middle" font-size="12" {FONT} '
               f'transform="rotate(-90 {x0 - 40} {y0 + h / 2})">share of paths</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 - 10}" text-anchor="middle" font-size="14" font-weight="bold" {FONT}>'
               'AS-path length (real: RouteViews jinx RIB, 2014)</text>')
    for i, (label, color, dist) in enumerate(series):
        ly = y0 + 14 + 16 * i
        lx = x0 + group * 4 + 8  # right of the tallest bars (lengths 3 and 4)
        out.append(f'<rect x="{lx:.1f}" y="{ly - 8}" width="12" height="10" fill="{color}"/>')
        out.append(f'<text x="{lx + 16:.1f}" y="{ly + 1}" font-size="11" {FONT}>{_esc(label)} (mean {dist["mean"]:.2f})</text>')
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="write docs/realism.svg",
                                 epilog="example: python scripts/plot_realism.py --small /tmp/realism/small "
                                        "--real /tmp/realism/real.json --out docs/realism.svg")
    ap.add_argument("--small", type=Path, required=True, help="a small world folder")
    ap.add_argument("--real", type=Path, required=True, help="JSON of scripts/realism_real.py")
    ap.add_argument("--full", type=Path, help="MANIFEST.json of a full world (optional)")
    ap.add_argument("--out", type=Path, default=Path("docs/realism.svg"))
    a = ap.parse_args(argv)
    real = json.loads(a.real.read_text())
    sm = json.loads((a.small / "MANIFEST.json").read_text())
    cc = real["caida_2025"]["degree_ccdf"]
    tx, tp = degree_ccdf_of(a.small / "truth" / "as-rel2.txt")
    pub = sorted((a.small / "caida").glob("*.as-rel2.txt.bz2"))[0]
    px, pp = degree_ccdf_of(pub)
    ccdf = [("real: CAIDA as-rel2 2025-01-01 (inferred)", COLORS["real"], cc["x"], cc["share"], ""),
            ("synthetic small, true topology", COLORS["small"], tx, tp, ""),
            ("synthetic small, published as-rel2", COLORS["small_pub"], px, pp, "5,4")]
    hist = [("small (synthetic)", COLORS["small"], sm["realism"]["path_length_observed"])]
    if a.full:
        fm = json.loads(a.full.read_text())
        hist.append(("full (synthetic)", COLORS["full"], fm["realism"]["path_length_observed"]))
    rib = real["rib_jinx_2014"]
    hist.append(("jinx 2014, per origin", COLORS["real"], rib["distinct_per_origin"]))
    hist.append(("jinx 2014, per entry", COLORS["real_entry"], rib["per_entry_all_peers"]))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">',
             '<rect width="100%" height="100%" fill="white"/>']
    parts += ccdf_panel(ccdf, 80, 40, 360, 300)
    parts += hist_panel(hist, 540, 40, 400, 300)
    parts.append(f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle" font-size="10" fill="#555" {FONT}>'
                 f'synthetic: onpath world generate --seed {sm["seed"]}; real: ../shared/data (see docs/realism.md)</text>')
    parts.append("</svg>")
    a.out.write_text("\n".join(parts) + "\n")
    print(f"{a.out}: {a.out.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
