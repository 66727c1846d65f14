"""Rules for files that cannot be read safely (GP001–GP010).

The loader (``govpub.content``) records these problems while reading each
file; these rules give them their ids, severities and documentation. A page
with a loading error is never published: what a reader cannot parse the same
way every time cannot be reviewed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Severity
from . import Rule, register


class LoaderRule(Rule):
    locked = True
    local = True
    cacheable = True

    def check(self, ctx) -> Iterator[Finding]:
        for doc in ctx.documents():
            for problem in doc.problems:
                if problem.rule == self.id:
                    yield ctx.finding(self, doc, problem.line, problem.message, problem.column)


@register
class InvalidYaml(LoaderRule):
    """Front matter is not valid YAML.

    What it checks: the YAML between the `---` lines parses.
    Why: MkDocs silently replaces unparsable front matter with nothing, so the
    page would be published without its source, date or disclosure decision.
    Example: `title：关于调整收费标准的通知` (a full-width colon); `title: "Fee
    reduction` (a quote never closed).
    Fix: do what the message says. It names the usual slips — a full-width
    colon, space or quotes, a tab, a value containing `: `, a list under a
    field that already has a value, a line indented too far, a quote never
    closed — with what to type instead, and shows the line with a caret under
    the place.
    """

    id = "GP001"
    name = "invalid-yaml"


@register
class FrontMatterShape(LoaderRule):
    """A page has no front matter, or it is not a mapping of fields.

    What it checks: a page starts with `---`, YAML fields, and a closing `---`.
    Why: without front matter a page has no source, publication time or
    disclosure decision, and may not be published.
    Example: a page that starts with `# Title`, or front matter that is a list.
    Fix: start the file with `---`, then `title:`, `source:`, `published:`,
    `disclosure:` lines, then `---`.
    """

    id = "GP002"
    name = "front-matter-shape"


@register
class DuplicateKey(LoaderRule):
    """A field appears twice in the same mapping.

    What it checks: each key appears once per mapping.
    Why: YAML readers silently keep only the last value, so a reviewer may have
    read a different value than the one published.
    Example: two `published:` lines.
    Fix: delete one of them.
    """

    id = "GP003"
    name = "duplicate-key"


@register
class Yaml11Surprise(LoaderRule):
    """A value is read differently from how it looks (YAML 1.1 rules).

    What it checks: plain `yes`, `no`, `on`, `off` (read as booleans), keys such
    as `no:` (read as `false`), and numbers such as `1.10` (read as `1.1`).
    Why: Norway's country code `NO` becomes `false` and version `1.10` becomes
    `1.1`: the published value is not what the editor wrote.
    Example: `answer: no`.
    Fix: quote the value (`answer: "no"`) or write `true`/`false`.
    """

    id = "GP004"
    name = "yaml11-surprise"


@register
class NotUtf8(LoaderRule):
    """A page is not valid UTF-8 text.

    What it checks: the page decodes as UTF-8 and has no NUL bytes.
    Why: GBK or GB2312 files show as garbled text on the site and in search.
    Example: a page saved from an old editor in GBK.
    Fix: convert it: `iconv -f GBK -t UTF-8 old.md > new.md`.
    """

    id = "GP005"
    name = "not-utf8"


@register
class AmbiguousFrontMatter(LoaderRule):
    """Front matter in a shape that different readers interpret differently.

    What it checks: no `...` end marker and no MultiMarkdown `Key: value`
    headers without `---` lines.
    Why: MkDocs reads these shapes and python-frontmatter does not (or the
    other way round), so what was reviewed and what is published could differ.
    Example: `Title: Notice` on the first line.
    Fix: use `---` lines around YAML front matter.
    """

    id = "GP006"
    name = "ambiguous-front-matter"


@register
class EmptyFile(LoaderRule):
    """A page or attachment is empty.

    What it checks: files under `content/` are not empty (or whitespace only).
    Why: an empty page is an undated, unsourced page; an empty attachment is a
    broken download.
    Fix: add the content, or delete the file.
    """

    id = "GP007"
    name = "empty-file"


@register
class FileTooLarge(LoaderRule):
    """A file is over the size limit.

    What it checks: pages are at most `limits.markdown_bytes` (default 5 MB)
    and attachments at most `limits.attachment_bytes` (default 50 MB), set in
    `site_config/site.yml`.
    Why: huge files slow every build and usually mean a pasted binary or an
    export gone wrong.
    Fix: split the page, or compress the attachment.
    """

    id = "GP008"
    name = "file-too-large"


@register
class UnsafePath(LoaderRule):
    """A file under `content/` is a link, hidden, special, or collides with another name.

    What it checks: no symbolic links, hidden files, devices or pipes; no two
    names that differ only by letter case or Unicode normalization.
    Why: a link can publish a file from outside the reviewed tree; colliding
    names overwrite each other on case-insensitive file systems, so the
    published file may not be the reviewed one.
    Fix: replace links with real files; rename hidden or colliding files.
    """

    id = "GP009"
    name = "unsafe-path"


@register
class LineEndings(LoaderRule):
    """A page has a byte order mark or CR/CRLF line endings (accepted).

    What it checks: reports a UTF-8 BOM or Windows line endings.
    Why: both are accepted and ignored by the sign-off digest, but some tools
    show them as stray characters.
    Fix: save as UTF-8 without BOM, with LF line endings.
    """

    id = "GP010"
    name = "line-endings"
    severity = Severity.INFO
    locked = False
