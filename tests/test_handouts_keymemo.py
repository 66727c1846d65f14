"""The memo of handout keys (govpub.handouts.keymemo): a key comes from the memo only for the
very same inputs, so every handout is the one a build without the memo makes."""

from __future__ import annotations

import pytest
from opendata_fixtures import CONTENT, model_of, write_repo

from govpub.handouts import keymemo, plan
from govpub.handouts.keymemo import KeyMemo, open_memo, site_print

SITE_KEY = "site-key-1"


def keys(items) -> dict[str, str]:
    return {page.path: key for page, _source, key in items}


def learned(model, site_key=SITE_KEY):
    """A memo that has seen ``model``, as the next build finds it (kept in memory)."""
    keymemo._kept.clear()
    memo = open_memo(model, site_key)
    plan(model, memo)
    memo.keep()
    return open_memo(model, site_key)


def carried(memo, model, site_key=SITE_KEY):
    """What ``memo`` learned, as a build of ``model`` (another repository folder) opens it."""
    return KeyMemo(None, site_print(model, site_key), dict(memo._old))


def changed(tmp_path, name, edit, site_yml=None):
    content = dict(CONTENT)
    edit(content)
    root = write_repo(tmp_path / name, content)
    if site_yml:
        path = root / "site_config" / "site.yml"
        path.write_text(site_yml(path.read_text(encoding="utf-8")), encoding="utf-8")
    return model_of(root)


def _replace(rel, old, new):
    def edit(content):
        assert old in content[rel]
        content[rel] = content[rel].replace(old, new)
    return edit


def _drop(rel):
    return lambda content: content.pop(rel)


def _add(rel, text):
    return lambda content: content.__setitem__(rel, text)


