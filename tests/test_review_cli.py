"""`govpub review status|diff|approve|reject` on real repositories."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

try:
    from review_fixtures import EMAILS, git, make_key, make_site
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import EMAILS, git, make_key, make_site

from govpub.cli import main
from govpub.digest import digest_for
from govpub.review.history import verify_changes
from govpub.review.records import read_record


def run(site, *args, input_text=None):
    runner = CliRunner()
    with runner.isolation(input=input_text) as (out, err, *_):
        code = main(["--root", str(site.root), *args])
        return code, out.getvalue().decode(), err.getvalue().decode()


def as_user(site, who):
    git(site.root, "config", "user.email", EMAILS.get(who, who))
    git(site.root, "config", "user.name", who)


def record(site, content_path):
    rec, problems = read_record(site.root / "review" / f"{content_path}.yml")
    assert not problems
    return rec


def two_pages(site, by="ed"):
    site.page("notices/a.md", body="一")
    site.page("notices/b.md", body="二")
    return site.commit(by, "two notices")


def test_editor_is_not_a_reviewer(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "ed")
    code, _, err = run(site, "review", "approve", "content/notices/a.md")
    assert code == 2
    assert "ed@example.gov.cn is not a reviewer" in err
    assert not (site.root / "review").exists()


def test_author_cannot_approve_and_nothing_is_written(tmp_path):
    site = make_site(tmp_path)
    two_pages(site, by="li-wei")
    as_user(site, "li-wei")
    code, out, err = run(site, "review", "approve", "--yes", "content/notices/")
    assert code == 1
    assert "REFUSED" in out and "another reviewer must approve it" in err
    assert not (site.root / "review").exists()


def test_reviewer_approves_with_git_identity(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "li-wei")
    code, out, _ = run(site, "review", "approve", "content/notices/a.md", "--note", "已核对",
                       "--now", "2026-11-21T09:00:00")
    assert code == 0, out
    rec = record(site, "notices/a.md")
    data = (site.root / "content/notices/a.md").read_bytes()
    assert rec.digest == digest_for("notices/a.md", data)
    assert [(s.reviewer, s.decision, s.note, s.at) for s in rec.signoffs] == [
        ("li-wei", "public", "已核对", "2026-11-21T09:00:00+08:00")]


def test_reviewer_option_must_match_git_identity(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "li-wei")
    code, _, err = run(site, "review", "approve", "--reviewer", "wang-fang",
                       "content/notices/a.md")
    assert code == 2 and "does not match your git identity" in err
    code, _, _ = run(site, "review", "approve", "--reviewer", "li-wei", "content/notices/a.md")
    assert code == 0


def test_without_git_the_reviewer_option_names_the_reviewer(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    shutil.rmtree(site.root / ".git")
    code, _, err = run(site, "review", "approve", "content/notices/a.md")
    assert code == 2 and "--reviewer" in err
    code, _, err = run(site, "review", "approve", "--reviewer", "nobody", "content/notices/a.md")
    assert code == 2 and "not in site_config/reviewers.yml" in err
    code, out, _ = run(site, "review", "approve", "--reviewer", "li-wei", "notices/a.md")
    assert code == 0 and "authorship cannot be checked" in out
    assert record(site, "notices/a.md").signoffs[0].reviewer == "li-wei"


def test_bulk_approval_shows_what_and_asks(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "wang-fang")
    code, out, _ = run(site, "review", "approve", "content/notices/", input_text="n\n")
    assert code == 2
    assert "content/notices/a.md  sha256:" in out and "content/notices/b.md  sha256:" in out
    assert "never approved; 7 lines; 1 commit(s) by ed <ed@example.gov.cn>" in out
    assert not (site.root / "review").exists()
    code, out, _ = run(site, "review", "approve", "content/notices/", input_text="y\n")
    assert code == 0
    assert record(site, "notices/b.md").signoffs[0].reviewer == "wang-fang"
    # everything approved: the folder has nothing left to review
    code, _, err = run(site, "review", "approve", "--yes", "content/notices/")
    assert code == 2 and "nothing to review" in err


def test_uncommitted_change_is_refused(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    site.page("notices/a.md", body="本地修改")
    as_user(site, "li-wei")
    code, _, err = run(site, "review", "approve", "content/notices/a.md")
    assert code == 1 and "uncommitted changes" in err


def test_reject_records_not_public_with_reason(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "zhao-min")
    code, _, _ = run(site, "review", "reject", "content/notices/b.md")
    assert code == 2  # --reason is required
    code, _, _ = run(site, "review", "reject", "content/notices/b.md", "--reason", "含内部信息")
    assert code == 0
    signoff = record(site, "notices/b.md").signoffs[0]
    assert (signoff.decision, signoff.note) == ("not-public", "含内部信息")
    text = (site.root / "review/notices/b.md.yml").read_text()
    assert "reason: 含内部信息" in text


def test_status_lists_oldest_first_with_who_and_when(tmp_path):
    site = make_site(tmp_path)
    site.page("notices/old.md")
    site.commit("ed", "old", date="2026-01-01T00:00:00+08:00")
    site.page("notices/new.md")
    site.commit("wang-fang", "new")
    site.page("notices/draft.md")
    as_user(site, "li-wei")
    run(site, "review", "approve", "content/notices/new.md")  # li-wei did not write it
    site.page("notices/new.md", body="改")  # changed after approval
    # dated, so that it is older than the draft's modification time on any clock:
    # git keeps whole seconds, and a commit in the next second would sort after it
    site.commit("ed", "edit new", "content/notices/new.md", date="2026-02-01T00:00:00+08:00")
    code, out, _ = run(site, "review", "status")
    assert code == 0
    lines = [line for line in out.splitlines() if not line.startswith(" ")]  # details indented
    assert lines[0].startswith("2026-01-01 00:00  no sign-off record")
    assert lines[0].endswith("content/notices/old.md  (ed <ed@example.gov.cn>)")
    assert "changed since approval" in lines[1] and "notices/new.md" in lines[1]
    assert "notices/draft.md  (uncommitted)" in lines[2]
    code, out, _ = run(site, "review", "status", "--format", "json")
    assert '"reason": "no sign-off record"' in out


def test_diff_shows_changes_since_approved_version(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "li-wei")
    run(site, "review", "approve", "--commit", "content/notices/a.md")
    site.page("notices/a.md", body="一\n新增一行")
    site.commit("ed", "add a line")
    code, out, _ = run(site, "review", "diff", "content/notices/a.md")
    assert code == 0
    assert "changes since the approved version" in out
    assert "ed <ed@example.gov.cn>" in out
    assert "{+新增一行+}" in out and "[-一-]" not in out
    code, out, _ = run(site, "review", "diff", "--source", "content/notices/a.md")
    assert code == 0
    assert "\n+新增一行\n" in out and "\n-一\n" not in out


def test_commit_makes_a_verifiable_signed_signoff(tmp_path):
    key, public = make_key(tmp_path / "keys", "li")
    site = make_site(tmp_path, keys={"li-wei": [public]})
    git(site.root, "checkout", "-q", "-b", "pr")
    two_pages(site)
    as_user(site, "li-wei")
    # keys are listed for li-wei but git cannot sign: refused before writing anything
    code, _, err = run(site, "review", "approve", "--commit", "content/notices/a.md")
    assert code == 2 and "user.signingkey" in err
    assert not (site.root / "review").exists()
    git(site.root, "config", "gpg.format", "ssh")
    git(site.root, "config", "user.signingkey", str(key))
    code, out, _ = run(site, "review", "approve", "--commit", "content/notices/a.md")
    assert code == 0 and "(signed)" in out
    assert git(site.root, "status", "--porcelain").stdout.strip() == ""
    changed, findings = verify_changes(site.policy(), "main")
    assert "review/notices/a.md.yml" in changed
    assert findings == []


def test_failed_commit_says_records_are_written(tmp_path):
    site = make_site(tmp_path)
    two_pages(site)
    as_user(site, "li-wei")
    hook = site.root / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = run(site, "review", "approve", "--commit", "content/notices/a.md")
    assert code == 2
    assert "written but not committed" in err and "Traceback" not in err
    assert record(site, "notices/a.md").signoffs[0].reviewer == "li-wei"
