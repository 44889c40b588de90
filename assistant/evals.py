"""Eval sets: load cases (JSONL or YAML), run them through the public API, and score them.

One case format, three kinds of case told apart by a ``kind`` field (or, for older files, by
their keys):

* ``qa`` (the default) — a question and what must come back::

    {"id": "nk-troops", "question": "How many troops has North Korea deployed?",
     "answer": 11000, "tolerance": 0.05,            # a number, a string (+ "aliases"), or null
     "citation": {"document": "north-korea-troops", "quote": "around 11,000 elite troops"},
     "flags": [{"kind": "conflicting_evidence", "quote": "about 12,000 North Korean soldiers"}],
     "tags": {"type": "how_many", "difficulty": "easy"}}

  ``answer: null`` means the assistant must abstain. The flat fields of the first seed set
  (``type``, ``document``, ``quote``) are read too. ``flags`` is checked only when present
  (an empty list then means "no flag expected").
* ``summary`` — ``{"kind": "summary", "document": ID | null, "topic": TEXT | null,
  "max_sentences": 5, "required_facts": [...], "tags": {...}}``.
* ``flags`` — ``{"documents": [...], "scope": "document" | "corpus", "expected": [{"kind",
  "quotes"}]}``: ingest the articles into a fresh store and compare ``check`` with expectations.

The metric functions are plain functions over the data model, so they can be tested on
hand-built objects; ``run_eval`` puts them together into a typed ``Report``.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import AssistantError, ConfigError, InputError
from .extract import quantities
from .ground import verify
from .models import Answer, Citation, Document
from .text import fold, terms

_ABSTAIN = None

# Label of results decided by the optional judge callable (reports show it verbatim).
JUDGE_LABEL = "LLM judge"
RULE_LABEL = "rule"


# ---- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedFlag:
    """A flag the answer must carry: its kind, and quotes its citations must cover."""

    kind: str
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """One question.

    Attributes:
        id: Stable id (reports and ``--compare`` match results by it).
        question: The question as asked.
        answer: A number (matched within ``tolerance``), a string (matched with ``aliases``),
            or None: the assistant must abstain.
        type: Question type tag (``how_many``, ``who``, ...); also ``tags["type"]``.
        tolerance: Relative tolerance for numbers (0.05 = 5 %).
        aliases: Other accepted spellings of a string answer.
        document: Id of the document a citation must come from (optional).
        quote: Text a cited span must cover (optional).
        flags: Flags the answer must carry; None when flags are not checked for this case.
        tags: Free tags for breakdowns, e.g. ``{"type": "who", "difficulty": "hard"}``.
    """

    id: str
    question: str
    answer: float | str | None
    type: str = ""
    tolerance: float = 0.05
    aliases: tuple[str, ...] = ()
    document: str | None = None
    quote: str | None = None
    flags: tuple[ExpectedFlag, ...] | None = None
    tags: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def all_tags(self) -> dict[str, str]:
        """``tags`` with ``type`` filled in from the flat field."""
        out = {k: str(v) for k, v in self.tags.items()}
        if self.type:
            out.setdefault("type", self.type)
        return out


@dataclass(frozen=True)
class SummaryCase:
    """Summarise one document (or a topic, or the corpus) and cover ``required_facts``."""

    id: str
    document: str | None = None
    topic: str | None = None
    max_sentences: int = 5
    required_facts: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def all_tags(self) -> dict[str, str]:
        out = {k: str(v) for k, v in self.tags.items()}
        out.setdefault("type", "summary")
        return out


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
class EvalSet:
    """The cases of one or more eval files, by kind."""

    qa: list[Case] = field(default_factory=list)
    summaries: list[SummaryCase] = field(default_factory=list)
    flags: list[FlagCase] = field(default_factory=list)

    def extend(self, other: "EvalSet") -> None:
        self.qa += other.qa
        self.summaries += other.summaries
        self.flags += other.flags


def _records(path: str | Path) -> list[tuple[str, Any]]:
    """(location, raw record) pairs of a JSONL or YAML file; blank and ``#`` lines skipped."""
    p = Path(path)
    try:
        body = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read eval file {p}: {exc}") from None
    if p.suffix.lower() in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(body)
        except yaml.YAMLError as exc:
            raise InputError(f"{p}: not valid YAML ({exc})") from None
        if isinstance(data, dict) and "cases" in data:
            data = data["cases"]
        if data is None:
            return []
        if not isinstance(data, list):
            raise InputError(f"{p}: a YAML eval file is a list of cases (or a mapping with 'cases')")
        return [(f"{p}: case {n}", raw) for n, raw in enumerate(data, 1)]
    out = []
    for n, line in enumerate(body.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            out.append((f"{p}:{n}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{n}: not a valid eval case ({exc})") from None
    return out


def record_kind(raw: Mapping[str, Any]) -> str:
    """``qa``, ``summary`` or ``flags``: the ``kind`` field, else guessed from the keys."""
    kind = raw.get("kind")
    if kind is not None:
        if kind not in {"qa", "summary", "flags"}:
            raise ValueError(f"unknown kind {kind!r}; use qa, summary or flags")
        return kind
    if "documents" in raw and "expected" in raw:
        return "flags"
    if "required_facts" in raw:
        return "summary"
    return "qa"


def _tags(raw: Mapping[str, Any]) -> dict[str, str]:
    tags = raw.get("tags") or {}
    if not isinstance(tags, dict):
        raise ValueError("tags must be a mapping like {type: who, difficulty: easy}")
    return {str(k): str(v) for k, v in tags.items()}


def _qa_case(raw: Mapping[str, Any], default_id: str) -> Case:
    tags = _tags(raw)
    answer = raw.get("answer")
    tolerance = raw.get("tolerance", 0.05)
    aliases = raw.get("aliases") or ()
    if isinstance(answer, dict):  # {text: ..., aliases: [...]} or {number: ..., tolerance: ...}
        if "number" in answer:
            tolerance = answer.get("tolerance", tolerance)
            answer = answer["number"]
        else:
            aliases = answer.get("aliases") or aliases
            answer = answer["text"]
    if isinstance(answer, bool) or not (answer is None or isinstance(answer, (int, float, str))):
        raise ValueError("answer must be a number, a string or null")
    if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
        raise ValueError("aliases must be a list of strings")
    citation = raw.get("citation") or {}
    if not isinstance(citation, dict):
        raise ValueError("citation must be a mapping with document and/or quote")
    flags = raw.get("flags")
    expected_flags = None
    if flags is not None:
        if not isinstance(flags, list):
            raise ValueError("flags must be a list of {kind, quote}")
        expected_flags = tuple(
            ExpectedFlag(kind=str(f["kind"]),
                         quotes=tuple(f.get("quotes") or ([f["quote"]] if f.get("quote") else ())))
            for f in flags)
    question = raw["question"]
    if not isinstance(question, str) or not question.strip():
        raise ValueError("question must be non-empty text")
    qtype = str(raw.get("type") or tags.get("type", ""))
    return Case(id=str(raw.get("id", default_id)), question=question, answer=answer, type=qtype,
                tolerance=float(tolerance), aliases=tuple(aliases),
                document=citation.get("document", raw.get("document")),
                quote=citation.get("quote", raw.get("quote")),
                flags=expected_flags, tags=tags)


def _summary_case(raw: Mapping[str, Any], default_id: str) -> SummaryCase:
    facts = raw.get("required_facts") or ()
    if isinstance(facts, str) or not all(isinstance(f, str) for f in facts):
        raise ValueError("required_facts must be a list of strings")
    max_sentences = int(raw.get("max_sentences", 5))
    if max_sentences < 1:
        raise ValueError("max_sentences must be at least 1")
    return SummaryCase(id=str(raw.get("id", default_id)), document=raw.get("document"),
                       topic=raw.get("topic"), max_sentences=max_sentences,
                       required_facts=tuple(facts), tags=_tags(raw))


def _flag_case(raw: Mapping[str, Any], default_id: str) -> FlagCase:
    return FlagCase(id=str(raw.get("id", default_id)), documents=tuple(raw["documents"]),
                    scope=raw.get("scope", "document"), expected=tuple(raw.get("expected") or ()))


def load_file(path: str | Path) -> EvalSet:
    """Read a JSONL or YAML eval file; a bad case raises InputError naming its line (or index)."""
    p = Path(path)
    out = EvalSet()
    for n, (where, raw) in enumerate(_records(p), 1):
        default_id = f"{p.stem}-{where.rsplit(':', 1)[-1].strip().removeprefix('case ')}"
        try:
            if not isinstance(raw, dict):
                raise ValueError("each case must be a JSON object / YAML mapping")
            kind = record_kind(raw)
            if kind == "qa":
                out.qa.append(_qa_case(raw, default_id))
            elif kind == "summary":
                out.summaries.append(_summary_case(raw, default_id))
            else:
                out.flags.append(_flag_case(raw, default_id))
        except (KeyError, TypeError, ValueError) as exc:
            what = "flag case" if isinstance(raw, dict) and "documents" in raw else "eval case"
            raise InputError(f"{where}: not a valid {what} ({exc})") from None
    return out


def load_cases(path: str | Path) -> list[Case]:
    """The question cases of an eval file (JSONL or YAML); see ``load_file`` for all kinds."""
    return load_file(path).qa


def load_flag_cases(path: str | Path) -> list[FlagCase]:
    return load_file(path).flags


def is_flag_file(path: str | Path) -> bool:
    """True when the file holds flag cases only."""
    try:
        s = load_file(path)
    except InputError:
        return False
    return bool(s.flags) and not s.qa and not s.summaries


# ---- answer metrics -------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).lower().replace("'s", "")))


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation or possessive 's: the form answers are compared in."""
    return _norm(text)


def token_f1(got: str, want: str) -> float:
    """SQuAD-style token F1 between two normalised texts."""
    g, w = _norm(got).split(), _norm(want).split()
    common = sum(min(g.count(t), w.count(t)) for t in set(g))
    if not common:
        return 0.0
    p, r = common / len(g), common / len(w)
    return 2 * p * r / (p + r)


def exact_match(got: str, wants: Iterable[str]) -> bool:
    """True when the normalised answer equals one of the normalised expected spellings."""
    g = _norm(got)
    return any(g == _norm(w) for w in wants if _norm(w))


def _contains(got: str, want: str) -> bool:
    """Whole-token containment ("no" is not inside "north")."""
    g, w = _norm(got), _norm(want)
    return bool(w) and f" {w} " in f" {g} "


def number_matches(text: str, want: float, tolerance: float) -> bool:
    """The first figure of ``text`` is within ``tolerance`` (relative) of ``want``."""
    spans = quantities(text)
    if not spans or spans[0].value is None:
        return False
    return abs(spans[0].value - float(want)) <= tolerance * max(abs(float(want)), 1e-9)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_correct(case: Case, answer: Answer) -> bool:
    """Numbers within tolerance (the first figure of the answer), strings by whole-token
    containment or token F1 ≥ 0.6 against the answer or any alias, None by abstention."""
    if case.answer is None:
        return answer.abstained
    if answer.abstained:
        return False
    if _is_number(case.answer):
        return number_matches(answer.text, float(case.answer), case.tolerance)
    for alias in (str(case.answer), *case.aliases):
        if _contains(answer.text, alias) or token_f1(answer.text, alias) >= 0.6:
            return True
    return False


def best_f1(case: Case, answer: Answer) -> float | None:
    """Best token F1 over the expected spellings; None for numbers and must-abstain cases."""
    if case.answer is None or _is_number(case.answer):
        return None
    if answer.abstained:
        return 0.0
    return max(token_f1(answer.text, a) for a in (str(case.answer), *case.aliases))


def citation_supports(citations: Sequence[Citation], document: str | None, quote: str) -> bool:
    """True when one cited span (from ``document``, when given) covers ``quote``."""
    want = _norm(quote)
    return any((document is None or c.document_id == document) and want in _norm(c.quote)
               for c in citations)


def flag_matches(flag, expected: Mapping[str, Any] | ExpectedFlag) -> bool:
    """Same kind, and the flag's citations cover every expected quote."""
    if isinstance(expected, ExpectedFlag):
        kind, quotes = expected.kind, expected.quotes
    else:
        kind, quotes = expected.get("kind"), expected.get("quotes", ())
    if flag.kind != kind:
        return False
    cited = [_norm(c.quote) for c in flag.citations]
    return all(any(_norm(q) in cq for cq in cited) for q in quotes)


def flag_counts(flags: Sequence, expected: Sequence[ExpectedFlag]) -> tuple[int, int]:
    """(predicted flags that match an expectation, expectations some flag meets)."""
    matched_pred = sum(any(flag_matches(f, e) for e in expected) for f in flags)
    matched_exp = sum(any(flag_matches(f, e) for f in flags) for e in expected)
    return matched_pred, matched_exp


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ---- summary metrics ------------------------------------------------------------------------


class _Sentence(Protocol):
    text: str
    citations: Sequence[Citation]


class _Summary(Protocol):
    sentences: Sequence[_Sentence]


def _is_figure(term: str) -> bool:
    return any(ch.isdigit() for ch in term)


def fact_covered(fact: str, sentences: Iterable[str], min_share: float = 0.6) -> bool:
    """True when one sentence holds every number of ``fact`` and at least ``min_share`` of its
    other content words (stemmed)."""
    want = terms(fact)
    numbers = {t for t in want if _is_figure(t)}
    words = {t for t in want if not _is_figure(t)}
    for sentence in sentences:
        have = set(terms(sentence))
        if not numbers <= have:
            continue
        if not words or len(words & have) / len(words) >= min_share:
            return True
    return False


@dataclass
class SummaryResult:
    """Scores of one summary case."""

    id: str
    document: str | None
    topic: str | None
    text: str
    sentences: int
    max_sentences: int
    facts: int
    facts_covered: int
    missing_facts: list[str]
    citations: int
    citations_valid: int
    sentences_cited: int
    flags: int
    seconds: float
    tags: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def coverage(self) -> float:
        return self.facts_covered / self.facts if self.facts else 1.0

    @property
    def correct(self) -> bool:
        """Every fact covered, every citation valid, and within the sentence budget."""
        return (self.error is None and self.facts_covered == self.facts
                and self.citations_valid == self.citations and self.sentences <= self.max_sentences)


def score_summary(case: SummaryCase, summary: _Summary, fetch: Callable[[str], Document | None],
                  seconds: float = 0.0) -> SummaryResult:
    """Fact coverage, citation validity and share of cited sentences of one summary."""
    sentences = list(summary.sentences)
    texts = [s.text for s in sentences]
    docs: dict[str, Document | None] = {}
    cits = [c for s in sentences for c in s.citations]
    valid = 0
    for c in cits:
        if c.document_id not in docs:
            docs[c.document_id] = fetch(c.document_id)
        valid += verify(c, docs[c.document_id])
    missing = [f for f in case.required_facts if not fact_covered(f, texts)]
    text = getattr(summary, "text", None) or " ".join(texts)
    return SummaryResult(id=case.id, document=case.document, topic=case.topic, text=text,
                         sentences=len(sentences), max_sentences=case.max_sentences,
                         facts=len(case.required_facts),
                         facts_covered=len(case.required_facts) - len(missing),
                         missing_facts=missing, citations=len(cits), citations_valid=valid,
                         sentences_cited=sum(1 for s in sentences if s.citations),
                         flags=len(getattr(summary, "flags", ()) or ()), seconds=seconds,
                         tags=case.all_tags)


# ---- results and report ---------------------------------------------------------------------


@dataclass
class CaseResult:
    """What one question produced and how it scored."""

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
    exact: bool | None = None
    f1: float | None = None
    judged_by: str = RULE_LABEL
    flags_expected: int | None = None
    flags_predicted: int = 0
    flags_matched_expected: int = 0
    flags_matched_predicted: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tags: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


@dataclass
class Report:
    """Totals of one eval run: ``results`` (questions), ``summaries``, and the flag-file report.

    Metric properties follow one rule for an empty denominator: the older ones (accuracy,
    citation validity/support) give 1.0, the newer ones (abstention precision/recall, flag
    precision/recall, summary scores) give None ("not measured").
    """

    results: list[CaseResult] = field(default_factory=list)
    summaries: list[SummaryResult] = field(default_factory=list)
    flag_report: "FlagReport | None" = None
    meta: dict[str, Any] = field(default_factory=dict)

    # -- answers
    @property
    def answer_accuracy(self) -> float:
        return _share(r.correct for r in self.results)

    @property
    def exact_match(self) -> float | None:
        """Share of string answers equal (normalised) to an expected spelling."""
        xs = [r.exact for r in self.results if r.exact is not None]
        return sum(xs) / len(xs) if xs else None

    @property
    def mean_f1(self) -> float | None:
        xs = [r.f1 for r in self.results if r.f1 is not None]
        return sum(xs) / len(xs) if xs else None

    # -- abstention: the positive class is "should abstain"
    @property
    def abstention_precision(self) -> float | None:
        tp = sum(1 for r in self.results if r.expected is None and r.abstained)
        return _ratio(tp, sum(1 for r in self.results if r.abstained))

    @property
    def abstention_recall(self) -> float | None:
        tp = sum(1 for r in self.results if r.expected is None and r.abstained)
        return _ratio(tp, sum(1 for r in self.results if r.expected is None))

    @property
    def abstention_accuracy(self) -> float:
        """Share of must-abstain cases where the assistant abstained (= abstention recall)."""
        return _share(r.abstained for r in self.results if r.expected is None)

    @property
    def false_abstentions(self) -> int:
        return sum(1 for r in self.results if r.expected is not None and r.abstained)

    # -- citations
    @property
    def citation_validity(self) -> float:
        total = sum(r.citations for r in self.results)
        return sum(r.citations_valid for r in self.results) / total if total else 1.0

    @property
    def citation_support(self) -> float:
        return _share(r.supported for r in self.results if r.supported is not None)

    # -- flags on answers (cases that declare expected flags)
    @property
    def flag_precision(self) -> float | None:
        checked = [r for r in self.results if r.flags_expected is not None]
        return _ratio(sum(r.flags_matched_predicted for r in checked),
                      sum(r.flags_predicted for r in checked)) if checked else None

    @property
    def flag_recall(self) -> float | None:
        checked = [r for r in self.results if r.flags_expected is not None]
        return _ratio(sum(r.flags_matched_expected for r in checked),
                      sum(r.flags_expected or 0 for r in checked)) if checked else None

    # -- cost
    @property
    def latency_p50(self) -> float:
        return statistics.median([r.seconds for r in self.results]) if self.results else 0.0

    @property
    def latency_p95(self) -> float:
        return percentile([r.seconds for r in self.results], 95)

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.results)

    @property
    def completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.results)

    # -- summaries
    @property
    def fact_coverage(self) -> float | None:
        return _ratio(sum(s.facts_covered for s in self.summaries),
                      sum(s.facts for s in self.summaries))

    @property
    def summary_citation_validity(self) -> float | None:
        return _ratio(sum(s.citations_valid for s in self.summaries),
                      sum(s.citations for s in self.summaries))

    @property
    def sentences_cited(self) -> float | None:
        return _ratio(sum(s.sentences_cited for s in self.summaries),
                      sum(s.sentences for s in self.summaries))

    def totals(self) -> dict[str, Any]:
        """Headline figures; keys for parts a run did not measure are left out."""
        if not self.results and (self.summaries or self.flag_report is not None):
            return {"cases": 0} | self._other_totals()
        t: dict[str, Any] = {
            "cases": len(self.results), "answer_accuracy": round(self.answer_accuracy, 4),
            "abstention_accuracy": round(self.abstention_accuracy, 4),
            "false_abstentions": self.false_abstentions,
            "citation_validity": round(self.citation_validity, 4),
            "citation_support": round(self.citation_support, 4),
            "latency_p50_s": round(self.latency_p50, 3)}
        if self.results:
            t.update({"exact_match": _r(self.exact_match), "token_f1": _r(self.mean_f1),
                      "abstention_precision": _r(self.abstention_precision),
                      "abstention_recall": _r(self.abstention_recall),
                      "latency_p95_s": round(self.latency_p95, 3)})
        if any(r.flags_expected is not None for r in self.results):
            t["flag_precision"] = _r(self.flag_precision)
            t["flag_recall"] = _r(self.flag_recall)
        if self.prompt_tokens or self.completion_tokens:
            t["prompt_tokens"] = self.prompt_tokens
            t["completion_tokens"] = self.completion_tokens
        judged = sum(1 for r in self.results if r.judged_by == JUDGE_LABEL)
        if judged:
            t["judged_by_llm"] = judged
        return t | self._other_totals()

    def _other_totals(self) -> dict[str, Any]:
        t: dict[str, Any] = {}
        errors = sum(1 for r in self.results if r.error) + sum(1 for s in self.summaries if s.error)
        if errors:
            t["errors"] = errors
        if self.summaries:
            t.update({"summary_cases": len(self.summaries),
                      "fact_coverage": _r(self.fact_coverage),
                      "summary_citation_validity": _r(self.summary_citation_validity),
                      "sentences_cited": _r(self.sentences_cited)})
        if self.flag_report is not None:
            t.update({"flag_cases": len(self.flag_report.results),
                      "flag_eval_precision": round(self.flag_report.precision, 4),
                      "flag_eval_recall": round(self.flag_report.recall, 4)})
        return t

    def breakdown(self, tag: str) -> dict[str, dict[str, Any]]:
        """Per value of ``tag`` (e.g. ``type``, ``difficulty``): cases, accuracy, abstention,
        citation support and latency of the question cases carrying it."""
        groups: dict[str, list[CaseResult]] = {}
        for r in self.results:
            value = r.tags.get(tag) or (r.type if tag == "type" else "")
            if value:
                groups.setdefault(value, []).append(r)
        out = {}
        for value, rs in sorted(groups.items()):
            sub = Report(results=rs)
            out[value] = {"cases": len(rs), "answer_accuracy": round(sub.answer_accuracy, 4),
                          "abstention_recall": _r(sub.abstention_recall),
                          "false_abstentions": sub.false_abstentions,
                          "citation_support": round(sub.citation_support, 4),
                          "latency_p50_s": round(sub.latency_p50, 3)}
        return out

    def tag_names(self) -> list[str]:
        names = {k for r in self.results for k in r.tags} | ({"type"} if any(
            r.type for r in self.results) else set())
        first = ("type", "difficulty")
        return sorted(names, key=lambda k: (first.index(k) if k in first else len(first), k))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"totals": self.totals(),
                             "breakdown": {t: self.breakdown(t) for t in self.tag_names()},
                             "results": [asdict(r) for r in self.results]}
        if self.summaries:
            d["summaries"] = [asdict(s) | {"coverage": round(s.coverage, 4)}
                              for s in self.summaries]
        if self.flag_report is not None:
            d["flag_eval"] = self.flag_report.to_dict()
        if self.meta:
            d["meta"] = self.meta
        return d


