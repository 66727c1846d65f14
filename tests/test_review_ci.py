"""The CI templates as shipped: valid YAML, the commands docs/review.md documents,
and those commands run on a sample repository (a clone, like CI's checkout)."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

try:
    from review_fixtures import git, make_site
except ImportError:  # tests/ imported as a package
    from tests.review_fixtures import git, make_site

REPO = Path(__file__).resolve().parents[1]
PR_CHECK = REPO / ".github/workflows/pr-check.yml"
DEPLOY = REPO / ".github/workflows/deploy.yml"
GITLAB = REPO / ".gitlab-ci.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
DOC = REPO / "docs/review.md"


def load(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict | list), path
    return data


def github_steps(path: Path, job: str) -> list[dict]:
    return load(path)["jobs"][job]["steps"]


def govpub_commands_in(lines) -> list[str]:
    return [line.strip() for line in lines if line.strip().startswith("govpub ")]


def workflow_commands() -> dict[str, list[str]]:
    pr = govpub_commands_in(s.get("run", "") for s in github_steps(PR_CHECK, "check"))
    deploy = govpub_commands_in(s.get("run", "") for s in github_steps(DEPLOY, "build"))
    gitlab = load(GITLAB)
    lab = govpub_commands_in(line for job in ("check", "build", "pages")
                             for line in gitlab[job]["script"])
    return {"pr": pr, "deploy": deploy, "gitlab": lab}


def normalize(command: str) -> str:
    """Variables stand for the base branch: compare the command's shape."""
    return re.sub(r'"?origin/\$\{?[A-Z_]+\}?"?', "origin/<base>", command).strip()


def test_github_workflows_are_valid_and_complete():
    pr = load(PR_CHECK)
    assert "pull_request" in pr.get(True, pr.get("on"))  # PyYAML reads `on:` as True
    steps = github_steps(PR_CHECK, "check")
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    runs = [s.get("run", "") for s in steps]
    assert "pip install ." in runs
    assert workflow_commands()["pr"] == [
        'govpub check --changed-since "origin/$BASE_REF" --format github',
        "govpub build --strict"]
    base_step = next(s for s in steps if "--changed-since" in s.get("run", ""))
    assert base_step["env"]["BASE_REF"] == "${{ github.base_ref }}"

    deploy = load(DEPLOY)
    on = deploy.get(True, deploy.get("on"))
    assert on["push"]["branches"] == ["main"]
    build = github_steps(DEPLOY, "build")
    upload = next(s for s in build if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert workflow_commands()["deploy"] == ["govpub build --site-dir site"]
    assert deploy["jobs"]["deploy"]["needs"] == "build"
    assert deploy["permissions"]["pages"] == "write"


def test_gitlab_pipeline_has_the_same_stages():
    data = load(GITLAB)
    assert data["stages"] == ["check", "build", "deploy"]
    assert data["variables"]["GIT_DEPTH"] == "0"
    assert data["pages"]["artifacts"]["paths"] == ["public"]
    assert [normalize(c) for c in workflow_commands()["gitlab"]] == [
        "govpub check --changed-since origin/<base> --format text",
        "govpub build --strict", "govpub build --site-dir site"]


def test_pre_commit_hook_and_codeowners():
    (hook,) = load(HOOKS)
    assert hook["id"] == "govpub-check" and hook["entry"] == "govpub check"
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("content/notices/x.md", "review/notices/x.md.yml",
                                           "site_config/reviewers.yml"))
    assert not any(pattern.search(p) for p in ("src/govpub/cli/check.py", "docs/content/x.md"))
    owners = {line.split()[0]: line.split()[1:]
              for line in (REPO / ".github/CODEOWNERS").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    assert owners["/review/"] == ["@example-agency/reviewers"]
    assert owners["/site_config/"] == ["@example-agency/general-office"]


def test_workflow_commands_are_the_documented_ones():
    documented = {normalize(c) for c in govpub_commands_in(DOC.read_text().splitlines())}
    for group, commands in workflow_commands().items():
        for command in commands:
            assert normalize(command) in documented, (group, command)


# -- the same commands on a sample repository ------------------------------------------------


def sample_checkout(tmp_path, *, forged: bool = False) -> Path:
    """A site with a pull-request branch (editor writes, reviewer approves), cloned as
    CI would check it out."""
    site = make_site(tmp_path)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page("notices/a.md", body="正文。")
    site.commit("ed", "add a notice")
    site.signoff("notices/a.md", "li-wei")
    site.commit("ed" if forged else "li-wei", "approve")
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--branch", "pr", str(site.root), str(clone))
    return clone


def run_shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    bin_dir = str(Path(sys.executable).parent)
    full_env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], **env}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=full_env, capture_output=True,
                          text=True, check=False, timeout=240)


