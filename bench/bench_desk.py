"""Benchmark: what a reviewer waits for — `review status`, `review diff`, the review desk.

Usage: python bench/bench_desk.py [PAGES] [COMMITS] [--reuse]   (default 10,000 and 10,000)

Builds the repository of ``bench_review.py`` (``bench/corpus.py`` pages with
their sign-offs, a history of COMMITS commits through ``git fast-import``),
then a pull request in which an editor edits 10 notices in 10 commits (one
character each: 1月 → 2月), none of them approved yet. Times, median of 3:

* ``govpub review status --format json`` against plain ``govpub check`` (the
  status runs the check, then reads each pending file's history);
* ``govpub review diff`` of one edited page against ``git diff --word-diff``;
* the character diff alone on a 20,000-character Chinese page with 10 one-
  character edits, against ``difflib.unified_diff`` of its lines;
* the desk's queue (first request, then a request after nothing changed)
  and one file's page.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import EDITORS, GOVPUB, NOW, OUT, fast_import_history, git, timed
from corpus import generate

from govpub.config import load_policy
from govpub.review import workflow
from govpub.review.desk.app import Desk
from govpub.review.desk.security import Door, new_token
from govpub.review.gitrun import find_repo
from govpub.review.textdiff import diff_text

REVIEWER = ("li-wei", "li-wei@cnipa.gov.cn")


def open_pull_request(root: Path, changes: int = 10) -> list[str]:
    git(root, "checkout", "-q", "-b", "pr-desk")
    pages = sorted(p.relative_to(root / "content").as_posix()
                   for p in (root / "content" / "notices").glob("*.md"))[:changes]
    for page in pages:
        file = root / "content" / page
        text = file.read_text(encoding="utf-8")
        file.write_text(text + "\n申请人应当于2026年1月31日前缴纳年费。\n", encoding="utf-8")
        git(root, "commit", "-q", "-am", f"add {page}", who=EDITORS[1])
        file.write_text(text + "\n申请人应当于2026年2月31日前缴纳年费。\n", encoding="utf-8")
        git(root, "commit", "-q", "-am", f"edit {page}", who=EDITORS[0])
    return pages


def long_page(rng: random.Random) -> tuple[str, str]:
    vocabulary = "专利申请人应当按照规定缴纳年费逾期未缴纳的将依法处理国家知识产权局公告通知办理"
    paragraphs = ["".join(rng.choice(vocabulary) for _ in range(100)) + "。"
                  for _ in range(200)]
    edited = list(paragraphs)
    for index in rng.sample(range(200), 10):
        position = rng.randrange(100)
        edited[index] = edited[index][:position] + "改" + edited[index][position + 1:]
    return "\n".join(paragraphs), "\n".join(edited)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="?", type=int, default=10_000)
    parser.add_argument("commits", nargs="?", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    root = OUT / f"desk-{args.pages}-{args.commits}"
    if args.reuse and (root / ".git").is_dir():
        print(f"reusing {root}")
    else:
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        generate(root, args.pages)
        fast_import_history(root, args.commits)
        open_pull_request(root)
    git(root, "config", "user.email", REVIEWER[1])
    git(root, "config", "user.name", REVIEWER[0])
    pages = sorted(p.relative_to(root).as_posix()
                   for p in (root / "content" / "notices").glob("*.md"))[:10]
    files = git(root, "ls-files").stdout.count(b"\n")
    count = git(root, "rev-list", "--count", "HEAD").stdout.decode().strip()
    print(f"repository: {files} files, {count} commits; 10 notices edited, awaiting review")
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")

    def run(*argv):
        subprocess.run([*GOVPUB, "--root", str(root), *argv], check=False,
                       capture_output=True)

    check = timed(lambda: run("check", "--now", NOW))
    status = timed(lambda: run("review", "status", "--format", "json", "--now", NOW))
    print(f"govpub check                       {check:6.2f} s")
    print(f"govpub review status --format json {status:6.2f} s  ({status / check:.2f}× the check)")
    plain = timed(lambda: git(root, "diff", "--word-diff", "main", "--", pages[0]))
    ours = timed(lambda: run("review", "diff", pages[0]))
    print(f"git diff --word-diff (one page)    {plain * 1000:6.0f} ms")
    print(f"govpub review diff (one page)      {ours * 1000:6.0f} ms  ({ours / plain:.0f}× git, "
          "a whole process with its imports)")

    old, new = long_page(random.Random(0))
    lines = timed(lambda: list(difflib.unified_diff(old.splitlines(), new.splitlines())),
                  runs=5)
    chars = timed(lambda: diff_text(old, new), runs=5)
    print(f"20,000-character page, 10 edits: difflib lines {lines * 1000:.1f} ms, character "
          f"diff {chars * 1000:.1f} ms ({chars / lines:.1f}×), "
          f"{len(diff_text(old, new))} hunks")

    policy = load_policy(root)
    repo = find_repo(root)
    reviewer = workflow.reviewer_identity(policy, repo, None)
    desk = Desk(policy, repo, reviewer, Door(0, new_token()), now_text=NOW)
    start = time.perf_counter()
    desk.queue_page({})
    first = time.perf_counter() - start
    again = timed(lambda: desk.queue_page({}))
    item = timed(lambda: desk.item_page(pages[0].removeprefix("content/"), {}))
    print(f"desk queue: first {first:.2f} s, unchanged {again * 1000:.0f} ms; "
          f"one file's page {item * 1000:.0f} ms")


if __name__ == "__main__":
    main()