# ---- running --------------------------------------------------------------------------------

Judge = Callable[[str, str, str], "bool | None"]


def score_case(case: Case, answer: Answer, fetch: Callable[[str], Document | None],
               seconds: float = 0.0, judge: Judge | None = None,
               docs: dict[str, Document | None] | None = None) -> CaseResult:
    """Score one answer: correctness (rule, or ``judge`` for free-text answers), citations
    against the stored text, support of the expected quote, expected flags, token usage."""
    docs = {} if docs is None else docs
    valid = 0
    all_citations = answer.citations + [c for f in answer.flags for c in f.citations]
    for c in all_citations:
        if c.document_id not in docs:
            docs[c.document_id] = fetch(c.document_id)
        valid += verify(c, docs[c.document_id])
    supported = None
    if case.quote and case.answer is not None:
        supported = citation_supports(answer.citations, case.document, case.quote)
    correct, judged_by = is_correct(case, answer), RULE_LABEL
    free_text = isinstance(case.answer, str)
    if judge is not None and free_text and not answer.abstained:
        try:
            verdict = judge(case.question, str(case.answer), answer.text)
        except AssistantError:
            verdict = None  # a judge outage falls back to the rule, and says so by the label
        if verdict is not None:
            correct, judged_by = bool(verdict), JUDGE_LABEL
    exact = None
    if free_text:
        exact = not answer.abstained and exact_match(answer.text, (str(case.answer), *case.aliases))
    result = CaseResult(id=case.id, question=case.question, type=case.type,
                        expected=case.answer, got=answer.text, abstained=answer.abstained,
                        correct=correct, citations=len(all_citations), citations_valid=valid,
                        supported=supported, seconds=seconds, exact=exact,
                        f1=best_f1(case, answer), judged_by=judged_by,
                        prompt_tokens=int((answer.usage or {}).get("prompt_tokens", 0) or 0),
                        completion_tokens=int((answer.usage or {}).get("completion_tokens", 0) or 0),
                        tags=case.all_tags)
    if case.flags is not None:
        mp, me = flag_counts(answer.flags, case.flags)
        result.flags_expected = len(case.flags)
        result.flags_predicted = len(answer.flags)
        result.flags_matched_predicted, result.flags_matched_expected = mp, me
    return result


