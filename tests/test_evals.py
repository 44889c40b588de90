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
