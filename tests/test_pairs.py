"""The learned pair judges: their shipped weights fit their features, they pair one quantity
given two values and one figure credited to two sources, they leave a change over time and two
voices saying their own things alone, and the audit runs without them."""

from __future__ import annotations

import json

import pytest

from assistant import audit, pairs
from assistant.models import Document
from conftest import article_facts

PIPES = (
    "The regional water board has approved a plan to replace ageing pipes across the district, "
    "with engineers starting work in March.\n"
    "The programme will renew 86 kilometres of mains over four years, the board said on Monday.\n"
    "Board chair Ilse Varnholt said leaks had cost the district millions of litres a day.\n"
    "Contractors from three firms will share the work, which is funded by grants and charges.\n"
    "Residents in the older western suburbs will see the first crews.\n"
    "Varnholt said the 68 kilometres of new mains would cut leakage by about a third.\n")
FERRY = (
    "A ferry operator on the northern coast will add sailings this summer after passenger "
    "numbers rose sharply.\n"
    "Nordsund Lines carried 412,000 passengers last year, up from 365,000 the year before, chief "
    "executive Paal Rudstad said.\n"
    "The company will add two daily crossings between June and August.\n"
    "Rudstad said the firm expected to carry about 450,000 passengers this year.\n"
    "A new terminal building is due to open in May.\n")

SURVEY = (
    "The consumer group Fairtrade Watch estimated that 41 percent of adults had cut back on eating "
    "out this year.\n"
    "Its chief economist, Dana Moreau, said rising food prices were the main reason.\n"
    "Restaurant owners said bookings had been slow since the spring.\n"
    "The estimate that 41 percent of adults had cut back on eating out was published by the "
    "national statistics office, the highest share since the survey began.\n")
PORT = (
    "Shipping traffic through the port of Kelsund fell by a fifth last year, the harbour authority "
    "said on Tuesday.\n"
    "Harbour master Ingrid Solvang said the drop reflected weaker demand for timber exports.\n"
    "\"We are not worried about the long term,\" Solvang said.\n"
    "Local business groups have called for lower port fees to win back traffic.\n"
    "Chamber of commerce president Olav Trane said lower fees would help suppliers.\n")


def _facts(text: str, words):
    f = article_facts(text)
    audit._prefetch([f], words)
    return f


@pytest.mark.parametrize("name, text", [("number_pairs", PIPES), ("said_pairs", SURVEY)])
def test_shipped_weights_match_the_features(words, name, text):
    model = pairs.load(name)
    assert model is not None
    f = _facts(text, words)
    if name == "number_pairs":
        a, b = pairs.candidates(f)[0]
        x = pairs.features(f, a, b, words, 0.5)
    else:
        a, b = pairs.said_candidates(f)[0]
        x = pairs.said_features(f, a, b, words, 0.5)
    assert model.names == list(x)
    assert 0 < model.threshold < 1
    data = json.loads((pairs.WEIGHTS / f"{name}.json").read_text())
    # where the figures come from is recorded with the weights (held-out sets are measured end to
    # end by `assistant eval`, so a judge trained on every labelled set has none of its own)
    assert data["trained_on"] and data["leave_one_set_out"]["precision"] >= 0.8


def test_one_quantity_given_two_values_is_judged_a_conflict(words):
    f = _facts(PIPES, words)
    flags = pairs.number_pair_flags([f], words)
    assert len(flags) == 1 and flags[0].kind == "number_conflict"
    quotes = [c.quote for c in flags[0].citations]
    assert any("86 kilometres" in q for q in quotes) and any("68 kilometres" in q for q in quotes)
    for c in flags[0].citations:
        assert PIPES[c.start:c.end] == c.quote
    # the audit merges the judge with the rules: one flag for the pair, not two
    merged = [x for x in audit.audit([f], words) if x.kind == "number_conflict"]
    assert len(merged) == 1


def test_a_change_over_time_and_a_forecast_are_left_alone(words):
    f = _facts(FERRY, words)
    assert len(pairs.candidates(f)) >= 2  # the judge did see the pairs
    assert pairs.number_pair_flags([f], words) == []


def test_one_figure_credited_to_two_sources_is_judged_a_conflict(words):
    f = _facts(SURVEY, words)
    flags = pairs.said_pair_flags([f], words)
    assert len(flags) == 1 and flags[0].kind == "attribution_conflict" and flags[0].severity == "info"
    quotes = [c.quote for c in flags[0].citations]
    assert any("Fairtrade Watch" in q for q in quotes) and any("statistics office" in q for q in quotes)
    # the rules flag this pair too: the audit does not add the judge's flag beside theirs
    merged = audit.audit([f], words)
    assert any(x.kind == "attribution_conflict" for x in merged)
    assert not any(x.severity == "info" for x in merged)


def test_two_voices_saying_their_own_things_are_left_alone(words):
    f = _facts(PORT, words)
    assert len(pairs.said_candidates(f)) >= 3
    assert pairs.said_pair_flags([f], words) == []


def test_a_headline_repeated_as_the_first_line_is_not_judged(words):
    text = "Fairtrade Watch Says 41 Percent Eat Out Less\n" + SURVEY
    f = audit.extract_facts(Document(id="t", title="Fairtrade Watch Says 41 Percent Eat Out Less",
                                     source="t.txt", text=text, hash="h"))
    assert f.sents[0].i == 0 and all(0 not in (a.i, b.i) for a, b in pairs.said_candidates(f))


def test_audit_runs_on_rules_alone_when_the_weights_are_missing(words, tmp_path, monkeypatch):
    monkeypatch.setattr(pairs, "WEIGHTS", tmp_path)
    pairs.load.cache_clear()
    try:
        assert pairs.load("number_pairs") is None
        f = _facts(PIPES, words)
        assert pairs.number_pair_flags([f], words) == []
        assert [x.kind for x in audit.audit([f], words)].count("number_conflict") == 1
        (tmp_path / "number_pairs.json").write_text("{not json", encoding="utf-8")
        pairs.load.cache_clear()
        assert pairs.load("number_pairs") is None
    finally:
        pairs.load.cache_clear()
