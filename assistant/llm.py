"""Chat backends for any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp).

The only module that imports ``openai``. Everything above it sees the ``ChatBackend`` protocol,
``Completion`` records and ``BackendError``s whose messages never contain the API key.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from .config import Settings
from .errors import BackendError, ConfigError

log = logging.getLogger(__name__)

Message = dict[str, str]


@dataclass
class Completion:
    """One model reply with its token usage (from the server, or counted when it sends none)."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None


class ChatBackend(Protocol):
    """What the LLM reader needs from a model server."""

    name: str
    model: str
    context_tokens: int

    def complete(self, messages: Sequence[Message], *, max_tokens: int,
                 schema: dict | None = None) -> Completion: ...

    def stream(self, messages: Sequence[Message], *, max_tokens: int,
               schema: dict | None = None) -> Iterator[str | Completion]:
        """Yield text deltas, then one ``Completion`` holding the whole text and usage."""
        ...


class ContextOverflow(BackendError):
    """The prompt does not fit the model's context window."""


# How to ask for JSON, tried in order until the server accepts one (then remembered):
# OpenAI and vLLM take ``json_schema``; llama-cpp-python takes ``json_object`` + ``schema``;
# anything else gets the schema in the prompt only.
_FORMATS = ("json_schema", "json_object", "none")
_OVERFLOW = re.compile(r"context|too long|maximum.*tokens|exceed", re.I)


class OpenAIBackend:
    """A chat model behind an OpenAI-compatible ``/v1/chat/completions`` endpoint."""

    name = "openai"

    def __init__(self, base_url: str | None, api_key: str | None, model: str, *,
                 timeout: float, retries: int, context_tokens: int,
                 json_format: str | None = None) -> None:
        import openai  # heavy import, only when a model is configured

        self._openai = openai
        self.model = model
        self.context_tokens = context_tokens
        self.where = _display(base_url) if base_url else "api.openai.com"
        self._secret = api_key or ""
        self.timeout = timeout
        self.retries = retries
        # Local servers need no key, but the client insists on one.
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed",
                                     timeout=timeout, max_retries=retries)
        self._format = json_format

    # ---- calls -------------------------------------------------------------------------------

    def complete(self, messages: Sequence[Message], *, max_tokens: int,
                 schema: dict | None = None) -> Completion:
        resp = self._call(messages, max_tokens, schema, stream=False)
        if not hasattr(resp, "choices"):
            raise BackendError(f"the model server at {self.where} sent a reply that is not "
                               "OpenAI-compatible JSON; check OPENAI_BASE_URL")
        choice = resp.choices[0] if resp.choices else None
        text = (choice.message.content or "") if choice else ""
        usage = resp.usage
        return Completion(text=text,
                          prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                          completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
                          finish_reason=getattr(choice, "finish_reason", None))

    def stream(self, messages: Sequence[Message], *, max_tokens: int,
               schema: dict | None = None) -> Iterator[str | Completion]:
        chunks = self._call(messages, max_tokens, schema, stream=True)
        parts: list[str] = []
        usage = None
        finish = None
        try:
            for chunk in chunks:
                if getattr(chunk, "usage", None):
                    usage = chunk.usage
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                finish = choice.finish_reason or finish
                delta = getattr(choice.delta, "content", None)
                if delta:
                    parts.append(delta)
                    yield delta
        except self._openai.OpenAIError as exc:
            raise self._error(exc) from None
        yield Completion(text="".join(parts),
                         prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                         completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
                         finish_reason=finish)

    def _call(self, messages: Sequence[Message], max_tokens: int, schema: dict | None,
              stream: bool):
        formats = [self._format] if self._format else list(_FORMATS)
        if schema is None:
            formats = ["none"]
        last: Exception | None = None
        for fmt in formats:
            kwargs: dict = {"model": self.model, "messages": list(messages),
                            "max_tokens": max_tokens, "temperature": 0}
            if fmt == "json_schema":
                kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "reply", "schema": schema, "strict": False}}
            elif fmt == "json_object":
                kwargs["response_format"] = {"type": "json_object", "schema": schema}
            if stream:
                kwargs["stream"] = True
                kwargs["stream_options"] = {"include_usage": True}
            try:
                resp = self._client.chat.completions.create(**kwargs)
            except self._openai.BadRequestError as exc:
                if _OVERFLOW.search(_body(exc)) and "response_format" not in _body(exc):
                    raise ContextOverflow(
                        f"the prompt does not fit the context window of {self.model} at "
                        f"{self.where}; lower ASSISTANT_TOP_K or set ASSISTANT_LLM_CONTEXT to "
                        "the model's real window", status=400) from None
                last = exc
                continue
            except self._openai.UnprocessableEntityError as exc:  # schema of the request refused
                last = exc
                continue
            except self._openai.OpenAIError as exc:
                raise self._error(exc) from None
            except ValueError:  # a 200 whose body is not the JSON the API promises (a proxy page)
                raise BackendError(f"the model server at {self.where} sent a reply that is not "
                                   "OpenAI-compatible JSON; check OPENAI_BASE_URL") from None
            if schema is not None and self._format is None:
                self._format = fmt
            return resp
        raise self._error(last) if last else BackendError("the model server refused the request")

    # ---- errors ------------------------------------------------------------------------------

    def _error(self, exc: Exception) -> BackendError:
        o = self._openai
        tries = f"after {self.retries + 1} attempt(s)"
        if isinstance(exc, o.APITimeoutError):
            return BackendError(f"the model server at {self.where} did not answer within "
                                f"{self.timeout:g}s {tries} (ASSISTANT_LLM_TIMEOUT)", retryable=True)
        if isinstance(exc, o.APIConnectionError):
            return BackendError(f"cannot reach the model server at {self.where} {tries}: is it "
                                "running? (OPENAI_BASE_URL / ASSISTANT_LOCAL_URL)", retryable=True)
        if isinstance(exc, o.AuthenticationError):
            return BackendError(f"the model server at {self.where} rejected the API key (401); "
                                "check OPENAI_API_KEY", status=401)
        if isinstance(exc, o.RateLimitError):
            return BackendError(f"the model server at {self.where} is rate-limiting requests "
                                f"(429) {tries}; wait and try again", status=429, retryable=True)
        if isinstance(exc, o.NotFoundError):
            return BackendError(f"the model server at {self.where} does not know model "
                                f"{self.model!r} or the path (404); check ASSISTANT_LLM_MODEL "
                                "and OPENAI_BASE_URL (it usually ends in /v1)", status=404)
        if isinstance(exc, o.APIStatusError):
            status = exc.status_code
            return BackendError(f"the model server at {self.where} failed with HTTP {status} "
                                f"{tries}: {self._scrub(_body(exc))[:200]}", status=status,
                                retryable=status >= 500)
        return BackendError(f"the model server at {self.where} failed: "
                            f"{self._scrub(type(exc).__name__)}")

    def _scrub(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, "***")
        return re.sub(r"\b(sk|key|token)[-_][A-Za-z0-9_\-]{8,}", "***", text)

    def __repr__(self) -> str:  # never the key
        return f"OpenAIBackend(model={self.model!r}, at={self.where!r})"


