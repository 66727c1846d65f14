"""A kept verdict is given back only when nothing the check reads has changed.

The whole `govpub check` (the command, in-process) runs on a real repository
twice: the second answer comes from govpub.verdicts without loading the
policy or a page. Every kind of change to the inputs, a time past an instant
a rule named, another language, and a damaged store must all make the check
run again — and whenever a verdict is given back, it must equal a fresh
check's at that time.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from build_fixtures import basic_files, make_site, notice
from factory import NOW

from govpub import checker, verdicts
from govpub.cli import main
from govpub.config import load_policy
from govpub.review.records import add_signoff
from govpub.rules import registry

SCHEDULED = NOW.replace(month=12, day=24, hour=9)  # the scheduled notice's time
FUTURE_SIGNOFF = NOW.replace(year=2100)


def _files() -> dict[str, str | bytes]:
    files = basic_files()
    files.update({
        "notices/2026-12-24-later.md": notice(title="预告", published="'2026-12-24T09:00:00+08:00'"),
        # an ID number whose birth date is 2026-11-29: not one before that day
        "notices/2026-11-03-id.md": notice(title="身份", body="证件号 110101202611290017。"),
    })
    return files


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = make_site(tmp_path, _files())
    (root / "disclosure").mkdir()
    (root / "disclosure/index-numbers.csv").write_text("index_number,path,date,event\n",
                                                      encoding="utf-8")
    policy = load_policy(root)
    add_signoff(policy, "notices/2026-11-25-hours.md", sorted(policy.reviewers)[0], "public",
                "checked", FUTURE_SIGNOFF)  # dated in the future: GP215 until 2100
    monkeypatch.setattr(verdicts, "RACY_NS", 0)  # files written just now may be kept
    return root


@pytest.fixture
def runs(monkeypatch):
    """Each whole check that really ran (the rest were kept verdicts)."""
    ran = []
    real = checker.check_repository

    def counting(*args, **kwargs):
        ran.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(checker, "check_repository", counting)
    return ran


def _check(root, capsys, now=NOW, *args):
    code = main(["--root", str(root), "check", "--now", now.isoformat(), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_repeated_check_gives_the_same_answer_without_checking_again(site, capsys, runs):
    first = _check(site, capsys)
    assert "GP104" in first[1] and "GP215" in first[1]
    assert _check(site, capsys) == first
    assert len(runs) == 1
    # narrowed to a path: the kept verdict is narrowed the same way
    narrowed = _check(site, capsys, NOW, str(site / "content/notices/2026-12-24-later.md"))
    assert "GP104" in narrowed[1] and "GP215" not in narrowed[1]
    assert len(runs) == 1


@pytest.mark.parametrize("change", [
    "edit-same-size-and-time", "new-page", "removed-page", "new-record", "policy",
    "disclosure-registry", "page-becomes-link"])
def test_every_change_to_an_input_is_seen(site, capsys, runs, change):
    before = _check(site, capsys)
    page = site / "content/notices/2026-11-20-fees.md"
    if change == "edit-same-size-and-time":
        stat = page.stat()
        page.write_bytes(page.read_bytes().replace("调整".encode(), "变更".encode()))
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert page.stat().st_size == stat.st_size
    elif change == "new-page":
        (site / "content/notices/2026-11-26-new.md").write_text(notice(title="新"),
                                                                encoding="utf-8")
    elif change == "removed-page":
        page.unlink()
    elif change == "new-record":
        (site / "review/notices/stray.md.yml").write_text("digest: x\n", encoding="utf-8")
    elif change == "policy":
        rules = site / "site_config/rules.yml"
        rules.write_text("severity:\n  GP104: warning\n", encoding="utf-8")
    elif change == "disclosure-registry":
        with (site / "disclosure/index-numbers.csv").open("a", encoding="utf-8") as registry_file:
            registry_file.write("CNIPA/2026-00001,notices/2026-11-20-fees.md,2026-11-28,"
                                "assigned\n")
    elif change == "page-becomes-link":
        data = page.read_bytes()
        page.unlink()
        (site / "elsewhere.md").write_bytes(data)
        page.symlink_to(site / "elsewhere.md")
    after = _check(site, capsys)
    assert len(runs) == 2, "the check ran again"
    assert after != before or change == "edit-same-size-and-time"
    fresh = checker.check_repository(load_policy(site), NOW, use_cache=False)
    assert after[0] == (1 if any(f.blocking for f in fresh.findings) else 0)


@pytest.mark.parametrize("later", [
    NOW + timedelta(hours=1),           # nothing happens before midnight: the same verdict
    NOW + timedelta(days=1),            # the next day: the ID number is one now
    SCHEDULED + timedelta(minutes=1),   # published now: GP104 gone
    FUTURE_SIGNOFF,                     # the sign-off is no longer in the future
    NOW.replace(year=2027, month=1, day=2),  # the link approval is due for review
    NOW - timedelta(days=30),           # earlier than before
])
def test_a_kept_verdict_is_given_back_only_for_a_time_it_holds_at(site, capsys, later):
    """The answer at ``later`` equals a fresh check's, kept verdict or not."""
    _check(site, capsys)
    kept = verdicts.recall(site, later.isoformat())
    answer = _check(site, capsys, later)
    fresh = checker.check_repository(load_policy(site), later, use_cache=False)
    shown = {(f.path, f.line, f.rule) for f in fresh.findings}
    assert {(line.split(":")[0], int(line.split(":")[1]), line.split()[1])
            for line in answer[1].splitlines()} == shown
    expect_kept = later == NOW + timedelta(hours=1)
    assert (kept is not None) == expect_kept


