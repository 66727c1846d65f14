"""The 政府信息公开 section: its index page and the disclosure catalog (目录).

Page generators for :data:`govpub.build.generated.GENERATORS`:

- ``disclosure/index.md`` — the section: the disclosure guide (指南, an
  authored page ``disclosure/guide.md``), the catalog, the annual reports'
  column and any other page of the ``disclosure`` column;
- ``disclosure/catalog.md`` (and ``disclosure/catalog/page/N.md``) — every
  proactively disclosed policy and notice, newest first, with its index
  number (索引号), subject (主题分类), issuing authority (发文机关), date of
  writing (成文日期), publication date (发布日期), document number (文号) and
  validity (有效性).

They read only the site model (approved pages) and the index-number registry.
"""

from __future__ import annotations

from ..chrome.labels import labels
from ..disclosure.indexbox import index_box_rows
from ..i18n import N_, translator
from ..sitemodel import SiteModel
from .registry import disclosure_types, read_registry

SECTION = "disclosure"
SECTION_INDEX = "disclosure/index.md"
GUIDE = "disclosure/guide.md"
CATALOG = "disclosure/catalog.md"
REPORTS_COLUMN = "reports"
#: the catalog's columns, in order (keys of govpub.disclosure.indexbox.index_box_rows)
CATALOG_COLUMNS = ("index_number", "title", "topic", "issuer", "written", "published_date",
                   "doc_number", "validity")
LANGUAGE = "zh-CN"

SECTION_TITLE = N_("Government information disclosure")
CATALOG_TITLE = N_("Catalog of government information disclosure")
CATALOG_INTRO = N_("Every document this site discloses proactively, newest first, with its "
                   "index number. {count} documents.")
CATALOG_PAGE_TITLE = N_("{title} (page {number})")
PREVIOUS = N_("Previous page")
NEXT = N_("Next page")
PAGE_OF = N_("Page {number} of {total}")
NO_DOCUMENTS = N_("No document has an index number yet.")


def catalog_path(number: int) -> str:
    return CATALOG if number == 1 else f"disclosure/catalog/page/{number}.md"


def disclosed_pages(model: SiteModel):
    """(page, index number) of every published page of a disclosure type with a number."""
    registry = read_registry(model.policy.root)
    types = disclosure_types(model.policy.site)
    pages = [p for p in model.pages if p.type in types and p.path in registry.number_of]
    pages.sort(key=lambda p: (-p.published.timestamp(), p.path))
    return [(p, registry.number_of[p.path]) for p in pages]


def _table(model: SiteModel, rows, source: str) -> list[str]:
    from ..build import mdtext

    t = labels(LANGUAGE)
    header = [t[key] for key in CATALOG_COLUMNS]
    lines = ["| " + " | ".join(mdtext.text(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    topic = (model.policy.site.get("disclosure") or {}).get("topic", "")
    for page, number in rows:
        values = {key: value for key, _label, value in index_box_rows(
            page.meta, number, labels=t, language=LANGUAGE, tz=model.policy.timezone,
            default_topic=topic)}
        cells = [mdtext.text(values["index_number"]),
                 mdtext.link(page.title, page.path, source)]
        cells += [mdtext.text(values[key]) for key in CATALOG_COLUMNS[2:]]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _pager(number: int, total: int, source: str) -> str:
    from ..build import mdtext

    if total <= 1:
        return ""
    _ = translator(LANGUAGE)
    parts = []
    if number > 1:
        parts.append(mdtext.link(_(PREVIOUS), catalog_path(number - 1), source))
    parts.append(mdtext.text(_(PAGE_OF).format(number=number, total=total)))
    if number < total:
        parts.append(mdtext.link(_(NEXT), catalog_path(number + 1), source))
    return "\n\n" + " · ".join(parts) + "\n"


def catalog_pages(model: SiteModel) -> dict[str, str]:
    """Generator: the disclosure catalog, paginated like the column indexes."""
    from ..build import mdtext
    from ..build.generated import page_size

    if not read_registry(model.policy.root).exists:
        return {}
    _ = translator(LANGUAGE)
    rows = disclosed_pages(model)
    size = page_size(model) * 5  # a catalog row is one line: five index pages' worth
    chunks = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    out = {}
    for number, chunk in enumerate(chunks, start=1):
        path = catalog_path(number)
        title = _(CATALOG_TITLE)
        if number > 1:
            title = _(CATALOG_PAGE_TITLE).format(title=title, number=number)
        body = [mdtext.text(_(CATALOG_INTRO).format(count=len(rows))), ""]
        body += _table(model, chunk, path) if chunk else [mdtext.text(_(NO_DOCUMENTS))]
        out[path] = (mdtext.front_matter(title, search={"exclude": True}) + "\n".join(body)
                     + "\n" + _pager(number, len(chunks), path))
    return out


def section_page(model: SiteModel) -> dict[str, str]:
    """Generator: the 政府信息公开 section page."""
    from ..build import mdtext
    from ..build.generated import index_path, indexed_columns

    has_catalog = read_registry(model.policy.root).exists
    published = {p.path: p for p in model.pages}
    column_pages = sorted((p for p in model.pages if p.doc.column == SECTION
                           and p.path not in (GUIDE, SECTION_INDEX)), key=lambda p: p.path)
    if not (has_catalog or GUIDE in published or column_pages):
        return {}
    _ = translator(LANGUAGE)
    lines = []
    if GUIDE in published:
        lines.append(f"- {mdtext.link(published[GUIDE].title, GUIDE, SECTION_INDEX)}")
    if has_catalog:
        lines.append(f"- {mdtext.link(_(CATALOG_TITLE), CATALOG, SECTION_INDEX)}")
    if REPORTS_COLUMN in indexed_columns(model):
        title = model.policy.columns[REPORTS_COLUMN].title
        lines.append(f"- {mdtext.link(title, index_path(REPORTS_COLUMN, 1), SECTION_INDEX)}")
    lines += [f"- {mdtext.link(p.title, p.path, SECTION_INDEX)}" for p in column_pages]
    return {SECTION_INDEX: mdtext.front_matter(_(SECTION_TITLE)) + "\n".join(lines) + "\n"}
