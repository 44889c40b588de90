"""HTML for the web UI: answers, sources, flags, verdicts, summaries and highlighted articles.

Pure functions over the data model (no gradio import), so they are tested on their own. Every
piece of article text is escaped here: text in articles is data, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..models import Answer, Citation, Document, Flag, Verdict

Fetch = Callable[[str], Document | None]

FLAG_LABELS = {
    "conflicting_evidence": "Sources disagree",
    "role_conflict": "Role conflict",
    "claim_conflict": "Claim conflict",
    "number_conflict": "Number conflict",
    "attribution_conflict": "Attribution conflict",
}
VERDICT_LABELS = {"supported": "Supported", "contradicted": "Contradicted",
                  "not_found": "Not found in the corpus"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_SPACE = re.compile(r"\s+")


def esc(text: object) -> str:
    """Escape text for HTML (quotes too, so it is safe inside attributes)."""
    return html.escape(str(text), quote=True)


def flat(text: str) -> str:
    """Escaped text on one line: chat bubbles are markdown, where a blank line ends HTML."""
    return esc(_SPACE.sub(" ", text).strip())


def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind, kind.replace("_", " ").capitalize())


def source_name(source: str) -> str:
    return Path(source).name if source else ""


def cite_id(prefix: str, n: int) -> str:
    return f"{prefix}-c{n}"


def _cached(fetch: Fetch) -> Fetch:
    docs: dict[str, Document | None] = {}

    def get(did: str) -> Document | None:
        if did not in docs:
            try:
                docs[did] = fetch(did)
            except Exception:  # a missing document only loses its context, not the page
                docs[did] = None
        return docs[did]

    return get


# ---- passages ----------------------------------------------------------------------------------


def passage_html(text: str | None, c: Citation, context: int = 240) -> str:
    """The quote with some surrounding text of its document, the quote wrapped in ``<mark>``.

    Falls back to the quote alone when the stored text is unavailable or does not match (a
    deleted document): what is shown as a quote is always the verified quote.
    """
    if not text or text[c.start:c.end] != c.quote:
        return f'<mark class="quote">{esc(c.quote)}</mark>'
    lo = max(0, c.start - context)
    hi = min(len(text), c.end + context)
    before, after = text[lo:c.start], text[c.end:hi]
    if lo > 0:  # start on a sentence or word boundary rather than mid-word
        cut = max(before.rfind(". "), before.rfind("\n"))
        before = before[cut + 1:] if cut >= 0 else before.split(" ", 1)[-1]
    if hi < len(text):
        cut = max(after.rfind(". "), after.rfind("\n"))
        after = after[:cut + 1] if cut > 0 else after.rsplit(" ", 1)[0]
    head = "… " if lo > 0 and before.strip() else ""
    tail = " …" if hi < len(text) and after.strip() else ""
    return (f"{head}{esc(before.lstrip())}<mark class=\"quote\">{esc(c.quote)}</mark>"
            f"{esc(after.rstrip())}{tail}")


def citation_card(c: Citation, n: int, prefix: str, fetch: Fetch, open_: bool = False) -> str:
    """One source: ``[n] title — file``, expandable to the passage with the quote highlighted."""
    doc = fetch(c.document_id)
    return (
        f'<details class="src" id="{esc(cite_id(prefix, n))}"{" open" if open_ else ""}>'
        f'<summary><span class="cite-n">[{n}]</span> <span class="src-title">{esc(c.title)}</span>'
        f' <span class="src-file" title="{esc(c.source)}">{esc(source_name(c.source))}</span>'
        f'</summary>'
        f'<div class="passage">{passage_html(doc.text if doc else None, c)}</div>'
        f'<div class="src-meta">{esc(c.document_id)} · characters {c.start}–{c.end}</div>'
        f'</details>'
    )


# ---- flags -------------------------------------------------------------------------------------


def flag_block(f: Flag, number: int | None = None, one_line: bool = False,
               folded: bool = False) -> str:
    """A visible warning: what is wrong, and each side quoted with its article.

    ``folded`` keeps the kind and message visible and folds the quotes under them (chat bubbles
    with several flags); the sources panel shows them unfolded.
    """
    clean = flat if one_line else esc
    sides = "".join(
        f'<li><span class="q">{clean(c.quote)}</span> <span class="side-src">— {esc(c.title)}'
        f' ({esc(c.document_id)} {c.start}–{c.end})</span></li>' for c in f.citations)
    sides = f'<ul class="flag-sides">{sides}</ul>' if sides else ""
    num = f'<span class="flag-n">{number}</span> ' if number is not None else ""
    head = f'<span class="flag-head">{num}⚠ {esc(flag_label(f.kind))}</span>'
    msg = f'<span class="flag-msg">{clean(f.message)}</span>'
    attrs = f'class="flag flag-{esc(f.severity)}" data-kind="{esc(f.kind)}"'
    if folded:
        return f'<details {attrs}><summary>{head} {msg}</summary>{sides}</details>'
    return f'<div {attrs}><div>{head}</div><div>{msg}</div>{sides}</div>'


def flags_html(flags: Sequence[Flag], empty: str = "No inconsistencies found.") -> str:
    if not flags:
        return f'<div class="ok-note">✓ {esc(empty)}</div>'
    return "".join(flag_block(f, i) for i, f in enumerate(flags, 1))


# ---- chat --------------------------------------------------------------------------------------


def marker(i: int, prefix: str) -> str:
    """A clickable ``[i]`` that opens source ``i`` in the sources panel."""
    target = cite_id(prefix, i)
    return f'<a class="cite" href="#{target}" data-cite="{target}">[{i}]</a>'


def _markers(n: int, prefix: str) -> str:
    return "".join(marker(i, prefix) for i in range(1, n + 1))


def answer_text_html(text: str, n_citations: int, prefix: str) -> str:
    """Escaped answer text with clickable ``[n]`` markers: the model's own markers when it wrote
    valid ones, else every citation's marker after the text."""
    body = flat(text)
    found = False

    def link(m: re.Match) -> str:
        nonlocal found
        i = int(m.group(1))
        if 1 <= i <= n_citations:
            found = True
            return marker(i, prefix)
        return m.group(0)

    body = _MARKER.sub(link, body)
    if not found and n_citations:
        body += " " + _markers(n_citations, prefix)
    return body


