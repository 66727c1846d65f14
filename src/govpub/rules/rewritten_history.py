"""GP216: the branch was rewritten (rebased or squashed) after a sign-off."""

from __future__ import annotations

from collections.abc import Iterator

from . import Rule, register


@register
class RewrittenAfterApproval(Rule):
    """A sign-off commit was rewritten: the branch was rebased or squashed after approval.

    What it checks: with `--changed-since REF`, every sign-off the range wrote
    that names the commit its reviewer reviewed (`commit:`, which
    `govpub review approve` writes) must have that commit in the branch's
    history. A rebase or squash replaces the commits, so the reviewed commit
    is no longer there.
    Why: four eyes are proven by the reviewer's own commit. Rebasing or
    squashing a branch after approval replaces those commits with someone
    else's, so the proof is gone — the check says so plainly instead of
    leaving you to puzzle over a forged-looking sign-off (GP210, GP212).
    Example: an editor runs `git rebase main` on the pull request's branch
    after li-wei signed off, or squashes it before pushing.
    Fix: restore the original commits (`git reflog`, then
    `git reset --hard <the commit before the rewrite>` and push with
    `--force-with-lease`) and bring the branch up to date with a merge
    (`git merge origin/main`) instead; or ask the reviewers to approve again on
    the rewritten branch. Merge pull requests with a merge commit (see "Branch
    protection").
    """

    id = "GP216"
    name = "rewritten-after-approval"
    locked = True
    about_signoffs = True

    def check(self, ctx) -> Iterator:
        # needs the range: govpub.review.four_eyes reports it
        return iter(())
