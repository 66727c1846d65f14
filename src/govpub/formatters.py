"""Render findings as text (compiler style), JSON, or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from .findings import Finding, Severity
from .i18n import N_, _

#: severities as people read them; JSON and GitHub output keep the English keys
SEVERITY_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"),
                   Severity.INFO: N_("info")}


def severity_label(severity: Severity) -> str:
    return _(SEVERITY_LABELS[severity])


def format_text(findings: Iterable[Finding]) -> str:
    line = _("{path}:{line}:{column}: {rule} {severity}: {message}")
    labels = {severity: severity_label(severity) for severity in Severity}
    return "".join(
        line.format(path=f.path, line=f.line, column=f.column, rule=f.rule,
                    severity=labels[f.severity], message=f.message) + "\n"
        for f in findings)


def format_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_github(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(findings: Iterable[Finding]) -> str:
    out = []
    for f in findings:
        props = ",".join([
            f"file={_escape_github(f.path, property_value=True)}",
            f"line={f.line}",
            f"col={f.column}",
            f"title={_escape_github(f.rule, property_value=True)}",
        ])
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_github(f.message)}\n")
    return "".join(out)


FORMATTERS: dict[str, Callable[[Iterable[Finding]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
