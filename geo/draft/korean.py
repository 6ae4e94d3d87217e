"""Who speaks a quotation in Korean news prose: 합참은 14일 “…”고 밝혔다.

Korean reporting names the speaker before the quotation with a topic or subject particle (은/는/
이/가; 도 "also" after a word for a person or a body), often with adverbials between
(합참 관계자는 이날 “…”, 김민석 국방부 대변인은 31일 긴급 브리핑에서 “…”), and closes the
quotation with a speech ending (라고, 고, 며, 면서) and a verb of saying. Read here:

- the subject before the quotation, nearest to it, with at most a few adverbial words between and
  no clause ending (…했다, …하고) after it: the sentence's speaker;
- a subject right after the speech ending (“…”라고 합참은 밝혔다);
- a reported chain: “…”고 밝혔다고 조선중앙통신이 전했다 → ``via`` 조선중앙통신; “…”고 X가
  보도했다/전했다 after a named speaker → ``via`` X; X에 따르면 Y는 “…” → Y, ``via`` X;
- X에 따르면 “…” alone → X;
- a headline or subhead ``합참 “…”`` (a name, the quotation, no verb): the name, as headlines
  write it (:func:`headline_speaker`);
- a quotation opened by a connective (“…”며 “…”, 이어 “…”고 덧붙였다) continues the speaker before
  it: :func:`continues_previous`.

Nothing here guesses: a sentence without a readable subject gives no attribution. Grammar of the
language only; no names of any country's bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "KoreanSaid",
    "continues_previous",
    "has_speech_ending",
    "headline_speaker",
    "korean_attribution",
]

_SPEECH = re.compile(
    r"^\s*(?P<ending>이?라(?:고|며|면서|는)|고|며|면서"
    # “…”을 촉구했다: the quotation as what is urged, stressed or asked
    r"|[을를](?=\s*(?:촉구|요구|강조|주문|당부|경고|지시)))\s*,?\s*(?P<rest>[^.!?。]*)"
)
_ACCORDING = re.compile(r"(?P<np>[가-힣A-Za-z0-9·]+)에\s*따르면")
_HEAD = re.compile(r"^(?P<stem>[가-힣A-Za-z0-9·]+?)(?P<particle>은|는|이|가|도)$")
# stems of words that end like a particle but are not subjects: adjectives and verbs (있는, 많은,
# 하는), adverbs (같이), and words already carrying a particle (5일에는, 대해서는)
_NOT_STEM = re.compile(
    r"(?:있|없|하|되|같|많|적|높|낮|작|크|좋|않|였|했|됐|된|에|서|게|로|와|과|의|를|을|고|며)$"
)
# "also" (도) marks a speaker only after a word for a person or a body (연평도 is an island)
_BODY_SUFFIX = re.compile(
    r"(?:대변인|관계자|당국자|당국|장관|차관|총리|대통령|위원장|부부장|의장|사령관|국장|본부|사무소|통신|군|부|청|처|원|측)$"
)
_CLAUSE_END = re.compile(r"(?:다|[했하됐되었았였]고|[했하됐되었았였]으?며|면서|지만|는데)[,.]?$")
# sentence adverbs that open a sentence and are no part of the speaker's name
_ADVERBS = {
    "이어", "이어서", "또", "또한", "다만", "한편", "특히", "그러면서", "아울러", "앞서", "이에",
    "반면", "그러나", "하지만", "이날", "오늘", "전날", "당시", "이후", "최근", "현재", "직전",
    "직후",
}  # fmt: skip
_NP_STOP = re.compile(r"(?:해|서|고|며|면|다|을|를|에|의|로|은|는|과|와|[\[\]=,])$|^\d")
_CONTINUING = {"이어", "이어서", "또", "또한", "그러면서", "아울러"}  # and the speech endings
_CHAIN = re.compile(
    r"^\S*다고\s+(?P<via>(?:[가-힣A-Za-z0-9·]+\s+){0,2}?[가-힣A-Za-z0-9·]+?)(?:이|가|은|는)\s+"
    r"(?:전했|보도했|밝혔|전한|보도)"
)
_REPORTING = re.compile(r"^(?:전했|보도했|전한|보도)")
_MAX_TOPIC_GAP = 10  # words between a topic and the quotation


@dataclass(frozen=True)
class KoreanSaid:
    """A speaker read from Korean prose: the phrase, where it starts, and a ``via`` if any."""

    np: str
    offset: int  # in the lead (``in_tail`` False) or the tail (True)
    in_tail: bool
    via: str | None = None
    rest: str = ""


def _head(word: str) -> tuple[str, str] | None:
    """Return the stem and particle of a subject word ("합참", "은" for "합참은"), or None."""
    bare = re.sub(r"\([^)]*\)", "", word).rstrip(",")
    bare = re.split(r"[\]】」』>]", bare)[-1]  # 【서울=뉴시스】합동참모본부는: the dateline goes
    match = _HEAD.match(bare)
    if match is None or _NOT_STEM.search(match["stem"]):
        return None
    stem, particle = match["stem"], match["particle"]
    if particle == "도" and not _BODY_SUFFIX.search(stem):
        return None
    if particle in {"이", "가"} and len(stem) < 2 and stem != "그":
        return None  # 평가, 추가, 국가: nouns that end in 가, not a one-syllable subject
    return stem, particle


def _noun_phrase(words: list[re.Match], index: int, stem: str) -> tuple[str, int]:
    """Return the speaker phrase ending with ``words[index]`` (its stem) and where it starts."""
    kept = [stem]
    start = words[index].start()
    for word in reversed(words[max(0, index - 4) : index]):
        text = re.sub(r"\([^)]*\)", "", word.group(0))
        if text in _ADVERBS or _NP_STOP.search(text) or len(kept) >= 5:
            break
        bracket = re.search(r"[\]】」』>]", text)
        if bracket:  # 【오데사=통신】해군 사령부: the name starts after the dateline
            tail = text[bracket.end() :]
            if tail:
                kept.insert(0, tail)
                start = word.start() + bracket.end()
            break
        kept.insert(0, text)
        start = word.start()
    return " ".join(kept), start


def _lead_subject(lead: str) -> tuple[str, int] | None:
    """Return the subject nearest before the quotation, with adverbials between, or None.

    A topic (은/는, or 도 after a person or body) is what Korean reporting marks a speaker with,
    and adverbials may stand between it and the quotation (이날 긴급 브리핑에서). A subject with
    이/가 often belongs to a clause inside the sentence (사격이 끝난 뒤 “…”), so it counts only
    with nothing but dates and sentence adverbs between (북한이 5일 “…”).
    """
    words = list(re.finditer(r"[^\s.!?。]+", lead))  # 발령했다.합참은: no space after a stop
    topic = _nearest(words, {"은", "는", "도"}, lambda text, gap: gap < _MAX_TOPIC_GAP)
    if topic is not None:
        return topic
    return _nearest(words, {"이", "가"}, lambda text, gap: text in _ADVERBS or text[:1].isdigit())


def _nearest(words: list[re.Match], particles: set[str], may_skip) -> tuple[str, int] | None:
    """Return the nearest subject with one of ``particles``, skipping words ``may_skip`` allows."""
    for gap, index in enumerate(reversed(range(len(words)))):
        text = words[index].group(0)
        head = _head(text)
        if head is not None and head[1] in particles:
            np, start = _noun_phrase(words, index, head[0])
            return None if np in _ADVERBS else (np, start)
        if _CLAUSE_END.search(text) or not may_skip(text, gap):
            return None
    return None


def _tail_subject(rest: str) -> tuple[str, int, str] | None:
    """Return the subject right after the speech ending (“…”라고 합참은 밝혔다) and its verb."""
    words = list(re.finditer(r"\S+", rest))
    for index, word in enumerate(words[:5]):
        text = word.group(0)
        if _CLAUSE_END.search(text) or text in _ADVERBS:
            return None
        head = _head(text)
        if head is not None:
            np = " ".join([w.group(0) for w in words[:index]] + [head[0]])
            verb = words[index + 1].group(0) if index + 1 < len(words) else ""
            return np, words[0].start(), verb
    return None


def korean_attribution(lead: str, tail: str) -> KoreanSaid | None:
    """Return the speaker the Korean sentence around a quotation names, or None.

    ``lead`` is the sentence before the quotation (from its start), ``tail`` the text after it.

    Example
    -------
    >>> korean_attribution("해군 대변인은 이날 브리핑에서 ", "고 밝혔다.").np
    '해군 대변인'
    """
    according = list(_ACCORDING.finditer(lead))
    subject = _lead_subject(lead)
    speech = _SPEECH.match(tail)
    if speech is None:
        if according and subject is None:
            return KoreanSaid(according[-1]["np"], according[-1].start(), in_tail=False)
        return None
    rest = speech["rest"]
    tail_at = speech.start("rest")
    via = None
    chain = _CHAIN.match(rest)
    inner = None if chain else _tail_subject(rest)
    if chain:
        via = chain["via"]
    elif inner is not None and subject is not None and _REPORTING.match(inner[2]):
        via, inner = inner[0], None  # “…”고 X가 전했다 after a named speaker: X reports it
    if inner is not None:
        return KoreanSaid(inner[0], tail_at + inner[1], in_tail=True, rest=rest)
    if subject is None:
        return None
    if according and according[-1].start() < subject[1]:
        via = via or according[-1]["np"]
    return KoreanSaid(subject[0], subject[1], in_tail=False, via=via, rest=rest + " " + lead)


def continues_previous(lead: str, tail: str) -> bool:
    """Return True when a quotation continues the speaker of the one before it.

    “…”며 “…”, “…”면서 “…”, 이어 “…”고 덧붙였다: a connective and no subject of its own; or no
    words before it at all, and a speech ending after it (“…”고 덧붙였다: the subject left out).
    """
    words = lead.replace(",", " ").split()
    if not words:
        return _SPEECH.match(tail) is not None
    joins = words[0] in _CONTINUING or re.fullmatch(r"(?:이?라)?(?:고|며|면서)", words[0])
    return bool(joins) and _lead_subject(lead) is None


def has_speech_ending(tail: str) -> bool:
    """Return True when the text after a quotation reports it as speech (“…”고 밝혔다)."""
    match = _SPEECH.match(tail)
    return match is not None and match["ending"] not in {"라는", "이라는"}  # 라는: "called"


_TAG = re.compile(r"\[[^\]]*\]|【[^】]*】|\([^)]*\)|<[^>]*>")
_HEADLINE_WORD = re.compile(r"[가-힣A-Za-z0-9·\u4e00-\u9fff]+")


def headline_speaker(paragraph: str, lead: str, tail: str) -> str | None:
    """Return X in a headline ``X “…”`` (合참 “…”, 軍 “…”), or None for anything else.

    The paragraph must read as a headline (one line, no sentence ending in 다.), the text before
    the quotation one to three words with no particle, and nothing but tags such as (종합) after.
    """
    if "\n" in paragraph.strip() or re.search(r"다\.(?:\s|$)", paragraph):
        return None
    after = _TAG.sub("", tail).strip()
    if after and not re.match(r"(?:[…·,;/|]|\.\.|vs\b)", after):
        return None  # 김여정 “…”…합참 “…”: another speaker's part of the headline may follow
    words = _TAG.sub(" ", lead).replace("…", " ").strip(" ,·").split()
    if not 1 <= len(words) <= 3 or not re.search(r"[가-힣\u4e00-\u9fff]", lead):
        return None
    if not all(_HEADLINE_WORD.fullmatch(w) for w in words) or _NP_STOP.search(words[-1]):
        return None
    return " ".join(words)
