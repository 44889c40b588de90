"""The offline reader: choose the supporting sentence(s) and the answer span, or abstain.

General method, no model call: sentences of the retrieved passages are scored by weighted key-term
coverage and embedding similarity; the question type decides which span inside the best sentence
answers it (a quantity, a subject, a date, a place, a role); abstention when the evidence does not
cover the question's key terms and names.

A sentence that matches the words can still answer another question, so the chosen one must also
fit this one: the question's names next to the answer (not only elsewhere in the article), the
same doer of the asked act, the same time ("last year"), the same counted or qualified noun
("KN-24 missiles", "commercial rates"), an amount for "how much", a day for "on what day".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import extract
from .config import Settings
from .consistency import conflicting_quantities
from .embed import Embedder
from .lexicon import WordMatcher
from .ground import ABSTAIN_TEXT, cite
from .models import Answer, Citation, Document, Fact, Passage
from .question import Question
from .retrieve import LexicalIndex
from .text import STOPWORDS, covers, sentence_spans, stem, terms

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PERSON_LABELS = frozenset({"PERSON", "ORG"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MONEY = frozenset({"money", "cash", "funding", "funds", "dollars", "revenue", "spending", "budget",
                    "price", "cost", "wage", "wages", "salary", "fee", "fees"})


@dataclass
class Sentence:
    """One candidate sentence of a retrieved passage, with its evidence scores."""

    doc: Document
    start: int
    end: int
    rank: int
    terms: set[str]
    context: set[str]
    coverage: float = 0.0
    context_coverage: float = 0.0
    names_ok: bool = False
    names_near: bool = False
    similarity: float = 0.0
    score: float = 0.0
    prev: tuple[int, int] | None = None
    spans: list[tuple[float, extract.Span]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]


class OfflineReader:
    """Extractive reader used when no LLM is configured (and as every fallback)."""

    mode = "offline"

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.words = WordMatcher(embedder)
        # Facts per document (figures, claims, forecasts with their sources); the Assistant
        # points this at its store-backed cache.
        self.facts_for: Callable[[Document], list[Fact]] = _document_facts

    def read(self, q: Question, passages: Sequence[Passage], fetch: Callable[[str], Document | None],
             lexical: LexicalIndex, query_vector: Sequence[float]) -> Answer:
        sentences = self._sentences(q, passages, fetch, lexical)
        if not sentences:
            return _abstain(q, 0.0)
        vectors = self.embedder.embed([s.text for s in sentences], "document")
        for s, v in zip(sentences, vectors):
            s.similarity = sum(a * b for a, b in zip(query_vector, v))
            s.score = (0.3 * s.coverage + 0.25 * s.context_coverage + 0.45 * s.similarity
                       + 0.05 / (1 + s.rank))
        eligible = [s for s in sentences
                    if s.names_ok and s.names_near and self._supports(s) and _same_time(q, s)
                    and not _other_modifier(q, s.text)]
        if not eligible:
            best = max(sentences, key=lambda s: s.score)
            return _abstain(q, best.score)
        kind = q.kind
        if kind == "role":
            answer = self._role(q, eligible)
            if answer:
                return answer
            kind = "other"
        if kind == "other":
            eligible = [s for s in eligible if not _agent_conflict(q, s.text, None)
                        and _possessor_role(q, s.text)]
            if not eligible:
                return _abstain(q, 0.0)
            best = max(eligible, key=lambda s: s.score)
            return _answer(q, best.text, [cite(best.doc, best.start, best.end)], best.score, "other")
        if kind == "entity":
            answer = self._source_from_facts(q, eligible)
            if answer:
                return answer
        for s in eligible:
            s.spans = self._spans(q, kind, s)
        typed = [s for s in eligible if s.spans]
        if not typed:
            return _abstain(q, max(s.score for s in eligible))
        best = max(typed, key=lambda s: s.score + 0.25 * s.spans[0][0])
        span_score, span = best.spans[0]
        citations = [cite(best.doc, best.start, best.end)]
        text = span.text
        if kind == "quantity":
            text = _with_counted_noun(best.text, span, q)
        if span.kind == "antecedent" and best.prev:
            citations.insert(0, cite(best.doc, *best.prev))
        answer = _answer(q, text, citations, best.score, kind)
        if kind == "quantity":
            rivals = [(s, sp) for s in typed if s is not best for sc, sp in s.spans[:1]
                      if sc >= 0.8 * span_score]
            conflict = conflicting_quantities(best, span, rivals, q, self.words)
            if conflict:
                others, flag = conflict
                answer.flags.append(flag)
                answer.citations.extend(c for c in flag.citations if c not in answer.citations)
                answer.text = f"{text} — but the sources differ: {others}."
        return answer

    def _supports(self, s: Sentence) -> bool:
        """Enough evidence to answer: key terms and meaning both close to the question.

        A paraphrase ("winning time" / "won ... in 2 hours") shares few words but much meaning,
        so coverage and similarity trade off above their floors.
        """
        st = self.settings
        support = 0.6 * s.context_coverage + 0.4 * s.similarity
        return (support >= st.min_support and s.context_coverage >= st.min_coverage
                and s.similarity >= st.min_similarity)

    def _sentences(self, q: Question, passages: Sequence[Passage],
                   fetch: Callable[[str], Document | None], lexical: LexicalIndex) -> list[Sentence]:
        seen: set[tuple[str, int]] = set()
        out: list[Sentence] = []
        docs: dict[str, Document | None] = {}
        # Names describing the asked entity ("which Russian minister") need not be restated.
        own_names = [n for n in q.names if n not in _asked_description(q)]
        name_groups = [g for g in ([t for t in p if t in own_names] for p in q.phrases) if g]
        name_groups += [(n,) for n in own_names if not any(n in g for g in name_groups)]
        for rank, p in enumerate(passages):
            did = p.chunk.document_id
            if did not in docs:
                docs[did] = fetch(did)
            doc = docs[did]
            if doc is None:
                continue
            spans = _doc_sentences(doc)
            title_terms = set(terms(doc.title))
            everywhere = _doc_terms(doc)
            for i, (a, b) in enumerate(spans):
                if b <= p.chunk.start or a >= p.chunk.end or (did, a) in seen:
                    continue
                seen.add((did, a))
                own = set(terms(doc.text[a:b]))
                prev = spans[i - 1] if i > 0 else None
                context = own | title_terms | (set(terms(doc.text[prev[0]:prev[1]])) if prev else set())
                s = Sentence(doc=doc, start=a, end=b, rank=rank, terms=own, context=context, prev=prev)
                # Names must be in the article; other key terms near the sentence (coverage below).
                s.names_ok = all(covers(n, everywhere) for n in q.names)
                # ... and next to the answer: a name found only elsewhere in the article belongs
                # to another fact ("sent to Ukraine" vs a sentence about what went to Russia).
                # A multi-word name is near when any of its words is ("the intelligence
                # service" for "National Intelligence Service").
                s.names_near = all(any(covers(n, context) for n in group) for group in name_groups)
                out.append(s)
        # A term that occurs in few candidate sentences discriminates between them more than one
        # that all candidates share (the article's title words, say): weight global × local idf.
        n = len(out)
        local = {t: math.log(1 + (n + 1) / (1 + sum(covers(t, s.terms) for s in out)))
                 for t in q.terms}
        weights = {t: lexical.idf(t) * local[t] for t in q.terms}
        # A multi-word name is one concept: it weighs as much as one word, shared by its parts.
        share = {t: 1.0 / len(p) for p in q.phrases for t in p}
        total = sum(weights[t] * share.get(t, 1.0) for t in q.terms) or 1.0
        for s in out:
            s.coverage = sum(weights[t] * share.get(t, 1.0) for t in q.terms
                             if covers(t, s.terms)) / total
            s.context_coverage = sum(weights[t] * share.get(t, 1.0) for t in q.terms
                                     if covers(t, s.context)) / total
        return out

    def _spans(self, q: Question, kind: str, s: Sentence) -> list[tuple[float, extract.Span]]:
        text = s.text
        hits = [m.start() for w in q.terms for m in _term_positions(text, w)]

        def near(span: extract.Span) -> float:
            if not hits:
                return 0.0
            d = min(abs(h - span.start) for h in hits)
            return 1.0 / (1.0 + d / 40.0)

        scored: list[tuple[float, extract.Span]] = []
        if kind == "quantity":
            facts = self._facts_of(s)
            how_much = bool(_HOW_MUCH.search(q.text)) and not q.focus and not q.percent
            kind_of_amount = _amount_kind(q) if how_much else []
            for span in extract.quantities(text):
                sc = 0.3 * near(span)
                fact = next((f for f in facts if f.value is not None
                             and f.text.startswith(span.text)), None)
                if how_much and not _is_amount(span, fact):
                    continue  # "how much ... paid" is not answered by a head count
                if how_much and kind_of_amount and not _mentions_near(text, span, kind_of_amount):
                    continue  # "how much ... in grants": an amount of something else
                if _agent_conflict(q, text, span.start):
                    continue  # the figure is what someone else did
                if ("how many" in q.text.lower() and not q.percent
                        and ("percent" in span.unit or "%" in span.text)):
                    continue  # a share is not a count
                if not _same_kind(q, text, span):
                    continue  # "KN-24 missiles" is not answered by a count of all missiles
                counted = re.findall(r"[A-Za-z]+", fact.counts.lower()) if fact else []
                if q.focus:
                    money = bool(re.search(r"[$€£¥]", span.text)) or "dollars" in span.unit
                    if self.words.overlap(q.focus, span.unit) or (money and set(q.focus) & _MONEY):
                        sc += 1.0
                    elif counted and self.words.overlap(q.focus, counted):
                        sc += 1.0  # the parse says what it counts: "the number of soldiers ... 30,000"
                    elif not _mentions_near(text, span, q.focus):
                        continue  # a count of something else
                    else:
                        noun = _counted_head(text, span)
                        if noun and not self.words.overlap(q.focus, [noun]):
                            continue  # "three months", though missiles are mentioned nearby
                if fact is not None:
                    sc += _fact_fit(q, fact)
                is_pct = "percent" in span.unit
                if _ASKS_PERCENT.search(q.text) and not (is_pct or "%" in span.text):
                    continue  # "by what percentage" is not answered by a sum of money
                sc += 0.4 if is_pct == q.percent else -0.6
                scored.append((sc, span))
        elif kind == "date":
            main = extract.main_verbs(q.text) or set(q.terms)
            precision = _asked_precision(q.text)
            for span in extract.dates(text):
                if precision and not precision.search(span.text):
                    continue  # "on what day" is not answered by "July"
                if _other_event(q, text, span) or _agent_conflict(q, text, span.start):
                    continue  # the date of another event, or of someone else's act
                specific = 0.3 if re.search(r"\d", span.text) else 0.0
                attached = 0.5 if extract.attached_to(text, span, main) else 0.0
                scored.append((0.5 * near(span) + specific + attached, span))
        elif kind == "entity":
            scored = self._who(q, s)
        elif kind == "place":
            main = extract.main_verbs(q.text) or set(q.terms)
            for span in extract.entities(text, _PLACE_LABELS):
                if not _restates(span.text, q):
                    attached = 0.5 if extract.attached_to(text, span, main) else 0.0
                    scored.append((near(span) + attached, span))
        scored.sort(key=lambda e: -e[0])
        return scored

    def _facts_of(self, s: Sentence) -> list[Fact]:
        """The facts whose cited span holds this sentence."""
        return [f for f in self.facts_for(s.doc)
                if f.citation.start <= s.start and s.end <= f.citation.end]

    def _source_from_facts(self, q: Question, eligible: list[Sentence]) -> Answer | None:
        """"Who said / predicted / estimated X?": the source the parse credits with the fact that
        matches X, when the question's verb is one of attribution and the cited sentence uses it
        (or, for "say", any attribution)."""
        verbs = extract.main_verbs(q.text)
        asked = verbs & _ATTRIBUTION_STEMS
        if not asked:
            return None
        generic = bool(asked & _SAY_STEMS)
        group = set().union(*(g for g in _VERB_GROUPS if asked & g), asked)
        wanted = [t for t in q.terms if t not in _ATTRIBUTION_STEMS]
        if not wanted:
            return None
        best: tuple[float, Fact, Sentence] | None = None
        for s in sorted(eligible, key=lambda s: -s.score)[:8]:
            for f in self._facts_of(s):
                if not f.source or _restates(f.source, q):
                    continue
                quote = f.citation.quote
                frame = quote.replace(f.text, " ").replace(f.source, " ")
                frame_terms = set(terms(frame))
                if not generic and not any(stem(w.lower()) in group or w.lower() == "according"
                                           for w in re.findall(r"[A-Za-z]+", frame)):
                    continue  # the sentence credits the fact some other way than asked
                fact_terms = set(terms(f.text + " " + f.counts))
                cov = 0.5 * sum(covers(t, fact_terms) for t in wanted) / len(wanted) \
                    + 0.5 * sum(covers(t, frame_terms | fact_terms) for t in wanted) / len(wanted)
                if cov < 0.5:
                    continue
                if f.kind in {"forecast", "estimate"} and asked & (_FORECAST_STEMS | _ESTIMATE_STEMS):
                    cov += 0.1
                score = cov + 0.3 * s.score
                if best is None or score > best[0]:
                    best = (score, f, s)
        if best is None:
            return None
        _, fact, s = best
        return _answer(q, fact.source, [fact.citation], s.score, "entity")

    def _who(self, q: Question, s: Sentence) -> list[tuple[float, extract.Span]]:
        text = s.text
        wants_place = bool(re.search(r"\b(country|nation|government|side)\b", q.text, re.I))
        labels = frozenset({"GPE", "NORP"}) if wants_place else _PERSON_LABELS
        main = extract.main_verbs(q.text)
        scored: list[tuple[float, extract.Span]] = []
        for span, pronoun, verb in extract.subjects_of(text, set(q.terms)):
            weight = 1.0 if verb in main or not main else 0.6
            if pronoun:
                ante = self._antecedent(s, labels)
                if ante:
                    scored.append((0.9 * weight, ante))
            elif not _restates(span.text, q):
                scored.append((weight, span))
        names = set(q.names)
        for span, desc in extract.described_entities(text, labels):
            if _restates(span.text, q):
                continue
            asked = (desc & set(q.terms)) - names
            if asked:
                # "Who is the HUR spokesman who ...": the description is what is asked.
                scored.append((1.05 if extract.copular(q.text) else 0.9, span))
        if extract.copular(q.text):
            # "Who is Russia's ambassador?" is answered by whoever the sentence describes so,
            # not by whoever else it names.
            return [e for e in scored if e[0] >= 1.05]
        if main and not (main & (_ATTRIBUTION_STEMS | _LIGHT_STEMS)):
            # "Who won ...?" is answered by whoever did that (or is described so), not by
            # whoever else the sentence names ("Race director Helen Marsh said ...").
            return [e for e in scored if e[0] >= 0.9]
        for span in extract.entities(text, labels):
            if not _restates(span.text, q) and not any(span.start >= x.start and span.end <= x.end
                                                        for _, x in scored if x.kind != "antecedent"):
                scored.append((0.4, span))
        return scored

    def _antecedent(self, s: Sentence, labels: frozenset[str]) -> extract.Span | None:
        """The last person or organisation named in the sentence before a pronoun subject."""
        if not s.prev:
            return None
        a, b = s.prev
        found = extract.entities(s.doc.text[a:b], labels)
        if not found:
            return None
        last = found[-1]
        return extract.Span(last.start, last.end, last.text, "antecedent")

    def _role(self, q: Question, eligible: list[Sentence]) -> Answer | None:
        for s in sorted(eligible, key=lambda s: -s.score):
            span = extract.role_of(s.text, q.subject)
            if span:
                return _answer(q, span.text, [cite(s.doc, s.start, s.end)], s.score, "role")
        return None


_ASKS_PERCENT = re.compile(r"\bpercent(?:age)?\b", re.I)
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
_MEASURES = frozenset(stem(w) for w in """percent dollars euros pounds yen tons tonnes kilograms kg
    grams pounds ounces meters metres kilometers kilometres km miles feet inches liters litres gallons
    barrels hours minutes seconds days weeks months years hectares acres degrees watts megawatts
    gigawatts bags sacks bales bushels crates cartons""".split())
_DAY = re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                  rf"Saturday|Sunday|yesterday|today|tomorrow)\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", re.I)
_RELATIVE = re.compile(r"\b(last|this|next|previous|coming)\s+(year|season|month|week|edition)\b",
                       re.I)
_NAMED = frozenset({"GPE", "NORP", "ORG", "PERSON"})
# A country and its people are one kind of doer ("Russian forces" / "Ukrainian troops").
_KIND_OF_NAME = {"GPE": "country", "NORP": "country", "ORG": "organization", "PERSON": "person"}


def _is_amount(span: extract.Span, fact: Fact | None) -> bool:
    """An amount (money, a share, a measure) rather than a count of things: what "how much"
    without a counted noun asks for."""
    if re.search(r"[$€£¥%]", span.text) or "percent" in span.unit or "dollars" in span.unit:
        return True
    if fact is not None and (fact.unit == "percent" or re.fullmatch(r"[$€£¥]", fact.unit)):
        return True
    return bool(span.unit) and stem(span.unit[0]) in _MEASURES


def _is_name(t) -> bool:
    return t.pos_ == "PROPN" or t.ent_type_ in _NAMED or any(ch.isdigit() for ch in t.text)


def _same_kind(q: Question, sentence: str, span: extract.Span) -> bool:
    """A name that narrows the counted noun ("KN-24 missiles") must narrow the counted noun of
    the span too (its modifiers, or the doer of its verb) when the sentence names it at all;
    named elsewhere ("220 missiles, most of them KN-23 and KN-24") the count is of more."""
    from . import nlp

    if not q.focus:
        return True
    qdoc = nlp.parse(q.text)
    noun = next((t for t in qdoc if t.lower_ == q.focus[0]), None)
    if noun is None:
        return True
    wanted = {w for t in noun.subtree if t.i < noun.i and _is_name(t) for w in terms(t.text)}
    if not wanted:
        return True
    doc = nlp.parse(sentence)
    said = {w for t in doc if not (span.start <= t.idx < span.end) for w in terms(t.text)}
    present = {a for a in wanted if any(_loose(a, b) for b in said)}
    if not present:
        return True
    tok = next((t for t in doc if t.idx >= span.start and t.pos_ == "NUM"), None)
    if tok is None:
        return True
    head = tok
    while head.dep_ in {"nummod", "quantmod", "compound"} and head.head.i != head.i \
            and head.pos_ == "NUM":
        head = head.head
    if head.pos_ == "NUM":
        return True  # a bare number ("to as many as 30,000"): its noun is elsewhere
    near_words = {w for t in head.subtree if t.i <= head.i for w in terms(t.text)}
    verb = next((a for a in head.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is not None:
        near_words |= set(_doers(verb)[0])
    return all(any(_loose(a, b) for b in near_words) for a in present)


def _counted_head(sentence: str, span: extract.Span) -> str | None:
    """The noun a number directly counts in the parse ("three months" → months), if any."""
    from . import nlp

    doc = nlp.parse(sentence)
    tok = next((t for t in doc if span.start <= t.idx < span.end and t.pos_ == "NUM"), None)
    if tok is None:
        return None
    head = tok
    while head.pos_ == "NUM" and head.dep_ in {"nummod", "quantmod", "compound"} \
            and head.head.i != head.i:
        head = head.head
    return head.lower_ if head.pos_ == "NOUN" and head.i > tok.i else None


_QUANTIFIERS = frozenset(STOPWORDS) | {"many", "much", "few", "more", "most", "several", "other",
                                        "additional", "further", "total", "new"}


def _other_modifier(q: Question, sentence: str) -> bool:
    """The sentence qualifies the asked noun differently: "residential water rates" does not
    answer a question about "commercial water rates"."""
    from . import nlp

    qdoc = nlp.parse(q.text)
    doc = nlp.parse(sentence)
    said = {stem(t.lower_) for t in doc}
    for noun in (t for t in qdoc if t.pos_ == "NOUN"):
        asked = {stem(c.lower_) for c in noun.children if c.dep_ == "amod" and c.pos_ == "ADJ"
                 and not _is_name(c) and c.lower_ not in _QUANTIFIERS}
        missing = asked - said
        if not missing:
            continue
        for t in doc:
            if t.pos_ == "NOUN" and stem(t.lower_) == stem(noun.lower_):
                other = {stem(c.lower_) for c in t.children if c.dep_ == "amod" and c.pos_ == "ADJ"
                         and not _is_name(c) and c.lower_ not in _QUANTIFIERS}
                if other - asked:
                    return True
    return False


def _possessor_role(q: Question, sentence: str) -> bool:
    """"What was X's time?": when the sentence names X, X is a doer or owner there (subject,
    possessor, modifier), not only someone else's point of reference ("ahead of X")."""
    from . import nlp

    owners = {w for t in nlp.parse(q.text) if t.dep_ == "poss" and _is_name(t)
              for w in terms(t.text)}
    if not owners:
        return True
    doc = nlp.parse(sentence)
    found = False
    for t in doc:
        if not any(_loose(w, o) for w in terms(t.text) for o in owners):
            continue
        found = True
        head = t
        while head.dep_ in {"compound", "flat", "appos"} and head.head.i != head.i:
            head = head.head
        if head.dep_ in {"nsubj", "nsubjpass", "poss", "compound", "amod", "agent"}:
            return True
    return not found


