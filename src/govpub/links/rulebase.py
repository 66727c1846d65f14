"""Shared by the GP6xx rules: every external link of every page, with its approval."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content import Document
from ..i18n import _
from .approval import Approval, ExternalUrl, LinksConfig, load_links_config, parse_external
from .pages import PageLink, page_links


@dataclass(frozen=True, slots=True)
class ExternalLink:
    doc: Document
    link: PageLink
    target: ExternalUrl
    approval: Approval | None


def own_host(policy) -> str | None:
    try:
        return (urlsplit(policy.base_url).hostname or "").lower() or None
    except ValueError:
        return None


def links_config(policy) -> LinksConfig:
    return load_links_config(policy.trusted_config_root, policy.timezone)


def external_links(ctx) -> list[ExternalLink]:
    """Every external link of every page with its approval, computed once per check."""
    def collect():
        config = links_config(ctx.policy)
        host = own_host(ctx.policy)
        found = []
        for doc in ctx.pages():
            for link in page_links(doc):
                target = parse_external(link.url, host)
                if target is not None:
                    found.append(ExternalLink(doc, link, target,
                                              config.approval_for(target.host, target.path)))
        return found
    return ctx.memo("external-links", collect)


def request_hint(target: ExternalUrl) -> str:
    return _("ask the General Office to approve {site} in site_config/links.yml (site, "
             "approved_by, approved_at, review_interval_days), or remove the link").format(
                 site=target.host or _("the site"))
