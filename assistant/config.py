"""One settings object, fed by ``ASSISTANT_*`` environment variables and validated once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _default_store() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "news-assistant" / "store"


@dataclass(frozen=True)
class Settings:
    """Every knob, with the environment variable that sets it.

    Attributes:
        store_dir: ``ASSISTANT_STORE`` — folder of the embedded Chroma store.
        chroma_url: ``ASSISTANT_CHROMA_URL`` — use a Chroma server (``http://host:port``) instead.
        collection_prefix: ``ASSISTANT_COLLECTION`` — prefix of the Chroma collection names.
        corpus_dir: ``ASSISTANT_CORPUS`` — folder ingested by ``answer()`` when the store is empty.
        top_k: ``ASSISTANT_TOP_K`` — passages handed to the reader.
        chunk_tokens: ``ASSISTANT_CHUNK_TOKENS`` — maximum tokens per chunk (cl100k_base).
        chunk_overlap: ``ASSISTANT_CHUNK_OVERLAP`` — sentences repeated between neighbouring chunks.
        embed_batch: ``ASSISTANT_EMBED_BATCH`` — texts per embedding call.
        embedder: ``ASSISTANT_EMBEDDER`` — embedding backend name (``minilm``).
        llm: ``ASSISTANT_LLM`` — reader backend (``offline``).
        max_question_chars: ``ASSISTANT_MAX_QUESTION_CHARS`` — longer questions are refused.
        max_file_mb: ``ASSISTANT_MAX_FILE_MB`` — larger files are refused at ingest.
        min_support: ``ASSISTANT_MIN_SUPPORT`` — least evidence score (0.6 × weighted share of
            the question's key terms found near the sentence + 0.4 × cosine similarity) needed
            to answer; below it the reader abstains.
        min_coverage: ``ASSISTANT_MIN_COVERAGE`` — floor on that key-term share.
        flags_on_answers: ``ASSISTANT_FLAGS_ON_ANSWERS`` — 1 attaches the audit flags touching
            an answer's cited passages (audits the cited articles on first use); 0 skips it.
        min_similarity: ``ASSISTANT_MIN_SIMILARITY`` — floor on that similarity.
    """

    store_dir: Path = field(default_factory=_default_store)
    chroma_url: str | None = None
    collection_prefix: str = "news"
    corpus_dir: Path = PACKAGE_ROOT / "corpus"
    top_k: int = 6
    chunk_tokens: int = 200
    chunk_overlap: int = 1
    embed_batch: int = 64
    embedder: str = "minilm"
    llm: str = "offline"
    max_question_chars: int = 2000
    max_file_mb: float = 20.0
    min_support: float = 0.5
    flags_on_answers: int = 1
    min_coverage: float = 0.3
    min_similarity: float = 0.25

    def __post_init__(self) -> None:
        if self.top_k < 1 or self.top_k > 100:
            raise ConfigError(f"ASSISTANT_TOP_K must be between 1 and 100, got {self.top_k}")
        if self.chunk_tokens < 32:
            raise ConfigError(f"ASSISTANT_CHUNK_TOKENS must be at least 32, got {self.chunk_tokens}")
        if self.chunk_overlap < 0:
            raise ConfigError("ASSISTANT_CHUNK_OVERLAP must be 0 or more")
        if self.embedder not in {"minilm"}:
            raise ConfigError(f"ASSISTANT_EMBEDDER={self.embedder!r} is unknown; use 'minilm'")
        if self.llm not in {"offline"}:
            raise ConfigError(f"ASSISTANT_LLM={self.llm!r} is not available yet; use 'offline'")
        if self.chroma_url and not self.chroma_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"ASSISTANT_CHROMA_URL must look like http://host:port, got {self.chroma_url!r}"
            )
        if not 3 <= len(self.collection_prefix) <= 40:
            raise ConfigError("ASSISTANT_COLLECTION must have 3 to 40 characters")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Build settings from the environment; explicit ``overrides`` win."""
        env = dict(os.environ if env is None else env)
        names = {
            "store_dir": "ASSISTANT_STORE",
            "chroma_url": "ASSISTANT_CHROMA_URL",
            "collection_prefix": "ASSISTANT_COLLECTION",
            "corpus_dir": "ASSISTANT_CORPUS",
            "top_k": "ASSISTANT_TOP_K",
            "chunk_tokens": "ASSISTANT_CHUNK_TOKENS",
            "chunk_overlap": "ASSISTANT_CHUNK_OVERLAP",
            "embed_batch": "ASSISTANT_EMBED_BATCH",
            "embedder": "ASSISTANT_EMBEDDER",
            "llm": "ASSISTANT_LLM",
            "max_question_chars": "ASSISTANT_MAX_QUESTION_CHARS",
            "max_file_mb": "ASSISTANT_MAX_FILE_MB",
            "min_support": "ASSISTANT_MIN_SUPPORT",
            "flags_on_answers": "ASSISTANT_FLAGS_ON_ANSWERS",
            "min_coverage": "ASSISTANT_MIN_COVERAGE",
            "min_similarity": "ASSISTANT_MIN_SIMILARITY",
        }
        types = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for name, var in names.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            kind = types[name]
            try:
                if kind == "int":
                    values[name] = int(raw)
                elif kind == "float":
                    values[name] = float(raw)
                elif kind == "Path":
                    values[name] = Path(raw).expanduser()
                else:
                    values[name] = raw
            except ValueError:
                raise ConfigError(f"{var}={raw!r} is not a valid {kind}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "store_dir" in values:
            values["store_dir"] = Path(str(values["store_dir"])).expanduser()
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]
