"""Assemble draft incidents from what the other modules found, and write them as YAML.

Every suggested value carries a comment saying where it came from ("L9" is line 9 of the input
file). A draft is a valid incident file with ``status: draft``; what could not be placed in a
valid field (claims without a location, names not in the gazetteer, a speaker not found) is left
in comments for the curator, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from geo import models
from geo.claim_parser import Proposal, propose_claims, resolve_reference
from geo.draft.events import Event, split_events, split_sentences
from geo.draft.extract import Article, DraftError
from geo.draft.figures import find_figures
from geo.draft.places import (
    find_boundaries,
    find_places,
    nearest_boundary,
    unknown_place_names,
)
from geo.draft.quotes import Quotation, attribute_quotes, find_quotations
from geo.draft.times import TimeMention, day_for_clock, find_times, local_time

__all__ = ["Draft", "DraftSet", "compose_drafts", "draft_yaml"]

_ROLE_BY_CATEGORY = {
    "air_raid_alert": "alert_area",
    "missile_launch": "impact",
    "artillery_fire": "impact",
    "military_response": "target_area",
}
_PRECISION_RANK = {"minute": 0, "hour": 1, "day": 2, "month": 3, "year": 4}
_LAUNCH_WORDS = re.compile(
    r"\b(?:from|launched from|fired from)\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.I
)
_IMPACT_WORDS = re.compile(
    r"\b(?:toward|towards|near|off|into|landed|fell|hit|struck|at)\s+(?:the\s+)?(?:\w+\s+){0,3}$",
    re.I,
)


@dataclass
class Draft:
    """One draft incident: its data (valid as an incident) and the comments that explain it."""

    data: dict[str, Any]
    comments: dict[tuple, list[str]] = field(default_factory=dict)
    footer: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the draft's incident id."""
        return self.data["id"]

    def note(self, path: tuple, text: str) -> None:
        """Attach a comment line to the YAML key or list item at ``path``."""
        self.comments.setdefault(path, []).append(_printable(text))


@dataclass
class DraftSet:
    """The drafts of one article, with counts for the summary line."""

    article: Article
    drafts: list[Draft]
    quotes: list[Quotation]
    unclosed: int = 0

    def summary(self) -> str:
        """Return a one-line summary: drafts, quotes, speakers found, places."""
        unknown = sum(q.speaker == "unknown" for q in self.quotes)
        places = {loc.get("place") for d in self.drafts for loc in d.data.get("locations", [])} - {
            None
        }
        return (
            f"{len(self.drafts)} draft{'s' * (len(self.drafts) != 1)}: {len(self.quotes)} quotes "
            f"({unknown} without a speaker), {len(places)} gazetteer places; check every value"
        )


# --------------------------------------------------------------------------- helpers


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:limit].rstrip("-") or "article"


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _language(article: Article) -> tuple[str, str]:
    if article.language:
        return article.language, article.origin("language")
    letters = [ch for ch in article.text if ch.isalpha()]
    hangul = sum("가" <= ch <= "힣" for ch in letters)
    cyrillic = sum("а" <= ch.lower() <= "я" or ch in "іїєґІЇЄҐ" for ch in letters)
    if letters and hangul / len(letters) > 0.3:
        return "ko", "the text's script (Hangul); --language sets it"
    if letters and cyrillic / len(letters) > 0.3:
        code = "uk" if re.search(r"[іїєґ]", article.text, re.I) else "ru"
        return code, "the text's script (Cyrillic); --language sets it"
    return "en", "the text's script (Latin): English unless --language says otherwise"


def _zone(places: Iterable[str], catalog) -> tuple[str, str]:
    for place_id in places:
        place = catalog.places.get(place_id)
        if place is not None and place.timezone:
            return place.timezone, f"the zone of {place.name}"
    if catalog.settings.timezone:
        return catalog.settings.timezone, "the data's default zone (dataset.yaml)"
    return "UTC", "no zone known (no place with a timezone, no dataset.yaml): UTC"


def _is_dateline(text: str, mention) -> bool:
    """Return True for "ODESA, May 3 (Wire) -": a capitalised place opening a paragraph."""
    line_start = text.rfind("\n", 0, mention.offset) + 1
    return (
        not text[line_start : mention.offset].strip()
        and mention.phrase.isupper()
        and text[mention.end : mention.end + 1] == ","
    )


