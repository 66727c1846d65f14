"""The theme's file list, kept between the renders of one process while its folders are unchanged.

On every build MkDocs lists every file of every theme folder to find the
static files to copy (``Files.add_files_from_theme``: Jinja's
``list_templates`` over Material's 14,500 files, each name matched against a
dozen patterns): 0.4 s of each of ``govpub serve``'s rebuilds at 10,000
pages, for a list that depends only on the names in those folders. The list
is kept in this process, keyed by

- the theme folders, and for each folder below them (as Jinja walks them: a
  link to a folder is not entered) its identity and modification time, which
  changes whenever a name in it is added, removed or renamed;
- the arguments of the call, and the patterns MkDocs' filter is made of (its
  code and the theme's static templates, which it reads at call time).

A fresh process (``govpub build``) lists once, as MkDocs does.
"""

from __future__ import annotations

import os
from collections.abc import Callable

_kept: dict = {}  # key -> the sorted names list_templates returned (one theme: one entry)


def _folders_signature(top: str) -> tuple:
    """(path, device, inode, modification time) of ``top`` and every folder below it."""
    seen = []
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            stat = os.stat(folder, follow_symlinks=folder == top)
            with os.scandir(folder) as entries:
                pending.extend(entry.path for entry in entries
                               if entry.is_dir(follow_symlinks=False))
        except OSError:
            stat = None  # a folder gone or unreadable: part of the key as such
        seen.append((folder, stat and (stat.st_dev, stat.st_ino, stat.st_mtime_ns)))
    return tuple(sorted(seen, key=lambda item: item[0]))


def keep_listing(config) -> None:
    """Make the Jinja environments of ``config.theme`` list the theme's files from the
    kept list when nothing that list depends on has changed."""
    theme = config.theme
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.list_templates = _listing(env.list_templates, theme)
        return env

    theme.get_env = get_env


def _listing(list_templates: Callable, theme):
    def kept_list_templates(extensions=None, filter_func=None):
        dirs = tuple(theme.dirs)
        key = (dirs, tuple(sorted(theme.static_templates)),
               tuple(extensions) if extensions is not None else None,
               getattr(filter_func, "__code__", filter_func),
               tuple(_folders_signature(folder) for folder in dirs))
        names = _kept.get(key)
        if names is None:
            names = list_templates(extensions=extensions, filter_func=filter_func)
            _kept.clear()
            _kept[key] = names
        return list(names)

    return kept_list_templates
