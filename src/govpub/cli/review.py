"""`govpub review status|diff|approve|reject`: the reviewer's workflow."""

from __future__ import annotations

import json

import click

from ..config import CONTENT_DIR
from ..errors import UsageError
from ..i18n import _, ngettext
from ..review import workflow
from ..review.gitrun import find_repo
from ..textwidth import pad
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
@click.option("--column", metavar="FOLDER", default=None,
              help="Only files of this column (its folder under content/).")
@click.option("--level", type=click.IntRange(1, 3), default=None,
              help="Only files awaiting this level of sign-off (1: first, 2: second).")
@now_option
@click.pass_context
def status(ctx, output_format, column, level, now_text) -> int:
    """List what awaits review, oldest change first.

    Each file with its title, column, type, authors since its approved
    version, age, review level (and who signed the levels before),
    rejections with their reasons, and its number of blocking findings.
    Files without a sign-off record, files changed since their approved
    digest, records with fewer sign-offs than required, and rejected files.
    """
    from ..review.queue import build_queue, select

    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    if column and column.strip("/") not in policy.columns:
        raise UsageError(_("--column {column!r} is not a column in site_config/columns.yml")
                         .format(column=column),
                         hint=_("columns: {columns}").format(columns=", ".join(policy.columns)))
    items = select(build_queue(policy, now), column=column, level=level)
    if output_format == "json":
        click.echo(json.dumps([i.as_dict(now) for i in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        click.echo(_("nothing awaits review"))
        return 0
    for item in items:
        for line in _status_lines(policy, item, now):
            click.echo(line)
    click.echo(ngettext("{count} file awaits review", "{count} files await review",
                        len(items)).format(count=len(items)), err=True)
    return 0


def _status_lines(policy, item, now):
    from ..review.queue import age_text, state_text

    when = item.changed_at.strftime("%Y-%m-%d %H:%M") if item.changed_at else "?"
    who = _("uncommitted") if item.changed_by == "uncommitted" else item.changed_by
    who = f"  ({who})" if who else ""
    yield f"{when}  {pad(state_text(item), 26)}  {item.repo_path}{who}"
    facts = [item.title or "—", item.column_title or item.column or "—", item.type,
             age_text(item.age(now)),
             _("level {level} of {required}").format(level=item.level, required=item.required)]
    if item.signed_by:
        names = ", ".join(policy.reviewers[r].name for r in item.signed_by)
        facts.append(_("signed by {names}").format(names=names))
    if item.authors:
        facts.append(_("authors: {names}").format(names=", ".join(item.authors)))
    facts.append(ngettext("{count} blocking finding", "{count} blocking findings",
                          item.blocking).format(count=item.blocking))
    yield "    " + " · ".join(facts)
    for r in item.rejections:
        line = _("rejected by {name} ({reviewer}) — {label}").format(
            name=r.reviewer_name, reviewer=r.reviewer, label=r.label or r.code or "?")
        if r.reason:
            line = _("{statement}: {note}").format(statement=line, note=r.reason)
        yield "    " + line
    yield "    " + _("digest {digest}").format(digest=item.digest)


@review.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--source", is_flag=True,
              help="Show the line diff of the file's source instead of the reader's text.")
@click.pass_context
def diff(ctx, path, source) -> int:
    """Show what changed in PATH since its last approved version (from git).

    Compares what a reader sees: front-matter fields by name and the rendered
    text, character by character for Chinese and word by word for Latin
    script; PDF and DOCX attachments by their text, page by page. A file never
    approved is shown in full. Lists who changed what in which commit, and the
    digest to approve (`review approve --digest`).
    """
    from ..review.changes import file_changes
    from ..review.records import content_path_of
    from .reviewtext import approve_hint, body_lines, header_lines

    policy = policy_of(ctx)
    content_path = content_path_of(policy, str(workflow.locate(policy, path)))
    repo = find_repo(policy.root)
    if repo is None or not repo.has_head():
        raise UsageError(_("review diff reads git history, and there is none here"),
                         hint=_("run it in a clone of the site repository"))
    fc = file_changes(policy, repo, content_path)
    for line in header_lines(fc):
        click.echo(line)
    if source:
        _source_diff(fc)
    else:
        for line in body_lines(fc):
            click.echo(line)
    click.echo("")
    click.echo(approve_hint(fc))
    return 0


def _source_diff(fc) -> None:
    import difflib

    from ..digest import is_text_file

    shown = f"{CONTENT_DIR}/{fc.content_path}"
    if not is_text_file(fc.content_path):
        click.echo(_("binary file: {old} -> {new} bytes").format(
            old=len(fc.old_bytes or b""), new=len(fc.new_bytes)))
        return
    old_text = (fc.old_bytes or b"").decode("utf-8", "replace").replace("\r\n", "\n")
    new_text = fc.new_bytes.decode("utf-8", "replace").replace("\r\n", "\n")
    label = (f"approved/{fc.authorship.approved_git_path}" if fc.approved_commit
             else "/dev/null")
    for line in difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True),
                                     label, "current/" + shown):
        click.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n",
                   nl=False)


