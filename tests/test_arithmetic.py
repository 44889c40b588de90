"""Figures that cannot all hold: a list of parts against its total, a named difference against
the two figures it separates, a share against its part and whole. Each planted slip is paired
with the same article written correctly, which must stay quiet."""

from __future__ import annotations

from assistant import arithmetic, audit
from conftest import article_facts

VOTE = (
    "Members of the Tarnby Dairy Cooperative have backed plans for a new cheese plant.\n"
    "Turnout was the highest in years, with {total} members casting ballots at the meeting.\n"
    "Chair Ellen Moss said the plant would open in 2028.\n"
    "In the end the plan carried by 131 votes to 58, with 11 members abstaining.\n")
RECOUNT = (
    "A recount in the Harrow Fen ward confirmed Ada Lind as the winner by a margin of {margin} votes.\n"
    "Lind finished on 4,408 votes to Tom Baxter's 4,381 after two days of checks.\n"
    "Baxter said he accepted the result.\n")
FINE = (
    "An appeal court cut the original $2.4 million fine to $1.6 million on Monday.\n"
    "The shipping firm described the {cut} reduction as fair.\n")
SEATS = (
    "The airline will offer 48,000 seats on the new route this summer.\n"
    "Bookings opened in March, the airline said.\n"
    "The {sold} seats already sold represent a third of the summer's capacity.\n")
DEAL = (
    "Norland Foods agreed to buy a rival creamery for 6.2 billion crowns on Tuesday.\n"
    "It will pay 2.5 billion of the 6.2 billion crowns in cash, about {pct} percent of the price.\n")
TIMES = (
    "Kiprotich won the city marathon in 2 hours, 21 minutes and 9 seconds.\n"
    "About 35 runners dropped out in the heat.\n")


def _flags(text: str, words):
    f = article_facts(text)
    return arithmetic.flags(f, words)


def _quoted(flag, text):
    return [text[c.start:c.end] for c in flag.citations]


def test_parts_that_miss_their_total_are_flagged_with_both_sentences(words):
    text = VOTE.format(total=196)
    flags = _flags(text, words)
    assert len(flags) == 1 and flags[0].kind == "number_conflict"
    quotes = _quoted(flags[0], text)
    assert any("196 members" in q for q in quotes) and any("131 votes to 58" in q for q in quotes)
    assert "200" in flags[0].message


def test_parts_that_make_their_total_are_left_alone(words):
    assert _flags(VOTE.format(total=200), words) == []


def test_a_margin_that_is_not_the_gap_is_flagged(words):
    text = RECOUNT.format(margin=37)
    flags = _flags(text, words)
    assert len(flags) == 1 and "differ by 27" in flags[0].message
    assert _flags(RECOUNT.format(margin=27), words) == []


def test_a_reduction_is_checked_at_the_precision_it_is_written_in(words):
    assert len(_flags(FINE.format(cut="$600,000"), words)) == 1   # 2.4m less 1.6m is 800,000
    assert _flags(FINE.format(cut="$800,000"), words) == []
    assert _flags(FINE.format(cut="$780,000"), words) == []       # within the "million" figures' rounding


def test_a_fraction_of_a_whole_given_elsewhere_is_checked(words):
    text = SEATS.format(sold="12,000")
    flags = _flags(text, words)
    assert len(flags) == 1 and "25 percent" in flags[0].message
    assert any("48,000 seats" in q for q in _quoted(flags[0], text))
    assert _flags(SEATS.format(sold="16,000"), words) == []


def test_a_percentage_of_a_part_and_whole_in_one_sentence_is_checked(words):
    flags = _flags(DEAL.format(pct=60), words)
    assert len(flags) == 1 and "40 percent" in flags[0].message
    assert _flags(DEAL.format(pct=40), words) == []


def test_a_duration_is_not_a_list_of_parts(words):
    assert _flags(TIMES, words) == []


