"""The LLM reader: pack passages into the prompt, ask the model, and keep only what verifies.

The model sees passages with short ids and answers in JSON: text with [n] markers plus, per
marker, a verbatim quote. Each quote goes through ``ground.ground_quotes`` (the same check as the
offline path); invented ids and quotes are dropped and counted, markers are renumbered to the
verified citations, and a sentence left without one is marked ``[unsupported]``. An answer with no
verified support is refused here so the caller can fall back to the offline answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from . import prompts, tokens
from .config import Settings
from .ground import ABSTAIN_TEXT, ground_quotes
from .llm import ChatBackend, Completion, ContextOverflow
from .models import Answer, Citation, Document, Flag, Passage
from .text import fold, sentence_spans, terms

SCHEMA = {
    "type": "object",
    # Quotes come first: copying a passage is what small models do best, and the answer they
    # write next is conditioned on what they just copied.
    "properties": {
        "citations": {"type": "array", "maxItems": 4, "items": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "quote": {"type": "string", "maxLength": 400}},
            "required": ["id", "quote"]}},
        "answer": {"type": "string", "maxLength": 600},
    },
    "required": ["citations", "answer"],
}


def schema_for(n: int, quotes: Sequence[str] = ()) -> dict:
    """``SCHEMA`` with passage ids limited to the ``n`` given and, when ``quotes`` are given,
    each quote limited to one of them (the passages' sentences). Servers that honour schemas
    (llama.cpp grammars, OpenAI structured output) then cannot invent an id or a quote —
    which lets even a tiny model cite verbatim; verification still checks everything."""
    schema = json.loads(json.dumps(SCHEMA))
    item = schema["properties"]["citations"]["items"]["properties"]
    item["id"]["enum"] = list(range(1, n + 1))
    if quotes:
        item["quote"] = {"type": "string", "enum": list(dict.fromkeys(quotes))}
    return schema


def _sentences_of(prepared: "Prepared") -> list[str]:
    """The passages' sentences as quotable strings. Straight double quotes and backslashes are
    cut out (llama.cpp's schema-to-grammar converter mis-escapes them); the pieces are still
    verbatim substrings."""
    out = []
    for p in prepared.numbered:
        text = p.chunk.text
        for a, b in sentence_spans(text):
            out.extend(piece.strip() for piece in re.split(r'["\\]', text[a:b])
                       if len(piece.strip()) >= 12)
    return out[:_MAX_ENUM]


# Beyond this many sentences the quote is left free (grammar size); verification still applies.
_MAX_ENUM = 120
_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
# tiktoken's cl100k_base is not the served model's tokenizer: keep a margin for the difference.
_TOKENIZER_MARGIN = 0.85
_PER_PASSAGE_OVERHEAD = 24


@dataclass
class Prepared:
    """A prompt ready to send, with the passages it numbers (id n is ``numbered[n - 1]``)."""

    messages: list[dict[str, str]]
    numbered: list[Passage]
    prompt_tokens: int


@dataclass
class Outcome:
    """What verification made of a reply: an answer, or why there is none."""

    answer: Answer | None
    proposed: int = 0
    verified: int = 0
    reason: str = ""
    notes: list[str] = field(default_factory=list)


class LLMReader:
    """Answers through a ``ChatBackend`` and verifies every citation it returns."""

    def __init__(self, settings: Settings, backend: ChatBackend) -> None:
        self.settings = settings
        self.backend = backend
        self.mode = settings.llm
        self.prompt = prompts.load("answer")

    # ---- prompt ------------------------------------------------------------------------------

    def prepare(self, question: str, passages: Sequence[Passage]) -> Prepared:
        """Fill the prompt with as many passages as fit the context minus the answer budget."""
        frame = self.prompt.render(question=question, passages="")
        fixed = sum(tokens.count(m["content"]) + 4 for m in frame)
        budget = int(self.backend.context_tokens * _TOKENIZER_MARGIN) - self.settings.answer_tokens - fixed
        if budget < 64:
            raise ContextOverflow(f"the question alone fills the model's context window "
                                  f"({self.backend.context_tokens} tokens, ASSISTANT_LLM_CONTEXT); "
                                  "ask a shorter question")
        numbered: list[Passage] = []
        blocks: list[str] = []
        used = 0
        for p in passages:
            text = p.chunk.text
            cost = tokens.count(text) + _PER_PASSAGE_OVERHEAD
            if used + cost > budget:
                if numbered:
                    break
                text = _truncate(text, budget - _PER_PASSAGE_OVERHEAD)
                cost = budget
            numbered.append(p)
            blocks.append(_fence(len(numbered), p, text))
            used += cost
        messages = self.prompt.render(question=question, passages="\n\n".join(blocks))
        return Prepared(messages, numbered, fixed + used)

    # ---- calls -------------------------------------------------------------------------------

    def complete(self, prepared: Prepared) -> Completion:
        return self.backend.complete(prepared.messages, max_tokens=self.settings.answer_tokens,
                                     schema=schema_for(len(prepared.numbered),
                                                       _sentences_of(prepared)))

    def stream(self, prepared: Prepared) -> Iterator[str | Completion]:
        """Text deltas of the answer field as the model writes it, then the ``Completion``."""
        field_reader = AnswerFieldStream()
        for part in self.backend.stream(prepared.messages, max_tokens=self.settings.answer_tokens,
                                        schema=schema_for(len(prepared.numbered),
                                                       _sentences_of(prepared))):
            if isinstance(part, Completion):
                yield part
                return
            delta = field_reader.feed(part)
            if delta:
                yield delta

    # ---- verification ------------------------------------------------------------------------

    def finish(self, question: str, kind: str, prepared: Prepared, reply: Completion,
               fetch: Callable[[str], Document | None]) -> Outcome:
        usage = {"prompt_tokens": reply.prompt_tokens or prepared.prompt_tokens,
                 "completion_tokens": reply.completion_tokens or tokens.count(reply.text)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        parsed = parse_reply(reply.text)
        if parsed is None:
            why = "it was cut off at the answer budget" if reply.finish_reason == "length" else \
                "it was not the JSON asked for"
            return Outcome(None, reason=f"the model's reply could not be read ({why})")
        text, proposals = parsed
        n = len(prepared.numbered)
        valid = [(pid, q) for pid, q in proposals if 1 <= pid <= n]
        invented = len(proposals) - len(valid)
        # A verbatim quote credited to the wrong given passage is moved to the one that holds it.
        valid = [(_holder(prepared, pid, q), q) for pid, q in valid]
        grounded, dropped = ground_quotes(
            [(prepared.numbered[pid - 1].chunk.document_id, q, prepared.numbered[pid - 1].chunk.start)
             for pid, q in valid], fetch)
        outcome = Outcome(None, proposed=len(proposals), verified=len(proposals) - invented - dropped)
        if invented:
            outcome.notes.append(f"{invented} citation(s) named a passage that was not given")
        if dropped:
            outcome.notes.append(f"{dropped} quote(s) were not found in their passage")
        usage.update(citations_proposed=outcome.proposed, citations_verified=outcome.verified)
        if _abstains(text):
            outcome.answer = Answer(question=question, text=ABSTAIN_TEXT, abstained=True,
                                    mode=self.mode, answer_type=kind, usage=usage)
            return outcome
        by_passage: dict[int, list[Citation]] = {}
        for (pid, _), c in zip(valid, grounded):
            if c is not None and c not in by_passage.setdefault(pid, []):
                by_passage[pid].append(c)
        final, cites, unsupported = _rebuild(text, by_passage)
        if not cites or unsupported == len(sentence_spans(final)):
            outcome.reason = ("none of the model's citations could be verified in the sources"
                              if not outcome.verified else "no sentence of the model's answer is "
                              "supported by a verified citation")
            return outcome
        answer = Answer(question=question, text=final, abstained=False, citations=cites,
                        mode=self.mode, answer_type=kind, usage=usage,
                        confidence=round(1 - unsupported / max(1, len(sentence_spans(final))), 3))
        if unsupported:
            answer.flags.append(Flag("unsupported_sentence",
                                     f"{unsupported} sentence(s) of the model's answer have no "
                                     "verified citation and are marked [unsupported]", (), "info"))
        outcome.answer = answer
        return outcome


# Sentences that address the model rather than report news. Articles are data; these are kept out
# of the prompt (defence in depth on top of the fence and the system prompt's rule).
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|all|"
    r"your|the system)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules?|directions?)\b"
    r"|\byou are now\b|\b(?:system|developer) prompt\b|\bas an ai (?:language )?model\b"
    r"|\b(?:assistant|ai|model|chatbot)s?\b[^.!?\n]{0,30}\b(?:must|should) (?:answer|reply|respond|say)\b",
    re.I)
WITHHELD = "[instruction-like text withheld]"


def withhold_instructions(text: str) -> tuple[str, int]:
    """Replace sentences that give the model orders; returns the text and how many went."""
    out = []
    last = 0
    n = 0
    for a, b in sentence_spans(text):
        if _INSTRUCTION.search(text[a:b]):
            out.append(text[last:a] + WITHHELD)
            last = b
            n += 1
    out.append(text[last:])
    return "".join(out), n


SUMMARY_SCHEMA = {
    "type": "object",
    "properties": {"sentences": {"type": "array", "maxItems": 12, "items": {
        "type": "object",
        "properties": {
            "citations": SCHEMA["properties"]["citations"],
            "text": {"type": "string", "maxLength": 400}},
        "required": ["citations", "text"]}}},
    "required": ["sentences"],
}


def summarize(reader: LLMReader, passages: Sequence[Passage], max_sentences: int, topic: str | None,
              fetch: Callable[[str], Document | None]) -> tuple[list[tuple[str, list[Citation]]], int]:
    """Abstractive summary sentences, each with the citations that verified.

    Returns ``[(sentence, citations)]`` for the sentences with at least one verified quote (the
    others are removed) and how many sentences were removed.
    """
    prompt = prompts.load("summarize")
    blocks = [_fence(i, p, p.chunk.text) for i, p in enumerate(passages, 1)]
    focus = f"Summarize what these passages say about: {topic}" if topic else \
        "Summarize these passages."
    messages = prompt.render(passages="\n\n".join(blocks), max_sentences=str(max_sentences),
                             focus=focus)
    reply = reader.backend.complete(messages, max_tokens=reader.settings.answer_tokens * 2,
                                    schema=SUMMARY_SCHEMA)
    obj = _first_json_object(reply.text) or {}
    items = obj.get("sentences") if isinstance(obj.get("sentences"), list) else []
    kept: list[tuple[str, list[Citation]]] = []
    removed = 0
    for item in items[:max_sentences]:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            removed += 1
            continue
        proposals = [(c.get("id"), c.get("quote")) for c in item.get("citations") or []
                     if isinstance(c, dict)]
        valid = [(pid, q) for pid, q in proposals if isinstance(pid, int)
                 and not isinstance(pid, bool) and 1 <= pid <= len(passages) and isinstance(q, str)]
        grounded, _ = ground_quotes([(passages[pid - 1].chunk.document_id, q,
                                      passages[pid - 1].chunk.start) for pid, q in valid], fetch)
        cites = list(dict.fromkeys(c for c in grounded if c is not None))
        text = _MARKER.sub("", item["text"]).strip()
        if cites and text:
            kept.append((text, cites))
        else:
            removed += 1
    return kept, removed


FLAG_KINDS = ("role_conflict", "number_conflict", "claim_conflict", "attribution_conflict")
CONFLICT_SCHEMA = {
    "type": "object",
    "properties": {"conflicts": {"type": "array", "maxItems": 8, "items": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": list(FLAG_KINDS)},
            "quote_a": {"type": "string", "maxLength": 300},
            "quote_b": {"type": "string", "maxLength": 300},
            "explanation": {"type": "string", "maxLength": 300}},
        "required": ["kind", "quote_a", "quote_b", "explanation"]}}},
    "required": ["conflicts"],
}


def propose_conflicts(reader: LLMReader, doc: Document) -> tuple[list[Flag], int]:
    """Contradictions the model proposes inside one article, kept only when both quotes are found
    in the article at two different places. Returns the flags and how many proposals were
    dropped. Long articles are read in windows that fit the context."""
    prompt = prompts.load("contradictions")
    frame = sum(tokens.count(m["content"]) for m in prompt.render(article=""))
    budget = int(reader.backend.context_tokens * _TOKENIZER_MARGIN) - reader.settings.answer_tokens \
        - frame
    if budget < 128:
        raise ContextOverflow("the model's context window is too small to read an article")
    windows: list[tuple[int, int]] = []
    start = end = used = 0
    for a, b in sentence_spans(doc.text):
        cost = tokens.count(doc.text[a:b]) + 1
        if used + cost > budget and end > start:
            windows.append((start, end))
            start, used = a, 0
        end, used = b, used + cost
    if end > start:
        windows.append((start, end))
    flags: list[Flag] = []
    dropped = 0
    for a, b in windows:
        text, _ = withhold_instructions(doc.text[a:b])
        text = re.sub(r"</?\s*article", lambda m: m.group(0).replace("article", "article\u200b"),
                      text, flags=re.I)
        reply = reader.backend.complete(prompt.render(article=text),
                                        max_tokens=reader.settings.answer_tokens,
                                        schema=CONFLICT_SCHEMA)
        obj = _first_json_object(reply.text) or {}
        items = obj.get("conflicts") if isinstance(obj.get("conflicts"), list) else []
        for item in items:
            if not isinstance(item, dict) or item.get("kind") not in FLAG_KINDS:
                dropped += 1
                continue
            qa, qb = item.get("quote_a"), item.get("quote_b")
            if not isinstance(qa, str) or not isinstance(qb, str):
                dropped += 1
                continue
            (ca, cb), _ = ground_quotes([(doc.id, qa, a), (doc.id, qb, a)], {doc.id: doc}.get)
            if ca is None or cb is None or (ca.start < cb.end and cb.start < ca.end):
                dropped += 1
                continue
            why = str(item.get("explanation") or "").strip()[:300] or "The two passages disagree."
            flags.append(Flag(item["kind"], f"{why} (proposed by the model, quotes verified)",
                              tuple(sorted((ca, cb), key=lambda c: c.start)), "warning"))
    return flags, dropped


def _flat(text: str) -> str:
    return " ".join(fold(text).lower().split())


def _holder(prepared: Prepared, pid: int, quote: str) -> int:
    """``pid`` when its passage contains the quote, else the first given passage that does."""
    q = _flat(quote)
    if not q or q in _flat(prepared.numbered[pid - 1].chunk.text):
        return pid
    for i, p in enumerate(prepared.numbered, 1):
        if q in _flat(p.chunk.text):
            return i
    return pid


def _fence(pid: int, p: Passage, text: str) -> str:
    text, _ = withhold_instructions(text)
    # A passage cannot close its own fence: the tag text is neutralised too.
    body = re.sub(r"</?\s*passage", lambda m: m.group(0).replace("passage", "passage\u200b"), text,
                  flags=re.I)
    title = p.chunk.title.replace('"', "'")
    return f'<passage id="{pid}" title="{title}">\n{body}\n</passage>'


def _truncate(text: str, budget: int) -> str:
    kept = []
    used = 0
    for a, b in sentence_spans(text):
        cost = tokens.count(text[a:b]) + 1
        if used + cost > budget:
            break
        kept.append(text[a:b])
        used += cost
    if kept:
        return " ".join(kept)
    enc = tokens.encoding()
    return enc.decode(enc.encode(text, disallowed_special=())[:max(1, budget)])


def parse_reply(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """``(answer, [(passage id, quote)])`` from a reply; None when no answer can be read.

    Tolerates code fences, prose around the JSON, ids given as strings ("1", "[1]"), and a
    bare-text reply (then there are no quotes, so nothing will verify).
    """
    obj = _first_json_object(text)
    if obj is None:
        bare = text.strip()
        if bare and not bare.startswith(("{", "[")) and len(bare) < 2000:
            return bare, []
        return None
    answer = obj.get("answer")
    if not isinstance(answer, str):
        return None
    out: list[tuple[int, str]] = []
    raw = obj.get("citations") or []
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict):
                continue
            pid = item.get("id", item.get("passage"))
            quote = item.get("quote")
            if isinstance(pid, str):
                m = re.search(r"\d+", pid)
                pid = int(m.group()) if m else None
            if isinstance(pid, int) and not isinstance(pid, bool) and isinstance(quote, str):
                out.append((pid, quote))
    return answer.strip(), out


def _first_json_object(text: str) -> dict | None:
    decoder = json.JSONDecoder(strict=False)  # models put raw newlines inside strings
    for m in re.finditer(r"\{", text):
        try:
            obj, _ = decoder.raw_decode(text, m.start())
        except ValueError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def _abstains(text: str) -> bool:
    t = fold(text).lower()
    return not t.strip() or "does not say" in t or "do not say" in t or "not in the passages" in t


def _rebuild(text: str, by_passage: dict[int, list[Citation]]) -> tuple[str, list[Citation], int]:
    """Renumber markers to verified citations; mark sentences without one ``[unsupported]``."""
    cites: list[Citation] = []
    number: dict[int, int] = {}

    def cite_passage(pid: int) -> int | None:
        if pid not in by_passage or not by_passage[pid]:
            return None
        if pid not in number:
            number[pid] = len(cites) + 1
            cites.extend(by_passage[pid])
        return number[pid]

    out: list[str] = []
    unsupported = 0
    plain = _MARKER.sub("", text)
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        marks = [int(m) for m in _MARKER.findall(sentence)]
        body = _MARKER.sub("", sentence).strip()
        if not body or not any(ch.isalnum() for ch in body):
            continue
        kept = [x for x in (cite_passage(pid) for pid in marks) if x is not None]
        if not kept:
            # An unmarked sentence is backed by a verified quote that carries most of its words.
            words = set(terms(body))
            for pid, cs in by_passage.items():
                if words and any(len(words & set(terms(c.quote))) >= 0.5 * len(words) for c in cs):
                    x = cite_passage(pid)
                    if x is not None:
                        kept.append(x)
                        break
        end = len(body)
        while end and body[end - 1] in ".!?;:":
            end -= 1
        tail = body[end:]
        if kept:
            out.append(body[:end] + "".join(f" [{x}]" for x in sorted(set(kept))) + tail)
        else:
            unsupported += 1
            out.append(body[:end] + " [unsupported]" + tail)
    if not out and plain.strip():
        return plain.strip() + " [unsupported]", cites, 1
    return " ".join(out), cites, unsupported


class AnswerFieldStream:
    """Incrementally decode the string value of ``"answer"`` from streamed JSON text.

    A reply that is not JSON (no ``{`` before other text) is passed through as it comes.
    """

    _START = re.compile(r'"answer"\s*:\s*"')

    def __init__(self) -> None:
        self.buf = ""
        self.pos: int | None = None  # where the answer value's characters start
        self.done = False
        self.raw = False

    def feed(self, chunk: str) -> str:
        if self.done:
            return ""
        if self.raw:
            return chunk
        self.buf += chunk
        if self.pos is None:
            lead = self.buf.lstrip()
            if lead and not lead.startswith(("{", "`")):
                self.raw = True
                return self.buf
            m = self._START.search(self.buf)
            if not m:
                return ""
            self.pos = m.end()
        out = []
        i = self.pos
        while i < len(self.buf):
            ch = self.buf[i]
            if ch == "\\":
                if i + 1 >= len(self.buf):
                    break
                nxt = self.buf[i + 1]
                if nxt == "u":
                    if i + 6 > len(self.buf):
                        break
                    try:
                        out.append(chr(int(self.buf[i + 2:i + 6], 16)))
                    except ValueError:
                        pass
                    i += 6
                    continue
                out.append({"n": "\n", "t": "\t", "r": "", "b": "", "f": ""}.get(nxt, nxt))
                i += 2
                continue
            if ch == '"':
                self.done = True
                i += 1
                break
            out.append(ch)
            i += 1
        self.pos = i
        return "".join(out)
