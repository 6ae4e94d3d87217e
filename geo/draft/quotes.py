"""Quotations in an article, verbatim, and who the article says spoke them.

Finding quotations
------------------
Double marks (“ ” " „ « » 「 」 『 』) open and close quotations; typographic single marks (‘ ’)
do too where they stand alone (British style), and nest inside double ones. A ’ between letters is
an apostrophe ("North’s"), never a mark. Straight " marks are read by the spaces around them: one
after a space opens, one before a space closes. A quotation left open at the end of a paragraph
continues when the next paragraph opens with a mark (the English convention for a quote over
several paragraphs); its text is then the exact passage, paragraph break and re-opening mark
included. The text of every quotation is an exact substring of the article (without its marks).

Finding speakers
----------------
From the sentence around the quotation, in this order:

1. after it: "…," Kang said / said Kang Shin-chul, a JCS director / "…," X told Yonhap (→ via
   Yonhap) / "…"라고 밝혔다;
2. before it: Kang said: "…" / according to the JCS, "…" / the ministry announced that it "…" /
   합참은 "…";
3. a quotation with no attribution of its own continues the speaker of the quotation before it in
   the same paragraph (or of a paragraph that ended with an attributed quotation);
4. a short phrase in the article's own sentence with no reporting verb (scare quotes) is the
   outlet's own wording;
5. otherwise the speaker is ``unknown``: a name is never guessed.

"the spokesperson", "the statement", "he" and a bare surname are read as the matching speaker
named earlier in the article, and say so in their note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from geo.draft.korean import (
    continues_previous,
    has_speech_ending,
    headline_speaker,
    korean_attribution,
)
from geo.draft.segment import Span, paragraph_spans

__all__ = ["Quotation", "Unclosed", "attribute_quotes", "find_quotations"]

_DOUBLE_OPEN = {"“": '”"', "„": '“”"', "«": "»", "「": "」", "『": "』", '"': '"”'}
_SINGLE_OPEN = {"‘": "’", "‹": "›"}
_NESTED_OPEN = {"‘": "’", "“": '”"', '"': '"', "『": "』", "‹": "›", "'": "'"}


@dataclass(frozen=True)
class Quotation:
    """A quotation: offsets of its marks and its verbatim text, and its speaker once known."""

    open_mark: int  # offset of the opening mark
    close_mark: int  # offset of the closing mark
    start: int  # first character of the text (after stripping spaces)
    end: int  # one past the last character of the text
    text: str
    paragraph: int  # index of the paragraph it starts in
    spans_paragraphs: bool = False
    nested: tuple[str, ...] = ()
    speaker: str = "unknown"
    speaker_role: str | None = None
    via: str | None = None
    how: str = "unknown"  # stated | continued | coreference | scare | unknown
    evidence: str = ""  # the attribution as written
    evidence_offset: int = -1  # where the attribution is (for its line number)
    note: str | None = None

    @property
    def offset(self) -> int:
        """Return the offset of the opening mark (where the quotation is)."""
        return self.open_mark

    @property
    def span(self) -> Span:
        """Return the span of the quotation with its marks."""
        return (self.open_mark, self.close_mark + 1)


@dataclass(frozen=True)
class Unclosed:
    """An opening mark that no closing mark answers (reported, never taken as a quotation)."""

    offset: int
    excerpt: str


# --------------------------------------------------------------------------- finding


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _straight_role(text: str, i: int) -> str:
    """Return "open", "close" or "either" for a straight mark at ``i``, from the spaces around."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    opens = _is_space(before) or before in "([{—–-/:"
    closes = _is_space(after) or after in ".,;:!?)]}—–-" or not after.isalnum()
    if opens and not _is_space(after):
        return "open"
    if closes and not _is_space(before):
        return "close"
    return "either"


def _closes(text: str, i: int, closers: str) -> bool:
    ch = text[i]
    if ch not in closers:
        return False
    if ch in "’'":  # an apostrophe between letters ("don’t") is not a closing mark
        after = text[i + 1] if i + 1 < len(text) else ""
        return not after.isalpha()
    if ch == '"':
        return _straight_role(text, i) != "open" or not closers.strip('"')
    return True


def _opens_nested(text: str, i: int) -> str | None:
    ch = text[i]
    if ch not in _NESTED_OPEN:
        return None
    if ch in "'\"" and _straight_role(text, i) != "open":
        return None
    return _NESTED_OPEN[ch]


def _opens_top(text: str, i: int) -> str | None:
    ch = text[i]
    if ch in _DOUBLE_OPEN:
        if ch == '"' and _straight_role(text, i) == "close":
            return None
        return _DOUBLE_OPEN[ch]
    if ch in _SINGLE_OPEN:
        after = text[i + 1] if i + 1 < len(text) else ""
        return _SINGLE_OPEN[ch] if after and not after.isspace() else None
    return None


@dataclass
class _Open:
    mark: int
    closers: str
    paragraph: int
    nested: list[tuple[int, str]]
    nested_done: list[str]
    spans: bool = False


def _emit(text: str, state: _Open, close: int) -> Quotation | None:
    start, end = state.mark + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    body = text[start:end]
    if not any(ch.isalnum() for ch in body):
        return None
    return Quotation(
        open_mark=state.mark,
        close_mark=close,
        start=start,
        end=end,
        text=body,
        paragraph=state.paragraph,
        spans_paragraphs=state.spans,
        nested=tuple(state.nested_done),
    )


def find_quotations(text: str) -> tuple[list[Quotation], list[Unclosed]]:
    """Return the quotations of ``text`` in order, and the opening marks never closed.

    Example
    -------
    >>> [q.text for q in find_quotations('He said “it is ‘real,’ really.” Then left.')[0]]
    ['it is ‘real,’ really.']
    """
    quotations: list[Quotation] = []
    unclosed: list[Unclosed] = []
    paragraphs = paragraph_spans(text)
    state: _Open | None = None
    for index, (start, end) in enumerate(paragraphs):
        i = start
        if state is not None:
            if _opens_top(text, start) is not None:  # the quotation re-opens: it continues
                state.spans, state.nested = True, []
                i = start + 1
            else:
                unclosed.append(Unclosed(state.mark, text[state.mark : state.mark + 60]))
                state = None
        while i < end:
            if state is None:
                closers = _opens_top(text, i)
                if closers is not None:
                    state = _Open(i, closers, index, [], [])
            elif state.nested and _closes(text, i, state.nested[-1][1]):
                opened, _ = state.nested.pop()
                if not state.nested:
                    state.nested_done.append(text[opened : i + 1])
            elif _closes(text, i, state.closers):
                quotation = _emit(text, state, i)
                if quotation is not None:
                    quotations.append(quotation)
                state = None
            else:
                closers = _opens_nested(text, i)
                if closers is not None and len(state.nested) < 3:
                    state.nested.append((i, closers))
            i += 1
        if state is not None and index == len(paragraphs) - 1:
            unclosed.append(Unclosed(state.mark, text[state.mark : state.mark + 60]))
            state = None
    return quotations, unclosed


# --------------------------------------------------------------------------- attributing

_VERBS = (
    "said|says|say|told|tells|added|adds|continued|continues|stated|states|wrote|writes|"
    "tweeted|posted|announced|announces|declared|declares|warned|warns|noted|notes|explained|"
    "insisted|claimed|claims|argued|asked|replied|responded|commented|remarked|described|"
    "describes|called|calls|urged|confirmed|acknowledged|admitted|stressed|emphasized|"
    "emphasised|recalled|quoted|reported|reports|reads|added in a statement"
)
_VERB = re.compile(rf"(?<![\w-])(?:{_VERBS})\b")  # not "so-called"
_NP = r"[^,.;:!?“”\"«»「」()]{1,90}?"
_TAIL_AFTER_VERB = re.compile(
    rf"^\s*,?\s*(?P<verb>{_VERBS})\s+(?P<np>{_NP})(?:,\s*(?P<role>[^.;:!?“”\"]{{2,160}}?))?"
    r"\s*(?:[.;:!?]|$)",
)
_TAIL_SUBJECT_FIRST = re.compile(
    rf"^\s*,?\s*(?P<np>{_NP})(?:,\s*(?P<role>[^.;:!?“”\"]{{2,160}}?),)?\s+"
    rf"(?:has\s+|had\s+|was\s+|is\s+)?(?P<verb>{_VERBS})\b(?P<rest>[^.;!?]*)",
)
_ACCORDING = re.compile(r"\baccording to\s+(?P<np>[^,.;:!?“”\"]{2,90})", re.I)
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "그", "그녀", "그들"}  # 그는 “…”: he
_AUDIENCES = {
    "reporters", "journalists", "lawmakers", "parliament", "congress", "the press", "a briefing",
    "a news conference", "a press conference", "residents", "the audience", "us", "me", "him",
    "her", "them", "the newspaper", "the agency",
}  # fmt: skip
_DOCUMENTS = ("statement", "release", "announcement", "report", "letter", "post", "notice")
_PERSON_WORDS = (
    "spokesperson", "spokesman", "spokeswoman", "official", "minister", "director",
    "대변인", "관계자", "당국자", "부부장", "장관", "위원장",
)  # fmt: skip
_KO_DEMONSTRATIVES = {"이", "그", "저", "한", "해당"}  # 이 관계자: "this official", not a surname
# words of a title or office before a name ("Prime Minister Han Duck-soo"): not a given name, and
# a person told something is the audience, not an outlet ("told Prime Minister X")
_TITLES = {
    "president", "prime", "minister", "secretary", "general", "gen", "lt", "col", "maj", "capt",
    "adm", "admiral", "vice", "deputy", "chairman", "chairwoman", "chair", "leader", "premier",
    "ambassador", "commander", "chief", "director", "spokesman", "spokeswoman", "spokesperson",
    "senator", "sen", "rep", "gov", "governor", "mayor", "mr", "mrs", "ms", "dr", "prof",
    "king", "queen", "defense", "defence", "foreign", "state", "unification", "sergeant",
}  # fmt: skip
_LOCATIVE_VERB = re.compile(r"\b(?:in|on|at)\s+(?:a|an|the)\s+(?P<doc>\w+)")


def _clean_np(np: str) -> str:
    np = " ".join(np.split()).strip(" ,")
    return re.sub(r"^(?:the|a|an|also|and|but|then)\s+", "", np, flags=re.I).strip()


def _looks_like_subject(np: str) -> bool:
    words = np.split()
    if not words or len(words) > 12:
        return False
    if re.search(r"\b(?:who|which|that|when|where|because|if|and then)\b", np, re.I):
        return False
    first = words[0]
    return (
        first[0].isupper()
        or first.lower() in {"the", "a", "an"} | _PRONOUNS
        or bool(re.match(r"[가-힣]", first))
    )


def _via_of(rest: str) -> str | None:
    """Return the outlet in "told the Times", "in an interview with Yonhap", "according to X"."""
    patterns = (
        r"^\s*(?:the\s+)?(?P<o>(?:The\s+)?[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|de))*)",
        r"\b(?:in an interview with|told|speaking to|according to)\s+"
        r"(?P<o>(?:the\s+)?[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|de))*)",
    )
    for pattern in patterns:
        match = re.search(pattern, rest)
        if match:
            outlet = match.group("o").strip()
            if any(word.lower().strip(".") in _TITLES for word in outlet.split()):
                continue  # "told Prime Minister X": a person spoken to, not a medium
            if outlet.lower() not in _AUDIENCES and outlet.lower().removeprefix("the ") not in {
                a.removeprefix("the ") for a in _AUDIENCES
            }:
                return outlet
    return None


@dataclass(frozen=True)
class _Said:
    np: str
    role: str | None
    verb: str
    rest: str
    offset: int
    via: str | None = None  # a reporting chain read from the sentence (Korean)


def _english_tail(tail: str, offset: int) -> _Said | None:
    match = _TAIL_AFTER_VERB.match(tail)
    if match and _looks_like_subject(match["np"]) and not _VERB.search(match["np"]):
        return _Said(match["np"], match["role"], match["verb"], "", offset)
    match = _TAIL_SUBJECT_FIRST.match(tail)
    if match and _looks_like_subject(match["np"]):
        return _Said(match["np"], match["role"], match["verb"], match["rest"], offset)
    match = re.match(r"^\s*,?\s*according to\s+(?P<np>[^,.;:!?“”\"]{2,90})", tail, re.I)
    if match:
        return _Said(match["np"], None, "according to", "", offset)
    return None


def _english_lead(lead: str, offset: int) -> _Said | None:
    according = list(_ACCORDING.finditer(lead))
    after_according = re.findall(r"[\w’'-]+", lead[according[-1].end() :]) if according else []
    if according and len([w for w in after_according if w.lower() not in {"the", "a"}]) <= 1:
        return _Said(according[-1]["np"], None, "according to", "", offset + according[-1].start())
    verbs = list(_VERB.finditer(lead))
    if not verbs:
        return None
    verb = verbs[-1]
    after = lead[verb.end() :]
    # "X told lawmakers that the boat returned while “…”": a quotation inside reported speech
    reported = re.match(r"^(?:\s+\S+){0,8}?\s+that\s", after) is not None
    if len(after.split()) > (30 if reported else 8):
        return None
    before = lead[: verb.start()].rstrip()
    before = re.sub(r"\s+(?:has|had|was|is|also|then|later)$", "", before)
    match = re.search(
        rf"(?:^|[,;:]\s*|\bthat\s+|\bwhile\s+)(?P<np>{_NP})(?:,\s*(?P<role>[^,.;:!?“”\"]{{2,160}}),)?$",
        before,
    )
    if match is None or not _looks_like_subject(match["np"].strip()):
        return None
    np = match["np"].strip()
    # "Also this week, the United States": keep the part after the last comma
    return _Said(np, match["role"], verb.group(0), after, offset + match.start("np"))


def _korean(lead: str, tail: str, lead_offset: int, tail_offset: int) -> _Said | None:
    said = korean_attribution(lead, tail)
    if said is None:
        return None
    offset = (tail_offset if said.in_tail else lead_offset) + said.offset
    return _Said(said.np, None, "ko", said.rest, offset, via=said.via)


def _owner_of_document(np: str) -> tuple[str, str | None]:
    """Return ("Treasury Department", "statement") for "Treasury Department’s statement"."""
    match = re.match(rf"(?P<owner>.+?)[’']s\s+(?P<doc>{'|'.join(_DOCUMENTS)})$", np, re.I)
    if match:
        return match["owner"], match["doc"]
    return np, None


def _expand_outlet(via: str, text: str) -> tuple[str, str | None]:
    """Return "New York Times" for "the Times" when the article names it in full."""
    short = re.sub(r"^the\s+", "", via, flags=re.I)
    names = re.findall(r"(?:[A-Z][\w’'&.-]*\s+){1,4}" + re.escape(short) + r"\b", text)
    # "South Korea's Yonhap": the owner's name is no part of the outlet's
    names = [re.sub(r"^.*[’']s\s+", "", name) for name in names]
    longest = max(names, key=len, default="").strip()
    longest = re.sub(r"^(?:The|According|By|To|From|In)\s+", "", longest)
    if longest and longest != short and len(longest) > len(short):
        return longest, f"“{via}” read as {longest}, named in the article"
    return short, None


@dataclass
class _Context:
    text: str
    outlet: str
    history: list[Quotation]


def _resolve(said: _Said, quotation: Quotation, context: _Context) -> Quotation:
    """Turn an attribution into speaker, role and via, resolving "the spokesperson" and "he"."""
    np = _clean_np(said.np)
    role = _clean_np(said.role) if said.role else None
    note = None
    np, document = _owner_of_document(np)
    if document:
        note = f"the author of “{said.np.strip()}”"
    via = said.via
    if via is None and (
        said.verb in {"told", "tells"} or "interview" in said.rest or "according to" in said.rest
    ):
        via = _via_of(said.rest)
    if via:
        via, expanded = _expand_outlet(via, context.text)
        note = "; ".join(n for n in (note, expanded) if n) or None
    evidence = context.text[said.offset : said.offset + 160].split("\n")[0]
    result = replace(
        quotation,
        speaker=np,
        speaker_role=role,
        via=via,
        how="stated",
        evidence=evidence,
        evidence_offset=said.offset,
        note=note,
    )
    return _coreference(result, np, context)


def _full_names(surname: str, text: str) -> list[str]:
    """Return the distinct full names the text gives for a surname, titles left out.

    "Olena Koval" for Koval (given name first), "Han Duck-soo" and "Kim Yo Jong" for Han and Kim
    (surname first, the order of East Asian names in English).
    """
    name = re.escape(surname)
    found = []
    for match in re.finditer(
        rf"\b{name}[ ]+(?:[A-Z][a-z]+-[a-z]+|[A-Z][a-z]{{1,5}}[ ][A-Z][a-z]{{1,5}})\b", text
    ):
        found.append(match.group(0))
    for match in re.finditer(rf"\b(?P<given>[A-Z][a-z’'-]+)(?:[ ][A-Z]\.)?[ ]+{name}\b", text):
        if match["given"].lower() not in _TITLES and not _is_calendar(match["given"]):
            found.append(match.group(0))
    return list(dict.fromkeys(n for n in found if not _is_calendar(n.split()[-1])))


def _is_hangul(text: str) -> bool:
    return bool(re.search(r"[가-힣]", text))


def _is_calendar(word: str) -> bool:
    return bool(
        re.fullmatch(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Jan\w*|Feb\w*|Mar\w*|Apr\w*"
                     r"|May|June?|July?|Aug\w*|Sep\w*|Oct\w*|Nov\w*|Dec\w*", word)
    )  # fmt: skip


def _by_surname(quotation: Quotation, surname: str, earlier, context: _Context):
    """Resolve a bare surname ("Koval said") to the one person of that name in the article."""
    speakers = list(dict.fromkeys(q.speaker for q in earlier if surname in q.speaker.split()))
    if len(speakers) == 1:
        return next(q for q in earlier if q.speaker == speakers[0]), None
    names = _full_names(surname, context.text)
    if len(names) == 1:
        return None, replace(
            quotation,
            speaker=names[0],
            how="coreference",
            note=f"“{surname}” read as {names[0]}, named in the article",
        )
    if len(names) > 1:
        note = f"CHECK: the article names several people called {surname}: {', '.join(names)}"
        return None, replace(quotation, note=note)
    return None, None


def _korean_title(quotation: Quotation, words: list[str], context: _Context) -> Quotation | None:
    """Resolve 김 부부장 (surname and title) to the full name given earlier: 김여정 … 부부장."""
    surname, title = words
    before = context.text[: quotation.open_mark]
    names = re.findall(
        rf"{re.escape(surname)}[가-힣]{{1,2}}(?:\s+[가-힣]+){{0,3}}\s+{re.escape(title)}", before
    )
    names = list(dict.fromkeys(names))
    if len(names) != 1:
        return None
    return replace(
        quotation,
        speaker=names[0],
        how="coreference",
        note=f"“{' '.join(words)}” read as {names[0]}, named in the article",
    )


def _coreference(quotation: Quotation, np: str, context: _Context) -> Quotation:
    lower = np.lower()
    words = np.split()
    earlier = [q for q in reversed(context.history) if q.how in {"stated", "coreference"}]
    target: Quotation | None = None
    if lower in _PRONOUNS:
        # "he" is the speaker of the quotation just before (scare quotes aside): when that one
        # has no speaker, neither has this one
        recent = next((q for q in reversed(context.history) if q.how != "scare"), None)
        target = recent if recent is not None and recent.speaker != "unknown" else None
    elif len(words) == 1 and words[0][:1].isupper():
        target, resolved = _by_surname(quotation, words[0], earlier, context)
        if resolved is not None:
            return resolved
    elif (
        len(words) == 2
        and re.fullmatch(r"[가-힣]", words[0])
        and words[0] not in _KO_DEMONSTRATIVES
        and (resolved := _korean_title(quotation, words, context)) is not None
    ):
        return resolved
    elif (
        len(words) <= 2
        and (lower in _DOCUMENTS or words[-1].lower() in _DOCUMENTS + _PERSON_WORDS + ("ministry",))
        and not (len(words) == 2 and _is_hangul(np) and words[0] not in _KO_DEMONSTRATIVES)
    ):
        # "the spokesperson", 이 관계자 ("this official"); 군 당국자 is a description of its own
        head = words[-1].lower()
        target = next(
            (
                q
                for q in earlier
                if head in f"{q.speaker} {q.speaker_role or ''} {q.evidence} {q.note or ''}".lower()
            ),
            None,
        )
    if target is None:
        if lower in _PRONOUNS or (len(words) <= 2 and words[-1].lower() in _DOCUMENTS):
            return replace(
                quotation,
                speaker="unknown",
                how="unknown",
                note=f"the article says “{np}” and names no speaker before it",
            )
        return quotation
    return replace(
        quotation,
        speaker=target.speaker,
        speaker_role=quotation.speaker_role or target.speaker_role,
        via=quotation.via or target.via,
        how="coreference",
        note=f"“{np}” read as {target.speaker} (speaker of the quotation “{target.text[:40]}…”)",
    )


def _windows(text: str, quotation: Quotation, others: Sequence[Quotation], para: Span):
    """Return (lead, lead_offset, tail, tail_offset): the sentence around the quotation."""
    p_start, p_end = para
    previous = [q for q in others if q.close_mark < quotation.open_mark and q.close_mark >= p_start]
    lead_start = max([p_start] + [q.close_mark + 1 for q in previous])
    lead = text[lead_start : quotation.open_mark]
    cut = max((m.end() for m in re.finditer(r"[.!?。](?=\s)", lead)), default=0)
    while (
        cut
        and lead[:cut].rstrip(".").split()[-1:]
        and lead[:cut].rstrip(".").split()[-1].lower().strip(".")
        in {"a.m", "p.m", "lt", "gen", "mr", "dr", "u.s", "st", "no"}
    ):
        cut = max((m.end() for m in re.finditer(r"[.!?。](?=\s)", lead[: cut - 1])), default=0)
    lead, lead_offset = lead[cut:], lead_start + cut
    later = [q.open_mark for q in others if q.open_mark > quotation.close_mark]
    tail_end = min([p_end] + [m for m in later if m < p_end])
    tail = text[quotation.close_mark + 1 : tail_end]
    return lead, lead_offset, tail, quotation.close_mark + 1


def _attribute_one(quotation: Quotation, context: _Context, lead, lead_at, tail, tail_at):
    text = context.text
    ends_sentence = _bare(quotation.text)[-1:] in {".", "!", "?", "。"}
    tail_starts = tail.lstrip()[:1]
    new_sentence = ends_sentence and tail_starts.isupper()
    hangul = bool(re.search(r"[가-힣]", lead + tail[:10]))
    said = None
    if hangul:
        said = _korean(lead, tail, lead_at, tail_at)
    elif not new_sentence and (tail.startswith(",") or _bare(quotation.text)[-1:] in ",?!…"):
        said = _english_tail(tail, tail_at + (len(tail) - len(tail.lstrip(" ,"))))
    if said is None and not hangul:
        said = _english_lead(lead, lead_at)
    if said is not None:
        return _resolve(said, quotation, context)
    same_paragraph = [q for q in context.history if q.paragraph == quotation.paragraph]
    if same_paragraph and same_paragraph[-1].speaker != "unknown" and not lead.strip(" ,"):
        source = same_paragraph[-1]
        return _continued(quotation, source, "in the same paragraph")
    previous = context.history[-1] if context.history else None
    if (
        hangul
        and previous is not None
        and previous.how in {"stated", "coreference", "continued"}
        and previous.paragraph >= quotation.paragraph - 1
        and continues_previous(lead, tail)
    ):  # “…”며 “…”, 이어 “…”고 덧붙였다: the subject is left out, as Korean does
        return _continued(quotation, previous, "before it (joined by a connective)")
    paragraph = _paragraph_text(text, quotation)
    headline = _is_hangul(quotation.text) and headline_speaker(paragraph, lead, tail)
    if headline:
        return replace(
            quotation,
            speaker=headline,
            how="stated",
            evidence=paragraph,
            evidence_offset=lead_at,
            note=f"a headline: the name before the quotation ({headline} “…”) is its speaker",
        )
    words = quotation.text.split()
    reported = hangul and has_speech_ending(tail)  # “…”고 밝혔다: speech, if of no one named
    if (
        len(words) <= 4
        and not re.search(r"[.!?。]$", quotation.text)
        and lead.strip()
        and not reported
    ):
        return replace(
            quotation,
            speaker=context.outlet,
            how="scare",
            note="a phrase in quotation marks in the article's own sentence: the outlet's words",
        )
    previous = context.history[-1] if context.history else None
    if (
        previous is not None
        and previous.paragraph == quotation.paragraph - 1
        and previous.how in {"stated", "coreference", "continued"}
        and not lead.strip()
        and not tail.strip()
        and _paragraph_ends_with(text, previous)
        and _paragraph_opens_with_quote(text, previous)
    ):
        return _continued(quotation, previous, "in the paragraph before")
    return quotation


def _bare(text: str) -> str:
    """Return the text without the closing marks of quotations nested at its end."""
    return text.rstrip("’'\"”»」』 ")


def _paragraph_text(text: str, quotation: Quotation) -> str:
    """Return the line the quotation opens in."""
    start = text.rfind("\n", 0, quotation.open_mark) + 1
    end = text.find("\n", quotation.close_mark)
    return text[start : end if end >= 0 else len(text)]


def _paragraph_opens_with_quote(text: str, quotation: Quotation) -> bool:
    """Return True when the paragraph of ``quotation`` starts with a quotation mark."""
    start = text.rfind("\n", 0, quotation.open_mark) + 1
    return not text[start : quotation.open_mark].strip()


def _paragraph_ends_with(text: str, quotation: Quotation) -> bool:
    """Return True when the paragraph of ``quotation`` ends with its attribution sentence."""
    rest = text[quotation.close_mark + 1 :].split("\n", 1)[0]
    return not re.search(r"[.!?]\s+\S", rest)


def _continued(quotation: Quotation, source: Quotation, where: str) -> Quotation:
    return replace(
        quotation,
        speaker=source.speaker,
        speaker_role=source.speaker_role,
        via=source.via,
        how="continued",
        evidence=source.evidence,
        evidence_offset=source.evidence_offset,
        note=f"no attribution of its own: continues the speaker of the quotation {where}",
    )


def attribute_quotes(text: str, quotations: Sequence[Quotation], *, outlet: str) -> list[Quotation]:
    """Return the quotations with speaker, role and via read from the sentences around them.

    ``outlet`` is the article's outlet: the speaker of scare quotes.
    """
    paragraphs = paragraph_spans(text)
    context = _Context(text=text, outlet=outlet, history=[])
    result: list[Quotation] = []
    for quotation in quotations:
        para = next(
            (p for p in paragraphs if p[0] <= quotation.close_mark < p[1]),
            paragraphs[quotation.paragraph],
        )
        lead, lead_at, tail, tail_at = _windows(text, quotation, quotations, para)
        attributed = _attribute_one(quotation, context, lead, lead_at, tail, tail_at)
        context.history.append(attributed)
        result.append(attributed)
    return result
