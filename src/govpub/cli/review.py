"""`govpub review status|diff|approve|reject`: the reviewer's workflow."""

from __future__ import annotations

import json

import click

from ..config import CONTENT_DIR
from ..errors import UsageError
from ..review import workflow
from ..review.gitrun import find_repo
from ..review.history import content_authorship
from .common import now_option, policy_of, resolve_now


@click.group()
def review() -> None:
    """The confidentiality review: what awaits it, what changed, sign-off.

    Your identity is `git config user.email`, which must be listed for you in
    site_config/reviewers.yml. You cannot approve a change you made.
    """


@review.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
@click.pass_context
def status(ctx, output_format) -> int:
    """List what awaits review, oldest change first, with who changed it and when.

    Files without a sign-off record, files changed since their approved
    digest, records with fewer sign-offs than required, and rejected files.
    """
    policy = policy_of(ctx)
    items = workflow.awaiting_review(policy)
    if output_format == "json":
        click.echo(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        click.echo("nothing awaits review")
        return 0
    for item in items:
        when = item.changed_at.strftime("%Y-%m-%d %H:%M") if item.changed_at else "?"
        who = f"  ({item.changed_by})" if item.changed_by else ""
        click.echo(f"{when}  {item.reason:<26}  {CONTENT_DIR}/{item.content_path}{who}")
    click.echo(f"{len(items)} file(s) await review", err=True)
    return 0


@review.command()
@click.argument("path", type=click.Path(path_type=str))
@click.pass_context
def diff(ctx, path) -> int:
    """Show what changed in PATH since its last approved version (from git)."""
    import difflib

    from ..digest import digest_for, is_text_file
    from ..review.records import content_path_of

    policy = policy_of(ctx)
    content_path = content_path_of(policy, str(workflow.locate(policy, path)))
    repo = find_repo(policy.root)
    if repo is None or not repo.has_head():
        raise UsageError("review diff reads git history, and there is none here",
                         hint="run it in a clone of the site repository")
    shown = f"{CONTENT_DIR}/{content_path}"
    current = (policy.content_dir / content_path).read_bytes()
    authorship = content_authorship(repo, policy, content_path, base=None)
    old = workflow.approved_bytes(repo, authorship)
    if authorship.approved_commit:
        click.echo(f"{shown}: changes since the approved version "
                   f"(commit {authorship.approved_commit[:12]}, "
                   f"{digest_for(content_path, old or b'')})")
    else:
        click.echo(f"{shown}: no approved version in git history — the whole file is new "
                   "to review")
    for change in authorship.changes:
        click.echo(f"  {change.commit[:12]}  {change.author_name} <{change.author_email}>")
    if repo.dirty_paths([shown]):
        click.echo("  (uncommitted changes in the work tree)")
    if not is_text_file(content_path):
        click.echo(f"binary file: {len(old or b'')} -> {len(current)} bytes, now "
                   f"{digest_for(content_path, current)}")
        return 0
    old_text = (old or b"").decode("utf-8", "replace").replace("\r\n", "\n").splitlines(True)
    new_text = current.decode("utf-8", "replace").replace("\r\n", "\n").splitlines(True)
    label = (f"approved/{authorship.approved_git_path}" if authorship.approved_commit
             else "/dev/null")
    for line in difflib.unified_diff(old_text, new_text, label, "current/" + shown):
        click.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n",
                   nl=False)
    return 0


def _decide(ctx, paths, note, reviewer_id, commit, yes, now_text, decision) -> int:
    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    repo = find_repo(policy.root)
    reviewer = workflow.reviewer_identity(policy, repo, reviewer_id)
    content_paths = workflow.expand_paths(policy, list(paths))
    if commit and repo is None:
        raise UsageError("--commit needs a git repository")
    sign = workflow.signing_args(repo, reviewer) if commit else []
    candidates = workflow.prepare(policy, repo, reviewer, content_paths,
                                  check_authors=decision == "public")
    verb = "approve" if decision == "public" else "reject"
    click.echo(f"{reviewer.name} ({reviewer.id}) will {verb} {len(candidates)} file(s):")
    for c in candidates:
        mark = "  REFUSED" if c.refusal else ""
        click.echo(f"  {CONTENT_DIR}/{c.content_path}  {c.digest[:19]}…  {c.summary}{mark}")
    if repo is None:
        click.echo("  (no git repository: authorship cannot be checked here)")
    workflow.refuse_if_any(candidates)
    if len(candidates) > 1 and not yes:
        click.confirm(f"{verb.capitalize()} these {len(candidates)} files?", abort=True)
    from ..review.records import add_signoff, record_path_for

    written = []
    for c in candidates:
        add_signoff(policy, c.content_path, reviewer.id, decision, note or "", now)
        written.append(record_path_for(policy, c.content_path))
    for f in written:
        click.echo(f"wrote {f.relative_to(policy.root).as_posix()}")
    if commit:
        subject = (f"review: {verb} {CONTENT_DIR}/{candidates[0].content_path}"
                   if len(candidates) == 1 else f"review: {verb} {len(candidates)} files")
        body = "\n".join(f"{CONTENT_DIR}/{c.content_path} {c.digest}" for c in candidates)
        sha = workflow.commit_records(repo, written, f"{subject}\n\n{body}\n", sign)
        click.echo(f"committed {sha[:12]}{' (signed)' if sign else ''}")
    return 0


_common = [
    click.option("--reviewer", "reviewer_id", metavar="ID",
                 help="Your reviewer id; only needed outside git (it must match your git "
                      "identity otherwise)."),
    click.option("--commit", is_flag=True,
                 help="Commit the sign-off records (signed when git has a signing key)."),
    click.option("--yes", "-y", is_flag=True, help="Do not ask before deciding on many files."),
    now_option,
]


def _with_common(function):
    for option in reversed(_common):
        function = option(function)
    return function


@review.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--note", default="", help="What you checked (kept in the record).")
@_with_common
@click.pass_context
def approve(ctx, paths, note, reviewer_id, commit, yes, now_text) -> int:
    """Approve the current version of PATH… for publication.

    A folder stands for every file under it that awaits review. What is being
    approved is listed first; more than one file asks for confirmation
    unless --yes. Refused when you changed the file since its last approved
    version.
    """
    return _decide(ctx, paths, note, reviewer_id, commit, yes, now_text, "public")


@review.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--reason", required=True, help="Why it must not be published.")
@_with_common
@click.pass_context
def reject(ctx, paths, reason, reviewer_id, commit, yes, now_text) -> int:
    """Record that PATH… must not be published (decision not-public)."""
    if not reason.strip():
        raise UsageError("--reason must say why the file must not be published")
    return _decide(ctx, paths, reason, reviewer_id, commit, yes, now_text, "not-public")
