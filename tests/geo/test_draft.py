"""geo draft: an article in, draft incidents out; checked against the article and the fact sheet.

Expected values come from the article texts and from /work/shared/reference/facts-2022-11.md (who
said what in the seed article), never from the drafter's own output.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Severity, load_catalog
from geo.draft import DraftError, check_drafts, draft_article, draft_yaml
from geo.draft.quotes import attribute_quotes, find_quotations
from tests.conftest import CURATED_DIR, FIXTURE_DIR, REPO

SEED = REPO.parent.parent / "shared" / "seed" / "000_05ffc787bca835d7.txt"
if not SEED.exists():  # the worktree lives in /work/wt-*, the seed in /work/shared
    SEED = Path("/work/shared/seed/000_05ffc787bca835d7.txt")
ARTICLES = REPO / "tests" / "data" / "articles"
SEED_URL = "https://nationalinterest.org/blog/korea-watch/north-korea-fires-record-setting-salvo-missiles-205696"

# The seed's 10 quotations with their speakers and vias, as the fact sheet (section 0 and 5)
# gives them: (opening words, speaker contains, via contains or None).
SEED_QUOTES = [
    ("The siren started blaring at 8:55 a.m.", "Chung Young-hwan", "Times"),
    ("We took refuge at an underground shelter", "Chung Young-hwan", "Times"),
    ("The United States condemns the DPRK's", "State Department spokesperson", "Yonhap"),
    ("These launches are in violation", "State Department spokesperson", "Yonhap"),
    ("Our commitment to the defense", "State Department spokesperson", "Yonhap"),
    ("North Korea's missile launch, which marks", "Joint Chiefs of Staff", None),
    ("blacklisted", "United States", None),
    ("In 2016, senior ISIS leaders", "Treasury Department", None),
    ("Bakr sought multiple meetings", "Treasury Department", None),
    ("first designations against this affiliate", "Treasury Department", None),
]


@pytest.fixture(scope="module")
def curated():
    return load_catalog(CURATED_DIR)


@pytest.fixture(scope="module")
def blacksea():
    return load_catalog(FIXTURE_DIR)


def _quotes(drafts) -> list[dict]:
    return [q for d in drafts.drafts for s in d.data["sources"] for q in s.get("quotes", [])]


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _verbatim_quotations(text: str) -> list[str]:
    """Return the seed's quotations cut by hand-written offsets (independent of the drafter)."""
    starts = [text.index(opening) for opening, _, _ in SEED_QUOTES]
    closers = ["”", "”", '"', "”", '"', "”", "”", "”", "”", "”"]
    return [
        text[start : text.index(closer, start + 1)]
        for start, closer in zip(starts, closers, strict=False)
    ]


@pytest.mark.parametrize("published", [dt.date(2022, 11, 2), dt.date(2022, 11, 3)])
def test_seed_article_all_quotes_verbatim_with_speakers(curated, published) -> None:
    drafts = draft_article(
        SEED.read_bytes(),
        curated,
        name="seed.txt",
        url=SEED_URL,
        outlet="The National Interest",
        published=published,
    )
    text = _seed_text()
    quotes = sorted(_quotes(drafts), key=lambda q: text.find(q["text"]))
    assert len(quotes) == len(SEED_QUOTES) == 10
    expected_texts = _verbatim_quotations(text)
    for (opening, speaker, via), quote in zip(SEED_QUOTES, quotes, strict=True):
        assert quote["text"].startswith(opening)
        assert quote["text"] in text  # verbatim: a substring of the article
        assert speaker in quote["speaker"], quote
        assert (via is None and "via" not in quote) or via in quote.get("via", ""), quote
    # the first quote ends inside a nested quotation: ‘a real-life situation,’ is kept
    assert quotes[0]["text"].endswith("‘a real-life situation,’")
    assert [q["text"] for q in quotes] == [t.strip().rstrip('"”').strip() for t in expected_texts]


