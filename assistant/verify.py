"""Claim checking: is a user's sentence supported, contradicted, or not found in the corpus?"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from . import extract
from .answer import OfflineReader, Sentence
from .consistency import compatible
from .ground import cite
from .models import Document, Passage, Verdict
from .question import parse
from .retrieve import LexicalIndex
from .text import terms

_NEGATION = re.compile(r"\b(not|no|never|none|denied|denies|deny|neither|nor)\b|n['’]t\b", re.I)


def verify_claim(claim: str, reader: OfflineReader, passages: Sequence[Passage],
                 fetch: Callable[[str], Document | None], lexical: LexicalIndex,
                 vector: Sequence[float]) -> Verdict:
    # The claimed figure is what is being checked, so it is not a term the evidence must contain.
    q = parse(re.sub(r"\d[\d,.]*", " ", claim))
    sentences = reader._sentences(q, passages, fetch, lexical)
    if sentences:
        vectors = reader.embedder.embed([s.text for s in sentences], "document")
        for s, v in zip(sentences, vectors):
            s.similarity = sum(a * b for a, b in zip(vector, v))
            s.score = 0.3 * s.coverage + 0.25 * s.context_coverage + 0.45 * s.similarity
    eligible = sorted((s for s in sentences if s.names_ok and reader._supports(s)),
                      key=lambda s: -s.score)[:10]
    if not eligible:
        return Verdict(claim, "not_found", "The corpus does not say.")
    figures = [sp for sp in extract.quantities(claim) if sp.unit]
    if figures:
        return _figures(claim, figures, eligible, reader)
    best = eligible[0]
    if best.coverage < 0.6 or best.similarity < 0.55:
        return Verdict(claim, "not_found", "The corpus does not say.")
    c = cite(best.doc, best.start, best.end)
    if bool(_NEGATION.search(claim)) != bool(_NEGATION.search(best.text)):
        return Verdict(claim, "contradicted", "The closest passage says the opposite.", [c])
    return Verdict(claim, "supported", "A passage states this.", [c])


def _figures(claim: str, figures: list[extract.Span], eligible: list[Sentence],
             reader: OfflineReader) -> Verdict:
    claimed = figures[0]
    nouns = [w for w in claimed.unit if w != "percent"][:2]
    agree, disagree, forecast = [], [], []
    for s in eligible:
        for sp in extract.quantities(s.text):
            if ("percent" in sp.unit) != ("percent" in claimed.unit):
                continue
            # "the total number of soldiers ... to as many as 30,000": the noun may come first.
            counted = [w for w in sp.unit if w != "percent"] or \
                re.findall(r"[a-z]+", s.text[max(0, sp.start - 60):sp.start].lower())
            if nouns and not reader.words.overlap(nouns, counted):
                continue
            hi = max(claimed.value or 0, sp.value or 0)
            lo = min(claimed.value or 0, sp.value or 0)
            if lo <= 0 or hi / lo > 10:
                continue  # another order of magnitude: a count of something else
            row = (s, sp)
            if extract.hedged(s.text[max(0, sp.start - 80):sp.end + 20]):
                forecast.append(row)
            elif compatible(claimed, sp) and hi / lo <= 1.1:
                agree.append(row)
            elif not compatible(claimed, sp):
                disagree.append(row)
            break
    cites = lambda rows: [cite(s.doc, s.start, s.end) for s, _ in rows]
    if agree:
        message = f"The corpus gives {agree[0][1].text} ({agree[0][0].doc.title})"
        if disagree:  # supported by one source, while another gives a different figure
            message += f"; but {disagree[0][0].doc.title} gives {disagree[0][1].text}"
        return Verdict(claim, "supported", message + ".", cites(agree[:2] + disagree[:1]))
    if disagree:
        parts = [f"the corpus reports {disagree[0][1].text} ({disagree[0][0].doc.title})"]
        if forecast:
            parts.append(f"{forecast[0][1].text} is a forecast ({forecast[0][0].doc.title})")
        return Verdict(claim, "contradicted", f"Not as stated: {'; '.join(parts)}.",
                       cites(disagree[:2] + forecast[:1]))
    if forecast:
        s, sp = forecast[0]
        status = "contradicted" if not compatible(claimed, sp) else "supported"
        return Verdict(claim, status, f"Only as a forecast: {sp.text} ({s.doc.title}).", cites(forecast[:1]))
    return Verdict(claim, "not_found", "The corpus gives no figure for this.")
