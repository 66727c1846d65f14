"""What needs a sign-off, where its record lives, and who may give it.

Two kinds of file are signed off with the same record format, digest and
four-eyes rules (DESIGN.md section 5, "Trust"):

* **content** — every file under ``content/``; its record is
  ``review/<path under content>.yml``; any reviewer may sign, as many as
  ``levels`` / ``column_levels`` ask;
* **policy** — what governs the site or shapes its pages: everything in
  ``site_config/``, ``mkdocs.yml``, ``hooks/`` and Material's theme
  overrides folder ``overrides/``. Its record is
  ``review/_policy/<path>.yml`` (``content:`` names the path from the site
  root); only members of the ``policy_owners`` group of ``reviewers.yml``
  (the General Office) may sign, as many as its ``levels`` (default 1). A
  site whose reviewers.yml names no group has every reviewer as a policy
  owner, so that the change that names the group can itself be signed off.

``_policy`` is therefore a reserved top-level name under ``content/``.

govpub's own code (``src/``, ``pyproject.toml``, CI files, scripts) is
neither: the code owners approve it on the platform (CODEOWNERS), and the
pull-request check only reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import CONFIG_DIR, CONTENT_DIR, REVIEW_DIR, Policy

POLICY_RECORDS = "_policy"
RECORD_SUFFIX = ".yml"

#: site paths (folders end in "/") whose changes need the policy owners' sign-off
POLICY_PATHS = (f"{CONFIG_DIR}/", "mkdocs.yml", "hooks/", "overrides/")
#: site paths of govpub's own code and of the CI that runs it: the code owners' business
CODE_PATHS = ("src/", "pyproject.toml", "setup.py", "setup.cfg", "Makefile", "scripts/",
              ".github/", ".gitlab-ci.yml", ".gitlab/", ".ci/", ".pre-commit-hooks.yaml")


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in prefixes)


def is_policy_path(site_path: str) -> bool:
    return _under(site_path, POLICY_PATHS)


def is_code_path(site_path: str) -> bool:
    return _under(site_path, CODE_PATHS)


def is_policy_record(site_path: str) -> bool:
    return (site_path.startswith(f"{REVIEW_DIR}/{POLICY_RECORDS}/")
            and site_path.endswith(RECORD_SUFFIX))


def is_content_record(site_path: str) -> bool:
    return (site_path.startswith(f"{REVIEW_DIR}/") and site_path.endswith(RECORD_SUFFIX)
            and not is_policy_record(site_path))


@dataclass(frozen=True)
class Subject:
    """One file that needs a sign-off, and the terms of that sign-off."""

    path: str  # what the record's `content:` says: notices/x.md | site_config/links.yml
    site_path: str  # from the site root: content/notices/x.md | site_config/links.yml
    record_site_path: str  # review/notices/x.md.yml | review/_policy/site_config/links.yml.yml
    levels: int
    signers: frozenset[str] | None = None  # who may sign; None: every reviewer
    group: str = ""  # the signers' group, for messages

    @property
    def is_policy(self) -> bool:
        return self.signers is not None

    def may_sign(self, reviewer_id: str) -> bool:
        return self.signers is None or reviewer_id in self.signers


def content_subject(policy: Policy, content_path: str) -> Subject:
    return Subject(content_path, f"{CONTENT_DIR}/{content_path}",
                   f"{REVIEW_DIR}/{content_path}{RECORD_SUFFIX}", policy.levels_for(content_path))


def policy_subject(policy: Policy, site_path: str) -> Subject:
    owners = policy.policy_owners
    if owners is None:
        signers, levels, group = frozenset(policy.reviewers), 1, ""
    else:
        signers, levels, group = frozenset(owners.members), owners.levels, owners.name
    return Subject(site_path, site_path,
                   f"{REVIEW_DIR}/{POLICY_RECORDS}/{site_path}{RECORD_SUFFIX}", levels,
                   signers, group)


def subject_of_record(policy: Policy, record_site_path: str) -> Subject | None:
    """The subject a record path stands for (None for a path that is not a record)."""
    if is_policy_record(record_site_path):
        path = record_site_path[len(f"{REVIEW_DIR}/{POLICY_RECORDS}/"):-len(RECORD_SUFFIX)]
        return policy_subject(policy, path)
    if is_content_record(record_site_path):
        return content_subject(policy, record_site_path[len(REVIEW_DIR) + 1:
                                                        -len(RECORD_SUFFIX)])
    return None


__all__ = ["CODE_PATHS", "POLICY_PATHS", "POLICY_RECORDS", "Subject", "content_subject",
           "is_code_path", "is_content_record", "is_policy_path", "is_policy_record",
           "policy_subject", "subject_of_record"]