def _asked_description(q: Question) -> set[str]:
    """Stemmed names inside the wh-phrase ("Which Russian deputy foreign minister ...")."""
    from . import nlp

    out: set[str] = set()
    for t in nlp.parse(q.text):
        if t.lower_ in {"which", "what", "whose"} and t.dep_ == "det" and t.head.pos_ == "NOUN":
            for w in t.head.subtree:
                if w.i < t.head.i or w.i == t.head.i:
                    out.update(terms(w.text))
    return out


def _amount_kind(q: Question) -> list[str]:
    """What "how much ... in <noun>" counts in: "give Veridian in grants" → grants."""
    from . import nlp

    for t in nlp.parse(q.text):
        if (t.dep_ == "pobj" and t.pos_ == "NOUN" and t.head.lower_ == "in"
                and t.head.head.dep_ == "ROOT" and t.head.head.pos_ == "VERB"):
            return [t.lower_]
    return []


def _asked_precision(question: str) -> re.Pattern | None:
    """How precise a date the question asks for: "what day/date" a day, "what year" a year."""
    m = re.search(r"\b(?:what|which)\s+(date|day|year|month)\b", question, re.I)
    if not m:
        return None
    return {"date": _DAY, "day": _DAY, "year": _YEAR, "month": _MONTH}[m.group(1).lower()]


