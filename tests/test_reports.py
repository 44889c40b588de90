"""assistant.reports (Markdown, HTML, --compare) and the ``assistant eval`` command's reports
and gates, run in-process on a real store (real Chroma, real MiniLM)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from assistant.cli import main
from assistant.errors import InputError
from assistant.evals import CaseResult, Report, SummaryResult
from assistant.reports import (bar_chart_svg, compare, comparison_lines, load_report, to_html,
                               to_markdown)


def _r(id, correct, type="who", difficulty="easy", got="x", expected="y", abstained=False):
    return CaseResult(id=id, question=f"q {id}?", type=type, expected=expected, got=got,
                      abstained=abstained, correct=correct, citations=2, citations_valid=2,
                      supported=correct, seconds=0.5, tags={"type": type,
                                                            "difficulty": difficulty})


def _report() -> Report:
    summary = SummaryResult(id="sum", document="d", topic=None, text="A. B.", sentences=2,
                            max_sentences=5, facts=2, facts_covered=1,
                            missing_facts=["40 boats"], citations=2, citations_valid=2,
                            sentences_cited=2, flags=0, seconds=0.1, tags={"type": "summary"})
    return Report(results=[_r("a", True), _r("b", False, got="<b>bold</b> & more"),
                           _r("c", True, type="how_many", difficulty="hard"),
                           _r("u", True, type="unanswerable", expected=None, abstained=True)],
                  summaries=[summary], meta={"files": ["x.jsonl"], "mode": "offline"})


def test_report_dict_is_json_and_has_breakdowns():
    data = json.loads(json.dumps(_report().to_dict()))
    assert data["totals"]["cases"] == 4 and data["totals"]["answer_accuracy"] == 0.75
    assert data["totals"]["summary_cases"] == 1 and data["totals"]["fact_coverage"] == 0.5
    assert data["breakdown"]["type"]["who"] == {
        "cases": 2, "answer_accuracy": 0.5, "abstention_recall": None, "false_abstentions": 0,
        "citation_support": 0.5, "latency_p50_s": 0.5}
    assert set(data["breakdown"]) == {"type", "difficulty"}
    assert data["summaries"][0]["coverage"] == 0.5


def test_markdown_report():
    md = to_markdown(_report().to_dict())
    assert md.startswith("# Eval report")
    assert "| answer accuracy | 0.750 |" in md
    assert "## By type" in md and "| how_many | 1 | 1.000 |" in md
    assert "## By difficulty" in md
    assert "| FAIL | b | who |" in md
    assert "## Summaries" in md and "40 boats" in md


def test_html_report_is_self_contained_with_an_svg_chart():
    page = to_html(_report().to_dict())
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    for banned in ("<script", "<link", "src=", "href=", "@import", "url("):
        assert banned not in page
    svg = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)                         # well-formed XML
    bars = [el for el in root.iter("{http://www.w3.org/2000/svg}rect")
            if el.get("class") == "bar"]
    assert len(bars) == 3                             # how_many, unanswerable, who
    widths = {b.find("{http://www.w3.org/2000/svg}title").text: float(b.get("width")) for b in bars}
    assert widths["who: 0.500"] * 2 == pytest.approx(widths["how_many: 1.000"])
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page and "<b>bold</b>" not in page


def test_bar_chart_escapes_labels_and_clamps_values():
    svg = bar_chart_svg({"<who>": 1.5, "none": -1.0})
    ET.fromstring(svg)
    assert "&lt;who&gt;" in svg


def test_compare_lists_regressions_improvements_and_deltas():
    old = _report().to_dict()
    new_report = _report()
    new_report.results[0].correct = False            # a: pass -> fail
    new_report.results[1].correct = True             # b: fail -> pass
    new_report.results[1].got = "fixed"
    new_report.results.append(_r("n", True))          # only in the new run
    new = new_report.to_dict()
    old["results"].append({"id": "gone", "correct": True, "got": "g"})
    c = compare(old, new)
    assert [ch.id for ch in c.regressions] == ["a"]
    assert [(ch.id, ch.after) for ch in c.improvements] == [("b", "fixed")]
    assert c.added == ["n"] and c.removed == ["gone"]
    assert c.deltas["answer_accuracy"] == {"before": 0.75, "after": 0.8, "delta": 0.05}
    assert c.deltas["cases"]["delta"] == 1
    text = "\n".join(comparison_lines(c))
    assert "1 regression(s), 1 improvement(s)" in text and "REGRESSED  a" in text
    assert "answer_accuracy 0.750 → 0.800 (+0.05)" in text
    md, page = to_markdown(new, c), to_html(new, c)
    assert "## Compared with the earlier run" in md and "| a | regressed |" in md
    assert "Compared with the earlier run" in page
    same = compare(new, new)
    assert not same.regressions and not same.improvements
    assert all(d["delta"] == 0 for d in same.deltas.values())


def test_load_report_rejects_what_is_not_a_report(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"results": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not an eval report"):
        load_report(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_report(tmp_path / "missing.json")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_report().to_dict()), encoding="utf-8")
    assert load_report(good)["totals"]["cases"] == 4


# ---- the command, in-process, on a real store ---------------------------------------------

CASES = """\
cases:
  - id: ceo
    question: Who is the chief executive of Veridian Silicon?
    answer: Priya Ramanathan
    citation: {document: semiconductor-plant-opening, quote: chief executive Priya Ramanathan}
    tags: {type: who, difficulty: easy}
  - id: ceo-wrong-on-purpose
    question: Who is the chief executive of Veridian Silicon?
    answer: Raymond Quist
    tags: {type: who, difficulty: hard}
  - id: off-topic
    question: Who won the men's marathon at the 2024 Paris Olympics?
    answer: null
    tags: {type: unanswerable, difficulty: easy}
