"""Resolving untrusted relative paths safely inside a root folder.

Every path that comes from content, configuration, links or a manifest is
hostile until proven otherwise. :func:`resolve_inside` is the one gate such
a path passes before anything reads or writes it:

- absolute paths, drive letters and backslashes are refused (a Windows path
  on a POSIX build machine is a different file from what the author meant);
- ``..`` components are refused outright, even when they would stay inside
  the root — they only ever appear in paths crafted to escape;
- NUL bytes and other control characters are refused;
- every existing component on the way is checked: a symbolic link anywhere
  is refused, so a link planted in the tree cannot redirect a write;
- a name that collides with an existing sibling by case or Unicode
  normalization (``Notice.md`` vs ``notice.md``, NFC vs NFD) is refused,
  because the two are one file on macOS and Windows file systems.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from .content import portable_key
from .errors import UsageError
from .i18n import _


class UnsafePathError(UsageError):
    """A path tried to leave its root, or would be ambiguous on disk."""


def _refuse(relative: str, why: str) -> UnsafePathError:
    shown = relative.encode("unicode_escape").decode("ascii")[:200]
    return UnsafePathError(_("unsafe path {path!r}: {problem}").format(path=shown, problem=why),
                           hint=_("use a plain relative path inside the repository"))


def check_relative(relative: str) -> tuple[str, ...]:
    """The components of a safe relative POSIX path, or UnsafePathError (pure, no I/O)."""
    if not isinstance(relative, str) or not relative:
        raise _refuse(str(relative), _("empty path"))
    if any(ord(c) < 32 or ord(c) == 127 for c in relative):
        raise _refuse(relative, _("contains NUL or control characters"))
    if "\\" in relative:
        raise _refuse(relative, _("contains a backslash"))
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        raise _refuse(relative, _("is absolute"))
    parts = tuple(p for p in PurePosixPath(relative).parts if p != ".")
    if not parts:
        raise _refuse(relative, _("names the root itself"))
    if ".." in parts:
        raise _refuse(relative, _("contains '..'"))
    return parts


def _colliding_sibling(folder: Path, name: str) -> str | None:
    key = portable_key(name)
    try:
        entries = os.listdir(folder)
    except OSError:
        return None
    for entry in entries:
        if entry != name and portable_key(entry) == key:
            return entry
    return None


def resolve_inside(root: Path | str, relative: str) -> Path:
    """Return ``root/relative`` after proving it cannot escape or collide.

    The target itself need not exist (a path about to be written); every
    component that does exist must be a real directory or file, not a link.
    """
    parts = check_relative(relative)
    root = Path(root)
    if root.is_symlink():
        raise _refuse(relative, _("the root {root} is a symbolic link").format(root=root))
    root = root.resolve()
    current = root
    for index, part in enumerate(parts):
        other = _colliding_sibling(current, part)
        if other is not None:
            raise _refuse(relative, _("'{part}' collides with '{other}' by case or Unicode "
                                      "normalization").format(part=part, other=other))
        current = current / part
        if current.is_symlink():
            raise _refuse(relative, _("'{path}' is a symbolic link").format(
                path="/".join(parts[:index + 1])))
        if not current.exists():
            break
        if index < len(parts) - 1 and not current.is_dir():
            raise _refuse(relative, _("'{path}' is not a folder").format(
                path="/".join(parts[:index + 1])))
    full = root.joinpath(*parts)
    if not full.parent.resolve().is_relative_to(root):  # belt and braces
        raise _refuse(relative, _("resolves outside the root"))
    return full
