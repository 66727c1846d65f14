"""The review desk in real Chromium: a reviewer opens the queue, reads a change, approves
one page, rejects another with a reason and signs the second level of a third; the
commits are hers, signed by her key, and pass `govpub check --changed-since`; axe finds
nothing on the desk's pages.

`govpub review desk` runs as a child process, in Chinese, with the reviewer's own
git identity and SSH signing key in the repository's configuration.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from desk_fixtures import as_user, run
    from review_fixtures import EMAILS, git, make_key, make_site
except ImportError:  # tests/ imported as a package
    from tests.desk_fixtures import as_user, run
    from tests.review_fixtures import EMAILS, git, make_key, make_site

from govpub.review.gitrun import find_repo
from govpub.review.signatures import read_signatures

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PARAGRAPH = ("根据《专利法实施细则》有关规定，申请人应当于2026年1月31日前缴纳年费，逾期未缴纳的，"
             "将按照有关规定处理。")


def sign_as(site, who: str, key: Path) -> None:
    as_user(site, who)
    git(site.root, "config", "gpg.format", "ssh")
    git(site.root, "config", "user.signingkey", str(key))


@pytest.fixture(scope="module")
def review_site(tmp_path_factory):
    """main: a notice approved by li-wei. Branch pr: ed edits it, adds two pages (one a
    policy under two-level review, signed at level 1 by li-wei)."""
    tmp = tmp_path_factory.mktemp("desk")
    li_key, li_public = make_key(tmp / "keys", "li")
    wang_key, wang_public = make_key(tmp / "keys", "wang")
    site = make_site(tmp, keys={"li-wei": [li_public], "wang-fang": [wang_public]},
                     column_levels={"policies": 2})
    site.page("notices/fee.md", title="关于缴纳年费的提示", body=PARAGRAPH)
    site.commit("ed", "notice: fee")
    sign_as(site, "li-wei", li_key)
    code, _, err = run(site, "review", "approve", "--commit", "content/notices/fee.md")
    assert code == 0, err
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page("notices/fee.md", title="关于缴纳专利年费的提示", body=PARAGRAPH.replace("1月", "2月"))
    site.page("notices/certificates.md", title="关于补发专利证书的通知", body="补发证书的办理方式另行通知。")
    site.page("policies/fee-rules.md", title="专利收费管理办法", body="第一条 为规范专利收费，制定本办法。")
    site.commit("ed", "pr: three pages")
    code, _, err = run(site, "review", "approve", "--commit", "content/policies/fee-rules.md")
    assert code == 0, err
    sign_as(site, "wang-fang", wang_key)
    return site, tmp


@pytest.fixture(scope="module")
def desk_url(review_site):
    site, tmp = review_site
    env = {**os.environ, "GOVPUB_LANG": "zh-CN", "PYTHONUNBUFFERED": "1",
           "HOME": str(tmp / "home"), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "", "GIT_COMMITTER_NAME": ""}
    env = {k: v for k, v in env.items() if v != ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "govpub", "--root", str(site.root), "review", "desk",
         "--no-browser"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]+/", line)
    assert match, line + proc.stderr.read()
    yield match.group(0)
    proc.stdin.close()  # the desk stops when its input closes
    assert proc.wait() == 0, proc.stderr.read()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing — install Debian's Chromium: apt-get install -y chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations on the page (its own frame)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing — run `make node-deps`")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the page's CSP forbids scripts
    result = page.evaluate("""async () => (await axe.run(document, {
        iframes: false,
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
    })).violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    return result


def test_reviewer_reads_approves_rejects_and_signs_the_second_level(review_site, desk_url,
                                                                     browser):
    site, _tmp = review_site
    page = browser.new_page()
    page.goto(desk_url)
    assert page.locator("h1").inner_text() == "待审核文件"
    queue = page.locator("table.queue").inner_text()
    for title in ("关于缴纳专利年费的提示", "关于补发专利证书的通知", "专利收费管理办法"):
        assert title in queue
    assert axe_violations(page) == []

    # read the change to the notice, at the scale of one character, and see it rendered
    page.get_by_role("link", name="关于缴纳专利年费的提示").click()
    page.wait_for_url(re.compile(r".*/item/notices/fee\.md$"))
    assert page.locator("h1").inner_text() == "关于缴纳专利年费的提示"
    changed = page.locator("section[aria-labelledby=h-change]")
    assert changed.locator("del").first.inner_text().endswith("1")
    assert changed.locator("ins").nth(1).inner_text().endswith("2")
    assert "专利" in changed.locator("ins").first.inner_text()
    frame = page.frame_locator("iframe.rendered")
    marked = frame.locator("ins.govpub-desk-ins").first
    marked.wait_for()  # the preview build finishes in the background
    assert frame.locator("article h1").inner_text().startswith("关于缴纳专利年费的提示")
    assert frame.locator("del.govpub-desk-del").first.inner_text() == "1"
    assert axe_violations(page) == []

    # approve with the keyboard: write a note, Tab to the button, Enter
    page.locator("#note").focus()
    page.keyboard.type("已与原件核对")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "签发"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?done=approve&commit=[0-9a-f]{40}$"))
    assert "已签发" in page.get_by_role("status").first.inner_text()

    # reject the certificates notice with a reason
    page.goto(desk_url)
    page.get_by_role("link", name="关于补发专利证书的通知").click()
    page.get_by_label("尚未批准公开").check()
    page.get_by_label("退回说明（选择“其他”时必填）").fill("待业务部门确认后再发布")
    page.get_by_role("button", name="退回").click()
    page.wait_for_url(re.compile(r".*\?done=reject&commit=[0-9a-f]{40}$"))
    assert "已退回" in page.get_by_role("status").first.inner_text()

    # the second level of the policy: the desk shows who signed the first
    page.goto(desk_url)
    page.get_by_role("link", name="专利收费管理办法").click()
    signoffs = page.locator("section[aria-labelledby=h-signoffs]").inner_text()
    assert "第 1 级：li-wei（li-wei）" in signoffs
    assert axe_violations(page) == []
    page.get_by_role("button", name="签发").click()
    page.wait_for_url(re.compile(r".*\?done=approve&commit=[0-9a-f]{40}$"))
    page.goto(desk_url)
    assert "专利收费管理办法" not in page.locator("main").inner_text()
    page.close()

    # three commits by wang-fang, each signed by her key
    log = git(site.root, "log", "--format=%H %ae", "main..pr").stdout.split("\n")
    mine = [line.split()[0] for line in log if line.endswith(EMAILS["wang-fang"])]
    assert len(mine) == 3
    policy = site.policy()
    signatures = read_signatures(find_repo(policy.root), policy, mine)
    assert {(s.status, s.signer) for s in signatures.values()} == {("G", "wang-fang")}
    # the pull request's check: the sign-offs pass; the rejection reaches the editor
    code, out, _ = run(site, "check", "--changed-since", "main", "--format", "json")
    findings = [(f["rule"], f["path"], f["message"]) for f in json.loads(out)]
    assert findings == [("GP204", "content/notices/certificates.md",
                         "wang-fang decided not-public (not yet approved for release): "
                         "待业务部门确认后再发布")]
    assert code == 1
