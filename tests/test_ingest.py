"""assistant.ingest: reading every supported format, clear errors, and chunk invariants."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings, tokens
from assistant.errors import IngestError
from assistant.ingest import (chunk_document, content_hash, discover, document_id,
                              read_document)
from assistant.models import Document
from assistant.text import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = sorted(p for p in (ROOT / "corpus").iterdir()
                      if p.suffix in {".txt", ".md"} and p.name.lower() != "readme.md")


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A real PDF written by reportlab (dev extra); a hand-built one if it is missing."""
    try:
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas
    except ImportError:  # pragma: no cover - minimal hand-made PDF with one text object
        return _hand_pdf(path, lines)
    c = canvas.Canvas(str(path), pagesize=letter)
    y = 740
    for line in lines:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()
    return path


def _hand_pdf(path: Path, lines: list[str]) -> Path:  # pragma: no cover
    body = "BT /F1 11 Tf 72 740 Td 14 TL " + " ".join(
        "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for ln in lines
    ) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


PDF_LINES = [
    "The Dunmore County board approved a 240-megawatt solar farm on Wednesday after a",
    "four-hour public hearing. Developer Brightfield Energy said construction will start in",
    "the spring and employ about 350 workers.",
]


# ---- reading ------------------------------------------------------------------------------


def test_txt_front_matter_becomes_title_and_metadata(fixtures_dir, settings):
    doc = read_document(fixtures_dir / "articles" / "alpha.txt", settings)
    assert doc.id == "alpha"
    assert doc.title == "Glenmoor Library Reopens After Flood Repairs"
    assert doc.metadata == {"outlet": "Glenmoor Gazette", "date": "2025-05-02",
                            "url": "https://example.org/glenmoor-gazette/2025/05/library-reopens"}
    assert not doc.text.startswith("---")
    assert "title:" not in doc.text
    assert "roughly 18,000 books" in doc.text
    assert doc.source == str((fixtures_dir / "articles" / "alpha.txt").resolve())


def test_markdown_headline_is_the_title(fixtures_dir, settings):
    doc = read_document(fixtures_dir / "articles" / "beta.md", settings)
    assert doc.title == "Ferry Service Between Avonport and Kells Island Resumes"
    assert doc.metadata == {}
    assert "About 2,300 island residents" in doc.text


def test_html_keeps_the_article_and_drops_page_furniture(fixtures_dir, settings):
    doc = read_document(fixtures_dir / "articles" / "page.html", settings)
    assert doc.title == "Harbourside Opens Tidal Energy Test Site"
    assert "four underwater turbines connected to the regional grid" in doc.text
    assert "Marine biologist Ines Carvalho will lead a two-year study" in doc.text
    for noise in ("ADTRACKER", "INLINE-SCRIPT", "NAV-NOISE", "HEADER-NOISE", "FOOTER-NOISE",
                  "ASIDE-NOISE", "PROMO-NOISE", "font-family", "<p>", "trackingPixel"):
        assert noise not in doc.text, noise
    # Paragraphs stay separate sentences.
    spans = [doc.text[a:b] for a, b in sentence_spans(doc.text)]
    assert "The project's engineers said the turbines can generate up to 1.8 megawatts at peak flow." in spans


def test_pdf_text_is_extracted_and_lines_joined(tmp_path, settings):
    pdf = make_pdf(tmp_path / "solar-farm.pdf", PDF_LINES)
    doc = read_document(pdf, settings)
    assert doc.id == "solar-farm"
    assert "approved a 240-megawatt solar farm on Wednesday after a four-hour public hearing." in doc.text
    assert "employ about 350 workers." in doc.text
    assert "\n" not in doc.text.strip(), "lines broken mid-sentence are joined"


def test_pdf_garbage_is_an_ingest_error(tmp_path, settings):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a real pdf\n")
    with pytest.raises(IngestError) as err:
        read_document(bad, settings)
    assert err.value.path == str(bad)
    assert "PDF" in err.value.reason


def test_empty_file_is_refused_with_a_reason(fixtures_dir, settings):
    empty = fixtures_dir / "bad" / "empty.txt"
    assert empty.stat().st_size == 0
    with pytest.raises(IngestError) as err:
        read_document(empty, settings)
    assert err.value.path == str(empty)
    assert "empty" in err.value.reason
    assert str(empty) in str(err.value)


