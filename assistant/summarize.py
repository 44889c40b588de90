"""Cited summaries of an article, several articles, or a topic across the corpus.

The offline summariser is extractive, in three steps that each take and return plain data:

1. ``candidates``: the article sentences that can stand in a summary (whole sentences with final
   punctuation, not the headline), each with the facts (``facts.extract_facts``) it carries;
2. ``extractive``: rank them by centrality (continuous LexRank over MiniLM cosine similarities,
   plus similarity to the centroid), boosted for sentences that carry figures, attributed claims
   or forecasts (and for topic summaries, by similarity to the topic), then pick with maximal
   marginal relevance so no two picked sentences say the same thing; output in document order;
3. ``cited_sentences``: each picked sentence becomes a ``SummarySentence`` whose text is the exact
   document span and whose citation points at it. A sentence whose figure is attributed in the
   sentence before it ("... NIS is predicting ... This could bring the total to 30,000.") also
   comes with that sentence, as one unit.

``flag_sentence`` writes the closing line that names the articles' inconsistency flags.

An abstractive step plugs in between 2 and 3: it receives the picked ``Candidate`` list (text,
document, offsets, facts) and returns ``SummarySentence`` objects whose citations point at those
candidates; ``Assistant.summarize`` verifies every citation (``ground.verify``) whichever step
wrote the sentences, and drops sentences left without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .ground import cite
from .models import Citation, Document, Fact, Flag, SummarySentence
from .text import sentence_spans

# Weights of the sentence score (centrality first; facts and attribution lift a sentence that
# says something checkable over a general one of equal centrality).
W_CENTRALITY = 0.35
W_CENTROID = 0.15
W_FIGURE = 0.25
W_ATTRIBUTED = 0.10
W_FORECAST = 0.05
W_LEAD = 0.10
W_TOPIC = 1.0
W_TOPIC_BASE = 1.0
# On a topic, articles whose best sentence is much less related to it than the corpus's best
# are left out.
TOPIC_FLOOR = 0.6
# MMR trade-off between score and novelty.
MMR_LAMBDA = 0.7
# LexRank: damping and the similarity below which two sentences are not linked.
DAMPING = 0.85
LINK_THRESHOLD = 0.2

_PRONOUN_START = re.compile(r"^(?:[\"“‘'])?(he|she|they|it|this|that|these|those|such)\b", re.I)


@dataclass
class Candidate:
    """A sentence that may go into a summary."""

    doc: Document
    start: int
    end: int
    index: int                    # position among the document's sentences
    total: int                    # sentences in the document
    facts: list[Fact] = field(default_factory=list)
    relevance: float = 0.0        # similarity to the topic, when there is one
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]



def candidates(docs: Sequence[Document], facts_for: Callable[[Document], list[Fact]],
               within: Callable[[Document, int, int], bool] | None = None) -> list[Candidate]:
    """Summary-worthy sentences of ``docs`` (optionally only those ``within`` says to keep)."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for doc in docs:
        spans = sentence_spans(doc.text)
        facts = facts_for(doc)
        kept = [(a, b) for a, b in spans if _standalone(doc, a, b)]
        for i, (a, b) in enumerate(kept):
            text = doc.text[a:b]
            key = re.sub(r"\W+", " ", text.lower()).strip()
            if key in seen:
                continue  # the same sentence in two articles (wire copy) is said once
            if within is not None and not within(doc, a, b):
                continue
            seen.add(key)
            single = Candidate(doc, a, b, i, len(kept), _facts_within(facts, a, b))
            out.append(single)
            lean = min((f.citation.start for f in facts
                        if f.citation.start < a and f.citation.end == b), default=None)
            if lean is not None and "\n" not in doc.text[lean:a]:
                # "This could bring the total to 30,000." is attributed in the sentence before
                # it: the two go together, as one unit, or the figure loses its source. The
                # unit replaces the sentences it holds.
                unit = Candidate(doc, lean, b, i, len(kept), _facts_within(facts, lean, b))
                out = [c for c in out if not (c.doc is doc and lean <= c.start and c.end <= b)]
                out.append(unit)
    return out


def _facts_within(facts: Sequence[Fact], a: int, b: int) -> list[Fact]:
    return [f for f in facts if a <= f.citation.start and f.citation.end <= b]


def _standalone(doc: Document, a: int, b: int) -> bool:
    text = doc.text[a:b].strip()
    if not re.search(r"[.!?][\"”’')\]]*$", text):
        return False  # headline, byline, list item
    if text.lstrip("# ").rstrip(".") == doc.title.strip().rstrip("."):
        return False
    return len(re.findall(r"[A-Za-z]+", text)) >= 6


