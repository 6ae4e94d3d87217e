"""Dates and times an article states, resolved against its publication date and a time zone.

Phrases are found with strict patterns (English and Korean): weekdays ("on Wednesday", "early
Friday"), dates ("Nov. 2", "2 November 2022", "2022-11-02", "11월 2일", "2일", "지난달 3일",
"지난해 11월 23일"), relative days ("yesterday", 오늘, 어제, 전날), years ("in 2016") and clock
times ("at 8:51 a.m.", "13:27", "0851 GMT", "오전 8시 51분"; "2:34 to 3:41 p.m." shares its
p.m.). A date that names something ("the Sept. 19 Military Agreement") is not a date.
dateparser resolves the English date phrases: a weekday is the most recent one on or before the
publication date (the news convention), a date without a year the most recent one on or before
it. dateparser's own search is not used: it reads "and we" or "in one day" as dates. A clock
time is local time at the event's place unless the article says GMT/UTC; its date is the one
:func:`day_for_clock` finds (its sentence's, its paragraph's, else the story's first).

``time_precision`` follows what the phrase states: a clock time with minutes is ``minute``, "8
a.m." is ``hour``, a day is ``day``, "in November 2022" ``month``, "in 2016" ``year``.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from geo.draft.segment import paragraph_spans, sentence_spans

__all__ = ["TimeMention", "day_for_clock", "find_times", "local_time"]

_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_PATTERNS = {
    "iso": re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    # "2010.11.23", "2022. 12. 05" (Korean bylines and headlines)
    "dotted": re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d{2})\.\s?(?P<m>1[0-2]|0?[1-9])\.\s?(?P<d>[0-3]?\d)(?![\d])"
    ),
    "month_day": re.compile(
        rf"\b(?P<month>{_MONTHS})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
    ),
    "day_month": re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTHS})\.?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
    ),
    "month_year": re.compile(rf"\b(?:in\s+)(?P<month>{_MONTHS})\.?\s+(?P<y>(?:19|20)\d\d)\b"),
    "weekday": re.compile(
        rf"\b(?:(?P<q>early|late)\s+(?:on\s+)?)?(?P<wd>{_WEEKDAYS})\b"
        r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
    ),
    # lower case only: "Splice Today" is a name
    "relative": re.compile(r"\b(?P<rel>yesterday|today|tonight|last night|this morning)\b"),
    "year": re.compile(r"\b(?:in|since|during)\s+(?P<y>(?:19|20)\d\d)\b(?![-/]\d)"),
    "ko_date": re.compile(
        r"(?:(?P<last_year>지난해\s*)|(?P<y>(?:19|20)\d\d)년\s*)?"
        r"(?P<m>1[0-2]|0?[1-9])월\s*(?P<d>[0-3]?\d)일"
    ),
    "ko_day": re.compile(
        r"(?P<last_month>지난달\s*)?(?<![\d월])(?P<d>[0-3]?\d)일"
        r"(?=\s*(?:오전|오후|새벽|밤|아침|저녁|낮|\d|에|,|께|부터|까지|\)|\s))"
    ),
    # 오늘 (today), 어제 (yesterday), 그제 (the day before), 전날 (the day before the story's day)
    "ko_year": re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)년(?!\s*\d{1,2}월)"),  # 2010년: a year
    "ko_relative": re.compile(r"(?<![가-힣])(?P<rel>오늘|금일|어제|작일|그제|그저께|전날)"),
}
_CLOCKS = {
    "ampm": re.compile(
        r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<min>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])",
        re.I,
    ),
    "h24": re.compile(r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:])"),
    "wire": re.compile(r"\b(?P<h>[01]\d|2[0-3])(?P<min>[0-5]\d)\s*(?P<z>GMT|UTC)\b"),
    "ko": re.compile(
        r"(?P<ap>오전|오후|새벽|밤|아침|저녁|낮)?\s*(?P<h>[0-2]?\d)시"
        r"(?:\s*(?P<min>[0-5]?\d)분|\s*(?P<half>반))?"  # 12시 반: half past twelve
    ),
    # "between 9 and 11 a.m.": the first hour, bare, takes the second's a.m./p.m.
    "range": re.compile(
        r"\b(?:between|from)\s+(?P<h>1[0-2]|0?[1-9])(?::(?P<min>[0-5]\d))?"
        r"(?=\s+(?:and|to|until|till)\s+(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?:a\.?m|p\.?m))",
        re.I,
    ),
}
# a date that names something ("the Sept. 19 Military Agreement", "the June 15 summit")
_NAMED_BY_DATE = re.compile(
    r"(?:\s+(?:[A-Z][\w-]*|inter-\w+|military|joint))*\s+"
    r"(?:[Aa]greement|[Aa]ccord|[Pp]act|[Dd]eclaration|[Dd]eal|[Ss]ummit|[Jj]oint [Ss]tatement)s?\b"
)
# "from 2:34 to 3:41 p.m.": the first clock of a range takes the second's a.m./p.m.
_RANGE_MERIDIEM = re.compile(
    r"\s*(?:to|until|till|and|-|–|—)\s*(?P<h>1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?P<ap>a\.?m\.?|p\.?m\.?)"
    r"(?![a-z])",
    re.I,
)
_ZONE_AFTER = re.compile(r"^\s*\(?\s*(?P<z>GMT|UTC|Z)\b")
_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NUMBER = {name: number for number, name in enumerate(_MONTH_KEYS, 1)}


@dataclass(frozen=True)
class TimeMention:
    """A date or time phrase found in the text, resolved as far as the text allows."""

    offset: int
    end: int
    phrase: str
    date: dt.date | None  # None for a time of day alone, or a date that cannot be resolved
    clock: dt.time | None
    precision: str  # minute | hour | day | month | year
    how: str  # how the date was resolved, for the curator
    utc: bool = False  # the article gave the clock time in UTC/GMT


def _dateparser(phrase: str, base: dt.datetime, language: str | None) -> dt.date | None:
    import dateparser

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    languages = ["en"] if language in (None, "en") else [language, "en"]
    try:
        parsed = dateparser.parse(phrase, languages=languages, settings=settings)
    except ValueError:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _english_date(kind, match, published, language) -> tuple[dt.date | None, str, str]:
    phrase = match.group(0)
    if kind in {"iso", "dotted"}:
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        return day, "day", "an ISO date" if kind == "iso" else "a full date (year.month.day)"
    if kind in {"month_day", "day_month"}:
        month = _MONTH_NUMBER[match["month"][:3].lower()]
        if match["y"]:
            return _safe_date(int(match["y"]), month, int(match["d"])), "day", "a full date"
        if published is None:
            return None, "day", "no year and no publication date to take it from"
        text = f"{match['d']} {match['month']}"
        found = _dateparser(text, _noon(published), language)
        return found, "day", f"the most recent {text} on or before the publication date"
    if kind == "month_year":
        month = _MONTH_NUMBER[match["month"][:3].lower()]
        return dt.date(int(match["y"]), month, 1), "month", "a month"
    if kind == "year":
        return dt.date(int(match["y"]), 1, 1), "year", "a year"
    if published is None:
        return None, "day", "relative to a publication date that is not known (--published)"
    if kind == "weekday":
        base = _noon(published + dt.timedelta(days=1))  # "Wednesday" in a Wednesday story: today
        found = _dateparser(match["wd"], base, "en")
        note = f"{match['wd']} on or before the publication date {published.isoformat()}"
        if match["q"] or match["part"]:
            note += (
                f" ({' '.join(p for p in (match['q'], match['part']) if p)}: time of day not given)"
            )
        return found, "day", note
    found = _dateparser(phrase.lower(), _noon(published), "en")
    return found, "day", f"“{phrase}” relative to the publication date {published.isoformat()}"


_KO_DAYS_BACK = {"오늘": 0, "금일": 0, "어제": 1, "작일": 1, "그제": 2, "그저께": 2, "전날": 1}


def _korean_date(kind, match, published) -> tuple[dt.date | None, str, str]:
    if kind == "ko_year":
        return dt.date(int(match["y"]), 1, 1), "year", "a year"
    if kind == "ko_relative":
        if published is None:
            return None, "day", "relative to a publication date that is not known (--published)"
        back = _KO_DAYS_BACK[match["rel"]]
        how = f"“{match['rel']}” = {back} day(s) before the publication date {published}"
        if match["rel"] == "전날":
            how += " (전날: the day before the story's day, read as the publication date's)"
        return published - dt.timedelta(days=back), "day", how
    day_number = int(match["d"])
    if kind == "ko_date" and match["y"]:
        return _safe_date(int(match["y"]), int(match["m"]), day_number), "day", "a full date"
    if published is None:
        return None, "day", "no year and no publication date to take it from"
    month = int(match["m"]) if kind == "ko_date" else published.month
    year = published.year
    if kind == "ko_date" and match["last_year"]:  # 지난해 11월 23일: last year
        found = _safe_date(year - 1, month, day_number)
        return found, "day", "지난해 (last year): the year before the publication date"
    if kind == "ko_day" and match["last_month"]:  # 지난달 3일: the 3rd of last month
        previous = published.replace(day=1) - dt.timedelta(days=1)
        found = _safe_date(previous.year, previous.month, day_number)
        return found, "day", "지난달 (last month): the month before the publication date"
    found = _safe_date(year, month, day_number)
    if found is not None and found > published:
        if kind == "ko_date":
            found = _safe_date(year - 1, month, day_number)
        else:
            previous = published.replace(day=1) - dt.timedelta(days=1)
            found = _safe_date(previous.year, previous.month, day_number)
    return found, "day", "the most recent such day on or before the publication date"


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _dates(text: str, published: dt.date | None, language: str | None) -> list[TimeMention]:
    mentions: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            if kind in {"month_day", "day_month"} and _NAMED_BY_DATE.match(text, match.end()):
                taken.append(match.span())  # "the Sept. 19 Military Agreement": a name
                continue
            if kind.startswith("ko"):
                day, precision, how = _korean_date(kind, match, published)
            else:
                day, precision, how = _english_date(kind, match, published, language)
            taken.append(match.span())
            mentions.append(
                TimeMention(match.start(), match.end(), match.group(0), day, None, precision, how)
            )
    return mentions


def _clock(kind: str, match: re.Match) -> tuple[dt.time, str] | None:
    hour = int(match["h"])
    minute = int(match["min"]) if match["min"] else None
    if kind == "ko" and match["half"]:
        minute = 30
    if kind == "ampm":
        pm = match["ap"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    elif kind == "ko" and match["ap"] in {"오후", "저녁", "밤"} and hour < 12:
        hour += 12
    elif kind == "ko" and match["ap"] is None and minute is None:
        return None  # "3시" alone is too often a duration or an hour count to read as a time
    if hour > 23:
        return None
    return dt.time(hour, minute or 0), "minute" if minute is not None else "hour"


def _range_hour(hour: int, shared: re.Match) -> int:
    """Return the 24-hour reading of the first clock of "2:34 to 3:41 p.m." (14).

    The first takes the second's a.m./p.m. when it comes before it on the same half of the
    dial; "11:30 to 1 p.m." starts in the morning.
    """
    pm = shared["ap"].lower().startswith("p")
    second = int(shared["h"]) % 12
    if pm and hour % 12 > second:
        return hour % 12  # 11:30 to 1 p.m.: 11:30 a.m.
    return hour % 12 + (12 if pm else 0)


def _clocks(text: str) -> list[TimeMention]:
    mentions: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _CLOCKS.items():
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            parsed = _clock(kind, match)
            if parsed is None:
                continue
            clock, precision = parsed
            in_range = kind in {"h24", "range"}
            shared = _RANGE_MERIDIEM.match(text, match.end()) if in_range else None
            if shared and 1 <= clock.hour <= 12:
                clock = clock.replace(hour=_range_hour(clock.hour, shared))
            zone = _ZONE_AFTER.match(text[match.end() : match.end() + 12])
            utc = kind == "wire" or zone is not None
            end = match.end() + (zone.end() if zone else 0)
            taken.append(match.span())
            how = "a clock time in UTC" if utc else "a clock time, local at the event's place"
            mentions.append(
                TimeMention(
                    match.start(), end, text[match.start() : end], None, clock, precision, how, utc
                )
            )
    return mentions


def find_times(
    text: str, *, published: dt.date | None, language: str | None = None
) -> list[TimeMention]:
    """Return every date and clock-time phrase of ``text`` in order of appearance.

    Dates are resolved against ``published`` (the article's publication date) where the phrase
    is relative or has no year; without it such a date stays unresolved (``date`` None).

    Example
    -------
    >>> [m.date.isoformat() for m in find_times("on Wednesday", published=dt.date(2022, 11, 3))]
    ['2022-11-02']
    """
    mentions = _dates(text, published, language) + _clocks(text)
    return sorted(mentions, key=lambda mention: mention.offset)


def local_time(day: dt.date, clock: dt.time | None, zone: str, *, utc: bool = False) -> dt.datetime:
    """Return the aware datetime of a date and clock time in the IANA ``zone``.

    A clock time the article gave in UTC is converted to the zone, which may change the date.
    """
    tz = zoneinfo.ZoneInfo(zone)
    if clock is None:
        return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)
    if utc:
        moment = dt.datetime.combine(day, clock, tzinfo=dt.UTC)
        return moment.astimezone(tz)
    return dt.datetime.combine(day, clock, tzinfo=tz)


# 이날 / 당일 / "that day": the story's day, not the last date mentioned before the clock
_THAT_DAY = re.compile(r"이날|당일|\bthat day\b|\bthe same day\b")
_DAYS_BACK_WORDS = {"전날", "어제", "작일", "그제", "그저께", "yesterday", "last night"}


def _background(mention: TimeMention, published: dt.date | None) -> bool:
    """Return True for a date with its own year other than the publication's: background."""
    year = re.search(r"(?:19|20)\d\d", mention.phrase)
    return bool(year and published and mention.date and mention.date.year != published.year)


def day_for_clock(
    text: str, clock: TimeMention, days: list[TimeMention], published: dt.date | None
) -> tuple[TimeMention | None, str]:
    """Return the date phrase a clock time belongs to, and how it was chosen.

    In order: a date in the clock's own sentence (the nearest before it, else after it); the
    latest date before it in its paragraph; the article's first date (a news story states its
    day in the lead and then gives times of that day). A date with a
    year other than the publication's ("after the clashes of 15 June 1999") is background and is
    passed over while another is at hand. ``days`` are day-precision mentions outside quotations.
    """
    current = [d for d in days if not _background(d, published)] or days
    paragraph = next(((a, b) for a, b in paragraph_spans(text) if a <= clock.offset < b), None)
    if paragraph is not None:
        sentence = next(
            ((a, b) for a, b in sentence_spans(text, paragraph) if a <= clock.offset < b), paragraph
        )
        inside = [d for d in current if sentence[0] <= d.offset < sentence[1]]
        before = [d for d in inside if d.offset <= clock.offset]
        if before or inside:
            return (before or inside)[-1 if before else 0], "in the same sentence"
        that_day = _THAT_DAY.search(text, sentence[0], clock.offset)
        earlier = [d for d in current if paragraph[0] <= d.offset <= clock.offset]
        if earlier and that_day is None:
            return earlier[-1], "the latest date before it in the paragraph"
    # the story's day: its first date, but not one counted back from it (전날, yesterday)
    anchors = [d for d in current if d.phrase.lower() not in _DAYS_BACK_WORDS] or current
    if anchors:
        return anchors[0], "the article's first date (the day of its lead)"
    return None, "no date in the text"
