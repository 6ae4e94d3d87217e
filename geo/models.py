"""Data model of the curated files: incidents, places and boundary metadata.

The models are pydantic v2 classes with ``extra="forbid"``, so an unknown or misspelt field is an
error, not a silently ignored key. Closed lists are enums; ``data/README.md`` documents every value.
Coordinates are WGS84 longitude/latitude in degrees (EPSG:4326); distances are kilometres.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

__all__ = [
    "KM_PER_UNIT",
    "POSITIONLESS_CATEGORIES",
    "Acknowledgement",
    "Alternative",
    "BoundaryKind",
    "BoundaryMeta",
    "BoundarySource",
    "BoundaryStatus",
    "Category",
    "Claim",
    "CompassDirection",
    "DatasetSettings",
    "DistanceUnit",
    "Figure",
    "Incident",
    "Interpolation",
    "Location",
    "LocationRole",
    "Place",
    "PlaceKind",
    "Quote",
    "Relation",
    "RelationKind",
    "Source",
    "Status",
    "TerritorialSeaException",
    "TerritorialSeaRule",
    "TerritorialSeaRules",
    "TimePrecision",
    "Translation",
    "Weapon",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SNAKE_PATTERN = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"


class _Strict(BaseModel):
    """Base for every curated record: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# --------------------------------------------------------------------------- closed lists


class Category(enum.StrEnum):
    """What kind of incident a record describes."""

    MISSILE_LAUNCH = "missile_launch"  # ballistic, cruise or surface-to-air missiles fired
    ARTILLERY_FIRE = "artillery_fire"  # artillery or rocket-artillery rounds fired
    AIR_RAID_ALERT = "air_raid_alert"  # a civil-defence alert, sirens, shelter orders
    MILITARY_RESPONSE = "military_response"  # a counter-action: retaliatory fire, scrambles
    INCURSION = "incursion"  # a vessel, aircraft or drone crossing a line
    SANCTIONS = "sanctions"  # designations, illicit procurement, enforcement actions
    STATEMENT = "statement"  # an official statement that is itself the event
    NAVAL_CLASH = "naval_clash"  # an exchange of fire between vessels, or a ship attacked or sunk
    POLITICAL = "political"  # a declaration, agreement or suspension; usually without a position
    OTHER = "other"


class LocationRole(enum.StrEnum):
    """What a location of an incident stands for."""

    LAUNCH = "launch"  # where a weapon was fired from
    IMPACT = "impact"  # where it fell or struck
    ALERT_AREA = "alert_area"  # where an alert was issued
    TARGET_AREA = "target_area"  # the area a response was aimed at
    SITE = "site"  # any other place where the incident happened


class Status(enum.StrEnum):
    """How well established the incident is."""

    CONFIRMED = "confirmed"  # stated by an official source and not contested
    UNCONFIRMED = "unconfirmed"  # reported, not (yet) confirmed
    DISPUTED = "disputed"  # sources contradict each other on whether or how it happened
    DRAFT = "draft"  # made by `geo draft` or a curator, not yet checked; hidden by default


# Categories whose incidents may have no position: a declaration happens nowhere on the map.
POSITIONLESS_CATEGORIES = frozenset({Category.POLITICAL, Category.STATEMENT})


