"""python-frontmatter with govpub's reading of front matter: the same fences, the strict YAML.

python-frontmatter reads and writes "front matter + text" documents through
a *handler* (how to find the fences, how to load and dump the metadata).
:class:`StrictYAMLHandler` is that handler for govpub pages, so that code
which takes a python-frontmatter handler (``frontmatter.loads(text,
handler=...)``, ``frontmatter.dumps(post, handler=...)``) reads a page exactly
as the checker does:

- the front matter starts on the first line with ``---`` and ends at the next
  ``---`` line; a ``...`` line before it is not an end (GP006) — the page has
  no front matter;
- the YAML is read by :func:`govpub.yamlstrict.parse_yaml` (dates stay
  text, no Python tags, duplicate keys and YAML 1.1 surprises noted by the
  checker); front matter that is not YAML or not a non-empty mapping raises
  ``ValueError`` (as python-frontmatter's own YAML handler raises).

The checker itself (``govpub.content``) keeps its own loop: it reports each
problem with its line, which a handler cannot. ``content.split_page`` — the
reader of staged pages — goes through this handler.
"""

from __future__ import annotations

import re

import yaml
from frontmatter.default_handlers import BaseHandler

from .content import _END_MARKER, _FENCE
from .yamlstrict import parse_yaml


class StrictYAMLHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^---[ \t]*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "---"

    def detect(self, text: str) -> bool:
        return bool(_FENCE.match(text.split("\n", 1)[0]))

    def split(self, text: str) -> tuple[str, str]:
        """(front matter, text after the closing fence); ValueError when there is none."""
        lines = text.split("\n")
        if not _FENCE.match(lines[0]):
            raise ValueError("no front matter: the first line is not ---")
        for index in range(1, len(lines)):
            if _FENCE.match(lines[index]):
                return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1:])
            if _END_MARKER.match(lines[index]):
                raise ValueError("front matter ends with ..., not ---")
        raise ValueError("front matter is not closed")

    def load(self, fm: str) -> dict:
        result = parse_yaml(fm)
        if any(p.kind in ("syntax", "too-complex") for p in result.problems):
            raise ValueError("front matter is not readable YAML")
        if not isinstance(result.data, dict) or not result.data:
            raise ValueError("front matter is not a mapping of fields")
        return result.data

    def export(self, metadata: dict, **kwargs) -> str:
        kwargs.setdefault("allow_unicode", True)
        kwargs.setdefault("sort_keys", False)
        return yaml.safe_dump(metadata, **kwargs).strip()


STRICT = StrictYAMLHandler()