BUDGET = (
    "Councillors approved a net budget of 86 million pounds after a long debate.\n"
    "Social care will take 41 million pounds, roads and transport 22 million and waste collection "
    "18 million, with the remaining {rest} million covering libraries and parks.\n")
FIRE = (
    "At its height, {total} firefighters and support staff were working on the blaze.\n"
    "The fire forced the evacuation of 60 homes.\n"
    "Of the people deployed, 310 were firefighters from the county's own stations, 120 came from "
    "neighbouring services and 70 were soldiers.\n")


def test_listed_spending_is_checked_against_the_budget_in_the_currency_it_elides(words):
    flags = _flags(BUDGET.format(rest=7), words)
    assert len(flags) == 1 and "88,000,000" in flags[0].message
    assert _flags(BUDGET.format(rest=5), words) == []


def test_parts_named_with_where_they_came_from_are_still_parts(words):
    assert len(_flags(FIRE.format(total=480), words)) == 1
    assert _flags(FIRE.format(total=500), words) == []


CROWD = (
    "Kestrel Town won the cup on Saturday in front of a crowd of {crowd} at the Marlowe.\n"
    "The winning goal came in the 38th minute.\n"
    "The attendance of 32,150 was the largest for a final since 2008.\n")


def test_two_counts_of_one_thing_with_digits_swapped_are_flagged(words):
    flags = _flags(CROWD.format(crowd="31,250"), words)
    assert len(flags) == 1 and "same digits" in flags[0].message
    assert _flags(CROWD.format(crowd="32,150"), words) == []
    assert _flags(CROWD.format(crowd="31,150"), words) == []  # a different figure is not a slip


TAX = (
    "Lowmarsh council approved a budget that will raise council tax by {pct} per cent.\n"
    "Two libraries will close on Saturdays.\n"
    "The average household will see its annual bill rise from 1,600 pounds to 1,720 pounds.\n")
PROPOSED = (
    "The board voted to raise water rates by 7 percent, less than the 9.5 percent increase staff "
    "had proposed.\n"
    "The monthly bill will rise from 54.20 dollars to 58.00 dollars.\n")
STORAGE = (
    "Storage sites were 58 percent full, down from 71 percent two weeks earlier.\n"
    "Inventories have fallen by {points} percentage points over the fortnight, the operator said.\n")
CLINICS = (
    "The health board will open {n} temporary vaccination clinics over the next month.\n"
    "The clinics will be split between four sites in Dunmere, three in Halverton and five along the coast.\n")


def test_a_percentage_change_is_checked_against_the_values_it_changes_between(words):
    flags = _flags(TAX.format(pct="4.5"), words)
    assert len(flags) == 1 and "7.5 percent" in flags[0].message
    assert _flags(TAX.format(pct="7.5"), words) == []
    assert _flags(PROPOSED, words) == []  # the 9.5 percent was proposed, not made; the 7 percent holds


def test_a_gap_in_percentage_points_is_checked(words):
    assert len(_flags(STORAGE.format(points="nine"), words)) == 1
    assert _flags(STORAGE.format(points="13"), words) == []


def test_counts_written_as_words_are_added_up(words):
    assert len(_flags(CLINICS.format(n="eleven"), words)) == 1
    assert _flags(CLINICS.format(n="twelve"), words) == []


SCHOOLS = (
    "The regional government will change how it funds its 212 state schools from September.\n"
    "Officials estimate that 148 schools will receive more money next year, while 64 will see "
    "their budgets frozen.\n")
HARVEST = (
    "Growers in the district picked 61,000 tonnes of apples this autumn, the board said.\n"
    "Even so, this was the second-largest harvest on record, behind the 66,500 tonnes picked in 2018.\n")


def test_parts_that_make_a_total_exactly_are_not_rival_values_for_it(words):
    f = article_facts(SCHOOLS)
    assert [x for x in audit.number_flags([f], words) if x.kind == "number_conflict"] == []


def test_a_figure_dated_to_another_year_is_not_a_rival_value(words):
    f = article_facts(HARVEST)
    assert audit.number_flags([f], words) == []
