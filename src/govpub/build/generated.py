"""Pages the build writes itself: column indexes and the home page.

Extension point: :data:`GENERATORS` is a list of functions
``(model: SiteModel) -> dict[str, str]`` mapping a staging-relative path
(``notices/index.md``) to Markdown text with front matter. Other parts of
govpub append their own generator (e.g. the open-data catalog page)::

    from govpub.build.generated import GENERATORS
    GENERATORS.append(my_generator)

A generator reads only the :class:`~govpub.sitemodel.SiteModel`, which holds
nothing but approved pages, so a generated page cannot mention a quarantined
one. Every front-matter value must go through :mod:`govpub.build.mdtext`.

When a generated path is also a real page (an authored ``notices/index.md``),
the generated body is appended below the authored text.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from ..chrome.sitemap import site_map_page
from ..comments.page import comments_page
from ..disclosure.pages import catalog_pages as disclosure_catalog
from ..disclosure.pages import section_page as disclosure_section
from ..i18n import N_, translator
from ..opendata.pages import catalog_page, open_data_page
from ..platforms import platforms_page
from ..search.pages import search_pages
from ..sitemodel import Page, SiteModel
from . import mdtext

Generator = Callable[[SiteModel], dict[str, str]]

DEFAULT_PAGE_SIZE = 20
HOME_NOTICES = 10

#: generated pages are in the site's first language (Chinese for the demo)
PAGE_LANGUAGE = "zh-CN"
CONTACT_LABELS = {
    "hotline": N_("Service hotline"),
    "supervision_phone": N_("Supervision telephone"),
    "enquiry_phone": N_("Enquiries"),
    "phone": N_("Telephone"),
    "address": N_("Address"),
    "postcode": N_("Postcode"),
    "email": N_("E-mail"),
}
LATEST_NOTICES = N_("Latest notices")
SERVICE_CATALOG = N_("Service catalog")
INTERACTION = N_("Interaction and supervision")
COLUMNS = N_("Columns")
OTHER_CATEGORY = N_("Other")
PREVIOUS_PAGE = N_("Previous page")
NEXT_PAGE = N_("Next page")
PAGE_OF = N_("Page {number} of {total}")
PAGE_TITLE = N_("{title} (page {number})")


def page_size(model: SiteModel) -> int:
    return int(model.policy.site.get("page_size") or DEFAULT_PAGE_SIZE)


def local_date(model: SiteModel, page: Page) -> str:
    return page.published.astimezone(model.policy.timezone).strftime("%Y-%m-%d")


_columns_of: list = []  # (model, {column folder: its pages in model order}), once per model


def _pages_by_column(model: SiteModel) -> dict[str, list[Page]]:
    """Each column's pages in the model's order, from one pass over the pages (the
    listings ask for a column's pages dozens of times; each scan of 10,000 pages counts)."""
    if not (_columns_of and _columns_of[0] is model):
        grouped: dict[str, list[Page]] = {}
        for page in model.pages:
            grouped.setdefault(page.doc.column, []).append(page)
        _columns_of[:] = [model, grouped]
    return _columns_of[1]


def column_pages(model: SiteModel, folder: str) -> list[Page]:
    """A column's pages in index order: newest first when dated, else by path."""
    pages = _pages_by_column(model).get(folder, [])
    column = model.policy.columns.get(folder)
    if column is not None and column.dated:  # the order of SiteModel.by_column
        return sorted(pages, key=lambda p: (-p.published.timestamp(), p.path))
    return sorted(pages, key=lambda p: p.path)


def index_path(folder: str, number: int) -> str:
    """Staging path of page ``number`` (1-based) of a column's index."""
    return f"{folder}/index.md" if number == 1 else f"{folder}/page/{number}.md"


def indexed_columns(model: SiteModel) -> list[str]:
    """Column folders that get an index page: those with at least one approved page."""
    used = _pages_by_column(model)
    columns = model.policy.columns
    return sorted((f for f in used if f and f in columns),
                  key=lambda f: (getattr(columns[f], "order", 0) or 0, f))


#: (model, its time zone, entries made for it, entries made for the model before): serve
#: lists the same 10,000 pages again after each edit
_entries: list = [None, None, {}, {}]


def _entry(model: SiteModel, page: Page, source: str) -> str:
    """One line of a listing; made again only when what it shows changed."""
    if _entries[0] is not model:
        zone = model.policy.timezone
        _entries[:] = [model, zone, {}, _entries[2] if _entries[1] == zone else {}]
    code = page.meta.get("code") if page.type == "service-item" else None
    if not (code is None or type(code) in (str, int)):  # True == 1, but shows as "True"
        return _make_entry(model, page, source)
    key = (source, page.path, page.title, page.published, code)
    made, earlier = _entries[2], _entries[3]
    if key not in made:
        made[key] = earlier[key] if key in earlier else _make_entry(model, page, source)
    return made[key]


def _make_entry(model: SiteModel, page: Page, source: str) -> str:
    extra = ""
    if page.type == "service-item" and page.meta.get("code"):
        extra = f" · {mdtext.text(page.meta['code'])}"
    return f"- {mdtext.link(page.title, page.path, source)} · {local_date(model, page)}{extra}"


def _pager(folder: str, number: int, total: int, source: str) -> str:
    if total <= 1:
        return ""
    _ = translator(PAGE_LANGUAGE)
    parts = []
    if number > 1:
        parts.append(mdtext.link(_(PREVIOUS_PAGE), index_path(folder, number - 1), source))
    parts.append(mdtext.text(_(PAGE_OF).format(number=number, total=total)))
    if number < total:
        parts.append(mdtext.link(_(NEXT_PAGE), index_path(folder, number + 1), source))
    return "\n\n" + " · ".join(parts) + "\n"


def column_indexes(model: SiteModel) -> dict[str, str]:
    """One paginated index per column that has approved pages."""
    out: dict[str, str] = {}
    size = page_size(model)
    for folder in indexed_columns(model):
        if folder in OWN_INDEXES:  # issue 7: another generator writes this column's index
            continue
        column = model.policy.columns[folder]
        pages = column_pages(model, folder)
        chunks = [pages[i:i + size] for i in range(0, len(pages), size)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            path = index_path(folder, number)
            title = column.title if number == 1 else translator(PAGE_LANGUAGE)(
                PAGE_TITLE).format(title=column.title, number=number)
            lines = [_entry(model, p, path) for p in chunk]
            # A listing only repeats titles the pages themselves carry: keep it out of the
            # search index (no duplicate hits, less Chinese segmentation at build time).
            out[path] = (mdtext.front_matter(title, search={"exclude": True})
                         + "\n".join(lines) + "\n"
                         + _pager(folder, number, len(chunks), path))
    return out


def _catalog_by_category(model: SiteModel, source: str) -> list[str]:
    items = sorted(model.of_type("service-item"),
                   key=lambda p: (str(p.meta.get("category", "")), p.path))
    lines: list[str] = []
    other = translator(PAGE_LANGUAGE)(OTHER_CATEGORY)
    for category, group in groupby(items, key=lambda p: str(p.meta.get("category", ""))):
        lines.append(f"\n### {mdtext.text(category or other)}\n")
        for page in group:
            code = mdtext.text(page.meta.get("code", ""))
            lines.append(f"- {mdtext.link(page.title, page.path, source)} · {code}")
    return lines


def home_page(model: SiteModel) -> dict[str, str]:
    """The home page: latest notices, the catalog by category, interaction channels."""
    site = model.policy.site
    _ = translator(PAGE_LANGUAGE)
    source = "index.md"
    lines = [mdtext.front_matter(site.get("name", "Home"), hide=["navigation"])]
    notices = model.of_type("notice")[:HOME_NOTICES]
    if notices:
        lines.append(f"## {mdtext.text(_(LATEST_NOTICES))}\n")
        lines.extend(_entry(model, p, source) for p in notices)
        lines.append("")
    if model.of_type("service-item"):
        lines.append(f"## {mdtext.text(_(SERVICE_CATALOG))}")
        lines.extend(_catalog_by_category(model, source))
        lines.append("")
    lines.append(f"## {mdtext.text(_(INTERACTION))}\n")
    for folder in ("comments", "about", "faq"):
        column = model.policy.columns.get(folder)
        if column is not None and folder in indexed_columns(model):
            lines.append(f"- {mdtext.link(column.title, index_path(folder, 1), source)}")
    for key, value in (site.get("contact") or {}).items():
        if key.endswith("_en"):  # the English pages' footer shows these
            continue
        label = _(CONTACT_LABELS[key]) if key in CONTACT_LABELS else key
        lines.append(f"- {mdtext.text(label)}：{mdtext.text(value)}")
    columns = indexed_columns(model)
    if columns:
        lines.append(f"\n## {mdtext.text(_(COLUMNS))}\n")
        for folder in columns:
            column = model.policy.columns[folder]
            lines.append(f"- {mdtext.link(column.title, index_path(folder, 1), source)}")
    return {source: "\n".join(lines) + "\n"}


#: The page generators, run in order; later entries may not overwrite earlier paths.
GENERATORS: list[Generator] = [home_page, column_indexes]
GENERATORS += [comments_page, platforms_page]  # issue 8: comment handling, platforms registry
GENERATORS += [catalog_page, open_data_page]  # issue 7: the service catalog, the open-data page
GENERATORS += [disclosure_section, disclosure_catalog]  # issue 14: 政府信息公开
GENERATORS += [search_pages]  # issue 17: the search page of each page language
#: columns whose index page another generator writes (issue 7: catalog/index.md;
#: issue 14: disclosure/index.md)
OWN_INDEXES: set[str] = {"catalog", "disclosure"}
#: generators that run after all others and receive their pages (the site map lists them)
LATE_GENERATORS: list[Callable[[SiteModel, dict[str, str]], dict[str, str]]] = [site_map_page]


_last: list = []  # (model, pages): staging and the sitemap ask for the same model


def generate_all(model: SiteModel) -> dict[str, str]:
    """Every generated page (computed once per model)."""
    if _last and _last[0] is model:
        return dict(_last[1])
    pages: dict[str, str] = {}

    def add(made: dict[str, str]) -> None:
        for path, text in made.items():
            if path in pages:
                raise ValueError(f"two page generators both write {path}")
            pages[path] = text

    for generator in GENERATORS:
        add(generator(model))
    for late in LATE_GENERATORS:
        add(late(model, dict(pages)))
    _last[:] = [model, pages]
    return dict(pages)


def generated_urls(model: SiteModel) -> list[str]:
    """Site-relative URLs of the generated pages (for the sitemap)."""
    from ..sitemodel import page_url

    return [page_url(path) for path in generate_all(model)]


def body_of(generated: str) -> str:
    """A generated page without its front matter (to append to an authored page)."""
    if generated.startswith("---\n"):
        end = generated.find("\n---\n", 4)
        if end != -1:
            return generated[end + 5:]
    return generated
