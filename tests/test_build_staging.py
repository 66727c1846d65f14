"""The stage stage: exactly the approved bytes, and the memo that spares re-reading them."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from build_fixtures import add_file, basic_files, make_site, notice
from factory import guide, service_item

from govpub.build import staging
from govpub.build.serviceitem import _guide_markdown, guide_markdown
from govpub.build.staging import StagingMemo, load_memo, save_memo, staged_files, write_tree
from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.errors import BuildError
from govpub.sitemodel import build_site_model
from govpub.timeparse import parse_now

FILES = [("a.md", b"one"), ("x/b.md", b"two"), ("x/y/f.pdf", b"%PDF-1.7")]


def _tree(folder) -> dict[str, bytes]:
    out = {}
    for current, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(current, name)
            out[os.path.relpath(path, folder)] = path.read_bytes()
    return out


def _as_if_older(memo: StagingMemo) -> None:
    """The memo as a later stage sees it: its files written well before it was kept."""
    memo.time_ns += 10 * 10**9


def _model(root):
    policy = load_policy(root)
    return build_site_model(check_repository(
        policy, parse_now("2026-11-28T12:00:00+08:00", policy.timezone)))


def test_a_page_changed_after_the_check_stops_the_stage(tmp_path):
    root = make_site(tmp_path, {"notices/2026-11-01-n.md": notice(title="通知")})
    model = _model(root)
    page = root / "content/notices/2026-11-01-n.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n未经审核的一句。\n", encoding="utf-8")
    with pytest.raises(BuildError, match="changed while the site was being built"):
        write_tree(tmp_path / "staging", staged_files(model), StagingMemo())
    assert b"\xe6\x9c\xaa\xe7\xbb\x8f" not in b"".join(_tree(tmp_path / "staging").values())


def test_an_unchanged_file_is_known_from_the_memo_without_reading_it(tmp_path, monkeypatch):
    folder, memo = tmp_path / "staging", StagingMemo()
    assert write_tree(folder, FILES, memo) == 2
    assert set(memo.files) == {"a.md", "x/b.md", "x/y/f.pdf"}
    _as_if_older(memo)
    written = (folder / "a.md").stat().st_mtime_ns

    def no_reading(path, data):
        raise AssertionError(f"{path} was read although the memo knows it")

    monkeypatch.setattr(staging, "_same_bytes", no_reading)
    write_tree(folder, [("a.md", b"one"), ("x/b.md", b"TWO"), ("x/y/f.pdf", b"%PDF-1.7")], memo)
    assert (folder / "a.md").stat().st_mtime_ns == written
    assert _tree(folder) == {"a.md": b"one", "x/b.md": b"TWO", "x/y/f.pdf": b"%PDF-1.7"}


def test_a_file_touched_since_the_memo_is_compared_and_put_right(tmp_path):
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, FILES, memo)
    _as_if_older(memo)
    (folder / "a.md").write_bytes(b"ONE")  # same size, other bytes: the stat changed
    write_tree(folder, FILES, memo)
    assert _tree(folder) == dict(FILES)


def test_a_file_rewritten_within_the_memos_clock_tick_is_compared(tmp_path):
    """Same inode, size and modification time, other bytes: possible when the file was
    written again within one tick of the file system's clock. Such a file is read."""
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, FILES, memo)
    target = folder / "x/b.md"
    before = target.stat()
    with open(target, "r+b") as handle:
        handle.write(b"TWO")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert memo.files["x/b.md"][0][:4] == (before.st_dev, before.st_ino, before.st_size,
                                           target.stat().st_mtime_ns)
    write_tree(folder, FILES, memo)
    assert target.read_bytes() == b"two"


def test_a_file_rewritten_with_its_modification_time_set_back_is_compared(tmp_path):
    """Same inode, size and modification time long after the memo's tick: only the change
    time tells that the bytes were written again (a tool can set the other back)."""
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, FILES, memo)
    _as_if_older(memo)
    target = folder / "x/b.md"
    before = target.stat()
    time.sleep(0.01)  # past the file clock's tick (a few ms): the rewrite gets a change time of its own
    with open(target, "r+b") as handle:
        handle.write(b"TWO")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = target.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == \
        (before.st_ino, before.st_size, before.st_mtime_ns)
    write_tree(folder, FILES, memo)
    assert target.read_bytes() == b"two"


