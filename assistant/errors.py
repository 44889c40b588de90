"""The few exception types the assistant raises; caught only at the CLI/UI/eval boundary."""

from __future__ import annotations


class AssistantError(Exception):
    """Root of every error the assistant raises on purpose."""


class ConfigError(AssistantError):
    """A setting is missing or invalid; the message names the setting to change."""


class InputError(AssistantError):
    """The user's input (a question, a claim, a path) cannot be used as given."""


class IngestError(AssistantError):
    """One file could not be ingested; the message names the file and why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(AssistantError):
    """The vector store cannot be opened, read or written."""


class BackendError(AssistantError):
    """A model backend (embeddings, LLM) failed.

    Attributes:
        status: HTTP status when there was one.
        retryable: whether trying again later may help.
    """

    def __init__(self, message: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
