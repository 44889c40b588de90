"""Plain-text helpers with exact offsets: sentence spans, word terms, light stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tokens before a period that do not end a sentence. General English, not corpus-specific.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt maj adm cmdr gov sen rep rev hon pres
    vs etc inc ltd co corp no nos jan feb mar apr jun jul aug sep sept oct nov dec approx dept
    est fig mt ave blvd e.g i.e a.m p.m u.s u.k u.n e.u cf al""".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+[\"'‘“(\[]*[A-Z0-9]")
_WORD = re.compile(r"[^\W_]+(?:[’'.,][^\W_]+)*%?")  # letters of any script: "Engström" is one word

STOPWORDS = frozenset(
    """a an the and or but if then else of in on at to for from by with about as into onto over
    under than that this these those there here is are was were be been being am do does did doing
    done has have had having it its it's he she they them their his her him we us our you your i me
    my mine what which who whom whose when where why how many much would could should may might can
    will shall must not no nor so such also just only very more most other some any each every all
    both few own same too up down out off again further once did say says said tell told according
    per via yet still ever even while whether because though although since until upon against
    between through during before after above below s t ll re ve d m o y""".split()
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences; returns exact (start, end) offsets into ``text``.

    Line breaks always end a sentence (titles, paragraphs); within a line a period, question or
    exclamation mark ends one when the next word starts with a capital, digit or quote and the
    word before it is not a known abbreviation or an initial.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        base = start + line.start()
        line_text = line.group()
        cut = 0
        for m in _BOUNDARY.finditer(line_text):
            if not _NEXT_START.match(line_text, m.end()):
                continue
            before = line_text[cut : m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            _add(spans, line_text, base, cut, m.end())
            cut = m.end()
        _add(spans, line_text, base, cut, len(line_text))
    return spans


def _add(spans: list[tuple[int, int]], line: str, base: int, a: int, b: int) -> None:
    piece = line[a:b]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((base + a + lead, base + a + lead + len(stripped)))


def fold(text: str) -> str:
    """Fold typography so matching ignores curly quotes, dashes and accents."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with their offsets in ``text`` (numbers keep their separators)."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light, deterministic suffix stripper: enough to match deploy/deployed/deployment."""
    w = fold(word).lower().replace("'", "")
    if any(ch.isdigit() for ch in w):
        return w  # "11000" must not become "1100"
    if w.endswith("s") and len(w) > 3 and not w.endswith(("ss", "us", "is")):
        w = w[:-3] + "y" if w.endswith("ies") and len(w) > 4 else w[:-1]
    for suffix in ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ers", "er", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order (stopwords removed)."""
    out = []
    for w, _, _ in words(text):
        low = fold(w).lower()
        if low.endswith("'s"):
            low = low[:-2]
        if low in STOPWORDS or len(low) < 2 and not low.isdigit():
            continue
        out.append(stem(low.replace(",", "")))
    return out


def covers(term: str, vocabulary: set[str]) -> bool:
    """True when ``term`` or a close variant is in ``vocabulary`` ("korea" ~ "korean")."""
    if term in vocabulary:
        return True
    if len(term) < 4 or term.isdigit():
        return False
    for other in vocabulary:
        if other[:4] != term[:4] or other.isdigit():
            continue
        short, long_ = sorted((term, other), key=len)
        common = 0
        for x, y in zip(short, long_):
            if x != y:
                break
            common += 1
        if common >= 0.75 * len(short) and len(long_) - common <= 4:
            return True
    return False
