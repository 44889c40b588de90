"""Incremental ingest into a real embedded Chroma store, and the same through a Chroma server."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import StoreError
from assistant.ground import verify
from assistant.ingest import chunk_document, read_document


@pytest.fixture
def articles(tmp_path, fixtures_dir) -> Path:
    """A writable copy of the fixture articles."""
    folder = tmp_path / "articles"
    shutil.copytree(fixtures_dir / "articles", folder)
    return folder


def chunk_ids(assistant, document_id=None):
    return sorted(c.id for c in assistant.store.all_chunks()
                  if document_id is None or c.document_id == document_id)


def test_ingest_folder_adds_every_article(fresh_assistant, articles):
    report = fresh_assistant.ingest(articles, progress=False)
    assert sorted(report.added) == ["alpha", "beta", "page"]
    assert report.updated == report.unchanged == report.removed == []
    assert report.errors == []
    chunks = fresh_assistant.store.all_chunks()
    assert report.chunks_embedded == len(chunks) > 0
    infos = {d.id: d for d in fresh_assistant.documents()}
    assert set(infos) == {"alpha", "beta", "page"}
    assert infos["alpha"].title == "Glenmoor Library Reopens After Flood Repairs"
    assert infos["alpha"].metadata["outlet"] == "Glenmoor Gazette"
    assert infos["alpha"].metadata["date"] == "2025-05-02"
    assert sum(d.chunks for d in infos.values()) == len(chunks)
    # The stored text is the text citations point into, and the chunks point into it.
    for c in chunks:
        doc = fresh_assistant.document(c.document_id)
        assert doc.text[c.start:c.end] == c.text


def test_reingest_unchanged_embeds_nothing(fresh_assistant, articles):
    fresh_assistant.ingest(articles, progress=False)
    before = chunk_ids(fresh_assistant)
    revision = fresh_assistant.store.revision()
    docs_before = fresh_assistant.documents()
    report = fresh_assistant.ingest(articles, progress=False)
    assert report.chunks_embedded == 0
    assert sorted(report.unchanged) == ["alpha", "beta", "page"]
    assert report.added == report.updated == report.removed == []
    assert chunk_ids(fresh_assistant) == before
    assert fresh_assistant.documents() == docs_before
    assert fresh_assistant.store.revision() == revision


def test_modified_file_replaces_only_its_chunks(fresh_assistant, articles, settings):
    fresh_assistant.ingest(articles, progress=False)
    old_alpha = chunk_ids(fresh_assistant, "alpha")
    others = chunk_ids(fresh_assistant, "beta") + chunk_ids(fresh_assistant, "page")
    f = articles / "alpha.txt"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "roughly 18,000 books", "roughly 21,500 books"), encoding="utf-8")
    report = fresh_assistant.ingest(articles, progress=False)
    assert report.updated == ["alpha"]
    assert sorted(report.unchanged) == ["beta", "page"]
    assert report.added == report.removed == []
    expected = chunk_document(read_document(f, settings), settings)
    assert report.chunks_embedded == len(expected)
    new_alpha = chunk_ids(fresh_assistant, "alpha")
    assert new_alpha == sorted(c.id for c in expected)
    assert not set(old_alpha) & set(new_alpha), "chunks of the old version are gone"
    assert chunk_ids(fresh_assistant, "beta") + chunk_ids(fresh_assistant, "page") == others
    assert "21,500" in fresh_assistant.document("alpha").text
    assert "18,000" not in fresh_assistant.document("alpha").text


def test_deleted_file_is_removed_with_its_chunks(fresh_assistant, articles):
    fresh_assistant.ingest(articles, progress=False)
    assert chunk_ids(fresh_assistant, "beta")
    (articles / "beta.md").unlink()
    report = fresh_assistant.ingest(articles, progress=False)
    assert report.removed == ["beta"]
    assert report.chunks_embedded == 0
    assert all(c.document_id != "beta" for c in fresh_assistant.store.all_chunks())
    assert fresh_assistant.document("beta") is None
    assert [d.id for d in fresh_assistant.documents()] == ["alpha", "page"]


def test_ingesting_another_folder_does_not_remove_documents(fresh_assistant, articles,
                                                            fixtures_dir):
    fresh_assistant.ingest(articles, progress=False)
    report = fresh_assistant.ingest(fixtures_dir / "conflict", progress=False)
    assert report.removed == []
    assert {d.id for d in fresh_assistant.documents()} == {
        "alpha", "beta", "page", "harbor-authority", "harbor-weekly"}


def test_bad_files_are_reported_and_the_rest_ingested(fresh_assistant, articles, fixtures_dir):
    shutil.copy(fixtures_dir / "bad" / "empty.txt", articles / "empty.txt")
    (articles / "latin.txt").write_bytes("Le café a rouvert. Les clients sont revenus.".encode("latin-1"))
    docx = fixtures_dir / "bad" / "notes.docx"
    report = fresh_assistant.ingest([articles, docx], progress=False)
    assert sorted(report.added) == ["alpha", "beta", "page"]
    errors = {Path(e.path).name: e.message for e in report.errors}
    assert set(errors) == {"empty.txt", "latin.txt", "notes.docx"}
    assert "empty" in errors["empty.txt"]
    assert "UTF-8" in errors["latin.txt"]
    assert "unsupported file type" in errors["notes.docx"]
    assert {d.id for d in fresh_assistant.documents()} == {"alpha", "beta", "page"}


def test_unreadable_file_keeps_its_stored_version(fresh_assistant, articles):
    fresh_assistant.ingest(articles, progress=False)
    before_doc = fresh_assistant.document("alpha")
    before_chunks = chunk_ids(fresh_assistant, "alpha")
    (articles / "alpha.txt").write_bytes("Caf\xe9 text that is not UTF-8.".encode("latin-1"))
    report = fresh_assistant.ingest(articles, progress=False)
    assert [Path(e.path).name for e in report.errors] == ["alpha.txt"]
    assert "UTF-8" in report.errors[0].message
    assert report.removed == [] and report.updated == []
    assert fresh_assistant.document("alpha") == before_doc
    assert chunk_ids(fresh_assistant, "alpha") == before_chunks
    answer = fresh_assistant.ask("How many books did the Glenmoor library lose to the flood?")
    assert not answer.abstained and "18,000" in answer.text


def test_same_file_name_in_two_folders_gets_two_ids(fresh_assistant, tmp_path, fixtures_dir):
    for sub in ("east", "west"):
        (tmp_path / sub).mkdir()
        shutil.copy(fixtures_dir / "articles" / "alpha.txt", tmp_path / sub / "alpha.txt")
    report = fresh_assistant.ingest([tmp_path / "east", tmp_path / "west"], progress=False)
    assert len(report.added) == 2 and report.added[0] == "alpha"
    assert report.added[1].startswith("alpha-")
    again = fresh_assistant.ingest([tmp_path / "east", tmp_path / "west"], progress=False)
    assert sorted(again.unchanged) == sorted(report.added)
    sources = {d.id: d.source for d in fresh_assistant.documents()}
    assert sources[report.added[0]] != sources[report.added[1]]


def test_front_matter_edit_is_picked_up_by_reingest(fresh_assistant, articles):
    """Changing only an article's metadata (here its date) must update the stored document:
    ``ingest`` documents that changed files are replaced, and listings show the metadata."""
    fresh_assistant.ingest(articles, progress=False)
    f = articles / "alpha.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("date: 2025-05-02", "date: 2025-05-03"),
                 encoding="utf-8")
    report = fresh_assistant.ingest(articles, progress=False)
    assert "alpha" not in report.unchanged
    info = {d.id: d for d in fresh_assistant.documents()}["alpha"]
    assert info.metadata["date"] == "2025-05-03"


def test_remove_deletes_document_and_chunks(fresh_assistant, articles):
    fresh_assistant.ingest(articles, progress=False)
    assert fresh_assistant.remove("page") is True
    assert fresh_assistant.remove("page") is False
    assert fresh_assistant.document("page") is None
    assert chunk_ids(fresh_assistant, "page") == []


def test_store_survives_reopening(settings, articles):
    first = Assistant(settings=settings)
    first.ingest(articles, progress=False)
    ids = chunk_ids(first)
    del first
    second = Assistant(settings=settings)
    assert chunk_ids(second) == ids
    report = second.ingest(articles, progress=False)
    assert report.chunks_embedded == 0


def test_unreachable_server_is_a_store_error(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    settings = Settings.from_env(env={}, store_dir=tmp_path / "s", collection_prefix="unreach")
    with pytest.raises(StoreError) as err:
        Assistant(store=f"http://127.0.0.1:{port}", settings=settings)
    assert f"127.0.0.1:{port}" in str(err.value)


# ---- the same through a real Chroma server ------------------------------------------------


@pytest.mark.server
def test_server_ingest_and_ask(chroma_server, server_settings, articles):
    assistant = Assistant(store=chroma_server, settings=server_settings)
    assert assistant.settings.chroma_url == chroma_server
    report = assistant.ingest(articles, progress=False)
    assert sorted(report.added) == ["alpha", "beta", "page"]
    assert not server_settings.store_dir.exists(), "a server store writes nothing locally"
    again = assistant.ingest(articles, progress=False)
    assert again.chunks_embedded == 0 and sorted(again.unchanged) == ["alpha", "beta", "page"]

    answer = assistant.ask("How many books did the Glenmoor library lose to the flood?")
    assert not answer.abstained
    assert "18,000" in answer.text
    assert answer.citations
    cited = answer.citations[0]
    assert cited.document_id == "alpha"
    doc = assistant.document("alpha")
    assert verify(cited, doc)
    assert doc.text[cited.start:cited.end] == cited.quote
    assert "18,000" in cited.quote

    # A second client on the same server and prefix sees the same store.
    other = Assistant(store=chroma_server, settings=server_settings)
    assert [d.id for d in other.documents()] == ["alpha", "beta", "page"]


@pytest.mark.server
def test_server_collections_are_isolated_by_prefix(chroma_server, tmp_path):
    s = Settings.from_env(env={}, store_dir=tmp_path / "x",
                          collection_prefix="e" + uuid.uuid4().hex[:8])
    assistant = Assistant(store=chroma_server, settings=s)
    assert assistant.documents() == []
    assert assistant.store.chunk_count() == 0
