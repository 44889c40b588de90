"""assistant.text: sentence offsets, terms/stemming, fuzzy term coverage."""

import pytest

from assistant.text import covers, fold, sentence_spans, stem, terms, words


def sentences(text):
    spans = sentence_spans(text)
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip(), "a span must not start or end with whitespace"
    return [text[a:b] for a, b in spans]


def test_offsets_point_at_the_sentences():
    text = "  The council met on Monday.  It approved the budget!   Was it wise? Nobody knows. "
    assert sentences(text) == ["The council met on Monday.", "It approved the budget!",
                               "Was it wise?", "Nobody knows."]


@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith went to Washington. He stayed a week.",
     ["Mr. Smith went to Washington.", "He stayed a week."]),
    ("Dr. Ana Ruiz and Gen. Tom Lee spoke. They agreed.",
     ["Dr. Ana Ruiz and Gen. Tom Lee spoke.", "They agreed."]),
    ("The U.S. Navy sent two ships. Both arrived late.",
     ["The U.S. Navy sent two ships.", "Both arrived late."]),
    ("Officials in the U.K. Treasury declined to comment. A spokesman said nothing.",
     ["Officials in the U.K. Treasury declined to comment.", "A spokesman said nothing."]),
    ("J. R. Tolkien wrote it. Readers loved it.", ["J. R. Tolkien wrote it.", "Readers loved it."]),
    ("The plan was drafted by George W. Bush aides. It failed.",
     ["The plan was drafted by George W. Bush aides.", "It failed."]),
])
def test_abbreviations_and_initials_do_not_split(text, expected):
    assert sentences(text) == expected


def test_newlines_always_split():
    text = "Headline Without A Period\n\nFirst paragraph sentence one. Sentence two\nNext line"
    assert sentences(text) == ["Headline Without A Period", "First paragraph sentence one.",
                               "Sentence two", "Next line"]


def test_lowercase_after_period_does_not_split_but_quotes_and_digits_do():
    text = 'He earned 3.5 million dollars. "It was fair," she said. 2024 was a record year.'
    assert sentences(text) == ["He earned 3.5 million dollars.", '"It was fair," she said.',
                               "2024 was a record year."]
    assert sentences("It cost approx. five dollars. Then more.") == [
        "It cost approx. five dollars.", "Then more."]


def test_sentence_spans_with_a_window_keep_offsets_absolute():
    text = "Ignore this. Alpha one. Beta two. Ignore that."
    a = text.index("Alpha")
    b = text.index(" Ignore that")
    spans = sentence_spans(text, a, b)
    assert [text[x:y] for x, y in spans] == ["Alpha one.", "Beta two."]


def test_empty_and_blank_text_have_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n \t") == []


def test_closing_quote_stays_with_its_sentence():
    text = "He said “we will win.” Then he left."
    assert sentences(text) == ["He said “we will win.”", "Then he left."]


@pytest.mark.parametrize("a, b", [("deploy", "deployed"), ("deployment", "deploy"),
                                  ("troops", "troop"), ("casualties", "casualty"),
                                  ("reports", "reported")])
def test_stem_merges_inflections(a, b):
    assert stem(a) == stem(b)


def test_stem_folds_case_and_typography():
    assert stem("Korea’s") == stem("koreas")
    assert stem("DEPLOYED") == stem("deployed")


def test_terms_drop_stopwords_and_keep_numbers():
    got = terms("How many troops has North Korea deployed to the front in 2024?")
    assert "how" not in got and "the" not in got and "many" not in got
    assert stem("troops") in got and "north" in got and "korea" in got and "2024" in got
    assert stem("deployed") in got


def test_terms_strip_possessive():
    got = terms("Korea's army sent soldiers")
    assert got[0] == "korea"


def test_terms_keep_numbers_intact():
    # Numbers are matched exactly everywhere (covers() refuses fuzzy digits, numbers in a
    # question are "names" the evidence must contain), so the term must be the number itself.
    assert terms("They sent 2,200 soldiers")[1] == "2200"
    assert terms("They sent 11,000 soldiers")[1] == "11000"
    assert terms("11,000") != terms("1,100")
    assert terms("30,000") != terms("3,000")


def test_words_have_offsets():
    text = "Around 11,000 troops (20%) left."
    for w, a, b in words(text):
        assert text[a:b] == w
    assert [w for w, _, _ in words(text)] == ["Around", "11,000", "troops", "20%", "left"]


def test_fold_typography():
    assert fold("Kim’s “reserve” – 2024—25 café") == "Kim's \"reserve\" - 2024-25 cafe"


def test_covers_exact_and_close_variants():
    vocab = {"korean", "troop", "deploy"}
    assert covers("troop", vocab)
    assert covers("korea", vocab)  # korea ~ korean
    assert not covers("russia", vocab)
    assert not covers("2024", {"2025"})
    assert covers("2024", {"2024"})
    assert not covers("war", {"warsaw"}), "short terms only match exactly"
