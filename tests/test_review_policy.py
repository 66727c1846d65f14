"""Policy is judged from the base, and policy is content too (issue 13, item 3).

A pull request is judged with the base commit's reviewers, keys, levels,
rule severities and link approvals; a change to site policy needs a sign-off
by the base's policy owners (GP214) under the same four-eyes rules as content.
"""

from __future__ import annotations

import json
from datetime import datetime

from click.testing import CliRunner

try:
    from review_fixtures import SHANGHAI, approve_as, git, make_key, make_site, reviewers_yml
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import (
        SHANGHAI,
        approve_as,
        git,
        make_key,
        make_site,
        reviewers_yml,
    )

from govpub.cli import main
from govpub.digest import digest_for

PAGE = "notices/a.md"
RECORD = "review/notices/a.md.yml"
REVIEWERS = "site_config/reviewers.yml"
OWNERS = "policy_owners:\n  name: 办公室\n  members: [zhao-min, wang-fang]\n"


def check(site) -> tuple[int, list[tuple[str, str]], list[dict]]:
    runner = CliRunner()
    with runner.isolation() as (out, err, *_):
        code = main(["--root", str(site.root), "check", "--changed-since", "main",
                     "--format", "json"])
        text, error = out.getvalue().decode(), err.getvalue().decode()
    assert code in (0, 1), error
    findings = json.loads(text)
    return code, sorted((f["rule"], f["path"]) for f in findings), findings


def policy_site(tmp_path, *, keys=None, owners: bool = True, column_levels=None):
    site = make_site(tmp_path, keys=keys, column_levels=column_levels)
    if owners:
        site.write(REVIEWERS, (site.root / REVIEWERS).read_text() + OWNERS)
        site.commit("ed", "the General Office owns policy")
    return site


def pull_request(tmp_path, **options):
    """A ``policy_site`` with the pull request's branch ``pr`` checked out."""
    site = policy_site(tmp_path, **options)
    git(site.root, "checkout", "-q", "-b", "pr")
    return site


def sign_policy(site, path: str, *reviewers: str) -> None:
    """Write a policy sign-off record by hand, as anyone could."""
    file = site.root / path
    digest = digest_for(path, file.read_bytes() if file.exists() else b"")
    lines = [f"content: {path}", f"digest: {digest}", "signoffs:"]
    at = datetime.now(SHANGHAI).replace(microsecond=0).isoformat()
    for rid in reviewers:
        lines += [f"  - reviewer: {rid}", f"    at: '{at}'", "    decision: public"]
    site.write(f"review/_policy/{path}.yml", "\n".join(lines) + "\n")


def editor_page_approved_by(site, reviewer: str, body: str = "正文。", *, page: str = PAGE,
                            message: str = "a notice", sign_with=None) -> None:
    site.page(page, body=body)
    site.commit("ed", message)
    site.commit_signoff(page, reviewer, sign_with=sign_with)


def test_adding_oneself_as_reviewer_does_not_make_one_a_reviewer(tmp_path):
    site = pull_request(tmp_path)
    site.write(REVIEWERS, (site.root / REVIEWERS).read_text().replace(
        "reviewers:\n", "reviewers:\n  - id: ed\n    name: ed\n    emails: [ed@example.gov.cn]\n"))
    site.commit("ed", "make me a reviewer")
    editor_page_approved_by(site, "ed")
    code, rules, findings = check(site)
    assert code == 1
    assert ("GP214", REVIEWERS) in rules  # the policy change is not signed off
    assert ("GP203", RECORD) in rules  # and ed is no reviewer in the base's reviewers.yml
    message = next(f["message"] for f in findings if f["rule"] == "GP214")
    assert "办公室 (wang-fang, zhao-min)" in message
    assert "govpub review approve site_config/reviewers.yml --commit" in message


def test_putting_ones_own_key_on_a_reviewer_does_not_help(tmp_path):
    _li_key, li_public = make_key(tmp_path / "keys", "li")
    ed_key, ed_public = make_key(tmp_path / "keys", "ed")
    site = pull_request(tmp_path, keys={"li-wei": [li_public]})
    site.write(REVIEWERS, (site.root / REVIEWERS).read_text().replace(li_public, ed_public))
    site.commit("ed", "rotate li-wei's key")
    editor_page_approved_by(site, "li-wei", sign_with=ed_key)  # li's address, ed's key
    code, rules, _ = check(site)
    assert code == 1
    assert rules == [("GP212", RECORD), ("GP214", REVIEWERS)]


