"""A PDF handout for every published demo item, with its code and time limits."""

from __future__ import annotations

import pytest
from opendata_demo import demo_model
from test_handouts_pdf import pdf_text

from govpub.cachedir import cache_dir_for
from govpub.handouts import CACHE_KIND, handout_path, plan, write_handouts
from govpub.opendata.records import item_code

pytestmark = pytest.mark.slow


def test_every_demo_item_has_a_handout_with_code_and_time_limits(tmp_path):
    model, blocked, _ = demo_model(tmp_path)
    items = [p for p in model.pages if p.type == "service-item"]
    assert items
    write_handouts(model, tmp_path / "site", cache_dir=tmp_path / "cache")
    for page in items:
        text = pdf_text(tmp_path / "site" / handout_path(page))
        limit = page.meta["time_limit"]
        assert item_code(page) in text
        assert f"{limit['promised_days']} 个工作日" in text
        assert f"{limit['statutory_days']} 个工作日" in text
    printed = {p.parent.name for p in (tmp_path / "site").rglob("handout.pdf")}
    assert printed == {item_code(p) for p in items}
    for path in blocked:
        if path.startswith("catalog/"):
            assert path.removeprefix("catalog/").removesuffix(".md") not in printed


def test_a_pdf_a_pull_request_commits_under_govpub_is_never_published(tmp_path):
    """The printed PDFs are cached outside the repository: a forged PDF committed at the
    old cache path (``.govpub/`` is ignored by git, not out of reach of ``git add -f``),
    named by the key anyone can work out, is not what the site gets."""
    model, _blocked, _ = demo_model(tmp_path)
    keyed = [(page, key) for page, _source, key in plan(model)]
    assert keyed
    forged = b"%PDF-1.4 forged by a pull request, never reviewed\n%%EOF\n"
    for old_cache in (".govpub/cache/handouts", ".govpub/cache/handouts-pdf"):
        folder = model.policy.root / old_cache
        folder.mkdir(parents=True)
        for _page, key in keyed:
            (folder / f"{key}.pdf").write_bytes(forged)
    write_handouts(model, tmp_path / "site")
    for page, key in keyed:
        published = (tmp_path / "site" / handout_path(page)).read_bytes()
        assert published != forged and published.startswith(b"%PDF")
        cached = cache_dir_for(model.policy.root, CACHE_KIND) / f"{key}.pdf"
        assert cached.read_bytes() == published
        assert not cached.resolve().is_relative_to(model.policy.root.resolve())
