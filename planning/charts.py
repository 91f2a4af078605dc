"""Tiny server-rendered SVG charts: horizontal bars and monthly lines.

Each chart scales to the width of its container (viewBox, width 100 %), uses system fonts and
at most a few hundred bytes per bar or point, and needs no JavaScript. The page shows the same
numbers as a table after every chart, so the chart is never the only place a figure lives.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from planning.money import format_number

WIDTH = 360
COLOURS = ["#0b4ea2", "#a50e0e", "#1b7a34", "#8a4b00", "#5b2a86", "#00707a", "#444444"]
FONT = 'font-family="system-ui,sans-serif"'
SIZE = 'style="max-width:560px;display:block"'  # readable on a phone, not huge on a PC


def _nice_max(value: float) -> float:
    """A round number at or above value for the top of an axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    marker: float | None = None,
    marker_label: str = "",
) -> SafeString:
    """One horizontal bar per (label, value), the label above its bar, the value at its end.

    `marker` draws a dashed vertical line (a target, e.g. 70 %) across all bars.
    """
    row = 46
    top = 24 if marker is not None else 4
    height = top + row * len(items) + 4
    scale_max = max_value or _nice_max(max((v for _, v in items), default=0))
    bar_width = WIDTH - 80
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" {SIZE} role="img" '
        f'aria-label="{escape(title)}" {FONT} font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = max(0.0, min(value, scale_max)) / scale_max * bar_width if scale_max else 0
        colour = COLOURS[0]
        parts.append(f'<text x="0" y="{y + 14}" fill="#111">{escape(_short(label))}</text>')
        parts.append(
            f'<rect x="0" y="{y + 20}" width="{w:.1f}" height="18" rx="2" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{w + 5:.1f}" y="{y + 34}" fill="#111">'
            f"{escape(format_number(value))}{escape(unit)}</text>"
        )
    if marker is not None and scale_max:
        x = min(marker, scale_max) / scale_max * bar_width
        parts.append(
            f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="{height}" stroke="#111" '
            f'stroke-dasharray="4 3"/>'
        )
        anchor = "end" if x > WIDTH / 2 else "start"
        parts.append(
            f'<text x="{x:.1f}" y="13" text-anchor="{anchor}" fill="#111">'
            f"{escape(marker_label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    series: list[tuple[str, list[float]]], *, labels: list[str], title: str
) -> SafeString:
    """One line per (name, values), values aligned with labels (e.g. months "T1".."T12")."""
    left, right, top, bottom = 46, 18, 10, 24
    legend_rows = len(series)
    plot_h = 170
    height = top + plot_h + bottom + legend_rows * 22
    plot_w = WIDTH - left - right
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v / top_value * plot_h if top_value else 0)

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" {SIZE} role="img" '
        f'aria-label="{escape(title)}" {FONT} font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{WIDTH - right}" y2="{y(value):.1f}" '
            f'stroke="#ccc"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#444">'
            f"{escape(format_number(value))}</text>"
        )
    step = 1 if n <= 6 else 2
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                f'fill="#444">{escape(label)}</text>'
            )
    for k, (name, values) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dash = ' stroke-dasharray="6 3"' if k % 2 else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        lx = 4
        ly = top + plot_h + bottom + k * 22 + 16
        parts.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        parts.append(f'<text x="{lx + 24}" y="{ly}" fill="#111">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
