"""The pure parts of the build: escaping, links, pagination, staging sync, sitemap (no MkDocs)."""

from __future__ import annotations

import os
import posixpath
import random
from pathlib import PurePosixPath

import markdown
import pytest
from build_fixtures import make_site, notice

from govpub.build import mdtext
from govpub.build.generated import column_indexes, generate_all, index_path
from govpub.build.postbuild import _site_paths, sitemap_xml
from govpub.build.staging import write_tree
from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.sitemodel import build_site_model, page_url
from govpub.timeparse import parse_now


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "[x](javascript:alert(1))",
                                   "*em* _u_ `code` ~~s~~ ==m== ^^i^^", "# heading", "a & b",
                                   "<!-- c -->", "![i](x.png)"])
def test_text_stays_text_through_markdown(value):
    html = markdown.markdown(mdtext.text(value), extensions=["tables", "attr_list", "toc"])
    for tag in ("<script", "<a ", "<em>", "<code>", "<del>", "<h1", "<img", "<!--"):
        assert tag not in html
    assert html.startswith("<p>")


@pytest.mark.parametrize("target,source", [
    ("notices/x.md", "index.md"), ("notices/x.md", "notices/page/2.md"),
    ("a/b/c.md", "a/b/d.md"), ("x.md", "a/b/c.md"), ("a/b/c.md", "a/x/y.md"),
    ("attachments/forms/f.docx", "catalog/1.md")])
def test_relative_path_agrees_with_posixpath(target, source):
    assert mdtext.relative_path(target, source) == \
        posixpath.relpath(target, posixpath.dirname(source) or ".")


def test_external_links_only_for_http():
    assert mdtext.external_link("x", "javascript:alert(1)") == "x"
    assert mdtext.external_link("x", "https://www.gov.cn/a b") == "[x](<https://www.gov.cn/a%20b>)"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return _model(tmp_path_factory.mktemp("units"))


def _model(folder):
    files = {f"notices/2026-11-{day:02d}-n.md": notice(title=f"通知{day}",
                                                       published=f"'2026-11-{day:02d}T09:00:00+08:00'")
             for day in range(1, 13)}
    root = make_site(folder, files)
    config = root / "site_config/site.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 5"),
                      encoding="utf-8")
    policy = load_policy(root)
    result = check_repository(policy, parse_now("2026-11-28T12:00:00+08:00", policy.timezone))
    assert not result.blocked
    return build_site_model(result)


def test_column_index_is_paginated_newest_first(model):
    pages = column_indexes(model)
    assert sorted(pages) == ["notices/index.md", "notices/page/2.md", "notices/page/3.md"]
    first = pages["notices/index.md"]
    assert first.index("通知12") < first.index("通知8") and "通知7" not in first
    assert "(<page/2.md>)" in first  # next page
    last = pages["notices/page/3.md"]
    assert "通知2" in last and "通知1" in last and "(<2.md>)" in last  # previous page
    assert "(<../2026-11-01-n.md>)" in last
    # listings stay out of the search index: the pages themselves are in it
    assert all('search: {"exclude": true}' in text for text in pages.values())


def test_home_page_lists_ten_latest_notices(model):
    home = generate_all(model)["index.md"]
    assert "通知12" in home and "通知3" in home and "通知2" not in home


def test_sitemap_lists_pages_and_indexes_absolutely(model):
    xml = sitemap_xml(model)
    assert "<loc>https://www.cnipa.gov.cn/notices/2026-11-01-n/</loc><lastmod>2026-11-01</lastmod>" in xml
    assert "<loc>https://www.cnipa.gov.cn/notices/page/3/</loc>" in xml
    assert index_path("notices", 3) == "notices/page/3.md"


def test_write_tree_syncs_the_folder(tmp_path):
    folder = tmp_path / "staging"
    assert write_tree(folder, [("a.md", b"one"), ("x/b.md", b"two"), ("x/f.pdf", b"%PDF")]) == 2
    kept = folder / "a.md"
    before = kept.stat().st_mtime_ns
    write_tree(folder, [("a.md", b"one"), ("x/b.md", b"changed")])
    assert kept.stat().st_mtime_ns == before  # unchanged bytes are not rewritten
    assert (folder / "x/b.md").read_bytes() == b"changed"
    assert not (folder / "x/f.pdf").exists()  # stale files go