def test_seed_article_times_places_and_boundary(curated) -> None:
    drafts = draft_article(
        SEED.read_bytes(), curated, url=SEED_URL, published=dt.date(2022, 11, 3)
    ).drafts
    kst = dt.timezone(dt.timedelta(hours=9))
    times = [dt.datetime.fromisoformat(d.data["time"]) for d in drafts]
    assert all(t.utcoffset() == dt.timedelta(hours=9) for t in times)
    launch = next(d for d in drafts if d.data["actor"] == "North Korea")
    assert launch.data["category"] == "missile_launch"
    assert dt.datetime.fromisoformat(launch.data["time"]).date() == dt.date(2022, 11, 2)
    assert launch.data["time_precision"] == "day"
    alert = next(d for d in drafts if d.data["category"] == "air_raid_alert")
    # fact sheet 1.3: sirens at 08:55 KST on 2 Nov (Chung Young-hwan, via the NYT)
    assert dt.datetime.fromisoformat(alert.data["time"]) == dt.datetime(
        2022, 11, 2, 8, 55, tzinfo=kst
    )
    assert alert.data["time_precision"] == "minute"
    assert [loc["place"] for loc in alert.data["locations"]] == ["ulleungdo"]
    assert "nll_east" in launch.data["notes"]
    assert "NLL" in launch.data["notes"]


def test_seed_drafts_validate_and_round_trip(curated) -> None:
    drafts = draft_article(SEED.read_bytes(), curated, url=SEED_URL, published=dt.date(2022, 11, 2))
    texts = [draft_yaml(d) for d in drafts.drafts]
    for draft, text in zip(drafts.drafts, texts, strict=True):
        assert yaml.safe_load(text) == draft.data
        assert "status: draft" in text
    checked, _ = check_drafts(texts, CURATED_DIR)
    assert not checked.errors, [p.format() for p in checked.errors]
    assert len(checked.incidents) == len(texts)
    # a draft without a location is valid, with a warning
    positionless = [d.id for d in drafts.drafts if not d.data["locations"]]
    warned = {p.record for p in checked.warnings if p.field == "locations"}
    assert positionless
    assert warned == set(positionless)


def test_wire_article_black_sea(blacksea) -> None:
    drafts = draft_article(
        (ARTICLES / "wire_blacksea.txt").read_bytes(),
        blacksea,
        url="https://example.org/wire/1",
        outlet="Fixture Wire",
        published=dt.date(2024, 5, 3),
    ).drafts
    text = (ARTICLES / "wire_blacksea.txt").read_text(encoding="utf-8")
    by_category = {d.data["category"]: d for d in drafts}
    assert set(by_category) == {"missile_launch", "air_raid_alert", "military_response"}
    launch, alert = by_category["missile_launch"], by_category["air_raid_alert"]
    response = by_category["military_response"]
    # 04:10 local in Kyiv's zone in May is UTC+3 (the article also says 0110 GMT)
    moment = dt.datetime.fromisoformat(launch.data["time"])
    assert moment.astimezone(dt.UTC) == dt.datetime(2024, 5, 3, 1, 10, tzinfo=dt.UTC)
    assert launch.data["time_precision"] == "minute"
    assert {"id": alert.id, "relation": "triggered"} in launch.data["related"]
    assert {"id": launch.id, "relation": "response_to"} in response.data["related"]
    assert response.data["actor"] == "Fixture Navy"
    assert [loc["place"] for loc in alert.data["locations"]] == ["odesa"]
    assert [loc["place"] for loc in response.data["locations"]] == ["constanta"]
    impact = [loc for loc in launch.data["locations"] if loc["role"] == "impact"]
    assert impact
    assert impact[0]["solve_from_claims"] is True
    references = {c.get("place") or c.get("boundary") for c in launch.data["claims"]}
    assert references == {"zmiinyi-island", "fixture_line"}
    miles = next(c for c in launch.data["claims"] if c.get("unit") == "mi")
    assert miles["distance"] == 20
    assert miles["distance_km"] == pytest.approx(32.187, abs=0.01)
    quotes = {q["text"]: q for d in drafts for s in d.data["sources"] for q in s.get("quotes", [])}
    for quote in quotes:
        assert quote in text
    koval = quotes["We heard the first blast and then the sirens,"]
    assert (koval["speaker"], koval["speaker_role"]) == ("Olena Koval", "harbour pilot in Odesa")
    nested = quotes["My neighbour shouted 'get down' and we ran to the cellar."]
    assert nested["speaker"] == "Olena Koval"
    assert quotes["The port will reopen on Monday,"]["speaker"] == "Olena Koval"
    spanning = next(q for t, q in quotes.items() if t.startswith("The missiles were launched"))
    assert spanning["text"].endswith("before they reached the coast,")
    assert "\n" in spanning["text"]  # two paragraphs, one quotation
    assert spanning["speaker"] == "Vice Admiral Petro Hlib"
    assert spanning["speaker_role"] == "commander of the Fixture Navy"
    assert spanning["via"] == "Fixture Radio"
    assert quotes["humanitarian corridor"]["speaker"] == "Fixture Wire"  # scare quotes
    assert quotes["Everything shook."]["speaker"] == "unknown"  # never guessed
    figures = {(f["value"], f.get("unit")) for d in drafts for f in d.data.get("figures", [])}
    assert {(3, "missiles"), (40, "minutes"), (2, "missiles")} <= figures
    assert "“ODESA”" not in draft_yaml(launch)  # the dateline is not a location


