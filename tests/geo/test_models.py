"""The data model: field rules, closed lists, times with offsets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from geo import models

DATA_README = Path(__file__).resolve().parents[2] / "data" / "README.md"
CLOSED_LISTS = [
    models.Category,
    models.LocationRole,
    models.Status,
    models.TimePrecision,
    models.RelationKind,
    models.CompassDirection,
    models.DistanceUnit,
    models.PlaceKind,
    models.BoundaryKind,
    models.BoundaryStatus,
    models.Interpolation,
]


@pytest.mark.parametrize("enum", CLOSED_LISTS, ids=lambda e: e.__name__)
def test_every_closed_list_value_is_documented(enum: type) -> None:
    readme = DATA_README.read_text(encoding="utf-8")
    missing = [member.value for member in enum if f"`{member.value}`" not in readme]
    assert not missing, f"data/README.md does not document {enum.__name__}: {missing}"


@pytest.mark.parametrize(
    "text",
    [
        "time: 2022-11-02T08:51:00+09:00",  # PyYAML hands over an aware datetime
        "time: '2022-11-02T08:51:00+09:00'",  # a string
        'time: "2022-11-01T23:51:00Z"',  # Z is UTC
    ],
)
def test_time_keeps_its_offset_from_yaml(text: str, base_incident: dict) -> None:
    base_incident["time"] = yaml.safe_load(text)["time"]
    incident = models.Incident.model_validate(base_incident)
    assert incident.time.utcoffset() is not None
    assert incident.time.astimezone(dt.UTC) == dt.datetime(2022, 11, 1, 23, 51, tzinfo=dt.UTC)


def test_yaml_timestamp_offset_is_preserved_not_normalised(base_incident: dict) -> None:
    base_incident["time"] = yaml.safe_load("t: 2022-11-02T08:51:00+09:00")["t"]
    incident = models.Incident.model_validate(base_incident)
    assert incident.time.utcoffset() == dt.timedelta(hours=9)
    assert incident.time.isoformat() == "2022-11-02T08:51:00+09:00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2022-11-02T08:51:00", "must carry a UTC offset"),
        (dt.datetime(2022, 11, 2, 8, 51), "must carry a UTC offset"),
        (dt.date(2022, 11, 2), "got a date alone"),
        ("yesterday", "must be ISO 8601"),
    ],
)
def test_time_without_offset_is_rejected(value: object, message: str, base_incident: dict):
    base_incident["time"] = value
    with pytest.raises(ValidationError, match=message):
        models.Incident.model_validate(base_incident)


@pytest.mark.parametrize("value", [dt.date(2022, 11, 2), "2022-11-02", dt.datetime(2022, 11, 2)])
def test_published_accepts_dates_strings_and_datetimes(value: object, base_incident: dict):
    base_incident["sources"][0]["published"] = value
    incident = models.Incident.model_validate(base_incident)
    assert incident.sources[0].published == dt.date(2022, 11, 2)


def test_time_end_before_time_is_rejected(base_incident: dict) -> None:
    base_incident["time_end"] = "2024-05-01T03:00:00+03:00"
    with pytest.raises(ValidationError, match="must not be before time"):
        models.Incident.model_validate(base_incident)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/x", "//x.org"]
)
def test_source_urls_must_be_http(url: str, base_incident: dict) -> None:
    base_incident["sources"][0]["url"] = url
    with pytest.raises(ValidationError, match=r"must be an http\(s\) URL"):
        models.Incident.model_validate(base_incident)


def test_unknown_field_is_rejected(base_incident: dict) -> None:
    base_incident["colour"] = "red"
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        models.Incident.model_validate(base_incident)


def test_location_needs_coordinates_or_place() -> None:
    with pytest.raises(ValidationError, match="needs lat and lon, or a place"):
        models.Location(role="impact", lat=38.0, precision_km=5)
    with pytest.raises(ValidationError, match="either place or lat/lon"):
        models.Location(role="impact", lat=38.0, lon=129.0, place="sokcho", precision_km=5)


def test_location_precision_is_required_and_positive() -> None:
    with pytest.raises(ValidationError, match="precision_km"):
        models.Location(role="impact", lat=38.0, lon=129.0)
    with pytest.raises(ValidationError, match="greater than 0"):
        models.Location(role="impact", lat=38.0, lon=129.0, precision_km=0)


def test_derived_location_needs_a_note() -> None:
    with pytest.raises(ValidationError, match="needs a note saying how it was derived"):
        models.Location(role="impact", lat=38.0, lon=129.0, precision_km=5, derived=True)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_coordinates_must_be_finite(value: float) -> None:
    with pytest.raises(ValidationError, match=r"lat\n.*(finite number|less than or equal to 90)"):
        models.Location(role="impact", lat=value, lon=129.0, precision_km=5)


def test_weapon_accepts_one_mapping_or_a_list(base_incident: dict) -> None:
    base_incident["weapon"] = {"type": "SRBM", "count": 1}
    assert models.Incident.model_validate(base_incident).weapon[0].type == "SRBM"
    base_incident["weapon"] = [{"type": "SLAM-ER", "count": 2}, {"type": "SPICE-2000"}]
    assert [w.type for w in models.Incident.model_validate(base_incident).weapon] == [
        "SLAM-ER",
        "SPICE-2000",
    ]


def _claim(**fields: object) -> dict:
    return {"location": "impact", "source": "s", "text": "x", **fields}


def test_claim_needs_exactly_one_reference() -> None:
    with pytest.raises(ValidationError, match="exactly one reference"):
        models.Claim(**_claim(distance_km=3, place="a", boundary="b"))
    with pytest.raises(ValidationError, match="exactly one reference"):
        models.Claim(**_claim(distance_km=3))


def test_claim_unit_conversion_must_agree() -> None:
    models.Claim(**_claim(distance=104, unit="mi", distance_km=167.4, place="ulleungdo"))
    with pytest.raises(ValidationError, match="does not match distance 104"):
        models.Claim(**_claim(distance=104, unit="mi", distance_km=104, place="ulleungdo"))


def test_claim_direction_from_a_place_is_a_compass_word() -> None:
    with pytest.raises(ValidationError, match="must be a compass word"):
        models.Claim(**_claim(distance_km=57, direction="eastish", place="sokcho"))


@pytest.mark.parametrize(
    ("word", "azimuth", "half_width"),
    [
        ("north", 0, 22.5),
        ("east", 90, 22.5),
        ("northwest", 315, 22.5),
        ("east-northeast", 67.5, 11.25),
    ],
)
def test_compass_words(word: str, azimuth: float, half_width: float) -> None:
    direction = models.CompassDirection(word)
    assert direction.azimuth_deg == azimuth
    assert direction.half_width_deg == half_width


def test_boundary_lines_need_two_distinct_side_names() -> None:
    base = {
        "id": "x_line",
        "name": "X",
        "kind": "de_facto_line",
        "sources": [{"url": "https://example.org", "title": "t"}],
        "accuracy_note": "n",
    }
    with pytest.raises(ValidationError, match="needs side_left and side_right"):
        models.BoundaryMeta(**base)
    with pytest.raises(ValidationError, match="must differ"):
        models.BoundaryMeta(**base, side_left="north", side_right="north")
    with pytest.raises(ValidationError, match="reserved"):
        models.BoundaryMeta(**base, side_left="on", side_right="north")
    zone = {**base, "kind": "buffer_zone"}
    with pytest.raises(ValidationError, match="a zone has no side"):
        models.BoundaryMeta(**zone, side_left="a", side_right="b")


def test_ids_are_lowercase_slugs(base_incident: dict) -> None:
    base_incident["id"] = "Bad ID"
    with pytest.raises(ValidationError, match=re.escape("should match pattern")):
        models.Incident.model_validate(base_incident)


# --------------------------------------------------------------------------- positionless, zones


@pytest.mark.parametrize("category", sorted(models.POSITIONLESS_CATEGORIES))
def test_a_declaration_may_have_no_location(category: str, base_incident: dict) -> None:
    base_incident |= {"category": category, "locations": []}
    assert models.Incident.model_validate(base_incident).locations == []


def test_a_draft_may_have_no_location(base_incident: dict) -> None:
    base_incident |= {"status": "draft", "locations": []}
    assert models.Incident.model_validate(base_incident).status is models.Status.DRAFT


def test_a_launch_without_location_is_rejected(base_incident: dict) -> None:
    base_incident |= {"category": "missile_launch", "locations": []}
    with pytest.raises(ValidationError, match="needs at least one location"):
        models.Incident.model_validate(base_incident)


@pytest.mark.parametrize(
    ("zone", "ok"), [("Asia/Seoul", True), ("Europe/Kyiv", True), ("Mars/Olympus", False)]
)
def test_place_timezone_must_be_iana(zone: str, ok: bool) -> None:
    place = {
        "id": "p",
        "name": "P",
        "lat": 1.0,
        "lon": 2.0,
        "kind": "town",
        "source": "https://example.org/p",
        "timezone": zone,
    }
    if ok:
        assert models.Place.model_validate(place).timezone == zone
    else:
        with pytest.raises(ValidationError, match="must be an IANA time zone"):
            models.Place.model_validate(place)


def test_acknowledgement_code_is_a_short_word(base_incident: dict) -> None:
    base_incident["acknowledged"] = [{"warning": "Precision Crosses", "reason": "x"}]
    with pytest.raises(ValidationError, match="should match pattern"):
        models.Incident.model_validate(base_incident)
