"""python-frontmatter with govpub's handler reads a page as the checker does."""

from __future__ import annotations

import frontmatter
import pytest

from govpub.content import split_page
from govpub.strictfront import STRICT

PAGE = ("---\ntitle: 关于调整专利收费的通知\ncode: '0012'\npublished: 2026-11-20T10:00:00+08:00\n"
        "items: [a, b]\n---\n\n正文。\n")


def test_the_handler_reads_values_as_the_checker_does(tmp_path):
    from govpub.content import load_document

    page = tmp_path / "a.md"
    page.write_text(PAGE, encoding="utf-8")
    loaded = load_document(page, "notices/a.md", max_page_bytes=1 << 20,
                           max_attachment_bytes=1 << 20)
    post = frontmatter.loads(PAGE, handler=STRICT)
    assert post.metadata == loaded.meta
    assert post["published"] == "2026-11-20T10:00:00+08:00"  # text, not a datetime
    assert post.content == "正文。"


def test_a_post_written_with_the_handler_reads_back_the_same():
    post = frontmatter.loads(PAGE, handler=STRICT)
    text = frontmatter.dumps(post, handler=STRICT)
    assert text.startswith("---\ntitle: 关于调整专利收费的通知\n")
    again = frontmatter.loads(text, handler=STRICT)
    assert again.metadata == post.metadata and again.content == post.content


@pytest.mark.parametrize("text", [
    "---\ntitle: a\n...\nbody\n",  # ended with ... (GP006): no front matter
    "title: a\n---\nbody\n",  # no opening fence
    "---\ntitle: a\n",  # never closed
])
def test_without_fences_as_the_checker_wants_them_there_is_no_front_matter(text):
    assert frontmatter.loads(text, handler=STRICT).metadata == {}
    assert split_page("x.md", text.encode()) == ({}, text)


@pytest.mark.parametrize("text", [
    "---\ntitle: [\n---\nbody\n",  # not YAML
    "---\n- a\n- b\n---\nbody\n",  # not a mapping
])
def test_front_matter_the_checker_cannot_read_is_an_error_not_empty_metadata(text):
    with pytest.raises(ValueError):  # as python-frontmatter's own YAML handler raises
        frontmatter.loads(text, handler=STRICT)
    assert split_page("x.md", text.encode()) == ({}, text)


def test_split_page_keeps_the_body_as_it_is():
    assert split_page("x.md", PAGE.encode())[1] == "\n正文。\n"
    assert split_page("x.md", b"---\ntitle: a\n---\n\xff\n") == ({}, "---\ntitle: a\n---\n\ufffd\n")
