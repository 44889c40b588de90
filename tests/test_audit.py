"""Inconsistency audit on real stores: the seed article's planted errors, planted conflicts in
articles written here, clean articles that must stay quiet, caching, CLI shape, answers."""

from __future__ import annotations

import json
import time

import pytest

from assistant.ground import verify
from conftest import run_cli

SEED = "north-korea-troops"


def _write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _all_verified(assistant, flags):
    for f in flags:
        assert f.citations, f
        for c in f.citations:
            assert verify(c, assistant.document(c.document_id)), c


def test_seed_article_flags_umerov_role_and_support_to_ukraine(shared_assistant):
    flags = shared_assistant.check(SEED)
    _all_verified(shared_assistant, flags)
    role = [f for f in flags if f.kind == "role_conflict"]
    claim = [f for f in flags if f.kind == "claim_conflict"]
    assert role and any("Nigeria’s Defense Minister Rustem Umerov" in c.quote
                        for c in role[0].citations)
    assert claim and any("military support to Ukraine" in c.quote for c in claim[0].citations)
    assert any("in support of Russia" in c.quote for c in claim[0].citations)
    assert len(flags) <= 3  # the two planted errors and at most one other


def test_recheck_of_unchanged_corpus_is_reused(shared_assistant):
    first = shared_assistant.check()
    t0 = time.perf_counter()
    again = shared_assistant.check()
    assert time.perf_counter() - t0 < 1.0
    assert [f.to_dict() for f in again] == [f.to_dict() for f in first]


def test_clean_articles_get_no_flags(fresh_assistant, fixtures_dir):
    report = fresh_assistant.ingest([fixtures_dir / "articles"])
    assert report.added
    for doc_id in report.added:
        assert fresh_assistant.check(doc_id) == [], doc_id


def test_confirm_versus_deny_is_a_claim_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "bridge.txt",
           "Bridge Closure Raises Questions\n\n"
           "The transport ministry confirmed that the bridge had passed a structural inspection "
           "in May. Engineers reopened two lanes on Monday. Later, a ministry spokeswoman denied "
           "that any structural inspection of the bridge had been carried out this year.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check("bridge")
    kinds = [f.kind for f in flags]
    assert "claim_conflict" in kinds
    _all_verified(fresh_assistant, flags)


def test_same_event_two_dates_across_articles(fresh_assistant, tmp_path):
    _write(tmp_path, "a.txt", "Rail Strike Halts Trains\n\nThe strike began on 4 June, halting "
           "most commuter trains in the capital. Union leaders said talks would resume.\n")
    _write(tmp_path, "b.txt", "Commuters Face Delays\n\nThe strike that began on 7 June has left "
           "commuters waiting for buses. The operator said replacement services were running.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check()
    conflicts = [f for f in flags if f.kind == "claim_conflict"]
    assert conflicts and {c.document_id for c in conflicts[0].citations} == {"a", "b"}
    # Per-article checks see the cross-article conflict too.
    assert any(f.kind == "claim_conflict" for f in fresh_assistant.check("a"))


def test_two_values_for_one_measure_is_a_number_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "lake.txt",
           "Lake Level Falls\n\nThe reservoir held 41 million cubic meters of water in August, "
           "the water board said. Farmers asked for new limits on irrigation. "
           "By the board's own report, the reservoir held 58 million cubic meters of water "
           "in August, well below the average.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check("lake")
    assert [f.kind for f in flags] == ["number_conflict"]
    _all_verified(fresh_assistant, flags)


def test_a_share_that_does_not_add_up(fresh_assistant, tmp_path):
    _write(tmp_path, "school.txt", "Schools Close\n\nOfficials closed 30 of the 120 schools, "
           "or 40 percent, after the storm.\n")
    fresh_assistant.ingest([tmp_path])
    assert [f.kind for f in fresh_assistant.check("school")] == ["number_conflict"]


def test_answer_carries_the_flags_of_its_cited_passage(shared_assistant):
    answer = shared_assistant.ask("Who is Rustem Umerov?")
    assert not answer.abstained
    assert "role_conflict" in [f.kind for f in answer.flags]


def test_check_unknown_document_is_an_input_error(shared_assistant):
    from assistant import InputError

    with pytest.raises(InputError):
        shared_assistant.check("no-such-article")


def test_cli_check_json_shape(tmp_path, corpus_dir):
    store = str(tmp_path / "store")
    assert run_cli("ingest", str(corpus_dir / "north-korea-troops.txt"), "--store", store).returncode == 0
    proc = run_cli("check", SEED, "--json", "--store", store)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"flags"}
    for f in data["flags"]:
        assert {"kind", "message", "severity", "citations"} <= set(f)
        for c in f["citations"]:
            assert {"document_id", "title", "source", "start", "end", "quote"} <= set(c)


