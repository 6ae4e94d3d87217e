"""Field test of ``geo draft``: real articles in, drafts compared with what curators recorded.

    python -m benchmarks.draft_field_test --articles DIR [--data data] [--out FILE.csv]

Each article file starts with a header (``title:``, ``outlet:``, ``url:``, ``date:`` ... up to the
first blank line), then the text as read. The drafter gets the title line (unless the header puts
it in brackets: a curator's description, not the page's) and the text; the url, the outlet (without
a bracketed remark) and the date (the first full date the header gives) as its flags. The curated
sources with the same ``url`` are the reference (a benchmark, not a test: it prints numbers).

Measured per article, against the curated sources (and the incidents that cite them):

- quotes: curated quotes found, ``exact`` (same text, whitespace runs compared as one space) or
  ``partial`` (one text contains the other, the shorter at least 8 characters); ``in_marks`` counts
  the curated quotes that stand in quotation marks in the article (the drafter takes only those);
- speaker / via right: of the found quotes, same speaker or via after normalising (case, "the",
  punctuation, a curator's bracketed remark); ``speaker_close`` also counts a name contained in the
  other ("UN Secretary General Ban Ki-moon", "Ban Ki-moon") or its initials (KCNA); names in
  another language (합참, Joint Chiefs of Staff) never match: ``speaker_other_script`` counts those
  (a count, not a verdict: read them with --misses); ``via`` also with the convention of
  naming the printing outlet itself ("via-is-source", read as no via, "X, as reported by Y" as X);
- times: curated incidents citing the article whose time a draft gives (same offset, same instant
  at the curated precision, the draft at least as precise); ``consistent``: the same at the
  coarser of the two precisions (a draft that says "the 23rd" where curators know "14:34");
  ``same_day`` is the looser check;
- places: gazetteer ids of the curated incidents' locations that a draft names;
- claims: curated claims of the source found in a draft (same boundary or place; distance within
  0.5 km, or both direction-only with the same side); ``claims_commented`` those found only in a
  draft's comments (the drafter read them but had no location to hang them on);
- crashes (any exception other than the drafter's own refusal ``DraftError``), refusals, and
  drafts that ``validate`` rejects or whose YAML does not read back as the draft's data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import time
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from geo import load_catalog
from geo.draft import DraftError, check_drafts, draft_article, draft_yaml

_PRECISION_RANK = {"minute": 0, "hour": 1, "day": 2, "month": 3, "year": 4}
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"


@dataclass
class Article:
    """An article file: its header and the text the drafter reads."""

    path: Path
    url: str
    outlet: str | None
    published: dt.date | None
    text: str


@dataclass
class Row:
    """The results for one article (one CSV row)."""

    article: str
    curated_sources: int = 0
    drafts: int = 0
    invalid_drafts: int = 0
    status: str = "ok"  # ok | refused | crash | invalid
    detail: str = ""
    quotes_curated: int = 0
    quotes_in_marks: int = 0
    quotes_drafted: int = 0
    quotes_exact: int = 0
    quotes_partial: int = 0
    speaker_right: int = 0
    speaker_close: int = 0
    speaker_unknown: int = 0
    speaker_other_script: int = 0
    drafted_unknown: int = 0
    via_right: int = 0
    via_right_convention: int = 0
    times_curated: int = 0
    times_right: int = 0
    times_consistent: int = 0
    times_same_day: int = 0
    places_curated: int = 0
    places_found: int = 0
    places_extra: int = 0
    claims_curated: int = 0
    claims_found: int = 0
    claims_commented: int = 0
    claims_drafted: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _header_date(value: str) -> dt.date | None:
    """Return the first full date in a header value (ISO, dotted, Korean, d/m/y, month names)."""
    patterns = [
        (rf"{_YEAR}\s*[-./년]\s*(?P<m>\d{{1,2}})\s*[-./월]\s*(?P<d>\d{{1,2}})(?!\d)", None),
        (rf"(?<!\d)(?P<d>\d{{1,2}})[/-](?P<m>\d{{1,2}})[/-]{_YEAR}", None),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<m>\d{{1,2}})\s+{_YEAR}", None),
        (rf"{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[.,]?\s*\(?{_YEAR}", "mon"),
        (rf"(?<!\d)(?P<d>\d{{1,2}})\s+{_MONTH},?\s+{_YEAR}", "mon"),
    ]
    found = []
    for pattern, month_name in patterns:
        for match in re.finditer(pattern, value):
            if month_name:
                month = _MONTHS.get(match["mon"].lower())
                if month is None:
                    continue
            else:
                month = int(match["m"])
            try:
                day = dt.date(int(match["y"]), month, int(match["d"]))
            except ValueError:
                continue
            found.append((match.start(), day))
    return min(found)[1] if found else None


def read_article(path: Path) -> Article:
    """Return the article of a field-test file: header fields and the text to draft."""
    raw = path.read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    title = fields.get("title", "")
    outlet = re.split(r"\s*[(,]", fields.get("outlet", ""), maxsplit=1)[0].strip() or None
    text = body if not title or title.startswith("(") else f"{title}\n\n{body}"
    return Article(path, fields["url"], outlet, _header_date(fields.get("date", "")), text)


def curated_sources(data_dir: Path) -> dict[str, list[tuple[dict, dict]]]:
    """Return, per URL, the (incident, source) pairs of the curated record that cite it."""
    by_url: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for path in sorted((data_dir / "incidents").glob("*.yaml")):
        incident = yaml.safe_load(path.read_text(encoding="utf-8"))
        if incident.get("status") == "draft":
            continue
        for source in incident.get("sources", []):
            by_url[source["url"]].append((incident, source))
    return by_url


# --------------------------------------------------------------------------- comparing


def _space(text: str) -> str:
    return " ".join(text.split())


def normal_name(text: str | None) -> str:
    """Return a name compared loosely: no case, leading "the", brackets or punctuation."""
    if not text:
        return ""
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    text = re.sub(r"^\s*the\s+", "", text)
    return re.sub(r"[^\w]+", "", text)


def _script(name: str) -> str:
    """Return "hangul", "latin" or "unknown": the writing of a speaker's name."""
    if name == "unknown":
        return "unknown"
    return "hangul" if re.search(r"[가-힣]", name) else "latin"


