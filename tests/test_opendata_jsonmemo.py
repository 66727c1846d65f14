"""The open data's JSON memo gives exactly json.dumps(indent=2)'s text, and a damaged memo
file is never trusted (govpub.opendata.jsonmemo)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govpub.opendata import jsonmemo
from govpub.opendata.jsonmemo import JsonMemo, load_memo


def reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


HOSTILE_TEXT = ["", "专利年费", "a\nb", "tab\there", 'quote " and \\ back', "\x00\x1f\x7f",
                "\u2028\u2029", "emoji 😀", "\ud800", "{\n  \"fake\": 1\n}", "], [", "\r\n"]
leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
          | st.text() | st.sampled_from(HOSTILE_TEXT))
values = st.recursive(
    leaves,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=6) | st.sampled_from(HOSTILE_TEXT), inner,
                                     max_size=4)),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(values)
def test_the_memo_writes_what_json_dumps_writes(value):
    memo = JsonMemo()
    assert memo.dumps(value) == reference(value)
    again = memo.next_build()  # every part from the memo this time
    assert again.dumps(value) == reference(value)


@settings(max_examples=100, deadline=None)
@given(st.lists(values, min_size=1, max_size=5), values)
def test_a_record_seen_in_another_file_is_placed_at_its_own_depth(records, other):
    memo = JsonMemo()
    memo.dumps(records)  # the records at depth 1
    later = memo.next_build()
    document = {"count": len(records), "items": records, "other": other}
    assert later.dumps(document) == reference(document)  # the same records at depth 2


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": [], "c": [[]], "d": [{}]}, [1.0, -0.0, 1e300, 5e-324, math.inf,
                                                       -math.inf, math.nan, 10**30],
    {1: "int key", "2": "str key"}, {"x": (1, 2)}, {1: "a", 2: "b"},
    {"deep": [[[[{"z": 1, "a": [1, {"k": "v"}]}]]]]},
])
def test_edge_values(value):
    memo = JsonMemo()
    assert outcome(memo.dumps, value) == outcome(reference, value)
    assert outcome(memo.next_build().dumps, value) == outcome(reference, value)


def outcome(encode, value):
    try:
        return encode(value)
    except Exception as exc:  # the same refusal as json.dumps
        return type(exc)


def test_non_string_keys_go_through_json_dumps():
    value = {"list": [{1: "a", 2: {3: "b"}}, {None: 1}, {True: 2}, {1.5: 3}, {"1": 0}]}
    memo = JsonMemo()
    assert memo.dumps(value) == reference(value)
    assert memo.next_build().dumps(value) == reference(value)


def test_what_json_dumps_refuses_is_refused():
    with pytest.raises(TypeError):
        JsonMemo().dumps({"a": [{"b": object()}]})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        JsonMemo().dumps({"a": loop})


def test_unchanged_values_come_from_the_memo(tmp_path):
    records = [{"code": str(n), "name": f"事项 {n}", "tags": ["a", "b"]} for n in range(20)]
    memo = JsonMemo()
    memo.dumps({"items": records})
    assert memo.hits == 0 and memo.misses > 20
    path = tmp_path / "json.memo"
    memo.save(path)
    records[3] = {**records[3], "name": "改了 changed"}
    loaded = load_memo(path)
    assert loaded.dumps({"items": records}) == reference({"items": records})
    # the file and the changed record are made again, every other record is reused
    assert loaded.hits == 19 and loaded.misses == 3  # file, list, record


def test_a_damaged_or_foreign_memo_file_is_ignored(tmp_path):
    value = {"items": [{"name": "年费"}]}
    memo = JsonMemo()
    memo.dumps(value)
    path = tmp_path / "json.memo"
    memo.save(path)
    data = path.read_bytes()
    assert load_memo(path)._old  # sound: read
    # a flipped byte in the stored text: the digest no longer matches
    path.write_bytes(data.replace("年费".encode(), "伪造".encode()))
    assert not load_memo(path)._old
    path.write_bytes(b"another format\n" + data[len(jsonmemo.FILE_FORMAT):])
    assert not load_memo(path)._old
    path.write_bytes(data[:-5])
    assert not load_memo(path)._old
    assert not load_memo(tmp_path / "missing")._old


def test_a_forged_entry_with_a_valid_digest_but_wrong_types_is_ignored(tmp_path):
    import pickle

    from govpub.sealed import seal

    payload = pickle.dumps({"not bytes": 1})
    path = tmp_path / "json.memo"
    path.write_bytes(jsonmemo.FILE_FORMAT + seal(payload))
    assert not load_memo(path)._old


def test_a_stale_entry_cannot_answer_for_another_value():
    memo = JsonMemo()
    memo.dumps({"a": [1, 2]})
    later = memo.next_build()
    assert later.dumps({"a": [1, 2, 3]}) == reference({"a": [1, 2, 3]})
    assert later.dumps({"a": (1, 2)}) == reference({"a": [1, 2]})  # a tuple is an array


def _site_files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_build_step_writes_the_same_bytes_from_memory_from_disk_and_from_a_damaged_memo(
        tmp_path):
    from opendata_fixtures import site_model

    from govpub import opendata

    model = site_model(tmp_path / "repo")
    expected = {path: data for path, data in opendata.open_data_files(model).items()}
    path = opendata.memo_path(model)

    def written(name):
        opendata.write_open_data(model, tmp_path / name)
        return _site_files(tmp_path / name)

    assert written("cold") == expected  # nothing kept: every value encoded
    assert path.is_file()
    assert written("kept") == expected  # serve: the memo kept in memory
    opendata._kept.clear()
    assert written("disk") == expected  # a new process: the memo read from the cache folder
    # a memo entry whose text was altered but whose file digest was made to match is a
    # forgery by whoever can write the cache folder; a damaged file is simply ignored
    opendata._kept.clear()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert written("damaged") == expected


def test_a_file_found_whole_keeps_its_records_for_the_build_after(tmp_path):
    records = [{"code": str(n), "name": f"事项 {n}"} for n in range(20)]
    memo = JsonMemo()
    memo.dumps({"items": records})
    unchanged = memo.next_build()
    unchanged.dumps({"items": records})  # the file itself is found: its records are not seen
    assert unchanged.hits == 1 and unchanged.misses == 0
    path = tmp_path / "json.memo"
    unchanged.save(path)
    records[7] = {**records[7], "name": "改了 changed"}
    later = load_memo(path)
    assert later.dumps({"items": records}) == reference({"items": records})
    assert later.hits == 19 and later.misses == 3  # file, list, the changed record