class TimePrecision(enum.StrEnum):
    """How exact ``time`` is: the stated value is exact to this unit."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class RelationKind(enum.StrEnum):
    """How one incident relates to another (read: <this incident> <relation> <other>)."""

    PART_OF = "part_of"  # this is one element of the other (counts must not double it)
    TRIGGERED = "triggered"  # this caused the other
    RESPONSE_TO = "response_to"  # this was done in answer to the other
    FOLLOWS = "follows"  # this comes after the other in a sequence, no causal claim
    SAME_CASE = "same_case"  # both belong to one case or investigation


class DistanceUnit(enum.StrEnum):
    """The unit a source used for a distance; ``distance_km`` is always kilometres."""

    KM = "km"
    MI = "mi"  # statute mile, 1.609344 km
    NMI = "nmi"  # nautical mile, 1.852 km


KM_PER_UNIT = {DistanceUnit.KM: 1.0, DistanceUnit.MI: 1.609344, DistanceUnit.NMI: 1.852}


class CompassDirection(enum.StrEnum):
    """A compass word as sources use it, from the reference to the location.

    The number of points in the word sets its precision: a 4- or 8-point word ("east",
    "northwest") reads as ±22.5°, a 16-point word ("east-northeast") as ±11.25°.
    """

    NORTH = "north"
    NORTH_NORTHEAST = "north-northeast"
    NORTHEAST = "northeast"
    EAST_NORTHEAST = "east-northeast"
    EAST = "east"
    EAST_SOUTHEAST = "east-southeast"
    SOUTHEAST = "southeast"
    SOUTH_SOUTHEAST = "south-southeast"
    SOUTH = "south"
    SOUTH_SOUTHWEST = "south-southwest"
    SOUTHWEST = "southwest"
    WEST_SOUTHWEST = "west-southwest"
    WEST = "west"
    WEST_NORTHWEST = "west-northwest"
    NORTHWEST = "northwest"
    NORTH_NORTHWEST = "north-northwest"

    @property
    def azimuth_deg(self) -> float:
        """Return the azimuth of the word in degrees clockwise from true north."""
        return list(CompassDirection).index(self) * 22.5

    @property
    def half_width_deg(self) -> float:
        """Return the half-width of the sector the word names (22.5° or 11.25°)."""
        return 11.25 if "-" in self.value else 22.5


class PlaceKind(enum.StrEnum):
    """What a gazetteer entry is."""

    ISLAND = "island"
    CITY = "city"
    TOWN = "town"
    PORT = "port"
    AIRPORT = "airport"
    MILITARY_SITE = "military_site"
    DISTRICT = "district"  # a county or other administrative area, by a representative point
    LANDMARK = "landmark"
    FACILITY = "facility"  # a building: an embassy, a ministry


class BoundaryKind(enum.StrEnum):
    """What a boundary feature is. The first three are lines, the last two zones."""

    DE_FACTO_LINE = "de_facto_line"  # enforced in practice, not agreed by all parties
    CLAIMED_LINE = "claimed_line"  # claimed by one party, not enforced
    LAND_DEMARCATION = "land_demarcation"  # an agreed or armistice line on land
    BUFFER_ZONE = "buffer_zone"  # a zone with agreed restrictions
    TERRITORIAL_SEA = "territorial_sea"  # a state's territorial sea (derived, approximate)

    @property
    def is_line(self) -> bool:
        """Return True for line kinds, False for zones."""
        return self in {self.DE_FACTO_LINE, self.CLAIMED_LINE, self.LAND_DEMARCATION}


class BoundaryStatus(enum.StrEnum):
    """Flags on a boundary; a feature may carry several."""

    AGREED = "agreed"  # accepted by the parties on both sides
    DISPUTED = "disputed"  # contested by at least one party
    APPROXIMATE = "approximate"  # the geometry is a stand-in, see accuracy_note


class Interpolation(enum.StrEnum):
    """How consecutive vertices of a boundary are joined."""

    GEODESIC = "geodesic"  # the shortest path on the WGS84 ellipsoid
    RHUMB = "rhumb"  # constant bearing: straight on a Mercator chart ("along 38°37′N")


# --------------------------------------------------------------------------- field types


def _check_http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, flags=re.IGNORECASE):
        scheme = value.split(":", 1)[0] if ":" in value else value[:20]
        raise ValueError(f"must be an http(s) URL, got scheme {scheme!r}")
    return value


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
NonEmptyStr = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
SnakeId = Annotated[str, Field(pattern=SNAKE_PATTERN, max_length=80)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=120)]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value}")
    return value


Latitude = Annotated[float, Field(ge=-90, le=90), AfterValidator(_finite)]
Longitude = Annotated[float, Field(ge=-180, le=180), AfterValidator(_finite)]
PositiveKm = Annotated[float, Field(gt=0), AfterValidator(_finite)]


def _parse_aware_datetime(value: Any) -> dt.datetime:
    """Accept an ISO 8601 string or a datetime (as PyYAML hands them over); require an offset."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        raise ValueError("must be a date and time with a UTC offset, got a date alone")
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"must be ISO 8601 with a UTC offset, got {value!r}") from None
    else:
        raise ValueError(f"must be ISO 8601 with a UTC offset, got {type(value).__name__}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"must carry a UTC offset (e.g. +09:00), got {value!s}")
    return parsed


AwareDatetime = Annotated[dt.datetime, BeforeValidator(_parse_aware_datetime)]


def _parse_date(value: Any) -> dt.date:
    """Accept a date, a datetime (its date is kept) or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"must be an ISO date (YYYY-MM-DD), got {value!r}") from None
    raise ValueError(f"must be an ISO date (YYYY-MM-DD), got {type(value).__name__}")


IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]


def _check_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"must be an IANA time zone such as 'Asia/Seoul', got {value!r}") from None
    return value


IanaZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_check_zone)]


def _as_list(value: Any) -> Any:
    """Let a single mapping stand for a one-item list (``weapon: {type: SRBM}``)."""
    return [value] if isinstance(value, dict) else value


# --------------------------------------------------------------------------- incident parts


class Translation(_Strict):
    """A translation of a quote, attributed to whoever made it."""

    text: NonEmptyStr
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = "en"
    translated_by: NonEmptyStr  # "Yonhap", "Seamark curators", ...


class Quote(_Strict):
    """Words a source printed, verbatim, with who said them."""

    text: NonEmptyStr  # verbatim, never paraphrased
    speaker: NonEmptyStr  # a person or body; "unnamed official" when the source names none
    speaker_role: str | None = None
    via: str | None = None  # the chain when second-hand: "The New York Times"
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] | None = None
    translation: Translation | None = None


class Source(_Strict):
    """A published source: an article, a release, a database entry."""

    id: SourceId  # unique within its incident file
    outlet: NonEmptyStr
    url: HttpUrl
    title: str | None = None
    author: str | None = None
    published: IsoDate | None = None  # omit when the date is not known; never guess it
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
    canonical_url: HttpUrl | None = None  # the original when ``url`` is a copy that was read
    archived_url: HttpUrl | None = None
    accessed: IsoDate | None = None
    note: str | None = None
    quotes: list[Quote] = Field(default_factory=list)


class Alternative(_Strict):
    """Another reading of a derived position: where it lies under other assumptions.

    Alternatives are not locations: nothing is measured from them. They show how far the
    solution moves when an assumption changes (which NLL latitude, coast or centre of an island).
    """

    lon: Longitude
    lat: Latitude
    assumes: NonEmptyStr  # what differs from the main solution
    method: NonEmptyStr  # how the point was made
    source: str | None = None  # where the alternative comes from (a review, a source id)
    note: str | None = None


class Location(_Strict):
    """Where (part of) an incident happened: coordinates or a gazetteer place, with a radius.

    ``precision_km`` is the radius within which the true position lies, as well as curators can
    tell; it is required because every position has one.
    """

    role: LocationRole
    place: Slug | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    precision_km: PositiveKm
    label: str | None = None
    derived: bool = False  # True when the position is computed, not read from a source
    solve_from_claims: bool = False  # solve the position from the incident's claims
    note: str | None = None
    alternatives: list[Alternative] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_position(self) -> Location:
        has_coords = self.lat is not None or self.lon is not None
        if self.place is not None and has_coords:
            raise ValueError("give either place or lat/lon, not both")
        missing = self.lat is None or self.lon is None
        if self.place is None and not self.solve_from_claims and missing:
            raise ValueError("needs lat and lon, or a place")
        if (self.derived or self.solve_from_claims) and not self.note:
            raise ValueError("a derived position needs a note saying how it was derived")
        return self


class Claim(_Strict):
    """What a source states about a location's position relative to a place or boundary.

    ``distance_km`` is normalised to kilometres; ``unit`` records the unit the source used and
    ``distance`` the figure as printed in it. ``direction`` is a compass word (of a place) or a
    side name of the boundary (e.g. ``south`` of the NLL).
    """

    location: LocationRole  # the role of the location the claim describes
    source: SourceId  # a source id of the same file
    text: NonEmptyStr  # the verbatim phrase, original units
    distance_km: Annotated[float, Field(ge=0), AfterValidator(_finite)] | None = None
    distance: Annotated[float, Field(ge=0), AfterValidator(_finite)] | None = None
    unit: DistanceUnit = DistanceUnit.KM
    direction: str | None = None
    direction_precision_deg: Annotated[float, Field(gt=0, le=90)] | None = None
    boundary: SnakeId | None = None
    place: Slug | None = None
    reference_point: Literal["centre", "edge"] | None = None
    tolerance_km: PositiveKm | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if (self.boundary is None) == (self.place is None):
            raise ValueError("name exactly one reference: boundary or place")
        if self.distance_km is None and self.direction is None:
            raise ValueError("states neither distance_km nor direction")
        if self.distance is not None:
            if self.distance_km is None:
                raise ValueError("distance is given in its unit but distance_km is missing")
            expected_km = self.distance * KM_PER_UNIT[self.unit]
            if abs(expected_km - self.distance_km) > max(0.005 * expected_km, 0.05):
                raise ValueError(
                    f"distance_km {self.distance_km} does not match distance {self.distance} "
                    f"{self.unit.value} (= {expected_km:.3f} km)"
                )
        if self.place is not None and self.direction is not None:
            try:
                CompassDirection(self.direction)
            except ValueError:
                words = ", ".join(d.value for d in CompassDirection)
                raise ValueError(
                    f"direction from a place must be a compass word ({words}), "
                    f"got {self.direction!r}"
                ) from None
        return self


class Relation(_Strict):
    """A link from this incident to another one."""

    id: Slug
    relation: RelationKind
    note: str | None = None


class Weapon(_Strict):
    """What was fired or used, as the incident's main source puts it."""

    type: NonEmptyStr
    count: Annotated[int, Field(ge=0)] | None = None
    count_qualifier: Literal["exact", "at_least", "about", "up_to"] = "exact"
    source: str | None = None
    note: str | None = None


class Figure(_Strict):
    """A reported figure; conflicting figures are recorded side by side, one entry each."""

    quantity: NonEmptyStr  # what is counted or measured, e.g. "missiles fired on 2 Nov"
    value: float | int | str
    qualifier: Literal["exact", "at_least", "about", "up_to", "more_than", "less_than"] = "exact"
    unit: str | None = None
    source: NonEmptyStr  # a source id of the same file
    note: str | None = None


class Acknowledgement(_Strict):
    """A validation warning a curator has read and accepted, with the reason."""

    warning: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]  # the warning's short code
    reason: NonEmptyStr
    field: str | None = None  # limits it to one field path ("locations[1]"); default: all


