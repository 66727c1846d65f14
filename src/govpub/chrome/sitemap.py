"""The HTML site map (网站地图), from the same model as ``sitemap.xml``.

``sitemap.xml`` lists every approved page and every generated page; this
page lists the same, grouped by column in navigation order: each column's
index, then its pages (the newest :data:`PAGES_PER_COLUMN` of a large dated
column, the rest being one click further on the column's paginated index),
then the generated pages outside any column (the catalog, the disclosure
section, open data, …). Every page of the site is linked from here or from a
page linked here, and the footer of every page links here.

It is a *late* generator: it receives the other generated pages.
"""

from __future__ import annotations

import json

from ..i18n import N_, translator
from ..sitemodel import SiteModel
from .identity import SITE_MAP_PAGE

PAGES_PER_COLUMN = 50
LANGUAGE = "zh-CN"
TITLE = N_("Site map")
HOME = N_("Home page")
OTHER = N_("Other pages")
COUNT = N_("{count} pages")
MORE = N_("All {count} pages of this column")


def generated_title(text: str) -> str:
    """The title of a generated page (its front matter's JSON-quoted ``title``)."""
    if text.startswith("---\n"):
        for line in text.split("\n---\n", 1)[0].splitlines()[1:]:
            if line.startswith("title: "):
                try:
                    return str(json.loads(line[len("title: "):]))
                except ValueError:
                    return line[len("title: "):]
    return ""


def _link(page, source: str) -> str:
    """A link to a page; an English title is marked as English for screen readers."""
    from ..build import mdtext
    from .language import page_language

    link = mdtext.link(page.title, page.path, source)
    if page_language(page.meta, page.path, LANGUAGE) == "en":
        link += '{: lang="en" }'
    return link


def _is_pager_page(path: str) -> bool:
    return "/page/" in path


def site_map_page(model: SiteModel, generated: dict[str, str]) -> dict[str, str]:
    """Late generator: the site map."""
    from ..build import mdtext
    from ..build.generated import column_pages, index_path, indexed_columns

    _ = translator(LANGUAGE)
    source = SITE_MAP_PAGE
    titles = {p.path: p.title for p in model.pages}
    titles_of_pages = set(titles)
    for path, text in generated.items():
        titles.setdefault(path, generated_title(text) or path)
    listed: set[str] = {SITE_MAP_PAGE}
    lines = [f"- {mdtext.link(_(HOME), 'index.md', source)}"]
    listed.add("index.md")
    # once: it walks every page, and the lists below ask for each page (quadratic otherwise)
    columns = indexed_columns(model)
    column_set = set(columns)
    for folder in columns:
        if folder == "":
            continue
        column = model.policy.columns[folder]
        first = index_path(folder, 1)
        pages = [p for p in column_pages(model, folder) if p.path != first]
        lines.append("")
        lines.append(f"## {mdtext.link(column.title, first, source)}")
        lines.append("")
        listed.add(first)
        own = sorted(path for path in generated if path.startswith(folder + "/")
                     and path != first and not _is_pager_page(path)
                     and path not in titles_of_pages)
        for path in own:
            lines.append(f"- {mdtext.link(titles[path], path, source)}")
            listed.add(path)
        for page in pages[:PAGES_PER_COLUMN]:
            lines.append(f"- {_link(page, source)}")
            listed.add(page.path)
        if len(pages) > PAGES_PER_COLUMN:
            lines.append(f"- {mdtext.link(_(MORE).format(count=len(pages)), first, source)}")
    others = sorted(path for path in generated
                    if path not in listed and not _is_pager_page(path)
                    and path.split("/", 1)[0] not in column_set)
    others += sorted(p.path for p in model.pages if p.path not in listed
                     and p.doc.column not in column_set)
    pages_by_path = {p.path: p for p in model.pages}
    if others:
        lines += ["", f"## {mdtext.text(_(OTHER))}", ""]
        lines += [f"- {_link(pages_by_path[path], source)}" if path in pages_by_path
                  else f"- {mdtext.link(titles.get(path, path), path, source)}"
                  for path in others]
    return {SITE_MAP_PAGE: mdtext.front_matter(_(TITLE), search={"exclude": True})
            + "\n".join(lines) + "\n"}
