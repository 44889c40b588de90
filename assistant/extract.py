"""Candidate answer spans inside one sentence: quantities, dates, entities, subjects, roles.

Offsets are relative to the sentence string given; callers add the sentence start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import nlp
from .text import STOPWORDS, fold, stem, terms

_QUALIFIER = (r"(?:(?:just |well |slightly )?(?:over|under|above|below)|around|about|approximately|"
              r"roughly|nearly|almost|some|more than|less than|fewer than|at least|at most|up to|"
              r"as many as|as few as|as much as|upwards of|close to|an estimated|estimated|"
              r"a total of|a further|an additional|another|only|exactly|precisely|in excess of)")
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|m|k)\b"
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_NUM = (r"(?:[$€£¥]\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:%|percent\b|per cent\b))?"
        rf"(?:\s(?:{_SCALE})|-(?:thousand|million|billion|trillion)\b)?"
        # "Fifty-seven" is one figure, not fifty and a noun
        rf"|\b(?:(?:{_TENS})-(?:{_UNITS})|{'|'.join(_NUMBER_WORDS)})\b(?:\s(?:{_SCALE}))?")
_QUANTITY = re.compile(rf"(?:\b(?P<q>{_QUALIFIER})\s)?(?P<n>{_NUM})", re.I)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
           "bn": 1e9, "trillion": 1e12}
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR_CONTEXT = re.compile(rf"(?:\b(?:in|since|by|of|from|until|till|to|during|early|late|mid|"
                           rf"before|after|spring|summer|autumn|fall|winter)|{_MONTHS}|-)\s*$", re.I)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTHS}"
    rf"(?:,?\s\d{{4}})?|{_MONTHS}\s\d{{4}}|(?:early|late|mid-?)\s?\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"(?:in|since|by|until|during|before|after)\s(?:early\s|late\s)?(?:{_MONTHS}|\d{{4}})"
    rf"(?:\s\d{{4}})?|(?:this|last|next|earlier this|later this)\s(?:week|month|year|spring|summer|"
    rf"autumn|fall|winter|weekend)|(?:over|during|in|by)\sthe\s(?:summer|winter|spring|autumn|fall|"
    rf"weekend)|(?:on\s)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|"
    rf"today|tomorrow|(?:spring|summer|autumn|fall|winter)\sof\s\d{{4}})\b", re.I)
HEDGES = frozenset(stem(w) for w in """may might could would predict predicted predicting
    predicts forecast forecasts expect expected expects projected project projects plan plans
    planned likely possibly potentially anticipate anticipated anticipates""".split())
_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "this", "that", "who", "which"}


@dataclass(frozen=True)
class Span:
    """A candidate answer: offsets in the sentence, its text, and what it is."""

    start: int
    end: int
    text: str
    kind: str
    value: float | None = None
    qualifier: str = ""
    unit: tuple[str, ...] = ()  # lower-case words right after a quantity: what it counts


def quantities(sentence: str) -> list[Span]:
    """Numbers with their qualifier and the words they count; years are left out."""
    out = []
    for m in _QUANTITY.finditer(sentence):
        num = m.group("n")
        if _is_year(sentence, m.start("n"), num):
            continue
        if re.search(r"[A-Za-z]-$", sentence[max(0, m.start("n") - 2):m.start("n")]):
            continue  # a model name such as "Geran-2" or "KN-23"
        value = _value(num)
        if value is None:
            continue
        qual = (m.group("q") or "").lower()
        # "11,000 elite troops": what is counted is within the next few words.
        tail = sentence[m.end():m.end() + 60]
        unit = tuple(part for w in re.findall(r"[A-Za-z][\w’'-]*", tail)[:4]
                     if w.lower() not in STOPWORDS for part in w.lower().split("-"))[:5]
        if "%" in num or "percent" in num.lower() or "per cent" in num.lower():
            unit = ("percent",) + unit
        start = m.start("q") if m.group("q") else m.start("n")
        out.append(Span(start, m.end(), sentence[start:m.end()], "quantity", value, qual, unit))
    return out


def _is_year(sentence: str, start: int, num: str) -> bool:
    before = sentence[max(0, start - 20):start]
    if re.fullmatch(r"\d{1,2}", num.strip()) and re.search(rf"\b{_MONTHS}\s*$", before):
        return True  # the day in "March 3"
    if re.fullmatch(r"\d{1,2}", num.strip()) and re.match(rf"\s+{_MONTHS}\b", sentence[start + len(num):]):
        return True  # the day in "10 April"
    if not re.fullmatch(r"(1[89]\d\d|20\d\d|2100)", num.strip()):
        return False
    after = sentence[start + len(num):start + len(num) + 12]
    if _YEAR_CONTEXT.search(before):
        return True
    return not re.match(r"\s+[a-z]", after)


_VAGUE_WORDS = {"dozens", "hundreds", "thousands"}


def definite(num: str) -> bool:
    """A figure no reader takes for anything else: digits, or a number word from thirteen up
    ("Thirty-seven"); "one" or "two" are as often pronouns or articles as counts."""
    if re.search(r"\d", num):
        return True
    v = _value(num)
    return v is not None and v >= 13 and not any(w in num.lower() for w in _VAGUE_WORDS)


def _value(num: str) -> float | None:
    s = num.lower().replace(",", "").replace("$", "").replace("€", "").replace("£", "")
    s = s.replace("¥", "").replace("per cent", "").replace("percent", "").replace("%", "").strip()
    s = re.sub(r"-(?=(?:thousand|million|billion|trillion)\b)", " ", s)
    parts = s.split()
    if not parts:
        return None
    head = parts[0]
    try:
        value = float(head)
    except ValueError:
        tens, _, unit = head.partition("-")
        if tens not in _NUMBER_WORDS or unit and unit not in _NUMBER_WORDS:
            return None
        value = float(_NUMBER_WORDS[tens] + (_NUMBER_WORDS[unit] if unit else 0))
    if len(parts) > 1 and parts[-1] in _SCALES:
        value *= _SCALES[parts[-1]]
    return value


def number(text: str) -> float | None:
    """The value of a figure as written: "1.8 million", "Fifty-seven", "$600,000"."""
    return _value(text)


def dates(sentence: str) -> list[Span]:
    """Dates and times: regular patterns plus spaCy's DATE/TIME entities."""
    spans = [Span(m.start(), m.end(), m.group(), "date") for m in _DATE.finditer(sentence)]
    for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", sentence):
        if _is_year(sentence, m.start(), m.group()):
            spans.append(Span(m.start(), m.end(), m.group(), "date"))
    for ent in nlp.parse(sentence).ents:
        if ent.label_ in {"DATE", "TIME"}:
            spans.append(Span(ent.start_char, ent.end_char, ent.text, "date"))
    return _widest(spans)


