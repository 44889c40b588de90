"""assistant.ground: exact citations, fuzzy location of quotes, and the final verification pass."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.ground import ABSTAIN_TEXT, cite, locate, verified, verify
from assistant.models import Answer, Citation, Document, Flag

TEXT = ("Nigeria’s Defense Minister Rustem Umerov said North Korea has deployed around 11,000 "
        "elite troops, over 20% of Kim Jong Un’s ‘personal reserve’ force.\n\n"
        "The vote was 5–4 — a narrow win for the “reform” bloc.\n"
        "Officials   said  the\tfigure\nwas provisional.")
DOC = Document(id="doc", title="Doc", source="/tmp/doc.txt", text=TEXT, hash="h")
OTHER = Document(id="other", title="Other", source="/tmp/other.txt", text="Other text here.", hash="o")
DOCS = {"doc": DOC, "other": OTHER}


def test_cite_trims_whitespace_and_quotes_exactly():
    a = TEXT.index("North Korea") - 1  # include the space before
    b = TEXT.index(" elite") + 1
    c = cite(DOC, a, b)
    assert c.quote == "North Korea has deployed around 11,000"
    assert TEXT[c.start:c.end] == c.quote
    assert (c.document_id, c.title, c.source) == ("doc", "Doc", "/tmp/doc.txt")
    assert verify(c, DOC)


def test_cite_refuses_spans_outside_the_document():
    with pytest.raises(ValueError):
        cite(DOC, 10, len(TEXT) + 1)
    with pytest.raises(ValueError):
        cite(DOC, 20, 10)


def test_verify():
    good = cite(DOC, 0, 10)
    assert verify(good, DOC)
    assert not verify(good, None)
    assert not verify(good, OTHER), "document id must match"
    assert not verify(replace(good, start=1, end=11), DOC), "shifted offsets"
    assert not verify(replace(good, quote=good.quote.upper()), DOC), "edited quote"
    assert not verify(replace(good, end=len(TEXT) + 5), DOC)
    assert not verify(replace(good, start=5, end=5, quote=""), DOC), "empty quote"


@pytest.mark.parametrize("quote, expected", [
    # straight quotes for curly ones in the source
    ("Kim Jong Un's 'personal reserve' force", "Kim Jong Un’s ‘personal reserve’ force"),
    # curly quotes for straight ones is the same fold
    ("Nigeria’s Defense Minister", "Nigeria’s Defense Minister"),
    # extra / different whitespace, including across a line break
    ("officials said   the figure was provisional", "Officials   said  the\tfigure\nwas provisional"),
    ("  around  11,000\n elite   troops ", "around 11,000 elite troops"),
    # hyphens for en/em dashes
    ("The vote was 5-4 - a narrow win", "The vote was 5–4 — a narrow win"),
    ('a narrow win for the "reform" bloc', "a narrow win for the “reform” bloc"),
    # wrapped in straight quotes (as a model would quote)
    ('"deployed around 11,000 elite troops"', "deployed around 11,000 elite troops"),
])
def test_locate_finds_typographic_variants(quote, expected):
    c = locate(quote, DOC)
    assert c is not None, quote
    assert c.quote == expected
    assert TEXT[c.start:c.end] == c.quote
    assert verify(c, DOC)


def test_locate_quote_wrapped_in_curly_quotation_marks():
    """A quote wrapped in “…” is located like one wrapped in "…" (locate ignores quote-mark
    differences)."""
    c = locate("“deployed around 11,000 elite troops”", DOC)
    assert c is not None
    assert c.quote == "deployed around 11,000 elite troops"


@pytest.mark.parametrize("quote", ["North Korea has deployed around 12,000 elite troops",
                                   "an invented sentence that is nowhere in the text",
                                   "", "   ", '""'])
def test_locate_returns_none_for_invented_or_empty_quotes(quote):
    assert locate(quote, DOC) is None


def _answer(citations, flags=(), abstained=False, text="around 11,000"):
    return Answer(question="q?", text=text, abstained=abstained, citations=list(citations),
                  flags=list(flags), confidence=0.8, answer_type="quantity")


def test_verified_keeps_good_citations():
    good = locate("around 11,000 elite troops", DOC)
    answer, dropped = verified(_answer([good]), DOCS.get)
    assert dropped == 0
    assert answer.citations == [good]
    assert not answer.abstained and answer.text == "around 11,000"


def test_verified_drops_a_tampered_citation():
    good = locate("around 11,000 elite troops", DOC)
    shifted = replace(good, start=good.start + 3, end=good.end + 3)  # quote no longer matches
    answer, dropped = verified(_answer([good, shifted]), DOCS.get)
    assert dropped == 1
    assert answer.citations == [good]
    assert not answer.abstained


def test_verified_drops_citations_of_unknown_documents():
    ghost = Citation(document_id="ghost", title="G", source="", start=0, end=5, quote="Other")
    answer, dropped = verified(_answer([cite(OTHER, 0, 5), ghost]), DOCS.get)
    assert dropped == 1 and [c.document_id for c in answer.citations] == ["other"]


def test_answer_left_without_citations_becomes_an_abstention():
    good = locate("around 11,000 elite troops", DOC)
    shifted = replace(good, start=good.start + 1, end=good.end + 1)
    answer, dropped = verified(_answer([shifted]), DOCS.get)
    assert dropped == 1
    assert answer.abstained
    assert answer.text == ABSTAIN_TEXT == "The corpus does not say."
    assert answer.citations == []
    assert answer.confidence == 0.0


def test_verified_cleans_flag_citations():
    good = locate("around 11,000 elite troops", DOC)
    other_good = cite(OTHER, 0, 5)
    bad = replace(other_good, quote="Xther")
    flags = [Flag(kind="conflicting_evidence", message="m", citations=(good, bad)),
             Flag(kind="all_bad", message="m", citations=(bad,)),
             Flag(kind="no_citations", message="m", severity="info")]
    answer, dropped = verified(_answer([good], flags), DOCS.get)
    assert dropped == 2
    kinds = {f.kind: f for f in answer.flags}
    assert set(kinds) == {"conflicting_evidence", "no_citations"}
    assert kinds["conflicting_evidence"].citations == (good,)
    assert kinds["no_citations"].severity == "info"


def test_verified_leaves_an_abstention_alone():
    answer, dropped = verified(_answer([], abstained=True, text=ABSTAIN_TEXT), DOCS.get)
    assert dropped == 0 and answer.abstained and answer.text == ABSTAIN_TEXT
