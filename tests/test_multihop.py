"""assistant.multihop: the MultiHop-RAG adapter, on a small hand-written file in the data set's
schema (the real sample lives outside the repository), with real stores and MiniLM."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.errors import InputError
from assistant.multihop import (PUBLISHED, evidence_files, extractive_ceiling, load_queries,
                                run_multihop, select, to_case)


def _ev(title, fact, source="Example Wire", date="2023-10-01T10:00:00+00:00"):
    return {"author": None, "category": "business", "fact": fact, "published_at": date,
            "source": source, "title": title, "url": "https://example.org/x"}


RECORDS = [
    # A single-hop question: these tests check the adapter's plumbing, not the reader.
    {"id": "0", "query": "Who founded Acme Robotics?",
     "answer": "Jane Okoro", "question_type": "inference_query",
     "evidence_list": [_ev("Acme Robotics profile", "Acme Robotics was founded by Jane Okoro in 2011."),
                       _ev("Acme opens Ohio plant", "Acme Robotics opened a plant in Ohio in 2023."),
                       _ev("Acme opens Ohio plant", "Acme Robotics opened a plant in Ohio in 2023.")]},
    {"id": "1", "query": "Do both reports say that Acme Robotics opened a plant?", "answer": "Yes",
     "question_type": "comparison_query",
     "evidence_list": [_ev("A", "Acme Robotics opened a plant."), _ev("B", "Acme opened a plant.")]},
    {"id": "2", "query": "Who won the 2031 Antarctic chess championship?",
     "answer": "Insufficient information.", "question_type": "null_query", "evidence_list": []},
    {"id": "3", "query": "Which firm did Jane Okoro found?", "answer": "Acme Robotics",
     "question_type": "inference_query",
     "evidence_list": [_ev("Profile", "Acme Robotics was founded by Jane Okoro in 2011.")]},
]


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "mh"
    d.mkdir()
    (d / "queries_sample500.jsonl").write_text(
        "\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    return d


def test_load_and_select(data_dir):
    qs = load_queries(data_dir)
    assert [q.id for q in qs] == ["0", "1", "2", "3"]
    assert len(qs[0].evidence) == 3 and qs[2].evidence == ()
    assert [q.id for q in select(qs, ["inference"], limit=1)] == ["0"]
    assert [q.id for q in select(qs, ["inference_query", "null"])] == ["0", "2", "3"]
    assert len(select(qs)) == 4
    with pytest.raises(InputError, match="unknown MultiHop-RAG type"):
        select(qs, ["bridge"])
    with pytest.raises(InputError, match="at least 1"):
        select(qs, limit=0)
    with pytest.raises(InputError, match="cannot read the MultiHop-RAG sample"):
        load_queries(data_dir / "missing")


def test_cases_and_evidence_documents(data_dir, tmp_path):
    qs = load_queries(data_dir)
    assert to_case(qs[2]).answer is None and to_case(qs[2]).type == "null"
    case = to_case(qs[0])
    assert case.answer == "Jane Okoro" and case.tags["condition"] == "gold evidence"
    files = evidence_files(qs[0], tmp_path / "docs")
    assert len(files) == 2                            # one per evidence article
    body = files[1].read_text(encoding="utf-8")
    assert body.startswith('---\ntitle: "Acme opens Ohio plant"\nsource: Example Wire\n'
                           "date: 2023-10-01\n---\n")
    assert body.count("opened a plant in Ohio") == 1  # a repeated fact is written once
    assert extractive_ceiling(qs[0]) and not extractive_ceiling(qs[1])


def test_run_multihop_on_real_stores(data_dir, shared_assistant, settings):
    qs = [q for q in load_queries(data_dir) if q.id in {"0", "2"}]
    seen = []
    result = run_multihop(qs, settings, embedder=shared_assistant.embedder,
                          corpus_assistant=shared_assistant, progress=seen.append)
    by_id = {r.id: r for r in result.report.results}
    assert [r.id for r in seen] == ["multihop-0", "multihop-2"]
    gold = by_id["multihop-0"]
    assert gold.correct and not gold.abstained, gold.got
    assert gold.citations >= 1 and gold.citations_valid == gold.citations
    assert by_id["multihop-2"].abstained and by_id["multihop-2"].correct
    totals = result.totals()
    assert totals["gold_evidence_accuracy"] == 1.0 and totals["null_abstention_rate"] == 1.0
    md = result.to_markdown()
    assert "GPT-4 0.89" in md and "| inference | 1 | 1.000 |" in md
    data = json.loads(json.dumps(result.to_dict()))
    assert data["published"] == PUBLISHED and "ODC-BY" in data["meta"]["data"]


def test_multihop_command(data_dir, tmp_path, capsys, monkeypatch):
    import os

    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            monkeypatch.delenv(key, raising=False)
    out = tmp_path / "mh.json"
    code = main(["eval", "--multihop", "--multihop-data", str(data_dir), "--types", "inference",
                 "--limit", "1", "--store", str(tmp_path / "unused"), "--out", str(out),
                 "--min-accuracy", "0.5"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "multihop totals: queries=1" in captured.out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["totals"]["gold_evidence_accuracy"] == 1.0
    assert report["results"][0]["tags"]["multihop_id"] == "0"
    assert not (tmp_path / "unused").exists()         # no null queries: no corpus store opened
