"""The policy a pull request is judged by: the base side's, never its own.

A pull request could otherwise add its author as a reviewer, put its own
key on a reviewer, drop two-level review, lower a rule's severity or approve
its own external link — and be judged by the very file it changed. So in
pull-request mode the *trusted* parts of the policy come from ``site_config/``
as it is in the base commit:

* ``reviewers.yml``: the reviewers, their addresses and keys, ``levels``,
  ``column_levels`` and ``policy_owners``;
* ``rules.yml``: the rule severities;
* ``links.yml``: the external-link approvals (read from the base's copy
  through :attr:`Policy.trusted_config_root`).

Everything else (site settings, columns, content types) is the pull
request's own, so that a new column and its first page can travel together;
any change to those files needs the policy owners' sign-off anyway (GP214),
judged by the base's owners.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..config import CONFIG_DIR, Policy, load_trusted_parts
from ..errors import ConfigError
from ..i18n import _
from .gitrun import GitError, GitRepo

#: git's mode of a regular file (a link or a submodule in the base is skipped)
_FILE_MODES = ("100644", "100755")


def export_folder(repo: GitRepo, commit: str, site_folder: str, target_root: Path) -> int:
    """Write the files of ``site_folder`` as they are in ``commit`` under ``target_root``
    (one ``ls-tree`` and one ``cat-file --batch``); returns how many were written."""
    out = repo.run("ls-tree", "-r", "-z", "--full-tree", commit, "--",
                   ":(literal)" + repo.to_git(site_folder))
    entries = []
    for item in out.decode("utf-8", "surrogateescape").split("\0"):
        if not item:
            continue
        meta, _tab, git_path = item.partition("\t")
        mode, kind, blob = meta.split()
        site_path = repo.from_git(git_path)
        if kind != "blob" or mode not in _FILE_MODES or site_path is None:
            continue
        parts = site_path.split("/")
        if any(p in ("", ".", "..") for p in parts):
            continue
        entries.append((site_path, blob))
    blobs = repo.read_blobs([blob for _path, blob in entries])
    for site_path, blob in entries:
        target = target_root.joinpath(*site_path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blobs.get(blob, b""))
    return len(entries)


@contextlib.contextmanager
def judged_by_base(policy: Policy, repo: GitRepo, base_commit: str,
                   shown_ref: str) -> Iterator[Policy]:
    """``policy`` with its trusted parts replaced by those of ``base_commit``.

    The base's ``site_config/`` is copied into a temporary folder for as long as
    the ``with`` block runs (the link approvals are read from there).
    """
    with tempfile.TemporaryDirectory(prefix="govpub-base-policy-") as tmp:
        root = Path(tmp)
        if export_folder(repo, base_commit, CONFIG_DIR, root) == 0:
            raise GitError(
                _("the base {ref} has no site_config/, so nothing in this pull request can be "
                  "judged by a trusted policy").format(ref=shown_ref),
                hint=_("commit the site's site_config/ on the base branch first (its first "
                       "version is approved on the platform by the General Office)"))
        try:
            trusted = load_trusted_parts(root)
        except ConfigError as exc:
            raise ConfigError(_("the base {ref}'s policy cannot be loaded: {error}").format(
                ref=shown_ref, error=exc.message), path=exc.path, line=exc.line,
                hint=_("fix site_config/ on the base branch first")) from None
        yield dataclasses.replace(policy, trusted_root=root, **trusted)


__all__ = ["export_folder", "judged_by_base"]