def close_names(a: str, b: str) -> bool:
    """Return True when one name contains the other ("JCS official" in "a JCS official said"),
    or one is the initials of the other (KCNA, Korean Central News Agency)."""
    x, y = normal_name(a), normal_name(b)
    if not x or not y or "unknown" in (x, y):
        return False
    if x in y or y in x:
        return True
    for short, long in ((a, b), (b, a)):
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]\w*", long) if w[0].isupper())
        if len(short) >= 2 and short.isupper() and initials == short:
            return True
    return False


def _curated_via(via: str | None, outlet: str) -> str:
    """Return the curated via read as the standard defines it: a second-hand chain, else none."""
    if not via:
        return ""
    via = re.split(r",\s*as reported by\b|,\s*on\b", via)[0]
    if normal_name(via) in {normal_name(outlet), ""} or normal_name(outlet).startswith(
        normal_name(via)
    ):
        return ""
    return normal_name(via)


def _in_marks(text: str, quote: str) -> bool:
    """Return True when ``quote`` stands in quotation marks in ``text`` (or is the whole of one)."""
    marks_open, marks_close = "“\"'‘「『«", "”\"'’」』»"
    flat, wanted = _space(text), _space(quote)
    for match in re.finditer(re.escape(wanted), flat):
        before = flat[max(0, match.start() - 2) : match.start()]
        after = flat[match.end() : match.end() + 3]
        if any(m in before for m in marks_open) and any(m in after for m in marks_close):
            return True
    return False


def _match_quote(curated: str, drafted: list[dict]) -> tuple[str, dict | None]:
    wanted = _space(curated)
    for quote in drafted:
        if _space(quote["text"]) == wanted:
            return "exact", quote
    best = None
    for quote in drafted:
        got = _space(quote["text"])
        shorter = min(len(got), len(wanted))
        contained = shorter >= 8 and (got in wanted or wanted in got)
        if contained and (best is None or shorter > best[0]):
            best = (shorter, quote)
    return ("partial", best[1]) if best else ("", None)


