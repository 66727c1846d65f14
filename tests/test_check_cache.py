"""The check cache reuses per-file results and never changes a verdict.

Each test checks a real repository twice or more — with the cache (in this
test run's own cache folder, see conftest.py) and without — and compares the
findings and the gate's blocked set. A damaged, stale or forged entry must be
ignored, and a change of policy, rules or govpub's code must drop the cache.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import timedelta

import pytest
from build_fixtures import add_file, basic_files, make_site, notice
from factory import NOW, sign_off

from govpub import checkcache, checker, stamp
from govpub.cachedir import cache_dir_for
from govpub.config import load_policy
from govpub.rules import Rule, registry


def _files() -> dict[str, str | bytes]:
    files = basic_files()
    files.update({
        # a finding of a cacheable rule (a personal mobile number)
        "notices/2026-11-01-mobile.md": notice(title="联系方式", body="联系人手机 13812345678。"),
        # a broken link (a rule across files) and a scheduled page (a rule of the clock)
        "notices/2026-11-02-link.md": notice(title="链接", body="见[不存在](missing.md)。"),
        "notices/2026-12-24-later.md": notice(title="预告", published="'2026-12-24T09:00:00+08:00'"),
        # an ID number whose birth date is 2026-12-01: no ID number before that day
        "notices/2026-11-03-id.md": notice(title="身份", body="证件号 110101202612010019。"),
        # CR line ends: never cached (its digest does not pin them)
        "notices/2026-11-04-crlf.md": notice(title="换行").replace("\n", "\r\n").encode(),
    })
    return files


def _check(root, now=NOW, *, use_cache=True, rules=None):
    result = checker.check_repository(load_policy(root), now, use_cache=use_cache, rules=rules,
                                      keep_bodies=False)
    return sorted(result.findings, key=lambda f: (f.path, f.line, f.rule, f.message)), \
        sorted(result.blocked)


@pytest.fixture
def loads(monkeypatch):
    """How many files the check actually loaded (the rest came from the cache)."""
    count = []
    real = checker._load

    def counting(policy, entry):
        count.append(entry.rel)
        return real(policy, entry)

    monkeypatch.setattr(checker, "_load", counting)
    return count


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = make_site(tmp_path, _files())
    monkeypatch.setattr(checkcache, "RACY_NS", 0)  # files written just now may be remembered
    return root


def test_a_repeated_check_reuses_everything_and_finds_the_same(site, loads):
    cold = _check(site, use_cache=False)
    assert {f.rule for f in cold[0]} >= {"GP502", "GP301", "GP104", "GP010"}
    assert _check(site) == cold  # fills the cache
    loads.clear()
    assert _check(site) == cold
    assert loads == ["notices/2026-11-04-crlf.md"], "only the CRLF page is loaded again"


def test_an_edit_is_seen_even_with_the_same_size_and_time(site, loads):
    _check(site)
    page = site / "content/notices/2026-11-01-mobile.md"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"13812345678", b"12345678901"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime forged back
    assert page.stat().st_size == before.st_size
    found, _ = _check(site)
    assert _check(site, use_cache=False)[0] == found
    assert not any(f.rule == "GP502" and "mobile" in f.path for f in found)


def test_a_damaged_entry_is_ignored(site, loads):
    cold = _check(site, use_cache=False)
    _check(site)
    database = cache_dir_for(site, "check") / checkcache.DATABASE
    with sqlite3.connect(database) as db:
        key, head = db.execute("SELECT k, head FROM docs WHERE k LIKE 'notices/2026-11-01%'") \
            .fetchone()
        # the title 联系方式 becomes 联络方式: still a valid pickle, only the checksum tells
        assert "系".encode() in head
        damaged = head.replace("系".encode(), "络".encode())
        db.execute("UPDATE docs SET head = ? WHERE k = ?", (damaged, key))
        db.execute("UPDATE docs SET findings = ? WHERE k LIKE 'notices/2026-11-02%'",
                   (b"garbage",))
    loads.clear()
    assert _check(site) == cold
    assert sorted(loads) == ["notices/2026-11-01-mobile.md", "notices/2026-11-02-link.md",
                             "notices/2026-11-04-crlf.md"]


def test_damaged_or_false_kept_records_are_never_trusted(site):
    """Kept sign-off records (one batch per process) that are damaged are parsed again;
    one kept under the digest of other bytes is never found for the record's bytes."""
    import pickle

    from govpub.review.records import Signoff, SignoffRecord
    from govpub.sealed import seal

    cold = _check(site, use_cache=False)
    _check(site)
    database = cache_dir_for(site, "check") / checkcache.DATABASE
    with sqlite3.connect(database) as db:
        (key, blob), = db.execute("SELECT k, value FROM records").fetchall()
        assert b"li-wei" in blob or b"zhang" in blob
        # a reviewer's id changed inside the batch: still a pickle, only the checksum tells
        damaged = blob.replace(b"public", b"publik", 1)
        assert damaged != blob
        db.execute("UPDATE records SET value = ? WHERE k = ?", (damaged, key))
    assert _check(site) == cold
    # a well-sealed batch whose records belong to no file's digest: never looked up
    forged = {"0" * 64: (SignoffRecord("notices/2026-11-20-fees.md", "sha256:" + "0" * 64,
                                       [Signoff("li-wei", "2026-11-01", "public")]), [])}
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO records VALUES ('forged', ?)",
                   (seal(pickle.dumps(forged, protocol=pickle.HIGHEST_PROTOCOL)),))
    assert _check(site) == cold
    assert _check(site) == cold


