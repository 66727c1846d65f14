"""Faithful reproductions: the original's text as Markdown, and the fidelity rules GP408/GP409.

The original is the State Council's page shape (tests/govcn_pages.py); the
rule runs through ``govpub check`` on a real site repository.
"""

import json
import re

import markdown
import pytest
from factory import make_repo
from govcn_pages import Policy, official_text, policy_page

from govpub.cli import main
from govpub.watch.fidelity import differing_passages, page_text, split_header_note, text_digest
from govpub.watch.listpage import PageSpec
from govpub.watch.original import read_original

URL = "https://www.gov.cn/zhengce/content/202611/content_7001.htm"
POLICY = Policy(7001, "国务院关于优化政务服务提升行政效能的意见", "2026-11-20-08:30:00",
                doc_number="国发〔2026〕21号", issuer="国务院")
SPEC = PageSpec(title_selector="div.share-title", text_selector="div.TRS_UEDITOR, #UCAP-CONTENT",
                doc_number_labels=("发文字号", "文号"), issuer_labels=("发文机关",))
#: the site's Markdown extensions (mkdocs.yml), as the page will be rendered
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "tables", "toc"]


def original():
    return read_original(policy_page(POLICY).decode(), URL, SPEC)


def test_the_original_gives_text_number_issuer_and_attachments():
    found = original()
    assert found.doc_number == "国发〔2026〕21号" and found.issuer == "国务院"
    assert found.title == POLICY.title
    assert found.attachments == (("重点任务分工表",
                                  "https://www.gov.cn/zhengce/content/202611/P0202611207001.pdf"),)
    assert "| 事项清单公开 | 国务院办公厅 | 2027年6月 |" in found.markdown
    assert "1. 推进政务服务事项标准化。\n2. 推行“一网通办”。" in found.markdown
    assert "责任编辑" not in found.markdown and "版权所有" not in found.markdown  # page furniture
    assert found.digest == text_digest(found.markdown)


@pytest.mark.parametrize("hostile", [
    "第一条　比例为2*3，见[附件](x)与`代码`_下划线_。",
    "1. 不是列表",
    "# 不是标题",
    "- 不是列表项",
    ": 不是定义",
    "&lt;b&gt; 与 A&amp;B 与 &amp;amp; {: .x} 与 a|b 与 \\ 反斜杠",
])
def test_the_markdown_renders_back_to_the_same_text(hostile):
    html = f'<div id="UCAP-CONTENT"><p>{hostile}</p>{official_text(POLICY)}</div>'
    found = read_original(f"<html><body>{html}</body></html>", URL, SPEC)
    rendered = markdown.markdown(found.markdown, extensions=EXTENSIONS)
    assert page_text(rendered) == found.text


def test_whitespace_and_paragraph_breaks_do_not_count():
    text = original().markdown
    rewrapped = "\n\n".join(p.replace("，", "，\n") for p in text.split("\n\n"))
    assert text_digest("  " + rewrapped.replace("\u3000", "") + "\n\n") == text_digest(text)
    assert differing_passages(text, rewrapped) == []


@pytest.mark.parametrize("change, kind, shown", [
    (("平均办理时限压缩30%", "平均办理时限压缩50%"), "changed", ("压缩30%", "压缩50%")),
    (("推进政务服务事项标准化", "推进政务服务事项规范化"), "changed", ("标准化", "规范化")),
    (("\u3000\u3000二、重点任务\n\n", ""), "missing", ("二、重点任务", "")),
])
def test_a_changed_figure_word_or_dropped_paragraph_is_shown(change, kind, shown):
    text = original().markdown
    assert change[0] in text
    changed = text.replace(*change)
    assert text_digest(changed) != text_digest(text)
    [passage] = differing_passages(text, changed)
    assert passage.kind == kind
    assert shown[0] in passage.original and shown[1] in passage.copy


def test_the_header_note_is_not_part_of_the_text():
    lines, text = split_header_note("\n> 本文转载自中国政府网。\n> 以原文为准。\n\n正文")
    assert lines == 3 and text.strip() == "正文"
    assert split_header_note("正文\n> 引文")[0] == 0


# --- the rules, through govpub check -----------------------------------------