class Incident(_Strict):
    """One incident: what happened, when, where, and what the sources said."""

    id: Slug
    title: NonEmptyStr
    summary: str | None = None
    category: Category
    actor: NonEmptyStr
    time: AwareDatetime
    time_end: AwareDatetime | None = None
    time_precision: TimePrecision
    status: Status
    weapon: Annotated[list[Weapon], BeforeValidator(_as_list)] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)  # empty: see _has_position
    claims: list[Claim] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    sources: Annotated[list[Source], Field(min_length=1)]
    related: list[Relation] = Field(default_factory=list)
    tags: list[NonEmptyStr] = Field(default_factory=list)
    notes: str | None = None
    acknowledged: list[Acknowledgement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_position(self) -> Incident:
        exempt = self.category in POSITIONLESS_CATEGORIES or self.status is Status.DRAFT
        if not self.locations and not exempt:
            allowed = ", ".join(sorted(c.value for c in POSITIONLESS_CATEGORIES))
            raise ValueError(
                f"needs at least one location (only categories {allowed} and drafts may have none)"
            )
        return self

    @field_validator("time_end")
    @classmethod
    def _end_after_start(cls, value: dt.datetime | None, info: Any) -> dt.datetime | None:
        start = info.data.get("time")
        if value is not None and start is not None and value < start:
            raise ValueError(f"must not be before time ({start.isoformat()}), got {value}")
        return value


# --------------------------------------------------------------------------- gazetteer


class Place(_Strict):
    """A named place of the gazetteer (data/places.yaml).

    ``radius_km`` is the place's extent as a circle (an island, a city); distances can be given
    from its centre or its edge.
    """

    id: Slug
    name: NonEmptyStr  # English name
    names: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], NonEmptyStr] = Field(
        default_factory=dict
    )  # other languages: {ko: 울릉도}
    lat: Latitude
    lon: Longitude
    kind: PlaceKind
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None  # ISO 3166-1 alpha-3
    radius_km: Annotated[float, Field(ge=0), AfterValidator(_finite)] = 0.0
    precision_km: PositiveKm = 1.0  # how well the coordinate itself is known
    disputed: bool = False
    timezone: IanaZone | None = None  # the IANA zone of local times there: "Asia/Seoul"
    source: HttpUrl
    note: str | None = None


