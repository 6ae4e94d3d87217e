"""Which events an article reports: a launch, a siren, a response, sanctions ... one draft each.

Each sentence is matched against patterns per category (English and Korean). The first sentence
of a category opens an event; later ones join the event whose actor they name, or the first event
of their category. A second event of the same category opens only when the article marks a
different actor ("The South, meanwhile, fired ..."). A sentence without a category belongs to the
event of the sentence before it (the paragraph keeps its topic). Relations are set only where the
article says so: "in response", "in retaliation" (``response_to``) and "triggered", "prompted",
"set off" (``triggered``). When nothing matches, the article is one event of category ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.draft.quotes import Quotation
from geo.draft.segment import Span, paragraph_spans, sentence_spans

__all__ = ["Event", "Sentence", "split_events", "split_sentences"]

_KINETIC = r"(?:fire[sd]?|firing|launch(?:e[sd]|ing)?|test-fired|lobbed|shot)"
_MISSILE = r"(?:missiles?|rockets?|ICBMs?|SRBMs?|IRBMs?|projectiles?)"
PATTERNS: dict[str, tuple[str, ...]] = {
    "military_response": (
        r"\bin (?:response|retaliation)\b",
        r"\bretaliat\w*",
        r"\bresponded\b",
        r"\bcounter-?(?:strike|attack|fire)s?\b",
        r"\bscrambled\b",
        r"대응\s*(?:사격|발사|조치|차원)|맞대응",
    ),
    "missile_launch": (
        rf"\b{_KINETIC}\b[^.;]{{0,60}}?\b{_MISSILE}\b",
        rf"\b{_MISSILE}\b[^.;]{{0,50}}?\b(?:(?:were|was) (?:fired|launched)|fired|launched"
        r"|landed|fell|splashed|hit|struck)\b",
        r"\b(?:missile|rocket|ballistic)\s+(?:launch(?:es)?|salvos?|tests?|barrage|strikes?"
        r"|attacks?)\b",
        r"(?:미사일|탄도|발사체|로켓)[^.]{0,30}발사|발사[^.]{0,15}(?:미사일|탄도)",
    ),
    "artillery_fire": (
        r"\b(?:artillery|shelling|howitzers?|mortars?)\b",
        r"\b(?:fired|firing|fire)\b[^.;]{0,40}\b(?:shells|rounds)\b",
        r"포격|포사격|해안포|방사포|포탄",
    ),
    "air_raid_alert": (
        r"\bair[- ]raid\b",
        r"\bsirens?\b",
        r"\b(?:missile|air|civil[- ]defen[cs]e|emergency) (?:alert|warning)s?\b",
        r"\b(?:took|take|taking|sought|seek) (?:refuge|shelter)\b",
        r"\b(?:bomb|underground|air-raid) shelters?\b",
        r"공습경보|경계경보|사이렌|대피",
        r"тривог",
    ),
    "incursion": (
        r"\b(?:crossed|crossing|violated|intruded|entered)\b[^.;]{0,40}\b(?:line|border|airspace|waters)\b",
        r"침범|월선",
    ),
    "naval_clash": (
        r"\b(?:sank|sunk|exchanged fire|torpedoed)\b",
        r"\b(?:struck|hit|attacked)\b[^.;]{0,20}\b(?:ship|vessel|boat|frigate|corvette|tanker)s?\b",
    ),
    "sanctions": (
        r"\bsanction(?:s|ed|ing)?\b",
        r"\bblacklist(?:ed|ing)?\b",
        r"\bdesignat(?:ed|ion|ions|ing)\b",
        r"\basset freezes?\b",
        r"제재",
    ),
}
_COMPILED = {
    category: [re.compile(p, re.IGNORECASE) for p in patterns]
    for category, patterns in PATTERNS.items()
}
_CONTRAST = re.compile(
    r",\s*(?:meanwhile|in turn|for (?:its|their|his|her) part|separately|in response"
    r"|in retaliation)\s*,",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"\b(?:triggered|triggering|prompted|prompting|set off|setting off|sparked|caused)\b|"
    r"(?:로 인해|여파로|에 따라)",
    re.IGNORECASE,
)
_NP_START = re.compile(r"^(?:the\s+)?(?:[A-Z][\w’'\-.]*)(?:\s+(?:of\s+)?[A-Z][\w’'\-.]*)*")
_NP_END = re.compile(
    r"(?:the\s+)?[A-Z][\w’'\-.]*(?:\s+(?:of\s+)?[A-Z][\w’'\-.]*)*"
    r"(?=(?:\s+(?:has|have|had|was|were|is|are|will|would|also|again|then|reportedly|been))*\s*$)"
)
_BY = re.compile(r"\bby\s+(?P<np>(?:the\s+)?[A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*)*)")
_KO_SUBJECT = re.compile(r"(?P<np>[가-힣A-Za-z]{2,12})(?:은|는|이|가)\s")
_NOT_SUBJECTS = {
    "it", "they", "he", "she", "we", "i", "this", "that", "there", "according", "the", "a", "an",
}  # fmt: skip
_DATELINE = re.compile(r"^[A-Z][A-Z .’'-]+,[^-–—]{0,60}[-–—]\s*")
_KINETIC_AT = re.compile(rf"\b{_KINETIC}\b|\bscrambled\b", re.IGNORECASE)


@dataclass
class Sentence:
    """A sentence: its span, paragraph, and the category patterns it matches (with offsets)."""

    start: int
    end: int
    paragraph: int
    matches: dict[str, int] = field(default_factory=dict)  # category -> offset of its match
    subject: dict[str, str | None] = field(default_factory=dict)  # category -> actor named
    contrast: bool = False
    trigger: int | None = None  # offset of "triggered" / "prompted"


@dataclass
class Event:
    """An event the article reports: its category, actor, sentences and relations."""

    category: str
    actor: str | None
    sentences: list[Sentence] = field(default_factory=list)
    defining: Sentence | None = None
    relations: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, event, offset)

    def owns(self, offset: int, events: Sequence[Event]) -> bool:
        """Return True when ``offset`` lies in a sentence of this event and is nearest to it.

        In a sentence that reports several events, an item belongs to the event whose category
        match is nearest to it.
        """
        sentence = next((s for s in self.sentences if s.start <= offset < s.end), None)
        if sentence is None:
            return False
        sharing = [e for e in events if sentence in e.sentences]
        if len(sharing) == 1:
            return True

        def distance(event: Event) -> int:
            match = sentence.matches.get(event.category)
            return abs(match - offset) if match is not None else 10**9

        return min(sharing, key=distance) is self


def _clean_subject(np: str | None) -> str | None:
    if not np:
        return None
    np = re.sub(r"[’']s$", "", np.strip(" ,"))
    if np.lower().removeprefix("the ") in _NOT_SUBJECTS or len(np.split()) > 6:
        return None
    # "the United States" -> "United States"; "The South" keeps its article (a relative name)
    bare = re.sub(r"^the\s+", "", np, flags=re.IGNORECASE)
    return bare if len(bare.split()) > 1 else np


def _subject(text: str, sentence: Span, match_at: int, quotes: Sequence[Quotation]) -> str | None:
    """Return the actor of the event matched at ``match_at``: the subject of its clause."""
    inside = next((q for q in quotes if q.open_mark < match_at < q.close_mark), None)
    if inside is not None:
        if inside.open_mark <= sentence[0] + 1:
            return None  # the sentence is the quotation: its subject is the speaker's
        match_at = inside.open_mark  # a phrase quoted in the article's sentence
    prefix = _DATELINE.sub("", _CONTRAST.sub("", text[sentence[0] : match_at]))
    after = text[match_at : sentence[1]]
    by = _BY.search(after[:80])
    korean = [np for np in _KO_SUBJECT.findall(prefix) if not np.endswith(("에서", "에게", "에"))]
    if korean:
        return korean[-1]
    clause = re.split(r"[,;:]\s*|\s[-–—]\s*|\b(?:but|and|while|as|after|when)\s+", prefix)[-1]
    clause = re.sub(r"^(?:on|early|late|last|this)\s+\w+\s*", "", clause.strip())
    start = _NP_START.match(clause)
    if start and _clean_subject(start.group(0)):
        return _clean_subject(start.group(0))
    end = _NP_END.search(prefix.strip())
    if end and _clean_subject(end.group(0)):
        return _clean_subject(end.group(0))
    return _clean_subject(by["np"]) if by else None


def split_sentences(text: str, quotes: Sequence[Quotation]) -> list[Sentence]:
    """Return every sentence of the text with the event categories it matches."""
    spans = [q.span for q in quotes]
    sentences = []
    for index, paragraph in enumerate(paragraph_spans(text)):
        for start, end in sentence_spans(text, paragraph, spans):
            sentence = Sentence(start, end, index)
            chunk = text[start:end]
            for category, patterns in _COMPILED.items():
                hits = [m.start() for p in patterns for m in [p.search(chunk)] if m]
                if hits:
                    sentence.matches[category] = start + min(hits)
            if "military_response" in sentence.matches:
                kinetic = {"missile_launch", "artillery_fire"} & set(sentence.matches)
                if kinetic or re.search(r"scrambl|strike|fired|launched", chunk, re.I):
                    for category in kinetic:
                        del sentence.matches[category]
                else:
                    del sentence.matches["military_response"]
            if {"missile_launch", "naval_clash"} <= set(sentence.matches):
                del sentence.matches["naval_clash"]  # "missiles hit a ship": one event
            for category, offset in sentence.matches.items():
                at = offset
                if category == "military_response":  # "In response, the navy fired": its subject
                    kinetic = _KINETIC_AT.search(chunk)
                    at = start + kinetic.start() if kinetic else offset
                sentence.subject[category] = _subject(text, (start, end), at, quotes)
            sentence.contrast = bool(_CONTRAST.search(chunk))
            trigger = _TRIGGER.search(chunk)
            sentence.trigger = start + trigger.start() if trigger else None
            sentences.append(sentence)
    return sentences


def _same_actor(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = a.casefold().removeprefix("the "), b.casefold().removeprefix("the ")
    return a == b or a in b or b in a


def _event_for(events: list[Event], category: str, sentence: Sentence) -> int | None:
    subject = sentence.subject.get(category)
    candidates = [i for i, e in enumerate(events) if e.category == category]
    if not candidates:
        return None
    named = [i for i in candidates if _same_actor(events[i].actor, subject)]
    if named:
        return named[0]
    if sentence.contrast and subject:
        return None
    return candidates[0]


def _relate(events: list[Event], sentence: Sentence, touched: list[int]) -> None:
    """Record the relations the sentence states between the events it reports."""
    here = [i for i in touched if sentence in events[i].sentences]
    for index in here:
        event = events[index]
        if event.category == "military_response" and event.defining is sentence:
            targets = [
                i
                for i, e in enumerate(events)
                if i != index
                and e.category in {"missile_launch", "artillery_fire", "incursion", "naval_clash"}
                and not _same_actor(e.actor, event.actor)
            ]
            if targets:
                event.relations.append(("response_to", targets[0], sentence.start))
    if sentence.trigger is None or len(here) < 2:
        return
    causes = [i for i in here if sentence.matches[events[i].category] < sentence.trigger]
    effects = [i for i in here if sentence.matches[events[i].category] > sentence.trigger]
    for cause in causes[:1]:
        for effect in effects:
            if ("triggered", effect) not in [(k, t) for k, t, _ in events[cause].relations]:
                events[cause].relations.append(("triggered", effect, sentence.trigger))


def split_events(sentences: Sequence[Sentence]) -> list[Event]:
    """Return the events the sentences report, each with the sentences that belong to it."""
    events: list[Event] = []
    last: int | None = None
    pending: list[Sentence] = []
    for sentence in sentences:
        touched = []
        for category in sorted(sentence.matches, key=sentence.matches.get):
            index = _event_for(events, category, sentence)
            if index is None:
                events.append(Event(category, sentence.subject.get(category), defining=sentence))
                index = len(events) - 1
            event = events[index]
            if event.actor is None:
                event.actor = sentence.subject.get(category)
            if sentence not in event.sentences:
                event.sentences.append(sentence)
            touched.append(index)
        if touched:
            _relate(events, sentence, touched)
            last = touched[-1]
        elif last is not None:
            events[last].sentences.append(sentence)
        else:
            pending.append(sentence)
    if not events:
        events.append(Event("other", None, defining=sentences[0] if sentences else None))
    events[0].sentences[:0] = pending
    for event in events:
        event.sentences.sort(key=lambda s: s.start)
    return events