def error_result(case: Case, exc: Exception, seconds: float) -> CaseResult:
    return CaseResult(id=case.id, question=case.question, type=case.type, expected=case.answer,
                      got=f"error: {exc}", abstained=False, correct=False, citations=0,
                      citations_valid=0, supported=False if case.quote and case.answer is not None
                      else None, seconds=seconds, tags=case.all_tags, error=str(exc))


Summarize = Callable[[SummaryCase], Any]


def run_eval(cases: Sequence[Case | SummaryCase], ask: Callable[[str], Answer],
             fetch: Callable[[str], Document | None],
             progress: Callable[[CaseResult | SummaryResult], None] | None = None, *,
             judge: Judge | None = None, summarize: Summarize | None = None) -> Report:
    """Run every case through the public API and score it.

    Args:
        cases: Question cases, and summary cases when ``summarize`` is given.
        ask: ``Assistant.ask`` or any callable question -> Answer.
        fetch: ``Assistant.document``: citations are checked against the text it returns.
        progress: Called with each result as it is scored.
        judge: Optional ``(question, expected, answer_text) -> bool | None`` for free-text
            answers; None from it keeps the rule's verdict. Judged results are labelled.
        summarize: ``SummaryCase -> Summary`` (an object with ``sentences``, each with ``text``
            and ``citations``); needed when ``cases`` holds summary cases.

    A setup problem (ConfigError) stops the run; any other AssistantError on one case is
    recorded as that case's error and the run goes on.
    """
    report = Report()
    docs: dict[str, Document | None] = {}
    for case in cases:
        t0 = time.perf_counter()
        if isinstance(case, SummaryCase):
            if summarize is None:
                raise InputError(f"{case.id}: summary cases need a summarize function")
            try:
                summary = summarize(case)
            except ConfigError:
                raise
            except AssistantError as exc:
                result: CaseResult | SummaryResult = SummaryResult(
                    id=case.id, document=case.document, topic=case.topic, text=f"error: {exc}",
                    sentences=0, max_sentences=case.max_sentences, facts=len(case.required_facts),
                    facts_covered=0, missing_facts=list(case.required_facts), citations=0,
                    citations_valid=0, sentences_cited=0, flags=0,
                    seconds=time.perf_counter() - t0, tags=case.all_tags, error=str(exc))
            else:
                result = score_summary(case, summary, fetch, time.perf_counter() - t0)
            report.summaries.append(result)
        else:
            try:
                answer = ask(case.question)
            except ConfigError:
                raise
            except AssistantError as exc:
                result = error_result(case, exc, time.perf_counter() - t0)
            else:
                result = score_case(case, answer, fetch, time.perf_counter() - t0, judge, docs)
            report.results.append(result)
        if progress:
            progress(result)
    return report


