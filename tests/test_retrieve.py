"""Hybrid retrieval (Chroma dense + BM25 lexical, RRF-fused) on the shipped corpus."""

from __future__ import annotations

import shutil

import pytest

from assistant.errors import StoreError

QUESTIONS = [
    ("How many troops has North Korea deployed?", "north-korea-troops"),
    ("How many shipping containers of munitions has North Korea sent to Russia?",
     "nis-briefing-munitions"),
    ("Who is the chief executive of Veridian Silicon?", "semiconductor-plant-opening"),
    ("When do Millbrook's new water rates take effect?", "millbrook-water-budget"),
    ("What drones does the Alabuga factory assemble?", "drone-plant-workers"),
    ("How many bags of coffee will the cooperative harvest?", "coffee-harvest-drought"),
    ("Who won the women's race at the marathon?", "lakeshore-marathon-result"),
]


@pytest.mark.parametrize("question, document_id", QUESTIONS)
def test_relevant_document_is_in_top_k(shared_assistant, question, document_id):
    passages = shared_assistant.retriever.retrieve(question, k=6)
    assert 0 < len(passages) <= 6
    assert document_id in {p.chunk.document_id for p in passages}
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    for p in passages:
        assert p.dense_rank is not None or p.lexical_rank is not None


def test_passages_point_into_the_stored_text(shared_assistant):
    for p in shared_assistant.retriever.retrieve("North Korean casualties in Kursk", k=8):
        doc = shared_assistant.document(p.chunk.document_id)
        assert doc.text[p.chunk.start:p.chunk.end] == p.chunk.text


def test_both_rankers_contribute(shared_assistant):
    passages = shared_assistant.retriever.retrieve("Plekhovo Sudzha heaviest losses", k=6)
    assert any(p.lexical_rank == 1 for p in passages)
    assert any(p.dense_rank is not None for p in passages)
    assert passages[0].chunk.document_id == "kursk-casualties"


def test_document_filter_restricts_results(shared_assistant):
    wanted = ["millbrook-water-budget", "lakeshore-marathon-result"]
    passages = shared_assistant.retriever.retrieve("How many troops has North Korea deployed?",
                                                   k=10, document_ids=wanted)
    assert passages
    assert {p.chunk.document_id for p in passages} <= set(wanted)
    single = shared_assistant.retriever.retrieve("troops", k=10, document_ids=["kursk-casualties"])
    assert single and {p.chunk.document_id for p in single} == {"kursk-casualties"}


def test_ask_with_document_filter_cites_only_those_documents(shared_assistant):
    answer = shared_assistant.ask("How many North Korean soldiers are serving with Russian forces?",
                                  document_ids=["pentagon-troop-estimate"])
    assert {c.document_id for c in answer.citations} <= {"pentagon-troop-estimate"}


def test_lexical_index_covers_the_whole_store(shared_assistant, shared_ingest_report):
    lex = shared_assistant.retriever.lexical()
    assert lex.revision == shared_assistant.store.revision()
    assert lex.n == len(lex.chunks) == shared_assistant.store.chunk_count()
    assert lex.n == shared_ingest_report.chunks_embedded
    assert lex.idf("zzzunseen") > lex.idf("north")


def test_lexical_index_is_rebuilt_when_the_store_changes(fresh_assistant, fixtures_dir, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(fixtures_dir / "articles", folder)
    fresh_assistant.ingest(folder, progress=False)
    retriever = fresh_assistant.retriever
    first = retriever.lexical()
    assert retriever.lexical() is first, "cached while the revision is unchanged"
    assert {c.document_id for c in first.chunks} == {"alpha", "beta", "page"}

    fresh_assistant.ingest(fixtures_dir / "conflict", progress=False)
    second = retriever.lexical()
    assert second.revision > first.revision
    assert {c.document_id for c in second.chunks} == {
        "alpha", "beta", "page", "harbor-authority", "harbor-weekly"}
    hits = retriever.retrieve("gantry cranes stranded containers", k=3)
    assert hits[0].chunk.document_id in {"harbor-authority", "harbor-weekly"}
    assert any(p.lexical_rank is not None and p.chunk.document_id.startswith("harbor")
               for p in hits)

    fresh_assistant.remove("harbor-weekly")
    third = retriever.lexical()
    assert third.revision > second.revision
    assert "harbor-weekly" not in {c.document_id for c in third.chunks}
    assert all(p.chunk.document_id != "harbor-weekly"
               for p in retriever.retrieve("brokers counted containers", k=10))


def test_empty_store_retrieves_nothing_and_ask_says_to_ingest(fresh_assistant):
    assert fresh_assistant.retriever.retrieve("anything at all", k=5) == []
    with pytest.raises(StoreError, match="empty.*ingest"):
        fresh_assistant.ask("How many troops has North Korea deployed?")
