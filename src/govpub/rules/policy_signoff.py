"""GP214: a change to site policy needs the policy owners' sign-off (pull-request mode)."""

from __future__ import annotations

from collections.abc import Iterator

from . import Rule, register


@register
class PolicySignoff(Rule):
    """A change to site policy has no valid sign-off by the policy owners.

    What it checks: with `--changed-since REF`, every file the pull request
    changes (or deletes) in `site_config/`, `mkdocs.yml`, `hooks/` or the theme
    overrides folder `overrides/` has a sign-off record
    `review/_policy/<path>.yml` for its current bytes (a deleted file: for no
    bytes), approved by as many members of the `policy_owners` group of the
    *base's* reviewers.yml as its `levels` ask, and nobody decided
    `not-public`. The sign-offs are verified like content sign-offs (GP210–GP213).
    Why: site policy decides who may approve, which links and rules apply and
    how pages are shaped; a pull request must not change the rules it is
    judged by. The General Office owns policy.
    Example: a pull request adds its author to `site_config/reviewers.yml`,
    or approves its own external link in `site_config/links.yml`.
    Fix: a member of the policy owners who did not make the change runs
    `govpub review approve site_config/<file> --commit`.
    """

    id = "GP214"
    name = "policy-signoff"
    locked = True
    about_signoffs = True

    def check(self, ctx) -> Iterator:
        # needs the base commit and the range: govpub.review.pull_request reports it
        return iter(())
