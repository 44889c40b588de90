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


def test_ruling_side_and_opposition_is_a_role_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "dock.txt",
           "Harbour Plan Approved\n\nThe council approved the new harbour wall on Monday. "
           "Mira Talvik, who has led the plan for the governing coalition, welcomed the vote. "
           "Residents had asked for the work to start before winter. "
           "Talvik, who leads the opposition Green group on the council, said she would watch the costs.\n")
    fresh_assistant.ingest([tmp_path])
    flags = fresh_assistant.check("dock")
    assert [f.kind for f in flags] == ["role_conflict"]
    _all_verified(fresh_assistant, flags)


def test_backing_and_opposing_one_matter_or_doing_and_refusing_is_a_claim_conflict(fresh_assistant, tmp_path):
    _write(tmp_path, "union.txt",
           "Rail Firms Combine\n\nTwo rail operators agreed to combine on Monday. "
           "The Drivers' Union, which represents 900 drivers, opposed the merger. "
           "Services will continue under both names until next year. "
           "The union, which endorsed the deal in March, asked for a seat on the new board.\n")
    _write(tmp_path, "vote.txt",
           "Mayor Re-elected\n\nErik Lund won a second term as mayor on Sunday. "
           "His rival Anna Sand conceded shortly after midnight. Turnout was higher than expected. "
           "Sand, who has so far refused to concede, said she would ask for a recount.\n")
    _write(tmp_path, "calm.txt",
           "Ferry Deal Signed\n\nThe ferry workers' union backed the new contract on Friday. "
           "The shipping group rejected an earlier offer from the port in May. "
           "The union said the contract protects night shifts.\n")
    fresh_assistant.ingest([tmp_path])
    for doc in ("union", "vote"):
        flags = fresh_assistant.check(doc)
        assert [f.kind for f in flags] == ["claim_conflict"], (doc, flags)
        _all_verified(fresh_assistant, flags)
    assert fresh_assistant.check("calm") == []


def test_nationality_ruled_out_sale_and_two_counts_of_one_whole(fresh_assistant, tmp_path):
    _write(tmp_path, "keeper.txt",
           "Keeper Saves Penalty\n\nRovers drew 1-1 with City on Saturday. Jonas Eriksen, the Danish "
           "goalkeeper who joined Rovers in the summer, saved a penalty in the second half. The club said "
           "the crowd was the largest of the season. Eriksen, who has won 22 caps for Sweden, said the "
           "save was the best of his career.\n")
    _write(tmp_path, "mill.txt",
           "Paper Mill to Close\n\nNorland Paper said on Monday it would shut its mill in Asker next "
           "spring. The firm said it had no plans to sell the Asker mill. Production will move to its "
           "plant in Vik. Asked about the buildings, the company said it was in talks with a buyer for "
           "the Asker mill.\n")
    _write(tmp_path, "ferry.txt",
           "New Ferries Ordered\n\nThe island council will buy 6 electric ferries for the Sund crossing, "
           "the council said. The ferries will carry 300 passengers each. The council's 8 ferries will "
           "enter service in 2027, replacing diesel boats.\n")
    _write(tmp_path, "signing.txt",
           "Striker Signs\n\nMarta Olsen, the Norwegian striker, signed for Lyon on Friday. Olsen, who "
           "has won 40 caps for Norway, said she was proud. The club, which backed her move in May, said "
           "the fee was undisclosed. The club said it had no plans to sell its training ground.\n")
    fresh_assistant.ingest([tmp_path])
    for doc, kind in (("keeper", "role_conflict"), ("mill", "claim_conflict"), ("ferry", "number_conflict")):
        flags = fresh_assistant.check(doc)
        assert [f.kind for f in flags] == [kind], (doc, flags)
        _all_verified(fresh_assistant, flags)
    assert fresh_assistant.check("signing") == []


def _kinds(assistant, doc_id):
    flags = assistant.check(doc_id)
    _all_verified(assistant, flags)
    return sorted(f.kind for f in flags)


