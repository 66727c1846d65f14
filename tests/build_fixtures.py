"""Small real site repositories for the build tests (see tests/factory.py for pages)."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

from factory import REPO, guide, make_repo, notice, service_item, sign_off

from govpub.cli import main

NOW_TEXT = "2026-11-28T12:00:00+08:00"

LINKS_YML = """approved:
  - site: cponline.cnipa.gov.cn
    approved_by: 办公室
    approved_at: "2026-01-01"
"""



def form_docx(text: str = "发明专利请求书（样表）") -> bytes:
    """A real Word form (the sensitive-content rules read attachments' text)."""
    import io

    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORM_BYTES = form_docx()


def with_links(root: Path) -> Path:
    (root / "site_config" / "links.yml").write_text(LINKS_YML, encoding="utf-8")
    return root


def basic_files() -> dict[str, str | bytes]:
    """A clean little site: two notices, a service item with a form, a guide for it."""
    return {
        "notices/2026-11-20-fees.md": notice(title="关于调整专利收费的通知",
                                             published="'2026-11-20T02:00:00Z'",
                                             body="专利收费标准自下月起调整。"),
        "notices/2026-11-25-hours.md": notice(title="关于服务大厅开放时间的通知",
                                              published="'2026-11-25T09:30:00+08:00'",
                                              doc_number="国知办发〔2026〕12号",
                                              body="服务大厅开放时间调整。"),
        "catalog/113500100001.md": service_item(
            documents="[{name: 请求书, form: electronic, copies: 1, required: true, "
                      "template: ../attachments/forms/request.docx}]"),
        "guides/patent-filing.md": guide(),
        "attachments/forms/request.docx": FORM_BYTES,
    }


#: what an incremental build says of its render (tests of builds and of serve)
REUSED = re.compile(r"rendered (\d+) pages? again, reused (\d+)")


def linked_notices_files() -> dict[str, str | bytes]:
    """:func:`basic_files` and three notices, one linking another (incremental builds)."""
    files = basic_files()
    files.update({
        "notices/2026-11-01-a.md": notice(
            title="关于甲事项的通知", published="'2026-11-01T09:00:00+08:00'",
            body="## 办理须知\n\n甲事项说明。见[乙通知](2026-11-02-b.md)。"),
        "notices/2026-11-02-b.md": notice(
            title="关于乙事项的通知", published="'2026-11-02T09:00:00+08:00'",
            body="## Section B\n\n乙事项说明。"),
        "notices/2026-11-04-d.md": notice(title="关于丁事项的通知",
                                          published="'2026-11-04T09:00:00+08:00'",
                                          body="丁事项说明。"),
    })
    return files


def make_site(tmp_path: Path, files: dict[str, str | bytes] | None = None, *,
              sign=True) -> Path:
    files = basic_files() if files is None else files
    root = make_repo(tmp_path, files, sign=False)
    with_links(root)
    if sign:
        sign_off(root, files if sign is True else sign)
    return root


def add_file(root: Path, rel: str, data: str | bytes, *, sign: bool = True) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    if sign:
        sign_off(root, [rel])


def govpub(root: Path, *args: str) -> int:
    """Run the CLI in-process, as ``govpub --root ROOT ARGS``."""
    return main(["--root", str(root), *args])


def build(root: Path, *args: str, now: str = NOW_TEXT) -> int:
    return govpub(root, "build", "--now", now, *args)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, gzip files decompressed."""
    out = {}
    for folder, _dirs, names in os.walk(site):
        for name in names:
            path = Path(folder) / name
            data = path.read_bytes()
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            out[path.relative_to(site).as_posix()] = data
    return out


def files_containing(site: Path, token: str) -> list[str]:
    needle = token.encode("utf-8")
    hits = [rel for rel, data in site_files(site).items() if needle in data or needle in rel.encode()]
    return sorted(hits)


def page_html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


__all__ = ["NOW_TEXT", "REPO", "add_file", "basic_files", "build", "files_containing", "govpub",
           "guide", "make_site", "notice", "page_html", "service_item", "sign_off", "site_files"]