def answer_bubble(answer: Answer, prefix: str, asked: str | None = None) -> str:
    """The chat message of a finished answer (an abstention looks different from an answer)."""
    if answer.abstained:
        main = (f'<div class="abstain"><span class="abstain-icon">⊘</span> '
                f'{flat(answer.text)}</div>')
    else:
        main = f'<div class="answer-text">{answer_text_html(answer.text, len(answer.citations), prefix)}</div>'
    rewritten = ""
    if asked is not None and answer.question and _norm(answer.question) != _norm(asked):
        rewritten = f'<div class="rewritten">Answered as: “{flat(answer.question)}”</div>'
    flags = "".join(flag_block(f, one_line=True, folded=i > 0)
                    for i, f in enumerate(answer.flags))
    total = answer.timings.get("total")
    meta = [answer.mode]
    if total is not None:
        meta.append(f"{total:.2f} s")
    if not answer.abstained and answer.confidence:
        meta.append(f"confidence {answer.confidence:.2f}")
    if answer.citations:
        meta.append(f"{len(answer.citations)} source{'s' if len(answer.citations) != 1 else ''}")
    return (f'<div class="reply">{rewritten}{main}{flags}'
            f'<div class="answer-meta">{esc(" · ".join(meta))}</div></div>')


def streaming_bubble(text: str) -> str:
    return f'<div class="reply streaming">{flat(text)}<span class="cursor">▌</span></div>'


def error_bubble(message: str) -> str:
    return f'<div class="reply error-msg">⚠ {flat(message)}</div>'


def user_bubble(text: str) -> str:
    return f'<div class="user-text">{flat(text)}</div>'


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def sources_html(turns: Sequence[dict[str, Any]], fetch: Fetch) -> str:
    """The sources panel: the newest answer's citations open, earlier turns collapsed below."""
    fetch = _cached(fetch)
    parts = []
    numbered = list(enumerate(turns, 1))
    for index, turn in reversed(numbered):
        answer: Answer | None = turn.get("answer")
        prefix = f"t{index}"
        latest = index == len(turns)
        if answer is None:
            body = ('<div class="muted">Waiting for the answer…</div>' if turn.get("pending")
                    else f'<div class="muted">{esc(turn.get("error") or "No answer.")}</div>')
        elif not answer.citations:
            body = '<div class="muted">No sources: the corpus does not support an answer.</div>'
        else:
            body = "".join(citation_card(c, n, prefix, fetch, open_=latest and n == 1)
                           for n, c in enumerate(answer.citations, 1))
        if answer is not None and answer.flags:
            body += "".join(flag_block(f) for f in answer.flags)
        parts.append(f'<div class="turn-sources{" latest" if latest else ""}">'
                     f'<div class="turn-q">Q{index}: {esc(turn.get("question", ""))}</div>{body}</div>')
    if not parts:
        return ('<div class="muted">Sources appear here: each citation with its article, file '
                'and passage, the quoted words highlighted.</div>')
    return f'<div class="sources-scroll">{"".join(parts)}</div>'


# ---- check -------------------------------------------------------------------------------------