def test_yaml_says_where_values_came_from(blacksea) -> None:
    drafts = draft_article(
        (ARTICLES / "wire_blacksea.txt").read_bytes(),
        blacksea,
        url="https://example.org/wire/1",
        published=dt.date(2024, 5, 3),
    ).drafts
    text = draft_yaml(drafts[0])
    lines = text.splitlines()
    time_line = next(i for i, line in enumerate(lines) if line.startswith("time:"))
    assert lines[time_line - 1].startswith("# L5: “4:10 a.m.”")
    assert "Europe/Kyiv" in lines[time_line - 1]
    assert "# L13" in text or "# L11-13" in text  # the quote over two paragraphs


def test_korean_paragraphs(blacksea) -> None:
    drafts = draft_article(
        (ARTICLES / "korean_odesa.txt").read_bytes(),
        blacksea,
        url="https://example.org/ko/1",
        outlet="픽스처 통신",
        published=dt.date(2024, 5, 3),
    ).drafts
    quotes = [q for d in drafts for s in d.data["sources"] for q in s.get("quotes", [])]
    assert [(q["text"], q["speaker"]) for q in quotes] == [
        ("미사일 2발을 해안에 도달하기 전에 요격했다", "해군"),
        ("첫 폭발음을 듣고 지하실로 뛰어갔다", "오데사 시민 올레나 코발"),
    ]
    assert all(q["language"] == "ko" for q in quotes)
    launch = next(d for d in drafts if d.data["category"] == "missile_launch")
    assert launch.data["time"] == "2024-05-03T04:10:00+03:00"
    assert launch.data["actor"] == "동부군"
    alert = next(d for d in drafts if d.data["category"] == "air_raid_alert")
    assert [loc["place"] for loc in alert.data["locations"]] == ["odesa"]