def reproduction(body: str, digest: str, deviation: dict | None = None) -> str:
    extra = ""
    if deviation:
        extra = "  deviation:\n" + "".join(f"    {k}: {json.dumps(v, ensure_ascii=False)}\n"
                                           for k, v in deviation.items())
    return (f"---\ntitle: {POLICY.title}\nsource: 国务院\npublished: 2026-11-20T18:00:00+08:00\n"
            f"disclosure: proactive\ndoc_number: 国发〔2026〕21号\nreproduces:\n  url: {URL}\n"
            f"  title: {POLICY.title}\n  publisher: 中华人民共和国中央人民政府\n"
            f"  published: 2026-11-20T08:30:00+08:00\n  text_digest: {digest}\n{extra}---\n\n"
            f"> 本文转载自中华人民共和国中央人民政府，原文：[{POLICY.title}](<{URL}>)。\n\n{body}")


PATH = "reproduced/2026-11-20-policy.md"


def check(tmp_path, page: str, *, keep_original: bool = True, capsys):
    found = original()
    root = make_repo(tmp_path, {PATH: page})
    if keep_original:
        copy = root / "review" / (PATH + ".original.md")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(found.markdown, encoding="utf-8")
    code = main(["--root", str(root), "check", "--format", "json", str(root / "content" / PATH)])
    findings = json.loads(capsys.readouterr().out)
    return code, [f for f in findings if f["rule"] in ("GP408", "GP409")], root


def test_a_faithful_reproduction_passes(tmp_path, capsys):
    found = original()
    body = found.markdown.replace("\u3000\u3000", "")  # indents are whitespace
    code, findings, _ = check(tmp_path, reproduction(body, found.digest), capsys=capsys)
    assert findings == [] and code == 0


def test_a_changed_figure_is_blocked_with_the_passage_and_line(tmp_path, capsys):
    found = original()
    body = found.markdown.replace("压缩30%", "压缩50%")
    page = reproduction(body, found.digest)
    code, [finding], _ = check(tmp_path, page, capsys=capsys)
    assert code == 1 and finding["rule"] == "GP408" and finding["severity"] == "error"
    assert "«…平均办理时限压缩30%。»" in finding["message"] or "压缩30%" in finding["message"]
    assert "压缩50%" in finding["message"]
    assert page.split("\n")[finding["line"] - 1].count("压缩50%") == 1   # the changed line


def test_only_a_reviewed_deviation_note_for_this_text_lets_it_pass(tmp_path, capsys):
    found = original()
    body = found.markdown.replace("压缩30%", "压缩50%")
    digest = text_digest(body)
    good = {"reason": "经核实原文数字有误，已按更正稿转载", "reviewer": "li-wei", "digest": digest}
    ok_code, ok, root = check(tmp_path / "ok", reproduction(body, found.digest, good),
                              capsys=capsys)
    assert ok == [] and ok_code == 0, ok
    reviewer = sorted(__import__("govpub.config", fromlist=["x"]).load_policy(root).reviewers)[0]
    assert reviewer == "li-wei"
    for name, deviation, message in [
        ("stale", {**good, "digest": text_digest(found.markdown)}, "another version"),
        ("nobody", {**good, "reviewer": "someone"}, "not a reviewer"),
        ("blank", {**good, "reason": " "}, "no reason"),
    ]:
        code, findings, _ = check(tmp_path / name, reproduction(body, found.digest, deviation),
                                  capsys=capsys)
        assert code == 1 and any(message in f["message"] for f in findings), (name, findings)


def test_without_the_original_copy_the_difference_still_blocks(tmp_path, capsys):
    found = original()
    page = reproduction(found.markdown.replace("标准化", "规范化"), found.digest)
    code, [finding], _ = check(tmp_path, page, keep_original=False, capsys=capsys)
    assert code == 1 and "cannot be shown" in finding["message"]


def test_a_hand_made_reproduction_is_noted(tmp_path, capsys):
    page = re.sub(r"  text_digest: .*\n", "", reproduction("正文。", "sha256:" + "0" * 64))
    code, [finding], _ = check(tmp_path, page, keep_original=False, capsys=capsys)
    assert finding["rule"] == "GP409" and finding["severity"] == "info" and code == 0