def extractive(cands: Sequence[Candidate], vectors: Sequence[Sequence[float]],
               max_sentences: int, topic_vector: Sequence[float] | None = None) -> list[Candidate]:
    """The ``max_sentences`` best candidates (centrality, facts, topic; MMR for novelty), in
    document order. ``vectors`` are the unit-length embeddings of the candidates' texts."""
    if not cands or max_sentences <= 0:
        return []
    m = np.asarray(vectors, dtype=np.float32)
    sim = np.clip(m @ m.T, 0.0, 1.0)
    centrality = _lexrank(sim)
    centroid = m.mean(axis=0)
    centroid /= (np.linalg.norm(centroid) or 1.0)
    to_centroid = m @ centroid
    if topic_vector is not None:
        topic = np.asarray(topic_vector, dtype=np.float32)
        relevance = m @ topic
        for c, r in zip(cands, relevance):
            c.relevance = float(r)
    for i, c in enumerate(cands):
        figure = any(f.value is not None or f.when for f in c.facts)
        attributed = any(f.source for f in c.facts)
        forecast = any(f.kind in {"forecast", "estimate"} for f in c.facts)
        c.score = (W_CENTRALITY * float(centrality[i]) + W_CENTROID * float(to_centroid[i])
                   + W_FIGURE * figure + W_ATTRIBUTED * attributed + W_FORECAST * forecast
                   + W_LEAD * (1.0 - c.index / max(1, c.total)))
        if _PRONOUN_START.match(c.text):
            c.score -= 0.1  # "He said ..." reads badly out of context
        if topic_vector is not None:
            # on a topic, being about it comes first; the article-level merits refine
            c.score = W_TOPIC_BASE * c.score + W_TOPIC * c.relevance
    chosen: list[int] = []
    left = set(range(len(cands)))
    while left and len(chosen) < max_sentences:
        def mmr(i: int) -> float:
            overlap = max((float(sim[i, j]) for j in chosen), default=0.0)
            return MMR_LAMBDA * cands[i].score - (1 - MMR_LAMBDA) * overlap
        best = max(sorted(left), key=mmr)
        chosen.append(best)
        left.discard(best)
        b = cands[best]
        values = {(f.value, f.unit) for f in b.facts if f.value is not None}
        for j in list(left):
            c = cands[j]
            if c.doc is b.doc and c.start < b.end and b.start < c.end:
                left.discard(j)  # overlaps a picked unit
                continue
            other = {(f.value, f.unit) for f in c.facts if f.value is not None}
            if other and other <= values:
                left.discard(j)  # a second sentence carrying the same figures adds nothing
    picked = [cands[i] for i in chosen]
    order = {}
    for c in picked:
        order.setdefault(c.doc.id, len(order))
    return sorted(picked, key=lambda c: (order[c.doc.id], c.start))


def _lexrank(sim: np.ndarray) -> np.ndarray:
    """Continuous LexRank: stationary distribution of the row-normalised similarity graph."""
    n = sim.shape[0]
    graph = np.where(sim >= LINK_THRESHOLD, sim, 0.0)
    np.fill_diagonal(graph, 0.0)
    rows = graph.sum(axis=1, keepdims=True)
    rows[rows == 0] = 1.0
    graph = graph / rows
    p = np.full(n, 1.0 / n)
    for _ in range(100):
        nxt = (1 - DAMPING) / n + DAMPING * graph.T @ p
        if np.abs(nxt - p).sum() < 1e-8:
            p = nxt
            break
        p = nxt
    return p / (p.max() or 1.0)


def cited_sentences(picked: Sequence[Candidate]) -> list[SummarySentence]:
    """Each picked unit as itself, citing its exact span."""
    return [SummarySentence(text=c.text, citations=(cite(c.doc, c.start, c.end),)) for c in picked]


def flag_sentence(flags: Sequence[Flag]) -> SummarySentence | None:
    """"Flagged inconsistencies: role conflict (...); claim conflict (...)." citing each side."""
    if not flags:
        return None
    parts = [f"{f.kind.replace('_', ' ')} ({f.message.strip().rstrip('.')})" for f in flags]
    cites: list[Citation] = []
    for f in flags:
        for c in f.citations:
            if c not in cites:
                cites.append(c)
    return SummarySentence(text="Flagged inconsistencies: " + "; ".join(parts) + ".",
                           citations=tuple(cites))