def _printable(text: str) -> str:
    """Return ``text`` on one line with characters YAML forbids (even in comments) escaped."""
    text = " ".join(str(text).split())
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _text_of(article: Article, sentence) -> str:
    return article.text[sentence.start : sentence.end]


def _flow(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=True, width=1000).strip()


def _owned(items, event: Event, events: list[Event]):
    return [item for item in items if event.owns(item.offset, events)]


# --------------------------------------------------------------------------- time


def _inside(offset: int, quotations) -> bool:
    return any(q.open_mark < offset < q.close_mark for q in quotations)


def _background_year(mention: TimeMention, published) -> bool:
    """Return True for "since 2018" / "2018년 … 이후" in a story published in another year.

    A year or month alone that is not the story's is background, not the time of the event.
    """
    return (
        mention.precision in {"year", "month"}
        and published is not None
        and mention.date.year != published.year
    )


def _event_time(
    draft: Draft, event_mentions: list[TimeMention], found, article, first_offset: int,
    zone: tuple[str, str],
) -> None:  # fmt: skip
    """Set time and time_precision: the event's own phrases outside quotations first.

    A quotation's clock time counts (a witness's "8:55 a.m."), its dates do not (a speaker's
    "on Monday" is often the future). Without any, the nearest phrase before the event stands in.
    """
    quotations = found["quotations"]
    outside = [m for m in found["times"] if not _inside(m.offset, quotations)]
    dated = [m for m in outside if m.date is not None]
    own = [m for m in event_mentions if not _inside(m.offset, quotations)]
    own_clocks = [m for m in own if m.clock is not None] or [
        m for m in event_mentions if m.clock is not None
    ]
    own_dates = sorted(
        (m for m in own if m.date is not None and not _background_year(m, article.published)),
        key=lambda m: (_PRECISION_RANK[m.precision], m.offset),
    )
    stand_in = ""
    if not own_clocks and not own_dates:
        before = [m for m in outside if m.offset <= first_offset and (m.date or m.clock)]
        if before and before[-1].clock is not None:
            own_clocks = before[-1:]
        elif before:
            own_dates = before[-1:]
        stand_in = "; CHECK: the nearest time before this event, not one stated for it"
    zone_name, zone_how = zone
    if own_clocks:
        clock = own_clocks[0]
        days = [m for m in dated if m.precision == "day"]
        day_mention, day_how = day_for_clock(article.text, clock, days, article.published)
        if day_mention is None and own_dates:
            day_mention, day_how = own_dates[0], "the event's own date"
        day = day_mention.date if day_mention else article.published
        if day is None:
            raise DraftError("a time of day with no date to go with it; give --published")
        moment = local_time(day, clock.clock, zone_name, utc=clock.utc)
        precision = clock.precision
        where = f"L{article.line_of(clock.offset)}: “{clock.phrase}” ({clock.how})"
        if day_mention:
            where += (
                f"; date from L{article.line_of(day_mention.offset)} “{day_mention.phrase}”"
                f" = {day} ({day_mention.how}; {day_how})"
            )
        else:
            where += f"; date: the publication date {day} (no date in the text before it)"
    elif own_dates or dated:
        mention = (own_dates or dated)[0]
        if not own_dates:
            stand_in = "; CHECK: the article's first date, not one stated for this event"
        moment = local_time(mention.date, None, zone_name)
        precision = mention.precision
        where = (
            f"L{article.line_of(mention.offset)}: “{mention.phrase}” = {mention.date}"
            f" ({mention.how})"
        )
    elif article.published is not None:
        moment = local_time(article.published, None, zone_name)
        precision = "day"
        where = f"CHECK: no date in the text; the publication date {article.published} stands in"
    else:
        raise DraftError("the article states no date the drafter can read; give --published")
    where += stand_in
    draft.data["time"] = moment.isoformat()
    draft.data["time_precision"] = precision
    draft.note(("time",), f"{where}; offset of {zone_name}: {zone_how}")
    draft.note(("time_precision",), f"{precision}: as exact as the phrase states it")


# --------------------------------------------------------------------------- places and claims


