"""Four eyes from git history (GP210–GP213) on real repositories with real identities."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime

import pytest

try:
    from review_fixtures import SHANGHAI, git, make_gpg_key, make_key, make_site, rule_ids
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import SHANGHAI, git, make_gpg_key, make_key, make_site, rule_ids

from govpub.errors import GovpubError
from govpub.review.history import verify_changes

PAGE = "notices/a.md"
RECORD = "review/notices/a.md.yml"


def site_now() -> str:
    return datetime.now(SHANGHAI).replace(microsecond=0).isoformat()


def start_pr(site, content_by="ed"):
    """main: an approved page; branch pr: its author edits it."""
    site.page(PAGE, body="第一版。")
    site.commit(content_by, "add notice")
    site.signoff(PAGE, "zhao-min")
    site.commit("zhao-min", "approve notice")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body="第二版。")
    site.commit(content_by, "edit notice")


def test_clean_pull_request_has_no_findings_and_lists_changed_paths(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve")
    changed, findings = verify_changes(site.policy(), "main")
    assert findings == []
    assert changed == ["content/notices/a.md", RECORD]


def test_editor_approving_own_change_is_refused(tmp_path):
    site = make_site(tmp_path)
    start_pr(site, content_by="li-wei")
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve my own edit")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "li.wei@example.gov.cn" in findings[0].message
    assert findings[0].line == 4  # the line of the sign-off entry


def test_signoff_committed_by_someone_else_under_reviewer_name_is_refused(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("ed", "approve (forged)")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP210", RECORD)]
    assert "ed@example.gov.cn" in findings[0].message


def test_forged_author_header_is_refused_by_committer(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("ed", "approve", author="li-wei")  # --author li-wei, committed by ed
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP210", RECORD)]


def test_uncommitted_signoff_cannot_be_verified(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP210", RECORD)]
    assert "not committed" in findings[0].message


def test_rename_keeps_authorship(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE, body="李伟起草。")
    site.commit("li-wei", "draft by li-wei")
    git(site.root, "checkout", "-q", "-b", "pr")
    git(site.root, "mv", "content/notices/a.md", "content/notices/b.md")
    site.commit("ed", "rename")
    site.signoff("notices/b.md", "li-wei")
    site.commit("li-wei", "approve")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", "review/notices/b.md.yml")]
    # and the editor who only renamed it is an author too: a clean approval by someone else
    site.signoff("notices/b.md", "wang-fang")
    site.commit("wang-fang", "approve")
    assert verify_changes(site.policy(), "main")[1] == []


def test_previously_approved_version_limits_authorship(tmp_path):
    """li-wei wrote the first version, approved by zhao-min; ed's later edit may be
    approved by li-wei: her own part was reviewed by someone else already."""
    site2 = make_site(tmp_path)
    site2.page(PAGE, body="第一版。")
    site2.commit("li-wei", "add")
    site2.signoff(PAGE, "zhao-min")
    site2.commit("zhao-min", "approve")
    git(site2.root, "checkout", "-q", "-b", "pr")
    site2.page(PAGE, body="第二版。")
    site2.commit("ed", "edit")
    site2.signoff(PAGE, "li-wei")
    site2.commit("li-wei", "approve")
    assert verify_changes(site2.policy(), "main")[1] == []


def test_signoff_before_a_later_edit_is_void(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve")
    site.page(PAGE, body="第三版, 审核之后。")
    site.commit("ed", "edit after approval")
    # the editor "updates" the record to the new digest, keeping li-wei's sign-off
    site.signoff(PAGE, "li-wei")
    site.commit("ed", "update digest")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP210", RECORD)]


def test_two_level_review(tmp_path):
    site = make_site(tmp_path, levels=2)
    site.page(PAGE, body="第一版。")
    site.commit("ed", "add")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body="李伟修改。")
    site.commit("li-wei", "edit by a reviewer")
    site.signoff(PAGE, "wang-fang")
    site.commit("wang-fang", "approve 1")
    site.signoff(PAGE, "wang-fang", "zhao-min")
    site.commit("zhao-min", "approve 2")
    assert verify_changes(site.policy(), "main")[1] == []
    # the author as one of the two is set aside: two named, one valid
    site.signoff(PAGE, "wang-fang", "li-wei")
    site.commit("li-wei", "approve as author")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD), ("GP213", RECORD)]
    assert "valid: wang-fang" in next(f for f in findings if f.rule == "GP213").message


def test_column_levels_apply(tmp_path):
    site = make_site(tmp_path, column_levels={"policies": 2})
    site.page("policies/p.md")
    site.commit("ed", "add")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page("policies/p.md", body="李伟修改。")
    site.commit("li-wei", "edit")
    site.signoff("policies/p.md", "li-wei", "wang-fang")
    site.commit("wang-fang", "approve both")  # also forged for li-wei
    _, findings = verify_changes(site.policy(), "main")
    assert sorted(f.rule for f in findings) == ["GP210", "GP211", "GP213"]


def test_shallow_clone_gives_clear_error(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "pr",
        f"file://{site.root}", str(clone))
    from govpub.config import load_policy

    with pytest.raises(GovpubError) as info:
        verify_changes(load_policy(clone), "origin/main")
    assert "shallow" in str(info.value)
    assert "fetch-depth: 0" in str(info.value) and "git fetch --unshallow" in str(info.value)
    assert info.value.exit_code == 2


def test_unknown_ref_and_no_repository_are_usage_errors(tmp_path):
    site = make_site(tmp_path)
    with pytest.raises(GovpubError, match="unknown git revision 'origin/nope'"):
        verify_changes(site.policy(), "origin/nope")
    with pytest.raises(GovpubError, match="not a git revision"):
        verify_changes(site.policy(), "--output=/tmp/x")
    shutil.rmtree(site.root / ".git")
    with pytest.raises(GovpubError, match="not in a git repository"):
        verify_changes(site.policy(), "main")


def test_hostile_file_names_are_handled(tmp_path):
    site = make_site(tmp_path)
    git(site.root, "checkout", "-q", "-b", "pr")
    name = "notices/a b\t-->\"x\".md"
    site.page(name)
    site.commit("ed", "odd name")
    site.signoff(name, "li-wei")
    site.commit("ed", "forged")
    changed, findings = verify_changes(site.policy(), "main")
    assert f"content/{name}" in changed
    assert rule_ids(findings) == [("GP210", f"review/{name}.yml")]


# -- signatures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("li", "wang", "stranger")}


def signed_site(tmp_path, keys):
    site = make_site(tmp_path, keys={"li-wei": [keys["li"][1]], "wang-fang": [keys["wang"][1]]})
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    return site


def test_good_signature_by_reviewer_key_passes(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("li-wei", "approve", sign_with=keys["li"][0])
    assert verify_changes(site.policy(), "main")[1] == []


def test_unsigned_signoff_fails_when_keys_are_listed(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("li-wei", "approve")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP212", RECORD)]
    assert "not signed" in findings[0].message


def test_valid_signature_by_unlisted_key_fails(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("li-wei", "approve", sign_with=keys["stranger"][0])
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP212", RECORD)]
    assert "not one of li-wei's keys" in findings[0].message


def test_signature_by_another_reviewers_key_fails(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("li-wei", "approve", sign_with=keys["wang"][0])
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP212", RECORD)]


def test_bad_signature_fails(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("li-wei", "approve", sign_with=keys["li"][0])
    raw = git(site.root, "cat-file", "commit", "HEAD").stdout
    tampered = raw.replace("approve", "approve everything")
    new = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"],
                         cwd=site.root, input=tampered, capture_output=True, text=True,
                         check=True).stdout.strip()
    git(site.root, "update-ref", "HEAD", new)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP212", RECORD)]
    assert "BAD signature" in findings[0].message


def test_signed_forgery_by_editor_fails_twice(tmp_path, keys):
    site = signed_site(tmp_path, keys)
    site.commit("ed", "approve", sign_with=keys["stranger"][0])
    _, findings = verify_changes(site.policy(), "main")
    assert sorted(f.rule for f in findings) == ["GP210", "GP212"]


def test_adding_a_signoff_to_an_approved_version_still_needs_a_non_author(tmp_path):
    """Base: wang-fang wrote the page, li-wei and zhao-min approved (two levels). A later
    pull request swaps zhao-min's sign-off for the author's own: the content did not
    change, but the previously approved version is the one *before* it."""
    site = make_site(tmp_path, levels=2)
    site.page(PAGE)
    site.commit("ed", "add")
    site.signoff(PAGE, "li-wei", "zhao-min")
    site.commit("zhao-min", "approve")  # (forged for li-wei, but that is on main)
    site.page(PAGE, body="王芳修改。")
    site.commit("wang-fang", "edit")
    site.signoff(PAGE, "li-wei", "zhao-min")
    site.commit("zhao-min", "re-approve")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.signoff(PAGE, "li-wei", "wang-fang")
    site.commit("wang-fang", "swap in the author")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD), ("GP213", RECORD)]


def test_second_level_signoff_by_non_author_on_approved_base(tmp_path):
    site = make_site(tmp_path, levels=2)
    site.page(PAGE)
    site.commit("ed", "add")
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "first level")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.signoff(PAGE, "li-wei", "wang-fang")
    site.commit("wang-fang", "second level")
    changed, findings = verify_changes(site.policy(), "main")
    assert findings == []
    assert changed == ["content/notices/a.md", RECORD]  # the page of a changed record


def test_unapproved_edit_on_main_still_counts_as_authorship(tmp_path):
    """li-wei's edit reached main without approval; a later pull request cannot be
    approved by her: her change was never reviewed by someone else."""
    site = make_site(tmp_path)
    site.page(PAGE, body="第一版。")
    site.commit("ed", "add")
    site.signoff(PAGE, "zhao-min")
    site.commit("zhao-min", "approve v1")
    site.page(PAGE, body="李伟改的第二版。")
    site.commit("li-wei", "unreviewed edit on main")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE, body="第三版。")
    site.commit("ed", "edit")
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]
    assert "no earlier approved version" not in findings[0].message


def test_rename_in_pull_request_finds_the_approved_version_under_its_old_name(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE, body="李伟起草。")
    site.commit("li-wei", "draft")
    site.signoff(PAGE, "zhao-min")
    site.commit("zhao-min", "approve")
    git(site.root, "checkout", "-q", "-b", "pr")
    git(site.root, "mv", "content/notices/a.md", "content/notices/b.md")
    git(site.root, "mv", RECORD, "review/notices/b.md.yml")
    site.commit("ed", "rename")
    site.page("notices/b.md", body="李伟起草。\n编辑补充。")
    site.commit("ed", "edit")
    site.signoff("notices/b.md", "li-wei")
    site.commit("li-wei", "approve the edit")
    _, findings = verify_changes(site.policy(), "main")
    assert findings == []  # li-wei's own draft was approved by zhao-min before
    site.signoff("notices/b.md", "wang-fang")
    site.commit("ed", "forge")
    assert rule_ids(verify_changes(site.policy(), "main")[1]) == [
        ("GP210", "review/notices/b.md.yml")]


@pytest.fixture
def gnupg_home(tmp_path, monkeypatch):
    """A GnuPG home for one test; its agent is stopped afterwards (gpg starts one)."""
    home = tmp_path / "gnupg"
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ, "GNUPGHOME": str(home)},
                   capture_output=True, check=False)


@pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is not installed")
def test_gpg_signatures(tmp_path, gnupg_home):
    home = gnupg_home
    listed = make_gpg_key(home, "Li Wei <li.wei@example.gov.cn>")
    other = make_gpg_key(home, "Someone <someone@example.com>")
    site = make_site(tmp_path, gpg={"li-wei": [listed]})
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve", sign_with=listed)
    assert verify_changes(site.policy(), "main")[1] == []
    site.write(RECORD, (site.root / RECORD).read_text().replace("checked", "re-checked"))
    site.commit("li-wei", "re-approve with a key not listed", sign_with=other)
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP212", RECORD)]
    assert "not one of li-wei's fingerprints" in findings[0].message


def test_github_style_merge_checkout(tmp_path):
    """CI checks out a merge of the pull request into the base branch, made by GitHub."""
    site = make_site(tmp_path)
    start_pr(site)
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve")
    git(site.root, "checkout", "-q", "main")
    site.page("notices/other.md")
    site.commit("ed", "unrelated work on main")
    git(site.root, "checkout", "-q", "--detach", "main")
    git(site.root, "merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr",
        who="noreply@github.com")
    changed, findings = verify_changes(site.policy(), "main")
    assert findings == []
    assert changed == ["content/notices/a.md", RECORD]


def test_signoff_made_up_in_a_merge_commit_is_refused(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    git(site.root, "checkout", "-q", "-b", "side", "main")
    site.page("notices/side.md")
    site.commit("ed", "side work")
    git(site.root, "checkout", "-q", "pr")
    git(site.root, "merge", "-q", "--no-ff", "--no-commit", "side", who="ed")
    site.signoff(PAGE, "li-wei")  # slipped into the merge commit
    git(site.root, "add", "-A", who="ed")
    git(site.root, "commit", "-q", "-m", "merge side", who="ed")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP210", RECORD)]
    assert "ed@example.gov.cn" in findings[0].message  # the merge commit wrote it


def test_content_changed_in_a_merge_commit_counts_as_authorship(tmp_path):
    site = make_site(tmp_path)
    start_pr(site)
    git(site.root, "checkout", "-q", "-b", "side", "main")
    site.page("notices/side.md")
    site.commit("ed", "side work")
    git(site.root, "checkout", "-q", "pr")
    git(site.root, "merge", "-q", "--no-ff", "--no-commit", "side", who="li-wei")
    site.page(PAGE, body="第二版, 合并时李伟改的。")
    git(site.root, "add", "-A", who="li-wei")
    git(site.root, "commit", "-q", "-m", "merge side", who="li-wei")
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve")
    _, findings = verify_changes(site.policy(), "main")
    assert rule_ids(findings) == [("GP211", RECORD)]


def test_merge_of_two_record_changes_is_not_a_forgery(tmp_path):
    """Both branches changed the same record; the merge that resolves the conflict
    wrote only what neither parent had."""
    site = make_site(tmp_path, levels=2)
    site.page(PAGE)
    site.commit("ed", "add")
    at = site_now()  # one time for every sign-off: a sign-off is identified by what it says
    git(site.root, "checkout", "-q", "-b", "pr")
    site.signoff(PAGE, "li-wei", at=at)
    site.commit("li-wei", "first level on the branch")
    git(site.root, "checkout", "-q", "main")
    site.signoff(PAGE, "wang-fang", at=at)
    site.commit("wang-fang", "first level on main")
    git(site.root, "checkout", "-q", "pr")
    git(site.root, "merge", "-q", "main", who="ed", check=False)  # conflict in the record
    site.signoff(PAGE, "li-wei", "wang-fang", at=at)  # the resolution keeps both, adds nothing
    git(site.root, "add", "-A", who="ed")
    git(site.root, "commit", "-q", "--no-edit", who="ed")
    # from the branch's point of view: wang-fang's sign-off came in with main's commit
    _, findings = verify_changes(site.policy(), "pr~1")
    assert findings == []
    # the resolution made up a third sign-off: that one the merge wrote
    site.signoff(PAGE, "li-wei", "wang-fang", "zhao-min", at=at)
    git(site.root, "commit", "-q", "--amend", "-a", "--no-edit", who="ed")
    _, findings = verify_changes(site.policy(), "pr~1")
    assert rule_ids(findings) == [("GP210", RECORD)]
    assert "zhao-min" in findings[0].message