def test_an_instant_at_the_time_judged_keeps_nothing(site, capsys, runs):
    _check(site, capsys, SCHEDULED)  # exactly the scheduled time: either side may differ
    _check(site, capsys, SCHEDULED)
    assert len(runs) == 2


def test_another_language_is_another_verdict(site, capsys, runs, monkeypatch):
    english = _check(site, capsys)
    monkeypatch.setenv("GOVPUB_LANG", "zh-CN")
    chinese = _check(site, capsys)
    assert len(runs) == 2 and english[2] != chinese[2]
    monkeypatch.setenv("GOVPUB_LANG", "en")
    assert _check(site, capsys) == english and len(runs) == 2


def test_a_damaged_store_is_ignored(site, capsys, runs):
    first = _check(site, capsys)
    store = verdicts._store(site)
    data = bytearray(store.read_bytes())
    data[-5] ^= 0xFF
    store.write_bytes(bytes(data))
    assert _check(site, capsys) == first
    assert len(runs) == 2
    store.write_bytes(b"not a pickle at all")
    assert _check(site, capsys) == first and len(runs) == 3


def test_a_tree_written_just_now_is_not_kept(site, capsys, runs, monkeypatch):
    monkeypatch.setattr(verdicts, "RACY_NS", 2_000_000_000)  # the real rule (the fixture's is 0)
    page = site / "content/notices/2026-11-20-fees.md"
    page.write_bytes(page.read_bytes())  # changed now: its times may not have ticked yet
    _check(site, capsys)
    _check(site, capsys)
    assert len(runs) == 2


AUDIT = """
import json, os, sys
from govpub import checker
from govpub.config import load_policy
from factory import NOW
root = os.path.realpath(sys.argv[1])
reached = set()

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and \\
            isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(os.fspath(args[0])))
        if path.startswith(root + os.sep):
            reached.add(os.path.relpath(path, root).split(os.sep)[0])

sys.addaudithook(hook)
checker.check_repository(load_policy(root), NOW, use_cache=False)
print(json.dumps(sorted(reached)))
"""


