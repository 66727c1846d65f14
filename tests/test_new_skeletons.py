"""``govpub new``: skeletons that work as the docs say.

Every type of the real policy (the repository's own ``site_config/``) gets a
skeleton that is valid, fails ``govpub check`` only where the marker stands,
and passes once an editor has filled in the marked places. Columns are asked
for, codes allocated from the catalog, file names follow the rules.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from factory import make_repo, service_item

from govpub.placeholder import MARKER
from govpub.scaffold.naming import title_hash

GOVPUB = [sys.executable, "-m", "govpub"]
NOW = "2026-11-28T09:00"
CHECK_NOW = "2026-11-28T10:00"
#: what a page nobody has reviewed yet always gets, whatever its content
UNREVIEWED = {"GP201"}
SAFE_NAME = re.compile(r"^[a-z0-9._-]+$")


def run(root, *args, lang="en", **kwargs):
    env = {**os.environ, "GOVPUB_LANG": lang}
    return subprocess.run([*GOVPUB, "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=root, **kwargs)


def created(proc) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def fill_in(text: str) -> str:
    """What an editor does: write something where the marker stands, drop it from comments."""
    lines = []
    for line in text.splitlines():
        if line.lstrip().startswith("#") and not line.startswith("## "):
            lines.append(line.replace(MARKER, ""))
        else:
            lines.append(re.sub(re.escape(MARKER) + r"[^'\"\n]*", "经核实的内容", line))
    return "\n".join(lines) + "\n"


def findings(root, *paths) -> list[dict]:
    proc = run(root, "check", "--format", "json", "--now", CHECK_NOW, *paths)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def repo(tmp_path):
    items = {f"catalog/{code}.md": service_item(code)
             for code in ("000173001001", "000173001002", "000173001003")}
    return make_repo(tmp_path, items)


#: (type, column, extra arguments) — one skeleton for every type of the real policy
EVERY_TYPE = [
    ("notice", "notices", []), ("notice", "news", []), ("policy", None, []),
    ("service-item", None, []), ("guide", None, ["--code", "000173001002"]),
    ("reproduction", None, []), ("faq", None, []), ("comment", None, []),
    ("report", None, []), ("page", "about", []),
]


def test_every_type_fails_check_only_where_the_marker_stands_and_passes_once_filled(repo):
    paths = []
    for type_name, column, extra in EVERY_TYPE:
        args = ["new", type_name, f"测试{type_name}页面", "--now", NOW, *extra]
        if column:
            args += ["--column", column]
        paths.append(created(run(repo, *args)))
    for rel in paths:
        text = (repo / rel).read_text(encoding="utf-8")
        assert MARKER in text, rel
        front = text.split("---\n")[1]
        assert isinstance(yaml.safe_load(front), dict), rel  # valid YAML, a mapping
    for finding in findings(repo, *paths):
        if finding["rule"] in UNREVIEWED or finding["severity"] == "info":
            continue
        line = (repo / finding["path"]).read_text(encoding="utf-8").splitlines()[
            finding["line"] - 1]
        assert MARKER in line, finding  # every other finding points at a marker
    for rel in paths:
        page = repo / rel
        page.write_text(fill_in(page.read_text(encoding="utf-8")), encoding="utf-8")
        assert MARKER not in page.read_text(encoding="utf-8")
    left = [f for f in findings(repo, *paths)
            if f["rule"] not in UNREVIEWED and f["severity"] != "info"]
    assert left == []


def test_every_required_field_is_written_under_a_complete_comment(repo):
    from govpub.config import load_policy
    from govpub.scaffold import required_fields

    policy = load_policy(repo)
    for lang, ends in (("en", (".", ")")), ("zh-CN", ("。", "）"))):
        for type_name, column, extra in EVERY_TYPE:
            args = ["new", type_name, "Comments", "--slug", f"c-{lang.lower()}", "--now", NOW,
                    *extra]
            rel = created(run(repo, *args, *(["--column", column] if column else []),
                              lang=lang))
            lines = (repo / rel).read_text(encoding="utf-8").split("---\n")[1].splitlines()
            keys = {line.split(":")[0] for line in lines if re.match(r"^[a-z_]+:", line)}
            required = {name for name, _prop in required_fields(policy, type_name)}
            assert required <= keys, (type_name, required - keys)
            for index, line in enumerate(lines):
                if re.match(r"^[a-z_]+:", line):
                    assert lines[index - 1].startswith("# "), (rel, line)  # every field
                if line.startswith("#"):
                    assert line.rstrip().endswith(ends), (lang, rel, line)  # not cut short
            if lang == "zh-CN":
                comments = "".join(line for line in lines if line.startswith("#"))
                assert len(re.findall(r"[\u4e00-\u9fff]", comments)) > 60
            (repo / rel).unlink()


def test_a_field_the_general_office_adds_appears_with_its_description(repo):
    schema_file = repo / "site_config" / "types" / "notice.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["required"].append("responsible_person")
    schema["properties"]["responsible_person"] = {
        "type": "string", "minLength": 1,
        "description": "Official answerable for the notice (责任人), by title."}
    schema_file.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    rel = created(run(repo, "new", "notice", "通知", "--column", "notices", "--now", NOW))
    text = (repo / rel).read_text(encoding="utf-8")
    assert ("# Official answerable for the notice (责任人), by title.\n"
            f"responsible_person: {MARKER}responsible_person\n") in text


def test_several_columns_without_a_terminal_is_exit_2_naming_them(repo):
    proc = run(repo, "new", "notice", "关于调整专利收费标准的通知", "--now", NOW,
               stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "notices (通知公告)" in proc.stderr and "news (工作动态)" in proc.stderr
    assert "--column notices" in proc.stderr
    assert not (repo / "content" / "notices").exists()
    proc = run(repo, "new", "notice", "x", "--column", "policies", "--now", NOW)
    assert proc.returncode == 2 and "does not hold notice pages" in proc.stderr


def test_on_a_terminal_the_column_is_asked_for(repo):
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "GOVPUB_LANG": "zh-CN"}
    proc = subprocess.Popen([*GOVPUB, "--root", str(repo), "new", "notice", "关于开展专项行动的通知",
                             "--now", NOW], stdin=follower, stdout=subprocess.PIPE,
                            stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while "请选择栏目".encode() not in seen:
        chunk = os.read(leader, 1024)
        assert chunk, seen.decode("utf-8", "replace")
        seen += chunk
    os.write(leader, b"2\n")
    out, _err = proc.communicate(timeout=120)
    os.close(leader)
    assert proc.returncode == 0
    text = seen.decode("utf-8")
    assert "1) notices  通知公告" in text and "2) news  工作动态" in text
    assert out.decode().strip().startswith("content/news/2026-11-28-")


def test_a_new_service_item_takes_the_next_free_code_of_the_agency_sequence(repo):
    extra = make_repo_items(repo, {"100000000001": "other agency", "000173001005": "gap"})
    assert extra
    rel = created(run(repo, "new", "service-item", "专利权评价报告", "--now", NOW))
    assert rel == "content/catalog/000173001006.md"
    meta = yaml.safe_load((repo / rel).read_text(encoding="utf-8").split("---\n")[1])
    assert meta["code"] == "000173001006"
    assert created(run(repo, "new", "service-item", "再一个", "--now", NOW)) == \
        "content/catalog/000173001007.md"


def make_repo_items(repo: Path, codes: dict[str, str]) -> list[Path]:
    written = []
    for code in codes:
        target = repo / "content" / "catalog" / f"{code}.md"
        target.write_text(service_item(code), encoding="utf-8")
        written.append(target)
    return written


def test_the_code_pattern_comes_from_the_schema(repo):
    common = repo / "site_config" / "types" / "common.schema.json"
    schema = json.loads(common.read_text(encoding="utf-8"))
    schema["$defs"]["itemCode"]["pattern"] = "^CN[0-9]{6}$"
    common.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    for path in (repo / "content" / "catalog").iterdir():
        path.unlink()
    make_repo_items(repo, {"CN000998": "", "CN000999": ""})
    assert created(run(repo, "new", "service-item", "事项", "--now", NOW)) == \
        "content/catalog/CN001000.md"
    # the code rule reads the same pattern (it used to fall back to 12 digits)
    assert [f for f in findings(repo) if f["rule"] == "GP401"] == []
    for path in (repo / "content" / "catalog").iterdir():
        path.unlink()
    make_repo_items(repo, {"CN999998": "", "CN999999": ""})
    proc = run(repo, "new", "service-item", "事项", "--now", NOW)
    assert proc.returncode == 2 and "no free code follows CN999999" in proc.stderr
    proc = run(repo, "new", "service-item", "事项", "--code", "000173001009", "--now", NOW)
    assert proc.returncode == 2 and "^CN[0-9]{6}$" in proc.stderr


def test_code_given_taken_or_missing(repo):
    proc = run(repo, "new", "service-item", "事项", "--code", "000173001002", "--now", NOW)
    assert proc.returncode == 2 and "already used by content/catalog/000173001002.md" in \
        proc.stderr
    assert created(run(repo, "new", "service-item", "事项", "--code", "000173009001",
                       "--now", NOW)) == "content/catalog/000173009001.md"
    for path in (repo / "content" / "catalog").iterdir():
        path.unlink()
    proc = run(repo, "new", "service-item", "事项", "--now", NOW)
    assert proc.returncode == 2 and "--code" in proc.stderr
    proc = run(repo, "new", "notice", "x", "--column", "notices", "--code", "1", "--now", NOW)
    assert proc.returncode == 2 and "only for service items and guides" in proc.stderr


def test_guide_takes_its_codes_names_the_file_after_them_and_writes_every_heading(repo):
    from govpub.scaffold.skeleton import GUIDE_SECTIONS

    rel = created(run(repo, "new", "guide", "专利申请受理办事指南", "--code", "000173001002",
                      "--code", "000173001003", "--now", NOW))
    assert rel == "content/guides/000173001002-guide.md"
    text = (repo / rel).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["items"] == ["000173001002", "000173001003"]
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == [heading for heading, _what in GUIDE_SECTIONS]
    assert "(../catalog/000173001003.md)" in text
    assert created(run(repo, "new", "guide", "Patent application guide", "--code",
                       "000173001002", "--now", NOW)) == \
        "content/guides/000173001002-patent-application-guide.md"
    proc = run(repo, "new", "guide", "指南", "--code", "000173001099", "--now", NOW)
    assert proc.returncode == 2
    assert "no service item in the catalog has code 000173001099" in proc.stderr
    assert "000173001001, 000173001002, 000173001003" in proc.stderr
    proc = run(repo, "new", "guide", "指南", "--now", NOW)
    assert proc.returncode == 2 and "--code 000173001003" in proc.stderr


def test_file_names_are_safe_ascii_and_the_chinese_title_stays_in_front_matter(repo):
    title = "关于调整专利收费标准的通知"
    rel = created(run(repo, "new", "notice", title, "--column", "notices", "--now", NOW))
    name = Path(rel).name
    assert re.fullmatch(r"2026-11-28-[0-9a-f]{8}\.md", name)
    assert yaml.safe_load((repo / rel).read_text(encoding="utf-8").split("---\n")[1])[
        "title"] == title
    assert Path(created(run(repo, "new", "notice", "Notice on PCT Fees (2027)", "--column",
                            "notices", "--now", NOW))).name == \
        "2026-11-28-notice-on-pct-fees-2027.md"
    assert Path(created(run(repo, "new", "notice", title, "--column", "news", "--slug",
                            "fee-adjustment", "--now", NOW))).name == \
        "2026-11-28-fee-adjustment.md"
    assert Path(created(run(repo, "new", "faq", "如何缴纳年费", "--now", NOW))).name == \
        title_hash("如何缴纳年费") + ".md"
    for folder in (repo / "content").iterdir():
        for page in folder.iterdir():
            assert SAFE_NAME.fullmatch(page.name), page
    for slug in ("Fee Adjustment", "费用", "-x", "a--b"):
        proc = run(repo, "new", "notice", "x", "--column", "news", "--slug", slug, "--now", NOW)
        assert proc.returncode == 2 and "--slug" in proc.stderr, slug


def test_an_existing_page_is_never_overwritten(repo):
    rel = created(run(repo, "new", "notice", "关于调整专利收费标准的通知", "--column", "notices",
                      "--now", NOW))
    (repo / rel).write_text("edited", encoding="utf-8")
    proc = run(repo, "new", "notice", "关于调整专利收费标准的通知", "--column", "notices",
               "--now", NOW)
    assert proc.returncode == 2 and "already exists" in proc.stderr and "--slug" in proc.stderr
    assert (repo / rel).read_text(encoding="utf-8") == "edited"


def test_bad_titles_and_types_are_usage_errors(repo):
    for args in (["notice", "  "], ["notice", "一\n二"], ["notice", "长" * 201],
                 ["leaflet", "标题"]):
        proc = run(repo, "new", *args, "--column", "notices", "--now", NOW)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, args
    proc = run(repo, "new", "leaflet", "标题", "--now", NOW)
    assert "choose one of: comment, faq, guide" in proc.stderr


def test_chinese_run_speaks_chinese_and_english_run_english(repo):
    zh = run(repo, "new", "notice", "通知", "--column", "notices", "--now", NOW, lang="zh-CN")
    assert "请填写标有【待填写】的 4 处内容" in zh.stderr and "下一步：govpub check " in zh.stderr
    text = (repo / zh.stdout.strip()).read_text(encoding="utf-8")
    assert f"source: {MARKER}发布机构" in text and "# 类别：通知、公告或工作动态。" in text
    en = run(repo, "new", "notice", "Notice", "--column", "notices", "--now", NOW)
    assert "fill in the 4 places marked 【待填写】" in en.stderr and "next: govpub check " in \
        en.stderr
    text = (repo / en.stdout.strip()).read_text(encoding="utf-8")
    assert f"source: {MARKER}source department" in text
    zh_error = run(repo, "new", "notice", "x", "--now", NOW, lang="zh-CN",
                   stdin=subprocess.DEVNULL)
    assert "有 2 个栏目存放 notice 类页面" in zh_error.stderr


def test_a_code_pattern_that_admits_a_path_cannot_write_outside_the_column(repo):
    common = repo / "site_config" / "types" / "common.schema.json"
    schema = json.loads(common.read_text(encoding="utf-8"))
    schema["$defs"]["itemCode"]["pattern"] = "^[a-z./]+$"
    common.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    proc = run(repo, "new", "service-item", "事项", "--code", "../../x", "--now", NOW)
    assert proc.returncode == 2 and "cannot be a file name" in proc.stderr
    assert not (repo.parent / "x.md").exists() and not (repo / "x.md").exists()