def _decide(ctx, paths, note, reviewer_id, commit, yes, now_text, decision, *,
            digest=None, reason_code="") -> int:
    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    repo = find_repo(policy.root)
    reviewer = workflow.reviewer_identity(policy, repo, reviewer_id)
    given, policy_files = workflow.policy_arguments(policy, list(paths))
    content_paths = workflow.expand_paths(policy, given) if given or not policy_files else []
    shown = _shown_digest(policy, paths, content_paths, digest)

    def show(candidates):
        heading = (_("{name} ({reviewer}) will approve {count} file(s):")
                   if decision == "public" else
                   _("{name} ({reviewer}) will reject {count} file(s):"))
        click.echo(heading.format(name=reviewer.name, reviewer=reviewer.id,
                                  count=len(candidates)))
        for c in candidates:
            mark = "  " + _("REFUSED") if c.refusal else ""
            click.echo(f"  {c.site_path}  {c.digest[:19]}…  {c.summary}{mark}")
            for f in c.findings:
                click.echo(f"      {f.path}:{f.line}:{f.column}: {f.rule} {f.message}")
        if repo is None:
            click.echo("  " + _("(no git repository: authorship cannot be checked here)"))

    def confirm(candidates):
        if len(candidates) > 1 and not yes:
            question = (_("Approve these {count} files?") if decision == "public"
                        else _("Reject these {count} files?"))
            click.confirm(question.format(count=len(candidates)), abort=True)

    outcome = workflow.decide(policy, repo, reviewer, content_paths, decision, note or "", now,
                              commit=commit, shown_digests=shown, reason_code=reason_code,
                              show=show, confirm=confirm, policy_files=policy_files)
    for f in outcome.written:
        click.echo(_("wrote {record}").format(record=f.relative_to(policy.root).as_posix()))
    if outcome.commit:
        click.echo((_("committed {commit} (signed)") if outcome.signed
                    else _("committed {commit}")).format(commit=outcome.commit[:12]))
    return 0


def _shown_digest(policy, paths, content_paths, digest) -> dict[str, str]:
    """``--digest``: the version of the one file the reviewer looked at."""
    if digest is None:
        return {}
    if not workflow.DIGEST_PATTERN.match(digest):
        raise UsageError(_("--digest {digest!r} is not a digest").format(digest=digest),
                         hint=_("copy the whole sha256:… value that `govpub review diff` "
                                "or `govpub review status` printed"))
    if len(paths) != 1 or len(content_paths) != 1 \
            or workflow.locate(policy, paths[0]).is_dir():
        raise UsageError(_("--digest names the version of one file; give exactly one file"))
    return {content_paths[0]: digest}


_digest_option = click.option(
    "--digest", metavar="SHA256",
    help="The digest you were shown (review diff/status): refused if the file has changed "
         "since.")


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
@_digest_option
@_with_common
@click.pass_context
def approve(ctx, paths, note, digest, reviewer_id, commit, yes, now_text) -> int:
    """Approve the current version of PATH… for publication.

    A folder stands for every file under it that awaits review. What is being
    approved is listed first; more than one file asks for confirmation
    unless --yes. Refused when you changed the file since its last approved
    version, and (with --digest) when the file is not the version you were shown.
    """
    return _decide(ctx, paths, note, reviewer_id, commit, yes, now_text, "public",
                   digest=digest)


@review.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--code", "reason_code", metavar="CODE", default=None,
              help="Reason code from reject_reasons in site_config/reviewers.yml "
                   "(default: other).")
@click.option("--reason", default="", help="Why it must not be published, in your words.")
@_digest_option
@_with_common
@click.pass_context
def reject(ctx, paths, reason_code, reason, digest, reviewer_id, commit, yes,
           now_text) -> int:
    """Record that PATH… must not be published (decision not-public).

    The reason code (personal data, state secret, not yet approved for
    release, factual error, other — the list is in site_config/reviewers.yml)
    and your text are kept in the record; the editor sees them in the pull
    request's check and in `review status`.
    """
    from ..review.reasons import check_reason

    code = check_reason(policy_of(ctx), reason_code, reason)
    return _decide(ctx, paths, reason.strip(), reviewer_id, commit, yes, now_text,
                   "not-public", digest=digest, reason_code=code)


@review.command()
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@now_option
@click.pass_context
def desk(ctx, no_browser, now_text) -> int:
    """Open the review desk: a local web page over status, diff, approve and reject.

    It listens on 127.0.0.1 only, on a random port, and answers only requests
    that carry the address's one-time token; it acts as you (your git identity
    and signing key), and stops when this terminal closes or on Ctrl+C.
    Approve and Reject do exactly what `govpub review approve|reject --commit`
    does, for the version the page displayed.
    """
    import sys

    from ..review.desk.app import Desk
    from ..review.desk.security import new_token
    from ..review.desk.server import make_server, open_in_browser, serve_until_stopped

    policy = policy_of(ctx)
    resolve_now(policy.timezone, now_text)
    repo = find_repo(policy.root)
    if repo is None or not repo.has_head():
        raise UsageError(_("the review desk commits your decisions, and there is no git "
                           "repository here"),
                         hint=_("run it in a clone of the site repository"))
    reviewer = workflow.reviewer_identity(policy, repo, None)
    server = make_server(lambda door: Desk(policy, repo, reviewer, door, now_text),
                         new_token())
    server.desk.preview.refresh()
    address = server.door.address
    click.echo(_("review desk for {name} ({id}): {address}").format(
        name=reviewer.name, id=reviewer.id, address=address))
    click.echo(_("only this computer can open it; it stops when this terminal closes "
                 "(or press Ctrl+C)"))
    sys.stdout.flush()
    opener = None if no_browser else open_in_browser(address)
    try:
        reason = serve_until_stopped(server)
    finally:
        server.desk.preview.close()
        if opener is not None:
            opener.unlink(missing_ok=True)
            opener.parent.rmdir()
    click.echo(_("review desk stopped ({reason})").format(reason=reason))
    return 0
