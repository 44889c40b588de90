"""assistant.evals: scoring rules, eval-file loading, and the ``eval`` command's exit code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.errors import InputError
from assistant.evals import Case, is_correct, load_cases, run_eval, token_f1
from assistant.ground import ABSTAIN_TEXT
from assistant.models import Answer
from conftest import ROOT, subprocess_env


def ans(text, abstained=False):
    return Answer(question="q", text=text, abstained=abstained)


NUM = Case(id="n", question="How many?", answer=11000, tolerance=0.05)


@pytest.mark.parametrize("text, ok", [
    ("around 11,000 elite troops", True),
    ("about 11,400 troops", True),          # 3.6% off, within 5%
    ("10,500", True),                       # 4.5% off
    ("12,000 troops", False),               # 9% off
    ("around 11 thousand troops", True),
    ("troops were sent", False),            # no number at all
    ("11,000 — but the sources differ: X gives 12,000.", True),  # the first figure counts
])
def test_numbers_within_tolerance(text, ok):
    assert is_correct(NUM, ans(text)) is ok


def test_number_tolerance_is_configurable():
    strict = Case(id="s", question="q", answer=150, tolerance=0.0)
    assert is_correct(strict, ans("at least 150 guns"))
    assert not is_correct(strict, ans("151 guns"))


def test_a_numeric_answer_never_matches_an_abstention():
    assert not is_correct(NUM, ans(ABSTAIN_TEXT, abstained=True))


def test_string_answers_match_by_alias_containment_and_f1():
    case = Case(id="w", question="Who?", answer="South Korea's National Intelligence Service",
                aliases=("National Intelligence Service", "NIS"))
    assert is_correct(case, ans("South Korea’s National Intelligence Service"))  # curly apostrophe
    assert is_correct(case, ans("the National Intelligence Service"))
    assert is_correct(case, ans("NIS"))
    assert not is_correct(case, ans("the Pentagon"))
    date = Case(id="d", question="When?", answer="November 9, 2024", aliases=("2024-11-09",))
    assert is_correct(date, ans("on November 9, 2024"))
    assert is_correct(date, ans("2024-11-09"))
    assert not is_correct(date, ans("June 19, 2024"))


def test_token_f1():
    assert token_f1("Marisa Calloway", "Marisa Calloway") == 1.0
    assert token_f1("Calloway", "Marisa Calloway") == pytest.approx(2 / 3)
    assert token_f1("nothing", "Marisa Calloway") == 0.0


def test_abstention_expected():
    must_abstain = Case(id="u", question="q", answer=None)
    assert is_correct(must_abstain, ans(ABSTAIN_TEXT, abstained=True))
    assert not is_correct(must_abstain, ans("12 troops"))


def test_load_cases_reads_the_seed_set():
    cases = load_cases(ROOT / "evals" / "seed.jsonl")
    assert len(cases) > 40
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids)
    first = cases[0]
    assert first.answer == 11000 and first.document == "north-korea-troops"
    assert sum(c.answer is None for c in cases) >= 5
    # Every quote of the seed set is really in its document.
    for c in cases:
        if c.quote:
            assert c.document
            text = (ROOT / "corpus").glob(f"{c.document}.*")
            body = next(text).read_text(encoding="utf-8")
            assert c.quote in body, c.id


def test_load_cases_skips_blank_and_comment_lines(tmp_path):
    f = tmp_path / "cases.jsonl"
    f.write_text('# comment\n\n{"question": "Q1?", "answer": 3}\n{"id": "x", "question": "Q2?"}\n',
                 encoding="utf-8")
    cases = load_cases(f)
    assert [c.id for c in cases] == ["cases-3", "x"]
    assert cases[1].answer is None


@pytest.mark.parametrize("line", ['{"question": "ok?"', '{"answer": 3}', '["a list"]',
                                  '{"question": "q", "tolerance": "wide"}'])
def test_load_cases_bad_line_raises_input_error_naming_the_line(tmp_path, line):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"question": "fine?", "answer": 1}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        load_cases(f)


def test_load_cases_missing_file_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_cases(tmp_path / "missing.jsonl")


def test_run_eval_counts_and_validates_citations(shared_assistant, seed_cases, seed_answers):
    """run_eval over answers already computed (same questions, same store)."""
    report = run_eval(seed_cases, lambda q: next(a for a in seed_answers.values()
                                                 if a.question == q),
                      shared_assistant.document)
    totals = report.totals()
    assert totals["cases"] == len(seed_cases)
    assert totals["citation_validity"] == 1.0
    assert 0.0 <= totals["answer_accuracy"] <= 1.0


def test_eval_command_exit_code_follows_min_accuracy(tmp_path):
    """Two real ``assistant eval`` runs on the seed set, each with its own store, in parallel
    (one core each): an unreachable bar fails, a zero bar passes."""
    env = subprocess_env(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    seed = str(ROOT / "evals" / "seed.jsonl")
    runs = {}
    for name, bar in (("strict", "1.01"), ("lenient", "0.0")):
        out = tmp_path / f"{name}.json"
        cmd = [sys.executable, "-m", "assistant", "eval", seed, "--min-accuracy", bar,
               "--store", str(tmp_path / f"store-{name}"), "--out", str(out)]
        runs[name] = (subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True), out)
    results = {}
    for name, (proc, out) in runs.items():
        stdout, stderr = proc.communicate(timeout=900)
        results[name] = (proc.returncode, stdout, stderr, out)

    code, stdout, stderr, out = results["strict"]
    assert code != 0, stdout + stderr
    assert "below --min-accuracy 1.01" in stderr
    assert "Traceback" not in stderr
    assert "totals:" in stdout

    code, stdout, stderr, out = results["lenient"]
    assert code == 0, stderr
    assert "Traceback" not in stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    totals = report["totals"]
    assert totals["cases"] == len(load_cases(seed))
    assert totals["citation_validity"] == 1.0
    assert len(report["results"]) == totals["cases"]
    assert sum(line.startswith(("PASS", "FAIL")) for line in stdout.splitlines()) == totals["cases"]


# ---- the case format ------------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

from assistant.evals import (JUDGE_LABEL, CaseResult, ExpectedFlag, Report,  # noqa: E402
                             SummaryCase, best_f1, citation_supports, exact_match, fact_covered,
                             flag_counts, flag_matches, load_file, percentile, record_kind,
                             score_case, score_summary)
from assistant.models import Citation, Document, Flag  # noqa: E402


def test_load_file_reads_the_yaml_example_with_nested_fields():
    cases = load_file(ROOT / "evals" / "example.yaml").qa
    by_id = {c.id: c for c in cases}
    nk = by_id["yaml-nk-troops"]
    assert nk.answer == 11000 and nk.tolerance == 0.05
    assert nk.document == "north-korea-troops" and "11,000" in nk.quote
    assert nk.flags[0] == ExpectedFlag("conflicting_evidence", ("about 12,000 North Korean soldiers",))
    assert nk.all_tags == {"type": "how_many", "difficulty": "hard"} and nk.type == "how_many"
    assert by_id["yaml-veridian-ceo"].flags == ()          # [] = no flag expected, checked
    assert by_id["yaml-glenford-mayor"].answer is None
    assert by_id["yaml-glenford-mayor"].flags is None      # absent = not checked


def test_shipped_sets_load_and_keep_their_size():
    seed = load_file(ROOT / "evals" / "seed.jsonl")
    assert len(seed.qa) >= 40 and not seed.summaries and not seed.flags
    assert all(c.all_tags.get("difficulty") for c in seed.qa)
    unans = load_file(ROOT / "evals" / "unanswerable.jsonl").qa
    assert len(unans) >= 20 and all(c.answer is None for c in unans)
    assert {c.tags["trap"] for c in unans} >= {"missing_fact", "wrong_entity", "missing_date"}
    assert len({c.id for c in seed.qa + unans}) == len(seed.qa) + len(unans)
    flags = load_file(ROOT / "evals" / "flags.jsonl")
    assert flags.flags and not flags.qa


def test_load_file_tells_kinds_apart(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"id": "q", "question": "Who?", "answer": {"text": "Ann Lee", "aliases": ["Lee"]},
         "citation": {"quote": "Ann Lee said"}, "tags": {"type": "who"}},
        {"id": "s", "kind": "summary", "document": "doc", "topic": None, "max_sentences": 3,
         "required_facts": ["about 11,000 troops"], "tags": {"difficulty": "easy"}},
        {"id": "f", "documents": ["a.txt"], "scope": "document", "expected": []},
    ]) + "\n", encoding="utf-8")
    s = load_file(f)
    assert [c.id for c in s.qa] == ["q"] and s.qa[0].aliases == ("Lee",)
    assert s.qa[0].quote == "Ann Lee said" and s.qa[0].document is None
    assert s.summaries == [SummaryCase(id="s", document="doc", max_sentences=3,
                                       required_facts=("about 11,000 troops",),
                                       tags={"difficulty": "easy"})]
    assert [c.id for c in s.flags] == ["f"]
    assert record_kind({"required_facts": []}) == "summary"
    with pytest.raises(ValueError, match="unknown kind"):
        record_kind({"kind": "poem"})


@pytest.mark.parametrize("body, where", [
    ("- {question: ok, answer: 1}\n- {answer: 3}\n", "case 2"),
    ("cases: [ {question: [unclosed\n", "not valid YAML"),
    ("just a string\n", "list of cases"),
    ("- {question: q, answer: true}\n", "case 1"),
    ("- {question: q, kind: poem}\n", "case 1"),
])
def test_bad_yaml_raises_input_error(tmp_path, body, where):
    f = tmp_path / "bad.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=where):
        load_file(f)


# ---- answer metrics: each with a pass and a fail ------------------------------------------

def test_exact_match_is_normalised_equality():
    assert exact_match("Marisa  Calloway.", ["marisa calloway"])
    assert exact_match("Ethiopia's Tsehay Alemu", ["Ethiopia Tsehay Alemu"])  # possessive dropped
    assert not exact_match("Colonel Oleh Savchuk", ["Oleh Savchuk"])           # F1 passes, EM not
    assert not exact_match("anything", [""])


def test_containment_is_whole_token():
    yes = Case(id="y", question="q", answer="No")
    assert is_correct(yes, ans("no"))
    assert not is_correct(yes, ans("North Korea"))   # "no" is not a word of it
    assert best_f1(yes, ans("no")) == 1.0 and best_f1(yes, ans("North Korea")) == 0.0
    assert best_f1(NUM, ans("11,000")) is None


def _doc(text="Alpha said 12 boats sank. Beta denied it."):
    return Document(id="d", title="T", source="/d.txt", text=text, hash="h")


def _cite(doc, start, end, quote=None):
    return Citation(document_id=doc.id, title=doc.title, source=doc.source, start=start, end=end,
                    quote=doc.text[start:end] if quote is None else quote)


def test_citation_validity_counts_quotes_equal_to_the_text_at_their_offsets():
    doc = _doc()
    good = _cite(doc, 0, 25)
    shifted = _cite(doc, 1, 26, quote=doc.text[0:25])     # right words, wrong offsets
    case = Case(id="c", question="How many boats sank?", answer=12, document="d",
                quote="12 boats sank")
    r = score_case(case, Answer("q", "12 boats", False, citations=[good, shifted]),
                   {"d": doc}.get)
    assert (r.citations, r.citations_valid) == (2, 1)
    assert Report(results=[r]).citation_validity == 0.5
    r2 = score_case(case, Answer("q", "12 boats", False, citations=[good]), {"d": doc}.get)
    assert Report(results=[r2]).citation_validity == 1.0
    missing = score_case(case, Answer("q", "12 boats", False, citations=[good]), {}.get)
    assert missing.citations_valid == 0  # a document the store does not have


def test_citation_support_needs_the_expected_quote_inside_a_cited_span():
    doc = _doc()
    first, second = _cite(doc, 0, 25), _cite(doc, 26, 41)
    assert citation_supports([first], "d", "12 boats sank")
    assert citation_supports([second, first], None, "12  BOATS sank")
    assert not citation_supports([second], "d", "12 boats sank")
    assert not citation_supports([first], "other-doc", "12 boats sank")


def _result(id, expected, abstained, correct=None, seconds=1.0, **kw):
    return CaseResult(id=id, question="q", type=kw.pop("type", ""), expected=expected,
                      got="", abstained=abstained,
                      correct=(abstained if expected is None else not abstained)
                      if correct is None else correct,
                      citations=0, citations_valid=0, supported=None, seconds=seconds, **kw)


def test_abstention_precision_and_recall_treat_should_abstain_as_positive():
    report = Report(results=[
        _result("tp1", None, True), _result("tp2", None, True),    # abstained rightly
        _result("fn", None, False),                                 # answered a must-abstain
        _result("fp", 5, True),                                     # abstained on an answerable
        _result("tn", 5, False)])
    assert report.abstention_precision == pytest.approx(2 / 3)
    assert report.abstention_recall == pytest.approx(2 / 3)
    assert report.false_abstentions == 1
    perfect = Report(results=[_result("a", None, True), _result("b", 5, False)])
    assert perfect.abstention_precision == 1.0 and perfect.abstention_recall == 1.0
    assert Report(results=[_result("b", 5, False)]).abstention_recall is None  # nothing to measure


def test_expected_flags_precision_and_recall():
    doc = _doc()
    flag = Flag("conflicting_evidence", "m", (_cite(doc, 0, 25), _cite(doc, 26, 41)))
    other = Flag("role_conflict", "m", (_cite(doc, 26, 41),))
    want = (ExpectedFlag("conflicting_evidence", ("12 boats sank",)),)
    assert flag_matches(flag, want[0]) and not flag_matches(other, want[0])
    assert not flag_matches(flag, ExpectedFlag("conflicting_evidence", ("7 boats",)))
    assert flag_matches(flag, {"kind": "conflicting_evidence", "quotes": ["Beta denied"]})
    assert flag_counts([flag, other], want) == (1, 1)
    case = Case(id="f", question="q", answer=12, flags=want)
    hit = score_case(case, Answer("q", "12", False, citations=[_cite(doc, 0, 25)],
                                  flags=[flag, other]), {"d": doc}.get)
    assert (hit.flags_expected, hit.flags_predicted, hit.flags_matched_expected,
            hit.flags_matched_predicted) == (1, 2, 1, 1)
    report = Report(results=[hit])
    assert report.flag_precision == 0.5 and report.flag_recall == 1.0
    miss = score_case(case, Answer("q", "12", False, citations=[_cite(doc, 0, 25)]), {"d": doc}.get)
    assert Report(results=[miss]).flag_recall == 0.0
    clean = score_case(Case(id="n", question="q", answer=12, flags=()),
                       Answer("q", "12", False, flags=[other]), {"d": doc}.get)
    assert Report(results=[clean]).flag_precision == 0.0  # a false alarm
    unchecked = score_case(Case(id="u", question="q", answer=12), Answer("q", "12", False,
                                                                        flags=[other]), {}.get)
    assert unchecked.flags_expected is None and Report(results=[unchecked]).flag_precision is None


def test_latency_percentiles_and_token_usage():
    assert percentile([], 95) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 95) == pytest.approx(95.05)
    report = Report(results=[_result(str(i), 1, False, seconds=float(i)) for i in range(1, 21)])
    assert report.latency_p50 == 10.5 and report.latency_p95 == pytest.approx(19.05)
    case = Case(id="t", question="q", answer=1)
    used = score_case(case, Answer("q", "1", False, usage={"prompt_tokens": 120,
                                                           "completion_tokens": 8}), {}.get)
    none = score_case(case, Answer("q", "1", False), {}.get)
    totals = Report(results=[used, used, none]).totals()
    assert totals["prompt_tokens"] == 240 and totals["completion_tokens"] == 16
    assert "prompt_tokens" not in Report(results=[none]).totals()


def test_breakdown_by_tag():
    report = Report(results=[
        _result("a", 1, False, type="who", tags={"type": "who", "difficulty": "easy"}),
        _result("b", 1, True, type="who", tags={"type": "who", "difficulty": "hard"}),
        _result("c", None, True, tags={"type": "unanswerable", "difficulty": "hard"})])
    by_type = report.breakdown("type")
    assert by_type["who"]["cases"] == 2 and by_type["who"]["answer_accuracy"] == 0.5
    assert by_type["unanswerable"]["abstention_recall"] == 1.0
    assert report.breakdown("difficulty")["hard"]["cases"] == 2
    assert report.tag_names()[:2] == ["type", "difficulty"]
    assert set(report.to_dict()["breakdown"]) == {"type", "difficulty"}


def test_judge_decides_free_text_answers_only_and_is_labelled():
    text = Case(id="w", question="Who?", answer="Marisa Calloway")
    calls = []

    def judge(question, expected, got):
        calls.append((question, expected, got))
        return got.startswith("the deputy")

    r = score_case(text, ans("the deputy assistant secretary"), {}.get, judge=judge)
    assert r.correct and r.judged_by == JUDGE_LABEL
    assert calls == [("Who?", "Marisa Calloway", "the deputy assistant secretary")]
    r = score_case(text, ans("Marisa Calloway"), {}.get, judge=lambda *a: False)
    assert not r.correct and r.judged_by == JUDGE_LABEL      # the judge overrides the rule
    r = score_case(text, ans("Marisa Calloway"), {}.get, judge=lambda *a: None)
    assert r.correct and r.judged_by == "rule"               # None keeps the rule
    r = score_case(NUM, ans("11,000"), {}.get, judge=lambda *a: False)
    assert r.correct and r.judged_by == "rule"               # numbers never go to the judge
    report = Report(results=[score_case(text, ans("x"), {}.get, judge=lambda *a: True)])
    assert report.totals()["judged_by_llm"] == 1


# ---- summaries -----------------------------------------------------------------------------

@dataclass
class Sent:
    text: str
    citations: list = field(default_factory=list)


@dataclass
class Summ:
    sentences: list
    flags: list = field(default_factory=list)

    @property
    def text(self):
        return " ".join(s.text for s in self.sentences)


def test_fact_covered_needs_every_number_and_most_words_in_one_sentence():
    sents = ["North Korea has deployed around 11,000 elite troops to Ukraine.",
             "The total could reach as many as 30,000 soldiers."]
    assert fact_covered("about 11,000 troops", sents)
    assert fact_covered("as many as 30,000", sents)
    assert fact_covered("11,000 troops deployed", sents)                 # stems: deploy
    assert not fact_covered("about 12,000 troops", sents)                # wrong number
    assert not fact_covered("11,000 troops and 30,000 soldiers", sents)  # numbers split apart
    assert not fact_covered("11,000 sailors drowned at sea", sents)      # number, words missing
    assert fact_covered("Umerov warned Russia about troops", ["Umerov warned about troops."])
    assert not fact_covered("Umerov warned Russia about troops", ["Umerov spoke."])


def test_score_summary_coverage_citation_validity_and_cited_share():
    doc = _doc()
    ok, bad = _cite(doc, 0, 25), _cite(doc, 26, 41, quote="Beta confirmed it.")
    case = SummaryCase(id="s", document="d", max_sentences=3,
                       required_facts=("12 boats sank", "Beta denied it", "40 boats rescued"))
    summary = Summ([Sent("Alpha said 12 boats sank.", [ok]), Sent("Beta denied it.", [bad]),
                    Sent("Nobody else spoke.")])
    r = score_summary(case, summary, {"d": doc}.get)
    assert (r.facts, r.facts_covered, r.missing_facts) == (3, 2, ["40 boats rescued"])
    assert (r.citations, r.citations_valid, r.sentences_cited, r.sentences) == (2, 1, 2, 3)
    assert not r.correct
    report = Report(summaries=[r])
    assert report.fact_coverage == pytest.approx(2 / 3)
    assert report.summary_citation_validity == 0.5
    assert report.sentences_cited == pytest.approx(2 / 3)
    good = score_summary(SummaryCase(id="g", required_facts=("12 boats sank",)),
                         Summ([Sent("Alpha said 12 boats sank.", [ok])]), {"d": doc}.get)
    assert good.correct and good.coverage == 1.0
    too_long = score_summary(SummaryCase(id="l", max_sentences=1),
                             Summ([Sent("a", [ok]), Sent("b", [ok])]), {"d": doc}.get)
    assert not too_long.correct


def test_run_eval_runs_summary_cases_through_summarize():
    doc = _doc()
    asked = []

    def summarize(case):
        asked.append((case.document, case.topic, case.max_sentences))
        return Summ([Sent("Alpha said 12 boats sank.", [_cite(doc, 0, 25)])])

    cases = [SummaryCase(id="s", document="d", max_sentences=2, required_facts=("12 boats",)),
             Case(id="q", question="How many boats?", answer=12)]
    seen = []
    report = run_eval(cases, lambda q: ans("12 boats"), {"d": doc}.get, seen.append,
                      summarize=summarize)
    assert asked == [("d", None, 2)] and [r.id for r in seen] == ["s", "q"]
    totals = report.totals()
    assert totals["summary_cases"] == 1 and totals["fact_coverage"] == 1.0
    assert totals["sentences_cited"] == 1.0 and totals["cases"] == 1
    with pytest.raises(InputError, match="summarize"):
        run_eval(cases, lambda q: ans("12"), {}.get)


def test_run_eval_records_a_failing_case_and_goes_on():
    from assistant.errors import BackendError, ConfigError

    def ask(q):
        if q == "boom":
            raise BackendError("model server said 503")
        return ans("12")

    cases = [Case(id="a", question="boom", answer=12), Case(id="b", question="ok", answer=12)]
    report = run_eval(cases, ask, {}.get)
    assert [r.correct for r in report.results] == [False, True]
    assert report.results[0].error and report.totals()["errors"] == 1

    def no_config(q):
        raise ConfigError("set OPENAI_API_KEY")

    with pytest.raises(ConfigError):
        run_eval(cases, no_config, {}.get)


def test_seed_answers_carry_the_expected_flags(seed_cases, seed_answers, shared_assistant):
    """The flags expected on seed answers, scored on the real answers."""
    checked = [c for c in seed_cases if c.flags is not None]
    assert checked
    report = Report(results=[score_case(c, seed_answers[c.id], shared_assistant.document)
                             for c in checked])
    assert report.flag_recall == 1.0
    assert report.flag_precision == 1.0


def test_summary_cases_run_on_the_real_summarizer(shared_assistant):
    """``Assistant.summarize`` on the shipped corpus, scored by the runner: every citation
    verified against the stored text, within the sentence budget, the lead figure covered."""
    from assistant.evals import summarize_with

    case = SummaryCase(id="nk", document="north-korea-troops", max_sentences=5,
                       required_facts=("around 11,000 elite troops",))
    report = run_eval([case], shared_assistant.ask, shared_assistant.document,
                      summarize=summarize_with(shared_assistant))
    (r,) = report.summaries
    assert r.error is None and 1 <= r.sentences <= 5
    assert r.citations >= r.sentences_cited >= 1
    assert report.summary_citation_validity == 1.0
    assert r.facts_covered == 1, r.text
    assert report.totals() == {"cases": 0, "summary_cases": 1, "fact_coverage": 1.0,
                               "summary_citation_validity": 1.0,
                               "sentences_cited": report.totals()["sentences_cited"]}