def test_html_with_clutter(blacksea) -> None:
    path = ARTICLES / "clutter.html"
    drafts = draft_article(path.read_bytes(), blacksea, name=path.name)
    source = drafts.drafts[0].data["sources"][0]
    assert source["url"] == "https://example.org/wire/odesa-grain-ship"  # from the page
    assert source["outlet"] == "Fixture Wire"
    assert source["author"] == "Jane Roe"
    assert source["published"] == dt.date(2024, 5, 3)
    quotes = _quotes(drafts)
    assert [q["text"] for q in quotes] == ["We heard the first explosion at 4:10 a.m.,"]
    assert quotes[0]["speaker"] == "Olena Koval"
    text = draft_yaml(next(d for d in drafts.drafts if d.data["sources"][0].get("quotes")))
    html_lines = path.read_text(encoding="utf-8").splitlines()
    quote_line = next(i for i, line in enumerate(html_lines, 1) if "first explosion" in line)
    assert f"# L{quote_line}: “We heard the first explosion" in text  # a line of the HTML file
    alert = next(d for d in drafts.drafts if d.data["category"] == "air_raid_alert")
    assert alert.data["time"] == "2024-05-03T04:15:00+03:00"


def test_flags_override_the_page(blacksea) -> None:
    drafts = draft_article(
        (ARTICLES / "clutter.html").read_bytes(),
        blacksea,
        name="clutter.html",
        url="https://example.org/other",
        outlet="Another Outlet",
        published=dt.date(2024, 5, 4),
        language="uk",
    )
    source = drafts.drafts[0].data["sources"][0]
    assert (source["url"], source["outlet"], source["published"], source["language"]) == (
        "https://example.org/other",
        "Another Outlet",
        dt.date(2024, 5, 4),
        "uk",
    )


def test_missing_url_and_date_are_errors(blacksea) -> None:
    with pytest.raises(DraftError, match="--url"):
        draft_article(b"Sirens in Odesa at 4:10 a.m.", blacksea)
    with pytest.raises(DraftError, match="--published"):
        draft_article(b"Sirens sounded in Odesa.", blacksea, url="https://example.org/x")
    with pytest.raises(DraftError, match="not UTF-8"):
        draft_article(b"caf\xe9", blacksea, url="https://example.org/x")


def test_quote_without_speaker_is_left_unknown() -> None:
    text = "Residents described the night.\n\n“Everything shook.”\n\nThe port stayed closed."
    quotations, _ = find_quotations(text)
    attributed = attribute_quotes(text, quotations, outlet="Wire")
    assert [(q.text, q.speaker) for q in attributed] == [("Everything shook.", "unknown")]


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The two Koreas’ border and the North’s launch. “It’s ‘real’,” Kim said."
    quotations, unclosed = find_quotations(text)
    assert [q.text for q in quotations] == ["It’s ‘real’,"]
    assert quotations[0].nested == ("‘real’",)
    assert unclosed == []


def test_unclosed_quotation_is_reported_not_taken() -> None:
    quotations, unclosed = find_quotations("He said “this never ends.\n\nNext paragraph.")
    assert quotations == []
    assert len(unclosed) == 1


# --------------------------------------------------------------------------- the command


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "draft", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_command_writes_yaml_documents_and_never_overwrites(tmp_path) -> None:
    article = (ARTICLES / "wire_blacksea.txt").read_bytes()
    common = [
        "--data",
        str(FIXTURE_DIR),
        "--url",
        "https://example.org/w",
        "--published",
        "2024-05-03",
    ]
    result = _run("-", *common, stdin=article)
    assert result.returncode == 0, result.stderr.decode()
    documents = list(yaml.safe_load_all(result.stdout.decode()))
    assert len(documents) == 3
    assert all(d["status"] == "draft" for d in documents)
    out = tmp_path / "drafts"
    first = _run(str(ARTICLES / "wire_blacksea.txt"), *common, "--out", str(out))
    assert first.returncode == 0, first.stderr.decode()
    files = sorted(out.glob("*.yaml"))
    assert len(files) == 3
    before = {p: p.read_bytes() for p in files}
    files[0].write_text("edited by a curator\n", encoding="utf-8")
    second = _run(str(ARTICLES / "wire_blacksea.txt"), *common, "--out", str(out))
    assert second.returncode == 1
    assert b"never overwrite" in second.stderr
    assert files[0].read_text(encoding="utf-8") == "edited by a curator\n"
    assert all(p.read_bytes() == before[p] for p in files[1:])


