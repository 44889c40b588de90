"""Start the real web UI in-process on a free loopback port (shared by the UI test modules)."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path

from assistant.ui import ServerOptions, create, launch


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(assistant, tmp: Path, *, evals_dir: Path | None = None,
            auth: tuple[tuple[str, str], ...] = ()):
    """Yield ``(url, upload_dir)`` of the UI over ``assistant``; closed on exit."""
    uploads = tmp / "uploads"
    demo = create(assistant, upload_dir=uploads, evals_dir=evals_dir, chat_concurrency=4)
    options = ServerOptions(host="127.0.0.1", port=free_port(), auth=auth)
    _, url = launch(demo, options, block=False, quiet=True,
                    max_file_mb=assistant.settings.max_file_mb)
    try:
        yield url, uploads
    finally:
        demo.close()
