"""End-to-end answers on the shipped corpus: content, exact citations, abstention, conflicts."""

from __future__ import annotations

import pytest

from assistant.errors import InputError
from assistant.evals import _norm, is_correct
from assistant.ground import ABSTAIN_TEXT, verify


def assert_citations_verify(assistant, answer):
    """Every citation, in the answer and in its flags, is the exact stored text at its offsets."""
    for c in answer.citations + [c for f in answer.flags for c in f.citations]:
        doc = assistant.document(c.document_id)
        assert doc is not None, c.document_id
        assert doc.text[c.start:c.end] == c.quote, c
        assert verify(c, doc)
        assert c.title == doc.title and c.source == doc.source


def test_how_many_troops(shared_assistant, seed_answers):
    answer = seed_answers["nk-troops-deployed"]
    assert answer.question == "How many troops has North Korea deployed?"
    assert not answer.abstained
    assert "11,000" in answer.text
    assert answer.mode == "offline"
    assert answer.answer_type == "quantity"
    cited = [c for c in answer.citations
             if c.document_id == "north-korea-troops" and "11,000" in c.quote]
    assert cited, answer.citations
    doc = shared_assistant.document("north-korea-troops")
    for c in cited:
        assert doc.text[c.start:c.end] == c.quote
    assert_citations_verify(shared_assistant, answer)
    assert set(answer.timings) >= {"retrieve", "read", "total"}


def test_who_predicted_additional_troops(shared_assistant, seed_answers):
    answer = seed_answers["nk-additional-troops-predictor"]
    assert not answer.abstained
    assert "National Intelligence Service" in answer.text
    assert any(c.document_id == "north-korea-troops" and "National Intelligence Service" in c.quote
               for c in answer.citations)
    assert_citations_verify(shared_assistant, answer)


@pytest.mark.parametrize("case_id", [
    "veridian-ceo",                 # who, distractor article
    "millbrook-water-director",     # who
    "treaty-ratification-signed",   # when
    "millbrook-rates-effective",    # when
    "minas-gerais-rainfall",        # what (a share)
    "nis-munitions-containers",     # how many, another article
])
def test_questions_on_other_articles(shared_assistant, seed_cases, seed_answers, case_id):
    case = next(c for c in seed_cases if c.id == case_id)
    answer = seed_answers[case_id]
    assert not answer.abstained, answer.text
    assert is_correct(case, answer), (case.answer, answer.text)
    # The supporting quote of the eval case is among the citations, from the right document.
    assert any(c.document_id == case.document and _norm(case.quote) in _norm(c.quote)
               for c in answer.citations), [c.quote for c in answer.citations]
    assert_citations_verify(shared_assistant, answer)


@pytest.mark.parametrize("question", [
    "What is the capital of Australia?",
    "Who invented the telephone?",
    "How many goals did Lionel Messi score in 2012?",
])
def test_off_topic_questions_abstain(shared_assistant, question):
    answer = shared_assistant.ask(question)
    assert answer.abstained
    assert answer.text == ABSTAIN_TEXT == "The corpus does not say."
    assert answer.citations == []
    assert answer.flags == []


def test_conflicting_evidence_is_flagged_with_both_sources(fresh_assistant, fixtures_dir):
    report = fresh_assistant.ingest(fixtures_dir / "conflict", progress=False)
    assert sorted(report.added) == ["harbor-authority", "harbor-weekly"]
    answer = fresh_assistant.ask("How many containers are stranded at Port Calder's east terminal?")
    assert not answer.abstained
    flags = [f for f in answer.flags if f.kind == "conflicting_evidence"]
    assert len(flags) == 1, answer.flags
    flag = flags[0]
    assert flag.severity == "warning" and flag.message
    cited_docs = {c.document_id for c in flag.citations}
    assert cited_docs == {"harbor-authority", "harbor-weekly"}
    quotes = " ".join(c.quote for c in flag.citations)
    assert "4,200" in quotes and "5,100" in quotes
    assert "4,200" in answer.text and "5,100" in answer.text
    assert {c.document_id for c in answer.citations} == cited_docs
    assert_citations_verify(fresh_assistant, answer)


