"""The typed data model shared by every stage: documents, chunks, citations, flags, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One ingested article.

    Attributes:
        id: Stable id derived from the file name (``north-korea-troops``).
        title: Front-matter title, else the first short line, else the file name.
        source: Absolute path of the file it was read from.
        text: The stored text; every citation offset points into it.
        hash: Content hash (text plus chunking settings) used for incremental ingest.
        metadata: Front-matter fields such as ``outlet``, ``date``, ``url``.
    """

    id: str
    title: str
    source: str
    text: str
    hash: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """A token-bounded run of whole sentences of one document.

    ``document.text[start:end] == text`` always holds.
    """

    id: str
    document_id: str
    title: str
    source: str
    start: int
    end: int
    text: str
    index: int = 0


@dataclass(frozen=True)
class Citation:
    """An exact span of a stored document.

    Attributes:
        document_id: Id of the cited document.
        title: Its title.
        source: Its source path.
        start: Character offset where the quote starts in the stored text.
        end: Character offset where it ends (exclusive).
        quote: ``document.text[start:end]``, verified by code before it is returned.
    """

    document_id: str
    title: str
    source: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Flag:
    """A warning attached to an answer or a document.

    Attributes:
        kind: Machine-readable kind, e.g. ``conflicting_evidence``.
        message: One plain sentence a reader can act on.
        citations: The spans on each side of the problem.
        severity: ``info``, ``warning`` or ``error``.
    """

    kind: str
    message: str
    citations: tuple[Citation, ...] = ()
    severity: str = "warning"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "severity": self.severity,
            "citations": [c.to_dict() for c in self.citations],
        }


def flag_from_dict(d: dict[str, Any]) -> Flag:
    return Flag(kind=d["kind"], message=d["message"], severity=d.get("severity", "warning"),
                citations=tuple(Citation(**c) for c in d.get("citations", ())))


@dataclass
class Answer:
    """The one record a question produces, in every mode.

    Attributes:
        question: The question as asked.
        text: The short answer, or the abstention sentence.
        abstained: True when the corpus does not support an answer.
        citations: Verified spans backing ``text``.
        flags: Warnings, e.g. conflicting values among the evidence.
        mode: Which reader produced it (``offline`` ...).
        timings: Seconds per stage.
        confidence: 0..1 score of the supporting evidence.
        answer_type: What the question asked for (``quantity``, ``person``, ``date``, ...).
        usage: Token counts when a model was called.
    """

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    mode: str = "offline"
    timings: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0
    answer_type: str = "other"
    usage: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of ``assistant ask --json``."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "flags": [f.to_dict() for f in self.flags],
            "mode": self.mode,
            "confidence": round(self.confidence, 4),
            "answer_type": self.answer_type,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "usage": dict(self.usage),
        }


@dataclass(frozen=True)
class FileError:
    """A file that could not be ingested, and why."""

    path: str
    message: str


@dataclass
class IngestReport:
    """What one ``ingest`` call did.

    Attributes:
        added: Ids of documents new to the store.
        updated: Ids whose content changed and whose chunks were replaced.
        unchanged: Ids skipped because their hash matched.
        removed: Ids deleted because their file is gone from an ingested folder.
        errors: Files that could not be read; the rest still ingested.
        chunks_embedded: Number of chunks sent to the embedder.
        seconds: Wall time.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    chunks_embedded: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = [asdict(e) for e in self.errors]
        return d


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and the ranks it came from."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass
class Verdict:
    """What the corpus says about a user's claim.

    Attributes:
        claim: The claim as given.
        status: ``supported``, ``contradicted`` or ``not_found``.
        message: One sentence saying why, with the corpus's own figures.
        citations: Verified spans on which the verdict rests (both sides when contradicted).
    """

    claim: str
    status: str
    message: str
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "verdict": self.status, "message": self.message,
                "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of a summary and the verified spans it rests on.

    Attributes:
        text: The sentence (offline: an exact span of a document).
        citations: Verified spans backing it.
    """

    text: str
    citations: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_dict() for c in self.citations]}


@dataclass
class Summary:
    """A cited summary of one article, several, or a topic across the corpus.

    Attributes:
        sentences: The summary, sentence by sentence, each with its citations; when the summarised
            articles carry inconsistency flags the last sentence names them.
        flags: Those flags.
        document_ids: The articles the summary draws on.
        topic: The topic asked for, if any.
        mode: Which summariser produced it (``offline`` is extractive).
    """

    sentences: list[SummarySentence] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    topic: str | None = None
    mode: str = "offline"

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of ``assistant summarize --json``."""
        return {
            "summary": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "flags": [f.to_dict() for f in self.flags],
            "document_ids": list(self.document_ids),
            "topic": self.topic,
            "mode": self.mode,
        }


@dataclass(frozen=True)
class Fact:
    """A figure, claim, forecast or estimate an article states, with who it credits.

    Attributes:
        kind: ``figure``, ``claim``, ``forecast`` or ``estimate``.
        text: The words of the fact, an exact substring of the cited sentence
            ("around 11,000 elite troops", or the claimed clause).
        value: The number (scales applied: "4.8 million" → 4800000), None for a claim.
        unit: ``percent``, a currency sign, a unit of measure, or empty for a plain count.
        counts: What the figure counts ("elite troops", "North Korean soldiers").
        qualifier: "around", "up to", "over", "as many as", ... or empty.
        source: Who says, estimates or predicts it, as the article names them; empty when the
            article states it in its own voice.
        hedge: A modal or hedging word on it ("may", "could"), or empty.
        when: The date or period it refers to, or empty.
        document_id: The article.
        citation: The verified sentence(s) it comes from.
        via: Who relays the source's statement ("Umerov also mentioned that the NIS predicts
            ..."), or empty.
    """

    kind: str
    text: str
    value: float | None
    unit: str
    counts: str
    qualifier: str
    source: str
    hedge: str
    when: str
    document_id: str
    citation: Citation
    via: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "value": self.value, "unit": self.unit,
                "counts": self.counts, "qualifier": self.qualifier, "source": self.source,
                "via": self.via, "hedge": self.hedge, "when": self.when,
                "document_id": self.document_id, "citation": self.citation.to_dict()}


def fact_from_dict(d: dict[str, Any]) -> Fact:
    return Fact(kind=d["kind"], text=d["text"], value=d.get("value"), unit=d.get("unit", ""),
                counts=d.get("counts", ""), qualifier=d.get("qualifier", ""),
                source=d.get("source", ""), hedge=d.get("hedge", ""), when=d.get("when", ""),
                document_id=d["document_id"], citation=Citation(**d["citation"]),
                via=d.get("via", ""))