def summarize_with(assistant: Any) -> Summarize:
    """A ``summarize`` callable over ``Assistant.summarize``; a clear error if it is missing."""
    method = getattr(assistant, "summarize", None)
    if method is None:
        raise InputError("summary cases need Assistant.summarize, which this build does not have")
    return lambda case: method(document_id=case.document, topic=case.topic,
                               max_sentences=case.max_sentences)


def print_line(r: CaseResult | SummaryResult, out=None) -> None:
    """One line per result: PASS/FAIL, id, expected, got."""
    out = out or sys.stdout
    mark = "PASS" if r.correct else "FAIL"
    if isinstance(r, SummaryResult):
        print(f"{mark}  {r.id:<32} facts={r.facts_covered}/{r.facts} citations valid="
              f"{r.citations_valid}/{r.citations} sentences cited={r.sentences_cited}/{r.sentences}",
              file=out)
        for f in r.missing_facts:
            print(f"        missing: {f}", file=out)
        return
    got = r.got if len(r.got) <= 90 else r.got[:87] + "..."
    judged = " [LLM judge]" if r.judged_by == JUDGE_LABEL else ""
    print(f"{mark}  {r.id:<32} expected={r.expected!s:<28.28} got={got}{judged}", file=out)


# ---- flag-file evals ------------------------------------------------------------------------


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