def _role(category: str, text: str, offset: int) -> str:
    before = text[max(0, offset - 40) : offset]
    if category in {"missile_launch", "artillery_fire"}:
        if _LAUNCH_WORDS.search(before):
            return "launch"
        if _IMPACT_WORDS.search(before):
            return "impact"
        return "site"
    return "alert_area" if category == "air_raid_alert" else "site"


def _claim_from(proposal: Proposal, targets, role: str, source_id: str, boundaries) -> dict | None:
    """Return the claim a proposal makes, or None when the data cannot hold it.

    A direction from a line must be one of its sides ("west of" a line with sides north and
    south is not a position claim).
    """
    kind, ref = targets[0]
    meta = boundaries.get(ref) if kind == "boundary" else None
    if meta is not None and proposal.direction not in {None, meta.side_left, meta.side_right}:
        return None
    claim: dict[str, Any] = {"location": role, "source": source_id, "text": proposal.text}
    if proposal.distance_km is not None:
        claim["distance_km"] = proposal.distance_km
        if proposal.unit is not models.DistanceUnit.KM:
            claim |= {"distance": proposal.distance, "unit": proposal.unit.value}
    if proposal.direction:
        claim["direction"] = proposal.direction
    claim[kind] = ref
    if proposal.note:
        claim["note"] = proposal.note
    try:
        models.Claim.model_validate(claim)
    except ValueError:
        return None
    return claim


def _same_claim(a: dict, b: dict) -> bool:
    keys = ("location", "boundary", "place", "direction", "distance_km")
    return all(a.get(k) == b.get(k) for k in keys)


def _resolve_targets(proposal: Proposal, catalog, anchor: tuple[float, float] | None):
    targets = resolve_reference(proposal.reference, catalog.places, catalog.boundary_meta)
    boundaries = tuple(ref for kind, ref in targets if kind == "boundary")
    note = None
    if len(boundaries) > 1 and anchor is not None:
        chosen, distance_km = nearest_boundary(boundaries, anchor[0], anchor[1], catalog)
        note = (
            f"“{proposal.reference}” fits {', '.join(boundaries)}: {chosen} is nearest to the "
            f"article's places ({distance_km:.0f} km)"
        )
        targets = [("boundary", chosen)]
    elif len(targets) > 1:
        note = f"“{proposal.reference}” fits {', '.join(r for _, r in targets)}: the first is used"
    return targets, note


def _anchor(place_ids: Iterable[str], catalog) -> tuple[float, float] | None:
    points = [
        (catalog.places[p].lon, catalog.places[p].lat) for p in place_ids if p in catalog.places
    ]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _locations_and_claims(draft, event, events, found, catalog, article, source_id, anchor):
    text = article.text
    category = event.category
    claims, claim_notes, reference_spans = [], [], []
    for offset, proposal in found["claims"]:
        targets, note = _resolve_targets(proposal, catalog, anchor)
        line = article.line_of(offset)
        if not targets:
            claim_notes.append(
                f"L{line}: “{proposal.text}”: “{proposal.reference}” is not in the gazetteer"
                " or the boundaries"
            )
            continue
        role = _ROLE_BY_CATEGORY.get(category, "site")
        claim = _claim_from(proposal, targets, role, source_id, catalog.boundary_meta)
        if claim is None:
            claim_notes.append(
                f"L{line}: “{proposal.text}”: not a claim the data can hold"
                f" ({proposal.direction} of {targets[0][1]})"
            )
            continue
        reference_spans.append((offset, offset + len(proposal.text)))
        if any(_same_claim(claim, kept) for _, kept, _ in claims):
            continue  # the same phrase again ("대청도 동방 11.3km" in the lead and a timeline)
        claims.append((line, claim, note))
    locations, seen = [], set()
    for mention in _owned(found["places"], event, events):
        if mention.place_id in seen or any(a <= mention.offset < b for a, b in reference_spans):
            continue
        if _is_dateline(text, mention):
            draft.footer.append(
                f"L{article.line_of(mention.offset)}: “{mention.phrase}” is the dateline (where "
                "the story was filed), not taken as a location"
            )
            continue
        seen.add(mention.place_id)
        place = catalog.places[mention.place_id]
        role = _role(category, text, mention.offset)
        locations.append(
            (
                {
                    "role": role,
                    "place": place.id,
                    "precision_km": max(place.radius_km, place.precision_km),
                },
                f"L{article.line_of(mention.offset)}: “{mention.phrase}” = {place.name}; "
                f"role {role} from the words before it; precision: the place's extent",
            )
        )
    _attach_claims(draft, locations, claims, claim_notes, catalog, category)


