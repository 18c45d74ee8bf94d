"""Maps of the area breakdown: a choropleth of the area figures, drawn as SVG by hand.

A project that has the boundaries of its areas puts them into `reports/areas.geojson` (or
names another file in report.yaml `map:`), each feature naming its area in a property (`area`
by default): a group of the area breakdown (the plan's first breakdown) or a choice of the
question it is recoded from, so a file of districts serves a breakdown that groups them
("rest of Saxony"). Features of one area are drawn as one area. Without the file the maps are
left out quietly; a file that cannot be used stops the report before anything is written.

What is drawn: the headline need (the indicator of the area comparison), one map for each of
its leading items overall, and on every one-pager the map of the leading item with that area
outlined: where is the need for X greatest is what a council asks of a map. Coordinates are
projected equirectangularly, longitudes scaled by the cosine of the map's middle latitude,
which keeps a district's shape true enough at the size of a state. Figures are put into at
most four classes of equal width (ColorBrewer blues, light to dark = low to high); areas whose
figure disclosure control suppressed are hatched, areas without a figure grey, each with an
entry of the legend. Every area also carries its figure as a label, and the alternative text
names every area's figure in the report's language.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from survey.report.document import MapArea, MapChart
from survey.report.errors import ReportError
from survey.report.project_facts import AREA_MAP_FILE, MapSettings
from survey.stats.plan.model import Plan, Recode

if TYPE_CHECKING:
    from survey.report.build import Builder

GEOMETRIES = ("Polygon", "MultiPolygon")
MAP_ITEMS = 3
"""Maps of the headline need in the report: its leading items overall."""
CLASSES = 4
BLUES = {1: ("#6BAED6",), 2: ("#9ECAE1", "#2171B5"), 3: ("#C6DBEF", "#6BAED6", "#08519C"),
         4: ("#DEEBF7", "#9ECAE1", "#4292C6", "#08519C")}
"""ColorBrewer's sequential blues, light (low) to dark (high), per number of classes."""
DARK = {"#4292C6", "#2171B5", "#08519C"}
"""Fills under which an area's label is written white."""
NO_DATA = "#BDBDBD"
HATCH = "hatch"
OUTLINE = "outline"
"""The legend entry of the area a one-pager is about."""
INK = "#1A1A1A"
WIDTH, MAP_WIDTH, LEGEND_X = 640.0, 430.0, 450.0
"""SVG user units: the map on the left, the legend to its right."""
FONT = "'Noto Sans', 'Noto Sans Arabic', 'DejaVu Sans', sans-serif"

Polygon = list[list[tuple[float, float]]]


@dataclass(frozen=True)
class AreaShapes:
    """The project's boundaries, by group of the area breakdown."""

    file: Path
    shapes: dict[str, list[Polygon]]
    attribution: str = ""


# -- reading the boundaries ---------------------------------------------------------------


def area_names(plan: Plan, breakdown: str, groups: list[str]) -> dict[str, str | None]:
    """Every name a feature may give -> its group (None: known, but in no group, e.g. a
    choice the recode declares unknown): the groups, and the choices they are recoded from."""
    names: dict[str, str | None] = {g: g for g in groups}
    recode = next((d for d in plan.derived if d.id == breakdown and isinstance(d, Recode)),
                  None)
    if recode is not None:
        source = plan.variables.get(recode.source)
        choices = [c.name for c in source.categories] if source is not None else []
        for choice in [*choices, *recode.mapping]:
            if choice not in names:
                names[choice] = recode.mapping.get(choice, recode.other)
    return names