def entities(sentence: str, labels: frozenset[str]) -> list[Span]:
    """Named entities of the given spaCy labels, merged with possessive chains
    ("South Korea's National Intelligence Service")."""
    doc = nlp.parse(sentence)
    spans = []
    for ent in doc.ents:
        if ent.label_ in labels:
            spans.append(Span(ent.start_char, ent.end_char, ent.text.strip(), "entity"))
    for chunk in doc.noun_chunks:
        if chunk.root.pos_ == "PROPN":
            toks = [t for t in chunk if t.dep_ != "det" or t.i != chunk.start]
            if toks:
                a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
                spans.append(Span(a, b, sentence[a:b], "entity"))
    return _widest(spans)


def subjects_of(sentence: str, verb_stems: set[str]) -> list[tuple[Span, bool, str]]:
    """Who does what: the subject (or passive agent) of each verb whose stem is asked about.

    Returns spans, whether the subject is a pronoun that needs an antecedent, and the verb's stem.
    """
    doc = nlp.parse(sentence)
    out = []
    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX", "NOUN"}:
            continue
        if stem(tok.text) in verb_stems:
            verb = stem(tok.text)
        elif stem(tok.lemma_) in verb_stems:
            verb = stem(tok.lemma_)
        else:
            continue
        head = tok
        for _ in range(3):  # "is expected to deploy" → climb to the verb that has the subject
            subj = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
            if subj:
                break
            if head.dep_ in {"xcomp", "conj", "advcl", "acl"} and head.head.i != head.i:
                head = head.head
            else:
                break
        if not subj and tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN"} and tok.head.dep_ in {"nsubj", "ROOT"} \
                and tok.head.i < tok.i and any(c.dep_ == "ccomp" for c in tok.children):
            # "The provincial treasury estimated last month that ...": the small parser takes the
            # verb for a clause on its subject
            noun = tok.head
            toks = [t for t in noun.subtree if t.i < tok.i and not (t.dep_ == "det" and t.i == noun.left_edge.i)]
            if toks:
                a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
                out.append((Span(a, b, sentence[a:b], "entity"), noun.lower_ in _PRONOUNS, verb))
            continue
        for c in head.children:
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    out.append((_subtree_span(sentence, objs[0]), False, verb))
            elif c.dep_ == "nsubj":
                out.append((_subtree_span(sentence, c), c.text.lower() in _PRONOUNS, verb))
    for m in re.finditer(r"\baccording to ([^,.;]+)", sentence, re.I):
        a = m.start(1)
        out.append((Span(a, m.end(1), m.group(1), "entity"), False, "according"))
    return out


