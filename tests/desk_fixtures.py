"""Attachments with real text for the review diff and desk tests: multi-page PDFs and
Word documents, plus helpers to run `govpub review …` as one reviewer."""

from __future__ import annotations

import io

from click.testing import CliRunner

try:
    from review_fixtures import EMAILS, git
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import EMAILS, git

from govpub.cli import main


def pdf_pages(*pages: str) -> bytes:
    """A PDF with one page per text (Helvetica, so Latin text), each line on its own row."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = None
    page_objects = []
    for text in pages:
        rows = []
        for row, line in enumerate(text.split("\n")):
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            rows.append(f"BT /F1 12 Tf 72 {712 - 16 * row} Td ({safe}) Tj ET")
        stream = "\n".join(rows).encode()
        page_objects.append(stream)
    first = 3
    for index, stream in enumerate(page_objects):
        page_number = first + 2 * index
        kids.append(f"{page_number} 0 R")
        objects.append(b"")  # page, filled below
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    font = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index in range(len(page_objects)):
        page_number = first + 2 * index
        objects[page_number - 1] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_number + 1, font))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def word_document(paragraphs: list[str], header: str = "") -> bytes:
    import docx

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_user(site, who: str) -> None:
    git(site.root, "config", "user.email", EMAILS.get(who, who))
    git(site.root, "config", "user.name", who)


def run(site, *args, input_text=None) -> tuple[int, str, str]:
    runner = CliRunner()
    with runner.isolation(input=input_text) as (out, err, *_):
        code = main(["--root", str(site.root), *args])
        return code, out.getvalue().decode(), err.getvalue().decode()


def write_bytes(site, rel: str, data: bytes) -> None:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