def test_definite_back_reference_with_another_value_and_subsets_that_are_not(fresh_assistant, tmp_path):
    _write(tmp_path, "trial.txt",
           "Asthma Drug Trial Reports\n\nThe study at Hollin General enrolled 860 patients over two years, "
           "the hospital said. Doctors measured lung function every month. The 680 participants were "
           "recruited from clinics across the region.\n")
    _write(tmp_path, "tariff.txt",
           "Utility Raises Prices\n\nRedvale Power will raise prices for 900,000 customers from April, "
           "the company said. The increase will hit hardest the 340,000 customers who use prepayment "
           "meters, many of them on low incomes.\n")
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "trial") == ["number_conflict"]
    assert _kinds(fresh_assistant, "tariff") == []


def test_share_stated_with_part_and_whole_in_any_scale(fresh_assistant, tmp_path):
    _write(tmp_path, "grant.txt", "Grant Cut\n\nThe ministry will cut the college grant by 36 million "
           "euros, or about 22 percent of its 240-million-euro budget, officials said.\n")
    _write(tmp_path, "grantok.txt", "Grant Cut\n\nThe ministry will cut the college grant by 36 million "
           "euros, or 15 percent of its 240-million-euro budget, officials said.\n")
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "grant") == ["number_conflict"]
    assert _kinds(fresh_assistant, "grantok") == []


def test_one_happening_dated_twice_and_something_said_not_to_have_happened(fresh_assistant, tmp_path):
    _write(tmp_path, "ferry.txt",
           "Ferry Aground\n\nThe ferry Nordlys ran aground on a sandbank on Monday morning, the coastguard "
           "said. Divers inspected the hull on Wednesday. Since the ferry hit the sandbank on Thursday, "
           "the operator has cancelled all crossings.\n")
    _write(tmp_path, "ferryok.txt",
           "Ferry Aground\n\nThe ferry Nordlys ran aground on a sandbank on Monday morning, the coastguard "
           "said. Divers inspected the hull on Wednesday, and the ferry was refloated on Friday.\n")
    _write(tmp_path, "crash.txt",
           "Lorry Crash Closes Road\n\nPolice said there had been no injuries after a lorry overturned on "
           "the ring road. The road was closed for six hours. The driver was later taken to hospital "
           "with a head injury.\n")
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "ferry") == ["claim_conflict"]
    assert _kinds(fresh_assistant, "ferryok") == []
    assert _kinds(fresh_assistant, "crash") == ["claim_conflict"]


def test_statement_credited_back_to_another_source(fresh_assistant, tmp_path):
    body = ("Budget Vote\n\n\"This budget is a betrayal of the north,\" said mayor Ana Ruiz at the council "
            "meeting. The budget passed by four votes. {who}, whose remark that the budget was \"a "
            "betrayal of the north\" was widely quoted, said the fight would go on.\n")
    _write(tmp_path, "budget.txt", body.format(who="Councillor Tom Hale"))
    _write(tmp_path, "budgetok.txt", body.format(who="Ruiz"))
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "budget") == ["attribution_conflict"]
    assert _kinds(fresh_assistant, "budgetok") == []


def test_two_employers_or_two_nationalities_for_one_person(fresh_assistant, tmp_path):
    _write(tmp_path, "surgeon.txt",
           "Hip Implant Study\n\nDr Lena Voss, a surgeon at St Anne's Hospital, led the study of 400 "
           "patients. The results were published on Tuesday. Voss, Medora's head of research, said the "
           "implant had performed well.\n")
    _write(tmp_path, "captain.txt",
           "Tanker Detained\n\nThe tanker's captain, a 48-year-old Estonian, was questioned by police on "
           "Sunday. The vessel was carrying 20,000 tonnes of diesel. The Latvian captain has been "
           "released without charge.\n")
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "surgeon") == ["role_conflict"]
    assert _kinds(fresh_assistant, "captain") == ["role_conflict"]


def test_a_number_at_the_root_of_a_sentence_is_audited(fresh_assistant, tmp_path):
    # Comparing spaCy tokens by identity once looped forever on such a sentence.
    _write(tmp_path, "farm.txt", "Third Dry Year\n\nWheat farmers in the valley lost half their crop. "
           "\"Three in a row, and people start selling up.\" The ministry will meet farmers on Friday.\n")
    fresh_assistant.ingest([tmp_path])
    assert _kinds(fresh_assistant, "farm") == []