def _ring(value: Any) -> list[tuple[float, float]] | None:
    if not isinstance(value, list) or len(value) < 4:
        return None
    points = []
    for point in value:
        if not (isinstance(point, list) and len(point) >= 2
                and all(isinstance(c, int | float) and not isinstance(c, bool)
                        for c in point[:2])
                and -180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            return None
        points.append((float(point[0]), float(point[1])))
    return points


def _polygons(geometry: dict[str, Any], where: str) -> list[Polygon]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    found = []
    for polygon in polygons if isinstance(polygons, list) else [None]:
        rings = [_ring(r) for r in polygon] if isinstance(polygon, list) and polygon else [None]
        if any(r is None for r in rings):
            raise ReportError(f"{where}: the coordinates of this {kind} are not rings of "
                              "[longitude, latitude] pairs in degrees (WGS 84, at least four "
                              "points each); export the file as GeoJSON in WGS 84 (EPSG:4326)")
        found.append([r for r in rings if r is not None])
    return found


def read_area_shapes(project: Path, settings: MapSettings | None, plan: Plan,
                     breakdown: str | None, groups: list[str]) -> AreaShapes | None:
    """The project's area boundaries for the area breakdown; None without a file (the maps
    are left out). Raises ReportError naming the file and what to do when it is not
    GeoJSON, holds no Polygon or MultiPolygon, or names areas the breakdown does not have."""
    path = settings.file if settings is not None else project / AREA_MAP_FILE
    key = settings.key if settings is not None else "area"
    if not path.is_file():
        if settings is not None:
            raise ReportError(f"{settings.where}: the map's file {path} does not exist; put "
                              "the areas' boundaries (GeoJSON) there, or remove 'map:'")
        return None
    if breakdown is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ReportError(f"{path}: not a text file in UTF-8; save the areas' boundaries as "
                          "GeoJSON (UTF-8), or remove the file to leave the maps out") from None
    except json.JSONDecodeError as error:
        raise ReportError(f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); "
                          "save the areas' boundaries as GeoJSON, or remove the file to leave "
                          "the maps out") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"
            and isinstance(features, list) and features):
        raise ReportError(f"{path}: not a GeoJSON FeatureCollection with features (found "
                          f"{_kind(data)}); save the areas' boundaries as a GeoJSON "
                          "FeatureCollection, one feature per area")
    names = area_names(plan, breakdown, groups)
    chosen = settings.areas if settings is not None else {}
    shapes: dict[str, list[Polygon]] = {}
    unmatched: list[str] = []
    for number, feature in enumerate(features, start=1):
        where = f"{path}: feature {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or key not in properties:
            raise ReportError(f"{where} has no property '{key}' naming its area; give every "
                              f"feature the property '{key}'"
                              + (f" (it has {', '.join(map(str, properties))})"
                                 if isinstance(properties, dict) and properties else "")
                              + ", or name the property in report.yaml (map: key:)")
        value = str(properties[key])
        if chosen:
            if value not in chosen:
                continue
            name = chosen[value]
        else:
            name = value
        where = f"{where} ({key} {value})"
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
            found = geometry.get("type") if isinstance(geometry, dict) else "no geometry"
            raise ReportError(f"{where} is a {found}; a map of areas draws only Polygon and "
                              "MultiPolygon features: remove points and lines from the file or "
                              "export the areas' boundaries")
        if name not in names:
            unmatched.append(name)
            continue
        group = names[name]
        polygons = _polygons(geometry, where)
        if group is not None:
            shapes.setdefault(group, []).extend(polygons)
    if unmatched or not shapes:
        known = ", ".join(names)
        raise ReportError(
            f"{path}: " + (f"the areas {', '.join(dict.fromkeys(unmatched))} are not areas of "
                           f"the breakdown '{breakdown}'" if unmatched
                           else f"no feature names an area of the breakdown '{breakdown}'")
            + f"; the area names are {known}. Write one of them into each feature's property "
            f"'{key}', or map the property's values to them in report.yaml (map: areas:)")
    attribution = settings.attribution if settings is not None else ""
    if not attribution and isinstance(data.get("attribution"), str):
        attribution = data["attribution"].strip()
    return AreaShapes(path, shapes, attribution)


def _kind(data: Any) -> str:
    if isinstance(data, dict):
        return f"type {data.get('type')!r}" if "type" in data else "an object without a type"
    return type(data).__name__


# -- the figures --------------------------------------------------------------------------


def _steps(share: bool, span: float) -> list[float]:
    """Round class widths, smallest first: for shares 5, 10, 20 or 25 percentage points
    (area samples are small: a smaller difference is mostly sampling error); for other
    figures 1, 2, 2.5 and 5 times a power of ten."""
    if share:
        return [0.05, 0.1, 0.2, 0.25, 0.5, 1.0]
    power = 10.0 ** math.floor(math.log10(span / CLASSES)) if span > 0 else 1.0
    return [f * power for f in (1, 2, 2.5, 5, 10, 20, 25, 50)]


