"""Faults a real model server cannot be made to show on demand: 429, 5xx, garbage, slowness,
refused connections, context overflow, a refused response format, a leaked key.

``FaultStandInServer`` is a stand-in HTTP server (named as such) speaking just enough of the
OpenAI chat API. Its well-behaved mode echoes a sentence of the first passage it is given as the
quote, so the verification path runs on real retrieved passages from the real store.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant import Assistant
from assistant.errors import BackendError
from assistant.ground import verify
from assistant.models import Answer
from conftest import run_cli

KEY = "sk-test-SECRETKEY0123456789abcdef"
TROOPS = "How many troops has North Korea deployed?"


class FaultStandInServer:
    """Answers ``/v1/chat/completions`` from a script of behaviours, one per request.

    Behaviours: ``ok`` (a valid JSON answer quoting passage 1), ``429``, ``500``, ``401``
    (echoing the key it was sent), ``garbage`` (200 with prose, no JSON), ``badjson`` (a body
    that is not JSON at all), ``slow`` (sleeps), ``overflow`` (400 context length),
    ``no_schema`` (400 refusing ``json_schema``). The last behaviour repeats.
    """

    def __init__(self, *script: str, delay: float = 3.0) -> None:
        self.script = list(script) or ["ok"]
        self.delay = delay
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"body": body, "auth": self.headers.get("Authorization", "")})
                i = len(outer.requests) - 1
                behaviour = outer.script[min(i, len(outer.script) - 1)]
                try:
                    outer.handle(self, behaviour, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (the timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, h: BaseHTTPRequestHandler, behaviour: str, body: dict) -> None:
        if behaviour == "slow":
            time.sleep(self.delay)
            behaviour = "ok"
        if behaviour == "429":
            return self._send(h, 429, {"error": {"message": "rate limited"}},
                              {"retry-after-ms": "10"})
        if behaviour == "500":
            return self._send(h, 500, {"error": {"message": "boom"}})
        if behaviour == "401":
            auth = h.headers.get("Authorization", "")
            return self._send(h, 401, {"error": {"message": f"Incorrect API key provided: {auth}"}})
        if behaviour == "overflow":
            return self._send(h, 400, {"error": {"message": "This model's maximum context length "
                                                 "is 2048 tokens; the request exceeds it"}})
        if behaviour == "no_schema" and body.get("response_format", {}).get("type") == "json_schema":
            return self._send(h, 400, {"error": {"message": "response_format json_schema is "
                                                 "not supported"}})
        if behaviour == "badjson":
            data = b"<html>proxy error</html>"
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
            return None
        content = "I think it is probably a lot." if behaviour == "garbage" else _echo(body)
        if body.get("stream"):
            return self._stream(h, content)
        return self._send(h, 200, {
            "id": "x", "object": "chat.completion", "created": 0, "model": body.get("model"),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366}})

    @staticmethod
    def _send(h, status: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def _stream(h, content: str) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.end_headers()
        for i in range(0, len(content), 7):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": content[i:i + 7]},
                                  "finish_reason": None}]}
            h.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            h.wfile.flush()
        end = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
               "choices": [], "usage": {"prompt_tokens": 321, "completion_tokens": 45,
                                        "total_tokens": 366}}
        h.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
        h.wfile.flush()


def _echo(body: dict) -> str:
    """A valid answer: the first sentence of passage 1, quoted verbatim. For a summary request,
    one sentence quoting passage 1 and one with an invented quote."""
    user = body["messages"][-1]["content"]
    m = re.search(r'<passage id="1"[^>]*>\n(.*?)\n</passage>', user, re.S)
    sentence = re.split(r"(?<=[.!?])\s", m.group(1).strip())[0] if m else "nothing"
    if "correct" in json.dumps(body.get("response_format", {})):
        return json.dumps({"correct": "11,000" in user.split("Answer to grade:")[-1]})
    if "conflicts" in json.dumps(body.get("response_format", {})):
        article = re.search(r"<article>\n(.*?)\n</article>", user, re.S).group(1)
        sents = [x for x in re.split(r"(?<=[.!?])\s+", article) if len(x) > 20]
        return json.dumps({"conflicts": [
            {"kind": "attribution_conflict", "quote_a": sents[1], "quote_b": sents[3],
             "explanation": "The two sources differ."},
            {"kind": "role_conflict", "quote_a": sents[0], "quote_b": sents[2],
             "explanation": "A duplicate of an offline flag."},
            {"kind": "role_conflict", "quote_a": sents[0], "quote_b": "words the article lacks",
             "explanation": "Invented."}]})
    if "sentences" in json.dumps(body.get("response_format", {})):
        return json.dumps({"sentences": [
            {"citations": [{"id": 1, "quote": sentence}], "text": "First, what passage 1 says."},
            {"citations": [{"id": 1, "quote": "a quote the article never contained"}],
             "text": "An invented sentence."}]})
    return json.dumps({"answer": "The article reports this [1].",
                       "citations": [{"id": 1, "quote": sentence}]})


@pytest.fixture
def standin():
    servers = []

    def make(*script, delay=3.0):
        s = FaultStandInServer(*script, delay=delay)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


def _assistant(shared: Assistant, url: str, **over) -> Assistant:
    settings = shared.settings.with_(llm="openai", openai_base_url=url, openai_api_key=KEY,
                                     llm_model="stand-in", llm_retries=over.pop("retries", 2),
                                     llm_timeout=over.pop("timeout", 10.0), **over)
    return Assistant(settings=settings, embedder=shared.embedder)


def test_valid_reply_is_verified_with_usage(shared_assistant, standin):
    s = standin("ok")
    a = _assistant(shared_assistant, s.url).ask(TROOPS)
    assert a.mode == "openai" and not a.abstained
    assert a.text == "The article reports this [1]."
    assert a.citations and all(c.quote in shared_assistant.document(c.document_id).text
                               for c in a.citations)
    assert a.usage["prompt_tokens"] == 321 and a.usage["completion_tokens"] == 45
    assert a.usage["citations_verified"] == 1
    assert s.requests[0]["body"]["temperature"] == 0
    assert s.requests[0]["body"]["response_format"]["type"] == "json_schema"


def test_429_is_retried_then_succeeds(shared_assistant, standin):
    s = standin("429", "ok")
    a = _assistant(shared_assistant, s.url, retries=2).ask(TROOPS)
    assert len(s.requests) == 2 and a.mode == "openai"


@pytest.mark.parametrize("behaviour,count,words", [("429", 2, "429"), ("500", 2, "HTTP 500")])
def test_persistent_errors_fall_back_to_offline_with_a_flag(shared_assistant, standin, behaviour,
                                                           count, words):
    s = standin(behaviour)
    a = _assistant(shared_assistant, s.url, retries=1).ask(TROOPS)
    assert len(s.requests) == count  # one try plus one bounded retry
    assert a.mode == "offline" and "11,000" in a.text
    flag = a.flags[0]
    assert flag.kind == "llm_unavailable" and words in flag.message


def test_without_fallback_the_error_is_raised(shared_assistant, standin):
    s = standin("500")
    with pytest.raises(BackendError, match="HTTP 500") as err:
        _assistant(shared_assistant, s.url, retries=0, llm_fallback=0).ask(TROOPS)
    assert err.value.status == 500 and err.value.retryable


def test_garbage_reply_falls_back_with_unverified_flag(shared_assistant, standin):
    s = standin("garbage")
    a = _assistant(shared_assistant, s.url).ask(TROOPS)
    assert a.mode == "offline" and a.flags[0].kind == "unverified_llm_answer"
    assert "verified" in a.flags[0].message


def test_body_that_is_not_json_is_a_clear_error(shared_assistant, standin):
    s = standin("badjson")
    a = _assistant(shared_assistant, s.url, retries=0).ask(TROOPS)
    assert a.mode == "offline" and a.flags[0].kind == "llm_unavailable"
    assert "not OpenAI-compatible JSON" in a.flags[0].message


def test_slow_server_times_out(shared_assistant, standin):
    s = standin("slow", delay=3.0)
    with pytest.raises(BackendError, match="did not answer within 0.5s") as err:
        _assistant(shared_assistant, s.url, retries=0, timeout=0.5, llm_fallback=0).ask(TROOPS)
    assert err.value.retryable and len(s.requests) == 1


def test_refused_connection_names_the_server(shared_assistant, standin):
    s = standin("ok")
    url = s.url
    s.close()
    with pytest.raises(BackendError, match="cannot reach the model server at http://127.0.0.1"):
        _assistant(shared_assistant, url, retries=0, llm_fallback=0).ask(TROOPS)


def test_context_overflow_is_explained(shared_assistant, standin):
    s = standin("overflow")
    a = _assistant(shared_assistant, s.url, retries=0).ask(TROOPS)
    assert a.mode == "offline" and "context window" in a.flags[0].message


def test_refused_json_schema_falls_back_to_json_object_and_is_remembered(shared_assistant, standin):
    s = standin("no_schema")
    helper = _assistant(shared_assistant, s.url)
    assert helper.ask(TROOPS).mode == "openai"
    formats = [r["body"]["response_format"]["type"] for r in s.requests]
    assert formats == ["json_schema", "json_object"]
    helper.ask("Who predicted that as many as 30,000 troops could be sent?")
    assert s.requests[-1]["body"]["response_format"]["type"] == "json_object"


def test_key_never_appears_in_errors_or_logs(shared_assistant, standin, caplog):
    s = standin("401")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendError) as err:
        _assistant(shared_assistant, s.url, retries=0, llm_fallback=0).ask(TROOPS)
    assert s.requests[0]["auth"] == f"Bearer {KEY}"  # it was sent to the server ...
    assert "401" in str(err.value) and KEY not in str(err.value)  # ... and nowhere else
    assert KEY not in caplog.text and KEY not in repr(_assistant(shared_assistant, s.url).settings)


def test_stream_yields_deltas_then_the_verified_answer(shared_assistant, standin):
    s = standin("ok")
    parts = list(_assistant(shared_assistant, s.url).ask_stream(TROOPS))
    final = parts[-1]
    deltas = parts[:-1]
    assert isinstance(final, Answer) and len(deltas) > 1
    assert all(isinstance(d, str) for d in deltas)
    assert "".join(deltas) == "The article reports this [1]."
    assert final.citations and final.usage["completion_tokens"] == 45


def test_cli_fault_messages_have_no_traceback_and_no_key(shared_assistant, standin):
    s = standin("401")
    store = str(shared_assistant.settings.store_dir)
    env = dict(ASSISTANT_LLM="openai", OPENAI_BASE_URL=s.url, OPENAI_API_KEY=KEY,
               ASSISTANT_LLM_RETRIES="0", ASSISTANT_LLM_FALLBACK="0")
    r = run_cli("ask", TROOPS, "--store", store, **env)
    assert r.returncode == 1 and "rejected the API key" in r.stderr
    assert "Traceback" not in r.stderr and KEY not in r.stderr + r.stdout
    env["ASSISTANT_LLM_FALLBACK"] = "1"
    r = run_cli("ask", TROOPS, "--store", store, "--json", **env)
    out = json.loads(r.stdout)
    assert r.returncode == 0 and out["mode"] == "offline"
    assert out["flags"][0]["kind"] == "llm_unavailable" and KEY not in r.stdout + r.stderr


def test_llm_summary_keeps_only_verified_sentences(shared_assistant, standin):
    s = standin("ok")
    summary = _assistant(shared_assistant, s.url).summarize("north-korea-troops")
    assert summary.mode == "openai"
    texts = [x.text for x in summary.sentences]
    assert texts[0] == "First, what passage 1 says." and "An invented sentence." not in texts
    assert all(verify(c, shared_assistant.document(c.document_id))
               for x in summary.sentences for c in x.citations)
    assert texts[-1].startswith("Flagged inconsistencies")  # the closing line still names flags
    assert any(f.kind == "unsupported_sentence" for f in summary.flags)


def test_llm_summary_falls_back_to_extractive(shared_assistant, standin):
    s = standin("garbage")
    summary = _assistant(shared_assistant, s.url).summarize("north-korea-troops")
    assert summary.mode == "offline"
    assert any(f.kind == "unverified_llm_summary" for f in summary.flags)
    assert "11,000" in summary.text


def test_model_proposed_conflicts_are_verified_and_merged(shared_assistant, standin):
    s = standin("ok")
    a = _assistant(shared_assistant, s.url)
    flags = a.check("north-korea-troops")
    offline = shared_assistant.check("north-korea-troops")
    proposed = [f for f in flags if "proposed by the model" in f.message]
    # the invented quote is dropped; the role conflict the offline audit already has is collapsed
    assert [f.kind for f in proposed] == ["attribution_conflict"]
    assert [f.kind for f in flags].count("role_conflict") == 1
    doc = shared_assistant.document("north-korea-troops")
    assert len(proposed[0].citations) == 2 and all(verify(c, doc) for c in proposed[0].citations)
    assert all(f in flags for f in offline)  # merged with, not instead of, the offline audit
    calls = len(s.requests)
    assert a.check("north-korea-troops") == flags and len(s.requests) == calls  # cached


def test_llm_judge_decides_free_text_answers(shared_assistant, standin):
    from assistant.evals import make_judge

    s = standin("ok")
    settings = shared_assistant.settings.with_(llm="openai", openai_base_url=s.url, llm_retries=0)
    judge = make_judge(settings)
    assert judge("How many troops?", "about 11,000", "Roughly 11,000 soldiers.") is True
    assert judge("How many troops?", "about 11,000", "Some 40,000 soldiers.") is False
    assert "Expected answer: about 11,000" in s.requests[0]["body"]["messages"][1]["content"]
