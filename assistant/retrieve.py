"""Hybrid retrieval: dense (Chroma) and lexical (BM25 over the stored chunk texts), fused by RRF."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .embed import Embedder
from .models import Chunk, Passage
from .store import ChromaStore
from .text import terms

RRF_K = 60


@dataclass
class LexicalIndex:
    """BM25 over every stored chunk, rebuilt from the store whenever its revision changes."""

    revision: int
    chunks: list[Chunk]
    bm25: object | None
    df: Counter
    n: int

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency over chunks; unseen terms weigh most."""
        return math.log(1 + (self.n + 1) / (self.df.get(term, 0) + 0.5))

    def search(self, query_terms: list[str], n: int) -> list[tuple[int, float]]:
        if self.bm25 is None or not query_terms:
            return []
        docs, scores = self.bm25.retrieve([query_terms], k=min(n, len(self.chunks)),
                                          show_progress=False, n_threads=1)
        return [(int(i), float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]


class Retriever:
    """Fuses dense and lexical rankings; keeps the lexical index in step with the store."""

    def __init__(self, store: ChromaStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._lexical: LexicalIndex | None = None
        self._lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        revision = self.store.revision()
        with self._lock:
            if self._lexical is None or self._lexical.revision != revision:
                self._lexical = _build_lexical(self.store.all_chunks(), revision)
            return self._lexical

    def retrieve(self, question: str, k: int, document_ids: Sequence[str] | None = None,
                 query_vector: Sequence[float] | None = None,
                 lexical: LexicalIndex | None = None) -> list[Passage]:
        """Top ``k`` chunks for ``question``, optionally only from ``document_ids``."""
        pool = max(4 * k, 20)
        vector = query_vector if query_vector is not None else self.embedder.embed([question], "query")[0]
        lex = lexical or self.lexical()
        dense = self.store.query(vector, min(pool, lex.n), document_ids) if lex.n else []
        allowed = set(document_ids) if document_ids else None
        lexical_hits = [(lex.chunks[i], s) for i, s in lex.search(terms(question), pool * 3)
                        if allowed is None or lex.chunks[i].document_id in allowed][:pool]
        fused: dict[str, list] = {}
        for rank, (chunk, _) in enumerate(dense, 1):
            fused.setdefault(chunk.id, [chunk, 0.0, None, None])
            fused[chunk.id][1] += 1.0 / (RRF_K + rank)
            fused[chunk.id][2] = rank
        for rank, (chunk, _) in enumerate(lexical_hits, 1):
            fused.setdefault(chunk.id, [chunk, 0.0, None, None])
            fused[chunk.id][1] += 1.0 / (RRF_K + rank)
            fused[chunk.id][3] = rank
        ranked = sorted(fused.values(), key=lambda e: (-e[1], e[0].id))[:k]
        return [Passage(chunk=c, score=s, dense_rank=d, lexical_rank=lx) for c, s, d, lx in ranked]


def _build_lexical(chunks: list[Chunk], revision: int) -> LexicalIndex:
    tokenised = [terms(c.title + "\n" + c.text) for c in chunks]
    df: Counter = Counter()
    for toks in tokenised:
        df.update(set(toks))
    bm25 = None
    if chunks:
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        bm25 = bm25s.BM25()
        bm25.index([t or ["\x00"] for t in tokenised], show_progress=False)
    return LexicalIndex(revision=revision, chunks=chunks, bm25=bm25, df=df, n=len(chunks))
