"""GP406–GP407: references between pages by code or path resolve to published pages."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import _
from . import DocumentRule, register
from .service_item import service_items


@register
class GuideItems(DocumentRule):
    """A guide names a service item that is not in the published catalog.

    What it checks: each code in a guide's `items` is the code of a service
    item that will be published.
    Why: a guide must explain a real, current item; a guide pointing at a
    withdrawn or quarantined item would republish what was held back.
    Example: `items: ["100000000099"]` with no such item.
    Fix: correct the code, or fix the item's own findings.
    """

    id = "GP406"
    name = "guide-items"
    needs_gate = True
    locked = True

    @staticmethod
    def _guides(ctx):
        return [d for d in ctx.pages() if d.has_meta and ctx.type_of(d) == "guide"
                and isinstance(d.meta.get("items"), list)]

    @staticmethod
    def _codes(ctx) -> dict:
        def collect():
            return {str(item.meta["code"]): item for item in service_items(ctx, all_of_them=True)
                    if "code" in item.meta}
        return ctx.memo("item-codes", collect)

    def targets(self, doc, ctx) -> Iterator:
        items = doc.meta.get("items") if doc.has_meta and ctx.type_of(doc) == "guide" else None
        if isinstance(items, list):
            codes = self._codes(ctx)
            for code in items:
                if str(code) in codes:
                    yield codes[str(code)].path

    def check(self, ctx) -> Iterator:
        for doc in self._guides(ctx):
            yield from self.check_document(doc, ctx)

    def check_document(self, doc, ctx) -> Iterator:
        codes = self._codes(ctx)
        for index, code in enumerate(doc.meta["items"]):
            item = codes.get(str(code))
            line = doc.line_of("items", index)
            if item is None:
                yield ctx.finding(self, doc, line,
                                  _("no service item has code {code}").format(code=code))
            elif item.path in ctx.blocked:
                yield ctx.finding(self, doc, line,
                                  _("service item {code} (content/{path}) is not published — "
                                    "this guide is held back until it is").format(
                                      code=code, path=item.path))


@register
class Interprets(DocumentRule):
    """A policy interpretation does not point at a published policy.

    What it checks: `interprets` of a policy page names a policy page under
    `content/` that will be published.
    Why: an interpretation without its policy misleads; the work plan asks
    that policies and their interpretations be published together.
    Example: `interprets: policies/missing.md`.
    Fix: give the content path of the policy, e.g.
    `interprets: policies/2026-work-plan.md`.
    """

    id = "GP407"
    name = "interprets"
    needs_gate = True
    locked = True

    def targets(self, doc, ctx) -> Iterator:
        target = doc.meta.get("interprets") if doc.has_meta else None
        if isinstance(target, str) and target.removeprefix("content/") in ctx.corpus.documents:
            yield target.removeprefix("content/")

    def check_document(self, doc, ctx) -> Iterator:
        target = doc.meta.get("interprets")
        if not isinstance(target, str) or not target:
            return
        target = target.removeprefix("content/")
        line = doc.line_of("interprets")
        policy = ctx.corpus.get(target)
        if policy is None or not policy.is_page:
            yield ctx.finding(self, doc, line, _("interprets content/{target}, which does not "
                                                 "exist — give the content path of the policy "
                                                 "page").format(target=target))
        elif ctx.type_of(policy) != "policy":
            yield ctx.finding(self, doc, line, _("content/{target} is not a policy page").format(
                target=target))
        elif target in ctx.blocked:
            yield ctx.finding(self, doc, line, _("content/{target} is not published — this "
                                                 "interpretation is held back until it "
                                                 "is").format(target=target))
