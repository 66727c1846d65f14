"""The handout of one service item as a self-contained HTML document (pure).

Built from the same approved source as the item page: the page's own
Markdown body followed by the guide sections the build renders from its
front matter (``govpub.build.serviceitem.guide_markdown``), so the paper
handout says what the site says. Raw HTML in the body is shown as text
(never executed), the document loads nothing from outside (a
Content-Security-Policy forbids it), and it carries the check block — item
code, page URL, publication and update times, source digest — so a printed
copy can be compared with the site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape

import markdown

from ..opendata.records import item_code
from ..opendata.values import iso
from ..sitemodel import Page, SiteModel

#: bump when the layout changes, so cached PDFs are rendered again
LAYOUT_VERSION = "1"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
@page { size: A4; margin: 16mm 15mm 18mm; }
html { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
       "Microsoft YaHei", sans-serif; font-size: 10.5pt; line-height: 1.55; color: #000; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1px solid #444; }
h3 { font-size: 11.5pt; margin: 10pt 0 3pt; }
h1, h2, h3 { break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
th, td { border: 1px solid #666; padding: 2pt 4pt; text-align: left; vertical-align: top; }
tr, li { break-inside: avoid; }
a { color: #000; text-decoration: none; }
code, pre { white-space: pre-wrap; word-break: break-all; }
hr { border: 0; border-top: 1px solid #999; }
.site { font-size: 9pt; color: #333; margin-bottom: 4pt; }
.check { border: 1px solid #000; padding: 4pt 6pt; margin: 6pt 0 10pt; font-size: 9pt; }
.check dl { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 8pt; margin: 0; }
.check dt { font-weight: bold; }
.check dd { margin: 0; word-break: break-all; }
.note { font-size: 8.5pt; color: #333; margin-top: 14pt; }
"""


def _markdown_to_html(text: str) -> str:
    md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", "def_list"])
    # raw HTML in content is shown as text: a handout never runs page-supplied markup
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text)


def _guide_markdown(page: Page, model: SiteModel) -> str:
    from ..build.serviceitem import guide_markdown
    from ..opendata.pages import print_meta_html
    from . import handout_link_html

    # the site's own print block and handout link make no sense inside the handout
    text = guide_markdown(page, model)
    return text.replace(print_meta_html(page, model), "").replace(handout_link_html(page), "")


def check_rows(page: Page, model: SiteModel) -> list[tuple[str, str]]:
    tz = model.policy.timezone
    rows = [("事项编码 Item code", item_code(page)),
            ("网址 URL", model.absolute(page.url)),
            ("发布时间 Published", iso(page.published, tz))]
    if page.updated is not None:
        rows.append(("更新时间 Updated", iso(page.updated, tz)))
    if page.meta.get("source"):
        rows.append(("来源 Source", str(page.meta["source"])))
    rows.append(("版本 Version", page.doc.digest))
    return rows


@dataclass(frozen=True)
class HandoutSource:
    """Everything a handout is made of, before any Markdown is converted."""

    site_name: str
    title: str
    body_markdown: str
    guide_markdown: str
    check: tuple[tuple[str, str], ...]

    def key(self) -> str:
        """SHA-256 of every input of :func:`render_handout`, the converter and the layout.

        Equal keys give equal HTML, so the PDF cache is looked up by this
        key without converting any Markdown (converting every item's Markdown
        just to hash the result cost more than the rest of the build's
        post-build steps together).
        """
        digest = hashlib.sha256()
        for part in (LAYOUT_VERSION, markdown.__version__, STYLE, CSP, _TEMPLATE, self.site_name,
                     self.title, self.body_markdown, self.guide_markdown,
                     *(field for row in self.check for field in row)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()


def handout_source(page: Page, model: SiteModel) -> HandoutSource:
    return HandoutSource(str(model.policy.site.get("name", "")), page.title, page.doc.body,
                         _guide_markdown(page, model), tuple(check_rows(page, model)))


_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title><style>{style}</style></head>
<body>
<div class="site">{site} · 办事指南 Service handout</div>
<h1>{title}</h1>
<div class="check"><dl>{check}</dl></div>
<main>{body}{guide}</main>
<p class="note">本材料由网站已审核发布的内容自动生成，以网站公布内容为准。请以上方网址核对最新版本。
Generated from the reviewed page on the website; check the URL above for the current version.</p>
</body></html>
"""


def render_handout(source: HandoutSource) -> str:
    """The complete HTML of the handout; the same source always gives the same text."""
    check = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in source.check)
    return _TEMPLATE.format(csp=CSP, title=escape(source.title), style=STYLE,
                            site=escape(source.site_name), check=check,
                            body=_markdown_to_html(source.body_markdown),
                            guide=_markdown_to_html(source.guide_markdown))


def handout_html(page: Page, model: SiteModel) -> str:
    """The complete HTML of one item's handout."""
    return render_handout(handout_source(page, model))
