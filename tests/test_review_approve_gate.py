"""`govpub review approve` sees the findings and never follows a link (issue 13, items 8–9)."""

from __future__ import annotations

import os

from click.testing import CliRunner

try:
    from review_fixtures import EMAILS, approve_as, git, make_site
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import EMAILS, approve_as, git, make_site

from govpub.cli import main
from govpub.digest import digest_for
from govpub.placeholder import fill_in

PAGE = "notices/a.md"


def approve(site, *args, who: str = "li-wei") -> tuple[int, str]:
    return approve_as(site, who, "--yes", *args)


def test_a_page_with_a_personal_mobile_number_is_not_approved(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE, body="联系人：张三，手机 13812345678。")
    site.page("notices/b.md", body="正文。")
    site.commit("ed", "two notices")
    code, shown = approve(site, "content/notices/")
    assert code == 1
    assert f"content/{PAGE}  sha256:" in shown and "REFUSED" in shown
    assert f"content/{PAGE}:7:11: GP502" in shown  # the finding is listed
    assert "blocking finding(s) remain" in shown and "nothing was written" in shown
    assert not (site.root / "review").exists()  # not even the clean page: all or nothing
    site.page(PAGE, body="联系人：办公室，电话 010-62083114。")
    site.commit("ed", "office number instead")
    code, shown = approve(site, "content/notices/")
    assert code == 0, shown


def test_a_page_that_still_carries_the_placeholder_is_not_approved(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE, body=fill_in("正文"))
    site.commit("ed", "a skeleton")
    code, shown = approve(site, f"content/{PAGE}")
    assert code == 1 and "GP220" in shown
    assert not (site.root / "review").exists()


def test_findings_about_signoffs_and_links_between_new_pages_do_not_refuse(tmp_path):
    """Approving is what answers the sign-off rules; two new pages that link to each other
    are approved together; a scheduled page may be approved ahead of time."""
    site = make_site(tmp_path)
    site.page(PAGE, body="见[另一则通知](b.md)。")
    site.page("notices/b.md", body="见[上一则通知](a.md)。")
    site.write("content/notices/c.md", (site.root / "content" / PAGE).read_text()
               .replace("2026-11-20T10:00:00+08:00", "2099-01-01T10:00:00+08:00"))
    site.commit("ed", "three notices")
    code, shown = approve(site, "content/notices/")
    assert code == 0, shown


def test_rejecting_a_page_with_findings_is_fine(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE, body="手机 13812345678。")
    site.commit("ed", "a notice")
    git(site.root, "config", "user.email", EMAILS["li-wei"])
    runner = CliRunner()
    with runner.isolation():
        code = main(["--root", str(site.root), "review", "reject", f"content/{PAGE}",
                     "--reason", "含个人手机号"])
    assert code == 0


def test_approving_a_folder_never_follows_a_link_out_of_the_repository(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE)
    os.symlink("/etc/passwd", site.root / "content/notices/passwd.md")
    site.commit("ed", "a notice and a link")
    secret = digest_for("passwd.md", open("/etc/passwd", "rb").read())  # noqa: SIM115
    code, shown = approve(site, "content/notices/")
    assert code == 1
    assert "content/notices/passwd.md" in shown and "REFUSED" in shown
    assert secret not in shown and secret[:19] not in shown
    assert not (site.root / "review").exists()
    code, shown = approve(site, "content/notices/passwd.md")
    assert code == 2 and "symbolic link" in shown
    assert not (site.root / "review").exists()


def test_a_link_to_another_page_is_not_approved_in_its_place(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE)
    os.symlink("a.md", site.root / "content/notices/b.md")
    os.symlink("notices", site.root / "content/linked")
    site.commit("ed", "a notice and two links")
    for path in ("content/notices/b.md", "content/linked/a.md", "content/linked"):
        code, shown = approve(site, path)
        assert code == 2 and "symbolic link" in shown, (path, shown)
    assert not (site.root / "review").exists()


def test_a_planted_link_in_review_is_not_written_through(tmp_path):
    site = make_site(tmp_path)
    site.page(PAGE)
    outside = tmp_path / "outside"
    outside.mkdir()
    (site.root / "review").mkdir()
    os.symlink(outside, site.root / "review/notices")
    site.commit("ed", "a notice and a planted link")
    code, shown = approve(site, f"content/{PAGE}")
    assert code == 2 and "symbolic link" in shown
    assert list(outside.iterdir()) == []
