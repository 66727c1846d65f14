"""The fast YAML reader (govpub.yamlsimple) never disagrees with the full strict parser.

Whenever the fast reader accepts a text, PyYAML through ``parse_yaml_fully``
must read the same values (same types), the same key lines, and report no
problem; everything else the fast reader must refuse. The heading-anchor scan
has a one-pass path for texts without fences, held to the line-by-line path.
"""

from __future__ import annotations

import re

import pytest
import yaml
from factory import notice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govpub.anchors import heading_anchors
from govpub.yamlsimple import parse_simple
from govpub.yamlstrict import MAX_NODES, _Loader, parse_yaml, parse_yaml_fully

PROPERTY = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def fast(text: str):
    return parse_simple(text, _Loader.yaml_implicit_resolvers, MAX_NODES)


def assert_agrees(text: str) -> bool:
    """True when the fast reader took the text (and then agrees with PyYAML)."""
    simple = fast(text)
    if simple is None:
        return False
    full = parse_yaml_fully(text)
    assert full.problems == []
    assert repr(simple[0]) == repr(full.data)  # repr: True and 1, "1" and 1 differ
    assert simple[1] == full.lines
    return True


def front_matter(page: str) -> str:
    return page.split("---\n")[1]


def test_typical_front_matter_and_records_take_the_fast_path():
    record = ("content: notices/a.md\ndigest: sha256:" + "0" * 64 + "\nsignoffs:\n"
              "- reviewer: li-wei\n  at: '2026-11-01T10:00:00+08:00'\n  decision: public\n"
              "  note: 'it''s fine'\n")
    item = ("code: '113500100001'\ntime_limit:\n  statutory_days: 60\n  promised_days: 30\n"
            "free: true\ndocuments:\n- name: 请求书\n  copies: 1\n  items:\n  - a\n"
            "  - b\nchannels:\n- online\n")
    for text in (front_matter(notice()), item, record):
        assert assert_agrees(text)
    assert parse_yaml(record).data["signoffs"][0]["note"] == "it's fine"


@pytest.mark.parametrize("text", [
    "no: x\n",  # YAML 1.1 boolean key
    "a: yes\n", "a: off\n", "a: ~\n", "a: null\n", "a:\n",  # booleans and nulls
    "a: 1.10\n", "a: 007\n", "a: 0x1f\n", "a: 1_000\n", "a: 1:20\n", "a: +5\n",  # numbers
    "a: b # comment\n", "# comment\na: b\n", "a: 'x' # c\n",  # comments
    "a: b\na: c\n", "a: b: c\n",  # duplicate key, a colon in a value
    "a: &x b\n", "a: *x\n", "a: !!str 1\n", "a: [1, 2]\n", "a: {b: 1}\n",  # YAML features
    "a: |\n  text\n", "a: >\n  text\n", 'a: "x"\n', "a: 'x\n  y'\n",  # other scalars
    "a: b\n  c\n",  # a continuation line
    "a:\n\t- x\n", "a: x\u2028y\n", "a: x\x85y\n", "a: \ufeffx\n",  # tabs, odd line breaks
    "- a\n- - b\n", "a:\n-\n  b: c\n",  # nested sequences
    "---\na: b\n", "a: b\n...\n", "  a: b\n", "a : b\n", "a:b\n", "标题: x\n",
])
def test_the_fast_reader_refuses_what_it_is_not_sure_of(text):
    assert fast(text) is None
    parse_yaml(text)  # and the full parser takes it from there, without raising


def test_problems_still_come_from_the_full_parser():
    result = parse_yaml("title: a\ntitle: b\ndisclosure: yes\n")
    assert [p.kind for p in result.problems] == ["duplicate-key", "yaml11"]


KEYS = st.from_regex(r"[a-z][a-z0-9_\-]{0,7}", fullmatch=True).filter(
    lambda k: k not in ("no", "on", "off", "yes", "true", "false", "null"))
