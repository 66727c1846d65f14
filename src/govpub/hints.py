"""``next:`` hints: the command a person runs after this one, printed so that it runs.

A hint is one complete shell command line, printed on its own line after
``next:`` (``下一步：`` in Chinese), that works as printed from the root of the
site repository (or from anywhere, when the command was given ``--root``: the
hint then starts with ``cd``). Values are shell-quoted, so a path with a space
or a quote cannot break it.

Every hint goes through :func:`next_step` with a literal template, so a test
(``tests/test_hints.py``) can find every template in the code, run the
commands that print them, match each printed hint to its template, and run
the hint itself. A hint that would not run is a bug that test catches.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from .i18n import _


def next_step(template: str, *, root: Path | None = None, **values) -> str:
    """``next: <command>``: ``template`` with shell-quoted ``values``.

    ``root`` is the site repository the command worked on; when it is not the
    current directory the hint changes to it first, so it still runs as printed.
    """
    command = template.format(**{key: shlex.quote(str(value)) for key, value in values.items()})
    if root is not None and Path(root).resolve() != Path(os.getcwd()).resolve():
        command = f"cd {shlex.quote(str(Path(root).resolve()))} && {command}"
    return _("next: {command}").format(command=command)


__all__ = ["next_step"]
