"""The pull-request check sees everything a pull request does (issue 13, items 5–7):
deletions, sign-off times, and branches rewritten after approval."""

from __future__ import annotations

from click.testing import CliRunner

try:
    from review_fixtures import EMAILS, git, make_site
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import EMAILS, git, make_site

from govpub.cli import main

PAGE = "notices/a.md"
RECORD = "review/notices/a.md.yml"


# -- deletions count (item 5) ------------------------------------------------------------------


def approved_page_on_main(site):
    site.page(PAGE)
    site.commit("ed", "a notice")
    site.signoff(PAGE, "li-wei")
    site.commit("li-wei", "approve", RECORD)
    git(site.root, "checkout", "-q", "-b", "pr")


def check_text(site) -> tuple[int, str, str]:
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "check", "--changed-since", "main"])
        return code, out.getvalue().decode(), err.getvalue().decode()


def test_a_deleted_signoff_record_is_reported_for_the_page_it_leaves(tmp_path):
    site = make_site(tmp_path)
    approved_page_on_main(site)
    git(site.root, "rm", "-q", RECORD)
    site.commit("ed", "drop the record")
    code, out, err = check_text(site)
    assert code == 1, out + err
    assert f"content/{PAGE}:1:1: GP201" in out
    assert "1 changed file(s) checked" in err


def test_a_deleted_page_leaves_an_orphan_record(tmp_path):
    site = make_site(tmp_path)
    approved_page_on_main(site)
    git(site.root, "rm", "-q", f"content/{PAGE}")
    site.commit("ed", "drop the page")
    code, out, err = check_text(site)
    assert code == 1, out + err
    assert f"{RECORD}:1:1: GP206" in out
    # and a deletion in the work tree, not committed yet, too
    git(site.root, "reset", "-q", "--hard", "main")
    (site.root / "content" / PAGE).unlink()
    code, out, _ = check_text(site)
    assert code == 1 and "GP206" in out


def test_deleting_page_and_record_together_is_clean(tmp_path):
    site = make_site(tmp_path)
    approved_page_on_main(site)
    git(site.root, "rm", "-q", f"content/{PAGE}", RECORD)
    site.commit("ed", "withdraw the notice")
    code, out, err = check_text(site)
    assert code == 0, out + err


# -- sign-off times make sense (item 6) ------------------------------------------------------


def full_check(site, *args) -> tuple[int, str]:
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "check", *args])
        return code, out.getvalue().decode() + err.getvalue().decode()


def test_a_signoff_dated_in_the_future_blocks_the_page(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE)
    site.signoff(PAGE, "li-wei", at="2099-01-01T10:00:00+08:00")
    code, out = full_check(site)
    assert code == 1
    assert f"content/{PAGE}:1:1: GP215" in out and "in the future" in out
    assert f"{RECORD}, line 4" in out
    # a simulated time after it is no future
    code, out = full_check(site, "--now", "2099-06-01T00:00")
    assert "GP215" not in out
    # nor is a sign-off of a moment ago (clock skew between machines)
    (site.root / RECORD).unlink()
    site.signoff(PAGE, "li-wei")
    assert "GP215" not in full_check(site)[1]


def test_a_signoff_time_that_is_no_time_blocks_the_page(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE)
    site.signoff(PAGE, "li-wei", at="yesterday")
    code, out = full_check(site)
    assert code == 1 and "GP215" in out and "not an ISO 8601 date-time" in out


def test_the_audit_of_old_signoffs_cannot_be_dodged_with_a_future_date(tmp_path):
    site = make_site(tmp_path)
    site.write("site_config/site.yml",
               (site.root / "site_config/site.yml").read_text() + "review_max_age_days: 365\n")
    site.page(PAGE)
    site.signoff(PAGE, "li-wei", at="2099-01-01T10:00:00+08:00")
    runner = CliRunner()
    with runner.isolation() as (out, *_):
        main(["--root", str(site.root), "build", "--site-dir", str(tmp_path / "out")])
        shown = out.getvalue().decode()
    assert f"quarantined: content/{PAGE}:1: GP215" in shown
    assert not (tmp_path / "out" / "notices" / "a" / "index.html").exists()


def test_a_signoff_dated_before_the_version_it_approves_is_refused(tmp_path):
    site = make_site(tmp_path)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE)
    site.commit("ed", "a notice", date="2026-11-25T10:00:00+08:00")
    site.signoff(PAGE, "li-wei", at="2026-11-24T10:00:00+08:00")  # the day before
    site.commit("li-wei", "approve", date="2026-11-25T11:00:00+08:00")
    code, out, _ = check_text(site)
    assert code == 1
    assert f"{RECORD}:4:1: GP215" in out and "before the version it approves was committed" in out
    # a few minutes of clock skew are fine
    site.signoff(PAGE, "li-wei", at="2026-11-25T09:57:00+08:00")
    site.commit("li-wei", "approve again", date="2026-11-25T11:05:00+08:00")
    code, out, _ = check_text(site)
    assert code == 0, out


# -- a branch rewritten after approval (item 7) ----------------------------------------------


def approve_as(site, who: str, *paths: str) -> str:
    git(site.root, "config", "user.email", EMAILS[who])
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "review", "approve", "--commit", "--yes", *paths])
        shown = out.getvalue().decode() + err.getvalue().decode()
    assert code == 0, shown
    return shown


def reviewed_pull_request(site) -> str:
    """pr: ed's notice, approved by li-wei with `govpub review approve --commit`; main moved on."""
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page(PAGE)
    site.commit("ed", "a notice")
    approve_as(site, "li-wei", f"content/{PAGE}")
    reviewed = git(site.root, "rev-parse", "HEAD~1").stdout.strip()
    assert f"commit: {reviewed}" in (site.root / RECORD).read_text()
    git(site.root, "checkout", "-q", "main")
    site.page("notices/other.md")
    site.commit("ed", "other work on main")
    git(site.root, "checkout", "-q", "pr")
    return reviewed


def test_a_rebase_after_approval_is_named_for_what_it_is(tmp_path):
    site = make_site(tmp_path)
    reviewed = reviewed_pull_request(site)
    git(site.root, "rebase", "-q", "main", who="ed")
    code, out, _ = check_text(site)
    assert code == 1
    assert f"{RECORD}:4:1: GP216 error: li-wei signed off on commit {reviewed[:12]}, which is no " \
           "longer part of this branch" in out
    assert "GP210" in out  # and the rewritten commit is ed's, not li-wei's


def test_a_squash_after_approval_is_named_for_what_it_is(tmp_path):
    site = make_site(tmp_path)
    reviewed_pull_request(site)
    git(site.root, "reset", "-q", "--soft", "main~1", who="ed")
    git(site.root, "commit", "-q", "-m", "squashed", who="ed")
    _, out, _ = check_text(site)
    assert "GP216" in out and "rebased or squashed after the approval" in out


def test_updating_a_reviewed_branch_with_a_merge_is_fine(tmp_path):
    site = make_site(tmp_path)
    reviewed_pull_request(site)
    git(site.root, "merge", "-q", "--no-edit", "main", who="ed")
    code, out, err = check_text(site)
    assert code == 0, out + err
