"""URL query parameters are user input: read them once, keep what is usable, say what was not.

:func:`clean_params` is pure (no Streamlit), so it can be tested with generated input. It maps the
raw parameters of a link (every key with all its values) to the values the page's widgets take,
plus one short notice for each value it dropped or changed. Nothing from a URL is evaluated,
unpickled or used as a path; text is kept as text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MAX_QUERY_CHARS",
    "TIME_FORMAT",
    "CleanParams",
    "ParamSpec",
    "clean_params",
    "parse_time",
]

TIME_FORMAT = "%Y-%m-%d %H:%M"  # the `time` parameter, in the data's main offset
MAX_QUERY_CHARS = 200  # a search longer than this is cut (it would match nothing anyway)
MAX_SHOWN_CHARS = 40  # how much of a bad value a notice repeats
_TRUE = {"true", "1", "yes", "on", "t", "y"}
_FALSE = {"false", "0", "no", "off", "f", "n"}
_STREAMLIT_KEYS = {"embed", "embed_options"}  # Streamlit's own; left alone


@dataclass(frozen=True)
class ParamSpec:
    """What the page accepts in its URL.

    Attributes
    ----------
    incident_ids : set of str
        Known incident ids (``incident``).
    choices : mapping
        Multi-value choices (``category``, ``actor``, ``status``): key → {label in the URL: the
        widget's value}. Labels are matched exactly, then case-insensitively.
    single_choices : mapping
        One-value choices (``period``): key → {label: value}.
    toggles : set of str
        On/off keys (``layer_*``, ``online_basemap``, ...).
    time_range : (datetime, datetime) or None
        The earliest and latest time the window can take (naive, in the data's main offset).
    passthrough : set of str
        Keys another module validates itself (``at``): kept as given.
    """

    incident_ids: frozenset[str]
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    single_choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    toggles: frozenset[str] = frozenset()
    time_range: tuple[dt.datetime, dt.datetime] | None = None
    passthrough: frozenset[str] = frozenset()


@dataclass
class CleanParams:
    """The usable part of a link: widget values by key, and what was dropped or changed."""

    values: dict[str, object] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def _shown(text: str) -> str:
    """Return a bad value as a notice repeats it: printable, cut, quoted."""
    printable = "".join(c if c.isprintable() else "\ufffd" for c in text)
    cut = printable[:MAX_SHOWN_CHARS] + ("…" if len(printable) > MAX_SHOWN_CHARS else "")
    return f"“{cut}”"


def parse_time(text: str, *, end: bool = False) -> dt.datetime | None:
    """Return a naive datetime from ``YYYY-MM-DD HH:MM`` (also ``T``, seconds, a date alone).

    A date alone is its first minute (start) or last minute (``end=True``). None when unreadable.
    """
    text = text.strip()
    if len(text) > 40:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        return None  # the window is in the data's main offset; an explicit offset is ambiguous
    if len(text) <= 10 and end:
        value = value.replace(hour=23, minute=59)
    return value.replace(second=0, microsecond=0)


def _match(value: str, labels: Mapping[str, str]) -> str | None:
    if value in labels:
        return labels[value]
    folded = {label.casefold(): target for label, target in labels.items()}
    return folded.get(value.strip().casefold())


def _clean_choice(key: str, values: Sequence[str], labels: Mapping[str, str], out: CleanParams):
    if values and all(v == "" for v in values):  # "?category=": nothing chosen (Streamlit's form)
        out.values[key] = []
        return
    chosen: list[str] = []
    for value in (v for v in values if v != ""):
        target = _match(value, labels)
        if target is None:
            out.notices.append(f"{key}: no such value {_shown(value)}")
        elif target not in chosen:
            chosen.append(target)
    if chosen:
        out.values[key] = chosen
    elif values:
        out.notices.append(f"{key}: nothing usable; every value is shown")


def _clean_single(key: str, values: Sequence[str], labels: Mapping[str, str], out: CleanParams):
    targets = [t for t in (_match(v, labels) for v in values) if t is not None]
    for value in values:
        if _match(value, labels) is None:
            out.notices.append(f"{key}: no such value {_shown(value)}")
    if len(set(targets)) > 1:
        out.notices.append(f"{key}: given {len(values)} times; the last usable value is used")
    if targets:
        out.values[key] = targets[-1]


def _clean_toggle(key: str, values: Sequence[str], out: CleanParams) -> None:
    readings = []
    for value in values:
        word = value.strip().casefold()
        if word in _TRUE:
            readings.append(True)
        elif word in _FALSE:
            readings.append(False)
        else:
            out.notices.append(f"{key}: expected true or false, got {_shown(value)}")
    if len(set(readings)) > 1:
        out.notices.append(f"{key}: given both true and false; the last one is used")
    if readings:
        out.values[key] = readings[-1]


def _clean_incident(values: Sequence[str], ids: frozenset[str], out: CleanParams) -> None:
    known = [v.strip() for v in values if v.strip() in ids]
    for value in values:
        if value.strip() not in ids:
            out.notices.append(f"incident: no incident {_shown(value)}")
    if len(set(known)) > 1:
        out.notices.append("incident: several given; the first known one is shown")
    if known:
        out.values["incident"] = known[0]


def _clean_time(values: Sequence[str], spec: ParamSpec, out: CleanParams) -> None:
    if spec.time_range is None:
        out.notices.append("time: this data has no time range to choose from")
        return
    if len(values) != 2:
        out.notices.append(f"time: expected a start and an end, got {len(values)} value(s)")
        return
    start, end = parse_time(values[0]), parse_time(values[1], end=True)
    bad = [v for v, parsed in zip(values, (start, end), strict=True) if parsed is None]
    if bad:
        out.notices.append(f"time: expected YYYY-MM-DD HH:MM, got {_shown(bad[0])}")
        return
    if end < start:
        start, end = parse_time(values[1]), parse_time(values[0], end=True)
        out.notices.append("time: the end was before the start; they were swapped")
    first, last = spec.time_range
    start, end = min(max(start, first), last), max(min(end, last), first)
    out.values["time"] = (start, end)


def _clean_query(values: Sequence[str], out: CleanParams) -> None:
    text = " ".join(values)
    if len(values) > 1:
        out.notices.append(f"q: given {len(values)} times; the words are searched together")
    printable = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    if printable != text:
        out.notices.append("q: control characters were removed from the search")
    printable = " ".join(printable.split())
    if len(printable) > MAX_QUERY_CHARS:
        out.notices.append(f"q: the search was cut to {MAX_QUERY_CHARS} characters")
        printable = printable[:MAX_QUERY_CHARS].rstrip()
    if printable:
        out.values["q"] = printable


def clean_params(raw: Mapping[str, Sequence[str]], spec: ParamSpec) -> CleanParams:
    """Return the usable values of a link's query parameters and a notice per dropped value.

    Parameters
    ----------
    raw : mapping
        Every query parameter with all its values, as the browser sent them.
    spec : ParamSpec
        What the page accepts.

    Returns
    -------
    CleanParams
        ``values``: ``incident`` (an id), ``time`` ((start, end) naive datetimes, clamped to
        the data's range), each choice key (a list of widget values), each single choice, each
        toggle (bool), ``q`` (text), and passthrough keys (their raw values); ``notices``: one
        short sentence per value dropped or changed, repeating bad input only as quoted,
        printable, shortened text.
    """
    out = CleanParams()
    for key, values in raw.items():
        values = [str(v) for v in values]
        if key in _STREAMLIT_KEYS:
            continue
        if key in spec.passthrough:
            out.values[key] = values
        elif key == "incident":
            _clean_incident(values, spec.incident_ids, out)
        elif key == "time":
            _clean_time(values, spec, out)
        elif key == "q":
            _clean_query(values, out)
        elif key in spec.choices:
            _clean_choice(key, values, spec.choices[key], out)
        elif key in spec.single_choices:
            _clean_single(key, values, spec.single_choices[key], out)
        elif key in spec.toggles:
            _clean_toggle(key, values, out)
        elif key.startswith("layer_"):
            out.notices.append(f"no map layer {_shown(key)}")
        else:
            out.notices.append(f"unknown parameter {_shown(key)} ignored")
    return out