# --------------------------------------------------------------------------- boundaries


class BoundarySource(_Strict):
    """Where a boundary's geometry comes from."""

    url: HttpUrl
    title: NonEmptyStr
    note: str | None = None


class BoundaryMeta(_Strict):
    """The properties of one boundary feature in data/boundaries/*.geojson.

    Lines carry ``side_left`` and ``side_right``: the names of the sides to the left and right of
    a walker following the vertices in order (the NLL's are ``north`` and ``south``).
    """

    id: SnakeId
    name: NonEmptyStr
    names: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], NonEmptyStr] = Field(
        default_factory=dict
    )
    short_name: str | None = None  # for labels and column headers: "NLL (East)"
    layer: str | None = (
        None  # map layer it toggles with ("Northern Limit Line (NLL)"); default: name
    )
    kind: BoundaryKind
    status: list[BoundaryStatus] = Field(default_factory=list)
    side_left: SnakeId | None = None
    side_right: SnakeId | None = None
    interpolation: Interpolation = Interpolation.GEODESIC
    state: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None  # territorial seas
    sources: Annotated[list[BoundarySource], Field(min_length=1)]
    accuracy_note: NonEmptyStr
    accuracy_km: Annotated[float, Field(ge=0)] | None = None
    note: str | None = None
    # Several features may share an ``id`` when sources disagree on where a line runs: each is a
    # version with its own ``version`` id; the one with ``default: true`` is drawn and measured
    # first. A line with a single feature needs neither.
    version: SnakeId | None = None
    version_label: str | None = None  # short, for the panel: "38°37′N"
    default: bool = False

    @model_validator(mode="after")
    def _sides(self) -> BoundaryMeta:
        if self.kind.is_line:
            if not self.side_left or not self.side_right:
                raise ValueError("a line needs side_left and side_right")
            if self.side_left == self.side_right:
                raise ValueError("side_left and side_right must differ")
            if "on" in {self.side_left, self.side_right}:
                raise ValueError("'on' is reserved for points on the line")
        elif self.side_left or self.side_right:
            raise ValueError("a zone has no side_left/side_right")
        return self


