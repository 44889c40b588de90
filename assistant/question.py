"""What a question asks for: its answer type, key terms, names and focus noun."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import STOPWORDS, fold, stem, terms, words

_LEAD = re.compile(r"^\s*(?:and|so|but|also|then|ok|okay|well)[\s,]+", re.I)
_QUANTITY = re.compile(
    r"(?:^|[,;:]\s+)(?:how (?:many|much|large|big|high|long|far|old|often)|what (?:number|percentage|percent|"
    r"share|proportion|amount|fraction|sum|figure|total|portion|price|cost)|by how much|"
    r"by what (?:percentage|percent|share|amount|margin))\b", re.I)
_ENTITY_NOUNS = (r"person|official|minister|agency|organi[sz]ation|company|group|body|service|"
                 r"lawmaker|legislator|leader|general|commander|spokes(?:person|man|woman)|institution|"
                 r"ministry|department|firm|team|outlet|newspaper|analyst|expert|president|"
                 r"country|nation|government|side|party|intelligence|unit|officer|source")
_WHO = re.compile(rf"(?:^|[,;:]\s+)(?:who|whom|whose|(?:which|what)(?: [\w-]+){{0,3}} (?:{_ENTITY_NOUNS})s?)\b", re.I)
_WHEN = re.compile(r"(?:^|[,;:]\s+)(?:when|what (?:year|date|day|month|time|season)|(?:in|by|on|since|until) "
                   r"(?:what|which) (?:year|date|day|month|season)|which (?:year|date|day|month|season))\b",
                   re.I)
_WHERE = re.compile(r"(?:^|[,;:]\s+)(?:where|(?:in|at|to) (?:what|which) (?:place|city|region|location|town|"
                    r"province|area|site)|(?:what|which) (?:place|city|region|location|town|province|"
                    r"area|site))\b", re.I)
_ROLE = re.compile(r"^(?i:who\s+(?:is|was))\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s*\??\s*$")
_TYPE_WORDS = {
    "date": {"year", "date", "day", "month", "time", "season"},
    "place": {"place", "city", "region", "location", "town", "province", "area", "site"},
    "quantity": {"number", "amount", "figure", "percentage", "proportion", "fraction"},
    "entity": set(),
    "other": set(),
    "role": set(),
}


@dataclass(frozen=True)
class Question:
    """A parsed question.

    Attributes:
        text: The question as asked.
        kind: ``quantity`` | ``entity`` | ``date`` | ``place`` | ``role`` | ``other``.
        terms: Stemmed key terms, in order, without duplicates.
        names: Stemmed terms from capitalised words and numbers: the evidence must contain them.
        focus: Lower-case word(s) right after "how many"/"how much" (what is counted).
        percent: True when the question asks for a share.
        subject: For "who is X?": the name X.
        phrases: ``terms`` grouped into concepts: a run of capitalised words
            ("Comprehensive Strategic Partnership Treaty") is one phrase, any other term its own.
    """

    text: str
    kind: str
    terms: list[str]
    names: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    percent: bool = False
    subject: str = ""
    phrases: list[tuple[str, ...]] = field(default_factory=list)


def parse(question: str) -> Question:
    q = _LEAD.sub("", question.strip())
    folded = fold(q)
    role = _ROLE.match(folded)
    if role:
        kind = "role"
    elif _QUANTITY.search(folded) or (re.search(r"\bhow (?:many|much)\b", folded, re.I)
                                       and not re.match(r"(?i)\s*(?:who|when|where)\b", folded)):
        kind = "quantity"
    elif _WHEN.search(folded):
        kind = "date"
    elif _WHERE.search(folded):
        kind = "place"
    elif _WHO.search(folded):
        kind = "entity"
    else:
        kind = "other"
    drop = {stem(w) for w in _TYPE_WORDS[kind]}
    key = [t for t in dict.fromkeys(terms(q)) if t not in drop]
    names = []
    toks = words(q)
    for i, (w, _, _) in enumerate(toks):
        if w[0].isdigit() or (i > 0 and w[0].isupper()):
            for t in terms(w):
                if t not in names:
                    names.append(t)
    phrases: list[tuple[str, ...]] = []
    placed: set[str] = set()
    run: list[str] = []
    for i, (w, _, _) in enumerate(toks + [("", 0, 0)]):
        if w and i > 0 and w[0].isupper():
            run.extend(t for t in terms(w) if t in key and t not in placed and t not in run)
            continue
        if run:
            phrases.append(tuple(run))
            placed.update(run)
            run = []
    phrases += [(t,) for t in key if t not in placed]
    focus = _counted_noun(folded) if kind == "quantity" else []
    priced = re.search(r"\bwhat (price|cost)\b", folded, re.I)
    if kind == "quantity" and not focus and priced:
        focus = [priced.group(1).lower()]  # "what price" wants money
    percent = bool(re.search(r"percent|percentage|share|proportion|fraction|%", folded, re.I))
    return Question(text=question, kind=kind, terms=key, names=names, focus=focus,
                    percent=percent, subject=role.group(1) if role else "", phrases=phrases)


def _counted_noun(question: str) -> list[str]:
    """The noun "how many" counts: "how many short-range ballistic missiles has..." → missiles."""
    from . import nlp

    doc = nlp.parse(question)
    for tok in doc:
        if tok.lower_ in {"many", "much"} and tok.i > 0 and doc[tok.i - 1].lower_ == "how":
            head = tok.head
            between = doc[tok.i + 1:head.i]
            if (head.i > tok.i and head.pos_ in {"NOUN", "PROPN"}
                    and all(t.pos_ in {"ADJ", "NOUN", "PROPN", "PUNCT", "NUM"} for t in between)):
                return [head.lower_]
            return []
    m = re.search(r"\bhow (?:many|much)\s+(.*)$", question, re.I)
    run: list[str] = []
    for w, _, _ in words(m.group(1) if m else ""):
        low = w.lower()
        if low in STOPWORDS:
            break
        run.append(low)
    return run[-1:]
