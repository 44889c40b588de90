"""The web UI through its real HTTP API: the app runs in-process on a free loopback port over a
real store, and ``gradio_client`` calls every endpoint (several chats at once included).

Two apps: one over the session's shared corpus store (read-only endpoints), one over a store of
its own for uploads and deletes. Plus the pure parts: safe upload names, HTML rendering, server
options from the environment.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from _ui_app import running
from assistant import Assistant, Settings
from assistant.errors import ConfigError, InputError
from assistant.models import Citation, Document, Flag
from assistant.ui import ServerOptions, create, parse_auth
from assistant.ui import render
from assistant.ui.uploads import safe_name, save_uploads

ROOT = Path(__file__).resolve().parent.parent
TROOPS = "How many troops has North Korea deployed?"
ENDPOINTS = {"/chat", "/clear_chat", "/upload", "/delete_document", "/documents", "/check",
             "/verify_claim", "/summarize", "/run_eval"}
TIMEOUT = 300

ARTICLE = """---
title: Zorvian Harbour Opens <script>alert("x")</script> Terminal
---
Zorvian Harbour Opens New Terminal

The Zorvian harbour authority opened its new container terminal on March 3, 2025. Harbour master Ilse Varga said the terminal can handle about 640,000 containers a year. <img src=x onerror=alert(1)> Critics said the cost rose to 310 million dollars.
"""


def call(client: Client, *args, api_name: str):
    """``predict`` with a deadline, so a hung handler fails the test instead of hanging it."""
    return client.submit(*args, api_name=api_name).result(timeout=TIMEOUT)


def text_of(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


# ---- apps --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evals_dir(tmp_path_factory) -> Path:
    """A small evals folder: three questions and one flag case (with its article)."""
    root = tmp_path_factory.mktemp("ui-evals")
    folder = root / "evals"
    (folder / "flags").mkdir(parents=True)
    qa = [
        {"id": "troops", "question": TROOPS, "type": "how_many", "answer": 11000,
         "document": "north-korea-troops", "quote": "around 11,000 elite troops"},
        {"id": "predictor", "question": "Who predicted that North Korea may deploy additional troops?",
         "type": "who", "answer": "South Korea's National Intelligence Service",
         "aliases": ["National Intelligence Service"]},
        {"id": "france", "question": "What is the capital of France?", "type": "unanswerable",
         "answer": None},
    ]
    (folder / "mini.jsonl").write_text("\n".join(json.dumps(c) for c in qa) + "\n")
    shutil.copy(ROOT / "evals" / "flags" / "flood-almo-river.txt", folder / "flags")
    flag_case = {"id": "flood", "documents": ["evals/flags/flood-almo-river.txt"],
                 "scope": "document", "expected": [{"kind": "number_conflict", "quotes": [
                     "the Almo peaked at 4.8 meters above its normal level"]}]}
    (folder / "flags-mini.jsonl").write_text(json.dumps(flag_case) + "\n")
    (folder / "notes.txt").write_text("not an eval file")
    return folder


@pytest.fixture(scope="module")
def app(shared_assistant, tmp_path_factory, evals_dir):
    """The UI over the shared corpus store (read-only use)."""
    with running(shared_assistant, tmp_path_factory.mktemp("ui-a"), evals_dir=evals_dir) as (url, _):
        yield url


@pytest.fixture
def client(app) -> Client:
    """A new browser session: its own conversation state."""
    return Client(app, verbose=False)


@pytest.fixture(scope="module")
def writable(shared_assistant, tmp_path_factory):
    """The UI over an empty store of its own, with a small upload limit and an OpenAI-compatible
    endpoint configured on a loopback port where nothing listens (a failing backend)."""
    tmp = tmp_path_factory.mktemp("ui-b")
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "ASSISTANT_LLM_FALLBACK": "0",
           "ASSISTANT_LLM_RETRIES": "0", "ASSISTANT_LLM_TIMEOUT": "5",
           "ASSISTANT_MAX_FILE_MB": "0.05"}
    assistant = Assistant(settings=Settings.from_env(env=env, store_dir=tmp / "store"),
                          embedder=shared_assistant.embedder)
    with running(assistant, tmp) as (url, uploads):
        yield url, uploads, assistant, tmp
    assistant.close()


# ---- endpoints -----------------------------------------------------------------------------------


def test_endpoints_are_named(client):
    api = client.view_api(return_format="dict", print_info=False)
    assert ENDPOINTS <= set(api["named_endpoints"])
    chat = api["named_endpoints"]["/chat"]
    assert [p["parameter_name"] for p in chat["parameters"]] == ["message", "mode", "top_k"]


def test_chat_answers_with_marked_citations_sources_and_flags(client):
    messages, box, sources, answer = call(client, TROOPS, "offline", 6, api_name="/chat")
    assert box == ""
    assert [m["role"] for m in messages] == ["user", "assistant"]
    bubble = text_of(messages[1])
    assert "11,000" in bubble and not answer["abstained"]
    assert 'class="cite"' in bubble and 'data-cite="t1-c1"' in bubble and "[1]" in bubble
    # the conflicting figure is a visible warning quoting both sides
    assert 'data-kind="conflicting_evidence"' in bubble
    assert "around 11,000 elite troops" in bubble and "about 12,000 North Korean soldiers" in bubble
    # sources: title, file, passage around the quote, the quote itself in <mark>
    first = answer["citations"][0]
    assert 'id="t1-c1"' in sources and render.esc(first["title"]) in sources
    assert Path(first["source"]).name in sources
    assert f'<mark class="quote">{render.esc(first["quote"])}</mark>' in sources
    assert answer["mode"] == "offline"


def test_chat_streams_then_shows_the_verified_answer(client):
    job = client.submit("Who predicted that North Korea may deploy additional troops?",
                        "offline", 6, api_name="/chat")
    final = job.result(timeout=TIMEOUT)
    outputs = job.outputs()
    assert len(outputs) >= 2  # at least the pending bubble, then the answer
    assert "streaming" in text_of(outputs[0][0][-1])
    assert "National Intelligence Service" in text_of(final[0][-1])
    assert "streaming" not in text_of(final[0][-1])


def test_abstention_looks_different(client):
    messages, _, sources, answer = call(client, "What is the capital of France?", "offline", 6,
                                        api_name="/chat")
    assert answer["abstained"]
    bubble = text_of(messages[-1])
    assert 'class="abstain"' in bubble and 'class="answer-text"' not in bubble
    assert "No sources" in sources


def test_follow_up_is_rewritten_and_clear_starts_over(app):
    c = Client(app, verbose=False)
    call(c, TROOPS, "offline", 6, api_name="/chat")
    messages, _, sources, answer = call(c, "And how many laborers?", "offline", 6, api_name="/chat")
    assert len(messages) == 4
    assert "laborers" in answer["question"].lower() and "north korea" in answer["question"].lower()
    assert "Answered as" in text_of(messages[-1])
    assert "Q2:" in sources and "Q1:" in sources  # every turn's sources stay reachable
    messages, _, sources, answer = call(c, api_name="/clear_chat")
    assert messages == [] and answer is None
    messages, *_ = call(c, TROOPS, "offline", 6, api_name="/chat")
    assert len(messages) == 2


def test_empty_question_and_bad_input_give_messages(client):
    messages, *_ = call(client, "   ", "offline", 6, api_name="/chat")
    assert messages == []  # nothing asked; a toast says so
    messages, _, _, answer = call(client, "?!", "offline", 6, api_name="/chat")
    assert answer is None and "error-msg" in text_of(messages[-1])
    assert "no words" in text_of(messages[-1])


def test_unconfigured_mode_gives_a_message_not_a_hang(client):
    t0 = time.monotonic()
    messages, _, _, answer = call(client, TROOPS, "openai", 6, api_name="/chat")
    assert time.monotonic() - t0 < 60
    assert answer is None
    assert "OPENAI_BASE_URL" in text_of(messages[-1]) or "OPENAI_API_KEY" in text_of(messages[-1])


def test_several_chats_at_once(app):
    """Four sessions chat at the same time; each keeps its own conversation."""
    plans = [
        [(TROOPS, "11,000"), ("And how many laborers?", "25,000")],
        [("What is the capital of France?", None)],
        [("Who predicted that North Korea may deploy additional troops?",
          "National Intelligence Service")],
        [(TROOPS, "11,000")],
    ]
    results: dict[int, list] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(plans))

    def run(i: int, plan) -> None:
        try:
            c = Client(app, verbose=False)
            start.wait(timeout=60)
            results[i] = [call(c, q, "offline", 6, api_name="/chat") for q, _ in plan]
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(plans)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=2 * TIMEOUT)
    assert not errors, errors
    for i, plan in enumerate(plans):
        outs = results[i]
        for turn, ((question, want), (messages, _, _, answer)) in enumerate(zip(plan, outs), 1):
            assert len(messages) == 2 * turn  # no other session's messages
            assert answer is not None, text_of(messages[-1])
            if want is None:
                assert answer["abstained"]
            else:
                assert want in answer["answer"], (question, answer["answer"])


def test_documents_lists_chunks_and_flags(client, shared_assistant):
    table, delete_pick, check_pick, sum_pick = call(client, api_name="/documents")
    rows = {r[0]: dict(zip(table["headers"], r)) for r in table["data"]}
    assert set(rows) == {d.id for d in shared_assistant.documents()}
    assert int(rows["north-korea-troops"]["chunks"]) >= 1
    assert int(rows["north-korea-troops"]["flags"]) >= 1
    assert int(rows["lakeshore-marathon-result"]["flags"]) == 0


def test_check_highlights_spans_and_explains_flags(client):
    flags, text = call(client, "north-korea-troops", api_name="/check")
    assert 'data-kind="role_conflict"' in flags and "Umerov" in flags
    assert "in North Korea Troops" in flags
    assert '<mark class="flagged"' in text and 'class="doc-text"' in text
    assert "Nigeria’s Defense Minister Rustem Umerov" in text
    flags, text = call(client, "__all__", api_name="/check")
    assert "in the corpus" in flags and 'data-kind="number_conflict"' in flags
    assert "Pick an article" in text
    flags, _ = call(client, "no-such-article", api_name="/check")
    assert "error-msg" in flags and "no-such-article" in flags


def test_verify_claim(client):
    out = call(client, "North Korea has sent 30,000 troops", api_name="/verify_claim")
    assert "verdict-contradicted" in out and "11,000" in out and '<mark class="quote">' in out
    empty = call(client, "", api_name="/verify_claim")
    assert "error-msg" in empty


def test_summarize(client):
    if not hasattr(Assistant, "summarize"):
        pytest.xfail("Assistant.summarize is not in this build yet; the tab says so")
    html, facts = call(client, "article", "north-korea-troops", "", 3, api_name="/summarize")
    assert '<ol class="summary">' in html and 'class="cite"' in html and "<mark" in html
    items = html.split('<ol class="summary">', 1)[1].split("</ol>", 1)[0]
    assert 1 <= items.count("<li>") <= 3
    if hasattr(Assistant, "facts"):
        assert facts["data"] and "11,000" in json.dumps(facts["data"], ensure_ascii=False)
    html, _ = call(client, "topic", None, "North Korean troops in Russia", 3, api_name="/summarize")
    assert 'class="cite"' in html
    html, _ = call(client, "topic", None, "", 3, api_name="/summarize")
    assert "error-msg" in html


def test_run_eval_reports_table_totals_and_chart(client):
    totals, table, chart, report = call(client, "mini.jsonl", api_name="/run_eval")
    assert "answer accuracy" in totals
    ids = [r[0] for r in table["data"]]
    assert ids == ["troops", "predictor", "france"]
    assert report["totals"]["cases"] == 3 and report["totals"]["answer_accuracy"] >= 2 / 3
    types = {row[0] for row in chart["value"]["data"]} if "value" in chart else None
    assert types is None or {"how_many", "who", "unanswerable"} <= types
    totals, table, chart, report = call(client, "flags-mini.jsonl", api_name="/run_eval")
    assert [r[0] for r in table["data"]] == ["flood"] and "flag eval recall" in totals
    bad = call(client, "../secrets.jsonl", api_name="/run_eval")
    assert "error-msg" in bad[0]
    bad = call(client, "notes.txt", api_name="/run_eval")
    assert "error-msg" in bad[0]


# ---- writes: upload, ask, delete ----------------------------------------------------------------


def test_upload_ask_escape_delete(writable):
    url, uploads, assistant, tmp = writable
    c = Client(url, verbose=False)
    article = tmp / "Zorvian Harbour.md"
    article.write_text(ARTICLE, encoding="utf-8")
    bad = tmp / "table.csv"
    bad.write_text("a,b\n1,2\n")
    try:
        out = call(c, [handle_file(str(article)), handle_file(str(bad))], api_name="/upload")
        report, table = out[0], out[2]
    except Exception as exc:  # gradio may refuse the .csv before the handler sees it
        assert "csv" in str(exc).lower() or "type" in str(exc).lower()
        out = call(c, [handle_file(str(article))], api_name="/upload")
        report, table = out[0], out[2]
    assert "Added 1" in report and "zorvian-harbour" in report
    assert [p.name for p in uploads.iterdir()] == ["Zorvian-Harbour.md"]
    rows = {r[0]: r for r in table["data"]}
    assert "zorvian-harbour" in rows and int(rows["zorvian-harbour"][3]) >= 1

    messages, _, sources, answer = call(c, "How many containers can the Zorvian terminal handle "
                                        "a year?", "offline", 6, api_name="/chat")
    assert answer is not None and "640,000" in answer["answer"], text_of(messages[-1])
    # article text is data: its tags arrive escaped, never as markup
    assert "<img" not in sources and "<script" not in sources
    assert "&lt;img src=x onerror=alert(1)&gt;" in sources or "640,000" in sources
    assert "&lt;script&gt;" in sources  # the title
    checked = call(c, "zorvian-harbour", api_name="/check")[1]
    assert "<img" not in checked and "&lt;img src=x onerror=alert(1)&gt;" in checked

    # the same name again replaces the earlier upload (an update, not a second document)
    article.write_text(ARTICLE.replace("640,000", "650,000"), encoding="utf-8")
    report = call(c, [handle_file(str(article))], api_name="/upload")[0]
    assert "updated 1" in report
    assert len([d for d in assistant.documents() if d.id.startswith("zorvian")]) == 1

    msg = call(c, "zorvian-harbour", api_name="/delete_document")[0]
    assert "Deleted zorvian-harbour" in msg
    assert assistant.document("zorvian-harbour") is None and not list(uploads.iterdir())
    again = call(c, "zorvian-harbour", api_name="/delete_document")[0]
    assert "error-msg" in again


def test_upload_refuses_big_empty_and_fake_files(writable):
    url, uploads, assistant, tmp = writable
    c = Client(url, verbose=False)
    big = tmp / "big.txt"
    big.write_text("North Korea. " * 6000)  # ~78 KB > the 0.05 MB limit of this app
    with pytest.raises(Exception):
        call(c, [handle_file(str(big))], api_name="/upload")
    fake = tmp / "fake.pdf"
    fake.write_text("not a pdf at all")
    report = call(c, [handle_file(str(fake))], api_name="/upload")[0]
    assert "is not a PDF" in report and "Added 0" in report
    none = call(c, None, api_name="/upload")[0]
    assert "error-msg" in none
    assert not any(p.name.startswith("fake") for p in uploads.iterdir()) if uploads.exists() else True


def test_failing_backend_gives_a_message(writable):
    """An OpenAI-compatible server that is down: the chat ends with the error, quickly."""
    url, _, assistant, tmp = writable
    c = Client(url, verbose=False)
    (tmp / "a.md").write_text("---\ntitle: Brellin Bridge\n---\nThe Brellin bridge is 412 meters "
                              "long. It opened in 1998.\n")
    call(c, [handle_file(str(tmp / "a.md"))], api_name="/upload")
    t0 = time.monotonic()
    messages, _, _, answer = call(c, "How long is the Brellin bridge?", "openai", 6,
                                  api_name="/chat")
    assert time.monotonic() - t0 < 120
    assert answer is None and "error-msg" in text_of(messages[-1])
    # the offline reader still answers in the same session
    messages, _, _, answer = call(c, "How long is the Brellin bridge?", "offline", 6,
                                  api_name="/chat")
    assert answer is not None and "412" in answer["answer"] and len(messages) == 4


# ---- serving: bind address, auth, analytics ------------------------------------------------------


def test_server_options_from_env():
    default = ServerOptions.from_env({})
    assert (default.host, default.port, default.auth) == ("127.0.0.1", 7860, ())
    opts = ServerOptions.from_env({"ASSISTANT_HOST": "0.0.0.0", "ASSISTANT_PORT": "8081",
                                   "ASSISTANT_AUTH": "ann:s3cret, bob:pw:with:colons"})
    assert opts.host == "0.0.0.0" and opts.port == 8081
    assert opts.auth == (("ann", "s3cret"), ("bob", "pw:with:colons"))
    assert "s3cret" not in repr(opts)
    with pytest.raises(ConfigError, match="ASSISTANT_PORT"):
        ServerOptions.from_env({"ASSISTANT_PORT": "http"})
    with pytest.raises(ConfigError) as err:
        parse_auth("justapassword")
    assert "justapassword" not in str(err.value)


def test_analytics_off(shared_assistant, tmp_path):
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    demo = create(shared_assistant, upload_dir=tmp_path / "uploads")
    assert demo.analytics_enabled is False


def test_basic_auth(shared_assistant, tmp_path):
    with running(shared_assistant, tmp_path, auth=(("ann", "s3cret"),)) as (url, _):
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(trust_env=False) as h:
            assert h.get(url + "config").status_code == 401
        with pytest.raises(Exception):
            Client(url, verbose=False)
        c = Client(url, auth=("ann", "s3cret"), verbose=False)
        assert "/chat" in c.view_api(return_format="dict", print_info=False)["named_endpoints"]


# ---- pure parts: names and HTML -----------------------------------------------------------------


@pytest.mark.parametrize("given, safe", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\x.MD", "x.md"),
    ("/abs/path/report.html", "report.html"),
    (".hidden.md", "hidden.md"),
    ("README.md", "upload-README.md"),
    ("Café Zürich news.txt", "Cafe-Zurich-news.txt"),
    ("a<b>|c?.htm", "a-b-c.htm"),
    ("....md", "upload.md"),
])
def test_safe_name(given, safe):
    assert safe_name(given) == safe


@pytest.mark.parametrize("given", ["evil.exe", "noext", "archive.tar.gz", "x.md/"])
def test_safe_name_refuses_other_types(given):
    with pytest.raises(InputError):
        safe_name(given)


def test_save_uploads_stays_in_its_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The bridge is 412 meters long.")
    (src / "big.txt").write_text("x" * 2000)
    (src / "empty.md").write_text("")
    folder = tmp_path / "uploads"
    saved = save_uploads([src / "a.txt", src / "big.txt", src / "empty.md"],
                         ["../../../escape.txt", "big.txt", "empty.md"], folder, max_bytes=1000)
    assert saved.paths == [(folder / "escape.txt").resolve()]
    assert {name for name, _ in saved.refused} == {"big.txt", "empty.md"}
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["escape.txt"]
    with pytest.raises(InputError):
        save_uploads([src / "a.txt"] * 21, None, folder, max_bytes=1000)


TEXT = "Alpha said 5 <b>units</b>. Beta said 7 units. Gamma & co. said nothing."
DOC = Document(id="d", title="T <i>", source="/x/d.txt", text=TEXT, hash="h")


def _cite(quote: str) -> Citation:
    start = TEXT.index(quote)
    return Citation("d", DOC.title, DOC.source, start, start + len(quote), quote)


def test_highlighted_document_escapes_and_splits_overlaps():
    a, b = _cite("Alpha said 5 <b>units</b>."), _cite("<b>units</b>. Beta said 7")
    html = render.highlighted_document(TEXT, [(a.start, a.end, 1), (b.start, b.end, 2)])
    assert "<b>" not in html and "&lt;b&gt;units&lt;/b&gt;" in html
    assert 'data-flags="1,2"' in html and 'data-flags="1"' in html and 'data-flags="2"' in html
    assert html.replace("&amp;", "&").count("Gamma & co.") == 1


def test_passage_marks_the_quote_and_falls_back_when_text_differs():
    c = _cite("Beta said 7 units.")
    assert render.passage_html(TEXT, c) == (
        "Alpha said 5 &lt;b&gt;units&lt;/b&gt;. <mark class=\"quote\">Beta said 7 units.</mark>"
        " Gamma &amp; co. said nothing.")
    assert render.passage_html("something else entirely", c) == \
        '<mark class="quote">Beta said 7 units.</mark>'


def test_check_html_and_flag_blocks_quote_both_sides():
    flag = Flag("number_conflict", "5 <or> 7?", (_cite("Alpha said 5"), _cite("Beta said 7")))
    flags = render.check_flags_html(DOC, [flag])
    assert "1 flag in T &lt;i&gt;" in flags and "5 &lt;or&gt; 7?" in flags
    assert flags.count('class="q"') == 2
    text = render.check_document_html(DOC, [flag])
    assert text.count('<mark class="flagged" data-flags="1"') == 2 and "&lt;b&gt;" in text


def test_answer_markers():
    assert render.answer_text_html("Seven [2], not five [1] or [9].", 2, "t1") == (
        'Seven <a class="cite" href="#t1-c2" data-cite="t1-c2">[2]</a>, not five '
        '<a class="cite" href="#t1-c1" data-cite="t1-c1">[1]</a> or [9].')
    assert render.answer_text_html("Seven <units>", 1, "t3").endswith(
        'Seven &lt;units&gt; <a class="cite" href="#t3-c1" data-cite="t3-c1">[1]</a>')
