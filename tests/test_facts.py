"""Facts each article attributes: figures, claims, forecasts, estimates — real spaCy, real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ground import verify
from assistant.models import Citation, Fact, fact_from_dict

from conftest import run_cli

# An article written here, not shipped: a figure, an estimate, a forecast and attributions in
# several grammatical shapes (subject of a reporting verb, apposition, "according to",
# a forecast verb, a possessive description).
PORT_ARTICLE = """---
title: Crane Failure Strands Containers at Port Calden
date: 2026-03-02
---
Crane Failure Strands Containers at Port Calden

Harbor officials in Port Calden said on Tuesday that about 2,300 containers were stranded at the east terminal after a gantry crane collapsed.

The port authority's chief engineer, Miriam Osei, estimates that repairs could cost up to $14 million. The regional transport agency predicts that freight traffic through the port may fall by as much as 15 percent this quarter.

According to the dockworkers' union, more than 400 workers have been sent home without pay. Ilse Brandt, an economist at Norvik Bank, said the disruption could last until the end of May.
"""


def by_value(facts: list[Fact], value: float) -> Fact:
    found = [f for f in facts if f.value == value]
    assert len(found) == 1, [(f.text, f.value) for f in facts]
    return found[0]


def assert_cited(assistant, facts: list[Fact]) -> None:
    for f in facts:
        doc = assistant.document(f.document_id)
        assert verify(f.citation, doc), f
        assert doc.text[f.citation.start:f.citation.end] == f.citation.quote
        assert f.text in f.citation.quote, f  # the fact's words are an exact part of its span


@pytest.fixture(scope="module")
def seed_facts(shared_assistant):
    return shared_assistant.facts("north-korea-troops")


def test_seed_deployment_figure_is_umerovs(shared_assistant, seed_facts):
    f = by_value(seed_facts, 11000)
    assert f.kind == "figure"
    assert f.qualifier == "around"
    assert "troops" in f.counts
    assert "Umerov" in f.source and not f.hedge
    assert_cited(shared_assistant, [f])


def test_seed_share_of_the_reserve(seed_facts):
    f = by_value(seed_facts, 20)
    assert (f.unit, f.qualifier) == ("percent", "over")
    assert "reserve" in f.counts
    assert "Umerov" in f.source


def test_seed_forecast_is_the_intelligence_services(shared_assistant, seed_facts):
    f = by_value(seed_facts, 30000)
    assert f.kind == "forecast"
    assert f.qualifier == "as many as"
    assert "soldiers" in f.counts
    assert "National Intelligence Service" in f.source and "Umerov" not in f.source
    assert "Umerov" in f.via  # he relays the prediction
    assert f.hedge == "could"
    assert "summer" in f.when
    # the attribution is in the sentence before the figure: the citation holds both
    assert "predicting" in f.citation.quote and "30,000" in f.citation.quote
    assert_cited(shared_assistant, [f])


def test_seed_laborers_are_south_koreas_estimate(seed_facts):
    f = by_value(seed_facts, 25000)
    assert f.kind == "estimate"
    assert f.qualifier == "up to"
    assert f.counts == "laborers"
    assert f.source == "South Korea"
    assert f.hedge == "may"


def test_seed_agreement_and_forecast_claims(seed_facts):
    agreement = [f for f in seed_facts if "Partnership Agreement" in f.text]
    assert agreement and agreement[0].kind == "claim"
    assert "2024" in agreement[0].when and agreement[0].source == ""  # the article's own voice
    deploy = [f for f in seed_facts if f.kind == "forecast" and f.value is None
              and "additional troops" in f.text]
    assert deploy and "National Intelligence Service" in deploy[0].source
    assert deploy[0].hedge == "may"


def test_every_source_is_named_in_its_article_by_then(shared_assistant):
    """Across the corpus, a source is named in the cited span or, when the span says "she" or
    "the cooperative", earlier in the same article."""
    facts = shared_assistant.facts()
    assert {f.document_id for f in facts} >= {"north-korea-troops", "pentagon-troop-estimate"}
    for f in facts:
        if f.source:
            doc = shared_assistant.document(f.document_id)
            assert f.source in doc.text[:f.citation.end], f
    assert_cited(shared_assistant, facts)


def test_other_corpus_articles(shared_assistant):
    pentagon = shared_assistant.facts("pentagon-troop-estimate")
    troops = by_value(pentagon, 12000)
    assert troops.source == "Marisa Calloway" and "soldiers" in troops.counts
    assert "June 17, 2025" in troops.when
    guns = by_value(pentagon, 150)
    assert guns.qualifier == "at least" and "Calloway" in guns.source
    coffee = shared_assistant.facts("coffee-harvest-drought")
    cut = by_value(coffee, 18)
    assert cut.kind == "estimate" and cut.source == "Serra Alta Growers Cooperative"
    harvest = by_value(coffee, 410000)
    assert harvest.kind == "forecast" and "Cooperative" in harvest.source  # "The cooperative now expects"
    last = by_value(coffee, 500000)
    assert last.kind == "figure"  # last season's harvest is not forecast


@pytest.fixture(scope="module")
def port_assistant(tmp_path_factory):
    from assistant import Assistant, Settings

    root = tmp_path_factory.mktemp("port")
    (root / "articles").mkdir()
    (root / "articles" / "port-calden-crane.txt").write_text(PORT_ARTICLE, encoding="utf-8")
    a = Assistant(settings=Settings.from_env(env={}, store_dir=root / "store"))
    a.ingest([root / "articles"], progress=False)
    return a


def test_unseen_article(port_assistant):
    facts = port_assistant.facts("port-calden-crane")
    stranded = by_value(facts, 2300)
    assert stranded.kind == "figure" and stranded.counts == "containers"
    assert "officials" in stranded.source and stranded.qualifier == "about"
    repairs = by_value(facts, 14_000_000)
    assert (repairs.kind, repairs.unit, repairs.qualifier) == ("estimate", "$", "up to")
    assert repairs.source == "Miriam Osei" and repairs.hedge == "could"
    assert repairs.counts == "repairs"
    traffic = by_value(facts, 15)
    assert (traffic.kind, traffic.unit, traffic.qualifier) == ("forecast", "percent", "as much as")
    assert "regional transport agency" in traffic.source and traffic.hedge == "may"
    assert "this quarter" in traffic.when
    sent_home = by_value(facts, 400)
    assert "union" in sent_home.source and sent_home.kind == "figure"
    outlook = [f for f in facts if f.value is None and "disruption" in f.text]
    assert outlook and outlook[0].source == "Ilse Brandt" and outlook[0].kind == "forecast"
    assert "May" in outlook[0].when
    assert_cited(port_assistant, facts)


def test_who_questions_use_the_facts(shared_assistant, port_assistant):
    ans = shared_assistant.ask("Who predicted that the total could reach 30,000 North Korean soldiers?")
    assert "National Intelligence Service" in ans.text
    assert any("30,000" in c.quote and "predicting" in c.quote for c in ans.citations)
    ans = port_assistant.ask("Who estimated that repairs could cost up to $14 million?")
    assert ans.text == "Miriam Osei"
    ans = port_assistant.ask("Who predicts that freight traffic may fall this quarter?")
    assert "regional transport agency" in ans.text


def test_fact_round_trip():
    c = Citation("d", "T", "/x", 0, 4, "text")
    f = Fact(kind="figure", text="about 5 cats", value=5.0, unit="", counts="cats",
             qualifier="about", source="Ann", hedge="", when="", document_id="d", citation=c)
    d = f.to_dict()
    assert set(d) == {"kind", "text", "value", "unit", "counts", "qualifier", "source", "via",
                      "hedge", "when", "document_id", "citation"}
    assert fact_from_dict(json.loads(json.dumps(d))) == f


def test_cli_facts_json_and_table(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "port-calden-crane.txt").write_text(PORT_ARTICLE, encoding="utf-8")
    store = str(tmp_path / "store")
    proc = run_cli("ingest", str(tmp_path / "articles"), "--store", store)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("facts", "port-calden-crane", "--json", "--store", store)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"facts"} and data["facts"]
    for row in data["facts"]:
        assert {"kind", "text", "value", "unit", "counts", "qualifier", "source", "hedge",
                "when", "document_id", "citation"} <= set(row)
        assert set(row["citation"]) == {"document_id", "title", "source", "start", "end", "quote"}
    text = Path(tmp_path / "articles" / "port-calden-crane.txt").read_text(encoding="utf-8")
    assert any(r["source"] == "Miriam Osei" and r["value"] == 14_000_000 for r in data["facts"])
    proc = run_cli("facts", "no-such-doc", "--store", store)
    assert proc.returncode == 2 and "no document" in proc.stderr
    assert "Traceback" not in proc.stderr and text
