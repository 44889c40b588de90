"""Claim checks against the shipped corpus: supported, contradicted (with both sides), not found."""

from __future__ import annotations

import json

import pytest

from assistant import InputError
from assistant.ground import verify
from conftest import run_cli


def _verified(assistant, verdict):
    for c in verdict.citations:
        assert verify(c, assistant.document(c.document_id)), c


def test_overstated_figure_is_contradicted_with_report_and_forecast(shared_assistant):
    v = shared_assistant.verify_claim("North Korea has sent 30,000 troops")
    assert v.status == "contradicted"
    quotes = " ".join(c.quote for c in v.citations)
    assert "11,000" in quotes and "30,000" in quotes  # the report and the forecast, both cited
    assert "forecast" in v.message
    _verified(shared_assistant, v)


def test_matching_figure_is_supported(shared_assistant):
    v = shared_assistant.verify_claim("North Korea has deployed about 11,000 troops")
    assert v.status == "supported"
    assert any("11,000" in c.quote for c in v.citations)
    _verified(shared_assistant, v)


def test_wrong_figure_for_another_article_is_contradicted(shared_assistant):
    v = shared_assistant.verify_claim("The Alabuga plant produces 9,000 drones a month")
    assert v.status == "contradicted"
    assert v.citations and v.citations[0].document_id == "drone-plant-workers"


def test_claim_about_something_absent_is_not_found(shared_assistant):
    v = shared_assistant.verify_claim("China has sent 5,000 tanks to Brazil")
    assert v.status == "not_found" and not v.citations


def test_empty_claim_is_an_input_error(shared_assistant):
    with pytest.raises(InputError):
        shared_assistant.verify_claim("   ")


def test_cli_verify_json(tmp_path, corpus_dir):
    store = str(tmp_path / "store")
    assert run_cli("ingest", str(corpus_dir), "--store", store).returncode == 0
    proc = run_cli("verify", "North Korea has sent 30,000 troops", "--json", "--store", store)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"claim", "verdict", "message", "citations"} <= set(data)
    assert data["verdict"] == "contradicted"
