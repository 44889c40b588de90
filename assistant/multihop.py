"""MultiHop-RAG adapter: score the assistant on the 500-query sample in ``shared/data/multihop-rag``.

Two measurements (the data set is evaluation data only: nothing from it enters ``corpus/``):

* **null** — the ``null_query`` questions asked against the shipped corpus store. Their gold
  answer is "Insufficient information."; the right behaviour is to abstain.
* **gold evidence** — for every other query, its ``evidence_list`` facts become a temporary
  corpus (one document per evidence article, text = that article's facts, one per line) in a
  temporary store; the query is asked there and the answer scored against the gold answer
  (whole-token containment or token F1 ≥ 0.6 — the same rule as ``assistant eval``). This is the
  paper's "ground-truth evidence" condition.

Data: MultiHop-RAG (Tang & Yang, COLM 2024), ODC-BY 1.0.

Run: ``assistant eval --multihop [--limit N] [--types inference comparison temporal null]`` or
``python -m assistant.multihop --limit N``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import PACKAGE_ROOT, Settings
from .errors import AssistantError, ConfigError, InputError
from .evals import Case, CaseResult, Report, error_result, print_line, score_case
from .models import Document

TYPES = ("inference_query", "comparison_query", "temporal_query", "null_query")

# Published figures quoted by the data set's README (paper, "ground-truth evidence" condition:
# the model is given the gold evidence, accuracy over all non-null query types).
PUBLISHED = {
    "gold_evidence_accuracy": {"GPT-4": 0.89, "Llama-2-70B": 0.32},
}
CITATION = ("MultiHop-RAG (Tang & Yang, COLM 2024, arXiv 2401.15391), ODC-BY 1.0; 500-query "
            "sample from github.com/zc277584121/search-datasets")


def default_data_dir() -> Path:
    """``ASSISTANT_MULTIHOP_DIR``, else ``../shared/data/multihop-rag`` beside the checkout."""
    env = os.environ.get("ASSISTANT_MULTIHOP_DIR")
    return Path(env) if env else PACKAGE_ROOT.parent / "shared" / "data" / "multihop-rag"


@dataclass(frozen=True)
class Evidence:
    title: str
    source: str
    published_at: str
    fact: str


@dataclass(frozen=True)
class Query:
    id: str
    query: str
    answer: str
    question_type: str
    evidence: tuple[Evidence, ...] = ()


def load_queries(data_dir: str | Path | None = None) -> list[Query]:
    """Read ``queries_sample500.jsonl``; InputError naming the file when it is missing or bad."""
    path = Path(data_dir or default_data_dir()) / "queries_sample500.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the MultiHop-RAG sample at {path}: {exc}; set "
                         "ASSISTANT_MULTIHOP_DIR or pass --multihop-data") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(Query(id=str(raw["id"]), query=raw["query"], answer=str(raw["answer"]),
                             question_type=raw["question_type"],
                             evidence=tuple(Evidence(title=e.get("title") or "untitled",
                                                     source=e.get("source") or "",
                                                     published_at=e.get("published_at") or "",
                                                     fact=e["fact"])
                                            for e in raw.get("evidence_list") or ())))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a MultiHop-RAG query ({exc})") from None
    return out


def select(queries: Sequence[Query], types: Sequence[str] | None = None,
           limit: int | None = None) -> list[Query]:
    """Queries of the given types (``inference`` or ``inference_query``), at most ``limit`` of
    each type, in file order (the sample is already a random draw)."""
    wanted = [t if t.endswith("_query") else f"{t}_query" for t in (types or TYPES)]
    unknown = [t for t in wanted if t not in TYPES]
    if unknown:
        raise InputError(f"unknown MultiHop-RAG type(s) {', '.join(unknown)}; use "
                         + ", ".join(t.removesuffix("_query") for t in TYPES))
    if limit is not None and limit < 1:
        raise InputError("--limit must be at least 1")
    out, seen = [], {t: 0 for t in wanted}
    for q in queries:
        if q.question_type in seen and (limit is None or seen[q.question_type] < limit):
            out.append(q)
            seen[q.question_type] += 1
    return out


def to_case(q: Query) -> Case:
    """The query as an eval case: null queries must abstain; others expect the gold answer."""
    kind = q.question_type.removesuffix("_query")
    return Case(id=f"multihop-{q.id}", question=q.query,
                answer=None if q.question_type == "null_query" else q.answer,
                type=kind, tags={"type": kind,
                                 "condition": "shipped corpus" if kind == "null"
                                 else "gold evidence"})


def evidence_files(q: Query, folder: Path) -> list[Path]:
    """Write one Markdown file per evidence article (front matter + its facts, one per line)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_title: dict[str, list[Evidence]] = {}
    for e in q.evidence:
        by_title.setdefault(e.title, []).append(e)
    paths = []
    for i, (title, items) in enumerate(by_title.items(), 1):
        facts = list(dict.fromkeys(e.fact.strip() for e in items if e.fact.strip()))
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "article"
        path = folder / f"e{i}-{slug}.md"
        clean = title.replace("\n", " ").replace('"', "'")
        front = (f"---\ntitle: \"{clean}\"\nsource: {items[0].source}\n"
                 f"date: {items[0].published_at[:10]}\n---\n")
        path.write_text(front + "\n".join(facts) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def extractive_ceiling(q: Query) -> bool:
    """True when the gold answer occurs (whole tokens) in the evidence text, i.e. an extractive
    reader could in principle return it; "Yes"/"No" answers never do."""
    from .evals import normalize

    want = normalize(q.answer)
    hay = normalize(" ".join(e.fact for e in q.evidence))
    return bool(want) and f" {want} " in f" {hay} " and want not in {"yes", "no"}


@dataclass
class MultiHopReport:
    """Scores of a MultiHop-RAG run, with the published figures they compare with."""

    report: Report
    ceiling: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def totals(self) -> dict[str, Any]:
        gold = [r for r in self.report.results if r.expected is not None]
        null = [r for r in self.report.results if r.expected is None]
        t: dict[str, Any] = {"queries": len(self.report.results)}
        if gold:
            g = Report(results=gold)
            t.update({"gold_queries": len(gold),
                      "gold_evidence_accuracy": round(g.answer_accuracy, 4),
                      "gold_token_f1": round(g.mean_f1 or 0.0, 4),
                      "gold_abstained": round(sum(r.abstained for r in gold) / len(gold), 4),
                      "gold_citation_validity": round(g.citation_validity, 4)})
        if null:
            t.update({"null_queries": len(null),
                      "null_abstention_rate": round(sum(r.abstained for r in null) / len(null), 4)})
        t["latency_p50_s"] = round(self.report.latency_p50, 3)
        t["latency_p95_s"] = round(self.report.latency_p95, 3)
        return t

    def to_dict(self) -> dict[str, Any]:
        d = self.report.to_dict()
        d["totals"] = self.report.totals() | self.totals()
        d["published"] = PUBLISHED
        d["extractive_ceiling"] = self.ceiling
        d["meta"] = self.meta | {"data": CITATION}
        return d

    def to_markdown(self) -> str:
        t = self.totals()
        lines = ["# MultiHop-RAG (500-query sample)", "", CITATION, "",
                 f"Mode: {self.meta.get('mode', 'offline')}; queries: {t['queries']}; "
                 f"types: {', '.join(self.meta.get('types', []))}; limit per type: "
                 f"{self.meta.get('limit') or 'none'}.", "",
                 "| measure | ours | published |", "|---|---|---|"]
        if "gold_evidence_accuracy" in t:
            pub = ", ".join(f"{k} {v:.2f}" for k, v in PUBLISHED["gold_evidence_accuracy"].items())
            lines.append(f"| gold-evidence answer accuracy ({t['gold_queries']} queries) | "
                         f"{t['gold_evidence_accuracy']:.3f} | {pub} (paper, all non-null types) |")
            lines.append(f"| gold-evidence token F1 | {t['gold_token_f1']:.3f} | — |")
            lines.append(f"| gold-evidence abstained | {t['gold_abstained']:.3f} | — |")
        if "null_abstention_rate" in t:
            lines.append(f"| null queries abstained, shipped corpus ({t['null_queries']}) | "
                         f"{t['null_abstention_rate']:.3f} | not given in the data README |")
        lines += ["", "| type | queries | accuracy | answer in evidence text (extractive ceiling) |",
                  "|---|---|---|---|"]
        for kind, g in self.report.breakdown("type").items():
            ceiling = self.ceiling.get(kind)
            lines.append(f"| {kind} | {g['cases']} | {g['answer_accuracy']:.3f} | "
                         f"{'—' if ceiling is None else f'{ceiling:.3f}'} |")
        return "\n".join(lines) + "\n"


def run_multihop(queries: Sequence[Query], settings: Settings, *,
                 embedder: Any = None,
                 corpus_assistant: Any = None,
                 progress: Callable[[CaseResult], None] | None = None,
                 judge: Callable[[str, str, str], bool | None] | None = None) -> MultiHopReport:
    """Run null queries on ``corpus_assistant`` (the shipped corpus) and the others each on a
    temporary store holding only their gold evidence."""
    from .core import Assistant

    report = Report()
    for q in queries:
        case = to_case(q)
        t0 = time.perf_counter()
        try:
            if q.question_type == "null_query":
                if corpus_assistant is None:
                    raise InputError("null queries need the shipped-corpus assistant")
                answer = corpus_assistant.ask(q.query)
                fetch = corpus_assistant.document
                seconds = time.perf_counter() - t0
            else:
                with tempfile.TemporaryDirectory(prefix="multihop-") as tmp:
                    folder = Path(tmp) / "docs"
                    evidence_files(q, folder)
                    local = settings.with_(store_dir=Path(tmp) / "store", chroma_url=None,
                                           corpus_dir=folder, flags_on_answers=0)
                    a = Assistant(settings=local, embedder=embedder)
                    try:
                        ingested = a.ingest([folder], progress=False)
                        if ingested.errors:
                            raise InputError(f"{ingested.errors[0].path}: {ingested.errors[0].message}")
                        t1 = time.perf_counter()
                        answer = a.ask(q.query)
                        seconds = time.perf_counter() - t1  # the question, not the ingest
                        docs: dict[str, Document | None] = {
                            c.document_id: a.document(c.document_id)
                            for c in answer.citations + [c for f in answer.flags for c in f.citations]}
                    finally:
                        a.close()
                fetch = docs.get
        except ConfigError:
            raise
        except AssistantError as exc:
            result = error_result(case, exc, time.perf_counter() - t0)
        else:
            result = score_case(case, answer, fetch, seconds, judge)
        result.tags["multihop_id"] = q.id
        report.results.append(result)
        if progress:
            progress(result)
    ceiling: dict[str, float] = {}
    for kind in {q.question_type for q in queries if q.question_type != "null_query"}:
        qs = [q for q in queries if q.question_type == kind]
        ceiling[kind.removesuffix("_query")] = round(sum(map(extractive_ceiling, qs)) / len(qs), 4)
    return MultiHopReport(report=report, ceiling=ceiling)


def command(args: argparse.Namespace, settings: Settings, judge=None) -> int:
    """``assistant eval --multihop`` and ``python -m assistant.multihop``."""
    from .core import Assistant
    from .reports import write_text

    queries = select(load_queries(getattr(args, "multihop_data", None)),
                     getattr(args, "types", None), getattr(args, "limit", None))
    if not queries:
        raise InputError("no MultiHop-RAG queries selected")
    needs_corpus = any(q.question_type == "null_query" for q in queries)
    corpus = None
    store = getattr(args, "store", None)
    if store:
        settings = (settings.with_(chroma_url=store) if store.startswith(("http://", "https://"))
                    else settings.with_(store_dir=Path(store).expanduser(), chroma_url=None))
    from .embed import make_embedder

    embedder = make_embedder(settings)
    if needs_corpus:
        corpus = Assistant(settings=settings, embedder=embedder)
        corpus.ensure_corpus()
    bar = _bar(len(queries))

    def progress(r: CaseResult) -> None:
        with bar.external_write_mode(file=sys.stdout):
            print_line(r)
        bar.update(1)

    try:
        result = run_multihop(queries, settings, embedder=embedder, corpus_assistant=corpus,
                              progress=progress, judge=judge)
    finally:
        bar.close()
        if corpus is not None:
            corpus.close()
    result.meta = {"mode": settings.llm, "types": sorted({q.question_type for q in queries}),
                   "limit": getattr(args, "limit", None)}
    totals = result.totals()
    print("multihop totals: " + ", ".join(f"{k}={v}" for k, v in totals.items()))
    print(result.to_markdown())
    if getattr(args, "out", None):
        write_text(args.out, json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    if getattr(args, "md", None):
        write_text(args.md, result.to_markdown())
    if getattr(args, "html", None):
        from .reports import to_html

        write_text(args.html, to_html(result.to_dict(), title="MultiHop-RAG eval"))
    bar_ = getattr(args, "min_accuracy", None)
    if bar_ is not None and "gold_evidence_accuracy" in totals \
            and totals["gold_evidence_accuracy"] < bar_:
        print(f"error: gold-evidence accuracy {totals['gold_evidence_accuracy']:.3f} is below "
              f"--min-accuracy {bar_}", file=sys.stderr)
        return 1
    return 0


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="multihop", unit="query", file=sys.stderr,
                disable=not sys.stderr.isatty())


def main(argv: list[str] | None = None) -> int:
    """``python -m assistant.multihop ARGS`` is ``assistant eval --multihop ARGS``."""
    from .cli import main as cli_main

    return cli_main(["eval", "--multihop", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