def _yield_role(draft: Draft, locations: list, role: str) -> None:
    """Give up ``role`` for the solved location: the claims place it better than a named place.

    A named place holding the role becomes a ``site``; when the role is ``site`` itself, the place
    cannot keep a location (a claim must describe exactly one location of its role) and is left
    in a comment for the curator.
    """
    kept = []
    for loc, note in locations:
        if loc["role"] != role:
            kept.append((loc, note))
        elif role != "site":
            kept.append(({**loc, "role": "site"}, f"{note}; a site: the claims place the {role}"))
        else:
            draft.footer.append(
                f"{note}; not kept as a location: the claims place the site, and a claim must "
                "describe exactly one location of its role"
            )
    locations[:] = kept


def _attach_claims(draft, locations, claims, claim_notes, catalog, category) -> None:
    from geo.claim_solver import solve_position

    role = _ROLE_BY_CATEGORY.get(category, "site")
    kept = []
    if claims:
        holders = [loc for loc, _ in locations if loc["role"] == role]
        models_ = [models.Claim.model_validate(c) for _, c, _ in claims]
        solution = solve_position(models_, list(range(len(models_))), catalog)
        if solution:  # an Unsolved result is falsy: the claims do not fix a point
            _yield_role(draft, locations, role)
            holders = []
        if len(holders) == 1:
            kept = claims
        elif not holders and solution:
            locations.append(
                (
                    {
                        "role": role,
                        "solve_from_claims": True,
                        "precision_km": round(max(solution.sigma_major_km, 1.0), 1),
                        "note": "solved from the claims of this draft (geo draft)",
                    },
                    f"solved from {len(claims)} claims: {solution.lat:.3f} N, "
                    f"{solution.lon:.3f} E, "
                    f"1-sigma {solution.sigma_major_km:.1f} x {solution.sigma_minor_km:.1f} km",
                )
            )
            kept = claims
        else:
            why = (
                "no single location with role " + role
                if holders
                else getattr(solution, "reason", "too few to solve a position")
            )
            for line, claim, _ in claims:
                draft.footer.append(f"claim from L{line} not recorded ({why}): {_flow(claim)}")
    draft.data["locations"] = [loc for loc, _ in locations]
    for index, (_, comment) in enumerate(locations):
        draft.note(("locations", index), comment)
    if not locations:
        draft.note(("locations",), "CHECK: no gazetteer place found for this event: add a location")
    if kept:
        draft.data["claims"] = [claim for _, claim, _ in kept]
        for index, (line, _, note) in enumerate(kept):
            draft.note(
                ("claims", index),
                f"L{line}: found by the claim parser" + (f"; {note}" if note else ""),
            )
    draft.footer.extend(claim_notes)


# --------------------------------------------------------------------------- quotes and figures


def _quote(quotation: Quotation, language: str) -> dict[str, Any]:
    quote: dict[str, Any] = {"text": quotation.text, "speaker": quotation.speaker}
    if quotation.speaker_role:
        quote["speaker_role"] = quotation.speaker_role
    if quotation.via:
        quote["via"] = quotation.via
    quote["language"] = language
    return quote


def _quote_comments(quotation: Quotation, article: Article) -> list[str]:
    line = article.line_of(quotation.open_mark)
    end_line = article.line_of(quotation.close_mark)
    where = f"L{line}" + (f"-{end_line}" if end_line != line else "")
    if quotation.spans_paragraphs:
        where += " (spans paragraphs: each re-opening mark is part of the text)"
    lines = [f"{where}: “{_clip(quotation.text, 70)}”"]
    if quotation.how in {"stated", "coreference", "continued"} and quotation.evidence:
        lines.append(
            f"speaker from L{article.line_of(quotation.evidence_offset)}: "
            f"“{_clip(quotation.evidence, 90)}”"
        )
    if quotation.note:
        lines.append(quotation.note)
    if quotation.nested:
        lines.append("quotes within it: " + ", ".join(quotation.nested))
    if quotation.speaker == "unknown":
        lines.append(
            "CHECK: the article does not say who said this; name the speaker from another "
            "source or leave 'unknown'"
        )
    return lines


