"""Assigning index numbers: the one writer of the registry (``govpub disclosure assign``)."""

from __future__ import annotations

from datetime import date, datetime

from ..config import Policy
from ..content import load_corpus
from ..errors import ConfigError
from ..i18n import _
from ..timeparse import DateFormatError, parse_datetime
from .registry import append_lines, disclosure_types, new_lines, read_registry


def candidates(policy: Policy, only: set[str] | None = None):
    """(content path, publication time) of every page that should have a number, oldest first."""
    corpus = load_corpus(policy.content_dir, max_page_bytes=policy.max_page_bytes,
                         max_attachment_bytes=policy.max_attachment_bytes)
    types = disclosure_types(policy.site)
    found = []
    for doc in corpus.pages():
        column = policy.column_for(doc.path)
        if not doc.has_meta or column is None or column.type not in types:
            continue
        if doc.meta.get("disclosure") != "proactive":
            continue
        if only is not None and doc.path not in only:
            continue
        try:
            published = parse_datetime(doc.meta.get("published"), policy.timezone)
        except DateFormatError:
            continue  # GP102 reports it; a number waits for a valid date
        found.append((doc.path, published.astimezone(policy.timezone)))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def agency_code(policy: Policy) -> str:
    code = (policy.site.get("disclosure") or {}).get("agency_code")
    if not code:
        raise ConfigError(_("no disclosure.agency_code: index numbers need the agency's code"),
                          path="site_config/site.yml",
                          hint=_("add a `disclosure:` block with `agency_code:` to site.yml "
                                 "(see docs/disclosure.md)"))
    return str(code)


def assign(policy: Policy, only: set[str] | None = None, *, today: date,
           dry_run: bool = False) -> list[tuple[str, str]]:
    """Give a number to every page that needs one (or to those in ``only``); return them."""
    agency = agency_code(policy)
    registry = read_registry(policy.root)
    if registry.problems:
        first = registry.problems[0]
        raise ConfigError(_("the registry must be repaired before numbers are added: {problem}")
                          .format(problem=first.message), path="disclosure/index-numbers.csv",
                          line=first.line)
    lines = new_lines(registry, agency, candidates(policy, only))
    if lines and not dry_run:
        append_lines(policy.root, lines, today)
    return lines


def assign_new_page(policy: Policy, content_path: str, now: datetime) -> str | None:
    """``govpub new``: the number of a new page of a disclosure type, appended at once.

    Only where the site keeps a registry (and it is sound) and has an agency code;
    the number's year is the year of ``now``, the skeleton's publication time.
    Returns the number, or None when the page gets none.
    """
    column = policy.column_for(content_path)
    agency = (policy.site.get("disclosure") or {}).get("agency_code")
    if column is None or column.type not in disclosure_types(policy.site) or not agency:
        return None
    registry = read_registry(policy.root)
    if not registry.exists or registry.problems:
        return None
    lines = new_lines(registry, str(agency), [(content_path, now.astimezone(policy.timezone))])
    if not lines:
        return None
    append_lines(policy.root, lines, now.astimezone(policy.timezone).date())
    return lines[0][0]