def _truncate(moment: dt.datetime, precision: str) -> tuple:
    parts = (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    return parts[: {"year": 1, "month": 2, "day": 3, "hour": 4, "minute": 5}[precision]]


def _time_right(curated: dict, draft: dict) -> tuple[bool, bool, bool]:
    """Return (right, consistent, same day): right at the curated precision; consistent at the
    coarser of the two (the draft is less exact but not wrong); the same local day."""
    want = dt.datetime.fromisoformat(str(curated["time"]))
    got = dt.datetime.fromisoformat(str(draft["time"]))
    same_offset = want.utcoffset() == got.utcoffset()
    precision = curated["time_precision"]
    right = (
        same_offset
        and _truncate(got, precision) == _truncate(want, precision)
        and _PRECISION_RANK[draft["time_precision"]] <= _PRECISION_RANK[precision]
    )
    coarser = max(precision, draft["time_precision"], key=_PRECISION_RANK.get)
    consistent = same_offset and _truncate(got, coarser) == _truncate(want, coarser)
    return right, consistent, same_offset and got.date() == want.date()


def _claim_found(curated: dict, drafted: list[dict]) -> bool:
    reference = curated.get("boundary") or curated.get("place")
    for claim in drafted:
        if (claim.get("boundary") or claim.get("place")) != reference:
            continue
        if curated.get("distance_km") is None and claim.get("distance_km") is None:
            if curated.get("direction") == claim.get("direction"):
                return True
        elif (
            curated.get("distance_km") is not None
            and claim.get("distance_km") is not None
            and abs(curated["distance_km"] - claim["distance_km"]) <= 0.5
        ):
            return True
    return False


def _commented_claims(drafts) -> list[dict]:
    """Return the claims a draft found but left in a comment ("claim from L9 not recorded")."""
    claims = []
    for draft in drafts:
        for line in draft.footer:
            match = re.match(r"claim from L\d+ not recorded \(.*\): (\{.*\})$", line)
            if match:
                claims.append(yaml.safe_load(match.group(1)))
    return claims


def _compare(row: Row, article: Article, drafts: list[dict], cited, commented=()) -> None:
    drafted_quotes = [q for d in drafts for s in d["sources"] for q in s.get("quotes", [])]
    row.quotes_drafted = len(drafted_quotes)
    row.drafted_unknown = sum(q["speaker"] == "unknown" for q in drafted_quotes)
    row.claims_drafted = sum(len(d.get("claims", [])) for d in drafts)
    incidents = {incident["id"]: incident for incident, _ in cited}
    for _, source in cited:
        for quote in source.get("quotes") or []:
            row.quotes_curated += 1
            row.quotes_in_marks += _in_marks(article.text, quote["text"])
            kind, found = _match_quote(quote["text"], drafted_quotes)
            if not found:
                row.misses.append(f"quote missed: {_space(quote['text'])[:50]}")
                continue
            row.quotes_exact += kind == "exact"
            row.quotes_partial += kind == "partial"
            row.speaker_unknown += found["speaker"] == "unknown"
            if normal_name(found["speaker"]) == normal_name(quote["speaker"]):
                row.speaker_right += 1
                row.speaker_close += 1
            elif "unknown" != _script(found["speaker"]) != _script(quote["speaker"]):
                row.speaker_other_script += 1
                row.misses.append(f"speaker {found['speaker']!r} ~ {quote['speaker']!r} (script)")
            elif close_names(found["speaker"], quote["speaker"]):
                row.speaker_close += 1
                row.misses.append(f"speaker {found['speaker']!r} ≈ {quote['speaker']!r}")
            else:
                row.misses.append(f"speaker {found['speaker']!r} ≠ {quote['speaker']!r}")
            row.via_right += normal_name(found.get("via")) == normal_name(quote.get("via"))
            via_right = normal_name(found.get("via")) == _curated_via(
                quote.get("via"), source["outlet"]
            )
            row.via_right_convention += via_right
            if not via_right:
                row.misses.append(f"via {found.get('via')!r} ≠ {quote.get('via')!r}")
        for claim in [c for i, s in cited if s is source for c in i.get("claims", [])]:
            if claim["source"] != source["id"]:
                continue
            row.claims_curated += 1
            found_claim = _claim_found(claim, [c for d in drafts for c in d.get("claims", [])])
            row.claims_found += found_claim
            if not found_claim and _claim_found(claim, list(commented)):
                row.claims_commented += 1
                row.misses.append(f"claim in a comment only: {claim['text']}")
            elif not found_claim:
                row.misses.append(f"claim missed: {claim['text']}")
    for incident in incidents.values():
        row.times_curated += 1
        checks = [_time_right(incident, d) for d in drafts]
        row.times_right += any(right for right, _, _ in checks)
        row.times_consistent += any(consistent for _, consistent, _ in checks)
        row.times_same_day += any(day for _, _, day in checks)
        if not any(right for right, _, _ in checks):
            got = ", ".join(f"{d['time']} ({d['time_precision']})" for d in drafts)
            row.misses.append(
                f"time {incident['time']} ({incident['time_precision']}) not in: {got}"
            )
    wanted = {loc["place"] for i in incidents.values() for loc in i["locations"] if "place" in loc}
    got = {loc["place"] for d in drafts for loc in d.get("locations", []) if "place" in loc}
    row.places_curated, row.places_found = len(wanted), len(wanted & got)
    row.places_extra = len(got - wanted)
    if wanted - got:
        row.misses.append("places missed: " + ", ".join(sorted(wanted - got)))


# --------------------------------------------------------------------------- running


def run_one(article: Article, catalog, data_dir: Path, cited) -> Row:
    """Draft one article, validate the drafts, and compare them with the curated sources."""
    row = Row(article.path.name, curated_sources=len(cited))
    start = time.perf_counter()
    try:
        drafted = draft_article(
            article.text.encode("utf-8"),
            catalog,
            name=article.path.name,
            url=article.url,
            outlet=article.outlet,
            published=article.published,
        )
    except DraftError as exc:
        row.status, row.detail = "refused", str(exc)
        _compare(row, article, [], cited)  # what the curators recorded still counts
        return row
    except Exception as exc:  # noqa: BLE001 - a crash is what this counts
        row.status = "crash"
        row.detail = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stderr)
        _compare(row, article, [], cited)
        return row
    finally:
        row.seconds = time.perf_counter() - start
    texts = [draft_yaml(d) for d in drafted.drafts]
    row.drafts = len(texts)
    read_back = [yaml.safe_load(t) for t in texts]
    if read_back != [d.data for d in drafted.drafts]:
        row.status, row.detail = "invalid", "YAML does not read back as the draft's data"
    checked, _ = check_drafts(texts, data_dir)
    if checked.errors:
        row.invalid_drafts = len({p.path for p in checked.errors})
        row.status = "invalid"
        row.detail = "; ".join(p.format() for p in checked.errors)[:300]
    _compare(row, article, read_back, cited, _commented_claims(drafted.drafts))
    return row