@pytest.mark.parametrize("case_id", ["kursk-casualties-total", "alabuga-nk-workers",
                                     "lakeshore-finishers"])
def test_no_conflict_flag_for_a_different_count_in_the_same_article(seed_answers, case_id):
    """These articles are internally consistent (corpus/README.md); the "rival" numbers count
    something else (900 casualties in one week of the 4,000; two former employees interviewed
    about the 1,500 workers; a lead group of five of the 32,000 finishers). Flagging them tells
    the reader "the sources differ" when nothing conflicts."""
    answer = seed_answers[case_id]
    assert not answer.abstained
    conflicts = [f for f in answer.flags if f.kind == "conflicting_evidence"]
    assert conflicts == [], [(f.message, [c.quote for c in f.citations]) for f in conflicts]
    assert "sources differ" not in answer.text


@pytest.mark.parametrize("question", ["", "   ", "\n\t  \n", "?!?", 123, None])
def test_unusable_questions_raise_input_error(shared_assistant, question):
    with pytest.raises(InputError):
        shared_assistant.ask(question)


def test_overlong_question_raises_input_error(shared_assistant):
    with pytest.raises(InputError, match="ASSISTANT_MAX_QUESTION_CHARS"):
        shared_assistant.ask("How many troops? " + "x" * 10_000)


def test_bad_k_raises_input_error(shared_assistant):
    with pytest.raises(InputError):
        shared_assistant.ask("How many troops has North Korea deployed?", k=101)


def test_every_seed_answer_has_verified_citations(shared_assistant, seed_cases, seed_answers):
    """The grounding invariant over the whole seed set: answers cite, abstentions do not, and
    every citation (answer and flags) is exactly the stored text at its offsets."""
    assert len(seed_answers) == len(seed_cases) > 40
    for case in seed_cases:
        answer = seed_answers[case.id]
        assert answer.question == case.question
        if answer.abstained:
            assert answer.text == ABSTAIN_TEXT
            assert answer.citations == []
        else:
            assert answer.citations, case.id
            assert answer.text and answer.text != ABSTAIN_TEXT
        assert 0.0 <= answer.confidence <= 1.0
        assert_citations_verify(shared_assistant, answer)
        d = answer.to_dict()
        assert d["answer"] == answer.text and d["abstained"] == answer.abstained
        assert len(d["citations"]) == len(answer.citations)


def test_answer_accuracy_on_the_seed_set(seed_cases, seed_answers):
    """A floor, not a target: the Makefile gate is 0.9 via `assistant eval`."""
    correct = sum(is_correct(c, seed_answers[c.id]) for c in seed_cases)
    assert correct / len(seed_cases) >= 0.75, correct


# ---- does the chosen sentence answer THIS question? -----------------------------------------
# Small articles written here (not the shipped corpus): each rule has a question it must still
# answer and a near miss it must refuse.

import importlib  # noqa: E402

from assistant import Assistant, Settings  # noqa: E402
from assistant.models import Document  # noqa: E402
from assistant.question import parse  # noqa: E402
from assistant import extract  # noqa: E402

# The module itself: ``assistant.answer`` is also a function exported by the package.
reader = importlib.import_module("assistant.answer")

_ARTICLES = {
    "arms-transfer.md": """---
title: Chile Sends Rocket Launchers to Peru
date: 2025-05-10
---
Chile Sends Rocket Launchers to Peru

Chile has sent Peru more than 80 multiple rocket launchers since January, the defense ministry in Santiago said on May 9, 2025.

The launchers were moved by rail and by sea over several weeks, according to port officials.

Bolivia has condemned the shipments and recalled its envoy from Santiago for consultations.

The Peruvian Congress ratified the supply agreement on April 2, 2025, after a short debate. Senators in Santiago are expected to vote on it in the autumn.
""",
    "harbor-marathon.md": """---
title: Rosa Mendez Wins Harbor Town Marathon
date: 2025-10-13
---
Rosa Mendez Wins Harbor Town Marathon

Rosa Mendez won the Harbor Town Marathon on October 12, 2025, in 2 hours and 21 minutes, a course record.

Race director Tom Fields said more than 9,000 runners finished the race, up from about 8,000 last year.
""",
    "andes-cooperative.md": """---
title: Andes Growers Cooperative Receives Grants After Frost
date: 2025-06-02
---
Andes Growers Cooperative Receives Grants After Frost

The provincial government gave the Andes Growers Cooperative $2 million in grants in May to replant orchards damaged by frost.

About 1,200 farmers belong to the cooperative, which sells most of its apples abroad.
""",
}


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small-articles")
    for name, text in _ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assistant = Assistant(settings=Settings.from_env(env={}, store_dir=folder.parent / "small-store"))
    assistant.ingest([folder], progress=False)
    return assistant


