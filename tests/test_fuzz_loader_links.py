"""Fuzz: the content loader and the link extractor never raise, whatever the bytes.

Bounded: a fixed number of examples and no deadline flakiness (the CI machine is
shared), so the run takes seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub.content import load_document
from govpub.links import extract_links
from govpub.links.approval import parse_external
from govpub.sensitive.html import find_raw_html
from govpub.sensitive.markings import find_markings

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

# pieces that steer random input towards the parsers' interesting paths
MARKDOWN_BITS = st.sampled_from([
    "---\n", "---", "...\n", "title: x\n", "a: [", "\n", "\r\n", "\ufeff", "\x00", "`", "```",
    "~~~", "[", "]", "(", ")", "<", ">", "](", "<a href=", '"', "'", "https://", "//",
    "javascript:", "&#106;", "![", "[^1]: ", "[r]: ", "<script>", "onclick=", "秘密★",
    "\\", "\t", "    ", "13812345678", "&amp;", "@", "mailto:", "\u2028",
])
TEXTS = st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=20)), max_size=40).map("".join)
RAW = st.one_of(st.binary(max_size=400), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")))


@FUZZ
@given(raw=RAW, name=st.sampled_from(["p.md", "a.pdf", "b.MD", "c.markdown", "d.txt"]))
def test_loader_never_raises(raw, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        doc = load_document(path, name, max_page_bytes=10_000, max_attachment_bytes=10_000)
    assert doc.path == name
    if doc.is_page and doc.readable:
        assert isinstance(doc.meta, dict) and doc.body_line >= 2


@FUZZ
@given(text=TEXTS)
def test_extract_links_never_raises_and_positions_are_real(text):
    lines = text.split("\n")
    for link in extract_links(text):
        assert 1 <= link.line <= len(lines)
        assert 1 <= link.column <= len(lines[link.line - 1]) + 1
        parse_external(link.url)  # never raises either


@FUZZ
@given(text=TEXTS)
def test_scanners_never_raise(text):
    list(find_raw_html(text))
    for line in text.split("\n"):
        list(find_markings(line))
