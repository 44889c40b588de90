"""Reading files into Documents and cutting them into token-bounded, sentence-aligned Chunks."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import tokens
from .config import Settings
from .errors import IngestError
from .models import Chunk, Document
from .text import sentence_spans

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
# Files that describe a folder rather than report news.
_SKIP_NAMES = re.compile(r"^(readme|license|changelog)(\.|$)", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[tuple[str, str]]]:
    """Expand paths into files to read, folders scanned, and paths that cannot be used."""
    files: list[Path] = []
    folders: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            folders.append(path.resolve())
            for f in sorted(path.rglob("*")):
                if f.is_file() and _wanted(f, path):
                    files.append(f.resolve())
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path.resolve())
            else:
                problems.append((str(path), f"unsupported file type {path.suffix!r}; "
                                 f"use one of {', '.join(sorted(SUFFIXES))}"))
        else:
            problems.append((str(path), "no such file or folder"))
    return list(dict.fromkeys(files)), folders, problems


def _wanted(f: Path, root: Path) -> bool:
    rel = f.relative_to(root).parts
    if any(p.startswith(".") for p in rel):
        return False
    return f.suffix.lower() in SUFFIXES and not _SKIP_NAMES.match(f.name)


def document_id(path: Path) -> str:
    """Stable, readable id from the file name: ``North Korea Troops.txt`` → ``north-korea-troops``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "document"


def read_document(path: Path, settings: Settings) -> Document:
    """Read one file into a Document. Raises IngestError with a reason the user can act on."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror})") from None
    if size > settings.max_file_mb * 1024 * 1024:
        raise IngestError(str(path), f"file is {size / 1e6:.1f} MB, over the "
                          f"{settings.max_file_mb} MB limit (ASSISTANT_MAX_FILE_MB)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = _pdf_text(path, raw)
    else:
        text = _decode(path, raw)
        if suffix in {".html", ".htm"}:
            text = _html_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _parse_front_matter(m.group(1))
        text = text[m.end():]
    text = text.strip()
    if not text:
        raise IngestError(str(path), "no text to ingest (the file is empty or holds only front matter)")
    if "\x00" in text:
        raise IngestError(str(path), "file looks binary (NUL bytes); save it as UTF-8 text")
    title = (meta.pop("title", "") or _title_line(text)
             or path.stem.replace("-", " ").replace("_", " ").title())
    if "source" in meta:
        meta["outlet"] = meta.pop("source")
    return Document(id=document_id(path), title=title, source=str(path), text=text,
                    hash="", metadata=meta)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            str(path),
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8",
        ) from None


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                     "template", "svg", "iframe"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    blocks = []
    for el in root.find_all(["h1", "h2", "h3", "p", "li", "blockquote"]):
        if el.find(["p", "li"]):  # its text comes through its children
            continue
        line = " ".join(el.get_text(" ", strip=True).split())
        if line:
            blocks.append(line)
    if not blocks:
        blocks = [" ".join(root.get_text(" ", strip=True).split())]
    if title and (not blocks or blocks[0] != title):
        return f"---\ntitle: {title}\n---\n" + "\n\n".join(blocks)
    return "\n\n".join(blocks)


def _pdf_text(path: Path, raw: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise IngestError(str(path), "PDF is encrypted; save an unencrypted copy")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(str(path), f"unreadable PDF ({exc})") from None
    # PDF text breaks lines mid-sentence; keep paragraph breaks, join the rest.
    paragraphs = []
    for page in pages:
        for para in re.split(r"\n\s*\n", page):
            para = re.sub(r"-\n(?=[a-z])", "", para)
            para = " ".join(para.split())
            if para:
                paragraphs.append(para)
    if not paragraphs:
        raise IngestError(str(path), "PDF has no extractable text (is it a scan? run OCR first)")
    return "\n\n".join(paragraphs)


def _parse_front_matter(block: str) -> dict[str, str]:
    meta = {}
    for line in block.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            key = key.strip().lower()
            if key:
                meta[key] = value.strip().strip("'\"")
    return meta


def _title_line(text: str) -> str:
    first = text.split("\n", 1)[0].strip().lstrip("#").strip()
    # A headline is short and has no closing period; a first paragraph is not a title.
    if first and len(first) <= 160 and not first.endswith((".", "!", "?", ".”", '."')):
        return first
    return ""


def content_hash(doc: Document, settings: Settings) -> str:
    """Hash of what is stored: text, title, front matter and the chunking settings."""
    h = hashlib.sha256()
    meta = "\x01".join(f"{k}={v}" for k, v in sorted(doc.metadata.items()))
    for part in (doc.text, doc.title, meta,
                 f"{settings.chunk_tokens}/{settings.chunk_overlap}/{tokens.ENCODING}"):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``chunk_tokens`` tokens.

    Neighbouring chunks share ``chunk_overlap`` sentences so a fact that straddles a boundary is
    still whole in one chunk. A sentence longer than the budget is cut at word boundaries.
    """
    limit = settings.chunk_tokens
    text = doc.text
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        if tokens.count(text[a:b]) <= limit:
            units.append((a, b))
        else:
            units.extend(_split_long(text, a, b, limit))

    def fits(first: int, last: int) -> bool:
        # Count the real span, separators included, not a sum of sentence counts.
        return tokens.count(text[first:last]) <= limit

    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for unit in units:
        if current and not fits(current[0][0], unit[1]):
            groups.append(current)
            keep = current[-settings.chunk_overlap:] if settings.chunk_overlap else []
            while keep and not fits(keep[0][0], unit[1]):
                keep = keep[1:]
            current = list(keep)
        current.append(unit)
    if current:
        groups.append(current)
    chunks = []
    for i, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        body = doc.text[start:end]
        cid = hashlib.sha1(f"{doc.id}\x00{start}\x00{end}\x00{body}".encode()).hexdigest()[:20]
        chunks.append(Chunk(id=f"{doc.id}:{cid}", document_id=doc.id, title=doc.title,
                            source=doc.source, start=start, end=end, text=body, index=i))
    return chunks


def _split_long(text: str, a: int, b: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at word boundaries into pieces within the token budget."""
    piece_start = a
    last_end = a
    for m in re.finditer(r"\S+", text[a:b]):
        w_end = a + m.end()
        if last_end > piece_start and tokens.count(text[piece_start:w_end]) > limit:
            yield piece_start, last_end
            piece_start = a + m.start()
        last_end = w_end
        while tokens.count(text[piece_start:last_end]) > limit:  # one word over the budget
            cut = piece_start + max(1, (last_end - piece_start) // 2)
            while cut > piece_start + 1 and tokens.count(text[piece_start:cut]) > limit:
                cut = piece_start + max(1, (cut - piece_start) // 2)
            yield piece_start, cut
            piece_start = cut
    if last_end > piece_start:
        yield piece_start, last_end
