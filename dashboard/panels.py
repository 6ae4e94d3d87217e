"""The detail panel: what the sources said beside what the geometry says.

Quotes are shown with ``st.text`` (no Markdown, no HTML: verbatim, visible, never collapsed);
other data text goes through :func:`escape_markdown`. Links are http(s) only (validated on load).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.dataset import CATEGORY_LABELS, Dataset
from dashboard.text import (
    escape_markdown,
    format_distance,
    format_duration,
    format_time,
    line_phrase,
    place_phrase,
)
from geo import models

__all__ = ["detail_panel", "verdict_phrase"]

NEARBY_LINE_KM = 500.0  # lines farther than this are not spelled out in the panel


def _header(incident: models.Incident) -> None:
    st.markdown(f"### {escape_markdown(incident.title)}")
    category = CATEGORY_LABELS.get(incident.category.value, incident.category.value)
    st.caption(escape_markdown(f"{category} · {incident.actor} · {incident.status.value}"))
    when = format_time(incident.time, precision=incident.time_precision.value)
    utc = format_time(incident.time.astimezone(dt.UTC), precision=incident.time_precision.value)
    line = (
        f"{when} ({utc.replace('UTC+00:00', 'UTC')}), exact to the {incident.time_precision.value}"
    )
    if incident.time_end is not None:
        end = format_time(incident.time_end, precision=incident.time_precision.value)
        line += f"; until {end}"
    st.markdown(escape_markdown(line))
    if incident.summary:
        st.text(incident.summary)


def _measurements(dataset: Dataset, incident: models.Incident) -> None:
    rows = dataset.locations[dataset.locations["incident_id"] == incident.id]
    names = {b: m.short_name or m.name for b, m in dataset.catalog.boundary_meta.items()}
    lines = [t.id for t in dataset.context.lines]
    st.markdown("**Where, and what the geometry says**")
    if rows.empty:
        st.markdown(
            "No position: this incident is not a place on the map (a declaration, a decision). "
            "It is listed in the feed and the table."
        )
    for _, row in rows.iterrows():
        location = incident.locations[int(row["location_index"])]
        where = f"{row['role'].replace('_', ' ').capitalize()}"
        if location.label:
            where += f" ({location.label})"
        coords = (
            "position to be solved from claims"
            if pd.isna(row["lat"])
            else (f"{row['lat']:.4f}°, {row['lon']:.4f}° ± {row['precision_km']:g} km")
        )
        st.markdown(escape_markdown(f"{where}: {coords}"))
        facts = [
            line_phrase(row, b, names[b]) + _versions_phrase(dataset, b, row)
            for b in lines
            if row[f"{b}_km"] <= NEARBY_LINE_KM
        ]
        facts.append(place_phrase(row))
        facts.append(_sea_phrase(row))
        facts += [f"inside {dataset.catalog.boundary_meta[z].name}" for z in _zones(row)]
        if location.derived or location.solve_from_claims:
            facts.append(f"derived position: {location.note}")
        elif location.note:
            facts.append(f"note: {location.note}")
        st.markdown("\n".join(f"- {escape_markdown(f)}" for f in facts if f))


def _versions_phrase(dataset: Dataset, boundary_id: str, row: pd.Series) -> str:
    """Return "; by version: 29.0 km (38°37′N), 32.3 km (38°38.7′N)" for a line with several."""
    if f"{boundary_id}_km_min" not in row or pd.isna(row["lat"]):
        return ""
    found = dataset.positions.lines.version_distances(boundary_id, row["lon"], row["lat"])
    return "; by version of the line: " + ", ".join(
        f"{format_distance(v.distance_km)} {v.side} ({v.label})" for v in found
    )


def _claimed_versus_versions(dataset: Dataset, incident: models.Incident, claim) -> str | None:
    """Return "26 km claimed; 29.0 km (38°37′N version) to 32.3 km (38°38.7′N version) from
    the located impact" for a distance claim about a line with several versions."""
    if claim.boundary is None or claim.distance_km is None:
        return None
    versions = dataset.positions.lines.versions(claim.boundary)
    rows = dataset.locations[
        (dataset.locations["incident_id"] == incident.id)
        & (dataset.locations["role"] == claim.location.value)
    ]
    if len(versions) < 2 or len(rows) != 1 or pd.isna(rows["lat"].iloc[0]):
        return None
    row = rows.iloc[0]
    found = dataset.positions.lines.version_distances(claim.boundary, row["lon"], row["lat"])
    low, high = min(found, key=lambda v: v.distance_km), max(found, key=lambda v: v.distance_km)
    return (
        f"{claim.distance_km:g} km claimed; {format_distance(low.distance_km)} ({low.label} "
        f"version) to {format_distance(high.distance_km)} ({high.label} version) from the "
        f"{row['role'].replace('_', ' ')} as located"
    )


def _zones(row: pd.Series) -> list[str]:
    zones = row.get("zones")
    return [z for z in zones.split(",") if z] if isinstance(zones, str) else []


def _sea_phrase(row: pd.Series) -> str:
    if not isinstance(row.get("coast_state"), str):
        return ""
    if row["on_land"] is True:
        return f"on land ({row['coast_state']}), {row['coast_km']:.1f} km from the coast"
    if row["territorial_sea"]:
        return (
            f"in the territorial sea of {row['territorial_sea']} (approximate: "
            f"{row['territorial_sea_breadth_nm']:g} nm from the 1:10m coastline)"
        )
    return (
        f"outside any territorial sea: {row['coast_km']:.0f} km from the nearest coast "
        f"({row['coast_state']}; approximate)"
    )


