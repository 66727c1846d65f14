"""The pull-request check sees everything a pull request does (issue 13, items 5–7):
deletions, sign-off times, and branches rewritten after approval."""

from __future__ import annotations

from click.testing import CliRunner

try:
    from review_fixtures import git, make_site
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import git, make_site

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