@pytest.mark.parametrize("question, expected", [
    ("How many multiple rocket launchers has Chile sent to Peru?", "80"),
    ("On what date did the Peruvian Congress ratify the supply agreement?", "April 2, 2025"),
    ("Who won the Harbor Town Marathon?", "Rosa Mendez"),
    ("How much did the provincial government give the Andes Growers Cooperative in grants?",
     "$2 million"),
])
def test_small_articles_answered(small_assistant, question, expected):
    answer = small_assistant.ask(question)
    assert not answer.abstained, question
    assert expected in answer.text, answer.text
    assert_citations_verify(small_assistant, answer)


@pytest.mark.parametrize("question", [
    # the name is in the article, but not where the figure is: sent to Bolivia?
    "How many multiple rocket launchers has Chile sent to Bolivia?",
    # another doer: the Peruvian Congress ratified, not Chile
    "On what date did Chile ratify the supply agreement?",
    # the sentence's time is this year's race, not last year's
    "Who won the Harbor Town Marathon last year?",
    # the amount is in grants, not loans
    "How much did the provincial government give the Andes Growers Cooperative in loans?",
    # a head count does not say how much anyone is paid
    "How much are the farmers of the Andes Growers Cooperative paid per month?",
])
def test_small_articles_near_misses_abstain(small_assistant, question):
    answer = small_assistant.ask(question)
    assert answer.abstained, (question, answer.text, [c.quote for c in answer.citations])


def _span(sentence, text):
    return next(s for s in extract.quantities(sentence) + extract.dates(sentence) if text in s.text)


def test_rule_doer_of_the_asked_act():
    s = "Ukrainian troops have taken at least three Russian soldiers prisoner since March."
    span = _span(s, "three")
    assert reader._agent_conflict(parse("How many Russian soldiers have been taken prisoner by "
                                        "Belarusian forces?"), s, span.start)
    assert not reader._agent_conflict(parse("How many Russian soldiers have been taken prisoner "
                                            "by Ukrainian troops?"), s, span.start)
    s = ("Russian President Vladimir Putin signed a law on November 9, 2024, ratifying the treaty "
         "with Vietnam.")
    span = _span(s, "November 9")
    assert reader._agent_conflict(parse("On what date did Vietnam ratify the treaty?"), s, span.start)
    assert not reader._agent_conflict(parse("When did Vladimir Putin sign the law?"), s, span.start)
    # A described doer ("the Pentagon official") is not contradicted by a person's name.
    s = "Marisa Calloway told reporters at the Pentagon on June 17, 2025, that the estimate had risen."
    assert not reader._agent_conflict(parse("When did the Pentagon official say the estimate had risen?"),
                                      s, _span(s, "June 17").start)


def test_rule_counted_noun_narrowed_by_a_name():
    q = parse("How many KN-24 missiles has North Korea supplied to Russia?")
    s = "North Korea has supplied Russia with at least 220 missiles, most of them KN-23 and KN-24 types."
    assert not reader._same_kind(q, s, _span(s, "220"))
    s = "North Korea has supplied Russia with at least 90 KN-24 missiles."
    assert reader._same_kind(q, s, _span(s, "90"))
    s = "This could bring the number of North Korean soldiers to as many as 30,000."
    assert reader._same_kind(parse("How many North Korean soldiers could be there?"), s, _span(s, "30,000"))


