"""What one check keeps for the next (govpub.checkmemo) never changes a finding.

Each test checks a real repository with kept state before and after an edit,
and compares the second check with a fresh one (no cache, nothing kept):
findings, the gate's blocked set and the instants at which the findings may
change. The second check runs either in the same process (``keep=True``, as
serve's rebuilds do) or as a new process would (what this process kept is
forgotten: only what the check cache's database keeps is found, as by the
next ``govpub build``). Each also asserts that the kept state was used
(buckets reused), so that a key that forgets an input makes the comparison
fail.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from build_fixtures import NOW_TEXT, add_file, basic_files, make_site, notice
from factory import NOW, sign_off

from govpub import checkcache, checker, checkmemo
from govpub.build import serve
from govpub.build.pipeline import BuildOptions
from govpub.cachedir import cache_dir_for
from govpub.config import load_policy
from govpub.watch.fidelity import text_digest

LATER = "notices/2026-12-24-later.md"
FEES = "notices/2026-11-20-fees.md"
COPY = "reproduced/2026-11-20-policy.md"


def _reproduction(body: str, recorded: str) -> str:
    return ("---\ntitle: 关于转载的通知\nsource: 国务院\npublished: 2026-11-20T18:00:00+08:00\n"
            "disclosure: proactive\ndoc_number: 国发〔2026〕21号\nreproduces:\n"
            "  url: https://www.gov.cn/zhengce/content/2026-11/20/content_1.htm\n"
            "  title: 关于转载的通知\n  publisher: 中华人民共和国中央人民政府\n"
            f"  published: 2026-11-20T08:30:00+08:00\n  text_digest: {recorded}\n---\n\n"
            f"{body}\n")


def _files() -> dict[str, str | bytes]:
    files = basic_files()
    files.update({
        LATER: notice(title="预告", published="'2026-12-24T09:00:00+08:00'"),
        "notices/2026-11-01-mobile.md": notice(title="联系方式", body="联系人手机 13812345678。"),
        "notices/2026-11-02-link.md": notice(title="链接", body="见[费用](2026-11-20-fees.md)。"),
        # differs from the original's text, which is not kept yet (GP408 reads it)
        COPY: _reproduction("正文乙。", text_digest("正文甲。")),
    })
    for day in range(3, 19):  # enough pages for several buckets
        files[f"notices/2026-11-{day:02d}-n.md"] = notice(title=f"通知{day}", body=f"正文{day}。")
    return files


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = make_site(tmp_path, _files())
    # files written just now may be known by their status (see each module's RACY_NS)
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    monkeypatch.setattr(checkmemo, "RACY_NS", 0)
    checkmemo.forget()
    yield root
    checkmemo.forget()


def _seen(result):
    return (result.findings, sorted(result.blocked),
            {clock: sorted(set(times)) for clock, times in result.instants.items()})


def _check(root, now=NOW, *, keep=True, use_cache=None):
    result = checker.check_repository(load_policy(root), now, keep=keep,
                                      use_cache=keep if use_cache is None else use_cache)
    return _seen(result)


@pytest.fixture(params=["same process", "next process"])
def process(request):
    return request.param


def _same_as_fresh(root, process="same process", now=NOW):
    """The kept check's results, asserted equal to a fresh check's, and how much was kept."""
    if process == "next process":
        checkmemo.forget()
        kept = _check(root, now, keep=False, use_cache=True)  # as `govpub build` checks
    else:
        kept = _check(root, now)
    state = checkmemo.kept_for(root.resolve())
    reused = state.reused
    assert kept == _check(root, now, keep=False)
    return kept, reused


def _rule_paths(seen, rule):
    return sorted(f.path for f in seen[0] if f.rule == rule)


def test_an_unchanged_tree_reuses_every_bucket_and_finds_the_same(site, process):
    first, _ = _same_as_fresh(site, process)
    again, reused = _same_as_fresh(site, process)
    assert again == first
    assert reused == len(checkmemo.kept_for(site.resolve()).buckets) > 3
    assert checkmemo.kept_for(site.resolve()).ran == 0


def test_a_page_loaded_on_every_check_does_not_unsettle_its_bucket(site, process, monkeypatch):
    """A page with CR line ends is never cached (loaded on every check, after the reused
    ones): its bucket is still reused after the first check, which loaded everything."""
    monkeypatch.setattr(checkmemo, "BUCKETS", 1)
    add_file(site, "notices/2026-11-19-crlf.md",
             notice(title="换行").replace("\n", "\r\n").encode())
    _check(site)  # everything loaded (an empty cache)
    _, reused = _same_as_fresh(site, process)
    assert reused == 1 and checkmemo.kept_for(site.resolve()).ran == 0


def test_a_page_text_edit(site, process):
    _check(site)
    page = site / "content/notices/2026-11-05-n.md"
    page.write_text(page.read_text(encoding="utf-8").replace("正文5。", "正文五。"),
                    encoding="utf-8")
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert "content/notices/2026-11-05-n.md" in _rule_paths(seen, "GP202")


def test_a_front_matter_edit_that_schedules_a_page(site, process):
    _check(site)
    rel = "notices/2026-11-06-n.md"
    page = site / "content" / rel
    page.write_text(notice(title="通知6", body="正文6。", published="'2027-01-01T09:00:00+08:00'"),
                    encoding="utf-8")
    sign_off(site, [rel])
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert rel in seen[1] and "content/" + rel in _rule_paths(seen, "GP104")


def test_a_sign_off_removed(site, process):
    _check(site)
    (site / "review" / (FEES + ".yml")).unlink()
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert FEES in seen[1] and "content/" + FEES in _rule_paths(seen, "GP201")


def test_a_sign_off_added(site, process):
    add_file(site, "notices/2026-11-26-new.md", notice(title="新通知"), sign=False)
    seen = _check(site)
    assert "notices/2026-11-26-new.md" in seen[1]
    sign_off(site, ["notices/2026-11-26-new.md"])
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert "notices/2026-11-26-new.md" not in seen[1]


def test_a_sign_off_forged_in_place_with_the_same_size_and_time(site, process):
    _check(site)
    record = site / "review" / (FEES + ".yml")
    before = record.stat()
    text = record.read_bytes()
    record.write_bytes(text.replace(b"decision: public", b"decision: publix", 1))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert FEES in seen[1] and any(f.rule == "GP207" for f in seen[0])


def test_a_sign_off_by_someone_who_is_not_a_reviewer(site, process):
    _check(site)
    record = site / "review" / (FEES + ".yml")
    policy = load_policy(site)
    reviewer = sorted(policy.reviewers)[0]
    record.write_text(record.read_text(encoding="utf-8").replace(reviewer, "intruder"),
                      encoding="utf-8")
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert FEES in seen[1] and _rule_paths(seen, "GP203") == ["review/" + FEES + ".yml"]


def test_a_policy_change_runs_every_bucket_again(site, process):
    _check(site)
    reviewers = site / "site_config/reviewers.yml"
    text = reviewers.read_text(encoding="utf-8")
    policy = load_policy(site)
    assert policy.levels_for(FEES) == 1
    reviewers.write_text(text.replace("levels: 1", "levels: 2"), encoding="utf-8")
    assert load_policy(site).levels_for(FEES) == 2
    seen, reused = _same_as_fresh(site, process)
    assert reused == 0
    assert FEES in seen[1] and "content/" + FEES in _rule_paths(seen, "GP205")


def test_a_page_removed_and_one_added(site, process):
    _check(site)
    (site / "content/notices/2026-11-07-n.md").unlink()
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    assert _rule_paths(seen, "GP206") == ["review/notices/2026-11-07-n.md.yml"]
    add_file(site, "notices/2026-11-27-added.md", notice(title="新增"))
    _seen_after, reused = _same_as_fresh(site, process)
    assert reused > 0


def test_the_clock_moving_across_a_publication_time(site, process):
    before = _check(site, NOW)
    assert LATER in before[1]
    seen, reused = _same_as_fresh(site, process, NOW + timedelta(days=1))
    assert reused > 0 and LATER in seen[1]
    crossing = NOW + timedelta(days=30)
    seen, reused = _same_as_fresh(site, process, crossing)
    assert reused > 0, "the buckets without a publication time in between are reused"
    assert LATER not in seen[1]
    # and back again (a --now before the instant)
    seen, _ = _same_as_fresh(site, process, NOW)
    assert LATER in seen[1]


def test_the_original_text_beside_a_reproduction_is_read_again(site, process):
    seen = _check(site)
    messages = [f.message for f in seen[0] if f.rule == "GP408"]
    assert len(messages) == 1 and "missing" in messages[0]
    original = site / "review" / (COPY + ".original.md")
    original.write_text("正文甲。\n", encoding="utf-8")
    seen, reused = _same_as_fresh(site, process)
    assert reused > 0
    messages = [f.message for f in seen[0] if f.rule == "GP408"]
    assert len(messages) == 1 and "missing" not in messages[0]


def test_a_file_changed_just_now_is_not_kept(site, process, monkeypatch):
    monkeypatch.setattr(checkmemo, "RACY_NS", 10 ** 15)  # everything is "just now"
    _check(site)
    assert checkmemo.kept_for(site.resolve()).buckets == {}
    _same_as_fresh(site, process)
    assert checkmemo.kept_for(site.resolve()).reused == 0


def test_a_damaged_or_ill_shaped_stored_bucket_is_run_again_not_trusted(site):
    _check(site, keep=False, use_cache=True)
    store = sqlite3.connect(cache_dir_for(site, "check") / checkcache.DATABASE)
    rows = store.execute("SELECT bucket, value FROM again ORDER BY bucket").fetchall()
    assert len(rows) > 3
    (torn, torn_value), (alien, _), (odd, odd_value) = rows[:3]
    flipped = bytearray(torn_value)
    flipped[-1] ^= 1
    bucket = checkcache._unpack(odd_value)
    bucket.findings = ["not a finding"]
    with store:
        store.execute("UPDATE again SET value = ? WHERE bucket = ?", (bytes(flipped), torn))
        store.execute("UPDATE again SET value = ? WHERE bucket = ?",
                      (checkcache._pack(("not", "a", "bucket")), alien))
        store.execute("UPDATE again SET value = ? WHERE bucket = ?",
                      (checkcache._pack(bucket), odd))
    store.close()
    checkmemo.forget()  # a new process: only the store is read
    assert _check(site, keep=False, use_cache=True) == _check(site, keep=False)
    kept = checkmemo.kept_for(site.resolve())
    assert kept.ran == 3 and kept.reused == len(rows) - 3


def test_without_being_asked_only_the_buckets_are_kept(site):
    """A check of a one-off process (``govpub build``) keeps the findings of the rules run
    again by bucket (in the cache, for the next process), not the cache's entries."""
    checker.check_repository(load_policy(site), NOW)
    kept = checkmemo.kept_for(site.resolve())
    assert len(kept.buckets) > 3
    assert kept.rows == {} and kept.records == {} and kept.statuses == {}
    stored = sqlite3.connect(cache_dir_for(site, "check") / checkcache.DATABASE)
    assert stored.execute("SELECT COUNT(*) FROM again").fetchone()[0] == len(kept.buckets)


