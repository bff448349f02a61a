"""Choropleth maps as SVG: units and their values in, a self-contained SVG document out. Pure: no I/O.

Units are drawn from their GeoJSON geometry (WGS84) with an equirectangular projection scaled by
the cosine of the map's middle latitude, which is close enough at Central America's size. Each
unit is one `<path data-region="…">` with a `<title>` (its name and value) that browsers show on
hover. A unit without a value is filled with a grey hatch and counted under "no data" in the
legend: a gap is shown as a gap, never as the lowest class.
"""

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

#: Sequential classes, light to dark (ColorBrewer YlOrRd, 5 classes).
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: A true zero (no commitment there), distinct from a gap.
ZERO_FILL = "#f7f7f2"
NO_DATA_FILL = "url(#no-data)"
WIDTH = 800
MAP_HEIGHT_MAX = 620
MARGIN = 16
LEGEND_ROW = 20
FONT = "font-family:Helvetica,Arial,sans-serif"


@dataclass(frozen=True, slots=True)
class MapUnit:
    region_id: str
    name: str
    geometry: dict[str, Any]
    value: float | None
    label: str
    outlined: bool = False


@dataclass(frozen=True, slots=True)
class Scale:
    """Class `i` holds values in [breaks[i], breaks[i + 1]) (the last class closed); `labels` name them.

    With `zero_label`, a value of exactly 0 has its own pale class before the others.
    """

    breaks: tuple[float, ...]
    labels: tuple[str, ...]
    zero_label: str | None = None

    def fill(self, value: float | None) -> str:
        if value is None:
            return NO_DATA_FILL
        if self.zero_label is not None and value == 0:
            return ZERO_FILL
        classes = len(self.breaks) - 1
        for index in range(classes):
            if value < self.breaks[index + 1]:
                return _colour(index, classes)
        return _colour(classes - 1, classes)


@dataclass(frozen=True, slots=True)
class MapText:
    title: str
    subtitle: str
    no_data: str
    source: str
    notes: Sequence[str] = field(default_factory=tuple)
    outline: str | None = None


