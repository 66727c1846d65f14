"""The CI templates as shipped: valid YAML, the commands docs/review.md documents, and the
shipped pull-request job run on a sample repository (base branch + pull-request branch)."""

from __future__ import annotations

import os
import re
import shutil
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


def check_step() -> dict:
    return next(s for s in github_steps(PR_CHECK, "check") if "pr-check.sh" in s.get("run", ""))


def workflow_commands() -> dict[str, list[str]]:
    deploy = govpub_commands_in(s.get("run", "") for s in github_steps(DEPLOY, "build"))
    gitlab = load(GITLAB)
    lab = govpub_commands_in(line for job in ("build", "pages") for line in gitlab[job]["script"])
    return {"deploy": deploy, "gitlab": lab}


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
    runs = "\n".join(s.get("run", "") for s in steps)
    # the pull request's own govpub is never installed, nor is any govpub run directly
    assert "pip install" not in runs and "govpub " not in runs.replace("govpub-", "")
    step = check_step()
    assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert step["run"].splitlines() == [
        'git show "origin/$BASE_REF:scripts/pr-check.sh" > "$RUNNER_TEMP/pr-check.sh"',
        'bash "$RUNNER_TEMP/pr-check.sh" "origin/$BASE_REF" github']

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
    assert data["check"]["before_script"] == []  # not the merge request's own govpub
    assert data["check"]["script"] == [
        'git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"',
        'git show "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME:scripts/pr-check.sh"'
        " > /tmp/pr-check.sh",
        'bash /tmp/pr-check.sh "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" text']
    assert [normalize(c) for c in workflow_commands()["gitlab"]] == [
        "govpub build --site-dir site"]


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
    # everything the check trusts has an owner: policy, its records, the checker, the CI
    for trusted in ("/review/_policy/", "/mkdocs.yml", "/hooks/", "/overrides/", "/src/",
                    "/pyproject.toml", "/scripts/", "/.github/", "/.gitlab-ci.yml"):
        assert owners.get(trusted), trusted


def test_workflow_commands_are_the_documented_ones():
    text = DOC.read_text()
    documented = {normalize(c) for c in govpub_commands_in(text.splitlines())}
    for group, commands in workflow_commands().items():
        for command in commands:
            assert normalize(command) in documented, (group, command)
    for line in [*check_step()["run"].splitlines(), *load(GITLAB)["check"]["script"]]:
        assert line in text, line


# -- the shipped pull-request job, run on a sample repository -------------------------------

#: what the sample repository carries of govpub itself (its base branch is a govpub site)
GOVPUB_SOURCES = ("src", "pyproject.toml", "README.md", "scripts", ".github", ".gitlab-ci.yml")


def sample_repo(tmp_path):
    """main: govpub's own source (as it is in this work tree) and a small site."""
    site = make_site(tmp_path)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard", "--", *GOVPUB_SOURCES], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file() and not source.is_symlink():
            target = site.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    site.commit("ed", "govpub and the site")
    git(site.root, "checkout", "-q", "-b", "pr")
    return site


def ci_checkout(site, tmp_path) -> Path:
    """The pull request's branch, cloned with full history as CI checks it out."""
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--branch", "pr", str(site.root), str(clone))
    return clone


def checker_venv(tmp_path) -> Path:
    """An empty virtual environment that sees this one's third-party packages (the
    dependencies), so that the job's `pip install` needs no network. govpub itself is
    not visible in it until the job installs the base's."""
    venv = tmp_path / "checker-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site_packages / "test_dependencies.pth").write_text("\n".join(deps) + "\n")
    probe = subprocess.run([str(venv / "bin/python"), "-I", "-c", "import govpub"],
                           capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0, "govpub must not be importable before the job installs it"
    return venv


def run_shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """``command`` as a GitHub Actions `run:` step runs it (bash -eo pipefail)."""
    bin_dir = str(Path(sys.executable).parent)
    full_env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], **env}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                          cwd=cwd, env=full_env, capture_output=True, text=True, check=False,
                          timeout=280)


