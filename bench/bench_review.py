"""Benchmark: the pull-request check (`govpub check --changed-since`) on a big history.

Usage: python bench/bench_review.py [PAGES] [COMMITS]   (default 10,000 and 10,000)

Builds a repository with ``bench/corpus.py`` (pages, attachments, sign-off
records), gives it a history of COMMITS commits by several editors and
reviewers through ``git fast-import``, then opens a pull request: 10 pages
edited by an editor in 10 commits and re-approved by a reviewer in one
commit. Times, median of 3:

* plain git: ``git diff --name-only main...HEAD`` + ``git log main..HEAD``;
* ``verify_changes`` (the four-eyes part alone, in process);
* the whole ``govpub check --changed-since main`` process, and plain
  ``govpub check`` on the same tree for comparison.

Target (issue 4): the whole process under 3 s for 10 changed files in a
10,000-page repository with 10,000 commits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from govpub.config import load_policy
from govpub.review.history import verify_changes
from govpub.review.records import add_signoff

OUT = Path(__file__).resolve().parent / "out"
GOVPUB = [sys.executable, "-m", "govpub"]
EDITORS = [(f"editor{i}", f"editor{i}@cnipa.gov.cn") for i in range(1, 6)]
REVIEWER = ("li-wei", "li-wei@cnipa.gov.cn")
NOW = "2026-11-28T12:00"


def git(root: Path, *args: str, who=("bench", "bench@cnipa.gov.cn"), **kw):
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1],
           "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1]}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          **kw)


def _chunk(items: list[str], parts: int, k: int) -> list[str]:
    return items[k * len(items) // parts:(k + 1) * len(items) // parts]


def fast_import_history(root: Path, commits: int) -> None:
    """Commit the generated tree over ``commits`` commits: even commits add an editor's
    share of the content and policy files, odd ones the reviewer's records for them."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    rel = [p.relative_to(root).as_posix() for p in files]
    content = [r for r in rel if not r.startswith("review/")]
    records = [r for r in rel if r.startswith("review/")]
    half = max(1, commits // 2)
    start = 1_700_000_000
    git(root, "init", "-q", "-b", "main")
    stream = bytearray()
    for i in range(2 * half):
        k = i // 2
        batch = _chunk(content, half, k) if i % 2 == 0 else _chunk(records, half, k)
        name, email = EDITORS[k % len(EDITORS)] if i % 2 == 0 else REVIEWER
        message = f"change {i}".encode()
        stream += (f"commit refs/heads/main\nmark :{i + 1}\n"
                   f"author {name} <{email}> {start + i * 60} +0800\n"
                   f"committer {name} <{email}> {start + i * 60} +0800\n"
                   f"data {len(message)}\n").encode() + message + b"\n"
        if i:
            stream += f"from :{i}\n".encode()
        for path in batch:
            data = (root / path).read_bytes()
            stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream),
                   check=True)
    git(root, "reset", "-q", "main")  # index = tree; the work tree already matches


def open_pull_request(root: Path, changes: int = 10) -> list[str]:
    git(root, "checkout", "-q", "-b", "pr")
    pages = sorted(p.relative_to(root / "content").as_posix()
                   for p in (root / "content" / "notices").glob("*.md"))[:changes]
    editor = EDITORS[0]
    for page in pages:
        with open(root / "content" / page, "a", encoding="utf-8") as f:
            f.write("\n补充说明：本通知自发布之日起施行。\n")
        git(root, "commit", "-q", "-am", f"edit {page}", who=editor)
    policy = load_policy(root)
    now = datetime.now(policy.timezone)  # a sign-off is dated when it is given (GP215)
    for page in pages:
        add_signoff(policy, page, REVIEWER[0], "public", "benchmark re-approval", now)
    git(root, "commit", "-q", "-am", "approve the edits", who=REVIEWER)
    return pages


def timed(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="?", type=int, default=10_000)
    parser.add_argument("commits", nargs="?", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the repository a previous run generated")
    args = parser.parse_args()
    root = OUT / f"review-{args.pages}-{args.commits}"
    if args.reuse and (root / ".git").is_dir():
        git(root, "checkout", "-q", "pr")

        print(f"reusing {root}")
    else:
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        t0 = time.perf_counter()
        generate(root, args.pages)
        t1 = time.perf_counter()
        fast_import_history(root, args.commits)
        t2 = time.perf_counter()
        open_pull_request(root)
        print(f"generated: corpus {t1 - t0:.1f} s, history via fast-import {t2 - t1:.1f} s")
    count = git(root, "rev-list", "--count", "HEAD").stdout.decode().strip()
    files = git(root, "ls-files").stdout.count(b"\n")
    print(f"repository: {files} files, {count} commits; pull request: 10 pages edited by "
          f"an editor in 10 commits, re-approved by a reviewer in 1 commit")
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")

    def plain_git():
        git(root, "diff", "--name-only", "main...HEAD")
        git(root, "log", "--format=%H %ae", "main..HEAD")

    policy = load_policy(root)
    result = {}

    def four_eyes():
        result["value"] = verify_changes(policy, "main")

    def process(*extra):
        proc = subprocess.run([*GOVPUB, "--root", str(root), "check", "--now", NOW, *extra],
                              capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.exit(f"govpub check failed: {proc.stderr}")
        result["code"] = proc.returncode
        result["out"] = proc.stdout

    from govpub.review.gitrun import find_repo
    from govpub.review.history import content_authorship

    repo = find_repo(root)
    edited = git(root, "diff", "--name-only", "main...HEAD", "--", "content").stdout.decode()
    edited = [p.removeprefix("content/") for p in edited.split()]

    def walks():  # what `govpub review approve/diff` reads for each file: history walks
        for page in edited:
            content_authorship(repo, policy, page, base=None)

    def drop_commit_graph():
        info = root / ".git" / "objects" / "info"
        for name in ("commit-graph", "commit-graphs"):
            target = info / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()

    drop_commit_graph()  # as a fresh CI clone has it
    base_git = timed(plain_git)
    review_walks = timed(walks, runs=1)
    verify = timed(four_eyes)
    changed_paths, findings = result["value"]
    with_history = timed(lambda: process("--changed-since", "main"))
    code = result["code"]
    whole = timed(process)
    start = time.perf_counter()
    git(root, "commit-graph", "write", "--reachable", "--changed-paths")
    graph_write = time.perf_counter() - start
    verify_graph = timed(four_eyes)
    walks_graph = timed(walks, runs=1)
    drop_commit_graph()
    print(f"plain git diff + log of the range:      {base_git * 1000:8.0f} ms")
    print(f"verify_changes (four eyes, in process): {verify * 1000:8.0f} ms  "
          f"({verify / base_git:.1f}x plain git; {len(changed_paths)} paths, "
          f"{len(findings)} findings)")
    print(f"govpub check --changed-since main:      {with_history * 1000:8.0f} ms  "
          f"(exit {code}; target < 3000 ms)")
    print(f"govpub check (whole tree, no history):  {whole * 1000:8.0f} ms  "
          f"(the pull-request check takes {with_history / whole:.2f}x: it checks the "
          "changed files and what they depend on)")
    print(f"review approve/diff history, {len(edited)} files:  {review_walks * 1000:8.0f} ms  "
          f"(path-limited walks of the file's and its record's history)")
    print(f"with a commit-graph (written in {graph_write * 1000:.0f} ms): verify_changes "
          f"{verify_graph * 1000:.0f} ms, review history {walks_graph * 1000:.0f} ms")
    if findings:
        print("unexpected findings:", *findings[:5], sep="\n  ")

if __name__ == "__main__":
    main()