def test_front_matter_only_is_refused(tmp_path, settings):
    f = tmp_path / "only-meta.md"
    f.write_text("---\ntitle: Nothing Here\n---\n\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no text"):
        read_document(f, settings)


def test_latin1_file_is_refused_mentioning_utf8(tmp_path, settings):
    f = tmp_path / "cafe.txt"
    f.write_bytes("Le café de la gare a rouvert à Orléans. Les clients sont revenus.".encode("latin-1"))
    with pytest.raises(IngestError) as err:
        read_document(f, settings)
    assert "UTF-8" in err.value.reason
    assert "0xe9" in err.value.reason  # the offending byte is named


def test_utf8_bom_and_crlf_are_normalised(tmp_path, settings):
    f = tmp_path / "crlf.txt"
    f.write_bytes("\ufeffTown Fair Opens\r\n\r\nThe fair opened on Friday. Crowds came.\r\n".encode("utf-8"))
    doc = read_document(f, settings)
    assert doc.text == "Town Fair Opens\n\nThe fair opened on Friday. Crowds came."
    assert doc.title == "Town Fair Opens"


def test_nul_bytes_are_refused(tmp_path, settings):
    f = tmp_path / "binary.txt"
    f.write_bytes(b"Some text\x00\x00 more")
    with pytest.raises(IngestError, match="binary"):
        read_document(f, settings)