def _loose(a: str, b: str) -> bool:
    """Same name up to a demonym ending: "korea" / "korean", "russia" / "russian"."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _core_names(tok) -> dict[str, str]:
    """Stemmed names in a noun phrase's core, with their entity labels: without appositions,
    relative clauses and participles ("Veridian Silicon, a chipmaker based in Austin, Texas" →
    veridian, silicon)."""
    out: dict[str, str] = {}
    stack = [tok]
    while stack:
        t = stack.pop()
        if t.is_alpha and (t.pos_ == "PROPN" or t.ent_type_ in _NAMED):
            for w in terms(t.text):
                out[w] = _KIND_OF_NAME.get(t.ent_type_, "name")
        stack.extend(c for c in t.children
                     if c.dep_ not in {"appos", "relcl", "acl", "advcl", "punct", "cc", "det"})
    return out


def _doers(verb) -> tuple[dict[str, str], bool, bool]:
    """The names in a verb's doer (active subject or passive agent), whether the verb states a
    doer, and whether the doer is itself a name ("North Korea") rather than a described one
    ("the Pentagon official")."""
    names: dict[str, str] = {}
    found = named = False
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    for c in verb.children:
        head = None
        if c.dep_ == "nsubj" and not passive:
            head = c
        elif c.dep_ == "agent":
            head = next((g for g in c.children if g.dep_ == "pobj"), None)
        if head is None:
            continue
        if head.pos_ == "PRON":
            return {}, False, False  # "she said": the doer is elsewhere
        found = True
        named = named or head.pos_ == "PROPN" or head.ent_type_ in _NAMED
        names.update(_core_names(head))
    return names, found, named


def _agent_conflict(q: Question, sentence: str, at: int | None) -> bool:
    """The question names who does the asked act ("did North Korea ratify", "taken prisoner by
    Russian forces"), and the clause holding the answer names a different doer.

    ``at`` is the answer's offset in the sentence; None checks the clause of the asked verb.
    A doer named outright must match; one described ("the Pentagon official") conflicts only
    with a doer named as the same kind of thing ("Russian forces" / "Ukrainian troops").
    """
    from . import nlp

    qdoc = nlp.parse(q.text)
    root = next((t for t in qdoc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB":
        return False
    wanted, _, named = _doers(root)
    if not wanted:
        return False
    doc = nlp.parse(sentence)
    if at is None:
        tok = next((t for t in doc if t.pos_ == "VERB" and stem(t.lemma_) == stem(root.lemma_)),
                   None)
    else:
        tok = next((t for t in doc if t.idx >= at), None)
    if tok is None:
        return False
    for anc in [tok, *tok.ancestors]:
        if anc.pos_ not in {"VERB", "AUX"}:
            continue
        names, found, _ = _doers(anc)
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in anc.children) and not found:
            return False  # "soldiers were killed": the doer is not stated
        if not found:
            continue
        if any(_loose(a, b) for a in wanted for b in names):
            return False
        if named:
            return bool(names)
        return any(label in set(wanted.values()) for label in names.values())
    return False


def _other_event(q: Question, sentence: str, span: extract.Span) -> bool:
    """The date hangs from a verb other than the asked one while the asked verb is in the
    sentence too ("workers arrived ..., according to a report published on July 2")."""
    from . import nlp

    asked = {stem(t.lemma_) for t in nlp.parse(q.text) if t.pos_ == "VERB"}
    if not asked:
        return False
    doc = nlp.parse(sentence)
    verbs = [t for t in doc if t.pos_ == "VERB"]
    if not any(stem(v.lemma_) in asked for v in verbs):
        return False
    tok = next((t for t in doc if t.idx >= span.start), None)
    if tok is None:
        return False
    own = next((a for a in tok.ancestors if a.pos_ == "VERB"), None)
    if own is None or stem(own.lemma_) in asked:
        return False
    # Saying, telling and reporting are one act for this purpose.
    return not (stem(own.lemma_) in _ATTRIBUTION_STEMS and asked & _ATTRIBUTION_STEMS)


def _same_time(q: Question, s: Sentence) -> bool:
    """A relative time in the question ("last year") must fit the sentence's time when it states
    one: the same relative phrase, or a year that is the article's year shifted accordingly."""
    m = _RELATIVE.search(q.text)
    if not m:
        return True
    rel, unit = m.group(1).lower(), m.group(2).lower()
    norm = {"previous": "last", "coming": "next"}
    rel = norm.get(rel, rel)
    stated = [(norm.get(a.lower(), a.lower()), b.lower()) for a, b in _RELATIVE.findall(s.text)]
    same_unit = [a for a, b in stated if b == unit]
    if same_unit:
        return rel in same_unit
    if unit != "year":
        return True
    years = {int(y) for y in _YEAR.findall(s.text)}
    dated = _YEAR.search(str(s.doc.metadata.get("date", "")))
    if not years:
        # An undated sentence of a news article tells of the article's own time.
        return rel == "this"
    if not dated:
        return True
    expected = int(dated.group()) + {"last": -1, "this": 0, "next": 1}[rel]
    return expected in years


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


_SAY_STEMS = _stems("say says said tell told state stated")
_FORECAST_STEMS = _stems("predict predicted forecast forecasted expect expected project projected "
                         "anticipate anticipated")
_ESTIMATE_STEMS = _stems("estimate estimated put calculate calculated reckon reckoned assess assessed")
_REPORT_STEMS = _stems("report reported announce announced disclose disclosed claim claimed warn "
                       "warned confirm confirmed reveal revealed note noted mention mentioned "
                       "write wrote publish published")
# Verbs whose subject may be the source of what they convey ("who gave the figure").
_LIGHT_STEMS = _stems("give gave provide provided cite cited offer offered put")
_ATTRIBUTION_STEMS = _SAY_STEMS | _FORECAST_STEMS | _ESTIMATE_STEMS | _REPORT_STEMS
_VERB_GROUPS = (_FORECAST_STEMS, _ESTIMATE_STEMS, _SAY_STEMS)
_FACTS_CACHE: dict[tuple[str, str], list[Fact]] = {}


_HEDGED_QUESTION = re.compile(r"\b(may|might|could|would|will|predict\w*|forecast\w*|expect\w*|"
                              r"estimat\w*|project\w*|likely|possibl\w*|if)\b", re.I)
_ACCORDING = re.compile(r"\baccording to ([^,?]+)", re.I)


def _fact_fit(q: Question, fact: Fact) -> float:
    """How well a figure's standing fits the question: a forecast answers "could / might /
    predicted", a report answers "has deployed"; "according to X" wants X's figure."""
    bonus = 0.0
    hedged = bool(_HEDGED_QUESTION.search(q.text))
    if fact.kind in {"forecast", "estimate"}:
        bonus += 0.15 if hedged else -0.15
    m = _ACCORDING.search(q.text)
    if m and fact.source:
        wanted = set(terms(re.sub(r"['’]s\b.*$", "", m.group(1)) or m.group(1)))
        have = set(terms(fact.source + " " + fact.via))
        if wanted and all(covers(t, have) for t in wanted):
            bonus += 0.15
    return bonus


def _document_facts(doc: Document) -> list[Fact]:
    """Facts of a document, cached by content hash (for readers used without an Assistant)."""
    from .facts import extract_facts

    key = (doc.id, doc.hash)
    if key not in _FACTS_CACHE:
        if len(_FACTS_CACHE) > 512:
            _FACTS_CACHE.clear()
        _FACTS_CACHE[key] = extract_facts(doc)
    return _FACTS_CACHE[key]


_SENTENCE_CACHE: dict[tuple[str, str], list[tuple[int, int]]] = {}
_TERMS_CACHE: dict[tuple[str, str], set[str]] = {}


def _doc_terms(doc: Document) -> set[str]:
    key = (doc.id, doc.hash)
    if key not in _TERMS_CACHE:
        if len(_TERMS_CACHE) > 2048:
            _TERMS_CACHE.clear()
        _TERMS_CACHE[key] = set(terms(doc.title + "\n" + doc.text))
    return _TERMS_CACHE[key]


def _doc_sentences(doc: Document) -> list[tuple[int, int]]:
    key = (doc.id, doc.hash)
    if key not in _SENTENCE_CACHE:
        if len(_SENTENCE_CACHE) > 2048:
            _SENTENCE_CACHE.clear()
        _SENTENCE_CACHE[key] = sentence_spans(doc.text)
    return _SENTENCE_CACHE[key]


def _term_positions(text: str, term: str):
    for m in re.finditer(r"[A-Za-z0-9][\w’'-]*", text):
        if stem(m.group().lower().replace("’s", "").replace("'s", "")) == term:
            yield m


def _mentions_near(text: str, span: extract.Span, focus: Sequence[str], window: int = 60) -> bool:
    around = text[max(0, span.start - window):span.end + window]
    return any(stem(f) in {stem(w.lower()) for w in re.findall(r"[A-Za-z]+", around)} for f in focus)


def _restates(candidate: str, q: Question) -> bool:
    """A candidate made only of the question's own words is not an answer to it."""
    cand = set(terms(candidate))
    return not cand or cand <= set(q.terms)


def _with_counted_noun(sentence: str, span: extract.Span, q: Question) -> str:
    """Extend "around 11,000" to "around 11,000 elite troops" when the counted noun follows."""
    tail = sentence[span.end:span.end + 60]
    words = list(re.finditer(r"[A-Za-z][\w’'-]*", tail))[:3]
    for i, w in enumerate(words):
        if any(stem(w.group().lower()) == stem(f) for f in q.focus):
            between = tail[:w.end()]
            if re.fullmatch(r"[\sA-Za-z’'-]*", between):
                return span.text + between
            break
    return span.text


def _answer(q: Question, text: str, citations: list[Citation], score: float, kind: str) -> Answer:
    return Answer(question=q.text, text=text, abstained=False, citations=citations,
                  confidence=max(0.0, min(1.0, score)), answer_type=kind)


def _abstain(q: Question, score: float) -> Answer:
    return Answer(question=q.text, text=ABSTAIN_TEXT, abstained=True,
                  confidence=max(0.0, min(1.0, 1.0 - score)) if not math.isnan(score) else 0.0,
                  answer_type=q.kind)