def _figure(mention, source_id: str, article: Article) -> tuple[dict[str, Any], str]:
    unit = mention.unit or ""
    if unit in {"USD", "EUR", "GBP"}:
        quantity = "sum"
    elif unit in {"minute", "minutes", "hour", "hours", "second", "seconds"}:
        quantity = "duration"
    elif unit == "mm calibre":
        quantity, unit = "calibre", "mm"
    else:
        quantity = f"number of {unit}"
    figure = {"quantity": quantity, "value": mention.value, "source": source_id}
    if mention.qualifier != "exact":
        figure["qualifier"] = mention.qualifier
    if unit:
        figure["unit"] = unit
    figure["note"] = f"as printed: “{mention.phrase}”"
    return figure, f"L{article.line_of(mention.offset)}: “{mention.phrase}”"


# --------------------------------------------------------------------------- assembly

_CATEGORY_WORDS = {
    "missile_launch": "missile launch",
    "artillery_fire": "artillery fire",
    "air_raid_alert": "air-raid alert",
    "military_response": "military response",
    "incursion": "incursion",
    "naval_clash": "naval clash",
    "sanctions": "sanctions",
    "other": "event",
}


def _source(article: Article, language: tuple[str, str], outlet: str) -> tuple[dict, dict]:
    published = article.published.isoformat() if article.published else "unknown"
    source = {
        "id": _slug(f"{outlet} {published}", 80),
        "outlet": outlet,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": language[0],
        "quotes": [],
    }
    source = {k: v for k, v in source.items() if v is not None}
    comments = {
        "outlet": f"from {article.origin('outlet')}",
        "url": f"from {article.origin('url')}",
        "language": f"from {language[1]}",
    }
    if article.published:
        comments["published"] = f"from {article.origin('published')}"
    if article.title:
        comments["title"] = (
            "from the page's metadata" if article.kind == "html" else "L1: the first line"
        )
    return source, comments


def _title(event: Event, article: Article, index: int, place_names: list[str]) -> tuple[str, str]:
    text = article.text
    if index == 0 and article.title:
        return article.title, "the article's title"
    sentence = event.defining
    label = _CATEGORY_WORDS[event.category].capitalize()
    where = place_names[0] if place_names else (event.actor or "")
    if sentence is not None and text[sentence.start : sentence.start + 1] not in '“"‘«「':
        return _clip(
            text[sentence.start : sentence.end], 120
        ), f"L{article.line_of(sentence.start)}: the sentence that reports it"
    return f"{label}{' — ' + where if where else ''}", "made from the category and place"


def _found(article: Article, catalog, outlet: str) -> dict[str, Any]:
    text = article.text
    quotations, unclosed = find_quotations(text)
    quotations = attribute_quotes(text, quotations, outlet=outlet)
    places = find_places(text, catalog.places)
    boundaries = find_boundaries(text, catalog.boundary_meta)
    claims = []
    for match_offset, proposal in _proposals(text):
        claims.append((match_offset, proposal))
    known = [(m.offset, m.end) for m in places + boundaries]
    return {
        "quotations": quotations,
        "unclosed": unclosed,
        "places": places,
        "boundaries": boundaries,
        "unknown": unknown_place_names(text, known),
        "claims": claims,
        "times": find_times(text, published=article.published, language=article.language),
        "figures": find_figures(text),
    }


def _proposals(text: str) -> list[tuple[int, Proposal]]:
    """Return the claim parser's proposals with their offsets in ``text``."""
    found, cursor = [], 0
    for proposal in propose_claims(text, bare_directions=True):
        offset = text.find(proposal.text, cursor)
        if offset < 0:
            offset = text.find(proposal.text)
        found.append((offset, proposal))
        cursor = max(cursor, offset)
    return found


