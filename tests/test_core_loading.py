"""The loader: one finding, with rule id, path and line, per kind of bad file."""

from __future__ import annotations

import pytest
from factory import NOW, make_repo, notice

from govpub.checker import check_repository
from govpub.config import load_policy


def findings_for(tmp_path, files, **kwargs):
    root = make_repo(tmp_path, files, **kwargs)
    result = check_repository(load_policy(root), NOW)
    return result, [(f.rule, f.path, f.line) for f in result.findings]


def test_clean_tree_reports_nothing(tmp_path):
    result, found = findings_for(tmp_path, {"notices/2026-11-20-a.md": notice()})
    assert found == []
    assert [d.path for d in result.publishable] == ["notices/2026-11-20-a.md"]


CASES = {
    "invalid-yaml": ("---\ntitle: \"unclosed\nsource: x\n---\n", "GP001", 2),
    "not-a-mapping": ("---\n- a\n- b\n---\nbody\n", "GP002", 2),
    "no-front-matter": ("# Just a heading\n", "GP002", 1),
    "unclosed": ("---\ntitle: x\n", "GP002", 1),
    "duplicate-key": (notice().replace("category: 通知", "category: 通知\ntitle: again"),
                      "GP003", 7),
    "no-as-key": (notice().replace("category: 通知", "category: 通知\nno: 1"), "GP004", 7),
    "yes-as-value": (notice().replace("category: 通知", "category: yes"), "GP004", 6),
    "float-surprise": (notice().replace("category: 通知", "category: 1.10"), "GP004", 6),
    "end-marker": ("---\ntitle: x\n...\nbody\n", "GP006", 3),
    "multimarkdown": ("Title: x\nSource: y\n\nbody\n", "GP006", 1),
    "empty": ("", "GP007", 1),
    "whitespace-only": ("  \n\n", "GP007", 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_shape_is_one_finding_with_its_line(tmp_path, case):
    text, rule, line = CASES[case]
    result, found = findings_for(tmp_path, {"notices/bad.md": text})
    assert (rule, "content/notices/bad.md", line) in found
    assert "notices/bad.md" in result.blocked


def test_non_utf8_names_the_line_of_the_bad_byte(tmp_path):
    data = notice().encode("utf-8").replace("正文".encode(), "正文".encode("gbk"))
    _, found = findings_for(tmp_path, {"notices/gbk.md": data})
    assert ("GP005", "content/notices/gbk.md", 9) in found


def test_bom_and_crlf_are_accepted_with_an_info_finding(tmp_path):
    data = b"\xef\xbb\xbf" + notice().replace("\n", "\r\n").encode()
    result, found = findings_for(tmp_path, {"notices/crlf.md": data})
    assert [f[0] for f in found] == ["GP010", "GP010"]
    assert not result.blocked


def test_file_over_the_size_limit(tmp_path):
    big = notice(body="字" * (2 * 1024 * 1024))  # 6 MB of UTF-8 > 5 MB default
    _, found = findings_for(tmp_path, {"notices/big.md": big}, sign=False)
    assert ("GP008", "content/notices/big.md", 1) in found


def test_symlink_is_refused_and_not_followed(tmp_path):
    root = make_repo(tmp_path, {"notices/a.md": notice()})
    outside = tmp_path / "secret.md"
    outside.write_text(notice(title="SECRET"), encoding="utf-8")
    (root / "content" / "notices" / "link.md").symlink_to(outside)
    result = check_repository(load_policy(root), NOW)
    found = [(f.rule, f.path) for f in result.findings]
    assert ("GP009", "content/notices/link.md") in found
    assert "notices/link.md" in result.blocked
    assert "SECRET" not in str(result.context.corpus.documents["notices/link.md"].meta)


def test_names_differing_only_by_case_collide(tmp_path):
    _, found = findings_for(tmp_path, {"notices/A.md": notice(), "notices/a.md": notice()})
    assert ("GP009", "content/notices/A.md", 1) in found
    assert ("GP009", "content/notices/a.md", 1) in found


def test_split_page_reads_bytes_by_the_same_rules():
    from govpub.content import split_page

    meta, body = split_page("notices/a.md", b"\xef\xbb\xbf---\r\ntitle: a\r\nno_value: 1\r\n---\r\n\r\nText\r\n")
    assert meta == {"title": "a", "no_value": 1} and body == "\nText\n"
    assert split_page("index.md", "# 首页\n\n列表".encode()) == ({}, "# 首页\n\n列表")
    assert split_page("x.md", b"---\ntitle: [\n---\nbody\n")[0] == {}  # broken YAML: no meta


#: page text -> (meta, body, body_line, [(rule, line)]) as the loader reads it
SPLITS = {
    "---\ntitle: x\n---\nbody\n": ({"title": "x"}, "body\n", 4, []),
    "---\ntitle: x\n---": ({"title": "x"}, "", 4, []),
    "---\ntitle: x\n---\n": ({"title": "x"}, "", 4, []),
    "---  \ntitle: x\n--- \t\n\nbody\n---\nmore\n": ({"title": "x"}, "\nbody\n---\nmore\n", 4,
                                                     []),
    "---\ntitle: x\nnote: a\n\n---\n# H\n": ({"title": "x", "note": "a"}, "# H\n", 6, []),
    "---\n---\nbody\n": ({}, "", 1, [("GP002", 2)]),
    "---\n\n---\nbody\n": ({}, "", 1, [("GP002", 2)]),
    "---\ntitle: x\n---x\n---\nbody": ({}, "", 1, [("GP001", 3)]),
    "---\ntitle: x\n....\n---\nbody": ({}, "", 1, [("GP001", 4)]),
    "---\ntitle: x\n... \nbody\n---\n": ({}, "", 1, [("GP006", 3)]),
    "---": ({}, "", 1, [("GP002", 1)]),
    "--- x\ntitle: y\n---\n": ({}, "", 1, [("GP002", 1)]),
    "Title: x": ({}, "", 1, [("GP006", 1)]),
    "Title:\nbody": ({}, "", 1, [("GP002", 1)]),
    "\u3000\n\t\n": ({}, "", 1, [("GP007", 1)]),
    "\ufeff---\r\ntitle: x\r---\r\nbody\r\n": ({"title": "x"}, "body\n", 4,
                                               [("GP010", 1), ("GP010", 1)]),
}


@pytest.mark.parametrize("text", sorted(SPLITS))
def test_front_matter_and_body_are_split_at_the_closing_line(tmp_path, text):
    from govpub.content import load_document

    page = tmp_path / "a.md"
    page.write_bytes(text.encode("utf-8"))
    doc = load_document(page, "notices/a.md", max_page_bytes=10_000, max_attachment_bytes=10)
    meta, body, body_line, problems = SPLITS[text]
    assert [(p.rule, p.line) for p in doc.problems] == problems
    assert (doc.meta, doc.body, doc.body_line) == (meta, body, body_line)
    assert doc.readable == bool(meta)


@pytest.mark.parametrize("name", [
    "a.md", "a/b.MD", "x/y.tar.gz", "a.", ".md", "a/.md", "a/..", "a/.", ".", "", "a/b/",
    "a.md/", "a.md/.", "a//b.md", "noext", "x/a..md", "中文.Markdown", "a.b/c",
])
def test_suffix_of_is_pathlibs_suffix(name):
    from pathlib import PurePath

    from govpub.digest import is_text_file, suffix_of

    assert suffix_of(name) == PurePath(name).suffix
    assert suffix_of(PurePath(name)) == PurePath(name).suffix
    assert is_text_file(name) == (PurePath(name).suffix.lower() in (".md", ".markdown", ".txt",
                                                                    ".csv", ".yml", ".yaml",
                                                                    ".json"))