def test_oversized_file_is_refused(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("A sentence. " * 20_000, encoding="utf-8")  # ~240 kB
    small = Settings.from_env(env={}, store_dir=tmp_path / "s", max_file_mb=0.1)
    with pytest.raises(IngestError, match="ASSISTANT_MAX_FILE_MB"):
        read_document(f, small)


def test_discover_reports_unsupported_and_missing_paths(fixtures_dir, tmp_path):
    docx = fixtures_dir / "bad" / "notes.docx"
    missing = tmp_path / "nope.txt"
    files, folders, problems = discover([docx, missing, fixtures_dir / "articles"])
    assert folders == [(fixtures_dir / "articles").resolve()]
    assert [f.name for f in files] == ["alpha.txt", "beta.md", "page.html"]
    reasons = dict(problems)
    assert "unsupported file type '.docx'" in reasons[str(docx)]
    assert reasons[str(missing)] == "no such file or folder"


def test_discover_skips_readme_hidden_and_unsupported_files(tmp_path):
    (tmp_path / "README.md").write_text("# About\n\nNot news.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("Secret. Text.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("A story. Another line.", encoding="utf-8")
    files, _, problems = discover([tmp_path])
    assert [f.name for f in files] == ["story.txt"]
    assert problems == []


@pytest.mark.parametrize("name, expected", [("North Korea Troops.txt", "north-korea-troops"),
                                            ("Über__Report (v2).md", "ber-report-v2"),
                                            ("!!!.txt", "document")])
def test_document_id_is_a_slug_of_the_file_name(name, expected):
    assert document_id(Path(name)) == expected


# ---- chunking -----------------------------------------------------------------------------


def _read(path: Path, settings: Settings) -> Document:
    doc = read_document(path, settings)
    return Document(id=doc.id, title=doc.title, source=doc.source, text=doc.text,
                    hash=content_hash(doc, settings), metadata=doc.metadata)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_chunk_invariants_on_the_shipped_corpus(path, settings):
    doc = _read(path, settings)
    chunks = chunk_document(doc, settings)
    assert chunks, "every article yields chunks"
    spans = sentence_spans(doc.text)
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    for i, c in enumerate(chunks):
        assert doc.text[c.start:c.end] == c.text
        assert c.index == i
        assert c.document_id == doc.id and c.title == doc.title and c.source == doc.source
        assert c.id.startswith(doc.id + ":")
        assert tokens.count(c.text) <= settings.chunk_tokens, (c.index, tokens.count(c.text))
        # Whole sentences only (no corpus sentence exceeds the default budget).
        assert c.start in starts and c.end in ends, (c.index, c.text[:60], c.text[-60:])
    # Together the chunks cover the document: first to last sentence, no gap between neighbours.
    assert chunks[0].start == spans[0][0]
    assert chunks[-1].end == spans[-1][1]
    for left, right in zip(chunks, chunks[1:]):
        assert right.start <= left.end or doc.text[left.end:right.start].strip() == "", (
            f"text between chunk {left.index} and {right.index} is in no chunk")
        assert right.start > left.start and right.end > left.end
    assert len({c.id for c in chunks}) == len(chunks)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_chunk_ids_are_stable_across_runs(path, tmp_path):
    first = Settings.from_env(env={}, store_dir=tmp_path / "a")
    second = Settings.from_env(env={}, store_dir=tmp_path / "b")
    a = chunk_document(_read(path, first), first)
    b = chunk_document(_read(path, second), second)
    assert [(c.id, c.start, c.end) for c in a] == [(c.id, c.start, c.end) for c in b]
    assert _read(path, first).hash == _read(path, second).hash


def test_neighbouring_chunks_share_the_configured_overlap(tmp_path):
    s = Settings.from_env(env={}, store_dir=tmp_path / "s", chunk_tokens=64, chunk_overlap=1)
    doc = _read(ROOT / "corpus" / "north-korea-troops.txt", s)
    chunks = chunk_document(doc, s)
    assert len(chunks) > 3
    for left, right in zip(chunks, chunks[1:]):
        shared = [(a, b) for a, b in sentence_spans(doc.text)
                  if a >= right.start and b <= left.end]
        assert len(shared) <= 1
    s0 = s.with_(chunk_overlap=0)
    no_overlap = chunk_document(doc, s0)
    for left, right in zip(no_overlap, no_overlap[1:]):
        assert right.start >= left.end


@pytest.mark.parametrize("budget", [200, 128, 40])
def test_no_chunk_exceeds_the_token_budget(budget, tmp_path):
    """``chunk_tokens`` is documented as the maximum tokens per chunk (cl100k_base)."""
    s = Settings.from_env(env={}, store_dir=tmp_path / "s", chunk_tokens=budget)
    over = []
    for path in CORPUS_FILES:
        doc = _read(path, s)
        for c in chunk_document(doc, s):
            n = tokens.count(c.text)
            if n > budget:
                over.append((doc.id, c.index, n))
    assert over == [], f"chunks over the {budget}-token budget: {over}"


def test_an_overlong_sentence_is_cut_at_word_boundaries(tmp_path):
    s = Settings.from_env(env={}, store_dir=tmp_path / "s", chunk_tokens=64)
    text = ("The council listed these districts for repair: "
            + ", ".join(f"district {i} with crew {i % 7}" for i in range(1, 60)) + ". Done.")
    doc = Document(id="long", title="Long", source="long.txt", text=text, hash="h")
    chunks = chunk_document(doc, s)
    assert len(chunks) > 2
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert c.start == 0 or text[c.start - 1].isspace()
        assert c.end == len(text) or text[c.end].isspace() or text[c.end] in ".,"
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered or text[i].isspace() for i in range(len(text)))


def test_content_hash_depends_on_text_title_and_chunking(fixtures_dir, settings):
    doc = _read(fixtures_dir / "articles" / "alpha.txt", settings)
    same = content_hash(doc, settings)
    assert same == doc.hash
    edited = Document(id=doc.id, title=doc.title, source=doc.source, text=doc.text + " More.",
                      hash="")
    retitled = Document(id=doc.id, title="Other", source=doc.source, text=doc.text, hash="")
    assert content_hash(edited, settings) != same
    assert content_hash(retitled, settings) != same
    assert content_hash(doc, settings.with_(chunk_tokens=100)) != same


def test_articles_are_audited_at_ingest_and_flags_reused(settings, tmp_path):
    from assistant.audit import AUDIT_VERSION

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plant.txt").write_text(
        "Plant Hires\n\nThe Harbour plant employs 320 workers, its manager said. Analysts expect "
        "the plant to grow next year.\n", encoding="utf-8")
    a = Assistant(settings=settings)
    a.ingest([folder], progress=False)
    info = a.store.documents()[0]
    assert a.store.get_cached(f"flags:doc:{info.id}", f"{AUDIT_VERSION}:{info.hash}") is not None
    off = Assistant(settings=settings.with_(audit_on_ingest=0, collection_prefix="other"))
    off.ingest([folder], progress=False)
    info = off.store.documents()[0]
    assert off.store.get_cached(f"flags:doc:{info.id}", f"{AUDIT_VERSION}:{info.hash}") is None