def classes(values: list[float], share: bool) -> list[tuple[float, float]]:
    """At most CLASSES classes of one round width covering the figures, each from its lower
    bound up to under the next (the last includes its upper bound)."""
    if not values:
        return []
    low, high = min(values), max(values)
    for step in _steps(share, high - low):
        start = math.floor(low / step + 1e-9) * step
        count = max(1, math.ceil((high - start) / step - 1e-9))
        if count <= CLASSES:
            return [(start + k * step, start + (k + 1) * step) for k in range(count)]
    return [(low, high)]


def class_of(value: float, bounds: list[tuple[float, float]]) -> int:
    for k, (_low, high) in enumerate(bounds[:-1]):
        if value < high - 1e-12:
            return k
    return len(bounds) - 1


def map_chart(builder: Builder, shapes: AreaShapes, indicator: str, category: str,
              highlight: str = "") -> MapChart | None:
    """The choropleth of `category` of `indicator` by area; None when the indicator has no
    such item."""
    area, t = builder.area or "", builder.t
    overall = builder.rows(indicator)
    overall = overall[overall["category"] == category]
    if overall.empty:
        return None
    item = builder.category(overall.iloc[0])
    labels = dict(builder.groups(area))
    fallback = builder.plan.variables.get(area)
    for choice in fallback.categories if fallback is not None else ():
        labels.setdefault(choice.name, builder.labels.group(area, choice.name, choice.label))
    style = builder.style(indicator)
    found: list[tuple[str, str, Any]] = []
    for group in shapes.shapes:
        rows = builder.rows(indicator, area, group)
        rows = rows[rows["category"] == category]
        found.append((group, labels.get(group, group), rows.iloc[0] if len(rows) else None))
    values = [float(r["estimate"]) for _, _, r in found
              if r is not None and builder.published(r)]
    bounds = classes(values, builder.share(indicator))
    colours = BLUES.get(len(bounds), ())
    areas = []
    for group, label, row in found:
        if row is not None and builder.published(row):
            value = float(row["estimate"])
            figure = builder.figure(row)
            areas.append(MapArea(group, label, value, figure.text, "data",
                                 colours[class_of(value, bounds)], figure.ref))
        elif row is not None and builder.results.is_suppressed(row):
            areas.append(MapArea(group, label, None, t("table.suppressed"), "suppressed",
                                 HATCH))
        else:
            areas.append(MapArea(group, label, None, "", "missing", NO_DATA))
    legend = [(colour, t("map.range_last" if k == len(bounds) - 1 else "map.range",
                         low=builder.n.axis(low, style), high=builder.n.axis(high, style)))
              for k, (colour, (low, high)) in enumerate(zip(colours, bounds, strict=True))]
    if any(a.status == "suppressed" for a in areas):
        legend.append((HATCH, t("map.suppressed", min_cell=builder.min_cell)))
    if any(a.status == "missing" for a in areas):
        legend.append((NO_DATA, t("map.missing")))
    if highlight:
        legend.append((OUTLINE, labels.get(highlight, highlight)))
    items = [t("map.alt_item", label=a.label, estimate=a.text) if a.status == "data"
             else t("chart.alt_suppressed", label=a.label) if a.status == "suppressed"
             else t("map.alt_missing", label=a.label)
             for a in sorted(areas, key=lambda a: -(a.value if a.value is not None else -1))]
    title = (t("map.one_pager", item=item) if highlight
             else t("map.title", question=builder.question(indicator), item=item))
    left_out = [label for group, label in builder.groups(area) if group not in shapes.shapes]
    notes = [t("map.not_drawn", items=", ".join(left_out))] if left_out else []
    source = t("map.source", attribution=shapes.attribution) if shapes.attribution else ""
    if source and not highlight:
        notes.append(source)
    suffix = f"-{highlight}" if highlight else ""
    return MapChart(f"map-{indicator}-{category}{suffix}", title,
                    t("map.alt", title=title, items="; ".join(items)), areas,
                    shapes.shapes, legend,
                    legend_title=t("chart.share_axis") if builder.share(indicator)
                    else builder.indicator(indicator),
                    note=" ".join(notes), highlight=highlight,
                    source=source if highlight else "")


