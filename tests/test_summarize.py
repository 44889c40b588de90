"""Cited summaries: real MiniLM, real spaCy, real Chroma; every citation checked against the store."""

from __future__ import annotations

import json
import re

import pytest

from assistant.errors import InputError
from assistant.ground import verify
from assistant.models import Citation, Flag, Summary, SummarySentence

from conftest import run_cli

SEED = "north-korea-troops"


def assert_all_verified(assistant, summary: Summary) -> None:
    assert summary.sentences
    for s in summary.sentences:
        assert s.citations, s
        for c in s.citations:
            doc = assistant.document(c.document_id)
            assert verify(c, doc), c
            assert doc.text[c.start:c.end] == c.quote


def content(summary: Summary) -> list[SummarySentence]:
    return [s for s in summary.sentences if not s.text.startswith("Flagged inconsistencies:")]


@pytest.fixture(scope="module")
def seed_summary(shared_assistant):
    return shared_assistant.summarize(SEED)


def test_seed_summary_covers_the_key_facts(shared_assistant, seed_summary):
    s = seed_summary
    assert 1 <= len(s.sentences) <= 5
    assert_all_verified(shared_assistant, s)
    text = s.text
    assert "11,000" in text
    assert "30,000" in text and "25,000" in text and "National Intelligence Service" in text
    assert "Partnership Agreement" in text
    for sent in content(s):
        # offline, each sentence is the exact text it cites
        assert len(sent.citations) == 1 and sent.citations[0].quote == sent.text
        assert sent.citations[0].document_id == SEED
    starts = [sent.citations[0].start for sent in content(s)]
    assert starts == sorted(starts)  # document order
    assert s.document_ids == [SEED] and s.mode == "offline" and s.topic is None


def test_seed_summary_ends_with_its_flags(shared_assistant, seed_summary):
    flags = shared_assistant.check(SEED)
    assert flags, "the seed article carries deliberate inconsistencies"
    last = seed_summary.sentences[-1]
    assert last.text.startswith("Flagged inconsistencies:")
    for f in flags:
        assert f.kind.replace("_", " ") in last.text
        assert set(f.citations) <= set(last.citations)
    assert [f.kind for f in seed_summary.flags] == [f.kind for f in flags]
    assert sum(sent.text.startswith("Flagged") for sent in seed_summary.sentences) == 1


def test_no_flag_line_without_flags(shared_assistant):
    clean = [d.id for d in shared_assistant.documents() if not shared_assistant.check(d.id)]
    assert clean
    for did in clean[:2]:
        s = shared_assistant.summarize(did, max_sentences=3)
        assert s.flags == []
        assert not any("Flagged" in sent.text for sent in s.sentences)
        assert 1 <= len(s.sentences) <= 3
        assert_all_verified(shared_assistant, s)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_max_sentences(shared_assistant, n):
    s = shared_assistant.summarize(SEED, max_sentences=n)
    assert 1 <= len(s.sentences) <= max(n, 2)  # one sentence still gets the flag line
    if n > 1:
        assert len(s.sentences) <= n
    assert_all_verified(shared_assistant, s)
    assert "11,000" in s.text  # the lead figure survives any budget


def test_several_articles(shared_assistant):
    s = shared_assistant.summarize(["pentagon-troop-estimate", "kursk-casualties"], max_sentences=5)
    assert_all_verified(shared_assistant, s)
    cited = [sent.citations[0].document_id for sent in content(s)]
    assert set(cited) == {"pentagon-troop-estimate", "kursk-casualties"}
    assert cited == sorted(cited, key=cited.index)  # grouped by article
    assert "12,000" in s.text and "4,000" in s.text


def test_topic_across_the_corpus(shared_assistant):
    s = shared_assistant.summarize(topic="North Korean troops fighting for Russia", max_sentences=5)
    assert_all_verified(shared_assistant, s)
    distractors = {"millbrook-water-budget", "coffee-harvest-drought", "semiconductor-plant-opening",
                   "lakeshore-marathon-result"}
    assert not set(s.document_ids) & distractors
    assert SEED in s.document_ids
    assert re.search(r"1[12],000", s.text)
    # only flags touching what the summary cites are named
    cited = {(c.document_id, c.start, c.end) for sent in content(s) for c in sent.citations}
    for f in s.flags:
        assert any(c.document_id == d and c.start < e and b < c.end
                   for c in f.citations for d, b, e in cited)
    coffee = shared_assistant.summarize(topic="drought and the coffee harvest in Brazil",
                                        max_sentences=3)
    assert coffee.document_ids == ["coffee-harvest-drought"]
    assert_all_verified(shared_assistant, coffee)


def test_bad_input(shared_assistant):
    with pytest.raises(InputError):
        shared_assistant.summarize()
    with pytest.raises(InputError):
        shared_assistant.summarize("no-such-article")
    with pytest.raises(InputError):
        shared_assistant.summarize(SEED, max_sentences=0)


def test_redundant_sentences_are_said_once(fresh_assistant, tmp_path):
    """MMR: a sentence repeating one already picked (same figure, same meaning) is skipped."""
    body = ("Rivermouth council said on Monday that about 1,200 homes were flooded overnight. "
            "About 1,200 homes were flooded overnight, the Rivermouth council said on Monday. "
            "The town's mayor, Ada Fenn, expects repairs to take up to six months. "
            "Forecasters predict that more rain may fall on Thursday. "
            "Schools in the lower town will stay closed this week, officials said.")
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "rivermouth-flood.txt").write_text("Rivermouth floods\n\n" + body + "\n", encoding="utf-8")
    fresh_assistant.ingest([folder], progress=False)
    s = fresh_assistant.summarize("rivermouth-flood", max_sentences=4)
    assert_all_verified(fresh_assistant, s)
    assert s.text.count("1,200") == 1
    assert "Ada Fenn" in s.text


def test_summary_to_dict_shape():
    c = Citation("d", "T", "/x", 0, 3, "abc")
    s = Summary(sentences=[SummarySentence("abc", (c,))],
                flags=[Flag("number_conflict", "m", (c,))], document_ids=["d"])
    d = json.loads(json.dumps(s.to_dict()))
    assert d["summary"] == "abc"
    assert d["sentences"] == [{"text": "abc", "citations": [c.to_dict()]}]
    assert d["flags"][0]["kind"] == "number_conflict"
    assert {"summary", "sentences", "flags"} <= set(d)


def test_cli_summarize(tmp_path, corpus_dir):
    store = str(tmp_path / "store")
    proc = run_cli("ingest", str(corpus_dir), "--store", store)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("summarize", SEED, "--json", "--store", store)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"summary", "sentences", "flags"} <= set(data)
    assert isinstance(data["summary"], str) and "11,000" in data["summary"]
    assert 1 <= len(data["sentences"]) <= 5
    for sent in data["sentences"]:
        assert set(sent) == {"text", "citations"} and sent["citations"]
        for c in sent["citations"]:
            assert set(c) == {"document_id", "title", "source", "start", "end", "quote"}
    assert data["flags"] and data["sentences"][-1]["text"].startswith("Flagged inconsistencies:")
    proc = run_cli("summarize", "--topic", "coffee harvest", "--max-sentences", "2",
                   "--store", store)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert 1 <= len(lines) <= 2 and all("[coffee-harvest-drought " in ln for ln in lines)
    proc = run_cli("summarize", "--store", store)
    assert proc.returncode == 2 and "document id or a topic" in proc.stderr