def _display(url: str) -> str:
    """Scheme, host and path of a URL: no credentials, no query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}".rstrip("/")


def _body(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        msg = body.get("message") or body.get("detail") or body.get("error") or body
        return str(msg)
    return str(getattr(exc, "message", "") or body or "")


def make_backend(settings: Settings) -> ChatBackend | None:
    """The backend ``ASSISTANT_LLM`` names, or None for the offline mode."""
    if settings.llm == "offline":
        return None
    if settings.llm == "openai":
        model = settings.llm_model or "gpt-4o-mini"
        return OpenAIBackend(settings.openai_base_url, settings.openai_api_key, model,
                             timeout=settings.llm_timeout, retries=settings.llm_retries,
                             context_tokens=settings.context_tokens)
    if settings.llm == "local":
        from .local_server import local_endpoint

        url, model = local_endpoint(settings)
        return OpenAIBackend(url, None, settings.llm_model or model,
                             timeout=settings.llm_timeout, retries=settings.llm_retries,
                             context_tokens=settings.context_tokens, json_format="json_object")
    raise ConfigError(f"ASSISTANT_LLM={settings.llm!r} is unknown")


_JUDGE_SCHEMA = {"type": "object", "properties": {"correct": {"type": "boolean"}},
                 "required": ["correct"]}
_JUDGES: dict[int, ChatBackend | None] = {}


def judge(question: str, expected: str, answer: str, settings: Settings) -> bool | None:
    """Ask the configured model whether ``answer`` states the ``expected`` fact
    (``prompts/judge.md``). None when the model gives no usable verdict."""
    import json

    from . import prompts

    key = id(settings)
    if key not in _JUDGES:
        _JUDGES[key] = make_backend(settings)
    backend = _JUDGES[key]
    if backend is None:
        raise ConfigError("the LLM judge needs ASSISTANT_LLM=openai or local")
    messages = prompts.load("judge").render(question=question, expected=expected, answer=answer)
    reply = backend.complete(messages, max_tokens=16, schema=_JUDGE_SCHEMA)
    try:
        verdict = json.loads(reply.text[reply.text.find("{"):], strict=False).get("correct")
    except (ValueError, AttributeError):
        return None
    return verdict if isinstance(verdict, bool) else None
