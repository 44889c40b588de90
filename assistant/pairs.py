"""Learned judges of two mentions in one article: are two figures two values for one quantity,
do two sentences credit one statement or figure to different sources?

The hand-written rules in :mod:`assistant.audit` need hard evidence before they pair two mentions
(a definite back-reference, two titles that cannot be one office), which keeps them precise on
articles like the ones they were written against and nearly silent on articles nobody here has
seen. These judges weigh such signals softly instead: every plausible pair becomes a candidate,
the rules' predicates and general signals (sentence similarity, shared figures and quoted words)
become features, and a logistic model trained on the labelled flag sets in ``evals/`` decides. Each model lives in ``weights/<name>.json`` beside its feature
names, training sets and measured figures; ``evals/train_pairs.py`` retrains them and reports
leave-one-set-out figures.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from . import audit, extract, nlp
from .audit import Facts, Figure, Sent
from .consistency import compatible
from .text import fold

WEIGHTS = Path(__file__).parent / "weights"


def _usable(g: Figure) -> bool:
    return bool(g.span.unit and g.span.value and extract.definite(g.span.text) and g.noun != "age"
                and not re.match(r"(st|nd|rd|th)\b", g.sent.text[g.span.end:g.span.end + 3]))


def candidates(f: Facts) -> list[tuple[Figure, Figure]]:
    """Pairs of figures of one article, in different sentences, of one kind (both sums of money,
    both percentages or both counts), with different values; earlier figure first."""
    figs = [g for g in f.figures if _usable(g) and not _headline(f, g.sent)]
    out = []
    for i, a in enumerate(figs):
        for b in figs[i + 1:]:
            if a.sent.i == b.sent.i or a.span.value == b.span.value:
                continue
            if ("percent" in a.span.unit) != ("percent" in b.span.unit):
                continue
            if a.noun.startswith("money:") != b.noun.startswith("money:"):
                continue
            out.append((a, b) if a.sent.i < b.sent.i else (b, a))
    return out


def features(f: Facts, a: Figure, b: Figure, words, cosine: float) -> dict[str, float]:
    """What the rules know about two figures, as numbers: ``cosine`` is the similarity of their
    sentences. ``a`` comes first in the article."""
    hi, lo = max(a.span.value, b.span.value), min(a.span.value, b.span.value)
    money = a.noun.startswith("money:")
    nouns = bool(a.noun and b.noun)
    same_noun = nouns and audit._same_noun(a.noun, b.noun, words)
    shared = (a.context & b.context) - {audit._lemma_word(a.noun), audit._lemma_word(b.noun)}
    shared = {t for t in shared
              if t not in audit._TIME_WORDS and t not in audit._SCALE_WORDS and t not in audit._CURRENCIES}
    near = lambda g: g.sent.text[g.span.end:g.span.end + 40]  # noqa: E731
    return {
        "ratio": lo / hi,
        "ratio_over_3": float(hi / lo > 3),
        "money": float(money),
        "percent": float("percent" in a.span.unit),
        "hedge_mismatch": float(a.hedged != b.hedged),
        "share_scope": float(bool(audit._SHARE_SCOPE.search(near(a)) or audit._SHARE_SCOPE.search(near(b)))),
        "rate_differs": float(audit._rate(a) != audit._rate(b)),
        "aggregate_differs": float(audit._aggregate(a) != audit._aggregate(b)),
        "noun_missing": float(not nouns),
        "same_noun": float(same_noun),
        "workforce": float(nouns and audit._workforce(a.noun) and audit._workforce(b.noun)),
        "related_noun": float(nouns and audit._related_noun(a, b, words)),
        "noun_similarity": (audit._similarity(words, a.noun.lower(), b.noun.lower())
                            if nouns and not money else float(a.noun == b.noun)),
        "holder_differs": float(bool(a.holder and b.holder and not audit._same(a.holder, b.holder))),
        "times_differ": float(bool(a.times and b.times and not a.times & b.times)),
        "compatible": float(compatible(a.span, b.span)),
        "old_any": float(a.old or b.old),
        "old_value": float(any(h.old and h.span.value in (a.span.value, b.span.value) for h in f.figures)),
        "part_any": float(a.part or b.part),
        "share_any": float(a.share or b.share),
        "ranged_any": float(a.ranged or b.ranged),
        "compound_any": float(audit._compound(a) or audit._compound(b)),
        "shared_context": min(len(shared), 4) / 4,
        "same_measure": float(bool(a.measure & b.measure)),
        "refers_back": float(audit._refers_back(b, a, words)),
        "refers_back_plain": float(audit._refers_back(b)),
        "restricted": float(audit._restricted(b, a) and b.span.value <= a.span.value),
        "valued_elsewhere": float(bool(b.noun) and audit._valued_elsewhere(f, b, a, words)),
        "only_pair": float(same_noun and audit._only_pair(f, a, b, words)),
        "only_count": float(nouns and audit._only_count(f, a, words) and audit._only_count(f, b, words)),
        "same_spend": float(money and audit._same_spend(a, b, words)),
        "transposed": float(audit._transposed(a, b)),
        "generic_sum": float(audit._generic_sum(b)),
        "cosine": cosine,
        "distance": min(abs(b.sent.i - a.sent.i), 10) / 10,
        "same_verb": float(bool(a.verb and a.verb == b.verb)),
        "source_differs": float(bool(a.source and b.source and not audit._same(a.source, b.source))),
        "nouns_alike": min(sum(1 for h in f.figures if h.noun and a.noun
                               and audit._same_noun(h.noun, a.noun, words)), 6) / 6,
    }


class PairModel:
    """A logistic model over named features, read from its JSON file."""

    def __init__(self, data: dict) -> None:
        self.names: list[str] = data["features"]
        self.coef: list[float] = data["coef"]
        self.intercept: float = data["intercept"]
        self.threshold: float = data["threshold"]

    def score(self, x: dict[str, float]) -> float:
        z = self.intercept + sum(w * x[n] for n, w in zip(self.names, self.coef))
        return 1 / (1 + math.exp(-z))


@lru_cache(maxsize=4)
def load(name: str) -> PairModel | None:
    """A shipped model ("number_pairs", "said_pairs"), or None when its file is missing or
    unreadable (the rules still run)."""
    try:
        return PairModel(json.loads((WEIGHTS / f"{name}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


_VECTORS: dict[tuple[str, str], dict[int, np.ndarray]] = {}


def sentence_cosines(f: Facts, words,
                     needed: Iterable[int] | None = None) -> Callable[[int, int], float]:
    """Cosine of two of the article's sentences. Only the ``needed`` sentences (all by default)
    are embedded, in one batch, and kept per article version for the other judge: embedding is
    most of the judges' cost."""
    key = (f.doc.id, hashlib.sha1(f.doc.text.encode("utf-8")).hexdigest())  # the text itself, whatever its id
    if len(_VECTORS) >= 64 and key not in _VECTORS:
        _VECTORS.clear()
    have = _VECTORS.setdefault(key, {})
    want = sorted(set(range(len(f.sents)) if needed is None else needed) - set(have))
    if want:
        v = np.asarray(words.embedder.embed([f.sents[i].text for i in want], "document"), dtype=float)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        have.update(zip(want, v))
    return lambda i, j: float(have[i] @ have[j])