def _draft_one(index, event, events, found, catalog, article, language, outlet, ids) -> Draft:
    draft = Draft(data={})
    place_ids = [m.place_id for m in _owned(found["places"], event, events)]
    names = [catalog.places[p].name for p in dict.fromkeys(place_ids)]
    title, title_how = _title(event, article, index, names)
    first = event.sentences[0].start if event.sentences else 0
    draft.data["id"] = ids[index]
    draft.data["title"] = title
    draft.note(("title",), title_how)
    draft.data["category"] = event.category
    if event.defining is not None:
        at = event.defining.matches.get(event.category, event.defining.start)
        draft.note(
            ("category",),
            f"L{article.line_of(at)}: {_clip(_text_of(article, event.defining))}",
        )
    draft.data["actor"] = event.actor or "unknown"
    draft.note(
        ("actor",),
        "the subject of that sentence"
        if event.actor
        else "CHECK: the article does not say who acted",
    )
    mentions = _owned(found["times"], event, events)
    zone = _zone(place_ids, catalog)
    _event_time(draft, mentions, found, article, first, zone)
    draft.data["status"] = "draft"
    draft.note(("status",), "set confirmed, unconfirmed or disputed once every value is checked")
    source, source_comments = _source(article, language, outlet)
    anchor = _anchor(place_ids, catalog) or _anchor([m.place_id for m in found["places"]], catalog)
    claim_items = [_Claimed(offset, proposal) for offset, proposal in found["claims"]]
    owned_claims = [(c.offset, c.proposal) for c in _owned(claim_items, event, events)]
    _locations_and_claims(
        draft, event, events, {"claims": owned_claims, "places": found["places"]},
        catalog, article, source["id"], anchor,
    )  # fmt: skip
    figures = [_figure(m, source["id"], article) for m in _owned(found["figures"], event, events)]
    if figures:
        draft.data["figures"] = [f for f, _ in figures]
        for i, (_, comment) in enumerate(figures):
            draft.note(("figures", i), comment)
    quotes = _owned(found["quotations"], event, events)
    source["quotes"] = [_quote(q, language[0]) for q in quotes]
    draft.data["sources"] = [source]
    for key, comment in source_comments.items():
        draft.note(("sources", 0, key), comment)
    for i, quotation in enumerate(quotes):
        for line in _quote_comments(quotation, article):
            draft.note(("sources", 0, "quotes", i), line)
    if not quotes:
        del source["quotes"]
    related = [{"id": ids[target], "relation": kind} for kind, target, _ in event.relations]
    if related:
        draft.data["related"] = related
        for i, (_, _, offset) in enumerate(event.relations):
            draft.note(("related", i), f"L{article.line_of(offset)}: the article says so")
    elif len(events) > 1:
        draft.note(("status",), "no relation to the other drafts: the article states none")
    _boundaries_and_unknowns(draft, event, events, found, catalog, article, anchor)
    return draft


@dataclass(frozen=True)
class _Claimed:
    offset: int
    proposal: Proposal


def _boundaries_and_unknowns(draft, event, events, found, catalog, article, anchor) -> None:
    named = []
    for mention in _owned(found["boundaries"], event, events):
        ids = mention.boundary_ids
        chosen = ids[0]
        if len(ids) > 1 and anchor is not None:
            chosen, _ = nearest_boundary(ids, anchor[0], anchor[1], catalog)
        text = f"{mention.phrase} (L{article.line_of(mention.offset)}) → {chosen}"
        if len(ids) > 1:
            others = ", ".join(i for i in ids if i != chosen)
            text += f" (nearest to the article's places; also fits {others})"
        if text not in named:
            named.append(text)
    if named:
        draft.data["notes"] = "Boundaries named in the article: " + "; ".join(named) + "."
        draft.note(("notes",), "found by geo draft: keep, rewrite or remove")
    unknown = []
    for name in _owned(found["unknown"], event, events):
        entry = f"{name.phrase} (L{article.line_of(name.offset)})"
        if entry not in unknown:
            unknown.append(entry)
    if unknown:
        draft.footer.append(
            "names after in/near/from... that are not in the gazetteer (places to add?): "
            + ", ".join(unknown)
        )


def _final_ids(drafts: list[Draft], events: list[Event], taken: set[str]) -> None:
    """Name each draft <date of its time>-<category>-<first place or actor>, unique; relink."""
    renamed: dict[str, str] = {}
    for draft, event in zip(drafts, events, strict=True):
        places = [loc["place"] for loc in draft.data["locations"] if "place" in loc]
        tail = places[0] if places else _slug(event.actor or "unknown", 30)
        base = _slug(f"{draft.data['time'][:10]} {_CATEGORY_WORDS[event.category]} {tail}", 90)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        renamed[draft.data["id"]] = candidate
    for draft in drafts:
        draft.data["id"] = renamed[draft.data["id"]]
        for relation in draft.data.get("related", []):
            relation["id"] = renamed[relation["id"]]


