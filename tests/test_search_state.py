"""Whether a valid state of a site's search index is kept (govpub.search.index)."""

from __future__ import annotations

import json
import os

import pytest

from govpub.search import index
from govpub.search.own.build import FORMAT


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVPUB_CACHE_DIR", str(tmp_path / "cache"))
    index._known_valid.clear()
    yield tmp_path / "site"
    index._known_valid.clear()


def _state(pages: int = 3) -> dict:
    return {"format": FORMAT, "languages": {"zh": {}},
            "pages": {f"p{n}/index.html": [n, "zh", "0" * 64, [1, n, 10, 5]]
                      for n in range(pages)}}


def test_a_state_written_is_kept_and_reads_back(site):
    index.save_search_state(site, _state())
    assert index.has_search_state(site)
    assert index.load_search_state(site) == _state()


@pytest.mark.parametrize("damage", ["garbage", "garbage, same size and time", "removed",
                                    "another format"])
def test_a_state_file_changed_since_it_was_written_is_decoded_again(site, damage):
    index.save_search_state(site, _state())
    path = index.state_path(site)
    assert index.has_search_state(site)
    before = path.stat()
    if damage == "garbage":
        path.write_text("{not json", encoding="utf-8")
    elif damage == "garbage, same size and time":  # in place: only the change time tells
        with open(path, "r+b") as handle:
            handle.write(b"{" * 8)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
    elif damage == "removed":
        path.unlink()
    else:
        path.write_text(json.dumps({**_state(), "format": "other"}), encoding="utf-8")
    assert not index.has_search_state(site)


def test_a_valid_state_written_by_another_process_is_found(site):
    index.save_search_state(site, _state())
    path = index.state_path(site)
    path.write_text(json.dumps(_state(5)), encoding="utf-8")  # another govpub wrote it
    assert index.has_search_state(site)
    assert len(index.load_search_state(site)["pages"]) == 5


def test_a_forgotten_state_is_not_kept(site):
    index.save_search_state(site, _state())
    index.forget_search_state(site)
    assert not index.has_search_state(site)
    index.save_search_state(site, _state())
    index.save_search_state(site, None)
    assert not index.has_search_state(site)


def test_a_state_that_could_not_be_written_is_not_taken_for_the_one_there(site):
    """Keeping the file fails quietly (a cache is only a saving): the file left there, here
    not a state at all, is not taken for the state that was to be written."""
    index.save_search_state(site, _state())
    path = index.state_path(site)
    path.write_text("{not json", encoding="utf-8")
    path.with_name(path.name + ".tmp").mkdir()  # where the new file is written first
    index.save_search_state(site, _state())
    assert path.read_text(encoding="utf-8") == "{not json"
    assert not index.has_search_state(site)
