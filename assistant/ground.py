"""Grounding: build citations from exact spans, locate quotes in sources, and verify them.

Every citation the API returns passes ``verify``: ``document.text[start:end] == quote``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .models import Answer, Citation, Document, Flag

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                       "–": "-", "—": "-", "‒": "-", "−": "-", "\u00a0": " "})


def cite(doc: Document, start: int, end: int) -> Citation:
    """A citation of ``doc.text[start:end]`` (offsets trimmed of surrounding whitespace)."""
    if not 0 <= start <= end <= len(doc.text):
        raise ValueError(f"span {start}:{end} is outside document {doc.id}")
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return Citation(document_id=doc.id, title=doc.title, source=doc.source,
                    start=start, end=end, quote=doc.text[start:end])


def verify(citation: Citation, doc: Document | None) -> bool:
    """True when the quote is exactly the document text at the citation's offsets."""
    return (doc is not None and doc.id == citation.document_id and bool(citation.quote)
            and 0 <= citation.start < citation.end <= len(doc.text)
            and doc.text[citation.start:citation.end] == citation.quote)


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold quotes/dashes, collapse whitespace; keep a map from each output char to its source."""
    out: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            index.append(i - 1)
            pending_space = False
        out.append(ch.lower())
        index.append(i)
    return "".join(out), index


def locate(quote: str, doc: Document, near: int | None = None) -> Citation | None:
    """Find ``quote`` in ``doc`` ignoring whitespace, quote-mark, dash and case differences.

    With ``near`` (a character offset), the occurrence closest to it wins: a model quoting a
    passage means that passage, not an identical sentence elsewhere in the article.
    """
    needle, _ = _normalise(quote.strip().translate(_FOLD).strip("\"'").strip())
    if not needle:
        return None
    hay, index = _normalise(doc.text)
    positions = []
    pos = hay.find(needle)
    while pos >= 0:
        positions.append(pos)
        if near is None:
            break
        pos = hay.find(needle, pos + 1)
    if not positions:
        return None
    if near is not None:
        positions.sort(key=lambda p: abs(index[p] - near))
    pos = positions[0]
    return cite(doc, index[pos], index[pos + len(needle) - 1] + 1)


def ground_quotes(proposed: Iterable[tuple[str, str, int | None]],
                  fetch: Callable[[str], Document | None],
                  min_chars: int = 12) -> tuple[list[Citation | None], int]:
    """Turn ``(document_id, quote, near)`` proposals into exact citations.

    The one verification step every generated citation goes through (LLM answers, abstractive
    summaries): the quote is located in its source, returned with exact offsets and checked with
    ``verify``. A proposal whose document is unknown, whose quote is not in it, or that is too
    short to support anything (< ``min_chars``) yields None. Returns the list aligned with the
    input and how many were dropped.
    """
    out: list[Citation | None] = []
    for did, quote, near in proposed:
        doc = fetch(did) if did else None
        quote = (quote or "").strip()
        c = None
        if doc is not None and len(quote) >= min_chars:
            c = locate(quote, doc, near)
            if c is not None and not verify(c, doc):
                c = None
        out.append(c)
    return out, sum(c is None for c in out)


def verified(answer: Answer, fetch: Callable[[str], Document | None]) -> tuple[Answer, int]:
    """Drop every citation (in the answer and its flags) that does not match its source.

    Returns the cleaned answer and how many citations were dropped. An answer left with no
    citation at all becomes an abstention: nothing unverified reaches the user.
    """
    cache: dict[str, Document | None] = {}

    def ok(c: Citation) -> bool:
        if c.document_id not in cache:
            cache[c.document_id] = fetch(c.document_id)
        return verify(c, cache[c.document_id])

    dropped = 0

    def keep(cs: Iterable[Citation]) -> list[Citation]:
        nonlocal dropped
        kept = []
        for c in cs:
            if ok(c):
                kept.append(c)
            else:
                dropped += 1
        return kept

    answer.citations = keep(answer.citations)
    flags = []
    for f in answer.flags:
        cs = keep(f.citations)
        if cs or not f.citations:
            flags.append(Flag(kind=f.kind, message=f.message, citations=tuple(cs), severity=f.severity))
    answer.flags = flags
    if not answer.abstained and not answer.citations:
        answer.text = ABSTAIN_TEXT
        answer.abstained = True
        answer.confidence = 0.0
    return answer, dropped


ABSTAIN_TEXT = "The corpus does not say."
