"""MkDocs' list of the staged files, made from copies of the files it listed before.

On every build MkDocs makes a ``File`` for every file of ``docs_dir``
(``mkdocs.structure.files.get_files``), and works out each one's source URI,
destination and URL with ``pathlib`` and ``posixpath``: about 1 s of each of
``govpub serve``'s rebuilds at 10,000 pages, for values that depend only on
the file's path and three settings. :func:`get_files` is MkDocs 1.6.1's
``get_files`` (the same walk, order, README/index rule and exclusions, by
MkDocs' own ``set_exclusions``), except that a file listed before under the
same settings is a shallow copy of a pristine ``File`` kept for it: one that
was never handed to a build, with those values already worked out.
:func:`listing_kept` puts it in MkDocs' build for the length of one build.

A copy is what ``File(...)`` would make: the kept file holds only what
``File.__init__`` and the path-derived properties set. The test compares
every attribute with MkDocs' own listing (``tests/test_build_mkdocs_files.py``);
the version is pinned (``mkdocs==1.6.1``), so a new MkDocs is a deliberate
upgrade that runs that test.
"""

from __future__ import annotations

import os
from contextlib import contextmanager, suppress

#: [the settings the files were listed under, {path as MkDocs forms it: pristine File}]
_kept: list = []


def _settings(config) -> tuple:
    """What a file's values depend on besides its path: the folders, the kind of URL,
    and the patterns MkDocs decides a file's inclusion by (compared by their patterns)."""
    return (config["docs_dir"], config["site_dir"], config["use_directory_urls"],
            config.get("exclude_docs"), config.get("draft_docs"), config.get("not_in_nav"))


def _pristine(path: str, docs_dir: str, site_dir: str, use_directory_urls: bool):
    from mkdocs.structure.files import File

    file = File(path, docs_dir, site_dir, use_directory_urls)
    # worked out once here, so that every copy has them (each is a cached property)
    file.dest_uri, file.url, file.abs_src_path, file.abs_dest_path, file.name  # noqa: B018
    return file


def _copy(pristine):
    """A new File with the pristine one's attributes (``copy.copy`` without its protocol)."""
    file = object.__new__(type(pristine))
    file.__dict__.update(pristine.__dict__)
    return file


def get_files(config):
    """MkDocs 1.6.1's ``get_files``, with each ``File`` a copy of one kept from before."""
    from mkdocs.structure.files import Files, _file_sort_key, log, set_exclusions

    docs_dir, site_dir = config["docs_dir"], config["site_dir"]
    use_directory_urls = config["use_directory_urls"]
    settings = _settings(config)
    before = _kept[1] if _kept and _kept[0] == settings else {}
    kept: dict = {}
    new = []  # pristine files made now: their inclusion is decided below, once
    files, pristines = [], []  # each file listed, and the pristine one it copies
    conflicting_files = []
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        relative_dir = os.path.relpath(source_dir, docs_dir)
        dirnames.sort()
        filenames.sort(key=_file_sort_key)
        files_by_dest: dict = {}
        for filename in filenames:
            path = os.path.join(relative_dir, filename)
            pristine = before.get(path)
            if pristine is None:
                pristine = _pristine(path, docs_dir, site_dir, use_directory_urls)
                new.append(pristine)
            kept[path] = pristine
            pristines.append(pristine)
            file = _copy(pristine)
            # skip README.md if an index file also exists in the folder (part 1)
            prev_file = files_by_dest.setdefault(file.dest_uri, file)
            if prev_file is not file:
                conflicting_files.append((prev_file, file))
            files.append(file)
    set_exclusions(new, config)  # MkDocs' decision, kept with the file's other values
    for file, pristine in zip(files, pristines, strict=True):
        file.inclusion = pristine.inclusion
    _kept[:] = [settings, kept]
    set_exclusions(files, config)  # (decides nothing more: every file has its inclusion)
    # skip README.md if an index file also exists in the folder (part 2)
    for a, b in conflicting_files:
        if b.inclusion.is_included():
            if a.inclusion.is_included():
                log.warning(f"Excluding '{a.src_uri}' from the site because it conflicts "
                            f"with '{b.src_uri}'.")
            with suppress(ValueError):  # the same file twice
                files.remove(a)
        else:
            with suppress(ValueError):
                files.remove(b)
    return Files(files)


@contextmanager
def listing_kept():
    """For the length of one MkDocs build in this process: its files listed by
    :func:`get_files`."""
    from mkdocs.commands import build

    original = build.get_files
    build.get_files = get_files
    try:
        yield
    finally:
        build.get_files = original
