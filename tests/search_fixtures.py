"""Reading a built site's search index in tests: its records, its words, its languages.

The index is govpub's own (``search-index/``, govpub.search.own): ``index.json``
names the languages; each ``<lang>/p/<n>.gpf`` is one indexed page (gzip JSON:
``u`` address, ``t`` title, ``x`` text), each ``<lang>/t/<n>.gpi`` a term file
(gzip, govpub.search.own.codec).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

INDEX_DIR = "search-index"


def unpack(data: bytes) -> bytes:
    """An index file's bytes, gunzipped."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def index_info(site: Path) -> dict:
    return json.loads((site / INDEX_DIR / "index.json").read_text("utf-8"))


def records(site: Path) -> list[dict]:
    """Every indexed page: {url, content, meta: {title}, language}, sorted by URL."""
    out = []
    for language in index_info(site)["languages"]:
        for fragment in sorted((site / INDEX_DIR / language / "p").glob("*.gpf")):
            data = json.loads(unpack(fragment.read_bytes()))
            out.append({"url": data["u"], "content": data["x"], "meta": {"title": data["t"]},
                        "language": language, "number": int(fragment.stem)})
    return sorted(out, key=lambda r: r["url"])


def indexed_urls(site: Path) -> set[str]:
    return {r["url"] for r in records(site)}


def languages(site: Path) -> dict:
    """The languages of the index: language → its page count and sizes."""
    return index_info(site)["languages"]


def bundle_contains(site: Path, token: str) -> list[str]:
    """Files of the index whose unpacked bytes contain ``token`` (any case: words are lowercased)."""
    needles = {token.encode("utf-8"), token.lower().encode("utf-8")}
    hits = []
    for path in sorted((site / INDEX_DIR).rglob("*")):
        if path.is_file():
            data = unpack(path.read_bytes())
            if any(needle in data for needle in needles) or token.lower() in path.name.lower():
                hits.append(path.relative_to(site).as_posix())
    return hits


def bundle_files(site: Path) -> dict[str, bytes]:
    bundle = site / INDEX_DIR
    return {p.relative_to(bundle).as_posix(): p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}


# --- a small site for the search tests -------------------------------------------------

LEAK = "ZQXSEARCH5521"  # in a page that is never signed off: quarantined
LATER = "ZQXLATER8830"  # in a page scheduled after the build: held back
HOSTILE_TITLE = '<img src=x onerror="window.gpXss=1">商标注册提示'

#: words some pages carry in their title and others only mention, often, in their text
TITLE_WORDS = ("专利", "年费", "复审")
#: a word of more pages than the search page shows at first (five): MORE_PAGES of them
MANY_WORD = "窗口"
MORE_PAGES = 7

_MENTIONS = ("本次调整涉及年费、复审请求费和申请费。年费按年度缴纳，逾期缴纳年费的，应当补缴滞纳金。"
             "对驳回决定不服的，可以在三个月内请求复审；复审请求书应当写明理由。"
             "办理上述业务，可以通过业务办理系统在线提交，也可以到受理大厅现场办理。\n\n")


def search_site_files() -> dict[str, str | bytes]:
    """Pages whose titles and texts are chosen for the search tests (see TITLE_WORDS)."""
    from factory import guide, notice, service_item

    mention = (_MENTIONS * 3).replace("申请费", "专利申请费")
    windows = {f"notices/2026-10-{day:02d}-window.md": notice(
        title=f"受理{MANY_WORD}调整（{day}）", published=f"'2026-10-{day:02d}T09:00:00+08:00'",
        body=f"第{day}号{MANY_WORD}暂停办理。") for day in range(1, MORE_PAGES + 1)}
    return {
        **windows,
        "notices/2026-11-01-annual-fee.md": notice(
            title="专利年费缴纳须知", published="'2026-11-01T09:00:00+08:00'",
            body="请按时缴纳，缴费凭证请妥善保存。"),
        "notices/2026-11-02-hall.md": notice(
            title="服务大厅开放时间调整", published="'2026-11-02T09:00:00+08:00'", body=mention),
        "notices/2026-11-03-system.md": notice(
            title="业务系统升级公告", published="'2026-11-03T09:00:00+08:00'",
            body="升级期间暂停办理业务。\n\n" + mention),
        "notices/2026-11-04-mark.md": notice(
            title=json.dumps(HOSTILE_TITLE, ensure_ascii=False),
            published="'2026-11-04T09:00:00+08:00'", body="商标注册申请须知。"),
        "catalog/113500100001.md": service_item(),
        "guides/reexamination.md": guide(title="复审请求办事指南", body="## 办理流程\n\n提交请求书。"),
        "en/annual-fees.md": "\n".join([
            "---", "title: Paying annual fees", "source: Patent Office",
            "published: 2026-11-05T09:00:00+08:00", "disclosure: proactive", "lang: en", "---", "",
            "Annual fees keep a patent in force. Pay them online or at the service hall.", ""]),
        f"notices/2026-11-06-{LEAK.lower()}.md": notice(
            title=f"年费 {LEAK}", published="'2026-11-06T09:00:00+08:00'",
            body=f"年费 {LEAK} 内部材料。"),
        "notices/2027-03-01-later.md": notice(
            title=f"年费调整 {LATER}", published="'2027-03-01T09:00:00+08:00'",
            body=f"年费 {LATER} 将于明年调整。"),
    }


def signed_paths(files) -> list[str]:
    return [path for path in files if LEAK.lower() not in path]


def search_site(tmp_path_factory, name: str, *options: str) -> Path:
    """A repository of :func:`search_site_files` (all signed off but the LEAK page),
    built with ``govpub build *options`` into its ``site/``; the repository's root."""
    from build_fixtures import build, make_site

    files = search_site_files()
    root = make_site(tmp_path_factory.mktemp(name), files, sign=signed_paths(files))
    assert build(root, *options) == 0
    return root
