"""The rules: one module per rule (or per family of loader rules).

A rule is a class with a stable ``id`` (``GP102``), a short ``name``, a
default ``severity`` that ``site_config/rules.yml`` may raise or lower, and a
``check(ctx)`` that yields :class:`~govpub.findings.Finding` records. Its
docstring, written as *What it checks / Why / Example / Fix*, is its
documentation: ``govpub rules`` prints it and ``docs/rules.md`` is generated
from it.

Every module in this package is discovered automatically; decorate each rule
class with :func:`register`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ..findings import Finding, Severity
from ..i18n import _

if TYPE_CHECKING:
    from ..checker import CheckContext
    from ..content import Document


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: the rule guards publication: configuration may not change its severity
    locked: ClassVar[bool] = False
    #: a finding holds the page back even when its severity does not block (scheduled pages)
    holds_back: ClassVar[bool] = False
    #: the rule reads ``ctx.blocked`` and runs in the gate's fixed-point loop
    needs_gate: ClassVar[bool] = False
    #: a page may grant a reviewed exception with ``allow: [{rule: ID, reason: ...}]``
    allowable: ClassVar[bool] = False
    #: findings depend only on the document itself, the policy and the time — so the
    #: rule can run in a worker process on a share of the files
    local: ClassVar[bool] = False
    #: findings depend only on the file's path and bytes and the policy — not the time, not
    #: another file (review/, git), not the other documents — so the check cache
    #: (govpub.checkcache) may keep them for those bytes; "day": and on the date of the
    #: check (site time zone), so they are kept for that day. A local rule that is
    #: neither runs again on every check.
    cacheable: ClassVar[bool | str] = False
    #: the findings depend on the time: "now" (the time judged at, ``ctx.now``) or
    #: "clock" (the later of that and the real clock). While it checks, such a rule
    #: says when its findings may change, all else staying the same
    #: (``ctx.changes_at(self, instant, ...)``: a scheduled page's time, a sign-off's);
    #: for a ``cacheable = "day"`` rule the checker names the midnights itself. The
    #: whole verdict of a repeated check (govpub.verdicts) is reused only between two.
    clock: ClassVar[str | None] = None

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError

    def prepare(self, doc: Document, ctx: CheckContext) -> None:
        """Per-document work this rule will need, done early — in the worker process
        that loaded the document on large trees — and kept with ``doc.derive``."""

    def targets(self, doc: Document, ctx: CheckContext) -> Iterator[str]:
        """For ``needs_gate`` rules: the content paths ``doc`` is held back with."""
        return iter(())

    def edges(self, ctx: CheckContext) -> Iterator[tuple[str, str]]:
        """(page, target) pairs where the page is held back whenever the target is.
        The checker closes the blocked set over these edges in one graph walk
        instead of re-running the rule once per hop."""
        for doc in ctx.pages():
            for target in self.targets(doc, ctx):
                yield doc.path, target

    @classmethod
    def source_doc(cls) -> str:
        """The docstring as written (English): the message id of its translations."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc(cls) -> str:
        """The documentation in the current language (``govpub rules``, docs/rules.md)."""
        return _(cls.source_doc())

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]


class DocumentRule(Rule):
    """A rule that looks at one document at a time."""

    pages: ClassVar[bool] = True
    attachments: ClassVar[bool] = False
    #: only pages whose front matter loaded as a mapping
    needs_meta: ClassVar[bool] = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for doc in self.documents(ctx):
            yield from self.check_document(doc, ctx)

    def documents(self, ctx: CheckContext) -> list[Document]:
        """The documents this rule looks at; the same list for every rule that asks alike."""
        pages, attachments, needs_meta = self.pages, self.attachments, self.needs_meta

        def select() -> list[Document]:
            return [doc for doc in ctx.documents()
                    if (doc.is_page and pages and (not needs_meta or doc.has_meta))
                    or (not doc.is_page and attachments)]
        return ctx.memo(f"rule-documents:{pages}:{attachments}:{needs_meta}", select)

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError


class _Registry:
    def __init__(self) -> None:
        self._rules: dict[str, type[Rule]] = {}
        self._loaded = False

    def add(self, rule: type[Rule]) -> None:
        if rule.id in self._rules and self._rules[rule.id] is not rule:
            raise RuntimeError(f"rule id {rule.id} is used twice")
        self._rules[rule.id] = rule

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            for module in pkgutil.iter_modules(__path__):
                importlib.import_module(f"{__name__}.{module.name}")

    def all(self) -> list[type[Rule]]:
        self._load()
        return [self._rules[k] for k in sorted(self._rules)]

    def get(self, rule_id: str) -> type[Rule] | None:
        self._load()
        return self._rules.get(rule_id)


registry = _Registry()


def register(rule: type[Rule]) -> type[Rule]:
    registry.add(rule)
    return rule
