"""The Chroma store: chunks with their vectors, full document texts, and a revision counter.

Only this module imports chromadb. The same code serves an embedded ``PersistentClient`` and a
shared Chroma server (``HttpClient``), so everything a query needs lives in the store itself.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .config import Settings
from .errors import AssistantError, ConfigError, StoreError
from .models import Chunk, Document

log = logging.getLogger(__name__)
_META_ID = "state"


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document without its text: what listings need."""

    id: str
    title: str
    source: str
    hash: str
    chunks: int
    metadata: dict[str, str] = field(default_factory=dict)


def _guard(fn):
    """Turn any chromadb failure into a StoreError that says where the store is."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except AssistantError:
            raise
        except Exception as exc:  # chromadb raises many types (sqlite, httpx, its own)
            raise StoreError(f"store at {self.location} failed during {fn.__name__}: "
                             f"{type(exc).__name__}: {exc}") from exc

    return wrapper


class ChromaStore:
    """Chunks, documents and state in three Chroma collections named ``<prefix>_*``."""

    def __init__(self, settings: Settings, embedder_name: str, dim: int) -> None:
        self.settings = settings
        self.embedder_name = embedder_name
        self.dim = dim
        self.location = settings.chroma_url or str(settings.store_dir)
        self._client = self._connect()
        self._open()

    def _connect(self):
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
        except ImportError as exc:
            raise ConfigError("chromadb is not installed; pip install chromadb") from exc
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if self.settings.chroma_url:
                url = urlparse(self.settings.chroma_url)
                return chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https", settings=chroma_settings)
            path = Path(self.settings.store_dir)
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            hint = ("is the server running? (chroma run --host 127.0.0.1 --port PORT)"
                    if self.settings.chroma_url else
                    "is the folder writable, and not a store written by another Chroma version?")
            raise StoreError(f"cannot open the store at {self.location}: {exc}; {hint}") from exc

    @_guard
    def _open(self) -> None:
        p = self.settings.collection_prefix
        self._chunks = self._client.get_or_create_collection(
            f"{p}_chunks", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
        self._docs = self._client.get_or_create_collection(f"{p}_documents", embedding_function=None)
        self._meta = self._client.get_or_create_collection(f"{p}_state", embedding_function=None)
        state = self._state()
        if state is None:
            self._meta.upsert(ids=[_META_ID], embeddings=[[1.0]], documents=[""],
                              metadatas=[{"revision": 0, "embedder": self.embedder_name,
                                          "dim": self.dim}])
        elif state.get("embedder") != self.embedder_name or state.get("dim") != self.dim:
            raise ConfigError(
                f"the store at {self.location} was built with {state.get('embedder')} "
                f"({state.get('dim')}-d) but ASSISTANT_EMBEDDER gives {self.embedder_name}; "
                "use another ASSISTANT_STORE or re-ingest into an empty one")

    def _state(self) -> dict | None:
        got = self._meta.get(ids=[_META_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else None

    @_guard
    def revision(self) -> int:
        """A number that changes whenever the store's content changes (for caches)."""
        state = self._state()
        return int(state["revision"]) if state else 0

    def _bump(self) -> None:
        state = self._state() or {"embedder": self.embedder_name, "dim": self.dim, "revision": 0}
        state["revision"] = int(state["revision"]) + 1
        self._meta.upsert(ids=[_META_ID], embeddings=[[1.0]], documents=[""], metadatas=[state])

    @_guard
    def get_cached(self, key: str, version: str) -> str | None:
        """A payload stored with ``put_cached`` under ``key``, if it was stored for ``version``."""
        got = self._meta.get(ids=[f"cache:{key}"], include=["metadatas", "documents"])
        if got["ids"] and (got["metadatas"][0] or {}).get("version") == version:
            return got["documents"][0]
        return None

    @_guard
    def put_cached(self, key: str, version: str, payload: str) -> None:
        """Keep derived data (flags) beside the store, so every client of a server shares it."""
        self._meta.upsert(ids=[f"cache:{key}"], embeddings=[[1.0]], documents=[payload],
                          metadatas=[{"version": version}])

    @_guard
    def documents(self) -> list[DocumentInfo]:
        got = self._docs.get(include=["metadatas"])
        out = []
        for did, meta in zip(got["ids"], got["metadatas"]):
            meta = dict(meta or {})
            extra = {k[5:]: str(v) for k, v in meta.items() if k.startswith("meta_")}
            out.append(DocumentInfo(id=did, title=str(meta.get("title", did)),
                                    source=str(meta.get("source", "")),
                                    hash=str(meta.get("hash", "")),
                                    chunks=int(meta.get("chunks", 0)), metadata=extra))
        return sorted(out, key=lambda d: d.id)

    @_guard
    def get_document(self, document_id: str) -> Document | None:
        got = self._docs.get(ids=[document_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        meta = dict(got["metadatas"][0] or {})
        extra = {k[5:]: str(v) for k, v in meta.items() if k.startswith("meta_")}
        return Document(id=document_id, title=str(meta.get("title", document_id)),
                        source=str(meta.get("source", "")), text=got["documents"][0] or "",
                        hash=str(meta.get("hash", "")), metadata=extra)

    @_guard
    def write_documents(self, items: Sequence[tuple[Document, Sequence[Chunk],
                                                    Sequence[Sequence[float]]]]) -> None:
        """Replace several documents and their chunks in one batch.

        Document records are written last: if the process dies half-way, a record is missing
        or carries the old hash, so the next ingest redoes that document.
        """
        if not items:
            return
        ids = [doc.id for doc, _, _ in items]
        for doc, chunks, vectors in items:
            if len(chunks) != len(vectors):
                raise StoreError(f"{doc.id}: {len(chunks)} chunks but {len(vectors)} vectors")
        self._docs.delete(ids=ids)
        self._chunks.delete(where={"document_id": {"$in": ids}} if len(ids) > 1
                            else {"document_id": ids[0]})
        chunks = [c for _, cs, _ in items for c in cs]
        vectors = [list(v) for _, _, vs in items for v in vs]
        step = max(1, min(self._client.get_max_batch_size(), 2000))
        for i in range(0, len(chunks), step):
            part = chunks[i:i + step]
            self._chunks.add(
                ids=[c.id for c in part], embeddings=vectors[i:i + step],
                documents=[c.text for c in part],
                metadatas=[{"document_id": c.document_id, "title": c.title, "source": c.source,
                            "start": c.start, "end": c.end, "index": c.index} for c in part])
        metas = []
        for doc, cs, _ in items:
            meta = {"title": doc.title, "source": doc.source, "hash": doc.hash, "chunks": len(cs)}
            meta.update({f"meta_{k}": v for k, v in doc.metadata.items() if v})
            metas.append(meta)
        self._docs.add(ids=ids, embeddings=[[1.0]] * len(ids),
                       documents=[doc.text for doc, _, _ in items], metadatas=metas)
        self._bump()

    def close(self) -> None:
        """Drop the client; Chroma releases an embedded store's files with its last client."""
        client, self._client = self._client, None
        if client is not None and hasattr(client, "close"):
            try:
                client.close()
            except Exception:  # closing is best effort
                log.debug("closing the Chroma client failed", exc_info=True)

    @_guard
    def delete_document(self, document_id: str) -> None:
        self._chunks.delete(where={"document_id": document_id})
        self._docs.delete(ids=[document_id])
        self._bump()

    @_guard
    def delete_orphans(self) -> int:
        """Remove chunks whose document record is missing (left by an interrupted write)."""
        known = {d.id for d in self.documents()}
        got = self._chunks.get(include=["metadatas"])
        orphans = [cid for cid, m in zip(got["ids"], got["metadatas"])
                   if (m or {}).get("document_id") not in known]
        if orphans:
            self._chunks.delete(ids=orphans)
            self._bump()
        return len(orphans)

    @_guard
    def chunk_count(self) -> int:
        return self._chunks.count()

    @_guard
    def all_chunks(self) -> list[Chunk]:
        got = self._chunks.get(include=["metadatas", "documents"])
        return sorted((self._chunk(i, d, m) for i, d, m in
                       zip(got["ids"], got["documents"], got["metadatas"])),
                      key=lambda c: (c.document_id, c.index))

    @_guard
    def query(self, embedding: Sequence[float], n: int,
              document_ids: Sequence[str] | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity (1 - distance), best first."""
        if n <= 0:
            return []
        where = None
        if document_ids:
            ids = list(document_ids)
            where = {"document_id": ids[0]} if len(ids) == 1 else {"document_id": {"$in": ids}}
        got = self._chunks.query(query_embeddings=[list(embedding)], n_results=n,
                                 where=where, include=["metadatas", "documents", "distances"])
        return [(self._chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in
                zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])]

    @staticmethod
    def _chunk(cid: str, text: str | None, meta: dict | None) -> Chunk:
        m = meta or {}
        return Chunk(id=cid, document_id=str(m.get("document_id", "")), title=str(m.get("title", "")),
                     source=str(m.get("source", "")), start=int(m.get("start", 0)),
                     end=int(m.get("end", 0)), text=text or "", index=int(m.get("index", 0)))