def test_staging_holds_exactly_the_staged_files_links_replaced_not_followed(tmp_path):
    folder, outside, memo = tmp_path / "staging", tmp_path / "outside", StagingMemo()
    outside.mkdir()
    write_tree(folder, FILES, memo)
    _as_if_older(memo)
    (folder / "a.md").unlink()
    (folder / "a.md").symlink_to(outside / "a.md")  # where the memo knows a file
    (folder / "stray.md").write_bytes(b"planted")
    (folder / "empty" / "deeper").mkdir(parents=True)
    write_tree(folder, [("a.md", b"one"), ("x/b.md", b"two"), ("x/y", b"a file now")], memo)
    assert not (outside / "a.md").exists()
    assert not (folder / "a.md").is_symlink()
    assert _tree(folder) == {"a.md": b"one", "x/b.md": b"two", "x/y": b"a file now"}
    assert sorted(os.listdir(folder)) == ["a.md", "x"]


def test_the_memo_file_round_trips_and_a_damaged_one_is_ignored(tmp_path):
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, FILES, memo)
    path, key = tmp_path / "site.memo", os.path.realpath(folder)
    save_memo(path, key, memo)
    loaded = load_memo(path, key)
    assert (loaded.files, loaded.time_ns) == (memo.files, memo.time_ns)
    assert load_memo(path, key + "-other").files == {}  # kept for another folder
    raw = path.read_bytes()
    for damaged in (raw[:-1], raw[:40], raw.replace(b"x/b.md", b"x/B.md"), b"", b"\x00" * 99,
                    raw.replace(b"memo-4", b"memo-3")):
        path.write_bytes(damaged)
        assert load_memo(path, key).files == {}
    assert load_memo(tmp_path / "missing.memo", key).files == {}
    assert load_memo(None, key).files == {}


def test_a_guide_made_for_an_earlier_model_is_reused_only_when_it_would_be_the_same(tmp_path):
    """serve stages the same guides again and again; what a guide shows of the rest of the
    site (an approved template, the title of a guide explaining the item) still follows it."""
    root = make_site(tmp_path, basic_files())

    def guides_of(model) -> dict[str, str]:
        made = {p.path: guide_markdown(p, model) for p in model.pages}
        assert made == {p.path: _guide_markdown(p, model) if p.type in ("guide", "service-item")
                        else "" for p in model.pages}
        return made

    first = guides_of(_model(root))
    item = "catalog/113500100001.md"
    assert "request.docx" in first[item] and "专利申请指南" in first[item]
    assert guides_of(_model(root)) == first
    add_file(root, item, service_item(
        documents="[{name: 请求书（新版）, form: electronic, copies: 1, required: true, "
                  "template: ../attachments/forms/request.docx}]"))
    assert "请求书（新版）" in guides_of(_model(root))[item]
    add_file(root, "guides/patent-filing.md", guide(title="专利申请指南（修订）"))
    model = _model(root)
    assert "专利申请指南（修订）" in guides_of(model)[item]
    # the same pages, the template no longer approved (a real site would block the item)
    assert "request.docx" not in guides_of(dataclasses.replace(model, attachments=[]))[item]


def test_listing_entries_made_for_an_earlier_model_follow_titles_and_dates(tmp_path):
    from govpub.build import generated

    root = make_site(tmp_path, basic_files())

    def listings(model) -> dict[str, str]:
        made = generated.column_indexes(model) | generated.home_page(model)
        generated._entries[:] = [None, None, {}, {}]  # made afresh, no memo
        assert made == generated.column_indexes(model) | generated.home_page(model)
        return made

    first = listings(_model(root))
    assert "关于调整专利收费的通知" in first["notices/index.md"]
    generated.column_indexes(_model(root))
    assert listings(_model(root)) == first
    fees = "notices/2026-11-20-fees.md"
    add_file(root, fees, notice(title="关于调整专利收费的通知（更正）",
                                published="'2026-11-20T02:00:00Z'", body="更正。"))
    assert "关于调整专利收费的通知（更正）" in listings(_model(root))["notices/index.md"]
    add_file(root, fees, notice(title="关于调整专利收费的通知（更正）",
                                published="'2026-11-21T02:00:00Z'", body="更正。"))
    assert "2026-11-21" in listings(_model(root))["notices/index.md"]


