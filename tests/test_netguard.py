"""The session-wide guard refuses non-loopback connections and lets loopback through."""

import os
import socket

import pytest


def test_guard_refuses_non_loopback_connect():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        with pytest.raises(RuntimeError, match="network access outside loopback"):
            s.connect(("10.255.255.1", 80))


def test_guard_refuses_connect_ex_and_create_connection():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(RuntimeError, match="network access outside loopback"):
            s.connect_ex(("10.255.255.1", 80))
    with pytest.raises(RuntimeError, match="network access outside loopback"):
        socket.create_connection(("huggingface.co", 443), timeout=1)


def test_guard_lets_loopback_through():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        with socket.create_connection(("localhost", port), timeout=5):
            pass


def test_offline_environment_is_set():
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_guard_is_loaded_in_cli_subprocesses():
    """``python -m assistant`` subprocesses get the same guard through sitecustomize."""
    import subprocess
    import sys

    from conftest import ROOT, subprocess_env

    code = ("import socket\n"
            "try:\n"
            "    socket.create_connection(('10.255.255.1', 80), timeout=1)\n"
            "except RuntimeError as exc:\n"
            "    print('refused:', exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=subprocess_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("refused: network access outside loopback")