def test_kept_records_of_old_versions_are_dropped_the_current_kept(site, monkeypatch):
    import pickle

    from govpub.sealed import unseal

    monkeypatch.setattr(checkcache, "RECORDS_SLACK", 0)
    page = site / "content/notices/2026-11-01-mobile.md"
    database = cache_dir_for(site, "check") / checkcache.DATABASE
    rounds = 12  # each round: a new version of the page and of its record
    for round_ in range(rounds):
        page.write_text(page.read_text(encoding="utf-8") + f"\n第{round_}次修改。\n",
                        encoding="utf-8")
        sign_off(site, ["notices/2026-11-01-mobile.md"])
        assert _check(site) == _check(site, use_cache=False)
    with sqlite3.connect(database) as db:
        batches = [pickle.loads(unseal(blob)) for (blob,) in
                   db.execute("SELECT value FROM records")]
    kept = {digest for batch in batches for digest in batch}
    records = sorted((site / "review").rglob("*.yml"))
    current = {checkcache.hashlib.sha256(r.read_bytes()).hexdigest() for r in records}
    assert current <= kept  # every current record is kept
    # kept without compaction: every old version (rounds - 1) besides the current records
    assert len(kept) < len(current) + rounds - 1


def test_a_stale_entry_is_never_found_again(site, loads):
    """The old version's entry stays keyed by the old digest; the new bytes are checked."""
    _check(site)
    _edit = site / "content/notices/2026-11-01-mobile.md"
    _edit.write_text(_edit.read_text(encoding="utf-8").replace("13812345678", "（已删除）"),
                     encoding="utf-8")
    sign_off(site, ["notices/2026-11-01-mobile.md"])
    found, blocked = _check(site)
    assert (found, blocked) == _check(site, use_cache=False)
    assert "notices/2026-11-01-mobile.md" not in blocked


def test_a_damaged_database_is_ignored(site):
    cold = _check(site, use_cache=False)
    _check(site)
    database = cache_dir_for(site, "check") / checkcache.DATABASE
    for suffix in ("-wal", "-shm"):
        (database.parent / (database.name + suffix)).unlink(missing_ok=True)
    database.write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    assert _check(site) == cold
    assert _check(site) == cold


def test_a_withdrawn_sign_off_is_seen(site, loads):
    _check(site)
    (site / "review/notices/2026-11-20-fees.md.yml").unlink()
    found, blocked = _check(site)
    assert (found, blocked) == _check(site, use_cache=False)
    assert "notices/2026-11-20-fees.md" in blocked


def test_a_sign_off_changed_in_place_is_seen_even_with_the_same_size_and_time(site):
    """The record's status (taken once, before it is read) keys its kept reading: a
    decision changed in place, size and modification time forged back, is read again."""
    _check(site)
    record = site / "review/notices/2026-11-20-fees.md.yml"
    before = record.stat()
    text = record.read_bytes()
    assert b"decision: public" in text
    record.write_bytes(text.replace(b"decision: public", b"decision: publix", 1))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size
    found, blocked = _check(site)
    assert (found, blocked) == _check(site, use_cache=False)
    assert "notices/2026-11-20-fees.md" in blocked
    assert any(f.rule == "GP207" for f in found)


def test_the_clock_is_read_on_every_check(site):
    before = _check(site, NOW)
    assert "notices/2026-12-24-later.md" in before[1]
    assert not any(f.rule == "GP501" for f in before[0]), "born 2026-12-01: not yet a number"
    later = NOW + timedelta(days=30)
    after = _check(site, later)
    assert after == _check(site, later, use_cache=False)
    assert "notices/2026-12-24-later.md" not in after[1]
    assert any(f.rule == "GP501" for f in after[0]), "the daily rule ran again on a new day"