def test_command_without_url_exits_2() -> None:
    result = _run(str(ARTICLES / "wire_blacksea.txt"), "--data", str(FIXTURE_DIR))
    assert result.returncode == 2
    assert b"--url" in result.stderr


def test_validate_warns_on_a_draft_without_location(data_dir) -> None:
    path = data_dir / "incidents" / "2024-05-09-draft.yaml"
    path.write_text(
        "id: 2024-05-09-draft\ntitle: t\ncategory: other\nactor: a\n"
        "time: 2024-05-09T10:00:00+03:00\ntime_precision: hour\nstatus: draft\n"
        "sources: [{id: s, outlet: o, url: 'https://example.org', language: en}]\n",
        encoding="utf-8",
    )
    catalog = load_catalog(data_dir)
    assert "2024-05-09-draft" in catalog.incidents
    warnings = [p for p in catalog.problems if p.record == "2024-05-09-draft"]
    assert [(p.field, p.severity) for p in warnings] == [("locations", Severity.WARNING)]
    assert "draft without a location" in warnings[0].message


def test_dataset_settings_are_validated(data_dir) -> None:
    (data_dir / "dataset.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    catalog = load_catalog(data_dir)
    problems = [p for p in catalog.errors if p.path.endswith("dataset.yaml")]
    assert len(problems) == 1
    assert problems[0].field == "timezone"
    assert "IANA time zone" in problems[0].message


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    ["“", "”", '"', "‘", "’", "'", "「", "」", "«", "»", "„", " said Kim.", ", he told Yonhap",
     "\n\n", "\n", "Odesa", " on Friday", " at 4:10 a.m.", " 20 miles south of the Fixture line",
     ". ", "missiles were fired", " sirens", "라고 말했다", "해군은 ", "30 km", " the ", "—"]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_arbitrary_text_never_crashes_and_quotes_are_verbatim(text, blacksea) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        drafts = draft_article(
            data, blacksea, url="https://example.org/x", published=dt.date(2024, 5, 3)
        )
    except DraftError:
        assert not text.strip()  # the only refusal when the address and date are given
        return
    article_text = drafts.article.text
    for quote in _quotes(drafts):
        assert quote["text"] in article_text
    texts = [draft_yaml(d) for d in drafts.drafts]
    for draft, document in zip(drafts.drafts, texts, strict=True):
        assert yaml.safe_load(document) == draft.data
    checked, _ = check_drafts(texts, FIXTURE_DIR)
    assert not checked.errors, [p.format() for p in checked.errors]


# --------------------------------------------------------------------------- field-test fixes
# Each test below comes from a class of error the field test on real articles found
# (benchmarks/draft_field_test.py); the paragraphs are written for the test, in that style.


def test_site_claims_with_a_named_place_make_one_site(blacksea) -> None:
    # an incursion's claims describe its site; a place named beside them must not become a
    # second location with role site (validate rejects a claim that fits two locations)
    text = (
        "Patrol boat crosses the line\n\n"
        "An Eastland patrol boat crossed the Fixture line near Zmiinyi Island on Friday. It was "
        "20 km south of the Fixture line and 35 km east of Zmiinyi Island, the navy said.\n"
    )
    drafts = draft_article(
        text.encode(), blacksea, url="https://example.org/x", published=dt.date(2024, 5, 3)
    )
    incursion = next(d for d in drafts.drafts if d.data["category"] == "incursion")
    sites = [loc for loc in incursion.data["locations"] if loc["role"] == "site"]
    assert len(sites) == 1
    assert sites[0].get("solve_from_claims") is True
    assert {c["location"] for c in incursion.data["claims"]} == {"site"}
    assert any("Zmiinyi Island" in line and "not kept" in line for line in incursion.footer)
    checked, _ = check_drafts([draft_yaml(d) for d in drafts.drafts], FIXTURE_DIR)
    assert not checked.errors, [p.format() for p in checked.errors]
