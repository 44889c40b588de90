"""Eval sets: load cases, run them through the public API, score answers, abstentions, citations."""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import InputError
from .extract import quantities
from .ground import verify
from .models import Answer, Document
from .text import fold

_ABSTAIN = None


@dataclass(frozen=True)
class Case:
    """One eval question.

    ``answer`` is a number (matched within ``tolerance``), a string (matched with ``aliases``), or
    None: the assistant must abstain. ``document``/``quote`` name the evidence a citation must cover.
    """

    id: str
    question: str
    answer: float | str | None
    type: str = ""
    tolerance: float = 0.05
    aliases: tuple[str, ...] = ()
    document: str | None = None
    quote: str | None = None


@dataclass
class CaseResult:
    id: str
    question: str
    type: str
    expected: float | str | None
    got: str
    abstained: bool
    correct: bool
    citations: int
    citations_valid: int
    supported: bool | None
    seconds: float


@dataclass
class Report:
    """Totals of one eval run; ``results`` holds a line per case."""

    results: list[CaseResult] = field(default_factory=list)

    @property
    def answer_accuracy(self) -> float:
        return _share(r.correct for r in self.results)

    @property
    def abstention_accuracy(self) -> float:
        """Share of must-abstain cases where the assistant abstained."""
        return _share(r.abstained for r in self.results if r.expected is None)

    @property
    def false_abstentions(self) -> int:
        return sum(1 for r in self.results if r.expected is not None and r.abstained)

    @property
    def citation_validity(self) -> float:
        total = sum(r.citations for r in self.results)
        return sum(r.citations_valid for r in self.results) / total if total else 1.0

    @property
    def citation_support(self) -> float:
        return _share(r.supported for r in self.results if r.supported is not None)

    @property
    def latency_p50(self) -> float:
        return statistics.median([r.seconds for r in self.results]) if self.results else 0.0

    def totals(self) -> dict[str, float]:
        return {"cases": len(self.results), "answer_accuracy": round(self.answer_accuracy, 4),
                "abstention_accuracy": round(self.abstention_accuracy, 4),
                "false_abstentions": self.false_abstentions,
                "citation_validity": round(self.citation_validity, 4),
                "citation_support": round(self.citation_support, 4),
                "latency_p50_s": round(self.latency_p50, 3)}

    def to_dict(self) -> dict:
        return {"totals": self.totals(), "results": [asdict(r) for r in self.results]}


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def load_cases(path: str | Path) -> list[Case]:
    """Read a JSONL eval file; a bad line raises InputError naming the line."""
    cases = []
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read eval file {p}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("each line must be a JSON object")
            cases.append(Case(id=str(raw.get("id", f"{p.stem}-{n}")), question=raw["question"],
                              answer=raw.get("answer"), type=raw.get("type", ""),
                              tolerance=float(raw.get("tolerance", 0.05)),
                              aliases=tuple(raw.get("aliases") or ()),
                              document=raw.get("document"), quote=raw.get("quote")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{p}:{n}: not a valid eval case ({exc})") from None
    return cases


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).lower().replace("'s", "")))


def token_f1(got: str, want: str) -> float:
    g, w = _norm(got).split(), _norm(want).split()
    common = sum(min(g.count(t), w.count(t)) for t in set(g))
    if not common:
        return 0.0
    p, r = common / len(g), common / len(w)
    return 2 * p * r / (p + r)


def is_correct(case: Case, answer: Answer) -> bool:
    """Numbers within tolerance (the first figure of the answer), strings by containment or
    token F1 ≥ 0.6 against the answer or any alias, None by abstention."""
    if case.answer is None:
        return answer.abstained
    if answer.abstained:
        return False
    if isinstance(case.answer, (int, float)) and not isinstance(case.answer, bool):
        spans = quantities(answer.text)
        if not spans or spans[0].value is None:
            return False
        want = float(case.answer)
        return abs(spans[0].value - want) <= case.tolerance * max(abs(want), 1e-9)
    got = _norm(answer.text)
    for alias in (str(case.answer), *case.aliases):
        a = _norm(alias)
        if a and (a in got or token_f1(answer.text, alias) >= 0.6):
            return True
    return False


def run_eval(cases: list[Case], ask: Callable[[str], Answer],
             fetch: Callable[[str], Document | None],
             progress: Callable[[CaseResult], None] | None = None) -> Report:
    """Run every case through ``ask`` and check each citation against the stored text."""
    report = Report()
    docs: dict[str, Document | None] = {}
    for case in cases:
        t0 = time.perf_counter()
        answer = ask(case.question)
        seconds = time.perf_counter() - t0
        valid = 0
        for c in answer.citations + [c for f in answer.flags for c in f.citations]:
            if c.document_id not in docs:
                docs[c.document_id] = fetch(c.document_id)
            valid += verify(c, docs[c.document_id])
        supported = None
        if case.quote and case.answer is not None:
            want = _norm(case.quote)
            supported = any((case.document is None or c.document_id == case.document)
                            and want in _norm(c.quote) for c in answer.citations)
        result = CaseResult(id=case.id, question=case.question, type=case.type,
                            expected=case.answer, got=answer.text, abstained=answer.abstained,
                            correct=is_correct(case, answer),
                            citations=len(answer.citations) + sum(len(f.citations) for f in answer.flags),
                            citations_valid=valid, supported=supported, seconds=seconds)
        report.results.append(result)
        if progress:
            progress(result)
    return report


