"""Authorship from the commit graph, not from the order of a log (issue 13, item 1).

Every commit reachable from the head and not from the commit where the last
approved version stood changed the file since approval — whatever its date,
whichever side of a merge it came from, even when a later commit restored
the approved bytes.
"""

from __future__ import annotations

try:
    from review_fixtures import git, make_site, rule_ids
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import git, make_site, rule_ids

from click.testing import CliRunner

from govpub.cli import main
from govpub.review.history import verify_changes

PAGE = "notices/a.md"
RECORD = "review/notices/a.md.yml"
V1 = "第一行。\n第二行。\n第三行。"
LI = "第一行（李伟的措辞）。\n第二行。\n第三行。"
ED = "第一行。\n第二行。\n第三行（编辑）。"
BOTH = "第一行（李伟的措辞）。\n第二行。\n第三行（编辑）。"


def day(n: int) -> str:
    return f"2026-11-{n:02d}T10:00:00+08:00"


def approved_main(site):
    """main: ed wrote the first version, zhao-min approved it."""
    site.page(PAGE, body=V1)
    site.commit("ed", "add notice", date=day(1))
    site.signoff(PAGE, "zhao-min")
    site.commit("zhao-min", "approve notice", date=day(2))


def merge(site, branch: str, who: str, date: str) -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    git(site.root, "merge", "-q", "--no-ff", "-m", f"merge {branch}", branch, who=who, env=env)


def li_approves(site):
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve", RECORD, date=day(20))


def test_a_restored_approved_version_does_not_hide_earlier_changes(tmp_path):
    """li-wei edits (back-dated to look old), the editor restores the approved bytes and
    then writes her wording in again: her commit is still a change since approval."""
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date="2020-01-01T10:00:00+08:00")
    site.page(PAGE, body=V1)
    site.commit("ed", "restore the approved version", date=day(10))
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(11))
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "li.wei@example.gov.cn" in findings[0].message


def test_a_reviewers_edit_merged_from_a_side_branch_counts(tmp_path):
    """The issue's case: her wording on a side branch; the editor restores the approved
    bytes, edits, and merges her branch."""
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "side")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date=day(5))
    git(site.root, "checkout", "-q", "main")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=ED)
    site.commit("ed", "edit", date=day(6))
    site.page(PAGE, body=V1)
    site.commit("ed", "restore the approved version", date=day(7))
    site.page(PAGE, body=ED)
    site.commit("ed", "edit again", date=day(8))
    merge(site, "side", "ed", day(9))
    assert (site.root / "content" / PAGE).read_text(encoding="utf-8").endswith(BOTH + "\n")
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]


def test_a_side_branch_merged_with_ours_still_counts(tmp_path):
    """A merge that keeps its first parent's file hides the other side from a plain
    `git log -- path`; the side's commits are still reachable and still count."""
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "side")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date=day(5))
    git(site.root, "checkout", "-q", "main")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(6))
    git(site.root, "merge", "-q", "-s", "ours", "-m", "merge side", "side", who="ed")
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]


def test_criss_cross_merges_with_a_restore_in_between(tmp_path):
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "side")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date=day(3))
    git(site.root, "checkout", "-q", "main")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=ED)
    a1 = site.commit("ed", "edit", date=day(4))
    merge(site, "side", "ed", day(5))  # pr: both changes
    git(site.root, "checkout", "-q", "side")
    merge(site, a1, "li-wei", day(6))  # side: both changes, the other way round
    git(site.root, "checkout", "-q", "pr")
    site.page(PAGE, body=V1)
    site.commit("ed", "restore the approved version", date=day(7))
    merge(site, "side", "ed", day(8))  # two merge bases
    site.page(PAGE, body=BOTH)
    site.commit("ed", "final wording", date=day(9))
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    # someone who changed nothing may approve it
    site.signoff(PAGE, "wang-fang")
    site.commit("wang-fang", "approve", RECORD, date=day(21))
    assert verify_changes(site.policy(), "main")[1] == []


def test_review_approve_refuses_the_same_way(tmp_path):
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date="2020-01-01T10:00:00+08:00")
    site.page(PAGE, body=V1)
    site.commit("ed", "restore the approved version", date=day(10))
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(11))
    git(site.root, "config", "user.email", "li.wei@example.gov.cn")
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "review", "approve", f"content/{PAGE}"])
        shown = out.getvalue().decode() + err.getvalue().decode()
    assert code == 1, shown
    assert "REFUSED" in shown and "another reviewer must approve it" in shown
    assert "li-wei" in shown


def test_commits_before_the_approval_do_not_count(tmp_path):
    """li-wei's draft was approved by zhao-min on main, back-dated or not; a later edit by
    the editor may be approved by her."""
    site = make_site(tmp_path)
    site.page(PAGE, body=LI)
    site.commit("li-wei", "draft", date="2030-01-01T10:00:00+08:00")  # dated in the future
    site.signoff(PAGE, "zhao-min")
    site.commit("zhao-min", "approve", date=day(2))
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(3))
    li_approves(site)
    assert verify_changes(site.policy(), "main")[1] == []
