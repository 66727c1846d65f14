"""Heading ids: the anchor rule (GP304) and the rendered site agree, Chinese included."""

from __future__ import annotations

import re

import pytest
from build_fixtures import add_file, build, make_site, notice, page_html

from govpub.anchors import heading_anchors

BODY = "\n".join([
    "## 办理流程", "", "文字。", "",
    "## 办理流程", "", "重复的标题。", "",
    "## Fee *reduction* (2026)", "",
    "### 费用 & 标准", "",
    "## 自定义 {#custom-id}", "",
])


@pytest.mark.parametrize("renderer", ["mkdocs", "pelican"])
def test_rendered_heading_ids_are_the_ids_the_anchor_rule_expects(tmp_path, renderer):
    root = make_site(tmp_path)
    add_file(root, "notices/2026-11-26-headings.md", notice(title="标题", body=BODY))
    add_file(root, "notices/2026-11-27-link.md",
             notice(title="链接", body="[流程](2026-11-26-headings.md#办理流程_1)"))
    assert build(root, "--renderer", renderer) == 0  # the site's own link check passes
    html = page_html(root / "site", "notices/2026-11-26-headings")
    rendered = set(re.findall(r'<h[23][^>]* id="([^"]+)"', html))
    expected = heading_anchors(BODY)
    assert {"办理流程", "办理流程_1", "fee-reduction-2026", "custom-id"} <= expected
    assert expected <= rendered, (expected, rendered)