def _colour(index: int, classes: int) -> str:
    """Spread `classes` over the palette, so three classes use light, middle and dark."""
    if classes <= 1:
        return PALETTE[len(PALETTE) // 2]
    return PALETTE[round(index * (len(PALETTE) - 1) / (classes - 1))]


def quantile_breaks(values: Iterable[float], classes: int = 5) -> tuple[float, ...]:
    """Class breaks at the quantiles of the positive values, merged where they coincide."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return ()
    breaks = [ordered[0]]
    for step in range(1, classes):
        cut = ordered[min(len(ordered) - 1, math.ceil(step * len(ordered) / classes))]
        if cut > breaks[-1]:
            breaks.append(cut)
    if ordered[-1] > breaks[-1] or len(breaks) == 1:
        breaks.append(ordered[-1])
    return tuple(breaks)


def _rings(geometry: dict[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    for polygon in polygons:
        yield from polygon


@dataclass(frozen=True, slots=True)
class _Projection:
    west: float
    north: float
    scale_x: float
    scale_y: float
    top: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.west) * self.scale_x, self.top + (self.north - lat) * self.scale_y)


def _projection(units: Sequence[MapUnit], top: float) -> tuple[_Projection, float]:
    """The projection fitting every unit into the map's width, and the map's height."""
    lons = [point[0] for unit in units for ring in _rings(unit.geometry) for point in ring]
    lats = [point[1] for unit in units for ring in _rings(unit.geometry) for point in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    stretch = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * stretch, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span_x, MAP_HEIGHT_MAX / span_y)
    return _Projection(west, north, scale * stretch, scale, top), span_y * scale


def _path(geometry: dict[str, Any], projection: _Projection) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [projection.point(lon, lat) for lon, lat, *_ in ring]
        if len(points) < 3:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _text(x: float, y: float, content: str, *, size: int = 12, weight: str = "normal", fill: str = "#222") -> str:
    style = f"{FONT};font-size:{size}px;font-weight:{weight}"
    return f'<text x="{x:.0f}" y="{y:.0f}" style="{style}" fill="{fill}">{escape(content)}</text>'


def _lines(content: str, size: int) -> list[str]:
    """`content` wrapped to the map's width (an average glyph is about half the font size wide)."""
    return textwrap.wrap(content, width=max(20, int((WIDTH - 2 * MARGIN) / (size * 0.53)))) or [""]


def _paragraph(top: float, content: str, *, size: int, fill: str) -> tuple[list[str], float]:
    """The wrapped lines from `top` down; the y below them."""
    parts = []
    for line in _lines(content, size):
        top += size + 3
        parts.append(_text(MARGIN, top, line, size=size, fill=fill))
    return parts, top


def _legend(scale: Scale, text: MapText, top: float, units: Sequence[MapUnit]) -> tuple[list[str], float]:
    """Legend rows (a swatch and its label each), then the outline key; returns the parts and the next free y."""
    rows: list[tuple[str, str, str]] = []  # fill, stroke, label
    if scale.zero_label is not None:
        rows.append((ZERO_FILL, "#999", scale.zero_label))
    classes = len(scale.breaks) - 1
    rows += [(_colour(index, classes), "#999", scale.labels[index]) for index in range(classes)]
    missing = sum(1 for unit in units if unit.value is None)
    rows.append((NO_DATA_FILL, "#999", f"{text.no_data} ({missing})"))
    if text.outline and any(unit.outlined for unit in units):
        rows.append(("none", "#111", text.outline))
    parts, y = [], top
    for fill, stroke, label in rows:
        width = "2" if fill == "none" else "0.8"
        parts.append(f'<rect x="{MARGIN}" y="{y:.0f}" width="22" height="14" fill="{fill}" stroke="{stroke}"'
                     f' stroke-width="{width}"/>')  # fmt: skip
        parts.append(_text(MARGIN + 30, y + 12, label, size=12))
        y += LEGEND_ROW
    return parts, y


def render_svg(units: Sequence[MapUnit], scale: Scale, text: MapText) -> str:
    """The map: a title and subtitle, one path per unit, a legend, the notes and the source line."""
    if not units:
        raise ValueError("a map needs at least one unit with a boundary")
    subtitle, header = _paragraph(28, text.subtitle, size=12, fill="#444")
    projection, map_height = _projection(units, header + 14)
    paths = []
    outlines = []
    for unit in sorted(units, key=lambda u: u.region_id):
        shape = _path(unit.geometry, projection)
        title = f"<title>{escape(unit.name)}: {escape(unit.label)}</title>"
        paths.append(
            f'<path data-region={quoteattr(unit.region_id)} d="{shape}" fill="{scale.fill(unit.value)}"'
            f' stroke="#fff" stroke-width="0.6">{title}</path>'
        )
        if unit.outlined:
            outlines.append(f'<path d="{shape}" fill="none" stroke="#111" stroke-width="1.6" pointer-events="none"/>')
    legend, y = _legend(scale, text, header + 14 + map_height + 18, units)
    notes: list[str] = []
    for note in text.notes:
        lines, y = _paragraph(y, note, size=11, fill="#444")
        notes += lines
    lines, y = _paragraph(y + 4, text.source, size=10, fill="#666")
    notes += lines
    height = y + 14
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}"'
            f' height="{height:.0f}" role="img" aria-label={quoteattr(text.title)}>',
            f"<title>{escape(text.title)}</title>",
            '<defs><pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e3e3e3"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="1.5"/></pattern></defs>',
            f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
            _text(MARGIN, 24, text.title, size=17, weight="bold"),
            *subtitle,
            '<g class="units">',
            *paths,
            "</g>",
            '<g class="outlines">',
            *outlines,
            "</g>",
            '<g class="legend">',
            *legend,
            "</g>",
            *notes,
            "</svg>",
        ]
    )