ITEM = "catalog/000100000001.md"
CHANGES = {
    "item body": _replace(ITEM, "的完整指南。", "的完整指南（修订）。"),
    "item front matter": _replace(ITEM, "promised_days: 20", "promised_days: 15"),
    "item line ends": lambda c: c.__setitem__(ITEM, c[ITEM].replace("\n", "\r\n")),
    "guide title": _replace("guides/patent-evaluation.md", "专利权评价报告办事指南", "评价报告指南"),
    "guide gone": _drop("guides/patent-evaluation.md"),
    "guide for another item": _replace("guides/patent-evaluation.md", '["000100000001"]',
                                       '["000100000001", "000200000002"]'),
    "template attachment gone": _drop("attachments/forms/a.pdf"),
    "a page added": _add("notices/2026-11-29-new.md", CONTENT["notices/2026-11-20-fee.md"]),
    "nothing": lambda content: None,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_after_any_change_every_key_is_the_one_computed_without_the_memo(tmp_path, change):
    base = model_of(write_repo(tmp_path / "base"))
    memo = learned(base)
    after = changed(tmp_path, "after", CHANGES[change])
    memo = carried(memo, after)
    assert keys(plan(after, memo)) == keys(plan(after))


def test_site_settings_the_guides_read_are_part_of_the_fingerprint(tmp_path):
    base = model_of(write_repo(tmp_path / "base"))
    memo = learned(base)
    after = changed(tmp_path, "after", lambda c: None,
                    site_yml=lambda text: text.replace("https://www.example.gov.cn/",
                                                       "https://www.example.org.cn/"))
    memo = carried(memo, after)
    assert keys(plan(after, memo)) == keys(plan(after))
    assert memo.hits == 0


def test_the_same_content_in_another_folder_takes_every_key_from_the_memo(tmp_path):
    base = model_of(write_repo(tmp_path / "base"))
    after = changed(tmp_path, "after", CHANGES["nothing"])
    memo = carried(learned(base), after)
    assert keys(plan(after, memo)) == keys(plan(after))
    assert memo.hits == 2


def test_unchanged_items_take_their_key_from_the_memo_without_a_source(tmp_path):
    model = model_of(write_repo(tmp_path / "r"))
    memo = learned(model)
    items = plan(model, memo)
    assert keys(items) == keys(plan(model))
    assert memo.hits == 2 and all(source is None for _page, source, _key in items)


def test_another_site_key_uses_nothing_of_the_memo(tmp_path):
    model = model_of(write_repo(tmp_path / "r"))
    learned(model)
    other = open_memo(model, "another-site-key")
    plan(model, other)
    assert other.hits == 0
    assert open_memo(model, None) is None  # no site key (Pelican, unsafe reuse): no memo


def test_the_memo_is_kept_in_the_cache_folder_and_a_damaged_file_is_ignored(tmp_path):
    model = model_of(write_repo(tmp_path / "r"))
    memo = learned(model)
    assert memo.path is not None and memo.path.is_file()
    keymemo._kept.clear()  # a new process: read from the file
    read = open_memo(model, SITE_KEY)
    plan(model, read)
    assert read.hits == 2
    data = memo.path.read_bytes()
    memo.path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    keymemo._kept.clear()
    damaged = open_memo(model, SITE_KEY)
    assert keys(plan(model, damaged)) == keys(plan(model))
    assert damaged.hits == 0


def _cache_with_stand_ins(model, folder):
    """A handout cache holding a stand-in PDF for every item's key (no Chromium needed)."""
    folder.mkdir()
    for page, _source, key in plan(model):
        (folder / f"{key}.pdf").write_bytes(f"%PDF stand-in for {page.path}".encode())
    return folder


def test_the_build_step_takes_keys_from_the_memo_and_copies_the_same_files(tmp_path):
    from govpub.build.postbuild import SiteDelta
    from govpub.handouts import write_handouts

    keymemo._kept.clear()
    model = model_of(write_repo(tmp_path / "r"))
    cache = _cache_with_stand_ins(model, tmp_path / "cache")
    delta = SiteDelta(site_key=SITE_KEY)
    plain = write_handouts(model, tmp_path / "plain", cache_dir=cache)
    first = write_handouts(model, tmp_path / "first", cache_dir=cache, delta=delta)
    again = write_handouts(model, tmp_path / "again", cache_dir=cache, delta=delta)
    assert plain == first == again == {"printed": 0, "cached": 2}
    files = {p.relative_to(tmp_path / "plain"): p.read_bytes()
             for p in (tmp_path / "plain").rglob("*.pdf")}
    assert len(files) == 2
    for name in ("first", "again"):
        assert {p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*.pdf")} == files
    assert next(iter(keymemo._kept.values()))  # what the second build took its keys from


@pytest.mark.slow
def test_a_memoized_key_whose_pdf_is_gone_is_printed_from_its_source(tmp_path):
    from govpub.build.postbuild import SiteDelta
    from govpub.handouts import write_handouts

    keymemo._kept.clear()
    model = model_of(write_repo(tmp_path / "r"))
    cache = _cache_with_stand_ins(model, tmp_path / "cache")
    delta = SiteDelta(site_key=SITE_KEY)
    write_handouts(model, tmp_path / "first", cache_dir=cache, delta=delta)
    for pdf in cache.glob("*.pdf"):
        pdf.unlink()
    # every key from the memo, no PDF in the cache: printed (Chromium) from the sources
    again = write_handouts(model, tmp_path / "again", cache_dir=cache, delta=delta)
    assert again == {"printed": 2, "cached": 0}
    write_handouts(model, tmp_path / "plain", cache_dir=tmp_path / "fresh")
    pdfs = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*.pdf"))
    assert len(pdfs) == 2
    for rel in pdfs:
        assert (tmp_path / "again" / rel).read_bytes() == (tmp_path / "plain" / rel).read_bytes()


def test_an_unchanged_handout_is_linked_from_the_previous_site_unless_that_file_changed(
        tmp_path):
    import os

    from govpub.build.postbuild import SiteDelta
    from govpub.handouts import handout_path, write_handouts

    keymemo._kept.clear()
    model = model_of(write_repo(tmp_path / "r"))
    cache = _cache_with_stand_ins(model, tmp_path / "cache")
    first = tmp_path / "first"
    write_handouts(model, first, cache_dir=cache, delta=SiteDelta(site_key=SITE_KEY))
    items = sorted(handout_path(p) for p, _s, _k in plan(model))
    # someone rewrote one handout in the published folder: that one is copied from the cache
    tampered = first / items[0]
    tampered.write_bytes(b"%PDF not what was approved")
    second = tmp_path / "second"
    write_handouts(model, second, cache_dir=cache,
                   delta=SiteDelta(site_key=SITE_KEY, previous_site=first))
    assert os.stat(second / items[1]).st_ino == os.stat(first / items[1]).st_ino  # linked
    assert os.stat(second / items[0]).st_ino != os.stat(first / items[0]).st_ino
    for rel in items:
        key = next(k for p, _s, k in plan(model) if handout_path(p) == rel)
        assert (second / rel).read_bytes() == (cache / f"{key}.pdf").read_bytes()
    # a new process reads the placements from the cache folder; a changed item is copied
    keymemo._kept.clear()
    content = dict(CONTENT)
    content[ITEM] = content[ITEM].replace("promised_days: 20", "promised_days: 15")
    after = model_of(write_repo(tmp_path / "after", content))
    changed_cache = _cache_with_stand_ins(after, tmp_path / "cache2")
    memo_dir = keymemo.open_memo(model, SITE_KEY).path.parent
    keymemo._kept.clear()
    for name in (keymemo.MEMO_FILE, keymemo.PLACED_FILE):  # as if one repository
        target = keymemo.open_memo(after, SITE_KEY).path.parent / name
        target.write_bytes((memo_dir / name).read_bytes())
        keymemo._kept.clear()
    third = tmp_path / "third"
    write_handouts(after, third, cache_dir=changed_cache,
                   delta=SiteDelta(site_key=SITE_KEY, previous_site=second))
    changed_rel = "catalog/000100000001/handout.pdf"
    other = next(rel for rel in items if rel != changed_rel)
    assert os.stat(third / other).st_ino == os.stat(second / other).st_ino
    assert os.stat(third / changed_rel).st_ino != os.stat(second / changed_rel).st_ino
    for page, _s, key in plan(after):
        assert (third / handout_path(page)).read_bytes() == \
            (changed_cache / f"{key}.pdf").read_bytes()


def test_a_damaged_placements_file_is_ignored(tmp_path):
    from govpub.build.postbuild import SiteDelta
    from govpub.handouts import write_handouts

    keymemo._kept.clear()
    model = model_of(write_repo(tmp_path / "r"))
    cache = _cache_with_stand_ins(model, tmp_path / "cache")
    write_handouts(model, tmp_path / "first", cache_dir=cache, delta=SiteDelta(site_key=SITE_KEY))
    path = keymemo.open_memo(model, SITE_KEY).path.with_name(keymemo.PLACED_FILE)
    keymemo._kept.clear()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert keymemo.open_memo(model, SITE_KEY).placed == {}
    keymemo._kept.clear()
    path.write_bytes(b"")
    assert keymemo.open_memo(model, SITE_KEY).placed == {}