def _judged(all_facts: Sequence[Facts], words, taken: set[frozenset] | None, model: PairModel | None,
            find, featurize, sent_of):
    """(facts, score, a, b) for the best-scoring candidate pair of each sentence pair the model
    accepts, skipping sentence pairs in ``taken`` ((id of facts, sentence index) pairs the rules
    already flagged). ``sent_of`` maps a candidate's side to its sentence."""
    if model is None or words is None:
        return []
    out = []
    for f in all_facts:
        found = find(f)
        if not found:
            continue
        cos = sentence_cosines(f, words, {sent_of(x).i for pair in found for x in pair})
        best: dict[tuple[int, int], tuple[float, object, object]] = {}
        for a, b in found:
            i, j = sent_of(a).i, sent_of(b).i
            if taken and frozenset({(id(f), i), (id(f), j)}) in taken:
                continue
            p = model.score(featurize(f, a, b, words, cos(i, j)))
            if p >= model.threshold and ((i, j) not in best or p > best[(i, j)][0]):
                best[(i, j)] = (p, a, b)
        out.extend((f, p, a, b) for p, a, b in best.values())
    return out


def number_pair_flags(all_facts: Sequence[Facts], words, taken: set[frozenset] | None = None,
                      model: PairModel | None = None):
    """Within each article, figure pairs the model judges to be one quantity given two values."""
    judged = _judged(all_facts, words, taken, model or load("number_pairs"), candidates, features,
                     lambda g: g.sent)
    return [audit._flag("number_conflict",
                        f"This article seems to give two values for one quantity: “{a.span.text}” and "
                        f"“{b.span.text}” (learned judgement, {p:.0%} sure).",
                        [audit._cite_sent(f.doc, a.sent), audit._cite_sent(f.doc, b.sent)], severity="info")
            for f, p, a, b in judged]


# ---- who said it ---------------------------------------------------------------------------------

# Words that credit a statement or a figure to someone, besides reporting verbs.
_CREDIT = re.compile(r"\b(according to|credited|attributed|quoted|in the words of|whose|first (?:given|"
                     r"disclosed|released|published|made|used)|came from|comes from|(?:produced|drawn up|"
                     r"compiled|prepared|commissioned|carried out|put forward) by)\b", re.I)