def report_maps(builder: Builder) -> list[MapChart]:
    """The report's maps: the headline need's leading items by area."""
    shapes = builder.area_shapes
    if shapes is None or builder.area is None or not builder.needs:
        return []
    indicator = builder.needs[0]
    charts = [map_chart(builder, shapes, indicator, item)
              for item in builder.top_items(indicator)[:MAP_ITEMS]]
    return [c for c in charts if c is not None]


def one_pager_map(builder: Builder, group: str) -> MapChart | None:
    """The leading need's map, `group` outlined; None without boundaries or for an area
    that has none."""
    shapes = builder.area_shapes
    if shapes is None or builder.area is None or not builder.needs \
            or group not in shapes.shapes:
        return None
    indicator = builder.needs[0]
    items = builder.top_items(indicator)[:1]
    return map_chart(builder, shapes, indicator, items[0], group) if items else None


# -- drawing ------------------------------------------------------------------------------


def _project(shapes: dict[str, list[Polygon]], width: float
             ) -> tuple[dict[str, list[list[tuple[float, float]]]], float]:
    """Rings in page coordinates (equirectangular, x scaled by cos of the middle latitude)
    fitted to `width`; the map's height."""
    points = [p for polygons in shapes.values() for polygon in polygons for ring in polygon
              for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    factor = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * factor, 1e-9), max(north - south, 1e-9)
    scale = width / span_x
    height = span_y * scale
    if height > width * 1.1:
        scale, height = width * 1.1 / span_y, width * 1.1
    projected = {area: [[(round((x - west) * factor * scale, 1),
                          round((north - y) * scale, 1)) for x, y in ring]
                         for polygon in polygons for ring in polygon]
                 for area, polygons in shapes.items()}
    return projected, height


def _path(rings: list[list[tuple[float, float]]]) -> str:
    return " ".join("M" + " L".join(f"{x:g},{y:g}" for x, y in ring) + " Z" for ring in rings)


def _outline(rings: list[list[tuple[float, float]]]) -> str:
    """The area's outline: the edges of its rings that no other ring of the same area shares
    (a district inside a group of districts shows no border to its neighbours in it)."""
    def edge(p: tuple[float, float], q: tuple[float, float]
             ) -> tuple[tuple[float, float], tuple[float, float]]:
        return (p, q) if p <= q else (q, p)
    counts: dict[tuple[tuple[float, float], tuple[float, float]], int] = {}
    for ring in rings:
        for p, q in itertools.pairwise(ring):
            counts[edge(p, q)] = counts.get(edge(p, q), 0) + 1
    runs: list[str] = []
    for ring in rings:
        run: list[tuple[float, float]] = []
        for p, q in itertools.pairwise(ring):
            if p == q:
                continue
            if counts[edge(p, q)] == 1:
                run = run or [p]
                run.append(q)
            elif run:
                runs.append("M" + " L".join(f"{x:g},{y:g}" for x, y in run))
                run = []
        if run:
            runs.append("M" + " L".join(f"{x:g},{y:g}" for x, y in run))
    return " ".join(runs)