def test_dropping_two_level_review_in_the_pull_request_does_not_lower_the_bar(tmp_path):
    site = pull_request(tmp_path, column_levels={"policies": 2})
    site.write(REVIEWERS, (site.root / REVIEWERS).read_text().replace("policies: 2",
                                                                       "policies: 1"))
    site.commit("ed", "one level is enough")
    editor_page_approved_by(site, "li-wei", page="policies/p.md", message="a policy")
    code, rules, _ = check(site)
    assert code == 1
    assert rules == [("GP205", "content/policies/p.md"), ("GP214", REVIEWERS)]


def test_approving_ones_own_external_link_in_the_pull_request_does_not_approve_it(tmp_path):
    site = pull_request(tmp_path)
    site.write("site_config/links.yml", "approved:\n  - site: www.example.com\n"
               "    approved_by: ed\n    approved_at: 2026-11-01\n")
    site.commit("ed", "approve my link")
    editor_page_approved_by(site, "li-wei", body="见[外部网站](https://www.example.com/)。")
    code, rules, _ = check(site)
    assert code == 1
    assert rules == [("GP214", "site_config/links.yml"), ("GP601", f"content/{PAGE}")]


def test_lowering_a_severity_in_the_pull_request_does_not_lower_it(tmp_path):
    site = pull_request(tmp_path)
    site.write("site_config/rules.yml", "severity:\n  GP504: info\n")
    site.commit("ed", "e-mail addresses are fine")
    editor_page_approved_by(site, "li-wei", body="联系人邮箱 zhangsan.private@163.com。")
    code, rules, findings = check(site)
    assert code == 1
    assert ("GP504", f"content/{PAGE}") in rules and ("GP214", "site_config/rules.yml") in rules
    assert next(f for f in findings if f["rule"] == "GP504")["severity"] == "error"


def test_a_policy_change_signed_off_by_a_policy_owner_passes(tmp_path):
    site = pull_request(tmp_path)
    site.write("site_config/links.yml", "approved:\n  - site: www.example.com\n"
               "    approved_by: 办公室\n    approved_at: 2026-11-01\n")
    site.commit("ed", "approve a link")
    sign_policy(site, "site_config/links.yml", "zhao-min")
    site.commit("zhao-min", "sign off the link approval")
    code, rules, _ = check(site)
    assert (code, rules) == (0, [])


def test_policy_signoffs_follow_the_four_eyes_rules(tmp_path):
    site = pull_request(tmp_path)
    site.write("site_config/links.yml", "approved: []\n")
    site.commit("wang-fang", "no links")
    # not a policy owner
    sign_policy(site, "site_config/links.yml", "li-wei")
    site.commit("li-wei", "sign off")
    code, rules, findings = check(site)
    assert rules == [("GP214", "site_config/links.yml")]
    assert "not policy owners here: li-wei" in findings[0]["message"]
    # the owner who made the change
    sign_policy(site, "site_config/links.yml", "wang-fang")
    site.commit("wang-fang", "sign off my own change")
    code, rules, _ = check(site)
    assert rules == [("GP211", "review/_policy/site_config/links.yml.yml")]
    # forged in the other owner's name
    sign_policy(site, "site_config/links.yml", "zhao-min")
    site.commit("ed", "sign off as zhao-min")
    code, rules, _ = check(site)
    assert rules == [("GP210", "review/_policy/site_config/links.yml.yml")]
    # the other owner, herself
    git(site.root, "reset", "-q", "--hard", "HEAD~1")
    sign_policy(site, "site_config/links.yml", "zhao-min")
    site.commit("zhao-min", "sign off")
    code, rules, _ = check(site)
    assert (code, rules) == (0, [])


def test_the_change_that_names_the_policy_owners_is_signed_by_a_base_reviewer(tmp_path):
    """Without a policy_owners group in the base, every reviewer of the base is a
    policy owner: the first group can be introduced with four eyes."""
    site = pull_request(tmp_path, owners=False)
    site.write(REVIEWERS, (site.root / REVIEWERS).read_text() + OWNERS)
    site.commit("ed", "the General Office owns policy")
    _code, rules, findings = check(site)
    assert rules == [("GP214", REVIEWERS)]
    assert "any reviewer (reviewers.yml names no policy_owners group)" in \
        findings[0]["message"]
    sign_policy(site, REVIEWERS, "li-wei")  # li-wei is not in the new group: base counts
    site.commit("li-wei", "sign off")
    assert check(site)[:2] == (0, [])