_COLUMNS = [
    ("article", 44), ("drafts", 3), ("status", 7), ("quotes c/d", 10), ("exact", 5), ("part", 4),
    ("spkr", 4), ("via", 3), ("times", 5), ("places", 6), ("claims", 6),
]  # fmt: skip


def _cells(row: Row) -> list[str]:
    return [
        row.article[:44],
        str(row.drafts),
        row.status,
        f"{row.quotes_curated}/{row.quotes_drafted}",
        str(row.quotes_exact),
        str(row.quotes_partial),
        str(row.speaker_right),
        str(row.via_right_convention),
        f"{row.times_right}/{row.times_curated}",
        f"{row.places_found}/{row.places_curated}",
        f"{row.claims_found}/{row.claims_curated}",
    ]


def _print_table(rows: list[Row]) -> None:
    print(" ".join(f"{name:<{width}}" for name, width in _COLUMNS))
    for row in rows:
        print(
            " ".join(
                f"{cell:<{width}}" for cell, (_, width) in zip(_cells(row), _COLUMNS, strict=True)
            )
        )


def totals(rows: list[Row]) -> dict[str, int]:
    """Return the sums of the numeric columns, and the counts per status."""
    numeric = [k for k, v in asdict(Row("")).items() if isinstance(v, int)]
    result = {key: sum(getattr(r, key) for r in rows) for key in numeric}
    for status in ("ok", "refused", "crash", "invalid"):
        result[status] = sum(r.status == status for r in rows)
    result["articles"] = len(rows)
    result["compared"] = sum(r.curated_sources > 0 for r in rows)
    return result