def test_write_tree_refuses_paths_leaving_the_folder(tmp_path):
    from govpub.errors import BuildError

    with pytest.raises(BuildError):
        write_tree(tmp_path / "staging", [("../escape.md", b"x")])
    assert not (tmp_path / "escape.md").exists()


def test_write_tree_never_writes_through_links_planted_in_the_folder(tmp_path):
    from govpub.errors import BuildError

    folder, outside = tmp_path / "staging", tmp_path / "outside"
    outside.mkdir()
    folder.mkdir()
    (folder / "notices").symlink_to(outside, target_is_directory=True)
    with pytest.raises(BuildError):
        write_tree(folder, [("notices/a.md", b"x")])
    (folder / "notices").unlink()
    (folder / "notices").mkdir()
    (folder / "notices" / "a.md").symlink_to(outside / "a.md")
    write_tree(folder, [("notices/a.md", b"approved")])
    assert not (outside / "a.md").exists()
    assert (folder / "notices" / "a.md").read_bytes() == b"approved"
    for rel in ("/etc/x.md", "a//b.md", "./a.md", "a/../../b.md"):
        with pytest.raises(BuildError):
            write_tree(folder, [(rel, b"x")])


def test_columns_follow_their_order_in_columns_yml_not_the_alphabet():
    """The navigation and the site map list columns as the General Office ordered them
    (`order` in columns.yml); the loader once dropped the field and the site went
    alphabetical."""
    from build_fixtures import REPO

    from govpub.build.generated import indexed_columns

    policy = load_policy(REPO)
    result = check_repository(policy, parse_now("2026-11-28T12:00:00+08:00", policy.timezone))
    folders = indexed_columns(build_site_model(result))
    orders = [policy.columns[f].order for f in folders]
    assert orders == sorted(orders) and len(set(orders)) > 1
    assert folders != sorted(folders)


def test_kept_compiled_templates_never_stand_in_for_code_compiled_otherwise(tmp_path):
    """The kept code of a template is used only by an environment that compiles it the
    same way: another ``finalize`` or autoescaping compiles again."""
    from jinja2 import DictLoader, Environment

    from govpub.build.incremental import template_cache

    def render(**settings):
        env = Environment(loader=DictLoader({"t.html": "{{ x }}"}), **settings)
        env.bytecode_cache = template_cache(env, tmp_path)
        return env.get_template("t.html").render(x="<b>")

    assert render() == "<b>"
    kept = sorted(tmp_path.iterdir())
    assert kept  # compiled and kept
    assert render(finalize=lambda value: f"[{value}]") == "[<b>]"
    assert render(autoescape=lambda name: True) == "&lt;b&gt;"
    assert render(autoescape=True) == "&lt;b&gt;"
    assert render() == "<b>"


def _url_of_path(content_path: str) -> str:
    """The page URL rule written with path objects (as it was): the reference."""
    path = PurePosixPath(content_path)
    if path.suffix.lower() in (".md", ".markdown"):
        if path.stem in ("index", "README"):
            return "" if str(path.parent) == "." else str(path.parent) + "/"
        return str(path.with_suffix("")) + "/"
    return content_path


def test_a_page_url_is_what_the_path_rule_gives_for_any_path():
    parts = ["notices", "index", "README", "x.md", "index.md", "README.md", "x.MD",
             "y.markdown", "index.Markdown", ".md", "x.", "x.tar.md", "..", ".", "", "中文.md",
             "a.b", "readme.md"]
    rng = random.Random(17)
    for _ in range(20000):
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        path = rng.choice(["", "./", "/"]) + path + rng.choice(["", "", "/"])
        assert page_url(path) == _url_of_path(path), path


