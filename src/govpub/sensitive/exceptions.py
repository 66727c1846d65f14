"""The reviewed exceptions (``allow:`` entries) of every page, for ``govpub audit``.

Usage by the audit command::

    from govpub.sensitive.exceptions import list_exceptions
    for e in list_exceptions(corpus):
        print(f"{e.path}:{e.line}: {e.rule} allowed — {e.reason}")
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Corpus


@dataclass(frozen=True, slots=True)
class PageException:
    path: str  # repository path, content/...
    line: int
    rule: str
    reason: str  # "" when missing: such an entry does not suppress anything

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "rule": self.rule, "reason": self.reason}


def list_exceptions(corpus: Corpus) -> list[PageException]:
    out = []
    for doc in corpus.pages():
        entries = doc.meta.get("allow") if doc.has_meta else None
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                out.append(PageException(doc.repo_path, doc.line_of("allow", index),
                                         str(entry.get("rule", "")),
                                         str(entry.get("reason") or "").strip()))
    return out