def available(command: str) -> bool:
    sub = shlex.split(command)[1]
    from govpub.cli import COMMANDS

    module = COMMANDS[sub].split(":")[0]
    return importlib.util.find_spec(f"govpub.cli.{module}") is not None


def test_pr_check_commands_pass_on_a_reviewed_pull_request(tmp_path):
    clone = sample_checkout(tmp_path)
    env = {"BASE_REF": "main", "HOME": str(tmp_path / "home")}
    commands = workflow_commands()["pr"]
    runnable = [c for c in commands if available(c)]
    assert runnable and runnable[0].startswith("govpub check")
    for command in runnable:
        proc = run_shell(command, clone, env)
        assert proc.returncode == 0, (command, proc.stdout, proc.stderr)
    deploy = [c for c in workflow_commands()["deploy"] if available(c)]
    for command in deploy:
        proc = run_shell(command, clone, env)
        assert proc.returncode == 0, (command, proc.stdout, proc.stderr)
        assert (clone / "site").is_dir()


def test_pr_check_fails_on_a_forged_signoff_with_an_annotation(tmp_path):
    clone = sample_checkout(tmp_path, forged=True)
    command = workflow_commands()["pr"][0]
    proc = run_shell(command, clone, {"BASE_REF": "main", "HOME": str(tmp_path / "home")})
    assert proc.returncode == 1, proc.stderr
    assert "::error file=review/notices/a.md.yml,line=4" in proc.stdout
    assert "GP210" in proc.stdout


def test_pr_check_refuses_a_shallow_checkout(tmp_path):
    clone = sample_checkout(tmp_path)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch",
        f"file://{clone.parent / 'site'}", str(shallow))
    git(shallow, "checkout", "-q", "pr")
    command = workflow_commands()["pr"][0]
    proc = run_shell(command, shallow, {"BASE_REF": "main", "HOME": str(tmp_path / "home")})
    assert proc.returncode == 2
    assert "shallow clone" in proc.stderr and "fetch-depth: 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_pr_check_unknown_base_is_a_usage_error(tmp_path):
    ref = "origin/no-such-branch"
    clone = sample_checkout(tmp_path)
    proc = run_shell(f"govpub check --changed-since {ref}", clone,
                     {"HOME": str(tmp_path / "home")})
    assert proc.returncode == 2
    assert f"unknown git revision '{ref}'" in proc.stderr


def test_pre_commit_hook_entry_runs_on_committed_files(tmp_path):
    clone = sample_checkout(tmp_path)
    (hook,) = load(HOOKS)
    files = ["content/notices/a.md", "review/notices/a.md.yml", "site_config/site.yml"]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(f) for f in files)
    proc = run_shell(f"{hook['entry']} {' '.join(files)}", clone, {})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (clone / "content/notices/a.md").write_text("---\ntitle: x\n---\nno source\n",
                                               encoding="utf-8")
    proc = run_shell(f"{hook['entry']} content/notices/a.md", clone, {})
    assert proc.returncode == 1 and "content/notices/a.md:" in proc.stdout


def test_signoff_before_a_later_edit_is_void_in_the_pr_check(tmp_path):
    clone = sample_checkout(tmp_path)
    with open(clone / "content/notices/a.md", "a", encoding="utf-8") as f:
        f.write("审核之后的修改。\n")
    git(clone, "commit", "-q", "-am", "edit after approval")
    command = workflow_commands()["pr"][0]
    proc = run_shell(command, clone, {"BASE_REF": "main", "HOME": str(tmp_path / "home")})
    assert proc.returncode == 1
    assert "::error file=content/notices/a.md" in proc.stdout
    assert "GP202" in proc.stdout  # the digest no longer matches: the sign-off is void