def _counting_reads(monkeypatch) -> list[str]:
    read: list[str] = []
    original = staging._approved_bytes

    def counted(doc):
        read.append(doc.path)
        return original(doc)

    monkeypatch.setattr(staging, "_approved_bytes", counted)
    return read


def _settled(memo: StagingMemo) -> None:
    """As if the files had been written well before that stage began to read them."""
    _as_if_older(memo)
    memo.started_ns += 10 * 10**9


def test_an_authored_file_the_memo_vouches_for_is_not_read_again(tmp_path, monkeypatch):
    root = make_site(tmp_path, basic_files())
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, staged_files(_model(root)), memo)
    staged = _tree(folder)
    authored = set(memo.sources)
    assert {"notices/2026-11-20-fees.md", "attachments/forms/request.docx"} <= authored
    _settled(memo)
    read = _counting_reads(monkeypatch)
    write_tree(folder, staged_files(_model(root)), memo)
    assert read == [] and _tree(folder) == staged
    # one page edited (and signed off): that page alone is read
    add_file(root, "notices/2026-11-20-fees.md",
             notice(title="关于调整专利收费的通知", body="新的正文。"))
    _settled(memo)
    write_tree(folder, staged_files(_model(root)), memo)
    assert read == ["notices/2026-11-20-fees.md"]
    assert "新的正文。" in _tree(folder)["notices/2026-11-20-fees.md"].decode("utf-8")


def test_a_file_changed_within_a_tick_of_being_read_is_read_again(tmp_path, monkeypatch):
    """Written just before the stage read it: a write after the read could keep its whole
    status (the clock had not ticked), so its status vouches for nothing."""
    root = make_site(tmp_path, basic_files())
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, staged_files(_model(root)), memo)
    _as_if_older(memo)  # the staged copies are settled
    # the sources last changed just before that stage began to read them
    memo.started_ns = min(status[4] for status, *_rest in memo.sources.values()) + 1
    read = _counting_reads(monkeypatch)
    write_tree(folder, staged_files(_model(root)), memo)
    assert sorted(read) == sorted(memo.sources)


def test_a_page_changed_after_the_check_with_its_size_and_time_kept_stops_the_stage(
        tmp_path):
    """Its change time moved (no one can set it back): it is read, and its bytes are not
    the approved ones."""
    root = make_site(tmp_path, {"notices/2026-11-01-n.md": notice(title="通知", body="甲乙。")})
    model = _model(root)
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, staged_files(model), memo)
    _settled(memo)
    page = root / "content/notices/2026-11-01-n.md"
    before = page.stat()
    time.sleep(0.01)
    page.write_bytes(page.read_bytes().replace("甲乙".encode(), "丙丁".encode()))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size
    with pytest.raises(BuildError, match="changed while the site was being built"):
        write_tree(folder, staged_files(model), memo)
    assert "丙丁" not in _tree(folder)["notices/2026-11-01-n.md"].decode("utf-8")


def test_a_staged_copy_changed_since_is_staged_again_from_the_source(tmp_path, monkeypatch):
    root = make_site(tmp_path, basic_files())
    folder, memo = tmp_path / "staging", StagingMemo()
    write_tree(folder, staged_files(_model(root)), memo)
    staged = _tree(folder)
    _settled(memo)
    (folder / "notices/2026-11-20-fees.md").write_bytes(b"planted")
    read = _counting_reads(monkeypatch)
    write_tree(folder, staged_files(_model(root)), memo)
    assert read == ["notices/2026-11-20-fees.md"] and _tree(folder) == staged