PLAIN = st.from_regex(r"[a-z\u4e00-\u4e10（）][a-z0-9\u4e00-\u4e10 :#'\-/.，]{0,12}",
                      fullmatch=True).filter(lambda v: ": " not in v and " #" not in v
                                             and not v.endswith((" ", ":"))
                                             and v not in ("no", "on", "off", "yes", "null"))
QUOTED = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2000,
                               exclude_categories=("Cc", "Cs")),
                 max_size=10).map(lambda t: "'" + t.replace("'", "''") + "'")
VALUES = st.one_of(PLAIN, QUOTED, st.integers(0, 10**12).map(str), st.sampled_from(["true",
                                                                                     "false"]))
ODD_VALUES = st.one_of(VALUES, st.text(max_size=8), st.sampled_from([
    "yes", "~", "1.10", "007", "1:20", "'x", '"d"', "a # c", "a: b", "[1]", "&a", "|", "",
    "x\u2028y", "a\tb", "'"]))


@st.composite
def block_yaml(draw, values=VALUES, keys=KEYS, depth: int = 0, indent: str = "") -> list[str]:
    """Lines of a block mapping of the plain shape (keys unique, values one line)."""
    out = []
    for key in draw(st.lists(keys, min_size=1, max_size=4, unique=True)):
        shape = draw(st.sampled_from(["scalar", "map", "seq", "seq-of-maps"]
                                     if depth < 2 else ["scalar"]))
        if shape == "scalar":
            out.append(f"{indent}{key}:{draw(st.sampled_from([' ', '  ']))}{draw(values)}")
            continue
        out.append(f"{indent}{key}:")
        inner = indent + draw(st.sampled_from(["  ", "    "] if shape == "map"
                                              else ["", "  "]))
        if shape == "map":
            out += draw(block_yaml(values, keys, depth + 1, inner))
            continue
        for _ in range(draw(st.integers(1, 3))):
            if shape == "seq":
                out.append(f"{inner}- {draw(values)}")
            else:
                first, *rest = draw(block_yaml(values, keys, depth + 1, inner + "  "))
                out += [inner + "- " + first.lstrip(" "), *rest]
    return out


@PROPERTY
@given(block_yaml())
def test_the_plain_shape_is_read_fast_and_the_same(lines):
    assert assert_agrees("\n".join(lines) + "\n")


@PROPERTY
@given(block_yaml(values=ODD_VALUES, keys=st.one_of(KEYS, st.sampled_from(["no", "on", "null"]))),
       st.integers(0, 50), st.sampled_from(["", " ", "\t", "  ", "# ", "- ", "---\n"]))
def test_any_disturbance_is_refused_or_read_the_same(lines, at, prefix):
    lines[at % len(lines)] = prefix + lines[at % len(lines)]
    assert_agrees("\n".join(lines) + "\n")


SCALARS = st.one_of(st.text(max_size=15), st.integers(), st.booleans(),
                    st.sampled_from(["yes", "1.10", "007", "~", "a: b", "#x", "- y"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True), inner,
                    max_size=4)), max_leaves=20)


@PROPERTY
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), DATA,
                       min_size=1, max_size=6))
