"""MkDocs' file list made from kept copies (govpub.build.mkdocs_files) is MkDocs' own list."""

from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files as mkdocs_get_files

from govpub.build import mkdocs_files

TREE = ["index.md", "README.md", "a.md", "公告/通知 一.md", "公告/index.md", "guide/README.md",
        "guide/deep/x.md", "guide/deep/图.png", "assets/site.css", ".hidden.md",
        "drafts/draft.md", "aside/aside.md", "templates/t.html", "data/list.json"]

ATTRIBUTES = ("src_uri", "src_dir", "dest_dir", "dest_uri", "url", "abs_src_path",
              "abs_dest_path", "name", "inclusion", "page", "generated_by", "use_directory_urls")


def _config(tmp_path, use_directory_urls: bool):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\n"
        f"use_directory_urls: {str(use_directory_urls).lower()}\n"
        "exclude_docs: |\n  data/\n"
        "draft_docs: |\n  drafts/\n"
        "not_in_nav: |\n  aside/\n", encoding="utf-8")
    return load_config(config_file=str(tmp_path / "mkdocs.yml"), docs_dir=str(docs),
                       site_dir=str(tmp_path / "site"))


def _write(docs, names):
    for name in names:
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")


def _described(files) -> list[tuple]:
    return [tuple(getattr(f, name) for name in ATTRIBUTES) for f in files]


@pytest.fixture(autouse=True)
def _nothing_kept():
    mkdocs_files._kept.clear()
    yield
    mkdocs_files._kept.clear()


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_the_list_is_mkdocs_own_first_and_when_kept(tmp_path, use_directory_urls, caplog):
    config = _config(tmp_path, use_directory_urls)
    _write(tmp_path / "docs", TREE)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        expected = _described(mkdocs_get_files(config))
        theirs = [r.getMessage() for r in caplog.records]
        caplog.clear()
        first = _described(mkdocs_files.get_files(config))
        again = _described(mkdocs_files.get_files(config))
        ours = [r.getMessage() for r in caplog.records]
    assert first == expected
    assert again == expected
    assert ours == theirs * 2  # the README/index warning, as MkDocs says it
    assert mkdocs_files._kept  # the second list was made from kept files


@pytest.mark.parametrize("change", ["added", "removed", "renamed", "README gains an index",
                                    "folder added"])
def test_a_changed_tree_is_listed_as_mkdocs_lists_it(tmp_path, change):
    config = _config(tmp_path, True)
    docs = tmp_path / "docs"
    _write(docs, TREE)
    mkdocs_files.get_files(config)
    if change == "added":
        _write(docs, ["公告/新.md"])
    elif change == "removed":
        (docs / "a.md").unlink()
    elif change == "renamed":
        (docs / "a.md").rename(docs / "b.md")
    elif change == "README gains an index":
        _write(docs, ["guide/index.md"])
    else:
        _write(docs, ["new/index.md", "new/p.md"])
    assert _described(mkdocs_files.get_files(config)) == _described(mkdocs_get_files(config))


def test_what_a_build_does_to_a_file_is_not_in_the_next_list(tmp_path):
    config = _config(tmp_path, True)
    _write(tmp_path / "docs", TREE)
    for file in mkdocs_files.get_files(config):
        file.page = object()
        file.inclusion = file.inclusion.EXCLUDED
        file.dest_uri = "elsewhere.html"
    assert _described(mkdocs_files.get_files(config)) == _described(mkdocs_get_files(config))


def test_other_settings_are_another_list(tmp_path):
    config = _config(tmp_path, True)
    _write(tmp_path / "docs", TREE)
    mkdocs_files.get_files(config)
    config["site_dir"] = str(tmp_path / "other-site")
    assert _described(mkdocs_files.get_files(config)) == _described(mkdocs_get_files(config))
    config["use_directory_urls"] = False
    assert _described(mkdocs_files.get_files(config)) == _described(mkdocs_get_files(config))


def test_mkdocs_gets_its_own_listing_back_after_a_build(tmp_path):
    from mkdocs.commands import build

    original = build.get_files
    with mkdocs_files.listing_kept():
        assert build.get_files is mkdocs_files.get_files
    assert build.get_files is original
    with pytest.raises(RuntimeError), mkdocs_files.listing_kept():
        raise RuntimeError("a build failed")
    assert build.get_files is original
