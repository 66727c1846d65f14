"""resolve_inside: no path from content, config, links or a manifest leaves its root."""

from __future__ import annotations

import os
import unicodedata

import pytest

from govpub.safepath import UnsafePathError, check_relative, resolve_inside


@pytest.fixture
def root(tmp_path):
    (tmp_path / "content" / "notices").mkdir(parents=True)
    (tmp_path / "content" / "notices" / "a.md").write_text("x")
    return tmp_path


def test_plain_paths_resolve(root):
    assert resolve_inside(root, "content/notices/a.md") == root.resolve() / "content/notices/a.md"
    assert resolve_inside(root, "content/./notices/new.md").name == "new.md"  # may not exist yet


@pytest.mark.parametrize("bad,why", [
    ("/etc/passwd", "absolute"),
    ("../outside", "'..'"),
    ("content/../../outside", "'..'"),
    ("content/notices/../a.md", "'..'"),
    ("content\\notices\\a.md", "backslash"),
    ("C:/Windows/win.ini", "absolute"),
    ("content/a\x00.md", "control"),
    ("content/a\n.md", "control"),
    ("", "empty"),
    (".", "root itself"),
])
def test_refused(root, bad, why):
    with pytest.raises(UnsafePathError, match=why):
        resolve_inside(root, bad)


def test_symlink_anywhere_on_the_way_is_refused(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    os.symlink(outside, root / "content" / "linked")
    with pytest.raises(UnsafePathError, match="symbolic link"):
        resolve_inside(root, "content/linked/new.md")
    os.symlink(root / "content/notices/a.md", root / "content/notices/b.md")
    with pytest.raises(UnsafePathError, match="symbolic link"):
        resolve_inside(root, "content/notices/b.md")


def test_case_and_normalization_collisions_are_refused(root):
    with pytest.raises(UnsafePathError, match="collides"):
        resolve_inside(root, "content/notices/A.md")
    nfd = unicodedata.normalize("NFD", "café.md")
    (root / "content" / "notices" / nfd).write_text("x")
    with pytest.raises(UnsafePathError, match="collides"):
        resolve_inside(root, "content/notices/" + unicodedata.normalize("NFC", "café.md"))
    assert resolve_inside(root, "content/notices/" + nfd).name == nfd  # the file itself is fine


def test_a_file_in_the_middle_is_not_a_folder(root):
    with pytest.raises(UnsafePathError, match="not a folder"):
        resolve_inside(root, "content/notices/a.md/x")


def test_check_relative_is_pure():
    assert check_relative("a/./b/c.txt") == ("a", "b", "c.txt")