def highlighted_document(text: str, spans: Iterable[tuple[int, int, int]]) -> str:
    """The article with flagged spans in ``<mark>``; ``spans`` are ``(start, end, flag number)``.

    Overlapping spans are split at every boundary so each piece lists all flags covering it.
    """
    spans = [(max(0, s), min(len(text), e), n) for s, e, n in spans if e > s]
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = esc(text[a:b])
        covering = sorted({n for s, e, n in spans if s <= a and b <= e})
        if covering:
            label = ",".join(str(n) for n in covering)
            out.append(f'<mark class="flagged" data-flags="{label}" title="flag {label}">{piece}'
                       f'</mark>')
            if any(e == b for s, e, n in spans if n in covering):
                ends = sorted(n for s, e, n in spans if e == b and n in covering)
                out.append(f'<sup class="flag-ref">{",".join(map(str, ends))}</sup>')
        else:
            out.append(piece)
    return "".join(out)


def check_flags_html(doc: Document | None, flags: Sequence[Flag]) -> str:
    """Every flag of one article (or of the corpus), numbered as in the highlighted text."""
    where = " in " + esc(doc.title) if doc else " in the corpus"
    summary = f'<div class="check-summary">{len(flags)} flag{"s" if len(flags) != 1 else ""}{where}</div>'
    return f'<div class="check">{summary}{flags_html(flags)}</div>'


def check_document_html(doc: Document | None, flags: Sequence[Flag]) -> str:
    """The article's text with the spans its flags cite highlighted and numbered."""
    if doc is None:
        return ('<div class="muted">Pick an article to read its text with the inconsistent '
                'spans highlighted.</div>')
    spans = [(c.start, c.end, i) for i, f in enumerate(flags, 1) for c in f.citations
             if c.document_id == doc.id]
    return (f'<div class="doc-head"><b>{esc(doc.title)}</b> '
            f'<span class="src-file" title="{esc(doc.source)}">{esc(source_name(doc.source))}'
            f'</span></div><div class="doc-text">{highlighted_document(doc.text, spans)}</div>')


def verdict_html(verdict: Verdict, fetch: Fetch) -> str:
    fetch = _cached(fetch)
    cards = "".join(citation_card(c, n, "v", fetch, open_=True)
                    for n, c in enumerate(verdict.citations, 1))
    return (f'<div class="verdict verdict-{esc(verdict.status)}">'
            f'<div class="verdict-head">{esc(VERDICT_LABELS.get(verdict.status, verdict.status))}</div>'
            f'<div class="verdict-msg">{esc(verdict.message)}</div>{cards}</div>')


# ---- summaries ---------------------------------------------------------------------------------


def summary_html(summary: Any, fetch: Fetch) -> str:
    """A cited summary: each sentence with its markers, then the sources and flags.

    Works on the ``Summary`` record (``.sentences[i].text/.citations``, ``.flags``).
    """
    fetch = _cached(fetch)
    order: dict[tuple, int] = {}
    cites: list[Citation] = []
    lines = []
    for s in getattr(summary, "sentences", []) or []:
        nums = []
        for c in getattr(s, "citations", []) or []:
            key = (c.document_id, c.start, c.end)
            if key not in order:
                order[key] = len(cites) + 1
                cites.append(c)
            nums.append(order[key])
        marks = "".join(marker(n, "s") for n in dict.fromkeys(nums))
        lines.append(f'<li>{esc(getattr(s, "text", ""))} {marks}</li>')
    if not lines:
        body = '<div class="abstain"><span class="abstain-icon">⊘</span> The corpus does not say.</div>'
    else:
        body = f'<ol class="summary">{"".join(lines)}</ol>'
    cards = "".join(citation_card(c, n, "s", fetch) for n, c in enumerate(cites, 1))
    flags = "".join(flag_block(f) for f in getattr(summary, "flags", []) or [])
    return f'<div class="summary-box">{body}{flags}<div class="summary-sources">{cards}</div></div>'


FACT_COLUMNS = ("kind", "text", "value", "unit", "counts", "qualifier", "source", "via", "hedge",
                "when", "document_id", "citation")


def fact_rows(facts: Iterable[Any]) -> tuple[list[str], list[list[str]]]:
    """Columns and rows for the facts table, from each fact's ``to_dict()``.

    Known fields come first in a fixed order, any others after; columns empty in every row are
    left out; a citation shows as ``document start–end`` (its sentence is in the sources).
    """
    dicts = [f.to_dict() if hasattr(f, "to_dict") else dict(f) for f in facts]
    columns = [c for c in FACT_COLUMNS if any(c in d for d in dicts)]
    columns += [k for d in dicts for k in d if k not in columns]
    columns = list(dict.fromkeys(columns))
    rows = [[_cell(d.get(c), short=True) for c in columns] for d in dicts]
    keep = [i for i, _ in enumerate(columns) if any(r[i] for r in rows)]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]


def _cell(value: Any, short: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        if "quote" in value:
            where = f"{value.get('document_id', '')} {value.get('start', '')}–{value.get('end', '')}"
            return where if short else f"“{value['quote']}” ({where})"
        return "; ".join(f"{k}: {_cell(v, short)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " | ".join(_cell(v, short) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
