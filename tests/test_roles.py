"""Role conflicts read from the ways articles attach a person to a body or an office: "its
leader", "X's party", "speaking for", "who has chaired", "who as X's head of operations", "at
Bluefinch". Each planted clash is paired with a consistent version that must stay quiet."""

from __future__ import annotations

import pytest

from assistant import audit
from conftest import article_facts


def _roles(text: str, words):
    f = article_facts(text)
    return [x for x in audit.role_flags([f], words) if x.kind == "role_conflict"]


PARTY = (
    "Voters in Kestrel Bay returned Idris Maelor of the Green Alliance as their member on Friday.\n"
    "Turnout was higher than at the last election, officials said.\n"
    "The win lifts {party}, Maelor's party, to 31 seats in the assembly.\n")
LEADER = (
    "Talks on the coalition stalled when the Rural Union under its leader Tomas Keld walked out.\n"
    "The budget is due next month.\n"
    "\"We will not sign a deal that ignores farmers,\" {who} Tomas Keld said.\n")
SPOKE = (
    "Gerald Okoye, chief fire officer of the Tarnshire Fire and Rescue Service, said crews had "
    "worked through the night.\n"
    "Water levels began to fall on Sunday.\n"
    "Okoye, speaking for {body} at a briefing, said residents could return home.\n")
CHAIR = (
    "Members voted to build two silos, said Orla Penhaligon, who has chaired the cooperative's "
    "board since 2021.\n"
    "The silos will cost about 3.8 million pounds.\n"
    "{office} Orla Penhaligon told the meeting that the bank had agreed a fixed rate.\n")
PORTFOLIO = (
    "Finance director Grace Wanjiru said the cash part of the deal would come from reserves.\n"
    "The deal needs approval from the competition authority.\n"
    "Wanjiru, who as Mlima's {office} will run the integration of the plants, said jobs were safe.\n")
EMPLOYER = (
    "\"The route fills a gap,\" said Petra Lindqvist, commercial director at Bluefinch.\n"
    "The first flight leaves in May.\n"
    "Lindqvist, who runs {team}, said bookings were strong.\n")


NATIONALITY = (
    "The Danish striker Ole Brask scored both goals in the first half.\n"
    "The home side held on after a late fightback.\n"
    "Coach Sofia Marten singled out the {nat} international Brask for his movement.\n")
BOARD = (
    "\"Prices must rise,\" said chief executive Maeve Quinlan.\n"
    "Milk output fell by a tenth last year.\n"
    "Quinlan, who milks 120 cows near Ballycorr and sits on the board as its {office}, said farmers "
    "were struggling.\n")


@pytest.mark.parametrize("template, clash, agree", [
    (NATIONALITY, {"nat": "Norwegian"}, {"nat": "Danish"}),
    (BOARD, {"office": "chair"}, {"office": "chief executive"}),
    (PARTY, {"party": "Liberal Reform"}, {"party": "the Green Alliance"}),
    (LEADER, {"who": "Progressive Alliance leader"}, {"who": "Rural Union leader"}),
    (SPOKE, {"body": "Tarnshire Police"}, {"body": "the Tarnshire Fire and Rescue Service"}),
    (CHAIR, {"office": "Vice-chair"}, {"office": "Chair"}),
    (PORTFOLIO, {"office": "head of operations"}, {"office": "head of finance"}),
    (EMPLOYER, {"team": "the airport's marketing team"}, {"team": "Bluefinch's marketing team"}),
])
def test_two_bodies_or_offices_for_one_person_are_flagged_and_one_is_not(words, template, clash, agree):
    text = template.format(**clash)
    flags = _roles(text, words)
    assert len(flags) == 1, [f.message for f in flags]
    quotes = [text[c.start:c.end] for c in flags[0].citations]
    assert len(quotes) == 2 and quotes[0] != quotes[1]
    assert _roles(template.format(**agree), words) == []
