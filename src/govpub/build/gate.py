"""The gate stage: decide what is published, and report what is not.

Without ``--strict`` blocked pages are quarantined: the rest of the site is
built and the quarantine report goes to the terminal and to
``.govpub/quarantine.json`` / ``.txt`` — never into the site. With
``--strict`` any blocking finding stops the build here, before anything is
written. A preview build shows every page that loads, marking the ones the
real gate would hold back.
"""

from __future__ import annotations

import dataclasses
import json

from ..checker import CheckResult
from ..errors import BlockedError
from ..findings import Finding
from ..i18n import _
from ..sitemodel import build_site_model
from .pipeline import BuildState

LOADING_RULE_PREFIX = "GP0"
REPORT_NAME = "quarantine"


def split_blocked(result: CheckResult) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]]]:
    """Blocked paths → their findings: (quarantined for a blocking finding, held back only)."""
    quarantined: dict[str, list[Finding]] = {}
    held_back: dict[str, list[Finding]] = {}
    for path in sorted(result.blocked):
        findings = result.findings_for(path)
        blocking = [f for f in findings if f.blocking]
        if blocking:
            quarantined[path] = blocking
        else:
            held_back[path] = findings
    return quarantined, held_back


def fails_to_load(result: CheckResult) -> set[str]:
    """Files that cannot be shown even in a preview: unreadable, or a blocking loading rule."""
    out = set()
    for path, doc in result.context.corpus.documents.items():
        if not doc.readable or (doc.is_page and not doc.has_meta):
            out.add(path)
    for f in result.findings:
        if f.blocking and f.rule.startswith(LOADING_RULE_PREFIX) and f.path.startswith("content/"):
            out.add(f.path.removeprefix("content/"))
    return out


def report_lines(quarantined: dict[str, list[Finding]], held_back: dict[str, list[Finding]]) -> list[str]:
    lines = []
    for path, findings in quarantined.items():
        for f in findings:
            lines.append(_("quarantined: {path}:{line}: {rule} {message}").format(
                path=f.path, line=f.line, rule=f.rule, message=f.message))
        if not findings:
            lines.append(_("quarantined: {path}").format(path=f"content/{path}"))
    for path, findings in held_back.items():
        message = findings[0].message if findings else _("held back")
        lines.append(_("held back: {path}: {message}").format(path=f"content/{path}",
                                                               message=message))
    return lines


def write_report(state: BuildState) -> None:
    """The quarantine report beside (never inside) the site."""
    state.work_dir.mkdir(parents=True, exist_ok=True)
    data = {
        "now": state.now.isoformat(),
        "quarantined": [{"path": f"content/{path}",
                         "findings": [{"rule": f.rule, "line": f.line, "message": f.message}
                                      for f in findings]}
                        for path, findings in state.quarantined.items()],
        "held_back": [{"path": f"content/{path}",
                       "findings": [{"rule": f.rule, "line": f.line, "message": f.message}
                                    for f in findings]}
                      for path, findings in state.held_back.items()],
    }
    (state.work_dir / f"{REPORT_NAME}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = report_lines(state.quarantined, state.held_back)
    (state.work_dir / f"{REPORT_NAME}.txt").write_text(
        "\n".join(text) + ("\n" if text else ""), encoding="utf-8")


def gate(state: BuildState) -> None:
    result = state.result
    state.quarantined, state.held_back = split_blocked(result)
    echo = state.options.echo
    if state.options.strict and result.blocking:
        for f in result.blocking:
            echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}")
        raise BlockedError(_("{findings} blocking finding(s) in {files} file(s); nothing was "
                             "built").format(findings=len(result.blocking),
                                             files=len(state.quarantined)),
                           hint=_("fix them (see `govpub check`), or build without --strict "
                                  "to quarantine these pages"))
    if state.options.preview:
        hidden = fails_to_load(result)
        state.unreviewed = set(result.blocked) - hidden
        preview_ctx = dataclasses.replace(result.context, blocked=hidden)
        state.model = build_site_model(CheckResult(context=preview_ctx, findings=result.findings))
    else:
        state.model = build_site_model(result)
        write_report(state)
    for line in report_lines(state.quarantined, state.held_back):
        echo(line)