def print_line(r: CaseResult, out=sys.stdout) -> None:
    mark = "PASS" if r.correct else "FAIL"
    got = r.got if len(r.got) <= 90 else r.got[:87] + "..."
    print(f"{mark}  {r.id:<32} expected={r.expected!s:<28.28} got={got}", file=out)


# ---- flag evals ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FlagCase:
    """Audit ``documents`` (one article, or the set for ``scope="corpus"``) and expect ``expected``:
    a list of ``{"kind": ..., "quotes": [...]}``; a predicted flag matches when its kind is the
    same and its citations cover every quote."""

    id: str
    documents: tuple[str, ...]
    scope: str
    expected: tuple[dict, ...]


@dataclass
class FlagResult:
    id: str
    expected: int
    predicted: int
    matched_expected: int
    matched_predicted: int
    flags: list[str]


@dataclass
class FlagReport:
    results: list[FlagResult] = field(default_factory=list)

    @property
    def precision(self) -> float:
        p = sum(r.predicted for r in self.results)
        return sum(r.matched_predicted for r in self.results) / p if p else 1.0

    @property
    def recall(self) -> float:
        e = sum(r.expected for r in self.results)
        return sum(r.matched_expected for r in self.results) / e if e else 1.0

    def totals(self) -> dict[str, float]:
        return {"cases": len(self.results), "flag_precision": round(self.precision, 4),
                "flag_recall": round(self.recall, 4),
                "predicted": sum(r.predicted for r in self.results),
                "expected": sum(r.expected for r in self.results)}

    def to_dict(self) -> dict:
        return {"totals": self.totals(), "results": [asdict(r) for r in self.results]}


def is_flag_file(path: str | Path) -> bool:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                return "expected" in json.loads(line) and "documents" in json.loads(line)
            except (json.JSONDecodeError, TypeError):
                return False
    return False


def load_flag_cases(path: str | Path) -> list[FlagCase]:
    p = Path(path)
    cases = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("each line must be a JSON object")
            cases.append(FlagCase(id=str(raw["id"]), documents=tuple(raw["documents"]),
                                  scope=raw.get("scope", "document"),
                                  expected=tuple(raw.get("expected") or ())))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{p}:{n}: not a valid flag case ({exc})") from None
    return cases


def flag_matches(flag, expected: dict) -> bool:
    if flag.kind != expected.get("kind"):
        return False
    quotes = [_norm(c.quote) for c in flag.citations]
    return all(any(_norm(q) in cq for cq in quotes) for q in expected.get("quotes", ()))


def run_flag_eval(cases: list[FlagCase], base: Path, make_assistant: Callable[[Path], object],
                  progress: Callable[[FlagResult], None] | None = None) -> FlagReport:
    """Ingest each case's documents into a fresh store and compare ``check`` with expectations."""
    import tempfile

    report = FlagReport()
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            assistant = make_assistant(Path(tmp))
            paths = [base / d for d in case.documents]
            ingested = assistant.ingest(paths, progress=False)
            if ingested.errors:
                raise InputError(f"{case.id}: {ingested.errors[0].path}: {ingested.errors[0].message}")
            ids = ingested.added + ingested.updated + ingested.unchanged
            if case.scope == "document":
                flags = assistant.check(ids[0])
            else:
                flags = assistant.check()
            assistant.close()
        matched_pred = sum(any(flag_matches(f, e) for e in case.expected) for f in flags)
        matched_exp = sum(any(flag_matches(f, e) for f in flags) for e in case.expected)
        result = FlagResult(id=case.id, expected=len(case.expected), predicted=len(flags),
                            matched_expected=matched_exp, matched_predicted=matched_pred,
                            flags=[f"{f.kind}: {f.message}" for f in flags])
        report.results.append(result)
        if progress:
            progress(result)
    return report


def print_flag_line(r: FlagResult, out=sys.stdout) -> None:
    ok = r.matched_expected == r.expected and r.matched_predicted == r.predicted
    print(f"{'PASS' if ok else 'FAIL'}  {r.id:<32} expected={r.expected} predicted={r.predicted} "
          f"matched={r.matched_expected}", file=out)
    for f in r.flags:
        print(f"        {f[:150]}", file=out)