def _label_point(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The centroid of the area's largest ring (a MultiPolygon's main part)."""
    def signed(ring: list[tuple[float, float]]) -> float:
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1],
                                                                   strict=True)) / 2
    ring = max(rings, key=lambda r: abs(signed(r)))
    area = signed(ring)
    if abs(area) < 1e-9:
        return ring[0]
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1)
             in zip(ring, ring[1:] + ring[:1], strict=True)) / (6 * area)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1)
             in zip(ring, ring[1:] + ring[:1], strict=True)) / (6 * area)
    return cx, cy


def _fill(colour: str) -> str:
    return f"url(#{HATCH})" if colour == HATCH else "#FFFFFF" if colour == OUTLINE else colour


def map_svg(chart: MapChart) -> str:
    """The map as a standalone SVG document: one path per area, labels, legend (beside
    the map; below it, in larger type, on a one-pager, where the map is small)."""
    compact = bool(chart.highlight)
    projected, map_height = _project({a.area: chart.shapes[a.area] for a in chart.areas},
                                     MAP_WIDTH)
    u = 1.8 if compact else 1.0
    """Type and legend scale: a one-pager's map is printed small."""
    legend_height = (24 + 22 * len(chart.legend) + (16 if chart.source else 0)) * u
    width = MAP_WIDTH if compact else WIDTH
    legend_at = (0.0, map_height + 8) if compact else (LEGEND_X, 0.0)
    height = (map_height + 12 + legend_height if compact
              else max(map_height, legend_height)) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:.0f}" '
        f'width="{width:g}" height="{height:.0f}" font-family="{FONT}" '
        f'font-size="{11 * u:g}">',
        f'<defs><pattern id="{HATCH}" patternUnits="userSpaceOnUse" width="8" height="8">'
        '<rect width="8" height="8" fill="#FFFFFF"/>'
        f'<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{INK}" stroke-width="1.2"/>'
        '</pattern></defs>',
        '<g class="areas" stroke-width="0.8" stroke-linejoin="round">']
    for area in chart.areas:
        ref = f' data-ref="{escape(area.ref)}"' if area.ref else ""
        parts.append(f'<path class="area area-{area.status}" data-area={quoteattr(area.area)}'
                     f'{ref} fill="{_fill(area.colour)}" stroke="{_fill(area.colour)}" '
                     'fill-rule="evenodd" '
                     f'd="{_path(projected[area.area])}"><title>'
                     f'{escape(area.label)}{": " + escape(area.text) if area.text else ""}'
                     '</title></path>')
    parts.append("</g>")
    parts.append('<path class="borders" fill="none" stroke="#FFFFFF" stroke-width="1.2" '
                 'stroke-linejoin="round" d="'
                 + " ".join(_outline(projected[a.area]) for a in chart.areas) + '"/>')
    if chart.highlight in projected:
        parts.append(f'<path class="highlight" fill="none" stroke="{INK}" stroke-width="2.5" '
                     f'stroke-linejoin="round" d="{_outline(projected[chart.highlight])}"/>')
    parts.append('<g class="labels" text-anchor="middle">')
    for area in chart.areas:
        if compact and area.area != chart.highlight:
            continue
        x, y = _label_point(projected[area.area])
        colour = "#FFFFFF" if area.colour in DARK else INK
        halo = INK if area.colour in DARK else "#FFFFFF"
        for dy, text, weight in ((-2 * u, area.label, "bold"), (11 * u, area.text, "normal")):
            if not text:
                continue
            for stroke, fill in ((f' stroke="{halo}" stroke-width="2.6" stroke-opacity="0.7"'
                                  ' stroke-linejoin="round"', halo), ("", colour)):
                parts.append(f'<text x="{x:.1f}" y="{y + dy:.1f}" font-weight="{weight}" '
                             f'fill="{fill}"{stroke}>{escape(text)}</text>')
    parts.append("</g>")
    parts.append(f'<g class="legend" transform="translate({legend_at[0]:g},'
                 f'{legend_at[1]:.1f})">')
    parts.append(f'<text x="0" y="{14 * u:g}" font-weight="bold" fill="{INK}">'
                 f'{escape(chart.legend_title)}</text>')
    if chart.source:
        parts.append(f'<text x="0" y="{(34 + 22 * len(chart.legend)) * u:g}" '
                     f'font-size="{8 * u:g}" fill="#555555">{escape(chart.source)}</text>')
    for k, (colour, text) in enumerate(chart.legend):
        y = (24 + 22 * k) * u
        edge = (f'stroke="{INK}" stroke-width="2.5"' if colour == OUTLINE
                else 'stroke="#6E6E6E" stroke-width="0.6"')
        parts.append(f'<rect class="key" x="0" y="{y:g}" width="{22 * u:g}" '
                     f'height="{15 * u:g}" fill="{_fill(colour)}" {edge}/>')
        parts.append(f'<text x="{30 * u:g}" y="{y + 12 * u:g}" fill="{INK}">'
                     f'{escape(text)}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def write_maps(maps: list[MapChart], folder: Path) -> dict[str, str]:
    """Map id -> the SVG's path relative to the page (beside the charts)."""
    written = {}
    for chart in maps:
        if chart.id in written:
            continue
        target = folder / "charts" / f"{chart.id}.svg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(map_svg(chart), encoding="utf-8")
        written[chart.id] = f"charts/{chart.id}.svg"
    return written