def run_pr_job(clone: Path, tmp_path) -> subprocess.CompletedProcess:
    """The check step of .github/workflows/pr-check.yml, as GitHub runs it."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    env = {"BASE_REF": "main", "RUNNER_TEMP": str(runner_temp), "HOME": str(tmp_path / "home"),
           "GOVPUB_LANG": "en", "GOVPUB_CHECK_VENV": str(checker_venv(tmp_path)),
           "GOVPUB_PIP_ARGS": "--no-deps --no-build-isolation --no-index --ignore-installed"}
    return run_shell(check_step()["run"], clone, env)


WAVE_THROUGH = "        return []  # waved through\n"


def test_the_job_passes_a_reviewed_pull_request_with_the_base_govpub(tmp_path):
    site = sample_repo(tmp_path)
    site.page("notices/a.md", body="正文。")
    site.commit("ed", "add a notice")
    site.signoff("notices/a.md", "li-wei")
    site.commit("li-wei", "approve")
    clone = ci_checkout(site, tmp_path)
    proc = run_pr_job(clone, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "pr-check: govpub of origin/main" in proc.stderr
    assert "checker-venv" in proc.stderr
    left = [p.name for p in (tmp_path / "runner-temp").iterdir()]
    assert left == ["pr-check.sh"]  # the base's worktree and its environment are removed
    assert "govpub-base" not in git(clone, "worktree", "list").stdout


def test_a_pull_request_that_edits_the_checker_cannot_wave_itself_through(tmp_path):
    site = sample_repo(tmp_path)
    checker = site.root / "src/govpub/review/four_eyes.py"
    text = checker.read_text(encoding="utf-8")
    anchor = '        """GP210–GP213 for the sign-offs written in the range into ``subject``\'s record."""\n'
    assert anchor in text
    checker.write_text(text.replace(anchor, anchor + WAVE_THROUGH), encoding="utf-8")
    # and a package at the top of the tree, for a `python -m govpub` run from there
    site.write("govpub/__init__.py", "")
    site.write("govpub/__main__.py", "raise SystemExit(0)\n")
    site.page("notices/a.md", body="正文。")
    site.signoff("notices/a.md", "li-wei")
    site.commit("ed", "a notice, its sign-off, and a friendlier checker")  # forged sign-off
    clone = ci_checkout(site, tmp_path)
    # the pull request's own checker would let it through ...
    own = run_shell(f"python -m govpub --root {clone} check --changed-since origin/main",
                    tmp_path, {"PYTHONPATH": str(clone / "src"), "GOVPUB_LANG": "en"})
    assert own.returncode == 0, own.stdout + own.stderr
    assert "GP217" in own.stdout and "GP210" not in own.stdout
    # ... the job runs the base's
    proc = run_pr_job(clone, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::error file=review/notices/a.md.yml,line=4" in proc.stdout and "GP210" in proc.stdout
    assert "::notice file=src/govpub/review/four_eyes.py" in proc.stdout  # GP217


def test_a_pull_request_that_adds_its_author_as_reviewer_fails(tmp_path):
    site = sample_repo(tmp_path)
    reviewers = site.root / "site_config/reviewers.yml"
    reviewers.write_text(reviewers.read_text().replace(
        "reviewers:\n", "reviewers:\n  - id: ed\n    name: ed\n    emails: [ed@example.gov.cn]\n"))
    site.page("notices/a.md", body="正文。")
    site.commit("ed", "make me a reviewer")
    site.signoff("notices/a.md", "ed")
    site.commit("ed", "approve my own notice")
    clone = ci_checkout(site, tmp_path)
    proc = run_pr_job(clone, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::error file=site_config/reviewers.yml,line=1" in proc.stdout and "GP214" in proc.stdout
    assert "GP203" in proc.stdout  # ed is no reviewer in the base's reviewers.yml


def test_the_job_refuses_a_shallow_checkout(tmp_path):
    site = sample_repo(tmp_path)
    site.page("notices/a.md", body="正文。")
    site.commit("ed", "add a notice")
    shallow = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch",
        f"file://{site.root}", str(shallow))
    git(shallow, "checkout", "-q", "pr")
    proc = run_pr_job(shallow, tmp_path)
    assert proc.returncode == 2
    assert "shallow clone" in proc.stderr and "fetch-depth: 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_job_names_an_unknown_base(tmp_path):
    site = sample_repo(tmp_path)
    clone = ci_checkout(site, tmp_path)
    git(clone, "branch", "-q", "-r", "-d", "origin/main")
    proc = run_pr_job(clone, tmp_path)
    assert proc.returncode == 128 or proc.returncode == 2, proc.stderr
    assert "origin/main" in proc.stderr


def test_pre_commit_hook_entry_runs_on_committed_files(tmp_path):
    site = make_site(tmp_path)
    site.page("notices/a.md", body="正文。")
    site.signoff("notices/a.md", "li-wei")
    site.commit("li-wei", "a notice")
    (hook,) = load(HOOKS)
    files = ["content/notices/a.md", "review/notices/a.md.yml", "site_config/site.yml"]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(f) for f in files)
    proc = run_shell(f"{hook['entry']} {' '.join(files)}", site.root, {})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (site.root / "content/notices/a.md").write_text("---\ntitle: x\n---\nno source\n",
                                                   encoding="utf-8")
    proc = run_shell(f"{hook['entry']} content/notices/a.md", site.root, {})
    assert proc.returncode == 1 and "content/notices/a.md:" in proc.stdout


def test_unknown_ref_is_a_usage_error(tmp_path):
    site = make_site(tmp_path)
    ref = "origin/no-such-branch"
    proc = run_shell(f"govpub check --changed-since {ref}", site.root,
                     {"HOME": str(tmp_path / "home")})
    assert proc.returncode == 2
    assert f"unknown git revision '{ref}'" in proc.stderr


def test_signoff_before_a_later_edit_is_void_in_the_pr_check(tmp_path):
    site = make_site(tmp_path)
    git(site.root, "checkout", "-q", "-b", "pr")
    site.page("notices/a.md", body="正文。")
    site.commit("ed", "add a notice")
    site.signoff("notices/a.md", "li-wei")
    site.commit("li-wei", "approve")
    with open(site.root / "content/notices/a.md", "a", encoding="utf-8") as f:
        f.write("审核之后的修改。\n")
    site.commit("ed", "edit after approval")
    proc = run_shell("govpub check --changed-since main --format github", site.root,
                     {"HOME": str(tmp_path / "home")})
    assert proc.returncode == 1
    assert "::error file=content/notices/a.md" in proc.stdout
    assert "GP202" in proc.stdout  # the digest no longer matches: the sign-off is void
