"""Shared fixtures for the real-parts suite: real Chroma (embedded and server), real MiniLM, real
spaCy. Nothing here mocks a component; the network guard only refuses non-loopback traffic."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
GUARD_SITE = TESTS_DIR / "netguard_site"

# The package is used from the checkout (it is not pip-installed in the venv).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

# Must be set before huggingface_hub / transformers are imported anywhere.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import _netguard  # noqa: E402

_netguard.install()  # at import time of conftest, i.e. before collection and any model load


def pytest_configure(config):
    _netguard.install()  # idempotent; kept here so the guard is explicit in the pytest lifecycle


from assistant import Assistant, Settings  # noqa: E402


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for ``python -m assistant`` subprocesses: offline, network guard loaded
    through sitecustomize, no ASSISTANT_* settings leaking in from the caller's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD_SITE), str(ROOT)])
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli(*args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT,
                          env=subprocess_env(**env), capture_output=True, text=True,
                          timeout=timeout)


# ---- paths ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def words():
    """The audit's word matcher over the packaged MiniLM, loaded once for the suite."""
    from assistant.config import Settings
    from assistant.embed import make_embedder
    from assistant.lexicon import WordMatcher

    return WordMatcher(make_embedder(Settings()))


def article_facts(text: str, title: str = "T"):
    """What the audit extracts from an article written in a test."""
    from assistant import audit
    from assistant.models import Document

    return audit.extract_facts(Document(id="t", title=title, source="t.txt", text=text, hash="h"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return TESTS_DIR / "fixtures"


@pytest.fixture(scope="session")
def seed_file() -> Path:
    return ROOT / "evals" / "seed.jsonl"


# ---- settings and assistants ---------------------------------------------------------------


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env(env={}, store_dir=tmp_path / "store")


@pytest.fixture(scope="session")
def _shared(tmp_path_factory, corpus_dir):
    store = tmp_path_factory.mktemp("shared") / "store"
    assistant = Assistant(settings=Settings.from_env(env={}, store_dir=store))
    report = assistant.ingest([corpus_dir], progress=False)
    return assistant, report


@pytest.fixture(scope="session")
def shared_assistant(_shared) -> Assistant:
    """The shipped corpus ingested once. Read-only: tests that write use ``fresh_assistant``."""
    return _shared[0]


@pytest.fixture(scope="session")
def shared_ingest_report(_shared):
    return _shared[1]


@pytest.fixture
def fresh_assistant(settings) -> Assistant:
    """An assistant over an empty store of its own."""
    return Assistant(settings=settings)


@pytest.fixture(scope="session")
def seed_cases(seed_file):
    from assistant.evals import load_cases

    return load_cases(seed_file)


@pytest.fixture(scope="session")
def seed_answers(shared_assistant, seed_cases):
    """Every seed question asked once on the shared store: {case id: Answer}."""
    return {case.id: shared_assistant.ask(case.question) for case in seed_cases}


# ---- a real Chroma server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """``chroma run`` on a free loopback port; yields ``http://127.0.0.1:PORT``."""
    binary = Path(sys.executable).parent / "chroma"
    if not binary.exists():
        pytest.fail(f"chroma CLI not found at {binary}")
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log_path = data.parent / "chroma-server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([str(binary), "run", "--path", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no env proxies
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}; see {log_path}")
            try:
                with opener.open(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"chroma server did not answer on {url} within 60 s; "
                                   f"see {log_path}")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture
def server_settings(tmp_path):
    """Settings for the server store with a collection prefix no other test uses."""
    return Settings.from_env(env={}, store_dir=tmp_path / "unused-local-store",
                             collection_prefix="t" + uuid.uuid4().hex[:8])
