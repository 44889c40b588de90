"""More families of inconsistency, each planted in a short article and paired with the same article
written consistently, which must stay quiet: dissent in a unanimous vote, a first that happened
before, a majority nobody holds, two sides of a court case, two ranks, an independent in a party,
a vote for and against, a departure from two places, a share against its count, a fee and its
instalments, and a projection credited to two bodies."""

from __future__ import annotations

import pytest

from assistant import audit
from conftest import article_facts


def _flags(text: str, words, kind: str):
    return [x for x in audit.audit([article_facts(text)], words) if x.kind == kind]


CASES = [
    ("claim_conflict",
     "The regional executive of the Transport Workers Union voted unanimously on Monday to call two "
     "strikes at the bus depots.\nThe first strike will begin on 3 May.\n"
     "Two of the executive's nine members {x}, according to minutes seen by the Courier.\n",
     "voted against calling the strikes", "were absent from the meeting"),
    ("claim_conflict",
     "Harlow Town reached the final of the County Cup for the first time in the club's 90-year "
     "history on Saturday.\nThe side won 2-0 at Eastfield.\n"
     "Fans still talk about the 1998 final, when {x} lost 4-1 to Derwent.\n",
     "Harlow Town", "Millbrook Rovers"),
    ("claim_conflict",
     "The Harbour Alliance won {x} of the 57 seats on Tarnby council in Thursday's election.\n"
     "Turnout was 38 percent.\n"
     "With no party holding an overall majority, talks on forming an administration begin on Monday.\n",
     "31", "25"),
    ("claim_conflict",
     "The budget passed by 30 votes to 21 on Wednesday.\n"
     "Councillor Ama Reed, who voted against the budget, said the cuts to youth services were wrong.\n"
     "Reed, whose vote {x} the budget surprised colleagues, said she would keep pressing for change.\n",
     "in favour of", "against"),
    ("claim_conflict",
     "The first passenger ferry left Kelby Pier at 6.10 a.m. on Monday with 140 people on board.\n"
     "Tickets sold out within an hour.\n"
     "Crowds waved as the maiden ferry, which set off from {x}, crossed the sound.\n",
     "Norrhamn Quay", "Kelby Pier"),
    ("role_conflict",
     "Prosecuting, Jane Osler KC told the jury that the money had been moved through three accounts.\n"
     "The trial continues.\n"
     "Osler, {x}, said the defendant had cooperated with investigators.\n",
     "defending", "for the prosecution"),
    ("role_conflict",
     "Detective Inspector Ann Vole said two men had been arrested in Harnfold.\n"
     "Both were released on bail.\n"
     "Detective {x} Vole said officers had recovered a stolen van.\n",
     "Sergeant", "Inspector"),
    ("role_conflict",
     "Mayor Tom Gale, an independent councillor who has led the town council since 2022, welcomed the "
     "figures.\nVisitor numbers rose by a fifth.\n"
     "Gale, who represents {x} on the council, said the money would go to the seafront.\n",
     "the Coastal Alliance party", "the harbour ward"),
    ("number_conflict",
     "The union said 91 percent of those voting had backed action, on a turnout of 64 percent.\n"
     "The hospital trust said it was disappointed.\n"
     "In all, {x} of the 2,140 members who returned ballots voted yes, according to the union.\n",
     "1,780", "1,948"),
    ("number_conflict",
     "Harwick Rovers signed the striker from Castlemere Athletic on Monday. The total fee stood at "
     "£4.2 million, a club record.\nThe player has agreed a four-year contract.\n"
     "Of the fee, £3.4 million will be paid up front, with a further {x} due in add-ons.\n",
     "£600,000", "£800,000"),
    ("attribution_conflict",
     "A forecast issued last week by the Tarn Environment Agency suggests reservoir stocks could fall "
     "below 55 percent by mid-August.\nThe company has 1.2 million customers.\n"
     "Operations director Ben Achter said the mid-August projection had been drawn up by {x} and would "
     "be updated every week.\n",
     "the water company's own hydrology team", "the Tarn Environment Agency"),
]


@pytest.mark.parametrize("kind,text,planted,consistent", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_planted_inconsistency_is_flagged_and_the_consistent_article_is_not(words, kind, text, planted,
                                                                            consistent):
    flags = _flags(text.format(x=planted), words, kind)
    assert len(flags) == 1, [f.message for f in flags]
    # each side is cited: the flag spans two sentences
    assert len({c.start for c in flags[0].citations}) == 2
    assert _flags(text.format(x=consistent), words, kind) == []