# Nouns naming something said or worked out, which someone can be credited with.
_SAYING_NOUNS = audit._stems("""remark remarks comment comments words warning warnings phrase
    description claim statement estimate forecast figure projection prediction calculation
    assessment verdict quip analysis study survey report""")


_SPEAKER_DEPS = {"nsubj", "nsubjpass", "poss", "appos", "agent", "pobj"}


@dataclass(frozen=True)
class _Said:
    """What one sentence says about who said what."""

    cue: bool                  # a reporting verb or a crediting phrase
    sources: frozenset[str]    # last words of the people and bodies named in it
    values: frozenset[float]   # its numbers
    quoted: frozenset[str]     # words inside quotation marks
    content: frozenset[str]    # content lemmas
    saying: bool               # a noun naming a statement ("the remark", "her estimate")


@lru_cache(maxsize=4096)
def _said(text: str) -> _Said:
    d = nlp.parse(text)
    verbs = {audit.stem(t.lemma_.lower()) for t in d if t.pos_ == "VERB"}  # not "a state visit"
    nouns = {audit.stem(t.lemma_.lower()) for t in d if t.pos_ == "NOUN"}
    saying = bool(nouns & _SAYING_NOUNS)
    cue = bool(verbs & (audit.REPORTING | audit.ORIGIN_VERBS) or saying or _CREDIT.search(text))
    # named bodies and people, and the proper nouns that speak or own ("Ruiz, whose remark ...
    # said"): the small parser leaves many surnames without an entity label
    sources = frozenset({e.text.split()[-1].lower().removesuffix("'s").removesuffix("’s")
                         for e in d.ents if e.label_ in {"PERSON", "ORG", "NORP", "GPE"}}
                        | {t.lower_ for t in d if t.pos_ == "PROPN" and t.dep_ in _SPEAKER_DEPS})
    values = frozenset(float(t.text.replace(",", "")) for t in d
                       if t.like_num and re.fullmatch(r"\d[\d,]*(?:\.\d+)?", t.text))
    quoted = frozenset(w.lower() for q in re.findall(r"[\"“]([^\"”]{6,})[\"”]", text)
                       for w in re.findall(r"[A-Za-z']{3,}", q))
    content = frozenset(audit._lemma(t) for t in d if t.pos_ in {"NOUN", "VERB", "ADJ"}
                        and t.lower_ not in audit.STOPWORDS and not t.like_num)
    return _Said(cue, sources, values, quoted, content, saying)


def _headline(f: Facts, s: Sent) -> bool:
    """The article's title repeated as its first line: a headline names its source loosely
    ("..., Kyiv Says" over "a spokesman for the General Staff said"), and the labelled sets the
    judges learned from keep titles out of the text."""
    def bare(text: str) -> str:
        return fold(text).strip().lstrip("#").strip().rstrip(".")
    return s.i == 0 and bare(s.text) == bare(f.doc.title)


def said_candidates(f: Facts) -> list[tuple[Sent, Sent]]:
    """Sentence pairs of one article's body that both credit something to someone, and name
    different sources (one source credited twice is no conflict, whatever the model thinks)."""
    cued = [(s, _said(s.text)) for s in f.sents if not _headline(f, s)]
    cued = [(s, x) for s, x in cued if x.cue and x.sources]
    return [(a, b) for i, (a, x) in enumerate(cued) for b, y in cued[i + 1:] if not x.sources & y.sources]


def said_features(f: Facts, a: Sent, b: Sent, words, cosine: float) -> dict[str, float]:
    x, y = _said(a.text), _said(b.text)
    union = x.content | y.content
    return {
        "value_shared": float(bool(x.values & y.values)),
        "values_both": float(bool(x.values and y.values)),
        "quote_overlap": (len(x.quoted & (y.quoted | y.content)) / max(len(x.quoted), 1) if x.quoted else 0.0),
        "quote_both": float(bool(x.quoted and y.quoted)),
        "saying_noun": float(x.saying or y.saying),
        "content_overlap": len(x.content & y.content) / max(len(union), 1),
        "cosine": cosine,
        "distance": min(b.i - a.i, 10) / 10,
    }


def said_pair_flags(all_facts: Sequence[Facts], words, taken: set[frozenset] | None = None,
                    model: PairModel | None = None):
    """Within each article, two sentences the model judges to credit one statement or figure to
    different sources."""
    judged = _judged(all_facts, words, taken, model or load("said_pairs"), said_candidates, said_features,
                     lambda s: s)
    return [audit._flag("attribution_conflict",
                        "These two sentences seem to credit the same statement or figure to different "
                        f"sources (learned judgement, {p:.0%} sure).",
                        [audit._cite_sent(f.doc, a), audit._cite_sent(f.doc, b)], severity="info")
            for f, p, a, b in judged]
