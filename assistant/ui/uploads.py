"""Uploaded files: checked for type and size, copied into one data folder under safe names.

The browser's file name is only a suggestion: any directory part is dropped, the rest reduced to
letters, digits, dots, dashes and underscores, and the final path is checked to sit directly in
the upload folder, so a name like ``../../etc/passwd.txt`` or ``C:\\x\\..\\a.md`` cannot escape it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..ingest import SUFFIXES

MAX_FILES = 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names the ingester treats as folder notes rather than articles, and names Windows reserves.
_RESERVED = re.compile(r"^(readme|license|changelog|con|prn|aux|nul|com\d|lpt\d)$", re.I)


@dataclass
class Saved:
    """What ``save_uploads`` did: files now in the upload folder, and files refused (name, why)."""

    paths: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A file name safe to create in the upload folder, keeping an allowed suffix.

    Raises:
        InputError: the name has no allowed suffix (``.txt .md .markdown .html .htm .pdf``).
    """
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, ext = base.rpartition(".")
    suffix = "." + ext.lower() if dot else ""
    if suffix not in SUFFIXES:
        allowed = ", ".join(sorted(SUFFIXES))
        raise InputError(f"{name!r}: unsupported file type {suffix or '(none)'!r}; use {allowed}")
    stem = _UNSAFE.sub("-", stem).strip("._-")[:80].strip("._-")
    if not stem:
        stem = "upload"
    if _RESERVED.match(stem):
        stem = f"upload-{stem}"
    return stem + suffix


def save_uploads(files: list[str | Path], names: list[str] | None, folder: Path,
                 max_bytes: int) -> Saved:
    """Copy uploaded temp files into ``folder`` under safe names.

    Args:
        files: Paths of the uploaded temp files (what gradio hands over).
        names: The names the user gave them (defaults to the temp files' names).
        folder: The upload folder; created if missing.
        max_bytes: Larger files are refused.

    A file with the name of an earlier upload replaces it (ingest then updates that document).
    """
    saved = Saved()
    if len(files) > MAX_FILES:
        raise InputError(f"{len(files)} files at once; the limit is {MAX_FILES}")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    names = names or [Path(f).name for f in files]
    for src, given in zip(files, names):
        src = Path(src)
        try:
            name = safe_name(given)
            size = src.stat().st_size
            if size > max_bytes:
                raise InputError(f"{given!r} has {size / 1e6:.1f} MB; the limit is "
                                 f"{max_bytes / 1e6:.1f} MB (ASSISTANT_MAX_FILE_MB)")
            if size == 0:
                raise InputError(f"{given!r} is empty")
            if name.endswith(".pdf") and not _starts_with(src, b"%PDF-"):
                raise InputError(f"{given!r} is not a PDF file")
            dest = (root / name).resolve()
            if dest.parent != root:  # belt and braces: safe_name already removed separators
                raise InputError(f"{given!r}: unsafe file name")
            _copy(src, dest)
            saved.paths.append(dest)
        except InputError as exc:
            saved.refused.append((str(given), str(exc)))
        except OSError as exc:
            saved.refused.append((str(given), f"cannot copy {given!r}: {exc.strerror or exc}"))
    return saved


def _starts_with(path: Path, magic: bytes) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(magic)) == magic


def _copy(src: Path, dest: Path) -> None:
    """Copy through a temp file in the same folder, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def inside(path: str | Path, folder: Path) -> bool:
    """True when ``path`` is a file directly or indirectly inside ``folder``."""
    try:
        Path(path).resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False
