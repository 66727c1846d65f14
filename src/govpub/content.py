"""Loading ``content/`` strictly: every file becomes a :class:`Document`.

This is the one front-matter parser of the project; the build, the hook, the
review commands and the watcher's draft writer all read pages through it.
Loading never raises for bad content: each problem is recorded on the
document as a :class:`LoadProblem` under a stable rule id (see
``govpub.rules.loading``), with the line where it occurs.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .digest import BOM, digest_for, normalize_text_bytes, suffix_of
from .i18n import _
from .yamlstrict import parse_yaml

PAGE_SUFFIXES = frozenset({".md", ".markdown"})
IGNORED_NAMES = frozenset({".gitkeep"})
_MMD_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]{0,40}:\s*\S")
_FENCE = re.compile(r"^---[ \t]*$")
_END_MARKER = re.compile(r"^\.\.\.[ \t]*$")
#: the line that ends the front matter (``---``), or ends it wrongly (``...``), in the
#: whole text: searched once instead of splitting every line of the page
_CLOSING = re.compile(r"^(?:(---)|\.\.\.)[ \t]*$", re.MULTILINE)

_YAML_RULE = {"syntax": "GP001", "too-complex": "GP001", "duplicate-key": "GP003",
              "yaml11": "GP004"}


@dataclass(frozen=True, slots=True)
class LoadProblem:
    rule: str
    line: int
    column: int
    message: str


@dataclass(slots=True)
class Document:
    """One file under ``content/``: a Markdown page or an attachment."""

    path: str  # relative to content/, POSIX separators
    file: Path  # absolute path on disk
    is_page: bool
    digest: str = ""
    size: int = 0
    meta: dict = field(default_factory=dict)
    body: str | None = ""  # None: not kept (a focused check reads it again when needed)
    body_line: int = 1
    key_lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    readable: bool = True  # False when the file could not be read as a page at all
    #: values derived from the document alone (its links, its text segments), computed
    #: once — in a worker process on large trees — and kept with it
    derived: dict = field(default_factory=dict)

    def derive(self, key: str, compute):
        if key not in self.derived:
            if self.body is None:  # a bug, not bad input: never let it pass as "no links"
                raise RuntimeError(f"{self.path}: {key!r} was asked for after the page's text "
                                   "was dropped (see checker.SHARED_DERIVATIONS)")
            self.derived[key] = compute(self)
        return self.derived[key]

    @property
    def repo_path(self) -> str:
        return "content/" + self.path

    @property
    def column(self) -> str:
        return self.path.split("/", 1)[0] if "/" in self.path else ""

    @property
    def has_meta(self) -> bool:
        """The page loaded with a front-matter mapping that rules can inspect."""
        return self.is_page and self.readable and isinstance(self.meta, dict) and bool(self.meta)

    def line_of(self, *keys, default: int | None = None) -> int:
        path = tuple(keys)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return default if default is not None else 1

    def problem(self, rule: str, line: int, message: str, column: int = 1) -> None:
        self.problems.append(LoadProblem(rule, line, column, message))


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def load_document(file: Path, rel_path: str, *, max_page_bytes: int,
                  max_attachment_bytes: int) -> Document:
    """Read one regular file (the caller has already refused symlinks)."""
    is_page = suffix_of(rel_path).lower() in PAGE_SUFFIXES
    doc = Document(path=rel_path, file=file, is_page=is_page)
    limit = max_page_bytes if is_page else max_attachment_bytes
    try:
        size = os.stat(file).st_size
        doc.size = size
        if size > limit:
            doc.readable = False
            doc.problem("GP008", 1, _("file is {size:,} bytes, over the {limit:,} byte limit "
                                      "for this kind of file — split it, or compress the "
                                      "attachment").format(size=size, limit=limit))
            return doc
        with open(file, "rb", buffering=0) as stream:
            raw = stream.readall()
    except OSError as exc:
        doc.readable = False
        doc.problem("GP009", 1, _("cannot read the file: {error}").format(
            error=exc.strerror or exc))
        return doc
    doc.digest = digest_for(rel_path, raw)
    if is_page:
        _parse_page(doc, raw)
    elif not raw:
        doc.problem("GP007", 1, _("attachment is empty — add the file's content or delete it"))
    return doc


def split_page(rel_path: str, raw: bytes) -> tuple[dict, str]:
    """(front matter, body) of page bytes already read, by the same strict rules.

    For readers of the staging folder (the Pelican renderer): a page without
    usable front matter (a generated listing may have none) comes back as
    ``({}, its whole text)``. Read through python-frontmatter's handler
    interface (:mod:`govpub.strictfront`).
    """
    from .strictfront import STRICT

    data = normalize_text_bytes(raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # as the loader: not a text page, no front matter to trust
        return {}, data.decode("utf-8", "replace")
    if "\x00" in text:
        return {}, text
    try:
        front, body = STRICT.split(text)
        return STRICT.load(front), body
    except ValueError:
        return {}, text


def _parse_page(doc: Document, raw: bytes) -> None:
    if raw.startswith(BOM):
        doc.problem("GP010", 1, _("file starts with a UTF-8 byte order mark; accepted, and "
                                  "ignored by the sign-off digest — save as UTF-8 without BOM "
                                  "to silence this"))
    if b"\r" in raw:
        doc.problem("GP010", _line_of_offset(raw, raw.index(b"\r")),
                    _("file has CR or CRLF line endings; accepted, and normalized to LF by "
                      "the sign-off digest"))
    data = normalize_text_bytes(raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.readable = False
        doc.problem("GP005", _line_of_offset(data, exc.start),
                    _("byte 0x{byte:02x} at offset {offset} is not valid UTF-8 — save the file "
                      "as UTF-8 (GBK/GB2312 files must be converted)").format(
                          byte=data[exc.start], offset=exc.start))
        return
    if "\x00" in text:
        doc.readable = False
        doc.problem("GP005", _line_of_offset(data, data.index(b"\x00")),
                    _("file contains NUL bytes; it is not a text file — is it misnamed?"))
        return
    if not text or text.isspace():  # as `not text.strip()`, without copying the page
        doc.readable = False
        doc.problem("GP007", 1, _("page is empty — add front matter and content, or delete "
                                  "it"))
        return
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _FENCE.match(first):
        doc.readable = False
        if _MMD_HEADER.match(first):
            doc.problem("GP006", 1, _("page starts with MultiMarkdown-style `Key: value` "
                                      "headers, which MkDocs and other readers interpret "
                                      "differently — put the fields between two `---` lines as "
                                      "YAML front matter"))
        else:
            doc.problem("GP002", 1, _("page has no front matter — start the file with a `---` "
                                      "line, the YAML fields, and another `---` line"))
        return
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        doc.readable = False
        doc.problem("GP002", 1, _("front matter is not closed — add a `---` line after the "
                                  "last field"))
        return
    close = text.count("\n", 0, closing.start())  # the closing line's index
    if closing.group(1) is None:
        doc.readable = False
        doc.problem("GP006", close + 1, _("front matter ends with `...`, which MkDocs "
                                          "accepts but other readers do not — end it with "
                                          "`---`"))
        return
    # the lines between the fences, each ending with a line feed ("\n" when there are none)
    yaml_text = text[first_end + 1:closing.start()] or "\n"
    result = parse_yaml(yaml_text, first_line=2)
    for p in result.problems:
        doc.problem(_YAML_RULE[p.kind], p.line, p.message, p.column)
    if any(p.kind in ("syntax", "too-complex") for p in result.problems):
        doc.readable = False
        return
    if result.data is None:
        doc.readable = False
        doc.problem("GP002", 2, _("front matter is empty — add at least title, source, "
                                  "published and disclosure"))
        return
    if not isinstance(result.data, dict):
        doc.readable = False
        from .yamlslips import explain_not_a_mapping  # only for pages that failed

        slip = explain_not_a_mapping(yaml_text, 2)
        if slip:
            doc.problem("GP002", slip[0], slip[2], slip[1])
        else:
            doc.problem("GP002", 2, _("front matter must be a mapping of `field: value` lines, "
                                      "got a {kind}").format(kind=type(result.data).__name__))
        return
    doc.meta = result.data
    doc.key_lines = result.lines
    body_start = text.find("\n", closing.end())
    doc.body = text[body_start + 1:] if body_start >= 0 else ""
    doc.body_line = close + 2


@dataclass
class Corpus:
    """Every file under ``content/``, keyed by its path relative to ``content/``."""

    root: Path
    documents: dict[str, Document]

    def pages(self):
        return (d for d in self.documents.values() if d.is_page)

    def attachments(self):
        return (d for d in self.documents.values() if not d.is_page)

    def get(self, path: str) -> Document | None:
        return self.documents.get(path)


def _walk(content_dir: Path):
    """Yield (path, rel, problem) for every entry, never following links."""
    stack = [(content_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, prefix.rstrip("/") or ".", _("cannot list the folder: {error}").format(
                error=exc.strerror)
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.name in IGNORED_NAMES:
                continue
            path = folder / entry.name  # (half the cost of parsing entry.path again)
            if entry.is_symlink():
                yield path, rel, _("symbolic links are not allowed in content/ — they "
                                               "can point outside the reviewed tree; copy the "
                                               "file instead")
            elif entry.name.startswith("."):
                yield path, rel, _("hidden files are never published — remove it or "
                                               "give it a visible name")
            elif entry.is_dir(follow_symlinks=False):
                stack.append((path, rel + "/"))
            elif entry.is_file(follow_symlinks=False):
                yield path, rel, None
            else:
                yield path, rel, _("not a regular file (device, pipe or socket)")


@dataclass(frozen=True, slots=True)
class Entry:
    """A file found under ``content/``, before it is read."""

    file: Path
    rel: str
    refusal: str | None = None  # why it must not be read at all (link, hidden, special)
    collides_with: str | None = None


def list_entries(content_dir: Path) -> list[Entry]:
    """Every file under ``content/``, sorted, with name collisions already detected."""
    found = sorted(_walk(content_dir), key=lambda item: item[1])
    seen: dict[str, str] = {}
    colliding: dict[str, str] = {}
    for _file, rel, _refusal in found:
        key = portable_key(rel)
        if key in seen:
            colliding[rel], colliding[seen[key]] = seen[key], rel
        else:
            seen[key] = rel
    return [Entry(file, rel, refusal, colliding.get(rel)) for file, rel, refusal in found]


def load_entry(entry: Entry, *, max_page_bytes: int, max_attachment_bytes: int) -> Document:
    if entry.refusal:
        doc = Document(path=entry.rel, file=entry.file,
                       is_page=suffix_of(entry.rel).lower() in PAGE_SUFFIXES, readable=False)
        doc.problem("GP009", 1, entry.refusal)
    else:
        doc = load_document(entry.file, entry.rel, max_page_bytes=max_page_bytes,
                            max_attachment_bytes=max_attachment_bytes)
    if entry.collides_with:
        doc.readable = False
        doc.problem("GP009", 1, _("file name collides with content/{other} on "
                                  "case-insensitive or Unicode-normalizing file systems — "
                                  "rename one of them").format(other=entry.collides_with))
    return doc


def load_corpus(content_dir: Path, *, max_page_bytes: int = 5 * 1024 * 1024,
                max_attachment_bytes: int = 50 * 1024 * 1024) -> Corpus:
    documents = {entry.rel: load_entry(entry, max_page_bytes=max_page_bytes,
                                       max_attachment_bytes=max_attachment_bytes)
                 for entry in list_entries(content_dir)}
    return Corpus(root=content_dir, documents=documents)


def portable_key(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()