def compose_drafts(article: Article, catalog, *, taken_ids: Iterable[str] = ()) -> DraftSet:
    """Return the drafts of ``article`` against the gazetteer and boundaries of ``catalog``.

    Parameters
    ----------
    article : Article
        From :func:`geo.draft.extract.article_from_bytes`, with flags applied.
    catalog : Catalog
        The data directory (places, boundaries, dataset settings) the drafts refer to.
    taken_ids : iterable of str
        Incident ids already in use; drafts get other ids.

    Raises
    ------
    DraftError
        When the article has no URL, or states no date and none was given.
    """
    if not article.url:
        raise DraftError("the article's address is not known: give --url URL (nothing is fetched)")
    if not article.text.strip():
        raise DraftError("the article has no text")
    outlet = article.outlet or re.sub(r"^www\.", "", article.url.split("/")[2])
    if not article.outlet:
        article = _with(article, outlet=outlet, given=article.given - {"outlet"})
    language = _language(article)
    found = _found(article, catalog, outlet)
    sentences = split_sentences(article.text, found["quotations"])
    events = split_events(sentences)
    ids = [f"event-{index}" for index in range(len(events))]
    drafts = [
        _draft_one(i, event, events, found, catalog, article, language, outlet, ids)
        for i, event in enumerate(events)
    ]
    _final_ids(drafts, events, set(taken_ids) | set(catalog.incidents))
    for draft in drafts:
        others = [d.id for d in drafts if d is not draft]
        draft.comments.setdefault((), []).extend(_header(article, others))
    for item in found["unclosed"]:
        drafts[0].footer.append(
            f"L{article.line_of(item.offset)}: an opening quotation mark never closed: "
            f"“{_clip(item.excerpt, 50)}” (not taken as a quote)"
        )
    return DraftSet(article, drafts, found["quotations"], len(found["unclosed"]))


def _with(article: Article, **changes) -> Article:
    from dataclasses import replace

    return replace(article, **changes)


def _header(article: Article, others: list[str]) -> list[str]:
    kind = "the page's HTML source" if article.kind == "html" else "the text"
    lines = [
        "DRAFT made by `python -m geo draft`: every value is a suggestion; check it against "
        "the article.",
        f"Article: {article.url} · read from {article.name}; Lnn = line nn of {kind}.",
    ]
    if others:
        lines.append("Other drafts from this article: " + ", ".join(others))
    return lines


# --------------------------------------------------------------------------- YAML


def _comment_lines(comments: Mapping[tuple, list[str]], path: tuple, indent: int) -> list[str]:
    return [f"{' ' * indent}# {line}" for line in comments.get(path, [])]


def _scalar(key: str, value: Any, indent: int, prefix: str) -> list[str]:
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100)
    lines = dumped.rstrip("\n").split("\n")
    return [prefix + lines[0]] + [" " * indent + line for line in lines[1:]]


def _mapping(data: Mapping, path: tuple, indent: int, comments, item: bool = False) -> list[str]:
    out: list[str] = []
    for position, (key, value) in enumerate(data.items()):
        here = (*path, key)
        out += _comment_lines(comments, here, indent)
        prefix = " " * (indent - 2) + "- " if item and position == 0 else " " * indent
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out.append(f"{prefix}{key}:")
            for index, element in enumerate(value):
                out += _comment_lines(comments, (*here, index), indent + 2)
                out += _mapping(element, (*here, index), indent + 4, comments, item=True)
        elif isinstance(value, dict) and value:
            out.append(f"{prefix}{key}:")
            out += _mapping(value, here, indent + 2, comments)
        else:
            out += _scalar(key, value, indent, prefix)
    return out


def draft_yaml(draft: Draft) -> str:
    """Return the draft as a YAML document with its comments (valid YAML, parses to ``data``)."""
    lines = _comment_lines(draft.comments, (), 0)
    lines += _mapping(draft.data, (), 0, draft.comments)
    if draft.footer:
        lines.append("# For the curator:")
        lines += [f"#   {_printable(line)}" for line in draft.footer]
    return "\n".join(lines) + "\n"
