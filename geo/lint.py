"""Warnings that catch what a fact-check would find, and curators' acknowledgements of them.

Run by ``python -m geo validate`` after loading and solving (it needs positions). Each warning has
a short code; an incident may acknowledge one with a reason where the source itself is uncertain
(``acknowledged: [{warning: <code>, reason: "...", field: "locations[1]"}]``); acknowledged
warnings print only with ``validate --all``.

Codes
-----
precision-crosses-line
    A location's precision circle reaches across a line, although a claim or the record's own
    words ("north of the NLL") put it on one side; or the position itself is on the other side.
unrecorded-claim
    A quote or the notes state a distance or side ("26 km south of the NLL") that no claim records.
url-without-path
    A source address is a bare host: it names no page.
via-is-source
    A quote's ``via`` names the source it is printed in: ``via`` is for a second-hand chain.
published-before-incident
    A source with quotes about the incident says it was published before the incident happened
    (local dates, one day of slack).
unused-acknowledgement
    An acknowledgement that matches no warning (fixed since, or misspelt).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from urllib.parse import urlparse

import numpy as np

from geo import models
from geo.catalog import Catalog, IncidentFile
from geo.claim_parser import Proposal, propose_claims, resolve_reference
from geo.lines import PreparedLines
from geo.nearest import nearest_on_line
from geo.positions import Positions
from geo.problems import Problem, Severity

__all__ = ["WARNING_CODES", "lint_warnings", "review_problems"]

WARNING_CODES = (
    "precision-crosses-line",
    "unrecorded-claim",
    "url-without-path",
    "via-is-source",
    "published-before-incident",
    "unused-acknowledgement",
)
_SLACK = dt.timedelta(days=1)


def _warn(item: IncidentFile, path: tuple, field: str, message: str, code: str) -> Problem:
    line = item.lines.line_of(path)
    return Problem(item.path, line, item.incident.id, field, message, Severity.WARNING, code=code)


# --------------------------------------------------------------------------- sources


def _bare_host(url: str | None) -> bool:
    if not url:
        return False
    parsed = urlparse(url)
    return parsed.path in {"", "/"} and not parsed.query and not parsed.fragment


def _normal_outlet(text: str) -> str:
    return re.sub(r"^the\s+|[^\w]+", "", text.casefold().strip())


def _via_is_the_outlet(via: str, outlet: str) -> bool:
    """Return True when ``via`` names the outlet itself: "Incheon In" for "Incheon In
    (Yonhap-based)", or "KCNA, as reported by Aju Business Daily" printed in Aju Business Daily."""
    core = _normal_outlet(re.sub(r"\(.*?\)", "", outlet))
    names = {_normal_outlet(outlet), core}
    if _normal_outlet(via) in names:
        return True
    reported = re.search(r"(?:reported|quoted|carried) by (.+)$", via, flags=re.IGNORECASE)
    return bool(reported) and _normal_outlet(reported[1]) in names


def _source_warnings(item: IncidentFile) -> list[Problem]:
    incident = item.incident
    local_day = incident.time.date()
    problems = []
    for k, source in enumerate(incident.sources):
        for name in ("url", "canonical_url", "archived_url"):
            url = getattr(source, name)
            if _bare_host(url):
                problems.append(
                    _warn(
                        item,
                        ("sources", k, name),
                        f"sources[{k}].{name}",
                        f"{url} names a host, not a page: give the address of the page read",
                        "url-without-path",
                    )
                )
        for q, quote in enumerate(source.quotes):
            if quote.via and _via_is_the_outlet(quote.via, source.outlet):
                problems.append(
                    _warn(
                        item,
                        ("sources", k, "quotes", q, "via"),
                        f"sources[{k}].quotes[{q}].via",
                        f"via {quote.via!r} is the source itself ({source.outlet}); via names "
                        "who the source quotes second-hand, or is left out",
                        "via-is-source",
                    )
                )
        if source.quotes and source.published and source.published < local_day - _SLACK:
            problems.append(
                _warn(
                    item,
                    ("sources", k, "published"),
                    f"sources[{k}].published",
                    f"published {source.published.isoformat()}, before the incident "
                    f"({local_day.isoformat()}), yet it is quoted about it: check the date",
                    "published-before-incident",
                )
            )
    return problems


