"""The ``Assistant`` facade: the one API the CLI, the UI and the eval runner call."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from . import ingest as ingest_mod
from .answer import OfflineReader
from .config import Settings
from .embed import Embedder, make_embedder
from .errors import BackendError, IngestError, InputError, StoreError
from .ground import verified, verify
from .models import (Answer, Citation, Document, Fact, FileError, Flag, IngestReport, Summary,
                     SummarySentence, Verdict, fact_from_dict, flag_from_dict)
from .question import parse
from .retrieve import Retriever
from .store import ChromaStore, DocumentInfo
from .text import terms as _terms

log = logging.getLogger(__name__)


class Assistant:
    """Ingest a corpus into a Chroma store and answer questions with verified citations.

    Args:
        store: Folder of an embedded store, or ``http(s)://host:port`` of a Chroma server.
            Defaults to ``ASSISTANT_STORE`` / ``ASSISTANT_CHROMA_URL``.
        corpus: Folder ingested by ``ensure_corpus`` (defaults to the shipped ``corpus/``).
        settings: Overrides the settings read from the environment.
        embedder: Any object following the ``Embedder`` protocol (defaults to MiniLM).
    """

    def __init__(self, store: str | Path | None = None, corpus: str | Path | None = None,
                 settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        settings = settings or Settings.from_env()
        if store is not None:
            s = str(store)
            if s.startswith(("http://", "https://")):
                settings = settings.with_(chroma_url=s)
            else:
                settings = settings.with_(store_dir=Path(s).expanduser(), chroma_url=None)
        if corpus is not None:
            settings = settings.with_(corpus_dir=Path(corpus).expanduser())
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.store = ChromaStore(settings, self.embedder.name, self.embedder.dim)
        self.retriever = Retriever(self.store, self.embedder)
        self.reader = OfflineReader(settings, self.embedder)
        self.reader.facts_for = self._document_facts
        self._fact_rows: dict[tuple[str, str], list[Fact]] = {}
        self._write_lock = threading.Lock()
        self._facts_cache: dict = {}
        self._llm = None
        self._llm_lock = threading.Lock()

    # ---- corpus ----------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path] | str | Path | None = None,
               progress: bool | None = None) -> IngestReport:
        """Ingest files and folders incrementally.

        Unchanged files are skipped (nothing embedded), changed files have their chunks
        replaced, and documents whose file disappeared from an ingested folder are removed.
        A file that cannot be read is reported in ``errors`` and leaves its stored version alone.
        """
        if paths is None:
            paths = [self.settings.corpus_dir]
        elif isinstance(paths, (str, Path)):
            paths = [paths]
        t0 = time.perf_counter()
        report = IngestReport()
        show = sys.stderr.isatty() if progress is None else progress
        with self._write_lock:
            files, folders, problems = ingest_mod.discover(paths)
            report.errors.extend(FileError(p, m) for p, m in problems)
            self.store.delete_orphans()
            stored = {d.source: d for d in self.store.documents()}
            taken = {d.id: d.source for d in stored.values()}
            seen_sources: set[str] = set()
            pending: list[tuple[Document, list, bool]] = []
            bar = _progress(len(files), show, "ingest")
            for path in files:
                seen_sources.add(str(path))
                try:
                    doc = ingest_mod.read_document(path, self.settings)
                except IngestError as exc:
                    report.errors.append(FileError(exc.path, exc.reason))
                    bar.update(1)
                    continue
                old = stored.get(doc.source)
                doc_id = old.id if old else _free_id(doc.id, doc.source, taken)
                taken[doc_id] = doc.source
                doc = Document(id=doc_id, title=doc.title, source=doc.source, text=doc.text,
                               hash="", metadata=doc.metadata)
                digest = ingest_mod.content_hash(doc, self.settings)
                doc = Document(id=doc.id, title=doc.title, source=doc.source, text=doc.text,
                               hash=digest, metadata=doc.metadata)
                if old and old.hash == digest:
                    report.unchanged.append(doc.id)
                    bar.update(1)
                    continue
                pending.append((doc, ingest_mod.chunk_document(doc, self.settings), old is not None))
                if sum(len(c) for _, c, _ in pending) >= _FLUSH_CHUNKS:
                    self._flush(pending, report, bar)
            self._flush(pending, report, bar)
            bar.close()
            for folder in folders:
                for source, info in stored.items():
                    if source not in seen_sources and _inside(source, folder):
                        if not Path(source).exists():
                            self.store.delete_document(info.id)
                            report.removed.append(info.id)
            if self.settings.audit_on_ingest:
                # Flags are computed now and stored, so check() and answers reuse them.
                changed = set(report.added + report.updated)
                infos = {d.id: d for d in self.store.documents() if d.id in changed} \
                    if changed else {}
                for did in report.added + report.updated:
                    info = infos.get(did)
                    if info is None:
                        continue
                    try:
                        self._document_flags(info.id, info.hash)
                    except Exception:  # an audit bug must not lose an ingest
                        log.exception("audit of %s failed; check() will retry", did)
        report.seconds = time.perf_counter() - t0
        return report

    def _flush(self, pending: list, report: IngestReport, bar) -> None:
        """Embed the chunks of several documents in one call and write them in one batch."""
        if not pending:
            return
        texts = [c.title + "\n" + c.text for _, chunks, _ in pending for c in chunks]
        vectors = self.embedder.embed(texts, "document")
        items, i = [], 0
        for doc, chunks, _ in pending:
            items.append((doc, chunks, vectors[i:i + len(chunks)]))
            i += len(chunks)
        self.store.write_documents(items)
        for doc, chunks, was_stored in pending:
            report.chunks_embedded += len(chunks)
            (report.updated if was_stored else report.added).append(doc.id)
        bar.update(len(pending))
        pending.clear()

    def warm(self) -> None:
        """Load the models now rather than inside the first question's timings."""
        self.embedder.embed(["warm up"], "query")
        from . import nlp

        nlp.pipeline()

    def close(self) -> None:
        """Release the store client (the embedded store can then be moved or deleted)."""
        self.store.close()

    def __enter__(self) -> "Assistant":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_corpus(self) -> IngestReport | None:
        """Ingest the configured corpus if the store holds no documents yet."""
        if self.store.documents():
            return None
        return self.ingest([self.settings.corpus_dir])

    def documents(self) -> list[DocumentInfo]:
        """Stored documents (id, title, source, hash, chunk count), without their text."""
        return self.store.documents()

    def document(self, document_id: str) -> Document | None:
        """A stored document with its full text, or None."""
        return self.store.get_document(document_id)

    def remove(self, document_id: str) -> bool:
        """Delete a document and its chunks; False when it was not stored."""
        with self._write_lock:
            if self.store.get_document(document_id) is None:
                return False
            self.store.delete_document(document_id)
            return True

    # ---- audit -----------------------------------------------------------------------------

    def check(self, document_id: str | None = None) -> list[Flag]:
        """Inconsistency flags for one article (its own plus cross-article ones touching it), or
        for the whole corpus. Results are stored beside the store and reused until it changes."""
        infos = self.store.documents()
        if document_id is not None:
            info = next((d for d in infos if d.id == document_id), None)
            if info is None:
                raise InputError(f"no document {document_id!r} in the store; see: assistant docs")
            own = self._document_flags(info.id, info.hash)
            cross = [f for f in self._corpus_flags(infos)
                     if any(c.document_id == document_id for c in f.citations)
                     and len({c.document_id for c in f.citations}) > 1]
            return _merge(_merge(own, cross), self._proposed_flags(info.id, info.hash))
        flags = self._corpus_flags(infos)
        for info in infos:
            flags = _merge(flags, self._proposed_flags(info.id, info.hash))
        return flags

    def _proposed_flags(self, document_id: str, digest: str) -> list[Flag]:
        """With a model configured, the contradictions it proposes for one article (both quotes
        verified), cached per article version and model. Offline: none."""
        if self.settings.llm == "offline":
            return []
        from .generate import propose_conflicts

        reader = self._llm_reader()
        version = f"{reader.backend.model}:{digest}"
        cached = self.store.get_cached(f"flags:llm:{document_id}", version)
        if cached is not None:
            return [flag_from_dict(d) for d in json.loads(cached)]
        doc = self.store.get_document(document_id)
        if doc is None:
            return []
        try:
            flags, dropped = propose_conflicts(reader, doc)
        except BackendError as exc:
            log.warning("model pass over %s skipped: %s", document_id, exc)
            return []
        if dropped:
            log.info("%d model-proposed conflict(s) in %s had quotes not in the article",
                     dropped, document_id)
        self.store.put_cached(f"flags:llm:{document_id}", version,
                              json.dumps([f.to_dict() for f in flags]))
        return flags

    def _facts(self, document_id: str):
        from .audit import extract_facts

        doc = self.store.get_document(document_id)
        key = (document_id, doc.hash if doc else "")
        if key not in self._facts_cache:
            self._facts_cache[key] = extract_facts(doc) if doc else None
        return self._facts_cache[key]

    def _document_flags(self, document_id: str, digest: str) -> list[Flag]:
        from .audit import AUDIT_VERSION, audit

        cached = self.store.get_cached(f"flags:doc:{document_id}", f"{AUDIT_VERSION}:{digest}")
        if cached is not None:
            return [flag_from_dict(d) for d in json.loads(cached)]
        facts = self._facts(document_id)
        flags = audit([facts], self.reader.words) if facts else []
        self.store.put_cached(f"flags:doc:{document_id}", f"{AUDIT_VERSION}:{digest}",
                              json.dumps([f.to_dict() for f in flags]))
        return flags

    def _corpus_flags(self, infos) -> list[Flag]:
        from .audit import AUDIT_VERSION, audit

        version = AUDIT_VERSION + ":" + hashlib.sha256(
            "".join(f"{d.id}:{d.hash};" for d in infos).encode()).hexdigest()
        cached = self.store.get_cached("flags:corpus", version)
        if cached is not None:
            return [flag_from_dict(d) for d in json.loads(cached)]
        facts = [f for f in (self._facts(d.id) for d in infos) if f]
        flags = _merge([f for d in infos for f in self._document_flags(d.id, d.hash)],
                       audit(facts, self.reader.words))
        self.store.put_cached("flags:corpus", version, json.dumps([f.to_dict() for f in flags]))
        return flags

    def _flags_touching(self, citations: Sequence[Citation],
                        fetch: Callable[[str], Document | None]) -> list[Flag]:
        """Stored flags whose spans overlap the cited passages (per-document flags only, so a
        question never pays for a whole-corpus audit)."""
        out: list[Flag] = []
        for did in dict.fromkeys(c.document_id for c in citations):
            doc = fetch(did)
            if doc is None:
                continue
            for flag in self._document_flags(did, doc.hash):
                if any(fc.document_id == c.document_id and fc.start < c.end and c.start < fc.end
                       for fc in flag.citations for c in citations):
                    out.append(flag)
        return out

    def verify_claim(self, claim: str, k: int | None = None) -> Verdict:
        """Check a user's sentence against the corpus: ``supported``, ``contradicted`` (with the
        corpus's own figures and quotes), or ``not_found``."""
        from .verify import verify_claim

        claim = _clean_question(claim, self.settings.max_question_chars)
        lexical = self.retriever.lexical()
        if not lexical.chunks:
            raise StoreError(f"the store at {self.store.location} is empty; "
                             "ingest articles first: assistant ingest PATH")
        vector = self.embedder.embed([claim], "query")[0]
        passages = self.retriever.retrieve(claim, k or self.settings.top_k, query_vector=vector,
                                           lexical=lexical)
        verdict = verify_claim(claim, self.reader, passages, self.store.get_document, lexical, vector)
        docs = {c.document_id: self.store.get_document(c.document_id) for c in verdict.citations}
        verdict.citations = [c for c in verdict.citations if verify(c, docs[c.document_id])]
        if verdict.status != "not_found" and not verdict.citations:
            return Verdict(claim, "not_found", "The corpus does not say.")
        return verdict

    # ---- facts and summaries ---------------------------------------------------------------

    def facts(self, document_id: str | None = None) -> list[Fact]:
        """Figures, claims, forecasts and estimates of one article (or every article), each with
        who says or predicts it and a verified citation. Cached beside the store per document
        hash, like the flags."""
        if document_id is not None:
            doc = self.store.get_document(document_id)
            if doc is None:
                raise InputError(f"no document {document_id!r} in the store; see: assistant docs")
            return self._document_facts(doc)
        out: list[Fact] = []
        for info in self.store.documents():
            doc = self.store.get_document(info.id)
            if doc is not None:
                out.extend(self._document_facts(doc))
        return out

    def _document_facts(self, doc: Document) -> list[Fact]:
        from .facts import FACTS_VERSION, extract_facts

        version = f"{FACTS_VERSION}:{doc.hash}"
        if (doc.id, version) in self._fact_rows:
            return self._fact_rows[(doc.id, version)]
        cached = self.store.get_cached(f"facts:doc:{doc.id}", version)
        if cached is not None:
            facts = [fact_from_dict(d) for d in json.loads(cached)]
        else:
            facts = extract_facts(doc)
            self.store.put_cached(f"facts:doc:{doc.id}", version,
                                  json.dumps([f.to_dict() for f in facts], ensure_ascii=False))
        facts = [f for f in facts if verify(f.citation, doc)]
        if len(self._fact_rows) > 1024:
            self._fact_rows.clear()
        self._fact_rows[(doc.id, version)] = facts
        return facts

    def summarize(self, document_id: str | Sequence[str] | None = None, topic: str | None = None,
                  max_sentences: int = 5) -> Summary:
        """A cited summary of one article, several, or a topic across the corpus.

        Offline it is extractive: central sentences that carry figures and attributions, picked
        for novelty and given in document order, each an exact span of its article. When the
        summarised articles carry inconsistency flags (``check``) the last sentence names them.
        With a topic and no document, the topic's passages are retrieved and only articles that
        mention its names are used.

        Args:
            document_id: One id, a list of ids, or None (then ``topic`` is required).
            topic: What to summarise across the corpus (or within the given articles).
            max_sentences: At most this many sentences, the closing flag line included (a
                one-sentence summary of a flagged article still gets its flag line).
        """
        from . import summarize as summ
        from .text import covers

        if not isinstance(max_sentences, int) or not 1 <= max_sentences <= 50:
            raise InputError(f"max_sentences must be between 1 and 50, got {max_sentences!r}")
        if document_id is None and not topic:
            raise InputError("give a document id or a topic to summarize")
        ids = [document_id] if isinstance(document_id, str) else list(document_id or [])
        docs: dict[str, Document] = {}
        for did in ids:
            doc = self.store.get_document(did)
            if doc is None:
                raise InputError(f"no document {did!r} in the store; see: assistant docs")
            docs[did] = doc
        topic_vector = None
        within: Callable[[Document, int, int], bool] | None = None
        if topic:
            topic = _clean_question(topic, self.settings.max_question_chars)
            topic_vector = self.embedder.embed([topic], "query")[0]
            lexical = self.retriever.lexical()
            if not lexical.chunks:
                raise StoreError(f"the store at {self.store.location} is empty; "
                                 "ingest articles first: assistant ingest PATH")
            passages = self.retriever.retrieve(topic, max(12, 4 * max_sentences), ids or None,
                                               query_vector=topic_vector, lexical=lexical)
            names = parse(topic).names
            spans: dict[str, list[tuple[int, int]]] = {}
            for p in passages:
                did = p.chunk.document_id
                if did not in docs:
                    doc = self.store.get_document(did)
                    if doc is None:
                        continue
                    words = set(_terms(doc.title + "\n" + doc.text))
                    if not all(covers(n, words) for n in names):
                        continue  # an article that does not mention the topic's names
                    docs[did] = doc
                spans.setdefault(did, []).append((p.chunk.start, p.chunk.end))
            if not ids:
                docs = {d: doc for d, doc in docs.items() if d in spans}

            def retrieved(doc: Document, a: int, b: int) -> bool:
                return any(s < b and a < e for s, e in spans.get(doc.id, ()))

            within = retrieved

        cands = summ.candidates(list(docs.values()), self._document_facts, within)
        if topic_vector is not None:
            vectors = self.embedder.embed([c.text for c in cands], "document") if cands else []
            rel = [sum(x * y for x, y in zip(v, topic_vector)) for v in vectors]
            best: dict[str, float] = {}
            for c, r in zip(cands, rel):
                best[c.doc.id] = max(best.get(c.doc.id, -1.0), r)
            floor = summ.TOPIC_FLOOR * max(rel, default=0.0)
            keep = [i for i, (c, r) in enumerate(zip(cands, rel))
                    if r >= self.settings.min_similarity and best[c.doc.id] >= floor]
            cands = [cands[i] for i in keep]
            vectors = [vectors[i] for i in keep]
        else:
            vectors = self.embedder.embed([c.text for c in cands], "document") if cands else []
        used = {c.doc.id for c in cands}
        flags: list[Flag] = []
        for did in docs:
            if did in used or not topic:
                flags = _merge(flags, self.check(did))
        budget = max_sentences - 1 if flags and max_sentences > 1 else max_sentences
        picked = summ.extractive(cands, vectors, budget, topic_vector)
        if topic and not ids:
            # across the corpus, name only the flags that touch what the summary says
            flags = [f for f in flags if any(fc.document_id == c.doc.id and fc.start < c.end
                                             and c.start < fc.end
                                             for fc in f.citations for c in picked)]
        fetch_cache: dict[str, Document | None] = dict(docs)

        def fetch(did: str) -> Document | None:
            if did not in fetch_cache:
                fetch_cache[did] = self.store.get_document(did)
            return fetch_cache[did]

        sentences = summ.cited_sentences(picked)
        mode, notes = "offline", []
        if self.settings.llm != "offline" and picked:
            pool = summ.extractive(cands, vectors, min(len(cands), 3 * budget), topic_vector)
            written, notes = self._abstractive(pool, budget, topic, fetch)
            if written:
                sentences, mode = written, self.settings.llm
        closing = summ.flag_sentence(flags)
        if closing is not None:
            sentences.append(closing)

        checked = []
        for s in sentences:
            cites = tuple(c for c in s.citations if verify(c, fetch(c.document_id)))
            if len(cites) < len(s.citations):
                log.warning("dropped %d summary citation(s) that did not match their source",
                            len(s.citations) - len(cites))
            if cites:
                checked.append(SummarySentence(text=s.text, citations=cites))
        return Summary(sentences=checked, flags=flags + notes,
                       document_ids=list(dict.fromkeys(c.doc.id for c in picked)) or list(docs),
                       topic=topic, mode=mode)

    def _abstractive(self, pool, budget: int, topic: str | None,
                     fetch: Callable[[str], Document | None]) -> tuple[list, list[Flag]]:
        """Model-written summary sentences over the extractive pick's best sentences, each kept
        only with a verified quote; ``([], [flag])`` means: use the extractive summary."""
        from .generate import summarize as write_summary
        from .models import Chunk, Passage

        passages = [Passage(Chunk(f"{c.doc.id}#s{c.start}", c.doc.id, c.doc.title, c.doc.source,
                                  c.start, c.end, c.text, i), 1.0) for i, c in enumerate(pool)]
        try:
            reader = self._llm_reader()
            kept, removed = write_summary(reader, passages, budget, topic, fetch)
        except BackendError as exc:
            return [], [self._fallback_flag("llm_unavailable", exc)]
        if not kept:
            return [], [Flag("unverified_llm_summary", "No sentence of the model's summary had a "
                             "verified quote; this is the extractive summary.", (), "warning")]
        notes = [Flag("unsupported_sentence", f"{removed} sentence(s) of the model's summary had "
                      "no verified quote and were removed.", (), "info")] if removed else []
        return [SummarySentence(text=t, citations=tuple(cs)) for t, cs in kept], notes

    # ---- questions -------------------------------------------------------------------------

    def ask(self, question: str, k: int | None = None,
            document_ids: Sequence[str] | None = None) -> Answer:
        """Answer ``question`` from the store, citing exact spans, or abstain.

        With ``ASSISTANT_LLM`` set, the model writes the answer and every citation it gives is
        verified; when the model fails or nothing it cites verifies, the offline answer is
        returned with a flag saying why.

        Args:
            question: A natural-language question.
            k: Passages to read (defaults to ``ASSISTANT_TOP_K``).
            document_ids: Only read these documents.
        """
        answer = None
        for part in self._answer(question, k, document_ids, stream=False):
            answer = part
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(self, question: str, k: int | None = None,
                   history: Sequence[dict] | None = None,
                   document_ids: Sequence[str] | None = None) -> Iterator[str | Answer]:
        """Yield the answer's text as it is written, then the final verified ``Answer``.

        The streamed text is the model's draft; the ``Answer`` is what passed verification (its
        text can differ, e.g. renumbered markers or an offline fallback). ``history`` is the
        conversation so far (``[{"role": ..., "content": ...}]``): a follow-up is first
        rewritten into a standalone question (``Answer.question``).
        """
        if history:
            question = self.standalone(question, history)
        yield from self._answer(question, k, document_ids, stream=True)

    def chat(self, messages: Sequence[dict], k: int | None = None) -> Answer:
        """Answer the last user message of a conversation, resolving follow-ups first."""
        if not messages or not isinstance(messages[-1], dict) or \
                messages[-1].get("role") != "user":
            raise InputError("chat needs a list of messages ending with a user message")
        question = self.standalone(str(messages[-1].get("content", "")), messages[:-1])
        return self.ask(question, k=k)

    def standalone(self, question: str, history: Sequence[dict]) -> str:
        """Rewrite a follow-up into a question that stands alone (the model when configured,
        a parse-based rule offline)."""
        from .conversation import rewrite

        question = _clean_question(question, self.settings.max_question_chars)
        return rewrite(question, list(history), self._llm_reader())

    def _llm_reader(self):
        if self.settings.llm == "offline":
            return None
        with self._llm_lock:
            if self._llm is None:
                from .generate import LLMReader
                from .llm import make_backend

                self._llm = LLMReader(self.settings, make_backend(self.settings))
            return self._llm

    def _answer(self, question: str, k: int | None, document_ids: Sequence[str] | None,
                stream: bool) -> Iterator[str | Answer]:
        question = _clean_question(question, self.settings.max_question_chars)
        k = self.settings.top_k if k is None else k
        if not isinstance(k, int) or not 1 <= k <= 100:
            raise InputError(f"k must be between 1 and 100, got {k}")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        q = parse(question)
        vector = self.embedder.embed([question], "query")[0]
        lexical = self.retriever.lexical()
        if not lexical.chunks:
            raise StoreError(f"the store at {self.store.location} is empty; "
                             "ingest articles first: assistant ingest PATH")
        passages = self.retriever.retrieve(question, k, document_ids, query_vector=vector,
                                           lexical=lexical)
        t1 = time.perf_counter()
        timings["retrieve"] = t1 - t0
        docs: dict[str, Document | None] = {}

        def fetch(did: str) -> Document | None:
            if did not in docs:
                docs[did] = self.store.get_document(did)
            return docs[did]

        answer: Answer | None = None
        fallback: Flag | None = None
        mode = "offline"
        try:
            reader = self._llm_reader()
        except BackendError as exc:
            reader, fallback = None, self._fallback_flag("llm_unavailable", exc)
        if reader is not None and passages:
            mode = reader.mode
            try:
                prepared = reader.prepare(question, passages)
                if stream:
                    reply = None
                    for part in reader.stream(prepared):
                        if isinstance(part, str):
                            yield part
                        else:
                            reply = part
                    if reply is None:
                        raise BackendError("the model's stream ended without a reply")
                else:
                    reply = reader.complete(prepared)
                timings["generate"] = time.perf_counter() - t1
                outcome = reader.finish(question, q.kind, prepared, reply, fetch)
                answer = outcome.answer
                if outcome.notes:
                    log.info("LLM citations: %s", "; ".join(outcome.notes))
                if answer is not None and not answer.abstained and answer.citations:
                    # Verified quotes that do not bear on the question support nothing asked.
                    quotes = self.embedder.embed([c.quote for c in answer.citations], "document")
                    best = max(sum(x * y for x, y in zip(vector, v)) for v in quotes)
                    if best < self.settings.min_similarity:
                        outcome.reason = ("its verified quotes do not address the question "
                                          f"(similarity {best:.2f})")
                        answer = None
                if answer is None:
                    fallback = Flag("unverified_llm_answer",
                                    f"The model's answer was not used: {outcome.reason}. "
                                    "This is the offline answer.", (), "warning")
                    usage = {"prompt_tokens": reply.prompt_tokens,
                             "completion_tokens": reply.completion_tokens,
                             "citations_proposed": outcome.proposed,
                             "citations_verified": outcome.verified}
            except BackendError as exc:
                fallback = self._fallback_flag("llm_unavailable", exc)
                usage = {}
        t2 = time.perf_counter()
        if answer is None:
            answer = self.reader.read(q, passages, fetch, lexical, vector)
            if fallback is not None:
                answer.flags.insert(0, fallback)
                answer.usage = {k: v for k, v in usage.items() if v} if reader else {}
                mode = "offline"
            if stream:
                yield from _chunks(answer.text)
        timings["read"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        if not answer.abstained and self.settings.flags_on_answers:
            answer.flags.extend(f for f in self._flags_touching(answer.citations, fetch)
                                if f not in answer.flags)
        answer, dropped = verified(answer, fetch)
        if dropped:
            log.warning("dropped %d citation(s) that did not match their source", dropped)
        answer.question = question
        answer.mode = mode
        timings["ground"] = time.perf_counter() - t3
        timings["total"] = time.perf_counter() - t0
        answer.timings = timings
        yield answer

    def _fallback_flag(self, kind: str, exc: BackendError) -> Flag:
        if not self.settings.llm_fallback:
            raise exc
        log.warning("model unavailable, answering offline: %s", exc)
        return Flag(kind, f"The model could not be used ({exc}). This is the offline answer.",
                    (), "warning")


def _chunks(text: str) -> Iterator[str]:
    """The offline answer as word-sized deltas, so streaming callers see one code path."""
    for m in re.finditer(r"\S+\s*", text):
        yield m.group(0)


def _merge(first: list[Flag], second: list[Flag]) -> list[Flag]:
    """Union of two flag lists; a flag of the same kind sharing a cited span with one already
    kept is a duplicate."""
    out = list(first)
    for f in second:
        spans = {(c.document_id, c.start, c.end) for c in f.citations}
        if any(g.kind == f.kind and spans & {(c.document_id, c.start, c.end) for c in g.citations}
               for g in out):
            continue
        out.append(f)
    return out


def _clean_question(question: object, limit: int) -> str:
    if not isinstance(question, str):
        raise InputError(f"the question must be text, got {type(question).__name__}")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise InputError("the question is empty; ask something like 'How many troops were deployed?'")
    if len(cleaned) > limit:
        raise InputError(f"the question has {len(cleaned)} characters; the limit is {limit} "
                         "(ASSISTANT_MAX_QUESTION_CHARS)")
    if not any(ch.isalnum() for ch in cleaned):
        raise InputError("the question has no words in it")
    return cleaned


def _free_id(wanted: str, source: str, taken: dict[str, str]) -> str:
    if taken.get(wanted, source) == source:
        return wanted
    import hashlib

    return f"{wanted}-{hashlib.sha1(source.encode()).hexdigest()[:6]}"


def _inside(source: str, folder: Path) -> bool:
    try:
        Path(source).relative_to(folder)
        return True
    except ValueError:
        return False


class _NoBar:
    def update(self, n: int) -> None: ...
    def close(self) -> None: ...


def _progress(total: int, show: bool, desc: str):
    if not show or total == 0:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file", file=sys.stderr)


# Documents embedded per call and written per store batch during ingest.
_FLUSH_CHUNKS = 256

_DEFAULT: Assistant | None = None
_DEFAULT_LOCK = threading.Lock()


def answer(question: str, k: int | None = None) -> Answer:
    """Answer from the default store, ingesting the shipped corpus first if the store is empty."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Assistant()
            _DEFAULT.ensure_corpus()
    return _DEFAULT.ask(question, k=k)