def test_descriptor_mention_with_another_nationality_is_a_role_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "wind.txt",
           "Wind Farm Opens\n\nThe Skerrow wind farm began supplying power on Monday, its developer "
           "Nordvind Energi said. Nordvind, a Danish company based in Aarhus, built the farm for "
           "1.9 billion euros. Nordvind said the rest of the turbines would follow. "
           "The Swedish developer plans a second farm further north.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check("wind")
    role = [f for f in flags if f.kind == "role_conflict"]
    assert role and any("Swedish developer" in c.quote for c in role[0].citations)
    _all_verified(fresh_assistant, flags)


def test_two_offices_for_one_person_is_a_role_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "clinic.txt",
           "Clinic Opens\n\n\"We are ready,\" said Dr. Imelda Varga, the clinic's chief executive. "
           "The clinic has 40 beds. Medical director Imelda Varga said a bus would start in April.\n")
    fresh_assistant.ingest([tmp_path])
    assert [f.kind for f in fresh_assistant.check("clinic")] == ["role_conflict"]


def test_former_titles_and_shared_surnames_stay_clean(fresh_assistant, tmp_path):
    _write(tmp_path, "cabinet.txt",
           "Cabinet Reshuffle\n\nAnna Berg, the former finance minister, becomes ambassador to "
           "Norrland. Her successor is Lena Berg, who until now ran the pension fund. Lena Berg said "
           "spending would grow by between 2 and 3 percent. Defence Minister Tomas Hale keeps his "
           "post. Hale, a former army colonel, has led the ministry since 2022.\n")
    fresh_assistant.ingest([tmp_path])
    assert fresh_assistant.check("cabinet") == []


def test_opposite_outcomes_of_one_matter_are_a_claim_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "court.txt",
           "Court Rules on Plant\n\nThe regional court on Wednesday upheld a ban on night-time "
           "operations at the plant. Residents welcomed the ruling. Shares fell 4 percent after the "
           "court overturned the ban on night-time operations, traders said.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check("court")
    assert [f.kind for f in flags] == ["claim_conflict"]
    _all_verified(fresh_assistant, flags)


def test_parts_that_do_not_make_the_total(fresh_assistant, tmp_path):
    _write(tmp_path, "cuts.txt",
           "Machine Maker Cuts Jobs\n\nBrennor said on Tuesday it would cut 1,200 jobs over the next "
           "year. The cuts will fall on two factories: 700 jobs will go at Lindau and 400 at Kessel.\n")
    fresh_assistant.ingest([tmp_path])
    assert [f.kind for f in fresh_assistant.check("cuts")] == ["number_conflict"]


def test_revisions_changes_and_parts_stay_clean(fresh_assistant, tmp_path):
    _write(tmp_path, "museum.txt",
           "Museum Reopens\n\nThe museum reopened on Monday after a renovation that cost 48 million "
           "crowns. Of the 48 million crowns, the city paid 30 million and the heritage fund 18 "
           "million. Adult tickets now cost 120 crowns, up from 90 crowns. The renovation was "
           "originally budgeted at 41 million crowns. The airline revised its estimate from 300 to "
           "340 cancelled flights.\n")
    fresh_assistant.ingest([tmp_path])
    assert fresh_assistant.check("museum") == []