# --------------------------------------------------------------------------- claims in text


def _recorded(proposal: Proposal, targets: list[tuple[str, str]], claims) -> bool:
    ids = {target for _, target in targets}
    for claim in claims:
        if (claim.boundary or claim.place) not in ids:
            continue
        if proposal.distance_km is None:
            if claim.direction == proposal.direction or claim.direction is None:
                return True
        elif claim.distance_km is not None and abs(claim.distance_km - proposal.distance_km) < 0.06:
            return True
        elif claim.distance is not None and abs(claim.distance - proposal.distance) < 1e-6:
            return True  # the same figure, read in another unit ("1.5 miles": statute or nautical)
    return False


def _texts(incident: models.Incident):
    """Yield (path in the file, field name, text) for every quote, translation and the notes."""
    for k, source in enumerate(incident.sources):
        for q, quote in enumerate(source.quotes):
            base = ("sources", k, "quotes", q)
            yield (*base, "text"), f"sources[{k}].quotes[{q}]", quote.text
            if quote.translation:
                yield (*base, "translation"), f"sources[{k}].quotes[{q}]", quote.translation.text
    if incident.notes:
        yield ("notes",), "notes", incident.notes


def _unrecorded_claims(item: IncidentFile, catalog: Catalog) -> list[Problem]:
    problems, seen = [], set()
    for path, field, text in _texts(item.incident):
        for proposal in propose_claims(text, bare_directions=True):
            targets = resolve_reference(proposal.reference, catalog.places, catalog.boundary_meta)
            if not targets or _recorded(proposal, targets, item.incident.claims):
                continue
            key = (field, proposal.text)
            if key in seen:
                continue
            seen.add(key)
            names = ", ".join(target for _, target in targets)
            problems.append(
                _warn(
                    item,
                    path,
                    field,
                    f"says “{proposal.text}” ({names}), which no claim records: add the claim "
                    "(python -m geo claims --suggest drafts it), or acknowledge",
                    "unrecorded-claim",
                )
            )
    return problems


# --------------------------------------------------------------------------- sides of lines


def _nearest_line(targets: list[str], lon: float, lat: float, lines: PreparedLines) -> str:
    """Return which of several lines a name like "the NLL" means here: the nearest one."""
    if len(targets) == 1:
        return targets[0]
    distances = [
        float(nearest_on_line(lines.get(target), [lon], [lat]).distance_m[0]) for target in targets
    ]
    return targets[int(np.argmin(distances))]


def _stated_sides(item: IncidentFile, catalog: Catalog, row, lines: PreparedLines):
    """Yield (who says it, boundary id, side) for one location: its claims and its own words.

    A name shared by several lines ("the NLL": East and West) means the nearest of them. The
    location's own words (label and note) count only where no claim already states that side.
    """
    incident = item.incident
    stated = set()
    for j, claim in enumerate(incident.claims):
        if claim.location.value == row["role"] and claim.boundary and claim.direction:
            stated.add((claim.boundary, claim.direction))
            yield f"claim {j}", claim.boundary, claim.direction
    location = incident.locations[int(row["location_index"])]
    for text in (location.label or "",):  # the label describes the place; notes discuss sources
        for proposal in propose_claims(text, bare_directions=True):
            if not proposal.direction:
                continue
            targets = [
                target
                for kind, target in resolve_reference(
                    proposal.reference, catalog.places, catalog.boundary_meta
                )
                if kind == "boundary" and target in catalog.boundary_meta
            ]
            if not targets:
                continue
            target = _nearest_line(targets, row["lon"], row["lat"], lines)
            if (target, proposal.direction) not in stated:
                stated.add((target, proposal.direction))
                yield "its label", target, proposal.direction


def _line_name(catalog: Catalog, boundary_id: str, version: str | None) -> str:
    name = catalog.boundary_meta[boundary_id].short_name or boundary_id
    if version is None:
        return name
    label = catalog.boundary_version_meta[(boundary_id, version)].version_label or version
    return f"{name} ({label} version)"