def test_what_govpub_itself_writes_is_read_the_same(data):
    """Sign-off records and scaffolds are written by yaml.safe_dump."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    assert_agrees(text)


HEADING_TEXTS = st.lists(st.one_of(
    st.sampled_from(["# 第一部分\n", "## Fees {#fees}\n", "   ### a `b` *c*\n", "#no\n",
                     "#### x ###\n", "# 第一部分\n", "text\n", "    # indented code\n",
                     "\n", "# [link](x.md) ok\n"]),
    st.text(max_size=10)), max_size=15).map("".join)


@PROPERTY
@given(HEADING_TEXTS)
def test_heading_anchors_one_pass_matches_line_by_line(text):
    if "```" in text or "~~~" in text:
        return
    # a closed, empty fence at the end sends the text down the line-by-line path
    assert heading_anchors(text) == heading_anchors(text + "\n~~~\n~~~\n")


#: plain scalars and what the fast reader makes of them: the Python value, or None where
#: it must leave the text to the full parser (which then reads it, with its problems)
SCALAR_KINDS = [
    ("专利", "专利"), ("proactive", "proactive"), ("li-wei", "li-wei"), ("a#b", "a#b"),
    ("../a.md#x", "../a.md#x"), ("https://x.cn/a?b=1", "https://x.cn/a?b=1"),
    ("010-62083114", "010-62083114"), ("title", "title"), ("True value", "True value"),
    ("0", 0), ("7", 7), ("12330", 12330), ("123456789012345678901234567890",
                                             123456789012345678901234567890),
    ("true", True), ("false", False), ("'x'", "x"), ("''", ""), ("'it''s'", "it's"),
    ("'a: b # c'", "a: b # c"), ("''''", "'"),
    ("True", None), ("FALSE", None), ("yes", None), ("No", None), ("on", None), ("off", None),
    ("null", None), ("Null", None), ("~", None), ("1.5", None), ("1.10", None), (".inf", None),
    ("-.inf", None), (".NaN", None), ("1.0e+3", None), ("007", None), ("00", None),
    ("-0", None), ("-5", None), ("+5", None), ("0x1f", None), ("0b101", None), ("1_000", None),
    ("190:20:30", None), ("=", None), ("<<", None), ("a #c", None),
    # text to YAML 1.1 (no dot: no float; 0o is YAML 1.2; dates stay text here)
    ("1e3", "1e3"), ("0o17", "0o17"), ("2026-01-01", "2026-01-01"), ("x:", None), ("- y", None), ("[a]", None), ("{a: 1}", None),
    ("&x y", None), ("*x", None), ("!x", None), ("|", None), (">", None), ("%x", None),
    ("@x", None), ("`x", None), ('"x"', None), ("'x", None), ("'a'b'", None), ("'''", None),
    ("#c", None), ("?x", None), (",x", None),
]


@pytest.mark.parametrize(("text", "value"), SCALAR_KINDS)
def test_each_kind_of_plain_scalar(text, value):
    """As a mapping value, a sequence item and (where it may be one) a key."""
    for yaml_text, read in ((f"a: {text}\n", lambda d: d["a"]),
                            (f"a:\n- {text}\n", lambda d: d["a"][0]),
                            (f"a:\n- b: {text}\n", lambda d: d["a"][0]["b"])):
        simple = fast(yaml_text)
        if value is None:
            assert simple is None, yaml_text
        else:
            assert simple is not None, yaml_text
            assert repr(read(simple[0])) == repr(value)
            assert_agrees(yaml_text)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", text):  # it may be a key
        for _twice in range(2):  # the second time from the remembered verdicts
            assert (fast(f"{text}: x\n") is not None) == (value == text)


def test_remembered_kinds_are_bounded_and_still_right(monkeypatch):
    from govpub import yamlsimple

    monkeypatch.setattr(yamlsimple, "_MEMO_LIMIT", 8)
    for number in range(40):
        assert fast(f"k{number}: v{number}\nn: {number}\nb: yes\n") is None  # yes: not sure
        assert fast(f"k{number}: v{number}\nn: {number}\n")[0] == {f"k{number}": f"v{number}",
                                                                     "n": number}
    kinds = yamlsimple._kinds(_Loader.yaml_implicit_resolvers)
    assert len(kinds.memo) <= 8


@pytest.mark.parametrize("text", [
    "a: b  \nc: d\n", "a:   \n  b: c\n", "- a  \n- b\n", "a: b \n", "a: b\n  \n\nc: d\n",
    "a:\n-   b: c\n    d: e\n", "a:\n  - b\n  - c\n", "a: 'x '  \n",
])
def test_blank_lines_trailing_spaces_and_wide_item_indents(text):
    assert assert_agrees(text)
