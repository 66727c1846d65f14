"""Writing front-matter values into generated Markdown without letting them become markup.

Front matter is hostile input: a title such as ``<script>…`` or ``[x](javascript:…)``
must reach the reader as text. Every value that goes into a generated page
passes through :func:`text` (HTML-escaped, Markdown punctuation backslash-escaped);
every link target through :func:`href` (relative, percent-encoded).
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlsplit

# Characters that Markdown or one of its extensions may read as syntax, and HTML's own.
# Each becomes a numeric character reference: the same text to the reader, inert to
# every Markdown extension (backslash escapes depend on which extensions are loaded).
_SPECIAL = frozenset("\\`*_{}[]()#+!|~^=<>&\"$")
_REFERENCES = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})


def text(value) -> str:
    """One line of plain text, safe inside Markdown and HTML."""
    return " ".join(str(value).split()).translate(_REFERENCES)


def relative_path(target: str, source: str) -> str:
    """``posixpath.relpath`` for two paths relative to one root, without touching the disk.

    (``posixpath.relpath`` calls ``os.getcwd()`` on every call; index pages make thousands.)
    """
    folder = source.rpartition("/")[0]
    if "//" not in target and not target.startswith("/") and not target.endswith("/") \
            and "//" not in folder and not folder.startswith("/"):
        # the usual case (a listing's entry, a link from a page to its neighbour): plain paths
        if not folder:
            return target
        if target.startswith(folder) and target[len(folder):len(folder) + 1] == "/":
            return target[len(folder) + 1:]
    base = [p for p in posixpath.dirname(source).split("/") if p]
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def href(target: str, source: str) -> str:
    """Relative link from the staged file ``source`` to the staged file ``target``."""
    return quote(relative_path(target, source), safe="/")


def link(label, target: str, source: str) -> str:
    return f"[{text(label)}](<{href(target, source)}>)"


def external_link(label, url: str) -> str:
    """A link to an outside address, only for http(s); anything else is shown as text."""
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return text(label)
    return f"[{text(label)}](<{quote(str(url), safe=':/?#[]@!$&()*+,;=%~-._')}>)"


def front_matter(title: str, **extra) -> str:
    """Front matter for a generated page: JSON-quoted scalars are valid YAML."""
    import json

    lines = ["---", f"title: {json.dumps(str(title), ensure_ascii=False)}"]
    for key, value in extra.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
