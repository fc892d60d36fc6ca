"""Inline SVG plots with axes, labels and titles; no JavaScript, no external files.

Every plot is a horizontal (grouped) bar chart: categories down the side, one bar per series, a
value axis with ticks along the bottom, a title above and a legend when there is more than one
series. Output is deterministic text (fixed decimals), so reports stay byte-stable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#806000")
FONT = "font-family=\"DejaVu Sans, Arial, sans-serif\""


def _n(x: float) -> str:
    """A coordinate with one decimal, no trailing zeros."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def nice_max(vmax: float, integer: bool = False) -> tuple[float, float]:
    """An axis end at or above ``vmax`` on a 1-2-5 step, and the tick step (whole steps if ``integer``)."""
    if integer and vmax <= 5:
        top = float(max(1, math.ceil(vmax)))
        return top, 1.0
    if vmax <= 0 or not math.isfinite(vmax):
        return 1.0, 0.25
    exp = math.floor(math.log10(vmax))
    for m in (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10):
        top = m * 10**exp
        if top >= vmax * (1 - 1e-12):
            break
    step = top / 5 if m in (1, 10, 5) else top / 4
    return top, step


def pct(v: float) -> str:
    """A share as a percentage label."""
    p = v * 100
    if p == 0:
        return "0%"
    return f"{p:.1f}%" if p >= 1 or p == round(p, 1) else f"{p:.2g}%"


def num(v: float) -> str:
    """A plain number label."""
    return f"{v:,.0f}" if v >= 10 or v == int(v) else f"{v:.3g}"


def bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
              *, axis_label: str, fmt: Callable[[float], str] = pct, width: int = 900,
              max_value: float | None = None, integer: bool = False, missing: str = "n/a") -> str:
    """A horizontal grouped bar chart as an ``<svg>`` element.

    Parameters
    ----------
    title : str
        Shown above the plot and as the SVG's accessible title.
    categories : sequence of str
        One row per category, drawn top to bottom in the given order.
    series : sequence of (name, values)
        One bar per category per series; ``None`` draws no bar and writes "n/a".
    axis_label : str
        The value axis' label, under the ticks.
    fmt : callable
        Formats tick and bar values (percentages by default).
    max_value : float, optional
        Fixed axis end (1.0 for shares of a whole); by default the largest value, rounded up.
    integer : bool
        Whole-number ticks (for counts).
    missing : str
        Written where a value is None ("n/a" by default; "" leaves the slot empty).
    """
    label_w = min(260, 12 + 7 * max((len(c) for c in categories), default=4))
    top_pad, bottom_pad, right_pad = 34, 46, 60
    legend_h = 18 if len(series) > 1 else 0
    bar_h, gap = 13, 8
    row_h = bar_h * len(series) + gap
    plot_h = max(row_h * len(categories), row_h)
    height = top_pad + legend_h + plot_h + bottom_pad
    x0, x1 = label_w, width - right_pad
    y0 = top_pad + legend_h
    vals = [v for _, vs in series for v in vs if v is not None]
    vmax = max(vals + [0.0]) if max_value is None else max_value
    top, step = nice_max(vmax, integer)
    scale = (x1 - x0) / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="11">',
           f"<title>{escape(title)}</title>",
           f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-size="13" '
           f'font-weight="bold">{escape(title)}</text>']
    if legend_h:
        lx = x0
        for i, (name, _) in enumerate(series):
            out.append(f'<rect x="{_n(lx)}" y="{top_pad}" width="10" height="10" fill="{PALETTE[i % 5]}"/>'
                       f'<text x="{_n(lx + 14)}" y="{top_pad + 9}">{escape(name)}</text>')
            lx += 24 + 7 * len(name)
    # grid, ticks and axis
    k = 0
    while k * step <= top * (1 + 1e-9):
        x = x0 + k * step * scale
        out.append(f'<line x1="{_n(x)}" y1="{y0}" x2="{_n(x)}" y2="{y0 + plot_h}" stroke="#ddd"/>'
                   f'<text x="{_n(x)}" y="{y0 + plot_h + 14}" text-anchor="middle">{escape(fmt(k * step))}</text>')
        k += 1
    out.append(f'<line class="axis" x1="{x0}" y1="{y0 + plot_h}" x2="{x1}" y2="{y0 + plot_h}" stroke="#333"/>'
               f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y0 + plot_h}" stroke="#333"/>'
               f'<text x="{(x0 + x1) / 2:.0f}" y="{y0 + plot_h + 34}" text-anchor="middle">'
               f"{escape(axis_label)}</text>")
    for r, cat in enumerate(categories):
        ry = y0 + r * row_h + gap / 2
        out.append(f'<text x="{x0 - 6}" y="{_n(ry + row_h / 2)}" text-anchor="end" '
                   f'dominant-baseline="middle">{escape(cat)}</text>')
        for s, (name, vs) in enumerate(series):
            v = vs[r] if r < len(vs) else None
            by = ry + s * bar_h
            if v is None:
                if missing:
                    out.append(f'<text x="{x0 + 4}" y="{_n(by + bar_h - 3)}" fill="#777">{escape(missing)}</text>')
                continue
            w = max(0.0, min(v, top) * scale)
            out.append(f'<rect x="{x0}" y="{_n(by)}" width="{_n(w)}" height="{bar_h - 1}" '
                       f'fill="{PALETTE[s % 5]}"><title>{escape(f"{cat}, {name}: {fmt(v)}")}</title></rect>'
                       f'<text x="{_n(x0 + w + 4)}" y="{_n(by + bar_h - 3)}">{escape(fmt(v))}</text>')
    out.append("</svg>")
    return "".join(out)


def empty_plot(title: str, why: str, width: int = 900) -> str:
    """A titled placeholder saying why there is nothing to draw (never a silent gap)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" height="60" '
            f'viewBox="0 0 {width} 60" {FONT} font-size="11"><title>{escape(title)}</title>'
            f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-size="13" font-weight="bold">'
            f'{escape(title)}</text><text x="{width / 2:.0f}" y="42" text-anchor="middle" fill="#777">'
            f"{escape(why)}</text></svg>")
