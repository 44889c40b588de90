"""One settings object, fed by ``ASSISTANT_*`` environment variables and validated once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
LLM_MODES = frozenset({"offline", "openai", "local"})


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
        llm: ``ASSISTANT_LLM`` — reader backend: ``offline`` (default, no model), ``openai`` (any
            OpenAI-compatible server) or ``local`` (a llama.cpp server on 127.0.0.1 with a
            packaged model, started on first use unless ``ASSISTANT_LOCAL_URL`` is set).
        llm_model: ``ASSISTANT_LLM_MODEL`` — model name sent to the server.
        openai_base_url: ``OPENAI_BASE_URL`` — server URL (OpenAI when unset).
        openai_api_key: ``OPENAI_API_KEY`` — never logged, printed or put in an error.
        llm_timeout: ``ASSISTANT_LLM_TIMEOUT`` — seconds per request.
        llm_retries: ``ASSISTANT_LLM_RETRIES`` — retries (with backoff) on timeouts, refused
            connections, 429 and 5xx.
        llm_context: ``ASSISTANT_LLM_CONTEXT`` — the model's context window in tokens (0: 2048
            for ``local``, 16384 otherwise).
        answer_tokens: ``ASSISTANT_ANSWER_TOKENS`` — tokens reserved for the model's reply.
        llm_fallback: ``ASSISTANT_LLM_FALLBACK`` — 1 answers offline (with a flag) when the model
            fails; 0 raises ``BackendError`` instead.
        local_model: ``ASSISTANT_LOCAL_MODEL`` — ``smollm2``, ``gemma3`` or a path to a GGUF file.
        local_url: ``ASSISTANT_LOCAL_URL`` — an already running llama.cpp server to use.
        max_question_chars: ``ASSISTANT_MAX_QUESTION_CHARS`` — longer questions are refused.
        max_file_mb: ``ASSISTANT_MAX_FILE_MB`` — larger files are refused at ingest.
        min_support: ``ASSISTANT_MIN_SUPPORT`` — least evidence score (0.6 × weighted share of
            the question's key terms found near the sentence + 0.4 × cosine similarity) needed
            to answer; below it the reader abstains.
        min_coverage: ``ASSISTANT_MIN_COVERAGE`` — floor on that key-term share.
        flags_on_answers: ``ASSISTANT_FLAGS_ON_ANSWERS`` — 1 attaches the audit flags touching
            an answer's cited passages (audits the cited articles on first use); 0 skips it.
        audit_on_ingest: ``ASSISTANT_AUDIT_ON_INGEST`` — 1 audits each new or changed article at
            ingest and stores its flags (about 1 s per article); 0 defers it to the first check.
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
    llm_model: str = ""
    openai_base_url: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 60.0
    llm_retries: int = 2
    llm_context: int = 0
    answer_tokens: int = 384
    llm_fallback: int = 1
    local_model: str = "smollm2"
    local_url: str | None = None
    max_question_chars: int = 2000
    max_file_mb: float = 20.0
    min_support: float = 0.5
    flags_on_answers: int = 1
    audit_on_ingest: int = 1
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
        if self.llm not in LLM_MODES:
            raise ConfigError(f"ASSISTANT_LLM={self.llm!r} is unknown; use one of "
                              f"{', '.join(sorted(LLM_MODES))}")
        if self.llm == "openai" and not (self.openai_api_key or self.openai_base_url):
            raise ConfigError("ASSISTANT_LLM=openai needs OPENAI_API_KEY (for OpenAI) or "
                              "OPENAI_BASE_URL (for vLLM, Ollama, llama.cpp ...)")
        for url, var in ((self.openai_base_url, "OPENAI_BASE_URL"),
                         (self.local_url, "ASSISTANT_LOCAL_URL")):
            if url and not url.startswith(("http://", "https://")):
                raise ConfigError(f"{var} must look like http://host:port/v1, got {url!r}")
        if self.llm_timeout <= 0 or self.llm_retries < 0 or self.answer_tokens < 16:
            raise ConfigError("ASSISTANT_LLM_TIMEOUT must be > 0, ASSISTANT_LLM_RETRIES >= 0 "
                              "and ASSISTANT_ANSWER_TOKENS >= 16")
        if self.llm_context and self.llm_context < self.answer_tokens + 256:
            raise ConfigError(f"ASSISTANT_LLM_CONTEXT={self.llm_context} leaves no room for "
                              f"passages after ASSISTANT_ANSWER_TOKENS={self.answer_tokens}")
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
            "llm_model": "ASSISTANT_LLM_MODEL",
            "openai_base_url": "OPENAI_BASE_URL",
            "openai_api_key": "OPENAI_API_KEY",
            "llm_timeout": "ASSISTANT_LLM_TIMEOUT",
            "llm_retries": "ASSISTANT_LLM_RETRIES",
            "llm_context": "ASSISTANT_LLM_CONTEXT",
            "answer_tokens": "ASSISTANT_ANSWER_TOKENS",
            "llm_fallback": "ASSISTANT_LLM_FALLBACK",
            "local_model": "ASSISTANT_LOCAL_MODEL",
            "local_url": "ASSISTANT_LOCAL_URL",
            "max_question_chars": "ASSISTANT_MAX_QUESTION_CHARS",
            "max_file_mb": "ASSISTANT_MAX_FILE_MB",
            "min_support": "ASSISTANT_MIN_SUPPORT",
            "flags_on_answers": "ASSISTANT_FLAGS_ON_ANSWERS",
            "audit_on_ingest": "ASSISTANT_AUDIT_ON_INGEST",
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

    @property
    def context_tokens(self) -> int:
        return self.llm_context or (2048 if self.llm == "local" else 16384)

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]