# --------------------------------------------------------------------------- territorial seas


class TerritorialSeaException(_Strict):
    """A stretch of coast where a state claims a breadth other than its default."""

    name: NonEmptyStr
    breadth_nm: PositiveKm  # nautical miles
    bbox: Annotated[list[float], Field(min_length=4, max_length=4)]  # lon_min, lat_min, ...
    source: HttpUrl
    note: str | None = None

    @field_validator("bbox")
    @classmethod
    def _bbox_order(cls, value: list[float]) -> list[float]:
        lon_min, lat_min, lon_max, lat_max = value
        if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
            raise ValueError(f"must be [lon_min, lat_min, lon_max, lat_max], got {value}")
        return value


class TerritorialSeaRule(_Strict):
    """The territorial-sea breadth one state claims, with its exceptions."""

    state: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    name: NonEmptyStr
    breadth_nm: PositiveKm
    baseline: Literal["normal", "straight_approximated_by_normal"] = "normal"
    exceptions: list[TerritorialSeaException] = Field(default_factory=list)
    source: HttpUrl
    note: str | None = None


class TerritorialSeaRules(_Strict):
    """data/territorial_seas.yaml: breadths per state, measured from the bundled coastline."""

    default_breadth_nm: PositiveKm | None = None  # for states without a rule; None: no sea
    rules: list[TerritorialSeaRule] = Field(default_factory=list)
    note: str | None = None


# --------------------------------------------------------------------------- data directory


class DatasetSettings(_Strict):
    """data/dataset.yaml: settings of a whole data directory (optional file).

    ``timezone`` is the zone of local times where no place says otherwise: ``geo draft`` gives a
    time it reads in an article this zone's offset when none of the article's places has one.
    """

    timezone: IanaZone | None = None  # "Asia/Seoul"
    note: str | None = None
