"""A PDF handout for every published demo item, with its code and time limits."""

from __future__ import annotations

import pytest
from opendata_demo import demo_model
from test_handouts_pdf import pdf_text

from govpub.handouts import handout_path, write_handouts
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
