"""The bundled dataset: validates cleanly and keeps the seed article's facts and quotes."""

from __future__ import annotations

import pytest

from geo import load_catalog
from geo.positions import solve_positions
from tests.conftest import CURATED_DIR

KEY = "2022-11-02-srbm-south-of-nll"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CURATED_DIR)


def test_curated_data_validates_without_errors_or_warnings(catalog) -> None:
    assert [p.format() for p in catalog.problems] == []
    assert len(catalog.incidents) >= 14
    assert len(catalog.boundaries) >= 6


@pytest.mark.parametrize(
    "incident_id",
    [
        "2022-11-02-north-pyongan-srbms",
        "2022-11-02-wonsan-srbm-wave",
        KEY,
        "2022-11-02-mixed-salvo-east-west",
        "2022-11-02-kosong-artillery",
        "2022-11-02-afternoon-sams",
        "2022-11-02-ulleung-air-raid-alert",
        "2022-11-02-rok-air-launched-missiles",
        "2022-11-03-sunan-icbm",
        "2022-11-03-kaechon-srbms",
        "2022-11-03-koksan-srbms",
        "2022-11-03-kumgang-artillery",
        "2022-11-05-north-pyongan-srbms",
        "2016-isis-bakr-dprk-contacts-brazil",
    ],
)
def test_required_incidents_are_present(catalog, incident_id: str) -> None:
    assert incident_id in catalog.incidents


def test_key_missile_is_part_of_the_wonsan_wave_with_three_jcs_claims(catalog) -> None:
    incident = catalog.incidents[KEY]
    relations = {(r.id, r.relation.value) for r in incident.related}
    assert ("2022-11-02-wonsan-srbm-wave", "part_of") in relations
    assert ("2022-11-02-ulleung-air-raid-alert", "triggered") in relations
    claims = {(c.boundary or c.place, c.distance_km, c.direction) for c in incident.claims}
    assert claims >= {
        ("nll_east", 26, "south"),
        ("sokcho", 57, "east"),
        ("ulleungdo", 167, "northwest"),
    }
    impact = next(loc for loc in incident.locations if loc.role.value == "impact")
    assert impact.solve_from_claims
    assert "least squares" in impact.note
    solution = solve_positions(catalog).solution(KEY, incident.locations.index(impact))
    assert solution, solution
    assert solution.sigma_major_km < 10


def test_boundaries_carry_their_declared_sides(catalog) -> None:
    meta = catalog.boundary_meta
    assert {meta["nll_east"].side_left, meta["nll_east"].side_right} == {"north", "south"}
    assert {meta["nll_west"].side_left, meta["nll_west"].side_right} == {"north", "south"}
    assert meta["nll_east"].interpolation.value == "rhumb"
    assert "mdl" in meta


# Every quotation in the seed article (The National Interest, 2 Nov 2022), verbatim as printed
# there, without the closing punctuation the article puts inside its quotation marks.
SEED_QUOTES = [
    "The siren started blaring at 8:55 a.m. and we got a message from our government computer "
    "system saying that this is ‘a real-life situation,’",
    "We took refuge at an underground shelter for three or four minutes before coming out again",
    "The United States condemns the DPRK's ballistic missile launches and its reckless decision to "
    "fire a missile below the de facto maritime boundary with the Republic of Korea",
    "These launches are in violation of multiple United Nations Security Council Resolutions "
    "unanimously adopted by the council and threaten peace and stability in the region",
    "Our commitment to the defense of the Republic of Korea and Japan remains ironclad and we will "
    "continue to work closely with our allies and partners to limit the North's ability to advance "
    "its unlawful weapons programs and threaten regional stability",
    "North Korea's missile launch, which marks the first time since the division of the peninsula "
    "that it has landed near our territorial waters south of the NLL, is very rare and intolerable",
    "In 2016, senior ISIS leaders made various attempts to find sources of weapons and support. "
    "ISIS leaders directed Osama Abdelmongy Abdalla Bakr (Bakr) to make contact with the "
    "Democratic People’s Republic of Korea (DPRK). Bakr took direct instructions from an ISIS "
    "leader and was paid nearly $30,000 by ISIS leaders in support of his efforts",
    "Bakr sought multiple meetings with DPRK embassy employees in Brazil in an effort to purchase "
    "lightweight weaponry and anti-drone technology for the benefit of ISIS. ISIS did not receive "
    "lightweight weapons, anti-drone technology, or anything else from the DPRK. Bakr remained in "
    "contact with ISIS leaders through at least 2018",
    "first designations against this affiliate of the Islamic State of Iraq and Syria (ISIS)",
    "blacklisted",
]


def test_every_seed_quote_is_attached_verbatim(catalog) -> None:
    attached = [
        quote.text
        for incident in catalog.incidents.values()
        for source in incident.sources
        for quote in source.quotes
    ]
    missing = [q for q in SEED_QUOTES if not any(q in text for text in attached)]
    assert missing == []


def test_conflicting_day_totals_are_recorded_side_by_side(catalog) -> None:
    values = {
        str(f.value)
        for incident in catalog.incidents.values()
        for f in incident.figures
        if "day total" in f.quantity or "2 Nov" in f.quantity
    }
    assert {"23", "25"} <= values