def print_flag_line(r: FlagResult, out=None) -> None:
    out = out or sys.stdout
    ok = r.matched_expected == r.expected and r.matched_predicted == r.predicted
    print(f"{'PASS' if ok else 'FAIL'}  {r.id:<32} expected={r.expected} predicted={r.predicted} "
          f"matched={r.matched_expected}", file=out)
    for f in r.flags:
        print(f"        {f[:150]}", file=out)


# ---- the ``assistant eval`` command -------------------------------------------------------


def make_judge(settings: Any) -> Judge:
    """The LLM judge for ``--judge``: ``assistant.llm.judge`` bound to ``settings``.

    Raises ConfigError when no LLM is configured.
    """
    if settings.llm == "offline":
        raise ConfigError("--judge needs an LLM: set ASSISTANT_LLM=openai or local "
                          "(or pass --mode openai|local); the offline reader has none")
    import functools

    from .llm import judge as llm_judge

    return functools.partial(llm_judge, settings=settings)


def _settings(args: Any) -> Any:
    from .config import Settings

    mode = getattr(args, "mode", None)
    try:
        settings = Settings.from_env(**({"llm": mode} if mode else {}))
    except ConfigError as exc:
        if mode:
            raise ConfigError(f"--mode {mode}: {exc}") from None
        raise
    store = getattr(args, "store", None)
    if store:
        settings = (settings.with_(chroma_url=store) if store.startswith(("http://", "https://"))
                    else settings.with_(store_dir=Path(store).expanduser(), chroma_url=None))
    return settings


