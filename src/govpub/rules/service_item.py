"""GP401–GP405: service items are coded, complete and internally consistent.

The work plan (task items i and iii) asks for standardized, coded service
items whose time limits, fees and degree of online handling are published
consistently. The type schema checks each field's shape; these rules check
what relates fields to each other or to other items.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator

from ..i18n import _
from . import DocumentRule, Rule, register

SERVICE_ITEM = "service-item"


def service_items(ctx, *, all_of_them: bool = False) -> list:
    """The service items (all of them, or those in scope), listed once per check for the
    rules that ask in turn (a scan of every page each)."""
    def listed():
        pages = ctx.corpus.pages() if all_of_them else ctx.pages()
        return [d for d in pages if d.has_meta and ctx.type_of(d) == SERVICE_ITEM]
    return ctx.memo(f"service-items:{'all' if all_of_them else 'scope'}", listed)


def code_pattern(ctx) -> re.Pattern:
    """The schema's pattern for codes, through its ``$ref`` (as ``govpub new`` reads it)."""
    from ..scaffold.naming import item_code_pattern

    return ctx.memo("item-code-pattern", lambda: item_code_pattern(ctx.policy))


class ItemRule(DocumentRule):
    local = True
    cacheable = True

    def check(self, ctx) -> Iterator:
        for doc in service_items(ctx):
            yield from self.check_document(doc, ctx)


@register
class ItemCode(Rule):
    """A service item's code is missing, malformed, reused, or not its file name.

    What it checks: `code` matches the pattern in the service-item schema
    (default 12 digits), is unique across the catalog, and the file is
    `catalog/<code>.md`, so the item's URL `/catalog/<code>/` is stable.
    Why: the basic code identifies the item across the national platform; a
    URL derived from a title breaks when the title is reworded.
    Example: two items with `code: 100000000001`; `catalog/fee.md` with code
    100000000005.
    Fix: give each item its own code and name the file after it.
    """

    id = "GP401"
    name = "item-code"
    locked = True

    def check(self, ctx) -> Iterator:
        pattern = code_pattern(ctx)
        by_code = defaultdict(list)
        for doc in service_items(ctx, all_of_them=True):  # uniqueness is across the catalog
            code = doc.meta.get("code")
            if code is None:
                continue  # GP101 reports the missing field
            code = str(code)
            if not pattern.match(code):
                yield ctx.finding(self, doc, doc.line_of("code"),
                                  _("code {code!r} does not match {pattern} — quote it if it "
                                    "starts with 0 (code: \"0123…\")").format(
                                      code=code, pattern=pattern.pattern))
                continue
            by_code[code].append(doc)
            expected = posixpath.join(posixpath.dirname(doc.path), code + ".md")
            if doc.path != expected:
                yield ctx.finding(self, doc, doc.line_of("code"),
                                  _("file should be named content/{expected} after its code, "
                                    "so its address is /catalog/{code}/ — rename it").format(
                                      expected=expected, code=code))
        for code, docs in by_code.items():
            if len(docs) > 1:
                for doc in docs:
                    others = ", ".join("content/" + d.path for d in docs if d is not doc)
                    yield ctx.finding(self, doc, doc.line_of("code"),
                                      _("code {code} is also used by {others} — codes are "
                                        "unique").format(code=code, others=others))


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@register
class TimeLimit(ItemRule):
    """The promised time limit is longer than the statutory one.

    What it checks: `time_limit.promised_days ≤ time_limit.statutory_days`.
    Why: a promise beyond the legal limit is a promise to break the law.
    Example: `statutory_days: 20`, `promised_days: 30`.
    Fix: correct the numbers from the legal basis.
    """

    id = "GP402"
    name = "time-limit"

    def check_document(self, doc, ctx) -> Iterator:
        limit = doc.meta.get("time_limit")
        if not isinstance(limit, dict):
            return
        statutory, promised = _number(limit.get("statutory_days")), _number(
            limit.get("promised_days"))
        if statutory is not None and promised is not None and promised > statutory:
            yield ctx.finding(self, doc, doc.line_of("time_limit", "promised_days"),
                              _("promised_days ({promised}) exceeds statutory_days "
                                "({statutory})").format(promised=promised, statutory=statutory))


@register
class FullyOnlineVisits(ItemRule):
    """A fully online item (depth IV) still requires on-site visits.

    What it checks: `online_depth: 4` implies `visits: 0`.
    Why: depth IV means the whole service is handled online; publishing
    otherwise misstates the degree of online handling.
    Fix: set `visits: 0`, or lower `online_depth`.
    """

    id = "GP403"
    name = "fully-online-visits"

    def check_document(self, doc, ctx) -> Iterator:
        if doc.meta.get("online_depth") == 4 and doc.meta.get("visits") not in (0, None):
            yield ctx.finding(self, doc, doc.line_of("visits"),
                              _("online_depth 4 (fully online) needs visits: 0, got "
                                "{visits!r}").format(visits=doc.meta.get("visits")))


@register
class OnlineUrl(ItemRule):
    """An item handled online (depth III or IV) has no `online_url`.

    What it checks: `online_depth` ≥ 3 requires `online_url`.
    Why: the public must be able to reach the online service from the guide.
    Fix: add `online_url: https://…` with the address of the online service.
    """

    id = "GP404"
    name = "online-url"

    def check_document(self, doc, ctx) -> Iterator:
        depth = _number(doc.meta.get("online_depth"))
        if depth is not None and depth >= 3 and not doc.meta.get("online_url"):
            yield ctx.finding(self, doc, doc.line_of("online_depth"),
                              _("online_depth {depth} needs online_url — add the address of "
                                "the online service").format(depth=depth))


@register
class FeeBasis(ItemRule):
    """A fee is charged without its legal basis.

    What it checks: an item with `fees` (and not `free: true`) has `fee_basis`;
    an item says either `fees` or `free: true`.
    Why: every fee charged by a government service must cite its basis.
    Fix: add `fee_basis:` naming the document that sets the fee, or set
    `free: true` and remove `fees`.
    """

    id = "GP405"
    name = "fee-basis"

    def check_document(self, doc, ctx) -> Iterator:
        meta = doc.meta
        fees, free = meta.get("fees"), meta.get("free") is True
        if fees and free:
            yield ctx.finding(self, doc, doc.line_of("free"),
                              _("item lists fees and says free: true — keep one"))
        elif fees and not meta.get("fee_basis"):
            yield ctx.finding(self, doc, doc.line_of("fees"),
                              _("fees need fee_basis — name the document that sets the fee"))
        elif not fees and not free:
            yield ctx.finding(self, doc, doc.body_line - 1,
                              _("say whether the item is free (free: true) or list its fees "
                                "with fee_basis"))