def described_entities(sentence: str, labels: frozenset[str]) -> list[tuple[Span, set[str]]]:
    """Entities with the stemmed words that describe them in their noun phrase or apposition
    ("HUR spokesman Vadym Korniienko" → {"hur", "spokesman"})."""
    doc = nlp.parse(sentence)
    out = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        root = ent.root
        while root.dep_ == "compound" and root.head.i != root.i and root.head.pos_ == "PROPN":
            root = root.head
        words = [t for t in root.subtree if not (ent.start <= t.i < ent.end)]
        words += [t for c in root.children if c.dep_ == "appos" for t in c.subtree]
        if root.dep_ == "appos":
            words += [root.head]
        desc = {stem(t.text) for t in words if t.is_alpha and t.text.lower() not in STOPWORDS}
        out.append((Span(ent.start_char, ent.end_char, ent.text, "entity"), desc))
    return out


def copular(question: str) -> bool:
    """True for "Who is/was the ..." questions, which ask for whoever fits a description."""
    return any(t.dep_ == "ROOT" and t.lemma_ == "be" for t in nlp.parse(question))


def main_verbs(question: str) -> set[str]:
    """Stems of the question's main verb (the root when it is a verb, else every verb)."""
    doc = nlp.parse(question)
    roots = [t for t in doc if t.dep_ == "ROOT" and t.pos_ == "VERB"]
    verbs = roots or [t for t in doc if t.pos_ == "VERB"]
    return {stem(t.lemma_) for t in verbs} | {stem(t.text) for t in verbs}


def attached_to(sentence: str, span: Span, verb_stems: set[str]) -> bool:
    """True when the span's words hang (in the parse) from a verb whose stem is given."""
    doc = nlp.parse(sentence)
    for tok in doc:
        if span.start <= tok.idx < span.end:
            for anc in tok.ancestors:
                if anc.pos_ in {"VERB", "AUX"} and (stem(anc.lemma_) in verb_stems
                                                    or stem(anc.text) in verb_stems):
                    return True
            return False
    return False


def role_of(sentence: str, name: str) -> Span | None:
    """The title or description attached to ``name``: "Nigeria's Defense Minister", or an apposition."""
    doc = nlp.parse(sentence)
    name_stems = set(terms(name))
    for tok in doc:
        if stem(tok.text) not in name_stems or tok.pos_ != "PROPN":
            continue
        head = tok
        while head.dep_ == "compound" and stem(head.head.text) in name_stems:
            head = head.head
        for c in head.children:
            if c.dep_ == "appos":
                return _subtree_span(sentence, c)
        left = [t for t in head.subtree if t.i < head.i and stem(t.text) not in name_stems
                and t.dep_ not in {"det", "punct"}]
        if left:
            a = left[0].idx
            last = left[-1]
            span = sentence[a:last.idx + len(last.text)]
            if any(t.pos_ in {"NOUN", "PROPN"} for t in left):
                return Span(a, a + len(span), span, "role")
    return None


def _subtree_span(sentence: str, tok) -> Span:
    toks = [t for t in tok.subtree if not (t.dep_ in {"det", "punct"} and t.i == tok.left_edge.i)]
    toks = toks or [tok]
    a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text = sentence[a:b].rstrip(",;: ")
    return Span(a, a + len(text), text, "entity")


def _widest(spans: list[Span]) -> list[Span]:
    """Drop spans contained in a longer one; keep order of appearance."""
    spans = sorted(set(spans), key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in spans:
        if out and s.start >= out[-1].start and s.end <= out[-1].end:
            continue
        out.append(s)
    return out


def hedged(sentence: str) -> bool:
    """True when the sentence forecasts or speculates rather than reports."""
    return any(t in HEDGES for t in (stem(w) for w in re.findall(r"[A-Za-z]+", fold(sentence).lower())))