AUDIT = """
import json, os, sys
from govpub import checker
from govpub.config import load_policy
from govpub.content import list_entries
from govpub.rules import registry
from factory import NOW
root = os.path.realpath(sys.argv[1])
policy = load_policy(root)
corpus, _f, _s = checker._load_all(policy, list_entries(policy.content_dir), NOW,
                                   run_rules=False, rules=[], keep_bodies=True)
reached = set()

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and \\
            isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(os.fspath(args[0])))
        if path.startswith(root + os.sep):
            reached.add(os.path.relpath(path, root).replace(os.sep, "/"))

rules = checker._again_rules(registry.all())
sys.addaudithook(hook)
checker.run_checks(policy, corpus, NOW, rules)
print(json.dumps({"reached": sorted(reached), "rules": [r.id for r in rules],
                  "documents": sorted(corpus.documents)}))
"""


def test_the_rules_run_again_read_nothing_but_what_the_kept_state_is_keyed_by(site):
    """A local rule that is not cacheable may read, besides its document, the policy and
    the clock, only the files named by checkmemo.BESIDE: one that reads another file
    must extend the key (govpub.checkmemo.document_key)."""
    (site / "review" / (COPY + ".original.md")).write_text("正文甲。\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", AUDIT, str(site)], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parent,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    seen = json.loads(run.stdout)
    assert {"GP104", "GP201", "GP215", "GP408"} <= set(seen["rules"])
    allowed = {f"review/{path}{suffix}" for path in seen["documents"]
               for suffix in checkmemo.BESIDE}
    reached = {path for path in seen["reached"] if not path.startswith("site_config/")}
    assert "review/" + COPY + ".original.md" in reached, "the hook saw the rules read"
    assert reached <= allowed, sorted(reached - allowed)


def test_documents_made_of_kept_entries_are_not_changed_by_serve_s_rebuilds(site):
    """The documents of a kept entry share its front matter from check to check: after
    serve's rebuilds (check, gate, staging, render, ...) every kept entry is still equal
    to the one in the database, written when the file was loaded."""
    said: list[str] = []
    options = BuildOptions(root=site, serve=True, defer_search=True, now_text=NOW_TEXT,
                           echo=said.append)
    assert serve.rebuild_once(options), said
    page = site / "content/notices/2026-11-05-n.md"
    for edit in range(2):
        page.write_text(notice(title="通知5", body=f"正文{edit}。"), encoding="utf-8")
        sign_off(site, ["notices/2026-11-05-n.md"])
        assert serve.rebuild_once(options), said
    kept = checkmemo.kept_for(site.resolve()).rows
    assert len(kept) >= len(_files()) - 1
    database = sqlite3.connect(cache_dir_for(site.resolve(), "check") / checkcache.DATABASE)
    try:
        stored = dict(database.execute("SELECT k, head FROM docs"))
    finally:
        database.close()
    for key, (head, *_rest) in kept.items():
        assert checkcache._unpack(stored[key]) == head, key.split("\0")[0]
