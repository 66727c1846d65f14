"""Serve's carry of the search index into a new site (govpub.search.index._link_same):
what is there already stays only if it is the very file served."""

from __future__ import annotations

import os

from govpub.search.index import _link_same


def _index(tmp_path):
    served = tmp_path / "served"
    (served / "t").mkdir(parents=True)
    (served / "index.json").write_text("{}", encoding="utf-8")
    (served / "t/0.gz").write_bytes(b"term")
    return served


def _inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_folder_gets_a_link_of_every_file(tmp_path):
    served = _index(tmp_path)
    _link_same(os.fspath(served), os.fspath(tmp_path / "new"))
    assert _inodes(tmp_path / "new") == _inodes(served)


def test_what_is_not_the_file_served_goes_and_the_file_served_stays(tmp_path):
    served, new = _index(tmp_path), tmp_path / "new"
    _link_same(os.fspath(served), os.fspath(new))
    (new / "planted.json").write_text("植入", encoding="utf-8")
    (new / "t/0.gz").unlink()
    (new / "t/0.gz").write_bytes(b"other")
    (new / "more/deep").mkdir(parents=True)
    os.symlink(served / "index.json", new / "t/link.gz")
    _link_same(os.fspath(served), os.fspath(new))
    assert _inodes(new) == _inodes(served)
    assert not (new / "more").exists() and not (new / "t/link.gz").is_symlink()


def test_a_link_in_place_of_the_folder_is_removed_not_written_through(tmp_path):
    served, new, secret = _index(tmp_path), tmp_path / "new", tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("秘密", encoding="utf-8")
    new.symlink_to(secret, target_is_directory=True)
    _link_same(os.fspath(served), os.fspath(new))
    assert not new.is_symlink() and _inodes(new) == _inodes(served)
    assert sorted(p.name for p in secret.iterdir()) == ["key.txt"]
