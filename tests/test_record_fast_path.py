"""The sign-off record fast path (records._written_shape) never disagrees with the full reading.

A check reads one record per file; most are read by a fixed-shape matcher of
what ``govpub review approve`` writes. Whenever it takes a text, the general
YAML reader and the schema (``parse_record_fully``) must give the same record
with no problem; everything else it must refuse, so the full reading decides.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub.review.records import (
    Signoff,
    SignoffRecord,
    _written_shape,
    parse_record,
    parse_record_fully,
    read_record,
)

PROPERTY = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
DIGEST = "sha256:" + "ab" * 32


def assert_agrees(text: str) -> bool:
    """True when the fast path took the text (and then agrees with the full reading)."""
    quick = _written_shape(text)
    if quick is None:
        return False
    assert parse_record_fully(text) == (quick, [])
    return True


words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
signoffs = st.builds(
    Signoff, reviewer=st.sampled_from(["li-wei", "zhang-min", "yes", "1", "a: b", "'q'"]),
    at=st.sampled_from(["2026-11-01T10:00:00+08:00", "2026-11-01", "soon"]),
    decision=st.sampled_from(["public", "not-public"]), note=words,
    reason_code=st.sampled_from(["", "state-secret", "Bad Code"]),
    commit=st.sampled_from(["", "0" * 40, "a" * 64, "xyz"]))
records = st.builds(SignoffRecord, content=st.sampled_from(["notices/a.md", "新闻/b.md", "null"]),
                    digest=st.sampled_from([DIGEST, "sha256:00", "md5:1"]),
                    signoffs=st.lists(signoffs, min_size=0, max_size=3))


def test_what_approve_writes_takes_the_fast_path():
    record = SignoffRecord("notices/a.md", DIGEST, [
        Signoff("li-wei", "2026-11-01T10:00:00+08:00", "public", "checked: it's fine", line=4),
        Signoff("zhang-min", "2026-11-02T10:00:00+08:00", "not-public", "泄密", line=8,
                reason_code="state-secret", commit="0" * 40)])
    text = record.to_yaml()
    assert assert_agrees(text)
    assert _written_shape(text) == record
    assert parse_record(text.encode()) == (record, [])


@PROPERTY
@given(records)
def test_written_records_agree(record):
    assert_agrees(record.to_yaml())


@pytest.mark.parametrize("change", [
    lambda t: t.replace("decision: public", "decision: yes"),
    lambda t: t.replace("decision: public", "decision: maybe"),
    lambda t: t.replace("note: ok", "note: 12"),
    lambda t: t.replace("note: ok", "note: null"),
    lambda t: t.replace("note: ok", "note: ok # comment"),
    lambda t: t.replace("note: ok", "note: o\tk"),
    lambda t: t.replace("note: ok", "note: o\u2028k"),
    lambda t: t.replace("note: ok", "note:  ok"),
    lambda t: t.replace("note: ok", "note: ok "),
    lambda t: t.replace("note: ok", "note:"),
    lambda t: t.replace("note: ok", "note: 'o'k'"),
    lambda t: t.replace("note: ok", "note: \"ok\""),
    lambda t: t.replace("note: ok", "note: ok\n  reason: other"),
    lambda t: t.replace("note: ok", "note: ok\n  extra: 1"),
    lambda t: t.replace("  at:", "  at: x\n  at:"),
    lambda t: t.replace("digest: sha", "digest: SHA"),
    lambda t: t.replace("content: a.md", "content: [a.md]"),
    lambda t: t.rstrip("\n"),
    lambda t: "---\n" + t,
    lambda t: t + "...\n",
    lambda t: t + "# end\n",
    lambda t: t.replace("\n", "\r\n"),
    lambda t: t.replace("  ", "\t"),
    lambda t: t.replace("signoffs:\n", "signoffs: []\n").split("- reviewer")[0],
    lambda t: t.replace("reviewer: li-wei", "reviewer: li\x85wei"),
])
def test_other_shapes_are_refused_or_agree(change):
    text = ("content: a.md\ndigest: " + DIGEST + "\nsignoffs:\n- reviewer: li-wei\n"
            "  at: '2026-11-01T10:00:00+08:00'\n  decision: public\n  note: ok\n")
    assert assert_agrees(text)
    changed = change(text)
    assert changed != text
    assert_agrees(changed)


@PROPERTY
@given(st.lists(st.sampled_from([
    "content: a.md\n", "digest: " + DIGEST + "\n", "signoffs:\n", "- reviewer: li-wei\n",
    "  at: '2026-11-01'\n", "  decision: public\n", "  decision: not-public\n", "  decision: maybe\n",
    "  note: 'x'\n", "  reason: y\n", "  reason_code: a-b\n", "  commit: " + "f" * 40 + "\n",
    "  note: 1\n", "- reviewer: 'x'\n", "  at: 2026-11-01\n", "\n", "  note: a: b\n",
]), max_size=14))
def test_any_line_mix_agrees(lines):
    assert_agrees("".join(lines))


def test_bad_bytes_and_missing_files_are_problems(tmp_path):
    record, problems = parse_record(b"content: \xff\n")
    assert record is None and "cannot read" in problems[0].message
    record, problems = read_record(tmp_path / "missing.yml")
    assert record is None and "cannot read" in problems[0].message
    bom = b"\xef\xbb\xbf" + SignoffRecord("a.md", DIGEST, [
        Signoff("li-wei", "2026-11-01", "public", line=4)]).to_yaml().encode()
    assert parse_record(bom)[0] == parse_record_fully(bom[3:].decode())[0]