def test_a_policy_change_drops_the_cache(site, loads):
    _check(site)
    rules_yml = site / "site_config/rules.yml"
    original = rules_yml.read_text(encoding="utf-8") if rules_yml.exists() else ""
    rules_yml.write_text(original + "\nseverity:\n  GP502: warning\n", encoding="utf-8")
    loads.clear()
    found, _ = _check(site)
    assert len(loads) == len(_files())  # every file loaded again
    assert found == _check(site, use_cache=False)[0]


def test_rules_and_code_changes_drop_the_cache(site, loads, monkeypatch, tmp_path):
    _check(site)
    loads.clear()
    _check(site, rules=[r for r in registry.all() if r.id != "GP502"])
    assert len(loads) == len(_files()), "another set of rules: nothing reused"

    code = tmp_path / "govpub-code"
    code.mkdir()
    (code / "rule.py").write_text("one\n", encoding="utf-8")
    monkeypatch.setattr(stamp, "code_folder", lambda: code)
    _check(site)
    loads.clear()
    _check(site)
    assert len(loads) == 1  # only the CRLF page
    (code / "rule.py").write_text("two\n", encoding="utf-8")  # a new govpub
    loads.clear()
    _check(site)
    assert len(loads) == len(_files())


def test_a_rule_that_is_not_cacheable_runs_every_time(site):
    calls = []

    class Counting(Rule):
        id = "GP999"
        name = "counting"
        local = True

        def check(self, ctx):
            calls.extend(d.path for d in ctx.documents())
            return iter(())

    rules = [*registry.all(), Counting]
    _check(site, rules=rules)
    calls.clear()
    _check(site, rules=rules)
    assert len(calls) == len(_files())


def test_the_cache_is_outside_the_repository(site):
    _check(site)
    folder = cache_dir_for(site, "check")
    assert (folder / checkcache.DATABASE).is_file()
    assert not folder.resolve().is_relative_to(site.resolve())
    assert not list(site.rglob("*.sqlite3"))


def test_a_new_page_is_checked_with_the_rest_reused(site, loads):
    _check(site)
    add_file(site, "notices/2026-11-26-new.md", notice(title="新通知", body="手机 13912345678。"))
    loads.clear()
    found, _ = _check(site)
    assert sorted(loads) == ["notices/2026-11-04-crlf.md", "notices/2026-11-26-new.md"]
    assert found == _check(site, use_cache=False)[0]


def test_findings_are_worded_in_the_language_of_the_run_that_shows_them(tmp_path):
    """A Chinese run's cached findings are never shown to an English run (or back)."""
    from govpub import i18n

    site = make_site(tmp_path, _files())
    i18n.set_language("zh-CN")
    try:
        chinese = _check(site)[0]
    finally:
        i18n.set_language(None)
    english = _check(site)[0]
    assert english == _check(site, use_cache=False)[0]
    mobile = [f.message for f in english if f.path.endswith("mobile.md")]
    assert mobile and not any("\u4e00" <= char <= "\u9fff" for message in mobile
                              for char in message), mobile
    assert [f.message for f in chinese if f.path.endswith("mobile.md")] != mobile



