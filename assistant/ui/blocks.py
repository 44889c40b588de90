"""The gradio page: Chat, Corpus, Check, Summarize and Evals tabs over one ``Assistant``.

Every handler catches ``AssistantError`` (and anything unexpected) and turns it into a visible
message plus a toast, so an event always finishes: no stuck spinner. Handlers call the public
API only; all HTML comes from ``render`` (which escapes article text).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from ..core import Assistant
from ..errors import AssistantError, InputError
from ..ingest import SUFFIXES
from ..models import Answer, IngestReport
from . import render
from .uploads import inside, save_uploads

log = logging.getLogger(__name__)

ALL_ARTICLES = "__all__"
MODES = [("Offline (extractive, no model)", "offline"),
         ("OpenAI-compatible server", "openai"),
         ("Local model (llama.cpp)", "local")]
EXAMPLES = ["How many troops has North Korea deployed?",
            "Who predicted that North Korea may deploy additional troops?",
            "When did the Pentagon give its estimate?"]
DOC_COLUMNS = ["id", "title", "file", "chunks", "flags"]
RESULT_COLUMNS = ["id", "kind", "type", "question", "expected", "got", "correct", "abstained",
                  "citations valid", "supported", "seconds"]


class UI:
    """State shared by all sessions: the assistant (one per reader mode), folders, locks."""

    def __init__(self, assistant: Assistant, upload_dir: Path, evals_dir: Path,
                 chat_concurrency: int = 4) -> None:
        self.assistant = assistant
        self.upload_dir = Path(upload_dir)
        self.evals_dir = Path(evals_dir)
        self.chat_concurrency = chat_concurrency
        self._modes: dict[str, Assistant] = {assistant.settings.llm: assistant}
        self._modes_lock = threading.Lock()

    # ---- helpers ---------------------------------------------------------------------------

    def assistant_for(self, mode: str | None) -> Assistant:
        """The assistant reading with ``mode``; built on first use over the same store, sharing
        the embedding model. Raises ConfigError when the mode is not configured."""
        mode = mode or self.assistant.settings.llm
        if mode not in {m for _, m in MODES}:
            raise InputError(f"unknown mode {mode!r}; use one of {', '.join(m for _, m in MODES)}")
        with self._modes_lock:
            if mode not in self._modes:
                settings = self.assistant.settings.with_(llm=mode)
                self._modes[mode] = Assistant(settings=settings, embedder=self.assistant.embedder)
            return self._modes[mode]

    def doc_choices(self, with_all: bool = False) -> list[tuple[str, str]]:
        docs = sorted(self.assistant.documents(), key=lambda d: d.title.lower())
        choices = [(f"{d.title} ({d.id})", d.id) for d in docs]
        return ([("All articles (whole corpus)", ALL_ARTICLES)] if with_all else []) + choices

    def eval_files(self) -> list[str]:
        if not self.evals_dir.is_dir():
            return []
        return sorted(p.name for p in self.evals_dir.iterdir()
                      if p.is_file() and p.suffix.lower() in {".jsonl", ".yaml", ".yml"})

    # ---- chat ------------------------------------------------------------------------------

    def respond(self, message: str, mode: str, top_k: float, turns: list[dict] | None
                ) -> Iterator[tuple]:
        """Answer one chat message, streaming the text, then the verified answer."""
        turns = list(turns or [])
        message = (message or "").strip()
        if not message:
            gr.Warning("Type a question first.")
            yield self._chat_outputs(turns, "")
            return
        history = _history(turns)
        turn: dict[str, Any] = {"question": message, "pending": True, "draft": ""}
        turns.append(turn)
        yield self._chat_outputs(turns, "")
        try:
            assistant = self.assistant_for(mode)
            k = int(top_k) if top_k else None
            answer = None
            last = 0.0
            for part in assistant.ask_stream(message, k=k, history=history or None):
                if isinstance(part, Answer):
                    answer = part
                elif isinstance(part, str):
                    turn["draft"] += part
                    if time.monotonic() - last > 0.05:  # a few updates per second are enough
                        last = time.monotonic()
                        yield self._chat_outputs(turns, "")
            if answer is None:
                raise AssistantError("the assistant returned no answer")
            turn["answer"] = answer
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a stuck spinner
            turn["error"] = _message(exc)
            gr.Warning(turn["error"])
        turn["pending"] = False
        yield self._chat_outputs(turns, "")

    def _chat_outputs(self, turns: list[dict], box: str) -> tuple:
        messages = []
        for i, t in enumerate(turns, 1):
            messages.append({"role": "user", "content": render.user_bubble(t["question"])})
            if t.get("answer") is not None:
                content = render.answer_bubble(t["answer"], f"t{i}", asked=t["question"])
            elif t.get("error"):
                content = render.error_bubble(t["error"])
            else:
                content = render.streaming_bubble(t.get("draft") or "Searching the articles…")
            messages.append({"role": "assistant", "content": content})
        latest = turns[-1].get("answer") if turns else None
        return (messages, box, render.sources_html(turns, self.assistant.document), turns,
                latest.to_dict() if latest is not None else None)

    def clear_chat(self) -> tuple:
        return self._chat_outputs([], "")

    # ---- corpus ----------------------------------------------------------------------------

    def documents_table(self, with_flags: bool = True) -> pd.DataFrame:
        rows = []
        docs = sorted(self.assistant.documents(), key=lambda d: d.title.lower())
        for d in docs:
            flags: Any = "…"
            if with_flags:
                try:
                    flags = len(self.assistant.check(d.id))
                except AssistantError as exc:
                    log.warning("flags of %s: %s", d.id, exc)
                    flags = "?"
            rows.append([d.id, d.title, render.source_name(d.source), d.chunks, flags])
        return pd.DataFrame(rows, columns=DOC_COLUMNS)

    def refresh(self, with_flags: bool = False) -> tuple:
        """The documents table and every article picker, after the corpus changed."""
        try:
            table = self.documents_table(with_flags)
            plain, every = self.doc_choices(), self.doc_choices(with_all=True)
        except Exception as exc:  # noqa: BLE001
            gr.Warning(_message(exc))
            return (gr.skip(),) * 4
        return (table, gr.update(choices=plain, value=None),
                gr.update(choices=every, value=ALL_ARTICLES), gr.update(choices=plain, value=None))

    def flag_counts(self) -> pd.DataFrame | Any:
        """The documents table with flag counts (the audit can take seconds on a new corpus)."""
        try:
            return self.documents_table(with_flags=True)
        except Exception as exc:  # noqa: BLE001
            gr.Warning(_message(exc))
            return gr.skip()

    def documents(self) -> tuple:
        """Refresh button: the documents table with flag counts, and every article picker."""
        return (self.flag_counts(),) + self.refresh()[1:]

    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple:
        """Copy uploads into the data folder under safe names, ingest them, report."""
        try:
            report = self._ingest_uploads(files or [], progress)
        except Exception as exc:  # noqa: BLE001
            msg = _message(exc)
            gr.Warning(msg)
            report = f'<div class="error-msg">⚠ {render.esc(msg)}</div>'
        return (report, None) + self.refresh()

    def _ingest_uploads(self, files: list[str], progress: gr.Progress) -> str:
        if not files:
            raise InputError("choose one or more files to upload ("
                             + ", ".join(sorted(SUFFIXES)) + ")")
        max_bytes = int(self.assistant.settings.max_file_mb * 1024 * 1024)
        names = [Path(f).name for f in files]
        saved = save_uploads(files, names, self.upload_dir, max_bytes)
        total = IngestReport()
        t0 = time.perf_counter()
        n = len(saved.paths)
        for i, path in enumerate(saved.paths):
            progress((i, n), desc=f"ingesting {path.name}", unit="files")
            rep = self.assistant.ingest([path], progress=False)
            for name in ("added", "updated", "unchanged", "removed", "errors"):
                getattr(total, name).extend(getattr(rep, name))
            total.chunks_embedded += rep.chunks_embedded
        if n:
            progress((n, n), desc="done", unit="files")
        total.seconds = time.perf_counter() - t0
        lines = [f"Added {len(total.added)}, updated {len(total.updated)}, unchanged "
                 f"{len(total.unchanged)}; {total.chunks_embedded} chunks embedded in "
                 f"{total.seconds:.1f} s."]
        for ids, verb in ((total.added, "added"), (total.updated, "updated")):
            lines += [f"✓ {render.esc(i)} {verb}" for i in ids]
        problems = [(name, why) for name, why in saved.refused]
        problems += [(render.source_name(e.path), e.message) for e in total.errors]
        for name, why in problems:
            lines.append(f'<span class="error-msg">✗ {render.esc(name)}: {render.esc(why)}</span>')
        if problems:
            gr.Warning(f"{len(problems)} file(s) could not be ingested: " + problems[0][1])
        return "<br>".join(lines)

    def delete(self, document_id: str | None) -> tuple:
        try:
            if not document_id:
                raise InputError("pick a document to delete")
            doc = self.assistant.document(document_id)
            if doc is None or not self.assistant.remove(document_id):
                raise InputError(f"no document {document_id!r} in the store")
            if inside(doc.source, self.upload_dir):  # else a later upload would bring it back
                Path(doc.source).unlink(missing_ok=True)
            msg = f"Deleted {render.esc(document_id)}."
        except Exception as exc:  # noqa: BLE001
            msg = f'<div class="error-msg">⚠ {render.esc(_message(exc))}</div>'
            gr.Warning(_message(exc))
        return (msg,) + self.refresh()

    # ---- check -----------------------------------------------------------------------------

    def check(self, document_id: str | None) -> tuple[str, str]:
        """The flags of one article (or of the corpus), and the article with its spans marked."""
        try:
            doc = None
            if document_id and document_id != ALL_ARTICLES:
                doc = self.assistant.document(document_id)
                if doc is None:
                    raise InputError(f"no document {document_id!r} in the store")
            flags = self.assistant.check(doc.id if doc else None)
            return render.check_flags_html(doc, flags), render.check_document_html(doc, flags)
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc), ""

    def verify(self, claim: str) -> str:
        try:
            verdict = self.assistant.verify_claim(claim or "")
            return render.verdict_html(verdict, self.assistant.document)
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc)

    # ---- summarize -------------------------------------------------------------------------

    def summarize(self, scope: str, document_id: str | None, topic: str,
                  max_sentences: float) -> tuple:
        empty = pd.DataFrame()
        try:
            method = getattr(self.assistant, "summarize", None)
            if method is None:
                raise AssistantError("summaries are not available in this version")
            if scope == "topic":
                if not (topic or "").strip():
                    raise InputError("type a topic to summarize, e.g. 'North Korean troops'")
                summary = method(topic=topic.strip(), max_sentences=int(max_sentences))
            else:
                if not document_id:
                    raise InputError("pick an article to summarize")
                summary = method(document_id=document_id, max_sentences=int(max_sentences))
            html = render.summary_html(summary, self.assistant.document)
            return html, self._facts(scope, document_id, summary)
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc), empty

    def _facts(self, scope: str, document_id: str | None, summary: Any) -> pd.DataFrame:
        method = getattr(self.assistant, "facts", None)
        if method is None:
            return pd.DataFrame()
        if scope == "topic":
            cited = dict.fromkeys(c.document_id for s in getattr(summary, "sentences", [])
                                  for c in getattr(s, "citations", []))
            facts = [f for did in cited for f in method(document_id=did)]
        else:
            facts = method(document_id=document_id)
        columns, rows = render.fact_rows(facts)
        return pd.DataFrame(rows, columns=columns)

    # ---- evals -----------------------------------------------------------------------------

    def run_eval(self, name: str | None, progress: gr.Progress = gr.Progress()) -> tuple:
        """Run one eval file from the evals folder: totals, per-case table, chart, report."""
        from .. import evals

        empty = (pd.DataFrame(columns=RESULT_COLUMNS), pd.DataFrame(columns=["type", "accuracy"]),
                 None)
        try:
            if name not in self.eval_files():  # only files listed from the evals folder
                raise InputError(f"choose one of the eval files in {self.evals_dir.name}/")
            cases = evals.load_file(self.evals_dir / name)
            total = len(cases.qa) + len(cases.summaries) + len(cases.flags)
            if not total:
                raise InputError(f"{name} holds no cases")
            done = [0]

            def tick(result: Any) -> None:
                done[0] += 1
                progress((done[0], total), desc=f"{getattr(result, 'id', '')}", unit="cases")

            progress((0, total), desc="starting", unit="cases")
            a = self.assistant
            summarize = evals.summarize_with(a) if cases.summaries else None
            report = evals.run_eval(cases.qa + cases.summaries, a.ask, a.document, progress=tick,
                                    summarize=summarize)
            if cases.flags:
                settings = a.settings

                def fresh(tmp: Path) -> Assistant:
                    return Assistant(settings=settings.with_(store_dir=tmp, chroma_url=None,
                                                             collection_prefix="evalui"),
                                     embedder=a.embedder)

                report.flag_report = evals.run_flag_eval(cases.flags, self.evals_dir.parent,
                                                         fresh, progress=tick)
            return _eval_outputs(report)
        except Exception as exc:  # noqa: BLE001
            return (_error_html(exc),) + empty

    # ---- page ------------------------------------------------------------------------------

    def build(self) -> gr.Blocks:
        settings = self.assistant.settings
        docs, every = self.doc_choices(), self.doc_choices(with_all=True)
        with gr.Blocks(title="News assistant", analytics_enabled=False) as demo:
            gr.HTML('<div class="app-head"><h1>News assistant</h1><p>Answers from your articles '
                    'with exact, verified citations — and warnings where the articles disagree.'
                    '</p></div>', elem_id="app-head")
            turns = gr.State([])
            with gr.Tabs():
                with gr.Tab("Chat", id="chat"):
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=3):
                            chatbot = gr.Chatbot(label="Conversation", elem_id="chatbot",
                                                 show_label=False, height=600,
                                                 latex_delimiters=[],
                                                 feedback_options=None, buttons=["copy"],
                                                 placeholder="Ask about the articles in the corpus.")
                            with gr.Row():
                                box = gr.Textbox(placeholder="Ask a question, e.g. How many troops "
                                                 "has North Korea deployed?", show_label=False,
                                                 scale=5, elem_id="question", max_lines=4,
                                                 max_length=settings.max_question_chars)
                                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                            with gr.Row():
                                gr.Examples(EXAMPLES, inputs=box, label="Examples")
                                clear = gr.Button("New conversation", size="sm", scale=0)
                            with gr.Accordion("Settings", open=False, elem_id="settings"):
                                mode = gr.Radio(MODES, value=settings.llm, label="Reader",
                                                info="OpenAI-compatible needs OPENAI_BASE_URL or "
                                                "OPENAI_API_KEY; every mode's citations are "
                                                "verified the same way.", elem_id="mode")
                                top_k = gr.Slider(1, 20, value=settings.top_k, step=1,
                                                  label="Passages read (top-k)", elem_id="top-k")
                        with gr.Column(scale=2):
                            gr.Markdown("### Sources")
                            sources = gr.HTML(render.sources_html([], self.assistant.document),
                                              elem_id="sources", padding=True)
                            with gr.Accordion("Answer as JSON", open=False):
                                answer_json = gr.JSON(label="Answer", elem_id="answer-json")
                    chat_out = [chatbot, box, sources, turns, answer_json]
                    chat_args = dict(fn=self.respond, inputs=[box, mode, top_k, turns],
                                     outputs=chat_out, concurrency_limit=self.chat_concurrency,
                                     concurrency_id="chat", show_progress="minimal")
                    send.click(**chat_args, api_name="chat")
                    box.submit(**chat_args, api_visibility="private")
                    clear.click(self.clear_chat, None, chat_out, api_name="clear_chat")

                with gr.Tab("Corpus", id="corpus"):
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=2):
                            files = gr.File(label=f"Upload articles ({', '.join(sorted(SUFFIXES))}"
                                            f"; up to {settings.max_file_mb:g} MB each)",
                                            file_count="multiple", file_types=sorted(SUFFIXES),
                                            elem_id="upload")
                            ingest_btn = gr.Button("Ingest", variant="primary", elem_id="ingest")
                            ingest_report = gr.HTML(elem_id="ingest-report", padding=True)
                        with gr.Column(scale=3):
                            docs_table = gr.Dataframe(headers=DOC_COLUMNS, label="Documents",
                                                      interactive=False, wrap=True, datatype="str",
                                                      elem_id="documents", max_height=560,
                                                      column_widths=["22%", "40%", "20%", "9%",
                                                                     "9%"])
                            with gr.Row():
                                delete_pick = gr.Dropdown(label="Delete a document",
                                                          choices=docs, allow_custom_value=True,
                                                          elem_id="delete-pick", scale=3)
                                delete_btn = gr.Button("Delete", variant="stop", scale=1,
                                                       elem_id="delete")
                            refresh_btn = gr.Button("Refresh", size="sm")
                with gr.Tab("Check", id="check"):
                    with gr.Row(equal_height=True):
                        check_pick = gr.Dropdown(label="Article", choices=every,
                                                 value=ALL_ARTICLES, allow_custom_value=True,
                                                 elem_id="check-pick", scale=4)
                        check_btn = gr.Button("Check", variant="primary", elem_id="check-btn",
                                              scale=1)
                    with gr.Row(equal_height=False):
                        with gr.Column(scale=3):
                            check_doc = gr.HTML(render.check_document_html(None, []),
                                                elem_id="check-doc", padding=True)
                        with gr.Column(scale=2):
                            check_out = gr.HTML(elem_id="check-out", padding=True)
                    gr.Markdown("### Check a claim against the corpus")
                    with gr.Row(equal_height=True):
                        claim = gr.Textbox(show_label=False, scale=4,
                                           placeholder="North Korea has sent 30,000 troops",
                                           elem_id="claim", max_length=settings.max_question_chars)
                        claim_btn = gr.Button("Check claim", elem_id="claim-btn", scale=1)
                    verdict_out = gr.HTML(elem_id="verdict", padding=True)
                with gr.Tab("Summarize", id="summarize"):
                    with gr.Row():
                        scope = gr.Radio([("An article", "article"), ("A topic", "topic")],
                                         value="article", label="Summarize", elem_id="scope")
                        sum_pick = gr.Dropdown(label="Article", choices=docs,
                                               allow_custom_value=True, elem_id="sum-pick")
                        topic = gr.Textbox(label="Topic", placeholder="North Korean troops",
                                           elem_id="topic")
                        max_sentences = gr.Slider(1, 10, value=5, step=1, label="Sentences")
                    sum_btn = gr.Button("Summarize", variant="primary", elem_id="sum-btn")
                    sum_out = gr.HTML(elem_id="summary", padding=True)
                    facts = gr.Dataframe(label="Facts", interactive=False, wrap=True,
                                         datatype="str", elem_id="facts")
                with gr.Tab("Evals", id="evals"):
                    with gr.Row():
                        eval_pick = gr.Dropdown(label="Eval file", choices=self.eval_files(),
                                                value=_first(self.eval_files(), "seed.jsonl"),
                                                allow_custom_value=True, elem_id="eval-pick",
                                                scale=3)
                        eval_btn = gr.Button("Run eval", variant="primary", elem_id="eval-btn",
                                             scale=1)
                    with gr.Row(equal_height=False):
                        eval_totals = gr.HTML(elem_id="eval-totals", padding=True,
                                              value='<div class="muted">Pick an eval file and '
                                              'run it: totals, a line per case and accuracy by '
                                              'question type appear here.</div>')
                        eval_chart = gr.BarPlot(x="type", y="accuracy", y_lim=[0, 1],
                                                title="Accuracy by question type",
                                                elem_id="eval-chart", height=280)
                    eval_table = gr.Dataframe(headers=RESULT_COLUMNS, label="Per case",
                                              interactive=False, wrap=True, max_height=600,
                                              datatype="str",
                                              elem_id="eval-table",
                                              column_widths=["12%", "5%", "7%", "20%", "10%",
                                                             "22%", "5%", "5%", "5%", "5%", "4%"])
                    with gr.Accordion("Report as JSON", open=False):
                        eval_json = gr.JSON(label="Report")

            lists = [docs_table, delete_pick, check_pick, sum_pick]
            counts = dict(fn=self.flag_counts, inputs=None, outputs=[docs_table],
                          api_visibility="private", show_progress="hidden")
            ingest_btn.click(self.upload, [files], [ingest_report, files] + lists,
                             api_name="upload", concurrency_id="write", concurrency_limit=1,
                             show_progress_on=[ingest_report]).then(**counts)
            delete_btn.click(self.delete, [delete_pick], [ingest_report] + lists,
                             api_name="delete_document", concurrency_id="write",
                             concurrency_limit=1,
                             js="(d) => (d && !confirm('Delete ' + d + ' from the store?')) ? null : d"
                             ).then(**counts)
            refresh_btn.click(self.documents, None, lists, api_name="documents")
            demo.load(self.refresh, None, lists, api_visibility="private").then(**counts)
            demo.load(lambda: gr.update(choices=self.eval_files()), None, [eval_pick],
                      api_visibility="private", show_progress="hidden")
            check_btn.click(self.check, [check_pick], [check_out, check_doc], api_name="check")
            check_pick.input(self.check, [check_pick], [check_out, check_doc],
                             api_visibility="private")
            claim_btn.click(self.verify, [claim], [verdict_out], api_name="verify_claim")
            claim.submit(self.verify, [claim], [verdict_out], api_visibility="private")
            sum_btn.click(self.summarize, [scope, sum_pick, topic, max_sentences], [sum_out, facts],
                          api_name="summarize")
            eval_btn.click(self.run_eval, [eval_pick], [eval_totals, eval_table, eval_chart,
                                                        eval_json],
                           api_name="run_eval", concurrency_id="eval", concurrency_limit=1,
                           show_progress_on=[eval_totals])
        return demo


# ---- module helpers ------------------------------------------------------------------------------


def _history(turns: list[dict]) -> list[dict]:
    """The conversation as plain role/content messages (answers as the assistant gave them)."""
    out = []
    for t in turns:
        answer = t.get("answer")
        if answer is None:
            continue
        out.append({"role": "user", "content": t["question"]})
        out.append({"role": "assistant", "content": answer.text})
    return out


def _message(exc: BaseException) -> str:
    if isinstance(exc, AssistantError):
        return str(exc)
    log.exception("unexpected error in the UI", exc_info=exc)
    return f"Internal error: {type(exc).__name__}: {exc}"


def _error_html(exc: BaseException) -> str:
    msg = _message(exc)
    gr.Warning(msg)
    return f'<div class="error-msg">⚠ {render.esc(msg)}</div>'


def _first(items: list[str], preferred: str) -> str | None:
    return preferred if preferred in items else (items[0] if items else None)


def _eval_outputs(report: Any) -> tuple:
    totals = report.totals()
    rows = []
    for r in report.results:
        rows.append([r.id, "qa", r.type or r.tags.get("type", ""), r.question,
                     "(abstain)" if r.expected is None else str(r.expected), r.got,
                     "✓" if r.correct else "✗", "yes" if r.abstained else "",
                     f"{r.citations_valid}/{r.citations}",
                     "" if r.supported is None else ("yes" if r.supported else "no"),
                     round(r.seconds, 3)])
    for s in report.summaries:
        rows.append([s.id, "summary", s.tags.get("type", "summary"), s.topic or s.document or "",
                     f"{s.facts} facts", f"{s.facts_covered}/{s.facts} facts covered",
                     "✓" if s.correct else "✗", "", f"{s.citations_valid}/{s.citations}", "",
                     round(s.seconds, 3)])
    if report.flag_report is not None:
        for f in report.flag_report.results:
            ok = f.matched_expected == f.expected and f.matched_predicted == f.predicted
            rows.append([f.id, "flags", "flags", "", f"{f.expected} flags",
                         f"{f.predicted} predicted, {f.matched_expected} matched",
                         "✓" if ok else "✗", "", "", "", ""])
    table = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    chart_rows = [[t, v["answer_accuracy"], v["cases"]]
                  for t, v in report.breakdown("type").items()]
    if report.summaries:
        chart_rows.append(["summary", sum(s.correct for s in report.summaries)
                           / len(report.summaries), len(report.summaries)])
    if report.flag_report is not None:
        chart_rows.append(["flag precision", report.flag_report.precision,
                           len(report.flag_report.results)])
        chart_rows.append(["flag recall", report.flag_report.recall,
                           len(report.flag_report.results)])
    chart = pd.DataFrame(chart_rows, columns=["type", "accuracy", "cases"])
    cells = "".join(f'<div class="metric"><div class="metric-v">{_fmt(v)}</div>'
                    f'<div class="metric-k">{render.esc(k.replace("_", " "))}</div></div>'
                    for k, v in totals.items() if v is not None)
    return f'<div class="metrics">{cells}</div>', table, chart, report.to_dict()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1%}" if 0 <= v <= 1 else f"{v:.2f}"
    return render.esc(v)


def default_upload_dir(assistant: Assistant) -> Path:
    """``ASSISTANT_UPLOAD_DIR``, else an ``uploads`` folder beside the store (a temp folder for a
    server store, which has no local folder)."""
    env = os.environ.get("ASSISTANT_UPLOAD_DIR")
    if env:
        return Path(env).expanduser()
    if assistant.settings.chroma_url:
        return Path(tempfile.gettempdir()) / "news-assistant-uploads"
    return Path(assistant.settings.store_dir).parent / "uploads"
