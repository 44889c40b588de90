"""A unanimous vote that someone opposed, a body that approved and declined to endorse the same
thing in a sentence that also says something changed, and words quoted from one person then
credited to another. Each is paired with a consistent version that must stay quiet."""

from __future__ import annotations

from assistant import audit
from conftest import article_facts


def _flags(text: str, words, kind: str):
    f = article_facts(text)
    return [x for x in audit.audit([f], words) if x.kind == kind]


UNANIMOUS = (
    "Councillors voted unanimously on Tuesday night to rezone a parcel of land for the new clinic.\n"
    "The building will cost about 12 million dollars.\n"
    "Two councillors, Tess Morrow and Dan Yip, {act} in Tuesday's vote, citing traffic near a school.\n")
SENATE = (
    "The academic senate of Calderwick University voted on Monday to approve a proposed merger with "
    "Fenmoor Institute.\n"
    "Staff unions have campaigned against the plan for a year.\n"
    "With the senate having {act} the merger, the union is now concentrating its lobbying on the council.\n")
ECHO = (
    "\"Our crews have been running short-handed sailings for two years, and they are exhausted,\" "
    "said union president Darlene Okafor.\n"
    "The ferry company said talks would resume on Friday.\n"
    "Echoing {who}'s remark that crews were exhausted after two years of short-handed sailings, "
    "the chamber of commerce backed a settlement.\n")
REPEAT = (
    "Detective Inspector Maya Ruel said the burglars chose houses with care. \"These are not "
    "opportunists. This is a team that knows exactly what it is looking for,\" Ruel said.\n"
    "Patrols have been doubled along the coast road.\n"
    "Superintendent Colin Avery, who described the burglars as \"a team that knows exactly what it is "
    "looking for\", said the patrols would continue.\n")


def test_a_unanimous_vote_that_someone_opposed_is_a_claim_conflict(words):
    flags = _flags(UNANIMOUS.format(act="opposed the rezoning"), words, "claim_conflict")
    assert len(flags) == 1 and "unanimous" in flags[0].message
    assert _flags(UNANIMOUS.format(act="spoke for the rezoning"), words, "claim_conflict") == []


def test_approval_and_a_refusal_are_compared_even_beside_a_word_of_change(words):
    # "now" belongs to the union's lobbying, not to the senate's position
    assert len(_flags(SENATE.format(act="declined to endorse"), words, "claim_conflict")) == 1
    assert _flags(SENATE.format(act="agreed to endorse"), words, "claim_conflict") == []


def test_words_quoted_from_one_person_and_credited_to_another_are_flagged(words):
    text = ECHO.format(who="Whitlock")
    flags = _flags(text, words, "attribution_conflict")
    assert len(flags) == 1 and "Whitlock" in flags[0].message
    quotes = [text[c.start:c.end] for c in flags[0].citations]
    assert any("Okafor" in q for q in quotes) and any("Echoing" in q for q in quotes)
    assert _flags(ECHO.format(who="Okafor"), words, "attribution_conflict") == []


def test_a_quote_split_over_sentences_is_matched_to_its_echo(words):
    assert len(_flags(REPEAT, words, "attribution_conflict")) == 1
    same = REPEAT.replace("Superintendent Colin Avery, who described", "Ruel, who described")
    assert _flags(same, words, "attribution_conflict") == []


HARM = (
    "Brightvolt said it had received 37 reports of chargers overheating.\n"
    "{none}, the company said in a statement.\n"
    "Three people were treated in hospital for burns after their chargers caught fire.\n")


def test_no_injuries_against_people_treated_in_hospital_is_a_claim_conflict(words):
    flags = _flags(HARM.format(none="No injuries had been reported"), words, "claim_conflict")
    assert len(flags) == 1 and "treated" in flags[0].message
    assert _flags(HARM.format(none="No serious injuries had been reported"), words, "claim_conflict") == []
    calm = HARM.replace("Three people were treated in hospital for burns", "Three chargers were sent for tests")
    assert _flags(calm.format(none="No injuries had been reported"), words, "claim_conflict") == []


TALLY = (
    "The quota cut was approved unanimously by the Northern Waters Fisheries Council on Tuesday.\n"
    "Fishermen said the cut would cost jobs.\n"
    "The council's vote, which passed by seven votes to {against}, included a promise of a review.\n")


def test_a_unanimous_decision_with_a_split_tally_is_a_claim_conflict(words):
    flags = _flags(TALLY.format(against="two"), words, "claim_conflict")
    assert len(flags) == 1 and "seven votes to two" in flags[0].message
    assert _flags(TALLY.format(against="none"), words, "claim_conflict") == []
