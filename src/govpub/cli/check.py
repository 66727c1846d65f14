"""`govpub check` and `govpub rules`."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import click

from .. import stamp, verdicts
from ..errors import GovpubError, UsageError
from ..findings import exit_code_for
from ..formatters import FORMATTERS, severity_label
from ..i18n import N_, _
from ..rules import registry
from .common import format_option, now_option, policy_of, resolve_now, root_of


def _repo_relative(root: Path, path: str) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = Path.cwd() / candidate
    candidate = candidate.resolve(strict=False)
    if not candidate.is_relative_to(root):
        raise UsageError(_("{path} is outside the repository {root}").format(path=path, root=root))
    if not candidate.exists():
        raise UsageError(_("{path} does not exist").format(path=path))
    return candidate.relative_to(root).as_posix()


def _selected(finding_path: str, selectors: list[str]) -> bool:
    return any(finding_path == s or finding_path.startswith(s.rstrip("/") + "/") or s == "."
               for s in selectors)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--changed-since", "changed_since", metavar="REF",
              help="Pull-request mode: report files changed since REF and verify the "
                   "sign-offs changed in that range against git history.")
@format_option
@now_option
@click.pass_context
def check(ctx, paths, changed_since, output_format, now_text) -> int:
    """Run every rule over the whole content set.

    PATH narrows what is reported, not what is loaded, so cross-file rules
    (unique codes, links into blocked pages) stay right. Exit 0 when nothing
    blocks, 1 when something does, 2 for usage or configuration errors.
    """
    from . import exit_at_once

    exit_at_once()
    with stamp.code_key_held():  # asked by the cache and by the kept verdict: once
        return _check(ctx, paths, changed_since, output_format, now_text)


def _check(ctx, paths, changed_since, output_format, now_text) -> int:
    root = root_of(ctx)
    selectors = [_repo_relative(root, p) for p in paths]
    state = walk = None
    started = verdicts.Started.now()  # before anything is read (see verdicts.keep)
    if not changed_since:
        verdict, state = verdicts.look_up(root, now_text)
        if verdict is not None:  # nothing the check reads has changed: the same verdict
            return _report(list(verdict.findings), selectors, output_format,
                           _whole_tree_scope(verdict.publishable, verdict.files))
        if state is None:  # nothing kept yet: the tree is walked beside the check
            walk = verdicts.TreeWalk(root)
    from ..checker import check_repository  # (a recalled verdict needs neither it nor the policy)

    policy = policy_of(ctx)
    now = resolve_now(policy.timezone, now_text)
    with contextlib.ExitStack() as stack:
        history_findings, focus = [], None
        if changed_since:
            from ..review.pull_request import pull_request

            # judged with the base's reviewers, levels, severities and link approvals
            pr = stack.enter_context(pull_request(policy, changed_since))
            policy, changed, history_findings = pr.policy, pr.changed, pr.findings
            if any(p.startswith("site_config/") for p in changed):
                selectors = ["."]  # policy changed: every file's verdict may have changed
            else:
                selectors = selectors + changed if selectors else changed
                # the files whose verdicts are reported; the check needs only them and
                # what they depend on (see check_repository)
                focus = {p.removeprefix("content/") for p in selectors
                         if p.startswith("content/")}
                selectors = selectors or ["\0nothing"]
        whole_tree = not changed_since
        if whole_tree:
            clock = datetime.now(UTC)
        # the per-file cache is filled from the second check on: a CI run on a fresh
        # clone, which checks once, does not pay for filling it (govpub.checkcache)
        result = check_repository(policy, now, focus=focus, keep_bodies=False,
                                  fill_cache_at_once=False)
        if whole_tree:
            verdicts.keep(root, state or walk.state(), result, now, clock, started)
    findings = sorted([*result.findings, *history_findings], key=lambda f: f.sort_key())
    if focus is None:
        scope = _whole_tree_scope(len(result.publishable), len(result.context.corpus.documents))
    else:
        scope = _("{changed} changed file(s) checked with the {depended} they depend "
                  "on").format(changed=len(focus), depended=len(result.context.scope)
                               - len(focus & result.context.scope))
    return _report(findings, selectors, output_format, scope, history=set(history_findings))


def _whole_tree_scope(publishable: int, total: int) -> str:
    return _("{publishable} of {total} files publishable").format(publishable=publishable,
                                                                 total=total)


def _report(findings, selectors, output_format, scope: str, history=frozenset()) -> int:
    """Print the findings about ``selectors`` (all when none) and the summary; the exit code."""
    if selectors:
        findings = [f for f in findings if f in history or _selected(f.path, selectors)]
    click.echo(FORMATTERS[output_format](findings), nl=False)
    if output_format == "text":
        blocking = sum(f.blocking for f in findings)
        click.echo(_("{count} finding(s), {blocking} blocking; {scope}").format(
            count=len(findings), blocking=blocking, scope=scope), err=True)
    return exit_code_for(findings)


#: the sections of a rule's documentation, as its docstring (and its translation) words them
DOC_SECTIONS = (N_("What it checks:"), N_("Why:"), N_("Example:"), N_("Fix:"))


def markdown_doc(text: str) -> str:
    """A rule's documentation as Markdown: each section a paragraph, its label in bold."""
    labels = tuple(_(label) for label in DOC_SECTIONS)
    out = []
    for line in text.split("\n"):
        label = next((label for label in labels if line.startswith(label)), None)
        if label:
            # the colon outside the bold: CommonMark does not close `**` between a
            # full-width colon and a Chinese character
            name = label.rstrip(":：")
            out += ["", f"**{name}**{line[len(name):]}"]
        else:
            out.append(line)
    return "\n".join(out).replace("\n\n\n", "\n\n")


def _severity_shown(severity) -> str:
    """The severity's key (what site_config/rules.yml takes) and, in Chinese, its name."""
    label = severity_label(severity)
    return str(severity) if label == str(severity) else f"{severity} {label}"


@click.command()
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]),
              default="text", show_default=True,
              help="Output format; markdown is what docs/rules.md is made from.")
@click.pass_context
def rules(ctx, output_format) -> int:
    """List every rule with its id, severity and explanation."""
    overrides = {}
    try:
        overrides = policy_of(ctx).severity_overrides
    except GovpubError:  # rules are documented even outside a site repository
        overrides = {}
    if output_format == "markdown":
        click.echo(_("# Rules\n\nEvery rule `govpub check` runs, generated from the rules' own "
                     "documentation (`make docs`). Only `error` findings block publication; "
                     "`site_config/rules.yml` can change a severity unless the rule guards "
                     "publication.") + "\n")
    for rule in registry.all():
        severity = overrides.get(rule.id, rule.severity)
        if output_format == "markdown":
            default = (_("Default severity: **{severity}** (guards publication: cannot be "
                         "changed)") if rule.locked else _("Default severity: **{severity}**"))
            default = default.format(severity=_severity_shown(rule.severity))
            click.echo(f"## {rule.id} {rule.name}\n\n{default}\n\n{markdown_doc(rule.doc())}\n")
        else:
            click.echo(f"{rule.id}  {rule.name}  [{_severity_shown(severity)}]")
            for line in rule.doc().splitlines():
                click.echo(f"    {line}")
            click.echo()
    return 0
