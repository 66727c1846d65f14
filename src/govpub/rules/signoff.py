"""GP201–GP209: nothing is published without a sign-off on its exact bytes.

The sign-off record format and the digest are DESIGN.md section 5. These
rules read ``review/`` only; on pull requests, ``govpub check
--changed-since`` adds the git-history checks (GP210–GP213) that make sure
the reviewer is who the record says and did not author the change.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import N_, _
from ..review.approval import evaluate_one, orphan_records
from ..review.reasons import reason_label
from . import Rule, register


def approval_state(ctx, doc):
    states = ctx.memo("approval", dict)
    if doc.path not in states:
        states[doc.path] = evaluate_one(ctx.policy, doc)
    return states[doc.path]


def record_shown(ctx, state) -> str:
    return state.record_file.relative_to(ctx.policy.root).as_posix()


class SignoffRule(Rule):
    locked = True
    #: about the sign-off records themselves: `review approve` does not wait for these
    about_signoffs = True
    local = True
    attachments = False

    def check(self, ctx) -> Iterator:
        for doc in ctx.documents():
            if doc.is_page != (not self.attachments):
                continue
            yield from self.check_state(doc, approval_state(ctx, doc), ctx)

    def check_state(self, doc, state, ctx) -> Iterator:
        raise NotImplementedError


_MISSING = {
    "page": (N_("page has no sign-off record — a reviewer runs `govpub review approve {path}`"),
             N_("page's sign-off record {record} is malformed — see the finding there")),
    "attachment": (N_("attachment has no sign-off record — a reviewer runs "
                      "`govpub review approve {path}`"),
                   N_("attachment's sign-off record {record} is malformed — see the finding "
                      "there")),
}


def _missing_message(ctx, doc, state, what: str) -> str | None:
    missing, malformed = _MISSING[what]
    if state.record_text is None:  # (no Path made for each of 10,000 records)
        return _(missing).format(path=doc.repo_path)
    if state.record is None:
        return _(malformed).format(record=record_shown(ctx, state))
    return None


@register
class PageSignoff(SignoffRule):
    """A page has no usable sign-off record.

    What it checks: `review/<path>.yml` exists for the page and can be read.
    Why: nothing reaches the public site without a confidentiality review.
    Example: a new notice in a pull request with no record.
    Fix: a reviewer runs `govpub review approve content/<path>`.
    """

    id = "GP201"
    name = "page-signoff"

    def check_state(self, doc, state, ctx) -> Iterator:
        message = _missing_message(ctx, doc, state, "page")
        if message:
            yield ctx.finding(self, doc, 1, message)


@register
class AttachmentSignoff(SignoffRule):
    """An attachment (any non-Markdown file) has no usable sign-off record.

    What it checks: every file under `content/` that is not a page has its own
    `review/<path>.yml`.
    Why: an attachment is content too: a PDF form can leak as much as a page.
    Fix: a reviewer runs `govpub review approve content/<path>`.
    """

    id = "GP209"
    name = "attachment-signoff"
    attachments = True

    def check_state(self, doc, state, ctx) -> Iterator:
        message = _missing_message(ctx, doc, state, "attachment")
        if message:
            yield ctx.finding(self, doc, 1, message)


class _BothKinds(SignoffRule):
    def check(self, ctx) -> Iterator:
        for doc in ctx.documents():
            state = approval_state(ctx, doc)
            if state.record is not None:
                yield from self.check_state(doc, state, ctx)


@register
class StaleSignoff(_BothKinds):
    """The file changed after it was signed off.

    What it checks: the digest in the record equals the digest of the file's
    current bytes (BOM and line endings normalized for text files).
    Why: a sign-off binds to an exact version; any byte changed after approval
    voids it.
    Fix: a reviewer reviews the change (`govpub review diff PATH`) and approves
    again.
    """

    id = "GP202"
    name = "stale-signoff"

    def check_state(self, doc, state, ctx) -> Iterator:
        if not state.digest_matches:
            yield ctx.finding(self, doc, 1,
                              _("changed since it was signed off (record {record} has {old}…, "
                                "the file is {new}…) — review and approve again").format(
                                  record=record_shown(ctx, state),
                                  old=state.record.digest[:19], new=doc.digest[:19]))


@register
class UnknownReviewer(_BothKinds):
    """A sign-off names someone who is not a reviewer.

    What it checks: every `reviewer:` in the record is an id in
    `site_config/reviewers.yml`.
    Why: only authorized reviewers may approve publication.
    Fix: have an authorized reviewer sign off; the General Office adds
    reviewers to `site_config/reviewers.yml`.
    """

    id = "GP203"
    name = "unknown-reviewer"

    def check_state(self, doc, state, ctx) -> Iterator:
        for reviewer in state.unknown_reviewers:
            line = next((s.line for s in state.record.signoffs if s.reviewer == reviewer), 1)
            yield ctx.finding(self, record_shown(ctx, state), line,
                              _("{reviewer} is not a reviewer in site_config/reviewers.yml — "
                                "{path} is not approved by them").format(
                                  reviewer=repr(reviewer), path=doc.repo_path))


@register
class NotPublicDecision(_BothKinds):
    """A reviewer decided this version must not be published.

    What it checks: no sign-off on the current version has `decision: not-public`.
    Why: one reviewer's refusal stops publication, whatever the others said.
    Fix: address the reason given in the record, change the file, and ask for
    a new review.
    """

    id = "GP204"
    name = "not-public"

    def check_state(self, doc, state, ctx) -> Iterator:
        for reviewer in state.rejected_by:
            signoff = next(s for s in state.record.signoffs if s.reviewer == reviewer)
            code = reason_label(ctx.policy, signoff.reason_code)
            if code and signoff.note:
                message = _("{reviewer} decided not-public ({code}): {reason}")
            elif code:
                message = _("{reviewer} decided not-public ({code})")
            elif signoff.note:
                message = _("{reviewer} decided not-public: {reason}")
            else:
                message = _("{reviewer} decided not-public")
            yield ctx.finding(self, doc, 1, message.format(reviewer=reviewer, code=code,
                                                           reason=signoff.note))


@register
class ReviewLevels(_BothKinds):
    """Fewer distinct reviewers approved than the review level requires.

    What it checks: the number of distinct authorized reviewers with decision
    `public` on the current version reaches `levels` in
    `site_config/reviewers.yml` (or the column's `column_levels`).
    Why: two-level review (e.g. for policies) needs two people.
    Fix: a second reviewer runs `govpub review approve content/<path>`.
    """

    id = "GP205"
    name = "review-levels"

    def check_state(self, doc, state, ctx) -> Iterator:
        if state.digest_matches and not state.rejected_by \
                and len(state.approvers) < state.required:
            yield ctx.finding(self, doc, 1,
                              _("approved by {count} of {required} required distinct reviewers "
                                "— another reviewer must approve").format(
                                  count=len(state.approvers), required=state.required))


@register
class OrphanRecord(Rule):
    """A sign-off record names a file that no longer exists.

    What it checks: every `review/<path>.yml` has its `content/<path>`.
    Why: after a rename or deletion, a leftover record could approve a
    different file that later appears at the old path.
    Fix: delete the record, or move it along with the renamed file (and have
    it reviewed again).
    """

    id = "GP206"
    name = "orphan-record"
    locked = True
    about_signoffs = True

    def check(self, ctx) -> Iterator:
        for path, record_file in orphan_records(ctx.policy, ctx.corpus.documents):
            yield ctx.finding(self, record_file.relative_to(ctx.policy.root).as_posix(), 1,
                              _("content/{path} does not exist — delete this record or move it "
                                "with the renamed file").format(path=path))


@register
class MalformedRecord(Rule):
    """A sign-off record cannot be read, or names a different file than its location.

    What it checks: the record is valid YAML in the format of DESIGN.md
    section 5, and its `content:` equals its path under `review/`.
    Why: a record that cannot be read approves nothing; a record that names
    another file could be copied to approve the wrong one.
    Fix: correct the record, or delete it and approve again with
    `govpub review approve`.
    """

    id = "GP207"
    name = "malformed-record"
    locked = True
    about_signoffs = True
    local = True

    def check(self, ctx) -> Iterator:
        for doc in ctx.documents():
            state = approval_state(ctx, doc)
            for problem in state.problems:
                shown = state.record_file.relative_to(ctx.policy.root).as_posix()
                yield ctx.finding(self, shown, problem.line, problem.message)
