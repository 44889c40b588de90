"""The ``assistant`` command, run as a real subprocess (``python -m assistant``)."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

REQUIRED_KEYS = {"question", "answer", "abstained", "citations", "flags", "mode"}
CITATION_KEYS = {"document_id", "title", "source", "start", "end", "quote"}


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory, fixtures_dir):
    """A store filled by ``assistant ingest`` with the fixture articles."""
    store = tmp_path_factory.mktemp("cli") / "store"
    proc = run_cli("ingest", str(fixtures_dir / "articles"), "--store", str(store), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert sorted(report["added"]) == ["alpha", "beta", "page"]
    assert report["errors"] == [] and report["chunks_embedded"] >= 3
    assert "Traceback" not in proc.stderr
    return store


def test_ask_json(cli_store, fixtures_dir):
    question = "How many books did the Glenmoor library lose to the flood?"
    proc = run_cli("ask", question, "--json", "--store", str(cli_store))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert REQUIRED_KEYS <= set(data), set(data)
    assert data["question"] == question
    assert data["abstained"] is False
    assert "18,000" in data["answer"]
    assert data["mode"] == "offline"
    assert isinstance(data["flags"], list)
    assert data["citations"], data
    text = (fixtures_dir / "articles" / "alpha.txt").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2].strip()  # the stored text: front matter removed
    for c in data["citations"]:
        assert CITATION_KEYS <= set(c), set(c)
        assert c["document_id"] == "alpha"
        assert c["title"] == "Glenmoor Library Reopens After Flood Repairs"
        assert c["source"] == str((fixtures_dir / "articles" / "alpha.txt").resolve())
        assert isinstance(c["start"], int) and isinstance(c["end"], int)
        assert body[c["start"]:c["end"]] == c["quote"]
    assert any("18,000" in c["quote"] for c in data["citations"])


def test_docs_lists_the_store(cli_store):
    proc = run_cli("docs", "--store", str(cli_store))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["alpha", "beta", "page"]
    assert "Glenmoor Library Reopens After Flood Repairs" in proc.stdout


def test_empty_question_fails_cleanly(cli_store):
    proc = run_cli("ask", "   ", "--store", str(cli_store))
    assert proc.returncode != 0
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "error:" in proc.stderr and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ingest_missing_path_says_so(tmp_path):
    missing = tmp_path / "no-such-folder"
    proc = run_cli("ingest", str(missing), "--store", str(tmp_path / "store"))
    assert proc.returncode == 1
    assert str(missing) in proc.stderr
    assert "no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr
