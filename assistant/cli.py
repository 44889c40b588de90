"""The ``assistant`` command: a thin layer over the Python API."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from .errors import AssistantError, InputError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="Grounded news assistant: "
                                "answers with exact, verified citations from your articles.")
    p.add_argument("--verbose", "-v", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    def store_arg(sp):
        sp.add_argument("--store", help="store folder or http://host:port of a Chroma server "
                        "(default: ASSISTANT_STORE / ASSISTANT_CHROMA_URL)")

    sp = sub.add_parser("ingest", help="ingest files and folders (default: the shipped corpus)")
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--json", action="store_true", help="print the report as JSON")
    store_arg(sp)

    sp = sub.add_parser("ask", help="answer a question with citations")
    sp.add_argument("question")
    sp.add_argument("-k", type=int, default=None, help="passages to read")
    sp.add_argument("--doc", action="append", help="only read this document id (repeatable)")
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    sp.add_argument("--stream", action="store_true",
                    help="print the answer as it is written, then the verified answer")
    store_arg(sp)

    sp = sub.add_parser("check", help="flag inconsistencies in one article or the whole corpus")
    sp.add_argument("document_id", nargs="?", default=None)
    sp.add_argument("--json", action="store_true", help='print {"flags": [...]}')
    store_arg(sp)

    sp = sub.add_parser("verify", help="check a claim against the corpus")
    sp.add_argument("claim")
    sp.add_argument("--json", action="store_true",
                    help="print {claim, verdict, message, citations}")
    store_arg(sp)

    sp = sub.add_parser("summarize", help="cited summary of an article, several, or a topic")
    sp.add_argument("document_id", nargs="*", help="document id(s); none with --topic: the corpus")
    sp.add_argument("--topic", help="summarize what the corpus (or the given articles) say on this")
    sp.add_argument("--max-sentences", type=int, default=5,
                    help="at most this many sentences, the closing flag line included")
    sp.add_argument("--json", action="store_true", help='print {"summary", "sentences", "flags"}')
    store_arg(sp)

    sp = sub.add_parser("facts", help="table of the figures, claims and forecasts articles attribute")
    sp.add_argument("document_id", nargs="?", default=None)
    sp.add_argument("--json", action="store_true", help='print {"facts": [...]}')
    store_arg(sp)

    sp = sub.add_parser("docs", help="list stored documents")
    sp.add_argument("--json", action="store_true")
    store_arg(sp)

    sp = sub.add_parser("rm", help="remove a document from the store")
    sp.add_argument("document_id")
    store_arg(sp)

    sp = sub.add_parser("eval", help="run eval sets and print per-question results and totals")
    sp.add_argument("files", nargs="*", help="JSONL or YAML eval files (questions, summaries, "
                    "flag cases)")
    sp.add_argument("--mode", choices=["offline", "openai", "local"],
                    help="reader backend for this run (sets ASSISTANT_LLM)")
    sp.add_argument("--min-accuracy", type=float, default=None,
                    help="exit non-zero when answer accuracy is below this (0..1)")
    sp.add_argument("--min-citation-validity", type=float, default=None,
                    help="exit non-zero when citation validity is below this (0..1)")
    sp.add_argument("--min-abstention-recall", type=float, default=None,
                    help="exit non-zero when abstention recall is below this (0..1)")
    sp.add_argument("--out", help="write the report as JSON here")
    sp.add_argument("--md", help="write the report as Markdown here")
    sp.add_argument("--html", help="write the report as one self-contained HTML file here")
    sp.add_argument("--compare", help="an earlier --out report: list regressions, improvements "
                    "and metric deltas")
    sp.add_argument("--judge", action="store_true",
                    help="let the configured LLM decide free-text answers (needs --mode "
                    "openai|local or ASSISTANT_LLM)")
    sp.add_argument("--no-ingest", action="store_true",
                    help="do not ingest the shipped corpus into an empty store first")
    sp.add_argument("--multihop", action="store_true",
                    help="run the MultiHop-RAG sample instead of eval files")
    sp.add_argument("--multihop-data", help="folder of the MultiHop-RAG sample (default: "
                    "ASSISTANT_MULTIHOP_DIR or ../shared/data/multihop-rag)")
    sp.add_argument("--limit", type=int, default=None,
                    help="--multihop: at most N queries of each type")
    sp.add_argument("--types", nargs="+", default=None,
                    help="--multihop: inference comparison temporal null (default: all)")
    store_arg(sp)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the CLI never shows a traceback; -v logs it
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(f"internal error: {type(exc).__name__}: {exc} (run with -v for details; "
              "please report it)", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from .core import Assistant

    if args.command == "eval":  # builds its own assistant (--mode, --multihop)
        return _eval(args)
    assistant = Assistant(store=args.store or None)
    if args.command == "ingest":
        report = assistant.ingest(args.paths or None)
        if args.json:
            print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(f"added {len(report.added)}, updated {len(report.updated)}, unchanged "
                  f"{len(report.unchanged)}, removed {len(report.removed)}; embedded "
                  f"{report.chunks_embedded} chunks in {report.seconds:.1f}s")
            for e in report.errors:
                print(f"  skipped {e.path}: {e.message}", file=sys.stderr)
        return 1 if report.errors and not (report.added or report.updated or report.unchanged) else 0
    if args.command == "ask":
        if args.stream and not args.json:
            return _stream(assistant, args)
        answer = assistant.ask(args.question, k=args.k, document_ids=args.doc)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            print(answer.text)
            _print_citations(answer.citations)
            for f in answer.flags:
                print(f"  ! {f.kind}: {f.message}")
        return 0
    if args.command == "check":
        flags = assistant.check(args.document_id)
        if args.json:
            print(json.dumps({"flags": [f.to_dict() for f in flags]}, ensure_ascii=False))
        else:
            if not flags:
                print("no inconsistencies found")
            for f in flags:
                print(f"[{f.severity}] {f.kind}: {f.message}")
                for c in f.citations:
                    print(f"    {c.document_id} {c.start}-{c.end}: “{c.quote}”")
        return 0
    if args.command == "verify":
        verdict = assistant.verify_claim(args.claim)
        if args.json:
            print(json.dumps(verdict.to_dict(), ensure_ascii=False))
        else:
            print(f"{verdict.status}: {verdict.message}")
            _print_citations(verdict.citations)
        return 0
    if args.command == "summarize":
        docs = args.document_id or None
        if docs and len(docs) == 1:
            docs = docs[0]
        summary = assistant.summarize(docs, topic=args.topic, max_sentences=args.max_sentences)
        if args.json:
            print(json.dumps(summary.to_dict(), ensure_ascii=False))
        else:
            if not summary.sentences:
                print("The corpus does not say.")
            for i, s in enumerate(summary.sentences, 1):
                refs = ", ".join(f"{c.document_id} {c.start}-{c.end}" for c in s.citations)
                print(f"{s.text} [{refs}]")
        return 0
    if args.command == "facts":
        facts = assistant.facts(args.document_id)
        if args.json:
            print(json.dumps({"facts": [f.to_dict() for f in facts]}, ensure_ascii=False))
        else:
            _print_facts(facts)
        return 0
    if args.command == "docs":
        docs = assistant.documents()
        if args.json:
            print(json.dumps([d.__dict__ for d in docs], ensure_ascii=False, indent=2))
        else:
            if not docs:
                print("the store is empty; run: assistant ingest PATH", file=sys.stderr)
            for d in docs:
                print(f"{d.id:<34} {d.chunks:>4} chunks  {d.title}")
        return 0
    if args.command == "rm":
        if not assistant.remove(args.document_id):
            raise InputError(f"no document {args.document_id!r} in the store; see: assistant docs")
        print(f"removed {args.document_id}")
        return 0
    raise InputError(f"unknown command {args.command}")


def _stream(assistant, args) -> int:
    from .models import Answer

    drafted = []
    answer = None
    for part in assistant.ask_stream(args.question, k=args.k, document_ids=args.doc):
        if isinstance(part, Answer):
            answer = part
        else:
            drafted.append(part)
            print(part, end="", flush=True)
    print()
    if answer is None:
        raise InputError("no answer was produced")
    if "".join(drafted).strip() != answer.text.strip():
        # The draft is what the model wrote; this is what survived verification.
        print(f"verified: {answer.text}")
    _print_citations(answer.citations)
    for f in answer.flags:
        print(f"  ! {f.kind}: {f.message}")
    return 0


def _print_facts(facts) -> None:
    """One row per fact: kind, what (value, unit, what it counts), who, hedge, when, where."""
    if not facts:
        print("no facts found")
        return
    rows = [("kind", "fact", "counts", "source", "hedge", "when", "cited")]
    for f in facts:
        who = f.source or "(the article)"
        if f.via:
            who += f" via {f.via}"
        rows.append((f.kind, f.text, f.counts, who, f.hedge, f.when,
                     f"{f.document_id} {f.citation.start}-{f.citation.end}"))
    limits = (8, 48, 28, 40, 6, 18, 34)
    cut = [tuple(v if len(v) <= n else v[:n - 1] + "…" for v, n in zip(r, limits)) for r in rows]
    widths = [max(len(r[i]) for r in cut) for i in range(len(limits))]
    for r in cut:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def _print_citations(citations) -> None:
    for i, c in enumerate(citations, 1):
        print(f"  [{i}] {c.title} ({c.document_id} {c.start}-{c.end}): “{c.quote}”")


def _eval(args) -> int:
    """``assistant eval``: the runner, reports and gates live in ``evals.command``."""
    from .evals import command

    return command(args)


if __name__ == "__main__":
    sys.exit(main())
