"""A link's parameters are user input: generated links never break the cleaner, and what it keeps
is always something the page's widgets accept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.urlstate import MAX_QUERY_CHARS, ParamSpec, clean_params, parse_time

FIRST, LAST = dt.datetime(2022, 11, 2), dt.datetime(2022, 11, 5, 23, 59)
SPEC = ParamSpec(
    incident_ids=frozenset({"a-1", "b-2"}),
    choices={
        "category": {"Missile launch": "missile_launch", "missile_launch": "missile_launch"},
        "actor": {"DPRK": "DPRK", "ROK": "ROK"},
        "status": {"confirmed": "confirmed"},
    },
    single_choices={"period": {"All": "all", "2022": "2022"}},
    toggles=frozenset({"layer_incidents", "layer_nll", "online_basemap"}),
    time_range=(FIRST, LAST),
    passthrough=frozenset({"at"}),
)
KEYS = ["incident", "time", "q", "category", "actor", "status", "period", "layer_incidents"]
KEYS += ["layer_nll", "layer_nope", "online_basemap", "at", "bogus", "embed"]
words = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["true", "FALSE", "yes", "0", "All", "2022", "DPRK", "a-1", "Missile launch"]),
    st.sampled_from(["2022-11-03 08:51", "2022-11-04T09:00", "2022-11-03", "2030-01-01 00:00"]),
    st.just(""),
)
links = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=30)), st.lists(words, max_size=4)
)


@settings(max_examples=400, deadline=None)
@given(raw=links)
def test_any_link_gives_usable_values_and_short_printable_notices(raw) -> None:
    cleaned = clean_params(raw, SPEC)
    for key, value in cleaned.values.items():
        if key == "incident":
            assert value in SPEC.incident_ids
        elif key == "time":
            start, end = value
            assert FIRST <= start <= end <= LAST
        elif key == "q":
            assert 0 < len(value) <= MAX_QUERY_CHARS
            assert value.isprintable()
        elif key in SPEC.choices:
            assert set(value) <= set(SPEC.choices[key].values())
        elif key in SPEC.single_choices:
            assert value in SPEC.single_choices[key].values()
        elif key in SPEC.toggles:
            assert isinstance(value, bool)
        else:
            assert key in SPEC.passthrough
    for notice in cleaned.notices:
        assert notice.isprintable()
        assert len(notice) < 140


def test_every_dropped_value_is_named() -> None:
    cleaned = clean_params(
        {
            "category": ["Missile launch", "Nonsense"],
            "layer_nll": ["maybe"],
            "layer_unknown": ["true"],
            "incident": ["zzz"],
            "frobnicate": ["1"],
        },
        SPEC,
    )
    assert cleaned.values == {"category": ["missile_launch"]}
    text = " | ".join(cleaned.notices)
    for part in ("“Nonsense”", "“maybe”", "“layer_unknown”", "“zzz”", "“frobnicate”"):
        assert part in text


@pytest.mark.parametrize(
    ("values", "expected", "notice"),
    [
        (["2022-11-03 01:00", "2022-11-04 02:30"], ("2022-11-03 01:00", "2022-11-04 02:30"), None),
        (
            ["2022-11-04 02:30", "2022-11-03 01:00"],
            ("2022-11-03 01:00", "2022-11-04 02:30"),
            "swap",
        ),
        (["2022-11-03", "2022-11-03"], ("2022-11-03 00:00", "2022-11-03 23:59"), None),
        (["2020-01-01 00:00", "2030-01-01 00:00"], ("2022-11-02 00:00", "2022-11-05 23:59"), None),
        (["yesterday", "2022-11-03 01:00"], None, "expected YYYY-MM-DD HH:MM"),
        (["2022-11-03 01:00"], None, "expected a start and an end"),
        (["2022-11-03T01:00+09:00", "2022-11-04 00:00"], None, "expected YYYY-MM-DD HH:MM"),
    ],
)
def test_time_windows(values, expected, notice) -> None:
    cleaned = clean_params({"time": values}, SPEC)
    got = cleaned.values.get("time")
    if expected is None:
        assert got is None
    else:
        assert tuple(t.strftime("%Y-%m-%d %H:%M") for t in got) == expected
    if notice:
        assert any(notice in n for n in cleaned.notices), cleaned.notices
    else:
        assert cleaned.notices == []


@pytest.mark.parametrize("word", ["true", "True", "1", "yes", "on", " TRUE "])
def test_toggle_spellings(word: str) -> None:
    assert clean_params({"layer_nll": [word]}, SPEC).values == {"layer_nll": True}


def test_conflicting_repeats_use_the_last_and_say_so() -> None:
    cleaned = clean_params({"layer_nll": ["true", "false"]}, SPEC)
    assert cleaned.values == {"layer_nll": False}
    assert "given both true and false" in cleaned.notices[0]


def test_search_loses_control_characters_and_length() -> None:
    cleaned = clean_params({"q": ["Ulleung\x00\x07 siren" + "x" * 500]}, SPEC)
    assert cleaned.values["q"].startswith("Ulleung siren")
    assert len(cleaned.values["q"]) == MAX_QUERY_CHARS
    assert len(cleaned.notices) == 2


def test_an_empty_choice_means_nothing_chosen() -> None:
    assert clean_params({"category": [""]}, SPEC).values == {"category": []}


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2022-11-02 08:51", False, dt.datetime(2022, 11, 2, 8, 51)),
        ("2022-11-02T08:51:59", False, dt.datetime(2022, 11, 2, 8, 51)),
        ("2022-11-02", True, dt.datetime(2022, 11, 2, 23, 59)),
        ("08:51", False, None),
        ("2022-13-02 08:51", False, None),
    ],
)
def test_parse_time(text: str, end: bool, expected) -> None:
    assert parse_time(text, end=end) == expected
