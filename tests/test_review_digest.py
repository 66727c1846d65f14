"""Approve what you saw: `--digest` (the desk's hidden field) binds a decision to the
version that was displayed; a file changed since is refused and nothing is written."""

from __future__ import annotations

from datetime import datetime

import pytest

try:
    from desk_fixtures import as_user, run
    from review_fixtures import make_site
except ImportError:  # tests/ imported as a package
    from tests.desk_fixtures import as_user, run
    from tests.review_fixtures import make_site

from govpub.digest import digest_for
from govpub.errors import BlockedError
from govpub.review import workflow
from govpub.review.gitrun import find_repo
from govpub.review.records import add_signoff, read_record


def shown_digest(out: str) -> str:
    return out.rsplit("--digest ", 1)[1].split()[0]


@pytest.fixture
def site(tmp_path):
    site = make_site(tmp_path)
    site.page("notices/a.md", title="通知甲", body="一月。")
    site.page("notices/b.md", title="通知乙", body="二月。")
    site.commit("ed", "two notices")
    as_user(site, "li-wei")
    return site


def test_approve_the_digest_that_was_shown(site):
    _, out, _ = run(site, "review", "diff", "content/notices/a.md")
    digest = shown_digest(out)
    code, out, err = run(site, "review", "approve", "content/notices/a.md", "--digest", digest,
                         "--commit")
    assert code == 0, err
    rec, _ = read_record(site.root / "review/notices/a.md.yml")
    assert rec.digest == digest


def test_a_file_changed_after_it_was_shown_is_refused(site):
    _, out, _ = run(site, "review", "diff", "content/notices/a.md")
    digest = shown_digest(out)
    site.page("notices/a.md", title="通知甲", body="二月。")  # the editor pushes a new version
    site.commit("ed", "edit while the reviewer reads")
    code, out, err = run(site, "review", "approve", "content/notices/a.md", "--digest", digest,
                         "--commit")
    assert code == 1
    assert "cannot approve content/notices/a.md: it changed after it was shown to you" in err
    assert f"shown {digest[:19]}…" in err and "nothing was written" in err
    assert "REFUSED" in out
    assert not (site.root / "review").exists()
    # rejecting the unseen version is refused the same way
    code, _, err = run(site, "review", "reject", "content/notices/a.md", "--digest", digest,
                       "--code", "factual-error")
    assert code == 1 and "changed after it was shown to you" in err
    assert not (site.root / "review").exists()


def test_digest_must_be_whole_and_name_one_file(site):
    _, out, _ = run(site, "review", "status")
    digest = out.split("digest ")[1].split()[0]
    code, _, err = run(site, "review", "approve", "content/notices/a.md", "--digest",
                       digest[:19])
    assert code == 2 and "is not a digest" in err
    code, _, err = run(site, "review", "approve", "content/notices/", "--digest", digest)
    assert code == 2 and "give exactly one file" in err
    code, _, err = run(site, "review", "approve", "content/notices/a.md",
                       "content/notices/b.md", "--digest", digest)
    assert code == 2 and "give exactly one file" in err
    assert not (site.root / "review").exists()


def test_the_record_is_not_written_when_the_file_changes_at_the_last_moment(site):
    policy = site.policy()
    data = (site.root / "content/notices/a.md").read_bytes()
    shown = digest_for("notices/a.md", data)
    site.page("notices/a.md", title="通知甲", body="改了。")
    with pytest.raises(BlockedError, match="changed after it was shown to you"):
        add_signoff(policy, "notices/a.md", "li-wei", "public", "", datetime.now(),
                    expect_digest=shown)
    assert not (site.root / "review").exists()


def test_one_file_changing_while_many_are_decided_leaves_none_decided(site):
    policy = site.policy()
    repo = find_repo(policy.root)
    reviewer = workflow.reviewer_identity(policy, repo, None)
    site.signoff("notices/a.md", "zhao-min")  # an earlier record that must survive as it was
    before = (site.root / "review/notices/a.md.yml").read_bytes()

    def edit_b_after_the_check(candidates):
        assert [c.content_path for c in candidates] == ["notices/a.md", "notices/b.md"]
        site.page("notices/b.md", title="通知乙", body="被改了。")

    with pytest.raises(BlockedError, match=r"notices/b\.md changed after it was shown"):
        workflow.decide(policy, repo, reviewer, ["notices/a.md", "notices/b.md"], "public",
                        "", datetime.now(policy.timezone), commit=False,
                        confirm=edit_b_after_the_check)
    assert (site.root / "review/notices/a.md.yml").read_bytes() == before
    assert not (site.root / "review/notices/b.md.yml").exists()