def test_the_demo_site_checked_on_every_core_with_the_cache_finds_what_one_process_finds(
        tmp_path, monkeypatch):
    """The fast paths of a cold check (chunks on every core, records read once, the
    written-shape record reader, the cache written on the way) against the plain path:
    one process, no cache, the general record reader."""
    import shutil

    from factory import REPO

    from govpub.review import records

    root = tmp_path / "demo"
    for folder in ("content", "review", "site_config", "disclosure"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    with monkeypatch.context() as plain:
        plain.setattr(records, "_written_shape", lambda text: None)
        expected = _check(root, use_cache=False)
    monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", 1)
    monkeypatch.setattr(checker, "CHUNK_FILES", 3)
    assert expected[0] and expected[1]  # the demo has findings and blocked pages
    assert _check(root) == expected  # cold: the cache is written on the way
    page = next((root / "content").rglob("*.md"))
    page.write_bytes(page.read_bytes())  # touched: the rest comes from the cache
    assert _check(root) == expected
    assert _check(root) == expected


def test_kept_values_come_back_equal_with_their_types():
    """The cache's pickling (slots dataclasses by a dispatch table, the rest pickle's own
    way) gives back what was kept: same values, same types, frozen ones still frozen."""
    import dataclasses

    from govpub.findings import Finding, Severity
    from govpub.links.extract import Link
    from govpub.links.pages import PageLink
    from govpub.rules.internal_links import InternalLink
    from govpub.sensitive.sources import Segment

    link = Link(url="a.md#x", line=3, column=5, kind="inline")
    value = {"links": [link, Link(url="https://example.cn/", line=1, column=1, kind="auto")],
             "segments": (Segment("甲\n乙", ((0, 1, ""), (2, 2, ("title",))), True, ((0, 1),)),),
             "findings": [Finding("content/a.md", 2, 1, "GP502", Severity.ERROR, "手机号")],
             "page": [PageLink("b.md", 4, 2, "inline", "")],
             "internal": [InternalLink("a.md", "b.md", 4, 2, "b.md", "", False, True)],
             "shared": (link, link)}
    back = checkcache._unpack(checkcache._pack(value))
    assert back == value
    assert [type(x) for x in back["links"]] == [Link, Link]
    assert type(back["segments"][0]) is Segment and type(back["findings"][0]) is Finding
    assert type(back["page"][0]) is PageLink and type(back["internal"][0]) is InternalLink
    assert back["shared"][0] is back["shared"][1]  # one object kept once
    with pytest.raises(dataclasses.FrozenInstanceError):
        back["links"][0].line = 9
    for cls in (Link, Segment, Finding):  # kept the quick way, not by pickle's own
        assert cls in checkcache._dispatch_table()


def test_a_cached_page_makes_its_body_links_again(site):
    """A page's body links are not written to the cache (only the links made from them):
    asked of a reused page, they are made again from its kept body, the same."""
    from govpub.content import list_entries
    from govpub.digest import digest_for
    from govpub.links import body_links, extract_links

    _check(site)
    policy = load_policy(site)
    cache = checkcache.CheckCache.open(policy, registry.all(), checker.SHARED_DERIVATIONS,
                                       NOW.date().isoformat())
    try:
        hits, _todo = cache.split(list_entries(policy.content_dir), digest_for)
    finally:
        cache.close()
    doc, _found = hits["notices/2026-11-02-link.md"]
    body, kept = checkcache._unpack(doc._rest)
    assert "body-links" not in kept and "body-links" not in doc.derived
    assert body_links(doc) == extract_links(body) and body_links(doc)


def test_every_file_loaded_on_every_core_is_kept_chunk_by_chunk(site, loads, monkeypatch):
    """Each process writes its chunks' results as it goes: none is lost (every file but
    the uncacheable CRLF page is kept), and the next check, one page touched, loads only
    the CRLF page in this process (loads in workers are not counted: all are here)."""
    monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", 1)
    monkeypatch.setattr(checker, "CHUNK_FILES", 2)
    cold = _check(site, use_cache=False)
    assert _check(site) == cold
    with sqlite3.connect(cache_dir_for(site, "check") / checkcache.DATABASE) as db:
        kept = {k.split("\0")[0] for (k,) in db.execute("SELECT k FROM docs")}
    files = {p.relative_to(site / "content").as_posix()
             for p in (site / "content").rglob("*") if p.is_file()}
    assert len(files) > 2 * checker.CHUNK_FILES
    assert kept == files - {"notices/2026-11-04-crlf.md"}
    page = site / "content/notices/2026-11-01-mobile.md"
    page.write_bytes(page.read_bytes())
    monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", 10_000)
    loads.clear()
    assert _check(site) == cold
    assert loads == ["notices/2026-11-04-crlf.md"]


@pytest.mark.parametrize("keep_bodies", [True, False])
def test_documents_a_worker_sends_as_cache_blobs_are_the_documents_it_loaded(
        site, monkeypatch, keep_bodies):
    """A worker sends the parent each document it kept in the cache as the blobs it kept
    (not pickled a second time): made again, each is the document one process loads,
    with its text when the caller keeps bodies and without it when not."""
    from govpub.checkcache import CachedDocument

    policy = load_policy(site)
    alone = checker.check_repository(policy, NOW, use_cache=False).context.corpus.documents
    monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", 1)
    monkeypatch.setattr(checker, "CHUNK_FILES", 2)
    parent = os.getpid()
    made = []
    real = checkcache.cached_document
    monkeypatch.setattr(checker, "cached_document",
                        lambda *blobs: made.append(blobs[0]) or real(*blobs))
    shared = checker.SHARED_DERIVATIONS
    documents = checker.check_repository(policy, NOW, keep_bodies=keep_bodies)\
        .context.corpus.documents
    assert os.getpid() == parent and made  # some came from the worker, as blobs
    assert documents.keys() == alone.keys()
    for path, doc in documents.items():
        expected = alone[path]
        for name in ("path", "file", "is_page", "digest", "size", "meta", "body_line",
                     "key_lines", "problems", "readable"):
            assert getattr(doc, name) == getattr(expected, name), (path, name)
        both = shared & doc.derived.keys() & expected.derived.keys()
        assert {k: doc.derived[k] for k in both} == {k: expected.derived[k] for k in both}
        if keep_bodies or not isinstance(doc, CachedDocument):
            assert doc.body == expected.body or (not keep_bodies and doc.body is None), path
        else:
            assert doc.body is None, path
    assert any(isinstance(doc, CachedDocument) for doc in documents.values())


def test_a_cache_made_with_smaller_pages_is_still_used(site, loads, monkeypatch):
    """New cache databases get larger pages; one made before (SQLite's 4 KB pages) keeps
    its size and is reused as it is."""
    cold = _check(site, use_cache=False)
    larger = checkcache.PAGE_BYTES
    assert larger > 4096
    monkeypatch.setattr(checkcache, "PAGE_BYTES", 4096)
    assert _check(site) == cold
    monkeypatch.setattr(checkcache, "PAGE_BYTES", larger)
    database = cache_dir_for(site, "check") / checkcache.DATABASE
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)
    loads.clear()
    assert _check(site) == cold
    assert loads == ["notices/2026-11-04-crlf.md"]
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)
    database.unlink()
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    assert _check(site) == cold
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (checkcache.PAGE_BYTES,)


