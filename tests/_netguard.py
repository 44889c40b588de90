"""Refuse every network connection that does not stay on this machine.

Imported by ``conftest.py`` (in-process tests) and by ``netguard_site/sitecustomize.py`` (the
``python -m assistant`` subprocesses), so model loading, Chroma and the CLI all run under it.
"""

from __future__ import annotations

import socket

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"})
_INSTALLED = False


def _host(address: object) -> str | None:
    if isinstance(address, tuple) and address:
        host = address[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        return str(host).split("%", 1)[0].lower()
    return None


def check(address: object, family: int | None = None) -> None:
    """Raise RuntimeError unless ``address`` is loopback or a Unix socket path."""
    if family == getattr(socket, "AF_UNIX", object()) or isinstance(address, (str, bytes)):
        return
    host = _host(address)
    if host in LOOPBACK:
        return
    raise RuntimeError(f"network access outside loopback: {address!r}")


def install() -> None:
    """Patch socket.socket.connect/connect_ex and socket.create_connection (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def connect(self, address):
        check(address, self.family)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address, self.family)
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        check(address)
        return real_create_connection(address, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.create_connection = create_connection
    _INSTALLED = True
