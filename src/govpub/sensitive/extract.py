"""Text of attachments, for the sensitive-content rules.

PDF text comes from ``pypdf`` (per page), DOCX from its OOXML parts
(paragraphs, tables, headers and footers — a classification stamp usually
sits in the header; the same text as ``python-docx``, eight times faster). Other Office Open XML and OpenDocument files (xlsx,
pptx, odt …) are zip archives of XML: their text nodes are read directly.
Plain-text attachments (txt, csv, html, xml, json) are decoded as UTF-8 or
GB 18030.

A document whose text cannot be read — encrypted, corrupt, a scanned PDF
without a text layer, a legacy binary .doc/.xls/.wps — is *not* a pass: the
result carries an ``error`` and GP507 sends it to manual review. Images and
other media are not documents and are not scanned here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from ..i18n import _

PDF = frozenset({".pdf"})
DOCX = frozenset({".docx", ".docm", ".dotx"})
ZIP_XML = frozenset({".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp"})
PLAIN = frozenset({".txt", ".csv", ".tsv", ".html", ".htm", ".xml", ".json", ".yml", ".yaml"})
UNREADABLE = frozenset({".doc", ".dot", ".xls", ".ppt", ".wps", ".et", ".dps", ".rtf", ".ofd",
                        ".caj", ".ceb"})
DOCUMENT_SUFFIXES = PDF | DOCX | ZIP_XML | PLAIN | UNREADABLE
MAX_TEXT_CHARS = 20_000_000  # a zip bomb of XML must not exhaust memory
_XML_TEXT = re.compile(rb">([^<>]+)<")


@dataclass
class Extracted:
    """Text chunks of one attachment: ``(where, text)``, or why there are none."""

    chunks: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


def is_document(path: str | Path) -> bool:
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                return Extracted(error=_("the PDF is password-protected"))
        except Exception:  # pypdf raises many types for exotic encryption
            return Extracted(error=_("the PDF is encrypted with an unsupported method"))
    out = Extracted()
    for number, page in enumerate(reader.pages, start=1):
        out.chunks.append((_("page {number}").format(number=number), page.extract_text() or ""))
    if not any(text.strip() for _where, text in out.chunks):
        out.error = _("the PDF has no text layer (a scan?) — run OCR so it is searchable")
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PART = re.compile(r"^word/(document|header(\d*)|footer(\d*))\.xml$")


def _docx(data: bytes) -> Extracted:
    """Paragraph text of the body, headers and footers, read from the OOXML parts.

    The same text python-docx gives (a test holds them equal), read directly
    from ``word/*.xml``: python-docx builds the whole object model and costs
    ~20 ms per file, this ~2 ms — it decides whether the scan stays within
    its budget on a site with many forms. Table cells are paragraphs too.
    """
    out = Extracted()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted((info for info in archive.infolist() if _DOCX_PART.match(info.filename)),
                       key=lambda i: (not i.filename.startswith("word/header"), i.filename))
        if not any(i.filename == "word/document.xml" for i in parts):
            return Extracted(error=_("the DOCX has no word/document.xml"))
        for info in parts:
            if info.file_size > MAX_TEXT_CHARS:
                return Extracted(error=_("the document expands to more text than can be "
                                         "checked"))
            raw = archive.read(info)
            if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
                return Extracted(error=_("the DOCX contains an XML document type (not Word)"))
            root = ElementTree.fromstring(raw)
            kind = _DOCX_PART.match(info.filename)
            for number, paragraph in enumerate(root.iter(_W + "p"), start=1):
                text = "".join(_docx_runs(paragraph))
                if not text.strip():
                    continue
                part_number = kind.group(2) or kind.group(3) or ""
                if kind.group(1) == "document":
                    where = _("paragraph {number}").format(number=number)
                elif kind.group(1).startswith("header"):
                    where = _("header {number}").format(number=part_number).strip()
                else:
                    where = _("footer {number}").format(number=part_number).strip()
                out.chunks.append((where, text))
    return out


def _docx_runs(paragraph):
    for node in paragraph.iter():
        if node.tag == _W + "t" and node.text:
            yield node.text
        elif node.tag == _W + "tab":
            yield "\t"
        elif node.tag in (_W + "br", _W + "cr"):
            yield "\n"


def _zip_xml(data: bytes) -> Extracted:
    out = Extracted()
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".xml") or info.file_size > MAX_TEXT_CHARS:
                continue
            total += info.file_size
            if total > MAX_TEXT_CHARS:
                return Extracted(error=_("the document expands to more text than can be "
                                         "checked"))
            raw = archive.read(info)
            text = "\n".join(t.decode("utf-8", "replace") for t in _XML_TEXT.findall(raw)
                             if t.strip())
            if text:
                out.chunks.append((info.filename, text))
    return out


def _plain(data: bytes) -> Extracted:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return Extracted(chunks=[(_("text"), data.decode(encoding))])
        except UnicodeDecodeError:
            continue
    return Extracted(error=_("the text file is neither UTF-8 nor GB 18030"))


def extract_bytes(suffix: str, data: bytes) -> Extracted:
    """Pure: the text of a document of this type (never raises)."""
    suffix = suffix.lower()
    if suffix in UNREADABLE:
        return Extracted(error=_("text cannot be extracted from {suffix} files — provide a "
                                 "PDF with a text layer or a .docx instead").format(
                                     suffix=suffix))
    try:
        if suffix in PDF:
            return _pdf(data)
        if suffix in DOCX:
            return _docx(data)
        if suffix in ZIP_XML:
            return _zip_xml(data)
        if suffix in PLAIN:
            return _plain(data)
    except Exception as exc:  # hostile files: every parser failure means "cannot read"
        return Extracted(error=_("the file cannot be read as {kind} ({error})").format(
            kind=suffix[1:].upper(), error=type(exc).__name__))
    return Extracted()


@lru_cache(maxsize=128)
def _extract_cached(file: str, digest: str, size: int) -> Extracted:
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        return Extracted(error=_("cannot read the file: {error}").format(
            error=exc.strerror or exc))
    return extract_bytes(Path(file).suffix, data)


def extract_file(file: Path, digest: str = "", size: int = 0) -> Extracted:
    """Text of an attachment on disk; cached by digest, as every GP5xx rule asks for it."""
    return _extract_cached(str(file), digest, size)
