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
