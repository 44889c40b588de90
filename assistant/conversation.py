"""Follow-up questions rewritten into standalone ones before retrieval.

"And how many laborers?" after "How many troops has North Korea deployed?" must retrieve like
"How many laborers has North Korea deployed?". With a model configured, the model rewrites
(``prompts/condense.md``); offline, a parse-based rule swaps the new focus into the previous
question or resolves pronouns to the last name mentioned.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from . import nlp, prompts
from .errors import BackendError

log = logging.getLogger(__name__)

_CONNECTOR = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|well|what about|how about|"
                        r"and what about|and how about)\b[\s,]*", re.I)
_PRONOUNS = frozenset("he she they him her them his hers their theirs it its this that these "
                      "those".split())
_PERSONAL = frozenset("he she they him her them his hers their theirs".split())
_QUANT = re.compile(r"^(?:how\s+)?(?:many|much)\s+", re.I)
_WH = frozenset("who whom whose what which when where why how".split())


def rewrite(question: str, history: Sequence[dict], reader=None) -> str:
    """The standalone form of ``question`` given the earlier ``history`` messages."""
    turns = [m for m in history if isinstance(m, dict) and isinstance(m.get("content"), str)
             and m.get("role") in {"user", "assistant"} and m["content"].strip()]
    if not turns or not is_follow_up(question):
        return question
    if reader is not None:
        rewritten = _with_model(question, turns, reader)
        if rewritten:
            return rewritten
    # Earlier follow-ups are resolved first, so a chain of them keeps its subject.
    previous = None
    resolved: list[dict] = []
    for m in turns:
        if m["role"] == "user":
            text = m["content"].strip()
            if previous is not None and is_follow_up(text):
                text = _by_rule(text, previous, resolved)
            previous = text
        resolved.append({"role": m["role"], "content": m["content"] if m["role"] != "user"
                         else previous})
    if previous is None:
        return question
    return _by_rule(question, previous, resolved)


def is_follow_up(question: str) -> bool:
    """Does the question lean on the conversation (a connector, a pronoun, a bare fragment)?"""
    if _CONNECTOR.match(question):
        return True
    doc = nlp.parse(question)
    words = [t for t in doc if t.is_alpha]
    has_name = any(t.pos_ == "PROPN" for t in doc) or bool(doc.ents)
    if any(t.lower_ in _PRONOUNS and t.pos_ == "PRON" for t in doc) and not has_name:
        return True
    return len(words) <= 3 and not has_name


def _by_rule(question: str, previous: str, history: Sequence[dict]) -> str:
    core = _CONNECTOR.sub("", question).strip()
    if not core:
        return previous
    doc = nlp.parse(core)
    prev = nlp.parse(previous)
    # A pronoun standing for a person or group named earlier gets that name; "it"/"that"
    # stand for a whole statement, so they keep the previous question as context instead.
    pronouns = [t for t in doc if t.lower_ in _PERSONAL and t.pos_ == "PRON"]
    if pronouns:
        t = pronouns[0]
        name = _last_name(history, people=t.lower_ in {"he", "she", "him", "her", "his", "hers"})
        if name:
            swapped = name + ("'s" if t.dep_ == "poss" else "")
            return (core[:t.idx] + swapped + core[t.idx + len(t.text):]).strip()
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in doc)
    if has_verb and len([t for t in doc if t.is_alpha]) >= 4 and not any(
            t.lower_ in _PRONOUNS for t in doc):
        return core  # a complete question of its own after the connector
    new_chunks = [c for c in doc.noun_chunks if c.root.pos_ in {"NOUN", "PROPN"}]
    old_chunks = [c for c in prev.noun_chunks if c.root.pos_ == "NOUN"]
    first = next((t for t in doc if t.is_alpha), None)
    same_wh = first is None or first.lower_ not in _WH or previous.lower().startswith(first.lower_)
    if new_chunks and old_chunks and same_wh and not has_verb:
        # "how many laborers" + "How many troops has North Korea deployed?" → swap the focus.
        new_text = " ".join(t.text for t in new_chunks[0]
                            if t.dep_ != "det" and t.lower_ not in {"how", "many", "much"})
        old_text = _QUANT.sub("", old_chunks[0].text).strip()
        if new_text and old_text and old_text in previous:
            return previous.replace(old_text, new_text, 1)
    # A bare question word or fragment: ask it about the previous question's subject.
    return f"{core.rstrip('?').strip()}? ({previous})"


def _last_name(history: Sequence[dict], people: bool) -> str:
    labels = {"PERSON"} if people else {"PERSON", "ORG", "GPE", "NORP"}
    for m in reversed(history):
        doc = nlp.parse(m["content"][:2000])
        names = [e.text for e in doc.ents if e.label_ in labels]
        if not names:
            names = [c.text for c in doc.noun_chunks if c.root.pos_ == "PROPN"]
        if names:
            return names[-1] if m["role"] == "assistant" else names[0]
    return ""


def _with_model(question: str, turns: Sequence[dict], reader) -> str:
    lines = [f"{m['role']}: {m['content'].strip()[:600]}" for m in turns[-6:]]
    messages = prompts.load("condense").render(history="\n".join(lines), question=question)
    try:
        reply = reader.backend.complete(messages, max_tokens=80)
    except BackendError as exc:
        log.warning("follow-up rewrite by the model failed, using the rule: %s", exc)
        return ""
    text = reply.text.strip().splitlines()[0].strip().strip('"') if reply.text.strip() else ""
    # A rewrite that is empty, rambles or answers instead of asking is not used.
    if not text or len(text) > 3 * len(question) + 200 or len(text) < 4:
        return ""
    return text