# --------------------------------------------------------------------------- 2022-11 review


def test_no_source_date_is_a_guess(catalog) -> None:
    """Review B1: a `published` date only where the page or its URL shows it, never "assumed"."""
    for incident in catalog.incidents.values():
        for source in incident.sources:
            note = (source.note or "").lower()
            assert "assumed" not in note, (incident.id, source.id)
            if source.published is not None:
                assert "not recorded" not in note, (incident.id, source.id)


def test_scare_quote_is_the_outlets_and_no_via_names_its_own_source(catalog) -> None:
    """Review A6 and B3."""
    bakr = catalog.incidents["2016-isis-bakr-dprk-contacts-brazil"]
    quotes = [(s, q) for s in bakr.sources for q in s.quotes]
    speakers = {q.speaker for _, q in quotes if q.text == "blacklisted"}
    assert speakers == {"The National Interest"}
    for incident in catalog.incidents.values():
        for source in incident.sources:
            for quote in source.quotes:
                via = (quote.via or "").lower()
                assert source.outlet.lower() not in via, (incident.id, source.id, quote.via)
                assert "statement" not in via, (incident.id, via)
                assert "press release" not in via, (incident.id, via)


def test_sources_read_from_copies_are_not_bare_hosts(catalog) -> None:
    """Review B2: every source URL has a path (no bare-host mirror)."""
    from urllib.parse import urlparse

    for incident in catalog.incidents.values():
        for source in incident.sources:
            url = urlparse(str(source.url))
            assert url.path.strip("/") or url.query, (incident.id, source.id, str(source.url))


def test_corrected_facts_of_the_review(catalog) -> None:
    incidents = catalog.incidents
    # A1: the 5 Nov launch area is the JCS's Tongrim
    assert "동림" in incidents["2022-11-05-north-pyongan-srbms"].locations[0].label
    # A2: the 16:30 wave has the JCS's four launch areas
    labels = [loc.label for loc in incidents["2022-11-02-afternoon-sams"].locations]
    assert all(any(name in label for label in labels) for name in ("선덕", "신포", "과일", "온천"))
    # A4: no source gives an end for the Kumgang firing
    assert incidents["2022-11-03-kumgang-artillery"].time_end is None
    # G: "through at least 2018" has no end date either
    assert incidents["2016-isis-bakr-dprk-contacts-brazil"].time_end is None
    # A8: the disputed KPA claim and the 4 Nov flights are recorded
    assert incidents["2022-11-02-kpa-claimed-cruise-missiles-ulsan"].status.value == "disputed"
    assert "2022-11-04-dprk-military-flights" in incidents
    icbm = incidents["2022-11-03-sunan-icbm"]
    icbm_types = {str(f.value) for f in icbm.figures if f.quantity == "ICBM type"}
    assert icbm_types == {"Hwasong-17 (presumed)", "Hwasong-15"}


def test_north_of_nll_circles_stay_north_of_every_nll_version(catalog) -> None:
    """Review A7: where a claim puts a location north of nll_east, its circle does not cross any
    version of the line (measured on the ellipsoid with pyproj, each version being a parallel)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    versions = catalog.boundary_versions
    latitudes = [
        {round(y, 9) for _, y in geom.coords}.pop()
        for geom in versions[versions["id"] == "nll_east"].geometry
    ]
    assert len(latitudes) >= 2
    checked = 0
    for incident in catalog.incidents.values():
        for claim in incident.claims:
            if claim.boundary != "nll_east" or claim.direction != "north":
                continue
            location = next(loc for loc in incident.locations if loc.role == claim.location)
            for lat0 in latitudes:
                assert location.lat > lat0
                km = geod.inv(location.lon, lat0, location.lon, location.lat)[2] / 1000.0
                assert location.precision_km < km, (incident.id, lat0, km)
            checked += 1
    assert checked >= 3  # the Kosong and Kumgang impacts and the ROK target area


def test_nll_east_versions_and_the_key_missiles_alternatives(catalog) -> None:
    """Issue 10: at least two sourced versions, one default; the stored alternative fits are what
    scripts/fit_alternatives.py computes from the claims (so the data cannot drift from it)."""
    import importlib.util
    import sys

    from tests.conftest import REPO

    versions = catalog.boundary_versions
    east = versions[versions["id"] == "nll_east"]
    assert len(east) >= 2
    assert list(east[east["default"]]["version"]) == ["lat_38_37_nmi"]
    for (line_id, _), meta in catalog.boundary_version_meta.items():
        if line_id == "nll_east":
            assert meta.sources
            assert meta.version_label
    spec = importlib.util.spec_from_file_location(
        "fit_alternatives", REPO / "scripts" / "fit_alternatives.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    fits = {f["scenario"].assumes: f for f in (module.fit(catalog, s) for s in module.SCENARIOS)}
    impact = next(loc for loc in catalog.incidents[KEY].locations if loc.role.value == "impact")
    assert len(impact.alternatives) == 3
    for alternative in impact.alternatives:
        recomputed = fits[alternative.assumes]
        assert abs(recomputed["lat"] - alternative.lat) < 1e-4
        assert abs(recomputed["lon"] - alternative.lon) < 1e-4
        assert recomputed["directions_ok"]
