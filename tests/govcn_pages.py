"""Saved shapes of the State Council's pages, built for the tests.

``list_page`` is the latest-policy list (www.gov.cn/zhengce/zuixin.htm):
links in ``h4`` headings inside ``div.news_box .list``, a date beside each,
navigation and an outside link around them. ``policy_page`` is one policy as
www.gov.cn serves it: ``firstpublishedtime`` (``YYYY-MM-DD-HH:mm:ss``,
Beijing time), ``manuscriptId`` and ``lanmu`` metadata, the title in
``div.share-title``, a table of facts (``table.bd1``: 发文机关, 发文字号…)
and the official text in ``#UCAP-CONTENT`` with paragraphs indented by
ideographic spaces, a numbered list, a table, an attachment and the
signature — then the page's own furniture (editor, share buttons, footer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Policy:
    number: int
    title: str
    published: str  # firstpublishedtime, e.g. "2026-11-20-08:30:00"
    column: str = "最新政策"
    issuer: str = "国务院"
    doc_number: str = ""
    paragraphs: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def path(self) -> str:
        return f"/zhengce/content/202611/content_{self.number}.htm"


def official_text(policy: Policy) -> str:
    """The body of ``#UCAP-CONTENT`` (HTML)."""
    paragraphs = policy.paragraphs or [
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        f"\u3000\u3000为贯彻落实党中央、国务院决策部署，现就{escape(policy.title[3:])}有关事项通知如下。",
        "\u3000\u3000一、总体要求",
        "\u3000\u3000到2027年底，政务服务事项网上可办率达到<strong>95%</strong>以上，"
        "平均办理时限压缩30%。",
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""{body}
<p>\u3000\u3000二、重点任务</p>
<ol><li>推进政务服务事项标准化。</li><li>推行“一网通办”。</li></ol>
<table border="1"><tbody>
<tr><td>任务</td><td>牵头单位</td><td>完成时限</td></tr>
<tr><td>事项清单公开</td><td>国务院办公厅</td><td>2027年6月</td></tr>
</tbody></table>
<p>\u3000\u3000附件：<a href="./P020261120{policy.number}.pdf">重点任务分工表</a></p>
<p style="text-align: right;">{escape(policy.issuer)}</p>
<p style="text-align: right;">2026年11月18日</p>
<p>\u3000\u3000（此件公开发布）</p>"""


def policy_page(policy: Policy) -> bytes:
    title = escape(policy.title)
    charset = policy.encoding
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="keywords" content="政务服务">
<meta name="manuscriptId" content="{policy.number}">
<meta name="firstpublishedtime" content="{policy.published}">
<meta name="lastmodifiedtime" content="{policy.published}">
<meta name="lanmu" content="{escape(policy.column)}">
<meta name="ArticleTitle" content="{title}">
<title>{title}_政策_中国政府网</title>
<script>var share = {{title: "{title}"}};</script>
</head><body>
<div class="header"><a href="/">首页</a> <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a href="/zhengce/">政策</a> &gt; 最新</div>
<div class="share-title">{title}</div>
<table class="bd1"><tbody>
<tr><td><b>索\u3000引\u3000号：</b></td><td>000014349/2026-{policy.number:05d}</td>
<td><b>主题分类：</b></td><td>综合政务\\其他</td></tr>
<tr><td><b>发文机关：</b></td><td>{escape(policy.issuer)}</td>
<td><b>成文日期：</b></td><td>2026年11月18日</td></tr>
<tr><td><b>标\u3000\u3000题：</b></td><td colspan="3">{title}</td></tr>
<tr><td><b>发文字号：</b></td><td>{escape(policy.doc_number)}</td>
<td><b>发布日期：</b></td><td>2026年11月20日</td></tr>
</tbody></table>
<div class="pages_content" id="UCAP-CONTENT">
{official_text(policy)}
</div>
<div class="editor">【我要纠错】 责任编辑：王某</div>
<div class="share">分享到：微信 微博</div>
<div class="footer">中华人民共和国中央人民政府 版权所有</div>
</body></html>"""
    return html.encode(charset)


def list_page(policies: list[Policy], *, extra: str = "") -> bytes:
    items = "\n".join(
        f'<li><h4><a href=".{p.path.removeprefix("/zhengce")}" target="_blank">'
        f'{escape(p.title)}</a><span class="date">{p.published[:10]}</span></h4></li>'
        for p in policies)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>最新_中国政府网</title></head>
<body>
<div class="header"><a href="/">首页</a> <a href="/zhengce/jiedu/">解读</a></div>
<div class="news_box"><div class="list list_1 list_2"><ul>
{items}
<li class="line"></li>
<li><h4><a href="https://www.example.com/zhengce/content_999.htm">外站链接</a></h4></li>
{extra}
</ul></div></div>
<div class="pagination"><a href="/zhengce/zuixin_1.htm">下一页</a></div>
</body></html>""".encode()


def live_reproduction(policy: Policy, *, text: str | None = None) -> bytes:
    """A reproduction page as the site serves it: header note, the text, site furniture."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(policy.title)}</title></head>
<body><nav>首页 转载</nav><article>
<h1 id="t">{escape(policy.title)}<a class="headerlink" href="#t">¶</a></h1>
<blockquote><p>本文转载自中华人民共和国中央人民政府，原文：{escape(policy.title)}。</p></blockquote>
{official_text(policy) if text is None else text}
</article><footer>主办单位：国家知识产权局</footer></body></html>""".encode()


def publish(site, url: str, page: bytes) -> None:
    """Put a page where a built site keeps the URL (``…/x/`` → ``x/index.html``)."""
    from urllib.parse import urlsplit

    path = urlsplit(url).path.strip("/")
    target = site / path / "index.html" if not path.endswith(".html") else site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page)