def test_the_check_reads_nothing_in_the_repository_but_its_inputs(site):
    """The verdict is keyed by INPUTS: a rule that reads another file must extend it."""
    run = subprocess.run([sys.executable, "-c", AUDIT, str(site)], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parent,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    reached = set(json.loads(run.stdout))
    assert {"content", "review", "site_config", "disclosure"} <= reached, "the hook saw it"
    assert reached <= set(verdicts.INPUTS), sorted(reached - set(verdicts.INPUTS))


def test_rules_that_do_not_name_a_clock_do_not_read_the_time(site):
    """Findings of every rule without a ``clock`` (outside the gate, which follows the
    blocked set) are the same decades apart."""
    policy = load_policy(site)
    quiet = {r.id for r in registry.all() if r.clock is None and not r.needs_gate}
    found = [sorted((f for f in checker.check_repository(policy, now, use_cache=False).findings
                     if f.rule in quiet), key=lambda f: f.sort_key())
             for now in (NOW.replace(year=2001), NOW.replace(year=2101))]
    assert found[0] == found[1]


@pytest.mark.parametrize("use_cache", [False, True])
def test_instants_named_in_worker_processes_come_back(site, monkeypatch, tmp_path, use_cache):
    """The clock rules run where the pages load — in forked workers on large trees: what
    they name must reach the verdict as if everything ran in one process (with a cold
    cache, the workers also write it)."""
    policy = load_policy(site)
    caches = iter(range(10))

    def named(min_files):
        monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", min_files)
        monkeypatch.setenv("GOVPUB_CACHE_DIR", str(tmp_path / f"cache-{next(caches)}"))
        result = checker.check_repository(policy, NOW, use_cache=use_cache)
        return {clock: sorted(set(times)) for clock, times in result.instants.items()}

    alone = named(10**9)
    shared = named(2)
    assert SCHEDULED in alone["now"] and FUTURE_SIGNOFF - timedelta(minutes=5) in alone["clock"]
    assert shared == alone


def test_a_policy_changed_while_it_is_read_is_never_kept_for_the_new_tree(site, capsys,
                                                                          monkeypatch):
    """The inputs' state the verdict is kept by is taken before the policy is read: a
    change of site_config/ after it was read (the check judged by the old policy) must
    not leave a verdict kept for the tree with the new policy."""
    from govpub.cli import check as check_command

    real = check_command.policy_of
    rules_file = site / "site_config/site.yml"
    original = rules_file.read_bytes()

    def read_then_changed(ctx):
        policy = real(ctx)
        rules_file.write_bytes(original + b"\n# changed after it was read\n")
        return policy

    monkeypatch.setattr(check_command, "policy_of", read_then_changed)
    _check(site, capsys)
    assert verdicts.recall(site, NOW.isoformat()) is None


def test_one_check_works_out_govpub_s_code_key_once_and_keeps_it_right(
        site, capsys, runs, monkeypatch):
    """The check cache and the kept verdict both depend on govpub's code: one check hashes
    the code once (stamp.code_key_held), and the verdict it keeps under that key is found
    again by a check that works the key out afresh; outside a check the key is worked
    out on every call (a long-running process must see new code)."""
    from govpub import stamp

    worked_out = []
    real = stamp._code_key
    monkeypatch.setattr(stamp, "_code_key", lambda: worked_out.append(1) or real())
    first = _check(site, capsys)
    assert len(worked_out) == 1 and len(runs) == 1
    assert _check(site, capsys) == first and len(runs) == 1  # the kept verdict is found
    assert stamp.code_key() == stamp.code_key() and len(worked_out) == 4


def test_with_nothing_kept_yet_the_tree_is_walked_beside_the_check(site, capsys, runs,
                                                                    monkeypatch):
    """A fresh clone has no verdict to look up: the tree is walked once, by a forked
    child while the check starts (not in this process, before and after it), and what
    is kept by that walk is found by the next check."""
    walks = []
    real = verdicts.tree_state
    monkeypatch.setattr(verdicts, "tree_state", lambda root: walks.append(os.getpid())
                        or real(root))
    first = _check(site, capsys)
    assert walks == [] and len(runs) == 1  # (the child's walk is not counted here)
    assert _check(site, capsys) == first and len(runs) == 1  # kept, and found
    assert walks == [os.getpid()]  # the lookup's walk


@pytest.mark.parametrize("fails", ["no-fork", "child-fails"])
def test_the_walk_beside_gives_the_tree_state_even_when_its_child_cannot(site, monkeypatch,
                                                                         fails):
    parent = os.getpid()
    real = verdicts.tree_state
    if fails == "no-fork":
        monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError("no fork")))
    else:
        def failing_in_the_child(root):
            if os.getpid() != parent:
                raise RuntimeError("the child fails")
            return real(root)
        monkeypatch.setattr(verdicts, "tree_state", failing_in_the_child)
    open_before = len(os.listdir("/proc/self/fd"))
    assert verdicts.TreeWalk(site).state() == real(site)
    assert len(os.listdir("/proc/self/fd")) == open_before  # its pipe closed either way


@pytest.mark.parametrize("changed", ["content/notices/2026-11-20-fees.md",
                                     "review/notices/2026-11-20-fees.md.yml"])
def test_an_input_changed_during_a_first_check_is_never_kept(site, capsys, monkeypatch,
                                                             changed):
    """With the one walk after the check, a file written while the check ran (after it
    was read, or before) has a change time after the start: nothing is kept."""
    real = checker.check_repository
    target = site / changed

    def changing(*args, **kwargs):
        result = real(*args, **kwargs)
        target.write_bytes(target.read_bytes())  # read by the check, then written again
        return result

    monkeypatch.setattr(checker, "check_repository", changing)
    _check(site, capsys)
    assert verdicts.recall(site, NOW.isoformat()) is None


def test_an_input_folder_removed_during_a_first_check_is_never_kept(site, capsys,
                                                                    monkeypatch):
    """A folder of inputs removed once the check read it is not walked after the check:
    its removal shows in the change time of the repository's folder, and nothing is
    kept for the tree without it (where the check's answer may differ)."""
    import shutil

    real = checker.check_repository

    def removing(*args, **kwargs):
        result = real(*args, **kwargs)
        shutil.rmtree(site / "disclosure")
        return result

    monkeypatch.setattr(checker, "check_repository", removing)
    _check(site, capsys)
    assert verdicts.recall(site, NOW.isoformat()) is None


def test_a_clock_set_during_a_first_check_keeps_nothing(site, capsys, monkeypatch):
    """Change times are read by the real clock: set while the check ran (the real clock
    and the monotonic one parted), they may lie before its start — nothing is kept."""
    real = verdicts.Started.now
    monkeypatch.setattr(verdicts.Started, "now", classmethod(
        lambda cls: dataclasses.replace(real(), monotonic_ns=real().monotonic_ns - 5 * 10**9)))
    _check(site, capsys)
    assert verdicts.recall(site, NOW.isoformat()) is None
    monkeypatch.undo()
    monkeypatch.setattr(verdicts, "RACY_NS", 0)
    _check(site, capsys)
    assert verdicts.recall(site, NOW.isoformat()) is not None  # (the clock as it is: kept)
