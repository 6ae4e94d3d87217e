"""What surrounds the map: title, time span, moment, legend, caption, source line, scale, north.

Sizes scale with the image width (a 10-inch-wide figure is the reference), so a map of 1000 or
4000 pixels looks the same, only sharper. The scale bar and the north arrow are computed from the
projection where they stand (:class:`geo.mapframe.MapFrame`).
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from urllib.parse import urlparse

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

from geo import models
from geo.mapfonts import font_note
from geo.timeline import offset_text

__all__ = ["caption_lines", "claim_glosses", "lay_out", "source_line"]

BASEMAP_CREDIT = "Natural Earth"


def _local(moment: pd.Timestamp, offset: dt.timedelta) -> str:
    return pd.Timestamp(moment).tz_convert(dt.timezone(offset)).strftime("%-d %b %Y %H:%M")


def claim_glosses(incident: models.Incident, catalog) -> dict[str, str]:
    """Return, per claim text, "“verbatim” (Speaker): 57 km east of Sokcho" for map labels."""
    glosses = {}
    outlets = {source.id: source for source in incident.sources}
    for claim in incident.claims:
        if claim.distance_km is None:
            continue
        if claim.place in catalog.places:
            reference = catalog.places[claim.place].name.split(" (")[0]
        elif claim.boundary in catalog.boundary_meta:
            meta = catalog.boundary_meta[claim.boundary]
            reference = meta.short_name or meta.name
        else:
            continue
        direction = f" {claim.direction}" if claim.direction else ""
        source = outlets.get(claim.source)
        speakers = {q.speaker for q in source.quotes} if source else set()
        who = next(iter(speakers)) if len(speakers) == 1 else (source.outlet if source else "")
        figure = f"{claim.distance_km:g} km"
        if claim.unit.value != "km" and claim.distance is not None:
            figure = f"{claim.distance:g} {claim.unit.value} ({claim.distance_km:.0f} km)"
        gloss = f"{figure}{direction} of {reference}"
        glosses[claim.text] = f"{gloss}\n“{claim.text}” ({who})" if who else gloss
    return glosses


def span_text(scene) -> str:
    """Return "2 Nov 2022 06:51 – 5 Nov 2022 11:32 (UTC+09:00)": the time span shown."""
    request, shown, offset = scene.request, scene.shown, scene.data.offset
    start = request.start if request.start is not None else shown["time_utc"].min()
    end = request.end if request.end is not None else shown["time_utc"].max()
    if pd.isna(start) or pd.isna(end):
        return "no incident shown"
    first, last = _local(start, offset), _local(end, offset)
    text = first if first == last else f"{first} – {last}"
    return f"{text} (UTC{offset_text(offset)})"


def caption_lines(scene, width_chars: int, *, max_incidents: int = 10) -> list[str]:
    """Return the caption: each incident drawn, with its sources by outlet, wrapped."""
    catalog, offset = scene.data.catalog, scene.data.offset
    in_view = _in_view(scene)
    ids = [i for i in scene.shown.index if i in in_view or i in scene.request.incident_ids]
    first = [i for i in scene.request.incident_ids if i in ids]
    ids = first + [i for i in ids if i not in first]
    lines = []
    for incident_id in ids[:max_incidents]:
        incident = catalog.incidents[incident_id]
        outlets = ", ".join(dict.fromkeys(s.outlet for s in incident.sources)) or "no source"
        when = _local(pd.Timestamp(incident.time), offset)
        text = f"{when} · {incident.title}. Sources: {outlets}."
        lines += textwrap.wrap(text, width_chars, subsequent_indent="   ")
    if len(ids) > max_incidents:
        lines.append(f"… and {len(ids) - max_incidents} more incidents (python -m geo export).")
    return lines


def _in_view(scene) -> set[str]:
    located = scene.locations.dropna(subset=["lon", "lat"])
    x, y = scene.frame.forward(located["lon"].to_numpy(float), located["lat"].to_numpy(float))
    f = scene.frame
    inside = (x >= f.x_min) & (x <= f.x_max) & (y >= f.y_min) & (y <= f.y_max)
    return set(located.loc[inside, "incident_id"])


def source_line(scene) -> str:
    """Return "Data: Seamark; boundaries: …; basemap: Natural Earth" and the projection."""
    catalog = scene.data.catalog
    parts = []
    for group in scene.data.groups:
        if group.label not in scene.legend:  # drawn and in view
            continue
        hosts = []
        for boundary_id in group.boundary_ids:
            meta = catalog.boundary_meta[boundary_id]
            hosts += [urlparse(s.url).netloc.removeprefix("www.") for s in meta.sources[:2]]
        parts.append(f"{group.label} ({', '.join(dict.fromkeys(hosts))})")
    boundaries = "; ".join(parts) if parts else "none drawn"
    f = scene.frame
    projection = f"transverse Mercator centred on {f.lat_0:.2f}°, {f.lon_0:.2f}°"
    return (
        f"Data: Seamark; boundaries: {boundaries}; basemap: {BASEMAP_CREDIT}. "
        f"Projection: {projection} (WGS84). Boundaries are approximate where marked."
    )


def _legend_handles(scene) -> tuple[list, list[str]]:
    handles, names = [], []
    for name, (kind, colour, extra) in scene.legend.items():
        if kind == "marker":
            handle = Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=colour,
                markeredgecolor="white",
                markersize=scene.pt(7),
            )
        elif kind == "zone":
            handle = Patch(facecolor=colour, edgecolor=extra)
        elif kind == "circle":
            handle = Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=colour,
                markeredgecolor=extra,
                markersize=scene.pt(9),
            )
        elif kind == "dashed":
            handle = Line2D([], [], color=colour, linewidth=extra, linestyle=(0, (4, 2)))
        else:
            handle = Line2D([], [], color=colour, linewidth=extra)
        handles.append(handle)
        names.append(name)
    return handles, names


def lay_out(figure, ax, scene) -> None:
    """Size the figure and add everything around and on top of the map."""
    u = scene.unit
    width_in = scene.request.width_px / scene.request.dpi
    margin = 0.3 * u
    map_w = width_in - 2 * margin
    map_h = map_w * scene.frame.aspect
    chars = int(map_w * 72 / (scene.pt(6.5) * 0.5))
    caption = caption_lines(scene, chars)
    note = font_note()
    footer = textwrap.wrap(source_line(scene), chars) + ([note] if note else [])
    handles, names = _legend_handles(scene)
    legend_rows = math.ceil(len(names) / 3)
    header_h = 0.95 * u
    legend_h = legend_rows * scene.pt(7) * 1.6 / 72 + 0.15 * u
    caption_h = (len(caption) + len(footer)) * scene.pt(6.5) * 1.5 / 72 + 0.25 * u
    height_in = header_h + map_h + legend_h + caption_h
    height_in = math.ceil(height_in * scene.request.dpi) / scene.request.dpi
    figure.set_size_inches(width_in, height_in)
    bottom = height_in - header_h - map_h
    ax.set_position((margin / width_in, bottom / height_in, map_w / width_in, map_h / height_in))
    _header(figure, scene, height_in, margin / width_in)
    _legend(figure, scene, handles, names, (margin / width_in, (bottom - 0.06 * u) / height_in))
    _footer(figure, scene, caption, footer, (bottom - legend_h) / height_in, margin / width_in)
    _scale_bar(ax, scene)
    _north_arrow(ax, scene)
    _moment_stamp(ax, scene)


def _header(figure, scene, height_in: float, left: float) -> None:
    u = scene.unit
    title = scene.request.title or _default_title(scene)
    figure.text(
        left,
        1 - 0.2 * u / height_in,
        title,
        fontsize=scene.pt(15),
        fontweight="bold",
        va="top",
        gid="title",
    )
    subtitle = f"Incidents of {span_text(scene)}"
    if scene.request.incident_ids and scene.request.start is None:
        times = [scene.data.catalog.incidents[i].time for i in scene.request.incident_ids]
        when = ", ".join(dict.fromkeys(_local(pd.Timestamp(t), scene.data.offset) for t in times))
        subtitle = f"{when} (UTC{offset_text(scene.data.offset)})"
        if len(scene.shown) > len(scene.request.incident_ids):
            subtitle += f" · faded: other incidents of {span_text(scene)}"
    if scene.request.at is not None:
        subtitle += f" · map as of {_local(scene.request.at, scene.data.offset)}"
    figure.text(
        left,
        1 - 0.62 * u / height_in,
        subtitle,
        fontsize=scene.pt(9),
        color=(0.3, 0.3, 0.3),
        va="top",
        gid="subtitle",
    )


def _default_title(scene) -> str:
    if len(scene.request.incident_ids) == 1:
        return scene.data.catalog.incidents[scene.request.incident_ids[0]].title
    return f"{len(scene.shown)} incidents" if len(scene.shown) != 1 else "1 incident"


def _legend(figure, scene, handles, names, anchor) -> None:
    if not names:
        return
    figure.legend(
        handles,
        names,
        loc="upper left",
        bbox_to_anchor=anchor,
        ncol=3,
        frameon=False,
        fontsize=scene.pt(7),
        handlelength=2.2,
        columnspacing=1.6,
        borderaxespad=0,
    )


def _footer(figure, scene, caption, footer, top: float, left: float) -> None:
    size = scene.pt(6.5)
    step = size * 1.5 / 72 / figure.get_size_inches()[1]
    y = top
    for line in caption:
        figure.text(left, y, line, fontsize=size, va="top", color=(0.15, 0.15, 0.15), gid="caption")
        y -= step
    y -= step * 0.4
    for line in footer:
        figure.text(left, y, line, fontsize=size, va="top", color=(0.4, 0.4, 0.4), gid="source")
        y -= step


def _box(ax, scene, x0, y0, x1, y1) -> None:
    patch = FancyBboxPatch(
        (x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0", fc=(1, 1, 1, 0.8), ec="none", zorder=18
    )
    ax.add_patch(patch)
    scene.obstacles.append(patch.get_window_extent())


def _scale_bar(ax, scene) -> None:
    f = scene.frame
    width, height = f.x_max - f.x_min, f.y_max - f.y_min
    x0, y0 = f.x_min + 0.04 * width, f.y_min + 0.07 * height
    bars = f.scale_bar(x0, y0)
    bar_h = 0.008 * height
    _box(
        ax,
        scene,
        x0 - 0.015 * width,
        y0 - 0.045 * height,
        x0 + max(bars["km"][1], bars["nm"][1]) + 0.07 * width,
        y0 + 0.045 * height,
    )
    for (value, length), unit, y in (
        (bars["km"], "km", y0 + bar_h),
        (bars["nm"], "nm", y0 - 2 * bar_h),
    ):
        half = length / 2
        ax.add_patch(
            Rectangle((x0, y), half, bar_h, fc="black", ec="black", lw=scene.pt(0.5), zorder=19)
        )
        ax.add_patch(
            Rectangle(
                (x0 + half, y), half, bar_h, fc="white", ec="black", lw=scene.pt(0.5), zorder=19
            )
        )
        ax.text(
            x0 + length + 0.01 * width,
            y + bar_h / 2,
            f"{value:g} {unit}",
            fontsize=scene.pt(7),
            va="center",
            zorder=19,
            gid=f"scale-{unit}",
        )
    ax.text(x0, y0 + 3 * bar_h, "0", fontsize=scene.pt(6), ha="center", va="bottom", zorder=19)


def _north_arrow(ax, scene) -> None:
    f = scene.frame
    width, height = f.x_max - f.x_min, f.y_max - f.y_min
    x, y = f.x_max - 0.05 * width, f.y_max - 0.12 * height
    angle = math.radians(f.north_angle_deg(x, y))
    length = 0.06 * height
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    _box(ax, scene, x - 0.035 * width, y - 0.045 * height, x + 0.035 * width, y + 0.1 * height)
    ax.annotate(
        "",
        xy=(x + dx / 2, y + dy / 2),
        xytext=(x - dx / 2, y - dy / 2),
        arrowprops={
            "arrowstyle": "-|>",
            "color": "black",
            "lw": scene.pt(1.2),
            "mutation_scale": scene.pt(14),
        },
        zorder=19,
    )
    ax.text(
        x + dx * 0.75,
        y + dy * 0.75,
        "N",
        fontsize=scene.pt(9),
        fontweight="bold",
        ha="center",
        va="center",
        zorder=19,
        gid="north",
    )


def _moment_stamp(ax, scene) -> None:
    if scene.request.at is None:
        return
    text = f"{_local(scene.request.at, scene.data.offset)} UTC{offset_text(scene.data.offset)}"
    box = {"boxstyle": "round,pad=0.3", "fc": (1, 1, 1, 0.85), "ec": "none"}
    stamp = ax.text(
        0.02,
        0.97,
        text,
        transform=ax.transAxes,
        fontsize=scene.pt(14),
        fontweight="bold",
        va="top",
        ha="left",
        zorder=21,
        gid="moment",
        bbox=box,
    )
    renderer = ax.figure.canvas.get_renderer()
    stamp.update_bbox_position_size(renderer)
    scene.obstacles.append(stamp.get_bbox_patch().get_window_extent(renderer))
