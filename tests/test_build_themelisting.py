"""The theme's file list kept between renders (govpub.build.themelisting): never stale."""

from __future__ import annotations

import fnmatch
import os

import jinja2
import pytest

from govpub.build import themelisting


class _Theme:
    """What keep_listing uses of MkDocs' Theme: its folders, static templates and get_env."""

    def __init__(self, dirs: list[str]) -> None:
        self.dirs = dirs
        self.static_templates = {"sitemap.xml", "404.html"}

    def get_env(self) -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(self.dirs))


class _Config:
    def __init__(self, theme: _Theme) -> None:
        self.theme = theme


def _static_files(config: _Config) -> list[str]:
    """As MkDocs' Files.add_files_from_theme asks: through get_env, with a filter that reads
    the theme's static templates when called."""
    def keep(name: str) -> bool:
        patterns = [".*", "*/.*", "*.html", *config.theme.static_templates]
        return not any(fnmatch.fnmatch(name.lower(), p) for p in patterns)

    return config.theme.get_env().list_templates(filter_func=keep)


@pytest.fixture
def theme_dirs(tmp_path):
    themelisting._kept.clear()
    custom, base = tmp_path / "custom", tmp_path / "base"
    for folder, files in ((custom, ["main.html", "assets/site.css"]),
                          (base, ["base.html", "assets/js/bundle.js", "sitemap.xml",
                                  ".icons/a/b.svg", "fonts/x.woff2"])):
        for name in files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(name)
    yield [str(custom), str(base)]
    themelisting._kept.clear()


def _kept_and_fresh(dirs: list[str]) -> tuple[list[str], list[str]]:
    kept = _Config(_Theme(dirs))
    themelisting.keep_listing(kept)
    return _static_files(kept), _static_files(_Config(_Theme(dirs)))


def test_the_kept_list_is_the_list_jinja_gives(theme_dirs):
    kept, fresh = _kept_and_fresh(theme_dirs)
    assert kept == fresh == ["assets/js/bundle.js", "assets/site.css", "fonts/x.woff2"]


@pytest.mark.parametrize("change", ["added deep", "removed", "renamed", "folder added",
                                    "added at the top"])
def test_a_name_changed_anywhere_in_the_theme_is_listed_at_once(theme_dirs, change):
    custom, base = theme_dirs
    _kept_and_fresh(theme_dirs)  # the list is kept
    if change == "added deep":
        with open(os.path.join(base, "assets", "js", "extra.js"), "w") as handle:
            handle.write("x")
    elif change == "removed":
        os.remove(os.path.join(base, "fonts", "x.woff2"))
    elif change == "renamed":
        os.rename(os.path.join(custom, "assets", "site.css"),
                  os.path.join(custom, "assets", "print.css"))
    elif change == "folder added":
        os.makedirs(os.path.join(custom, "images", "new"))
        with open(os.path.join(custom, "images", "new", "mark.svg"), "w") as handle:
            handle.write("x")
    else:
        with open(os.path.join(custom, "top.js"), "w") as handle:
            handle.write("x")
    kept, fresh = _kept_and_fresh(theme_dirs)
    assert kept == fresh


def test_the_static_templates_are_read_when_listing(theme_dirs):
    config = _Config(_Theme(theme_dirs))
    themelisting.keep_listing(config)
    assert "sitemap.xml" not in _static_files(config)
    config.theme.static_templates.discard("sitemap.xml")
    assert "sitemap.xml" in _static_files(config)


def test_other_folders_are_another_list(theme_dirs, tmp_path):
    _kept_and_fresh(theme_dirs)
    other = tmp_path / "other"
    (other / "assets").mkdir(parents=True)
    (other / "assets" / "only.css").write_text("x")
    kept, fresh = _kept_and_fresh([str(other)])
    assert kept == fresh == ["assets/only.css"]


def test_a_caller_changing_the_list_does_not_change_the_kept_one(theme_dirs):
    config = _Config(_Theme(theme_dirs))
    themelisting.keep_listing(config)
    _static_files(config).append("planted.js")
    assert "planted.js" not in _static_files(config)