def _print_totals(rows: list[Row]) -> None:
    t = totals(rows)
    found = t["quotes_exact"] + t["quotes_partial"]
    seconds = sorted(r.seconds for r in rows)
    print()
    print(f"articles {t['articles']} ({t['compared']} with curated sources); drafts {t['drafts']}")
    print(
        f"crashes {t['crash']}, invalid drafts {t['invalid_drafts']} (in {t['invalid']} articles),"
        f" refused {t['refused']}"
        f" ({'; '.join(sorted({r.detail for r in rows if r.status == 'refused'}))})"
    )
    print(
        f"quotes: curated {t['quotes_curated']} ({t['quotes_in_marks']} in quotation marks in the"
        f" article); found {found} = exact {t['quotes_exact']} + partial {t['quotes_partial']};"
        f" drafted {t['quotes_drafted']} in all ({t['drafted_unknown']} with speaker unknown)"
    )
    print(
        f"of the {found} found: speaker right {t['speaker_right']} (contained or initials:"
        f" {t['speaker_close']}), named in another script than the curators'"
        f" {t['speaker_other_script']}, speaker unknown {t['speaker_unknown']};"
        f" via right {t['via_right']} as curated,"
        f" {t['via_right_convention']} reading via-is-source as no via"
    )
    print(
        f"times right {t['times_right']}/{t['times_curated']} curated incidents"
        f" (consistent but less exact: {t['times_consistent'] - t['times_right']}; same day"
        f" {t['times_same_day']})"
    )
    print(
        f"places found {t['places_found']}/{t['places_curated']}"
        f" (drafted places not in the curated incidents: {t['places_extra']})"
    )
    print(
        f"claims found {t['claims_found']}/{t['claims_curated']}"
        f" (and {t['claims_commented']} more found but left in a comment, no position to hold"
        f" them; drafted claims in all: {t['claims_drafted']})"
    )
    print(f"seconds per article: median {seconds[len(seconds) // 2]:.2f}, max {seconds[-1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Run the field test and print the per-article table and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", required=True, type=Path, help="folder of *.txt articles")
    parser.add_argument("--data", default=Path("data"), type=Path, help="the curated data")
    parser.add_argument("--out", type=Path, help="write the per-article results as CSV here")
    parser.add_argument("--misses", action="store_true", help="print what each article missed")
    args = parser.parse_args(argv)
    catalog = load_catalog(args.data)
    by_url = curated_sources(args.data)
    rows = []
    for path in sorted(args.articles.glob("*.txt")):
        article = read_article(path)
        rows.append(run_one(article, catalog, args.data, by_url.get(article.url, [])))
    _print_table(rows)
    _print_totals(rows)
    if args.misses:
        for row in rows:
            for miss in row.misses:
                print(f"{row.article}: {miss}")
    if args.out:
        with args.out.open("w", newline="", encoding="utf-8") as handle:
            names = [k for k in asdict(rows[0]) if k != "misses"] + ["misses"]
            writer = csv.DictWriter(handle, fieldnames=names)
            writer.writeheader()
            for row in rows:
                writer.writerow(asdict(row) | {"misses": " | ".join(row.misses)})
    return 1 if any(r.status in {"crash", "invalid"} for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