def _bar(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="case", file=sys.stderr,
                disable=not sys.stderr.isatty())


def command(args: Any) -> int:
    """Run ``assistant eval``: load every file, run flag, question and summary cases, print a
    line per case and the totals, write the reports, check the gates. Returns the exit code."""
    from datetime import datetime, timezone

    from .reports import (compare, comparison_lines, load_report, to_html, to_markdown,
                          write_text)

    settings = _settings(args)
    judge = make_judge(settings) if getattr(args, "judge", False) else None
    if getattr(args, "multihop", False):
        from .multihop import command as multihop_command

        return multihop_command(args, settings, judge=judge)
    if not args.files:
        raise InputError("name at least one eval file (e.g. evals/seed.jsonl), or pass --multihop")
    cases = EvalSet()
    for f in args.files:
        if not Path(f).is_file():
            raise InputError(f"no eval file {f}")
        cases.extend(load_file(f))
    old = load_report(args.compare) if getattr(args, "compare", None) else None

    from .core import Assistant

    assistant = Assistant(settings=settings)
    report = Report(meta={"files": list(args.files), "mode": settings.llm,
                          "judge": JUDGE_LABEL if judge else "none",
                          "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})
    if cases.flags:
        bar = _bar(len(cases.flags), "flag cases")

        def flag_progress(r: FlagResult) -> None:
            with bar.external_write_mode(file=sys.stdout):
                print_flag_line(r)
            bar.update(1)

        embedder = assistant.embedder
        report.flag_report = run_flag_eval(cases.flags, Path.cwd(), lambda tmp: Assistant(
            settings=settings.with_(store_dir=tmp, chroma_url=None), embedder=embedder),
            progress=flag_progress)
        bar.close()
        print("flag totals: " + ", ".join(f"{k}={v}"
                                          for k, v in report.flag_report.totals().items()))
    runnable: list[Case | SummaryCase] = [*cases.qa, *cases.summaries]
    if runnable:
        summarize = summarize_with(assistant) if cases.summaries else None
        if not getattr(args, "no_ingest", False):
            assistant.ensure_corpus()
        bar = _bar(len(runnable), "eval")

        def progress(r: CaseResult | SummaryResult) -> None:
            with bar.external_write_mode(file=sys.stdout):
                print_line(r)
            bar.update(1)

        try:
            run = run_eval(runnable, assistant.ask, assistant.document, progress, judge=judge,
                           summarize=summarize)
        finally:
            bar.close()
        report.results, report.summaries = run.results, run.summaries
        totals = {k: v for k, v in report.totals().items()
                  if not k.startswith(("flag_cases", "flag_eval_"))}
        print("totals: " + ", ".join(f"{k}={v}" for k, v in totals.items()))
        by_type = report.breakdown("type")
        if len(by_type) > 1:
            print("by type: " + ", ".join(f"{k} {g['answer_accuracy']:.2f} ({g['cases']})"
                                          for k, g in by_type.items()))
    assistant.close()
    data = report.to_dict()
    comparison = None
    if old is not None:
        comparison = compare(old, data)
        for line in comparison_lines(comparison):
            print(line)
        data["comparison"] = comparison.to_dict()
    if getattr(args, "out", None):
        write_text(args.out, json.dumps(data, indent=2, ensure_ascii=False))
    if getattr(args, "md", None):
        write_text(args.md, to_markdown(data, comparison))
    if getattr(args, "html", None):
        write_text(args.html, to_html(data, comparison))
    return _gates(report, args)


def _gates(report: Report, args: Any) -> int:
    """Exit code 1 when a ``--min-*`` gate is missed (each miss is printed)."""
    missed = False
    if not report.results and not report.summaries:
        return 0
    checks = [("answer accuracy", report.answer_accuracy if report.results else None,
               getattr(args, "min_accuracy", None), "--min-accuracy")]
    total = sum(r.citations for r in report.results) + sum(s.citations for s in report.summaries)
    valid = (sum(r.citations_valid for r in report.results)
             + sum(s.citations_valid for s in report.summaries))
    checks.append(("citation validity", valid / total if total else 1.0,
                   getattr(args, "min_citation_validity", None), "--min-citation-validity"))
    checks.append(("abstention recall", report.abstention_recall,
                   getattr(args, "min_abstention_recall", None), "--min-abstention-recall"))
    for name, value, bar, flag in checks:
        if bar is None:
            continue
        if value is None:
            print(f"note: {flag} not checked: no case measures {name}", file=sys.stderr)
            continue
        if value < bar:
            print(f"error: {name} {value:.3f} is below {flag} {bar}", file=sys.stderr)
            missed = True
    return 1 if missed else 0