"""


@pytest.fixture
def clean_env(monkeypatch):
    import os

    for key in list(os.environ):
        if key.startswith("ASSISTANT_") or key in {"OPENAI_API_KEY", "OPENAI_BASE_URL"}:
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="module")
def eval_run(tmp_path_factory):
    """One ``assistant eval`` on a fresh store with every report and a --compare."""
    import os

    saved = {k: os.environ.pop(k) for k in list(os.environ)
             if k.startswith("ASSISTANT_") or k in {"OPENAI_API_KEY", "OPENAI_BASE_URL"}}
    tmp = tmp_path_factory.mktemp("eval-cli")
    cases = tmp / "cases.yaml"
    cases.write_text(CASES, encoding="utf-8")
    old = tmp / "old.json"
    old.write_text(json.dumps({"totals": {"cases": 3, "answer_accuracy": 0.5},
                               "results": [{"id": "ceo", "correct": False, "got": "?"},
                                           {"id": "ceo-wrong-on-purpose", "correct": True,
                                            "got": "Raymond Quist"}]}), encoding="utf-8")
    paths = {k: tmp / f"report.{k}" for k in ("json", "md", "html")}
    argv = ["eval", str(cases), "--store", str(tmp / "store"), "--out", str(paths["json"]),
            "--md", str(paths["md"]), "--html", str(paths["html"]), "--compare", str(old),
            "--min-accuracy", "0.6", "--min-citation-validity", "1.0",
            "--min-abstention-recall", "1.0"]
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.environ.update(saved)
    return code, out.getvalue(), err.getvalue(), paths, tmp, cases


def test_eval_command_writes_reports_and_compares(eval_run):
    code, stdout, stderr, paths, _, _ = eval_run
    assert code == 0, stderr
    assert "Traceback" not in stderr
    lines = stdout.splitlines()
    assert sum(line.startswith(("PASS", "FAIL")) for line in lines) == 3
    assert any(line.startswith("FAIL  ceo-wrong-on-purpose") for line in lines)
    assert any(line.startswith("totals: cases=3") for line in lines)
    assert "compare: 1 regression(s), 1 improvement(s)" in stdout
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["totals"]["answer_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["totals"]["citation_validity"] == 1.0
    assert report["totals"]["abstention_recall"] == 1.0
    assert [c["id"] for c in report["comparison"]["regressions"]] == ["ceo-wrong-on-purpose"]
    assert report["breakdown"]["type"]["who"]["cases"] == 2
    assert report["meta"]["mode"] == "offline"
    md = paths["md"].read_text(encoding="utf-8")
    assert "## By type" in md and "## Compared with the earlier run" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page


def test_eval_command_gates_fail_with_exit_1(eval_run, capsys, clean_env):
    _, _, _, _, tmp, cases = eval_run
    code = main(["eval", str(cases), "--store", str(tmp / "store"), "--no-ingest",
                 "--min-accuracy", "0.9", "--min-citation-validity", "1.01",
                 "--min-abstention-recall", "1.0"])
    err = capsys.readouterr().err
    assert code == 1
    assert "answer accuracy 0.667 is below --min-accuracy 0.9" in err
    assert "citation validity 1.000 is below --min-citation-validity 1.01" in err
    assert "abstention recall" not in err          # that gate was met
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, code, message", [
    (["eval", "evals/seed.jsonl", "--mode", "openai"], 1, "error: --mode openai: "),
    (["eval", "evals/seed.jsonl", "--judge"], 1, "error: --judge needs an LLM"),
    (["eval"], 2, "error: name at least one eval file"),
    (["eval", "no/such/file.jsonl"], 2, "error: no eval file no/such/file.jsonl"),
])
def test_eval_command_usage_errors_are_clear(argv, code, message, capsys, clean_env, tmp_path):
    assert main(argv + ["--store", str(tmp_path / "store")]) == code
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err
