"""Authorship from the commit graph, not from the order of a log (issue 13, item 1).

Every commit reachable from the head and not from the commit where the last
approved version stood changed the file since approval — whatever its date,
whichever side of a merge it came from, even when a later commit restored
the approved bytes.
"""

from __future__ import annotations

import pytest

try:
    from review_fixtures import approve_as, git, make_key, make_site, reviewers_yml, rule_ids
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import (
        approve_as,
        git,
        make_key,
        make_site,
        reviewers_yml,
        rule_ids,
    )

from govpub.errors import ConfigError
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
    site.commit_signoff(PAGE, "zhao-min", message="approve notice", date=day(2))


def merge(site, branch: str, who: str, date: str) -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    git(site.root, "merge", "-q", "--no-ff", "-m", f"merge {branch}", branch, who=who, env=env)


def li_approves(site):
    site.commit_signoff(PAGE, "li-wei", date=day(20))


def her_wording_behind_a_restore(tmp_path):
    """On a branch: li-wei's wording (back-dated to look old), the approved bytes restored
    by the editor, then the editor's edit with her wording in it again."""
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date="2020-01-01T10:00:00+08:00")
    site.page(PAGE, body=V1)
    site.commit("ed", "restore the approved version", date=day(10))
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(11))
    return site


def her_wording_on_a_side_branch(tmp_path, date: str):
    """li-wei's wording on branch ``side`` off the approved main; the editor's branch ``pr``
    off main checked out."""
    site = make_site(tmp_path)
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "side")
    site.page(PAGE, body=LI)
    site.commit("li-wei", "my wording", date=date)
    git(site.root, "checkout", "-q", "main")
    git(site.root, "checkout", "-q", "-b", "pr")
    return site


def test_a_restored_approved_version_does_not_hide_earlier_changes(tmp_path):
    """li-wei edits (back-dated to look old), the editor restores the approved bytes and
    then writes her wording in again: her commit is still a change since approval."""
    site = her_wording_behind_a_restore(tmp_path)
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "li.wei@example.gov.cn" in findings[0].message


def test_a_reviewers_edit_merged_from_a_side_branch_counts(tmp_path):
    """The issue's case: her wording on a side branch; the editor restores the approved
    bytes, edits, and merges her branch."""
    site = her_wording_on_a_side_branch(tmp_path, day(5))
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
    site = her_wording_on_a_side_branch(tmp_path, day(5))
    site.page(PAGE, body=BOTH)
    site.commit("ed", "edit", date=day(6))
    git(site.root, "merge", "-q", "-s", "ours", "-m", "merge side", "side", who="ed")
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]


def test_criss_cross_merges_with_a_restore_in_between(tmp_path):
    site = her_wording_on_a_side_branch(tmp_path, day(3))
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
    site.commit_signoff(PAGE, "wang-fang", date=day(21))
    assert verify_changes(site.policy(), "main")[1] == []


def test_review_approve_refuses_the_same_way(tmp_path):
    site = her_wording_behind_a_restore(tmp_path)
    code, shown = approve_as(site, "li-wei", f"content/{PAGE}")
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


# -- a person is every address and key listed for them (item 2) ------------------------------


def test_an_edit_under_an_alias_address_signed_with_her_key_is_hers(tmp_path):
    key, public = make_key(tmp_path / "keys", "li")
    site = make_site(tmp_path, keys={"li-wei": [public]})
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=LI)
    site.commit("li.private@mail.example.com", "wording from home", sign_with=key)
    site.commit_signoff(PAGE, "li-wei", sign_with=key)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "a signature by key SHA256:" in findings[0].message
    # the same edit signed by a key nobody listed is not hers
    git(site.root, "reset", "-q", "--hard", "main")
    stranger, _ = make_key(tmp_path / "keys", "stranger")
    site.page(PAGE, body=LI)
    site.commit("li.private@mail.example.com", "wording", sign_with=stranger)
    site.commit_signoff(PAGE, "li-wei", sign_with=key)
    assert verify_changes(site.policy(), "main")[1] == []


def test_every_listed_address_is_the_same_person(tmp_path):
    site = make_site(tmp_path)
    reviewers = site.root / "site_config/reviewers.yml"
    reviewers.write_text(reviewers.read_text().replace(
        "[li.wei@example.gov.cn]", "[li.wei@example.gov.cn, Li.Wei@Home.Example.CN]"))
    site.commit("ed", "li-wei's second address")
    approved_main(site)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body=LI)
    site.commit("li.wei@home.example.cn", "edit from home")
    li_approves(site)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "li.wei@home.example.cn" in findings[0].message


def test_review_approve_knows_her_key_too(tmp_path):
    key, public = make_key(tmp_path / "keys", "li")
    site = make_site(tmp_path, keys={"li-wei": [public]})
    approved_main(site)
    site.page(PAGE, body=LI)
    site.commit("li.private@mail.example.com", "wording from home", sign_with=key)
    code, shown = approve_as(site, "li-wei", f"content/{PAGE}")
    assert code == 1, shown
    assert "a signature by key SHA256:" in shown


def test_an_address_or_key_listed_for_two_reviewers_is_a_config_error(tmp_path):
    _, public = make_key(tmp_path / "keys", "shared")
    site = make_site(tmp_path, keys={"li-wei": [public], "wang-fang": [public]})
    with pytest.raises(ConfigError, match="listed for both li-wei and wang-fang"):
        site.policy()
    reviewers = site.root / "site_config/reviewers.yml"
    reviewers.write_text(reviewers_yml().replace("[wang.fang@example.gov.cn]",
                                                 "[LI.WEI@example.gov.cn]"))
    with pytest.raises(ConfigError, match=r"li\.wei@example\.gov\.cn is listed for both"):
        site.policy()