def verdict_phrase(check: pd.Series) -> str:
    """Return "agrees within 19.7 km" / "disagrees by 41 km" / "unverifiable: why"."""
    if check["verdict"] == "unverifiable":
        return f"unverifiable: {check['basis']}"
    if check["unit"] == "side":
        return f"{check['verdict']}: measured {check['computed']} of the line"
    unit = "°" if check["unit"] == "deg" else " km"
    size = abs(check["difference"])
    if check["verdict"] == "agrees":
        return f"agrees within {check['tolerance']:g}{unit} (off by {size:g}{unit})"
    return f"disagrees by {size:g}{unit} (tolerance {check['tolerance']:g}{unit})"


def _claims(dataset: Dataset, incident: models.Incident) -> None:
    if not incident.claims:
        return
    st.markdown("**Claims, checked against the geometry**")
    checks = dataset.checks[dataset.checks["incident_id"] == incident.id]
    outlets = {s.id: s.outlet for s in incident.sources}
    for index, claim in enumerate(incident.claims):
        reference = claim.boundary or claim.place
        st.text(f"“{claim.text}” ({outlets.get(claim.source, claim.source)})")
        lines = []
        spread = _claimed_versus_versions(dataset, incident, claim)
        if spread:
            lines.append(spread)
        for _, check in checks[checks["claim"] == index].iterrows():
            stated = f"{check['kind']} {check['stated']} of {reference}"
            if isinstance(check.get("version"), str):
                stated += f" ({_version_label(dataset, reference, check['version'])} version)"
            computed = f", measured {check['computed']}" if check["computed"] else ""
            lines.append(f"{stated}{computed}: {verdict_phrase(check)}")
        mine = checks[checks["claim"] == index]
        if mine["version"].notna().any() and isinstance(mine["holds_under"].iloc[0], str):
            lines.append(
                f"the claim holds under {mine['holds_under'].iloc[0]} of the line's versions"
            )
        if lines and len(mine):
            lines.append(f"judged against: {mine['basis'].iloc[0]}")
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))


def _version_label(dataset: Dataset, boundary_id: str, version: str) -> str:
    meta = dataset.catalog.boundary_version_meta.get((boundary_id, version))
    return (meta.version_label if meta else None) or version


def _figures(incident: models.Incident) -> None:
    if not incident.figures:
        return
    st.markdown("**Reported figures, side by side**")
    outlets = {s.id: s.outlet for s in incident.sources}
    table = pd.DataFrame(
        {
            "quantity": [f.quantity for f in incident.figures],
            "value": [f"{f.value}{' ' + f.unit if f.unit else ''}" for f in incident.figures],
            "source": [outlets.get(f.source, f.source) for f in incident.figures],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _sources(incident: models.Incident) -> None:
    st.markdown("**What the sources said**")
    for source in incident.sources:
        with st.container(border=True):
            meta = [
                source.outlet,
                source.published.isoformat() if source.published else "date unknown",
            ]
            if source.author:
                meta.append(source.author)
            st.markdown(f"**{escape_markdown(' · '.join(meta))}**")
            if source.title:
                st.caption(escape_markdown(source.title))
            for quote in source.quotes:
                st.text(f"“{quote.text}”")
                who = quote.speaker + (f", {quote.speaker_role}" if quote.speaker_role else "")
                if quote.via:
                    who += f" (via {quote.via})"
                st.caption(escape_markdown(f"— {who}"))
                if quote.translation:
                    st.text(f"“{quote.translation.text}”")
                    st.caption(escape_markdown(f"Translation by {quote.translation.translated_by}"))
            st.link_button("Open source ↗", source.url)
            if source.archived_url:
                st.link_button("Archived copy ↗", source.archived_url)


_INVERSE = {
    "part_of": "includes",
    "triggered": "triggered by",
    "response_to": "answered by",
    "follows": "followed by",
    "same_case": "same case as",
}


def _related(dataset: Dataset, incident: models.Incident, select: Callable[[str], None]) -> None:
    links = [(r.relation.value.replace("_", " "), r.id) for r in incident.related]
    for other in dataset.catalog.incidents.values():  # links that point here, read backwards
        links += [
            (_INVERSE[r.relation.value], other.id) for r in other.related if r.id == incident.id
        ]
    if not links:
        return
    st.markdown("**Related incidents**")
    for index, (relation, other_id) in enumerate(links):
        other = dataset.catalog.incidents.get(other_id)
        if other is None:
            st.caption(escape_markdown(f"{relation}: {other_id} (not loaded)"))
            continue
        gap = format_duration(other.time - incident.time)
        st.button(
            escape_markdown(f"{relation} → {other.title} ({gap})"),
            key=f"related-{incident.id}-{index}",
            on_click=select,
            args=(other.id,),
        )


def detail_panel(dataset: Dataset, incident_id: str, select: Callable[[str], None]) -> None:
    """Draw the detail panel of one incident; ``select`` switches to another incident."""
    incident = dataset.catalog.incidents[incident_id]
    if incident.status is models.Status.DRAFT:
        st.warning(
            "DRAFT: made from an article by `geo draft` and not yet checked by a curator. "
            "Every value below is a suggestion."
        )
    _header(incident)
    _measurements(dataset, incident)
    _claims(dataset, incident)
    _figures(incident)
    _sources(incident)
    _related(dataset, incident, select)
    if incident.notes:
        st.markdown("**Curator's notes**")
        st.text(incident.notes)
