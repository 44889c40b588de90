"""The offline reader: choose the supporting sentence(s) and the answer span, or abstain.

General method, no model call: sentences of the retrieved passages are scored by weighted key-term
coverage and embedding similarity; the question type decides which span inside the best sentence
answers it (a quantity, a subject, a date, a place, a role); abstention when the evidence does not
cover the question's key terms and names.
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
from .text import covers, sentence_spans, stem, terms

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PERSON_LABELS = frozenset({"PERSON", "ORG"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MONEY = frozenset({"money", "cash", "funding", "funds", "dollars", "revenue", "spending", "budget"})


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
        eligible = [s for s in sentences if s.names_ok and self._supports(s)]
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
            for span in extract.quantities(text):
                sc = 0.3 * near(span)
                fact = next((f for f in facts if f.value is not None
                             and f.text.startswith(span.text)), None)
                counted = re.findall(r"[A-Za-z]+", fact.counts.lower()) if fact else []
                if q.focus:
                    money = bool(re.search(r"[$€£¥]", span.text)) or "dollars" in span.unit
                    if self.words.overlap(q.focus, span.unit) or (money and set(q.focus) & _MONEY):
                        sc += 1.0
                    elif counted and self.words.overlap(q.focus, counted):
                        sc += 1.0  # the parse says what it counts: "the number of soldiers ... 30,000"
                    elif not _mentions_near(text, span, q.focus):
                        continue  # a count of something else
                if fact is not None:
                    sc += _fact_fit(q, fact)
                is_pct = "percent" in span.unit
                sc += 0.4 if is_pct == q.percent else -0.6
                scored.append((sc, span))
        elif kind == "date":
            main = extract.main_verbs(q.text) or set(q.terms)
            for span in extract.dates(text):
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


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


_SAY_STEMS = _stems("say says said tell told state stated")
_FORECAST_STEMS = _stems("predict predicted forecast forecasted expect expected project projected "
                         "anticipate anticipated")
_ESTIMATE_STEMS = _stems("estimate estimated put calculate calculated reckon reckoned assess assessed")
_REPORT_STEMS = _stems("report reported announce announced disclose disclosed claim claimed warn "
                       "warned confirm confirmed reveal revealed note noted mention mentioned "
                       "write wrote publish published")
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
