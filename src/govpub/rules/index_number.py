"""GP109: every policy and notice has its index number (索引号), and no number ever changes."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ..disclosure.registry import (
    REGISTRY_PATH,
    disclosure_types,
    lost_lines,
    read_registry,
)
from ..i18n import _
from . import Rule, register


@register
class IndexNumber(Rule):
    """A disclosed document has no index number, or the index-number registry was altered.

    What it checks: where the site keeps the registry
    `disclosure/index-numbers.csv`, every page of a disclosure type (notices
    and policies by default) that is to be disclosed proactively has an index
    number there; the registry's lines are well formed, no number is assigned
    twice, no page has two numbers, a `moved` line leaves its old path
    behind; and no line that was ever committed has been removed or changed
    (checked against the file's git history).
    Why: 政府信息公开 gives each disclosed document one index number
    (agency code, year, sequence) shown on the page, in the disclosure
    catalog and in open data; citizens and other agencies cite it, so it is
    assigned once and never changed or reused.
    Example: a new notice `content/notices/2026-12-01-x.md` with no line in
    the registry; or a registry line deleted to give its number to another page.
    Fix: run `govpub disclosure assign` and commit the registry with the page;
    restore any removed or changed line exactly as it was committed.
    """

    id = "GP109"
    name = "index-number"
    locked = True

    def check(self, ctx) -> Iterator:
        root = ctx.policy.root
        registry = ctx.memo("index-registry", lambda: read_registry(root))
        if not registry.exists:
            return
        corpus = ctx.corpus.documents
        for problem in registry.problems:
            yield ctx.finding(self, REGISTRY_PATH, problem.line, problem.message)
            if problem.path and problem.path in corpus:
                yield ctx.finding(self, corpus[problem.path], 1, _(
                    "the index-number registry has a problem with this page on line {line} "
                    "of {registry}: {problem}").format(
                        line=problem.line, registry=REGISTRY_PATH, problem=problem.message))
        for line in lost_lines(root):
            yield ctx.finding(self, REGISTRY_PATH, 1, _(
                "a committed line is gone: {line!r}; index numbers are never changed or "
                "removed: restore the line exactly as it was").format(line=line))
            fields = next(csv.reader([line]), [])
            if len(fields) == 4 and fields[1] in corpus:
                yield ctx.finding(self, corpus[fields[1]], 1, _(
                    "the registry line that gave this page index number {number} was "
                    "removed or changed").format(number=fields[0]))
        yield from self._moves(ctx, registry, corpus)
        types = disclosure_types(ctx.policy.site)
        for doc in ctx.pages():
            if (doc.has_meta and ctx.type_of(doc) in types
                    and doc.meta.get("disclosure") == "proactive"
                    and doc.path not in registry.number_of):
                yield ctx.finding(self, doc, doc.line_of("title"), _(
                    "no index number (索引号) in {registry}; run `govpub disclosure assign "
                    "{path}` and commit the registry with the page").format(
                        registry=REGISTRY_PATH, path=doc.repo_path))

    def _moves(self, ctx, registry, corpus) -> Iterator:
        previous: dict[str, str] = {}
        for entry in registry.entries:
            old = previous.get(entry.number)
            if entry.event == "moved" and old is not None and old in corpus:
                yield ctx.finding(self, REGISTRY_PATH, entry.line, _(
                    "index number {number} moved to content/{path}, but content/{old} still "
                    "exists; a number belongs to one document").format(
                        number=entry.number, path=entry.path, old=old))
            previous[entry.number] = entry.path