def test_a_deleted_policy_file_is_a_change_too(tmp_path):
    site = policy_site(tmp_path)
    site.write("site_config/rules.yml", "severity:\n  GP504: error\n")
    site.commit("ed", "rules")
    git(site.root, "checkout", "-q", "-b", "pr")
    git(site.root, "rm", "-q", "site_config/rules.yml")
    site.commit("ed", "no more rules")
    _code, rules, _ = check(site)
    assert rules == [("GP214", "site_config/rules.yml")]
    sign_policy(site, "site_config/rules.yml", "zhao-min")  # signs the deletion: no bytes
    site.commit("zhao-min", "sign off the deletion")
    assert check(site)[:2] == (0, [])


def test_theme_overrides_hooks_and_mkdocs_yml_are_policy(tmp_path):
    site = pull_request(tmp_path)
    site.write("mkdocs.yml", "site_name: x\n")
    site.write("hooks/extra.py", "def on_config(config):\n    return config\n")
    site.write("overrides/main.html", "{% extends 'base.html' %}\n")
    site.commit("ed", "shape the pages")
    _, rules, _ = check(site)
    assert rules == [("GP214", "hooks/extra.py"), ("GP214", "mkdocs.yml"),
                     ("GP214", "overrides/main.html")]


def test_a_change_to_govpub_itself_is_a_notice(tmp_path):
    site = pull_request(tmp_path)
    site.write("src/govpub/review/four_eyes.py", "# waved through\n")
    site.write(".github/workflows/pr-check.yml", "on: push\n")
    site.commit("ed", "tweak the checker")
    code, rules, findings = check(site)
    assert code == 0
    assert rules == [("GP217", ".github/workflows/pr-check.yml"),
                     ("GP217", "src/govpub/review/four_eyes.py")]
    assert {f["severity"] for f in findings} == {"info"}


def test_the_base_policy_must_load(tmp_path):
    site = policy_site(tmp_path)
    site.write(REVIEWERS, "levels: [broken\n")
    site.commit("ed", "break the policy on main")
    git(site.root, "checkout", "-q", "-b", "pr")
    site.write(REVIEWERS, reviewers_yml())
    site.commit("ed", "fix it in the pull request")
    runner = CliRunner()
    with runner.isolation() as (_out, err, *_):
        code = main(["--root", str(site.root), "check", "--changed-since", "main"])
        error = err.getvalue().decode()
    assert code == 2
    assert "the base main's policy cannot be loaded" in error
    assert "site_config/reviewers.yml:" in error


# -- signing off policy with `govpub review approve` ------------------------------------------


def approve(site, who: str, *args: str) -> tuple[int, str]:
    return approve_as(site, who, "--yes", *args)


def test_a_policy_owner_signs_off_a_policy_change(tmp_path):
    site = pull_request(tmp_path)
    site.write("site_config/links.yml", "approved: []\n")
    site.commit("wang-fang", "no links")
    code, shown = approve(site, "li-wei", "site_config/links.yml")
    assert code == 1 and "only the policy owners may sign off" in shown
    code, shown = approve(site, "wang-fang", "site_config/links.yml")
    assert code == 1 and "another policy owner must approve it" in shown
    assert not (site.root / "review/_policy").exists()
    code, shown = approve(site, "zhao-min", "site_config", "--commit")  # a folder: what awaits
    assert code == 0, shown
    assert "site_config/links.yml  sha256:" in shown
    assert "wrote review/_policy/site_config/links.yml.yml" in shown
    assert "review/_policy/site_config/reviewers.yml.yml" in shown  # never signed before
    assert check(site)[:2] == (0, [])
    code, shown = approve(site, "zhao-min", "site_config")
    assert code == 2 and "nothing in site_config awaits" in shown


def test_a_deletion_is_signed_off_as_no_bytes(tmp_path):
    site = policy_site(tmp_path)
    site.write("site_config/rules.yml", "severity:\n  GP504: error\n")
    site.commit("ed", "rules")
    git(site.root, "checkout", "-q", "-b", "pr")
    git(site.root, "rm", "-q", "site_config/rules.yml")
    site.commit("ed", "no more rules")
    code, shown = approve(site, "zhao-min", "site_config/rules.yml", "--commit")
    assert code == 0, shown
    assert "deleted: signs off its removal" in shown
    assert check(site)[:2] == (0, [])
    code, shown = approve(site, "zhao-min", "site_config/nothing.yml")
    assert code == 2 and "never did in git history" in shown