def _crossings(item: IncidentFile, positions: Positions, lines: PreparedLines) -> list[Problem]:
    catalog = positions.catalog
    located = positions.locations()
    mine = located[located["incident_id"] == item.incident.id]
    problems = []
    for _, row in mine.iterrows():
        if not np.isfinite(row["lon"]):
            continue
        index = int(row["location_index"])
        precision = float(row["precision_km"])
        stated: dict[tuple[str, str], list[str]] = {}
        for who, boundary_id, side in _stated_sides(item, catalog, row, lines):
            stated.setdefault((boundary_id, side), []).append(who)
        for (boundary_id, side), whos in stated.items():
            meta = catalog.boundary_meta.get(boundary_id)
            if meta is None or side not in {meta.side_left, meta.side_right}:
                continue
            other = meta.side_right if side == meta.side_left else meta.side_left
            worst = None
            for version in lines.versions(boundary_id):
                result = nearest_on_line(
                    lines.get(boundary_id, version), [row["lon"]], [row["lat"]]
                )
                distance = float(result.distance_m[0]) / 1000.0
                measured = meta.side_left if result.side[0] > 0 else meta.side_right
                line_name = _line_name(catalog, boundary_id, version)
                if measured != side:
                    across = distance + precision
                    text = f"position lies {distance:.1f} km {measured} of {line_name}"
                elif precision > distance:
                    across = precision - distance
                    text = (
                        f"precision circle ({precision:g} km) reaches {across:.1f} km {other} "
                        f"of {line_name}"
                    )
                else:
                    continue
                if worst is None or across > worst[0]:
                    worst = (across, text)
            if worst is not None:
                says = " and ".join(whos) + (" say " if len(whos) > 1 else " says ") + side
                problems.append(
                    _warn(
                        item,
                        ("locations", index),
                        f"locations[{index}]",
                        f"{worst[1]}, but {says}",
                        "precision-crosses-line",
                    )
                )
    return problems


# --------------------------------------------------------------------------- together


def lint_warnings(positions: Positions) -> list[Problem]:
    """Return the fact-check warnings of every valid incident (see the module's codes).

    Parameters
    ----------
    positions : Positions
        From :func:`geo.positions.solve_positions`; distances to lines are geodesic (km).
    """
    catalog = positions.catalog
    problems: list[Problem] = []
    for item in catalog.files.values():
        problems += _source_warnings(item)
        problems += _unrecorded_claims(item, catalog)
        problems += _crossings(item, positions, positions.lines)
    return problems


def _acknowledge(problems: list[Problem], catalog: Catalog) -> list[Problem]:
    """Mark warnings their incident acknowledges; report acknowledgements that match none."""
    out, used = [], set()
    for problem in problems:
        item = catalog.files.get(problem.record)
        reason = None
        if problem.severity is Severity.WARNING and item is not None and problem.code:
            for k, ack in enumerate(item.incident.acknowledged):
                field_matches = ack.field is None or problem.field.startswith(ack.field)
                if ack.warning == problem.code and field_matches:
                    reason = ack.reason
                    used.add((item.incident.id, k))
                    break
        out.append(replace(problem, acknowledged=reason) if reason else problem)
    for item in catalog.files.values():
        for k, ack in enumerate(item.incident.acknowledged):
            if (item.incident.id, k) not in used:
                out.append(
                    _warn(
                        item,
                        ("acknowledged", k),
                        f"acknowledged[{k}]",
                        f"acknowledges {ack.warning!r}"
                        + (f" on {ack.field}" if ack.field else "")
                        + ", but no such warning fires: remove it",
                        "unused-acknowledgement",
                    )
                )
    return out


def review_problems(positions: Positions) -> list[Problem]:
    """Return every problem of loading, solving and the fact-check warnings, acknowledgements
    applied (``Problem.acknowledged`` holds the reason), in file order."""
    problems = [*positions.all_problems, *lint_warnings(positions)]
    problems = _acknowledge(problems, positions.catalog)
    return sorted(problems, key=lambda p: (p.path, p.line, p.field))
