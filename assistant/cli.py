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

    sp = sub.add_parser("docs", help="list stored documents")
    sp.add_argument("--json", action="store_true")
    store_arg(sp)

    sp = sub.add_parser("rm", help="remove a document from the store")
    sp.add_argument("document_id")
    store_arg(sp)

    sp = sub.add_parser("eval", help="run eval sets and print per-question results and totals")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--min-accuracy", type=float, default=None,
                    help="exit non-zero when answer accuracy is below this (0..1)")
    sp.add_argument("--out", help="write the report as JSON here")
    sp.add_argument("--no-ingest", action="store_true",
                    help="do not ingest the shipped corpus into an empty store first")
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
    if args.command == "eval":
        return _eval(assistant, args)
    raise InputError(f"unknown command {args.command}")


def _print_citations(citations) -> None:
    for i, c in enumerate(citations, 1):
        print(f"  [{i}] {c.title} ({c.document_id} {c.start}-{c.end}): “{c.quote}”")


def _eval(assistant, args) -> int:
    from pathlib import Path

    from .core import Assistant
    from .evals import (is_flag_file, load_cases, load_flag_cases, print_flag_line, print_line,
                        run_eval, run_flag_eval)

    for f in args.files:
        if not Path(f).is_file():
            raise InputError(f"no eval file {f}")
    flag_files = [f for f in args.files if is_flag_file(f)]
    qa_files = [f for f in args.files if f not in flag_files]
    rc = 0
    if flag_files:
        settings = assistant.settings
        cases = [c for f in flag_files for c in load_flag_cases(f)]
        report = run_flag_eval(cases, Path.cwd(), lambda tmp: Assistant(
            settings=settings.with_(store_dir=tmp, chroma_url=None), embedder=assistant.embedder),
            progress=print_flag_line)
        print("flag totals: " + ", ".join(f"{k}={v}" for k, v in report.totals().items()))
    if not qa_files:
        return rc
    if not args.no_ingest:
        assistant.ensure_corpus()
    cases = [c for f in qa_files for c in load_cases(f)]
    report = run_eval(cases, assistant.ask, assistant.document, progress=print_line)
    totals = report.totals()
    print("totals: " + ", ".join(f"{k}={v}" for k, v in totals.items()))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(report.to_dict(), fh, indent=2, ensure_ascii=False)
    if args.min_accuracy is not None and report.answer_accuracy < args.min_accuracy:
        print(f"error: answer accuracy {report.answer_accuracy:.3f} is below --min-accuracy "
              f"{args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
