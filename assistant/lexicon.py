"""Word-level similarity: same stem, or close in the embedding space ("troops" ~ "soldiers")."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from .embed import Embedder
from .text import stem

# all-MiniLM-L6-v2 puts true synonyms above ~0.8 (troops/soldiers 0.89, laborers/workers 0.81)
# and related-but-different nouns below ~0.65 (troops/casualties 0.61).
SYNONYM_THRESHOLD = 0.75


class WordMatcher:
    """Decides whether two words name the same thing, caching word vectors."""

    def __init__(self, embedder: Embedder, threshold: float = SYNONYM_THRESHOLD) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self._vectors: dict[str, list[float]] = {}
        self._same: dict[tuple[str, str], bool] = {}  # the audit asks about the same pairs often
        self._lock = threading.Lock()

    def _vector(self, words: Iterable[str]) -> None:
        missing = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if missing:
            vectors = self.embedder.embed(missing, "query")
            with self._lock:
                if len(self._vectors) > 50_000:
                    self._vectors.clear()
                self._vectors.update(zip(missing, vectors))

    def same(self, a: str, b: str) -> bool:
        a, b = a.lower(), b.lower()
        if a == b or stem(a) == stem(b):
            return True
        key = (a, b) if a < b else (b, a)
        if key not in self._same:
            self._vector([a, b])
            va, vb = self._vectors[a], self._vectors[b]
            with self._lock:
                if len(self._same) > 200_000:
                    self._same.clear()
                self._same[key] = sum(x * y for x, y in zip(va, vb)) >= self.threshold
        return self._same[key]

    def overlap(self, left: Iterable[str], right: Iterable[str]) -> bool:
        left, right = list(left), list(right)
        if not left or not right:
            return False
        self._vector([w.lower() for w in left + right])
        return any(self.same(a, b) for a in left for b in right)
