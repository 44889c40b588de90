"""Consistency checks over evidence: values that cannot all be true at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .extract import Span, hedged
from .ground import cite
from .models import Flag
from .question import Question

if TYPE_CHECKING:
    from .answer import Sentence
    from .lexicon import WordMatcher

_LOWER_BOUND = {"over", "more than", "above", "at least", "upwards of", "in excess of",
                "just over", "well over", "slightly over"}
_UPPER_BOUND = {"up to", "as many as", "at most", "under", "below", "less than", "fewer than",
                "as much as", "just under", "well under", "slightly under", "as few as"}
_APPROXIMATE = {"around", "about", "approximately", "roughly", "some", "close to", "an estimated",
                "estimated"}
_NEARLY = {"nearly", "almost"}


def interval(span: Span) -> tuple[float, float]:
    """The values a quantity allows, given its qualifier ("over 20%" allows 20..∞)."""
    v = span.value or 0.0
    q = span.qualifier
    if q in _LOWER_BOUND:
        return v, float("inf")
    if q in _UPPER_BOUND:
        return 0.0, v
    if q in _NEARLY:
        return v * 0.9, v
    if q in _APPROXIMATE:
        return v * 0.97, v * 1.03
    return v * 0.995, v * 1.005


def compatible(a: Span, b: Span) -> bool:
    lo_a, hi_a = interval(a)
    lo_b, hi_b = interval(b)
    return lo_a <= hi_b and lo_b <= hi_a


def conflicting_quantities(best: "Sentence", span: Span,
                           rivals: Sequence[tuple["Sentence", Span]], q: Question,
                           words: "WordMatcher") -> tuple[str, Flag] | None:
    """A summary of the rival values and a ``conflicting_evidence`` flag when other evidence gives an incompatible value for the
    same thing: same counted noun, same kind of statement (report vs forecast), same unit."""
    counted = list(q.focus) or [w for w in span.unit[:2] if w != "percent"]
    pct = "percent" in span.unit
    is_forecast = hedged(best.text)
    conflicts = []
    for s, other in rivals:
        # Within one article, two counts of one noun are usually different scopes (a week vs
        # the whole war); an article's internal contradictions are the job of the audit.
        if s.doc.id == best.doc.id:
            continue
        hi, lo = max(span.value or 0, other.value or 0), min(span.value or 0, other.value or 0)
        if lo <= 0 or hi / lo > 3:
            continue  # estimates of one quantity differ by less than that; this counts another
        if ("percent" in other.unit) != pct or hedged(s.text) != is_forecast:
            continue
        if counted and not words.overlap(counted, [w for w in other.unit if w != "percent"]):
            continue
        if compatible(span, other):
            continue
        if any(o.value == other.value for _, o in conflicts):
            continue
        conflicts.append((s, other))
    if not conflicts:
        return None
    citations = [cite(best.doc, best.start, best.end)]
    citations += [cite(s.doc, s.start, s.end) for s, _ in conflicts]
    values = ", ".join([span.text] + [o.text for _, o in conflicts])
    others = "; ".join(f"{s.doc.title} gives {o.text}" for s, o in conflicts)
    return others, Flag(kind="conflicting_evidence", severity="warning", citations=tuple(citations),
                message=f"The evidence gives different values for this ({values}); "
                        "check the cited passages before relying on one.")