def _kept_documents(root) -> int:
    with sqlite3.connect(cache_dir_for(root, "check") / checkcache.DATABASE) as db:
        return db.execute("SELECT count(*) FROM docs").fetchone()[0]


def _cli_check(root, capsys) -> tuple[int, str]:
    from govpub.cli import main

    code = main(["--root", str(root), "check", "--now", NOW.isoformat(), "--format", "json"])
    return code, capsys.readouterr().out


def _rewrite(root, rel: str) -> None:
    page = root / "content" / rel
    page.write_bytes(page.read_bytes())  # the same bytes, a new change time: checked again


def test_govpub_check_fills_the_cache_from_its_second_check_on(site, loads, capsys):
    """The first `govpub check` of a clone (CI's only one) runs without the cache and only
    marks it seen; the next check that runs (after an edit) fills it; the one after that
    loads nothing again but the uncacheable CRLF page (the file written again has the same
    bytes: found by its digest). A policy change starts the count again. Every answer is
    the first one's."""
    first = _cli_check(site, capsys)
    assert first[0] == 1 and "GP" in first[1]
    assert len(loads) == len(_files()) and _kept_documents(site) == 0
    _rewrite(site, "notices/2026-11-01-mobile.md")
    loads.clear()
    assert _cli_check(site, capsys) == first  # (the kept verdict no longer holds: ran)
    assert len(loads) == len(_files())
    assert _kept_documents(site) == len(_files()) - 1  # all but the CRLF page
    _rewrite(site, "notices/2026-11-02-link.md")
    loads.clear()
    assert _cli_check(site, capsys) == first
    assert loads == ["notices/2026-11-04-crlf.md"]
    rules_yml = site / "site_config/rules.yml"
    original = rules_yml.read_text(encoding="utf-8") if rules_yml.exists() else ""
    rules_yml.write_text(original + "\nseverity:\n  GP502: warning\n", encoding="utf-8")
    after_policy = _cli_check(site, capsys)
    assert _kept_documents(site) == 0  # a new generation, seen once: not filled yet
    assert json.loads(after_policy[1]) == json.loads(_cli_check_uncached(site, capsys)[1])


def _cli_check_uncached(root, capsys) -> tuple[int, str]:
    """The same check with no cache folder at all."""
    saved = os.environ.get("GOVPUB_CACHE_DIR")
    os.environ["GOVPUB_CACHE_DIR"] = os.devnull + "/none"  # cannot be made: no cache
    try:
        return _cli_check(root, capsys)
    finally:
        os.environ["GOVPUB_CACHE_DIR"] = saved


def test_a_build_fills_the_cache_at_once(site):
    """The build's check fills the cache on its first run: the next, incremental, build
    reads it (only `govpub check` waits for a second check)."""
    checker.check_repository(load_policy(site), NOW)
    assert _kept_documents(site) == len(_files()) - 1