def test_the_site_s_paths_are_the_files_os_walk_lists(tmp_path):
    """Files and links to files or nowhere are listed; a link to a folder is not followed."""
    site = tmp_path / "site"
    for rel in ("index.html", "a/index.html", "a/b/c.css", "中文/页.html", "d/e/f/g.js"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    (site / "empty").mkdir()
    (site / "a" / "to-file").symlink_to(site / "index.html")
    (site / "a" / "to-folder").symlink_to(site / "d")
    (site / "dangling").symlink_to(tmp_path / "nowhere")
    walked = set()
    for folder, _dirs, names in os.walk(site):
        rel = os.path.relpath(folder, site)
        walked.update(name if rel == "." else f"{rel}/{name}" for name in names)
    assert _site_paths(site) == walked
    assert "a/to-file" in walked and "dangling" in walked and "a/to-folder" not in walked


def test_sitemap_urls_are_the_models_absolute_urls_escaped_however_the_path_looks(tmp_path):
    """The sitemap skips quoting plain URLs: it must still write exactly
    escape(model.absolute(url)) for every URL, plain or not."""
    import re
    from dataclasses import replace
    from xml.sax.saxutils import escape

    from govpub.build.postbuild import sitemap_xml
    from govpub.sitemodel import page_url

    model = _model(tmp_path / "repo")
    page = model.pages[0]
    odd = ["notices/a b#c%d/", "notices/专利/", "notices/a&b<c>/", "notices/a~b_c.d-e/",
           "notices/a+b=c;d/", "notices/'q\"/"]
    pages = [replace(page, url=url) for url in odd]
    model.pages = model.pages + pages
    model.policy.site["base_url"] = "https://www.example.gov.cn/?a=1&b=2/"
    xml = sitemap_xml(model)
    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    expected = {escape(model.absolute(url)) for url in odd + [p.url for p in model.pages]}
    assert expected <= set(locs)
    assert all(loc in expected or loc.startswith(escape(model.policy.base_url)) for loc in locs)
    assert page_url("notices/x.md") == "notices/x/"


def test_the_sitemaps_gzip_is_the_gzip_of_the_sitemap_from_memory_disk_or_damage(tmp_path):
    import gzip

    from govpub.build import postbuild
    from govpub.cachedir import cache_dir_for

    model = _model(tmp_path / "repo")
    postbuild._kept_gzip.clear()
    for name in ("cold", "kept", "disk", "damaged", "changed"):
        if name == "disk":
            postbuild._kept_gzip.clear()
        if name == "damaged":
            postbuild._kept_gzip.clear()
            memo = cache_dir_for(model.policy.root, "sitemap") / "sitemap.gz"
            data = memo.read_bytes()
            memo.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        if name == "changed":
            model.pages = model.pages[1:]
        site = tmp_path / name
        site.mkdir()
        postbuild.write_sitemap(model, site)
        xml = (site / "sitemap.xml").read_bytes()
        assert xml == postbuild.sitemap_xml(model).encode()
        assert (site / "sitemap.xml.gz").read_bytes() == gzip.compress(xml, mtime=0), name


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.parametrize("fails", [False, True], ids=["built", "failed"])
@pytest.mark.parametrize("frozen_before", [False, True], ids=["batch", "serve"])
def test_what_a_stage_leaves_is_frozen_until_the_build_ends(tmp_path, fails, frozen_before):
    import gc
    import weakref

    from govpub import collector
    from govpub.build.pipeline import BuildOptions, Stage, run_build
    from govpub.errors import BuildError

    (tmp_path / "site_config").mkdir()
    seen: dict[str, object] = {}

    def first(state):
        cycle = _Cycle()
        seen["cycle"] = weakref.ref(cycle)  # dies in a cycle: only the collector frees it

    def second(state):
        seen["frozen in second"] = gc.get_freeze_count()
        if fails:
            raise OSError("disk full")

    collector.unfreeze()  # whatever an earlier test in this process left frozen (serve's)
    gc.collect()
    if frozen_before:
        collector.freeze()
    try:
        before = gc.get_freeze_count()
        try:
            run_build(BuildOptions(root=tmp_path), [Stage("first", first),
                                                    Stage("second", second)])
        except BuildError:
            assert fails
        assert seen["frozen in second"] > before  # the first stage's objects were set aside
        gc.collect()
        if frozen_before:  # serve's heap stays frozen: settle_memory collects it later
            assert seen["cycle"]() is not None
            assert collector.frozen()
            collector.unfreeze()
            gc.collect()
        else:  # handed back whole: the cycle is garbage the collector finds
            assert gc.get_freeze_count() == 0
        assert seen["cycle"]() is None
    finally:
        collector.unfreeze()
        gc.collect()
