"""Why a version must not be published: the reason codes of a rejection.

``site_config/reviewers.yml`` may list them (``reject_reasons``); without a
list, the five every agency needs apply. A rejection records one code and
free text; the code travels with the record (``reason_code``), so that the
editor sees the same words in the pull request's check, in ``review status``
and at the review desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Policy
from ..errors import UsageError
from ..i18n import N_, _, current_language

OTHER = "other"

#: (code, English label) — the default list; labels are translated where shown
DEFAULT_REASONS: tuple[tuple[str, str], ...] = (
    ("personal-data", N_("personal data")),
    ("state-secret", N_("state secret")),
    ("not-approved-for-release", N_("not yet approved for release")),
    ("factual-error", N_("factual error")),
    (OTHER, N_("other")),
)


@dataclass(frozen=True)
class RejectReason:
    code: str
    label: str  # as written in reviewers.yml (the site's language), or the default's msgid
    label_en: str | None = None
    builtin: bool = False

    def shown(self) -> str:
        """The label in the language in force."""
        if self.builtin:
            return _(self.label)
        if current_language() == "en" and self.label_en:
            return self.label_en
        return self.label


def reject_reasons(policy: Policy) -> list[RejectReason]:
    """The site's reason codes, in the order reviewers.yml lists them."""
    listed = getattr(policy, "reject_reasons", None)
    if listed:
        return [RejectReason(r["code"], r["label"], r.get("label_en")) for r in listed]
    return [RejectReason(code, label, builtin=True) for code, label in DEFAULT_REASONS]


def reason_for(policy: Policy, code: str) -> RejectReason | None:
    return next((r for r in reject_reasons(policy) if r.code == code), None)


def reason_label(policy: Policy, code: str | None) -> str:
    """The label of ``code``; an unknown code (an old list, a hand-written record) as is."""
    if not code:
        return ""
    reason = reason_for(policy, code)
    return reason.shown() if reason else code


def check_reason(policy: Policy, code: str | None, text: str) -> str:
    """The code a rejection records; refuses an unknown code and a bare "other"."""
    codes = [r.code for r in reject_reasons(policy)]
    if not code:
        if OTHER not in codes:
            raise UsageError(_("a rejection needs a reason code"),
                             hint=_("choose one of: {codes}").format(codes=", ".join(codes)))
        code = OTHER
    if code not in codes:
        raise UsageError(_("{code!r} is not a reason code in site_config/reviewers.yml")
                         .format(code=code),
                         hint=_("choose one of: {codes}").format(codes=", ".join(codes)))
    if code == OTHER and not text.strip():
        raise UsageError(_("say why the file must not be published (the reason text)"),
                         hint=_("with the reason code \"other\", the text is the reason"))
    return code


__all__ = ["DEFAULT_REASONS", "OTHER", "RejectReason", "check_reason", "reason_for",
           "reason_label", "reject_reasons"]
