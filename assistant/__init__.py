"""A grounded news assistant: answers with exact, verified citations from a corpus of articles."""

from .config import Settings
from .core import Assistant, answer
from .errors import (AssistantError, BackendError, ConfigError, IngestError, InputError,
                     StoreError)
from .models import (Answer, Chunk, Citation, Document, FileError, Flag, IngestReport, Passage,
                     Verdict)

__all__ = [
    "Answer", "Assistant", "AssistantError", "BackendError", "Chunk", "Citation", "ConfigError",
    "Document", "FileError", "Flag", "IngestError", "IngestReport", "InputError", "Passage",
    "Settings", "StoreError", "Verdict", "answer",
]
__version__ = "0.1.0"
