"""The public site's chrome: everything a page shows around its content.

A government website's pages carry more than their text (国办发〔2017〕47号):
the site's identity in every footer, page metadata, ``lang`` per page, a
skip link to the main heading, the care mode (larger text, high contrast),
and on policies and notices the index box. This package computes all of it
as plain data, the same for every renderer:

- :func:`chrome_settings` — once per build, from the site model: identity,
  columns, index numbers, language and time zone (JSON-able, so MkDocs can
  carry it in ``config.extra``);
- :mod:`.page` — per page, from its front matter and rendered HTML;
- :mod:`.labels` — the chrome's words in the page's language.

The MkDocs theme (``govpub/theme``) prints these values; the assets it
needs (care mode, table cues) are plain CSS and JavaScript files there.
"""

from __future__ import annotations

from ..disclosure.registry import disclosure_types, read_registry
from ..sitemodel import SiteModel
from .identity import footer_identity, require_identity
from .language import site_language


def site_modified(model: SiteModel) -> str:
    """The newest publication or update time of the site (for generated pages' PubDate)."""
    moments = [p.modified for p in model.pages]
    if not moments:
        return ""
    return max(moments).astimezone(model.policy.timezone).strftime("%Y-%m-%d %H:%M")


def index_numbers(model: SiteModel) -> dict[str, str]:
    """content path -> index number, for the published pages of the disclosure types."""
    registry = read_registry(model.policy.root)
    if not registry.exists:
        return {}
    types = disclosure_types(model.policy.site)
    return {p.path: registry.number_of[p.path] for p in model.pages
            if p.type in types and p.path in registry.number_of}


_last: list = []  # (model, settings): every render part asks for the same model


def chrome_settings(model: SiteModel) -> dict:
    """Everything the page chrome needs from the site, as plain data; raises a
    ConfigError when site.yml lacks an identity field. Computed once per model."""
    if _last and _last[0] is model:
        return _last[1]
    settings = _chrome_settings(model)
    _last[:] = [model, settings]
    return settings


#: pages the chrome links to when the site has them (the language switch, the 404 page)
OPTIONAL_LINKS = {"english": "en/index.md", "catalog": "catalog/index.md",
                  "disclosure": "disclosure/index.md"}


def chrome_links(model: SiteModel) -> dict[str, str]:
    """Site-relative URLs of the optional pages the chrome links to, where they exist."""
    from ..build.generated import generate_all
    from ..sitemodel import page_url

    present = set(generate_all(model)) | {p.path for p in model.pages}
    return {name: page_url(path) for name, path in OPTIONAL_LINKS.items() if path in present}


#: the column of English pages; English pages show it as their navigation
ENGLISH_COLUMN = "en"
#: English pages' tabs: the English home and at most this many English pages (the home
#: lists them all), so the bar stays one line however many pages are translated
ENGLISH_TABS = 8


def english_navigation(model: SiteModel) -> list[dict[str, str]]:
    """The navigation of English pages: the English home, then the English column's pages.

    MkDocs and Pelican know one navigation per site, made of the Chinese
    column titles; an English reader gets these tabs instead (both renderers).
    Empty when the site has no English home (``en/index.md``). Titles are raw
    front matter: the templates escape them.
    """
    from ..build.generated import column_pages

    home = chrome_links(model).get("english")
    if home is None:
        return []
    start = model.policy.columns.get("")  # its title_en, unless it has none (= its title)
    translated = start is not None and start.title_en and start.title_en != start.title
    nav = [{"title": start.title_en if translated else "Home", "url": home}]
    for page in column_pages(model, ENGLISH_COLUMN)[:ENGLISH_TABS]:
        nav.append({"title": " ".join(page.title.split()) or page.url, "url": page.url})
    return nav


def _chrome_settings(model: SiteModel) -> dict:
    policy = model.policy
    require_identity(policy)
    published = {p.path for p in model.pages} | {a.path for a in model.attachments}
    identity, warnings = footer_identity(policy.site, published)
    columns = {folder: {"title": c.title, "title_en": c.title_en, "type": c.type,
                        "kind": c.kind}
               for folder, c in policy.columns.items()}
    site = policy.site
    return {
        "site": {"domain": site.get("domain", ""), "site_code": site.get("site_code", "")},
        "identity": identity,
        "warnings": warnings,
        "columns": columns,
        "index": index_numbers(model),
        "links": chrome_links(model),
        "english_nav": english_navigation(model),
        "topic": (site.get("disclosure") or {}).get("topic", ""),
        "language": site_language(site),
        "timezone": site["timezone"],
        "site_modified": site_modified(model),
    }
