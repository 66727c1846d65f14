"""PDF handouts: one per approved item, from the approved source, incremental, deterministic."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from opendata_fixtures import BLOCKED_CODE, CONTENT, model_of, site_model, write_repo

from govpub.errors import BuildError
from govpub.handouts import handout_link_html, handout_path, write_handouts
from govpub.handouts.chromium import ENV_BINARY, fix_dates, normalise_pdf
from govpub.handouts.document import handout_html

pytestmark = pytest.mark.slow


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("handouts")
    model = site_model(tmp)
    counts = write_handouts(model, tmp / "site", cache_dir=tmp / "cache")
    return model, tmp, counts


def test_a_handout_per_approved_item_with_code_and_time_limits(built):
    _model, tmp, counts = built
    assert counts == {"printed": 2, "cached": 0}
    pdfs = sorted(p.relative_to(tmp / "site").as_posix() for p in (tmp / "site").rglob("*.pdf"))
    assert pdfs == ["catalog/000100000001/handout.pdf", "catalog/000200000002/handout.pdf"]
    text = pdf_text(tmp / "site/catalog/000200000002/handout.pdf")
    assert "000200000002" in text
    assert "承诺办结时限" in text and "180 个工作日" in text
    assert "法定办结时限" in text and "270 个工作日" in text
    assert "https://www.example.gov.cn/catalog/000200000002/" in text
    assert "2026-11-10T15:30:00+08:00" in text  # the update time, to check a printed copy
    assert "商标注册申请 <A&B>" in text  # markup in a title is text, not HTML


def test_a_blocked_item_gets_no_handout_and_is_named_in_none(built):
    _model, tmp, _ = built
    assert not list((tmp / "site").rglob(f"*{BLOCKED_CODE}*"))
    for pdf in (tmp / "site").rglob("*.pdf"):
        assert BLOCKED_CODE not in pdf_text(pdf)


def test_the_handout_lists_only_approved_guides(built):
    _model, tmp, _ = built
    text = pdf_text(tmp / "site/catalog/000100000001/handout.pdf")
    assert "专利权评价报告办事指南" in text
    assert "内部办理口径" not in text  # a withheld guide of the same item


def test_unchanged_items_are_reused_byte_for_byte_and_changed_ones_reprinted(built, tmp_path):
    model, tmp, _ = built
    again = write_handouts(model, tmp_path / "site", cache_dir=tmp / "cache")
    assert again == {"printed": 0, "cached": 2}
    for rel in ("catalog/000100000001/handout.pdf", "catalog/000200000002/handout.pdf"):
        assert (tmp_path / "site" / rel).read_bytes() == (tmp / "site" / rel).read_bytes()

    content = dict(CONTENT)
    content["catalog/000100000001.md"] = content["catalog/000100000001.md"].replace(
        "promised_days: 20", "promised_days: 15")
    changed = model_of(write_repo(tmp_path / "changed", content))
    cache = tmp_path / "cache"
    shutil.copytree(tmp / "cache", cache)
    counts = write_handouts(changed, tmp_path / "site2", cache_dir=cache)
    assert counts == {"printed": 1, "cached": 1}
    assert "15 个工作日" in pdf_text(tmp_path / "site2/catalog/000100000001/handout.pdf")
    assert len(list(cache.glob("*.pdf"))) == 2  # the superseded version is pruned


def test_a_fresh_print_of_the_same_content_gives_the_same_bytes(built, tmp_path):
    model, tmp, _ = built
    write_handouts(model, tmp_path / "site", cache_dir=tmp_path / "fresh")
    rel = "catalog/000200000002/handout.pdf"
    assert (tmp_path / "site" / rel).read_bytes() == (tmp / "site" / rel).read_bytes()


def test_missing_chromium_fails_the_build_clearly_unless_cached(built, tmp_path, monkeypatch):
    model, tmp, _ = built
    monkeypatch.setenv(ENV_BINARY, str(tmp_path / "no-such-chromium"))
    with pytest.raises(BuildError) as caught:
        write_handouts(model, tmp_path / "site", cache_dir=tmp_path / "empty-cache")
    message = str(caught.value)
    assert "Chromium is needed to print 2 PDF handout(s)" in message
    assert "000100000001" in message and ENV_BINARY in message
    assert not (tmp_path / "site").exists()
    # everything cached: no Chromium needed
    assert write_handouts(model, tmp_path / "site", cache_dir=tmp / "cache")["printed"] == 0


def test_handout_html_never_runs_page_markup(tmp_path):
    content = dict(CONTENT)
    content["catalog/000100000001.md"] += ('\n<script>alert(1)</script>\n'
                                           '<img src="http://evil.example/x.png">\n')
    model = model_of(write_repo(tmp_path / "r", content))
    page = next(p for p in model.pages if p.path == "catalog/000100000001.md")
    html = handout_html(page, model)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert "default-src 'none'" in html


def test_path_convention_and_link(built):
    model, tmp, _ = built
    page = next(p for p in model.pages if p.path == "catalog/000100000001.md")
    assert handout_path(page) == "catalog/000100000001/handout.pdf"
    assert (tmp / "site" / handout_path(page)).is_file()
    assert 'href="handout.pdf"' in handout_link_html(page)


def test_pdf_dates_are_set_from_content_time():
    from datetime import UTC, datetime

    raw = b"<< /CreationDate (D:20991231235959+00'00')\n/ModDate (D:20991231235959+00'00') >>"
    fixed = fix_dates(raw, datetime(2026, 11, 10, 7, 30, tzinfo=UTC))
    assert fixed == (b"<< /CreationDate (D:20261110073000+00'00')\n"
                     b"/ModDate (D:20261110073000+00'00') >>")
    assert len(fixed) == len(raw)


def test_structure_ids_are_renumbered_in_order_keeping_the_length():
    from datetime import UTC, datetime

    raw = b"/ID (node00000540) /K [/ID (node00000012)] (node00000540)"
    fixed = normalise_pdf(raw, datetime(2026, 1, 1, tzinfo=UTC))
    assert fixed == b"/ID (node00000002) /K [/ID (node00000001)] (node00000002)"
    assert len(fixed) == len(raw)


def test_a_broken_chromium_fails_the_build_with_its_message(built, tmp_path, monkeypatch):
    model, _, _ = built
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'boom: no display for you' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv(ENV_BINARY, str(fake))
    with pytest.raises(BuildError) as caught:
        write_handouts(model, tmp_path / "site", cache_dir=tmp_path / "cache")
    assert "Chromium failed" in str(caught.value) and "boom: no display for you" in str(caught.value)
    assert not list((tmp_path / "cache").glob("*.pdf"))


def test_the_cache_key_covers_every_input_and_equal_keys_give_equal_html():
    import dataclasses

    from govpub.handouts.document import HandoutSource, render_handout

    base = HandoutSource("国家知识产权局", "专利申请受理", "正文", "## 办理流程\n\n受理",
                         (("事项编码 Item code", "113500100001"), ("版本 Version", "sha256:0")))
    variants = [dataclasses.replace(base, **{f.name: value})
                for f, value in zip(dataclasses.fields(base),
                                    ["国家知识产权局 ", "专利申请受理。", "正文。", "## 办理流程\n\n受理。",
                                     (("事项编码 Item code", "113500100001"),
                                      ("版本 Version", "sha256:1"))], strict=True)]
    keys = {source.key() for source in [base, *variants]}
    assert len(keys) == len(variants) + 1  # any change to any input is a new key
    again = HandoutSource(*dataclasses.astuple(base))
    assert again.key() == base.key() and render_handout(again) == render_handout(base)


def test_a_chromium_that_dies_while_starting_is_started_once_more(built, tmp_path, monkeypatch):
    """Under a heavy load a start died with nothing in its log; the build failed. Now the
    browser is started once more, and the handouts are those a calm start prints."""
    from govpub.handouts.chromium import find_chromium

    model, tmp, _ = built
    real = find_chromium()
    marker = tmp_path / "died-once"
    fake = tmp_path / "chromium"
    fake.write_text(f"#!/bin/sh\nif [ ! -e '{marker}' ]; then touch '{marker}'; exit 3; fi\n"
                    f"exec '{real}' \"$@\"\n")
    fake.chmod(0o755)
    monkeypatch.setenv(ENV_BINARY, str(fake))
    counts = write_handouts(model, tmp_path / "site", cache_dir=tmp_path / "cache")
    assert marker.exists() and counts == {"printed": 2, "cached": 0}
    for rel in ("catalog/000100000001/handout.pdf", "catalog/000200000002/handout.pdf"):
        assert (tmp_path / "site" / rel).read_bytes() == (tmp / "site" / rel).read_bytes()