def test_rule_how_much_wants_an_amount():
    s = "About 1,500 workers earn $900 a month and the plant uses 40 tons of steel."
    assert not reader._is_amount(_span(s, "1,500"), None)
    assert reader._is_amount(_span(s, "$900"), None)
    assert reader._is_amount(_span(s, "40"), None)
    assert reader._amount_kind(parse("How much did Texas give the company in grants?")) == ["grants"]


def test_rule_date_precision_and_event():
    day = reader._asked_precision("On what day did the meeting take place?")
    assert day and not day.search("July") and day.search("July 14")
    assert reader._asked_precision("When did the meeting take place?") is None
    q = parse("On what date did the workers arrive at the factory?")
    s = "About 1,500 workers have arrived at the factory, according to a report published on July 2, 2025."
    assert reader._other_event(q, s, _span(s, "July 2"))
    s = "The workers arrived at the factory on July 2, 2025."
    assert not reader._other_event(q, s, _span(s, "July 2"))


def test_rule_time_qualifier():
    doc = Document(id="d", title="T", source="/d.txt", hash="h", metadata={"date": "2025-10-13"},
                   text="X won the race on October 12, 2025. X won the race on October 13, 2024. "
                        "The field was the largest ever. Entries rose from 8,000 last year.")
    def sentence(part):
        a = doc.text.index(part)
        return reader.Sentence(doc=doc, start=a, end=a + len(part), rank=0, terms=set(), context=set())
    last = parse("Who won the race last year?")
    assert not reader._same_time(last, sentence("X won the race on October 12, 2025."))
    assert reader._same_time(last, sentence("X won the race on October 13, 2024."))
    assert not reader._same_time(last, sentence("The field was the largest ever."))
    assert reader._same_time(last, sentence("Entries rose from 8,000 last year."))
    assert reader._same_time(parse("Who won the race this year?"),
                             sentence("The field was the largest ever."))


def test_rule_number_counts_its_own_noun():
    s = "About 35 percent of those missiles were delivered in the final three months of 2024."
    assert reader._counted_head(s, _span(s, "three")) == "months"
    s = "Officials counted at least 220 short-range ballistic missiles."
    assert reader._counted_head(s, _span(s, "220")) == "missiles"
    s = "The total could rise to as many as 30,000."
    assert reader._counted_head(s, _span(s, "30,000")) is None


def test_rule_differently_qualified_noun():
    q = parse("By what percentage will Springfield raise commercial water rates?")
    assert q.kind == "quantity" and q.percent
    assert reader._other_modifier(q, "The council approved a 6.5 percent rise in residential water rates.")
    assert not reader._other_modifier(q, "The council approved a 4 percent rise in commercial water rates.")
    # Quantifiers ("how many") are not qualifiers.
    assert not reader._other_modifier(parse("How many troops has Chile deployed?"),
                                      "Chile has deployed around 11,000 elite troops.")


def test_rule_possessor_is_the_one_the_sentence_is_about():
    q = parse("What was Maria Lopez's finishing time at the Harbor Town Marathon?")
    assert not reader._possessor_role(q, "Rosa Mendez finished nearly a minute ahead of Maria Lopez.")
    assert reader._possessor_role(q, "Maria Lopez finished in 2 hours and 22 minutes.")
    assert reader._possessor_role(q, "Maria Lopez's time was 2 hours and 22 minutes.")
    assert reader._possessor_role(q, "The race ended in rain.")  # not named: nothing to check


def test_what_price_asks_for_money():
    q = parse("What price did arabica futures reach in New York?")
    assert q.kind == "quantity" and q.focus == ["price"]


@pytest.mark.parametrize("question, expected", [
    ("Who is the race director of the Harbor Town Marathon?", "Tom Fields"),
])
def test_small_articles_copular_who_answered(small_assistant, question, expected):
    answer = small_assistant.ask(question)
    assert not answer.abstained and expected in answer.text, answer.text


def test_copular_who_is_not_answered_by_another_name(small_assistant):
    # Bolivia's envoy is mentioned, never named: the sentence's other names do not answer.
    answer = small_assistant.ask("Who is Bolivia's envoy in Santiago?")
    assert answer.abstained, answer.text
