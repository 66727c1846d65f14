"""The message catalogs: every message has its Chinese, and the language is chosen as documented."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from govpub import i18n

SRC = Path(i18n.__file__).parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> dict:
    """msgid (or (singular, plural)) -> where it is used: every ``_()``/``N_()``/``ngettext``
    message, and the texts translated whole (rule and audit-check docstrings, help texts)."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            SRC, method_map=[("**.py", "python")], keywords=KEYWORDS):
        key = tuple(message) if isinstance(message, tuple | list) else message
        found.setdefault(key, f"{filename}:{lineno}")
    found.update({key: where for key, where in _documentation().items() if key not in found})
    return found


def _documentation() -> dict:
    """Docstrings and help texts shown translated whole -> what they document."""
    from govpub.audit.checks import CHECKS
    from govpub.cli import COMMANDS, LazyGroup, cli
    from govpub.cli.localize import help_texts
    from govpub.rules import registry

    found = {}
    for rule in registry.all():
        found.setdefault(rule.source_doc(), f"docstring of rule {rule.id}")
    for check in CHECKS:
        found.setdefault(check.source_doc(), f"docstring of audit check {check.id}")
    commands = [cli] + [LazyGroup.get_command(cli, None, name) for name in COMMANDS
                        if LazyGroup._available(name)]
    for command in commands:
        for text in help_texts(command):
            found.setdefault(text, f"help of `govpub {command.name}`")
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_chinese_translation():
    translated = i18n.read_parts("zh_CN")
    missing = [f"{where}: {key!r}" for key, where in _extracted().items()
               if key not in translated]
    assert not missing, ("messages without a Chinese translation (add them to a part in "
                         "src/govpub/locale/zh_CN/parts/):\n" + "\n".join(missing))


def test_translations_keep_the_placeholders_of_their_message():
    wrong = []
    for key, value in i18n.read_parts("zh_CN").items():
        pairs = zip(key, value, strict=False) if isinstance(key, tuple) else [(key, value)]
        for source, translation in pairs:
            if _fields(source) != _fields(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_no_part_translates_a_message_nobody_uses():
    used = set(_extracted())
    unused = [key for key in i18n.read_parts("zh_CN") if key not in used]
    assert not unused, f"translations of messages no code uses (remove them): {unused}"


def test_a_message_translated_two_ways_is_refused(tmp_path, monkeypatch):
    parts = tmp_path / "zh_CN" / "parts"
    parts.mkdir(parents=True)
    for name, text in (("a.po", "一"), ("b.po", "二")):
        (parts / name).write_text(f'msgid "one"\nmsgstr "{text}"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(ValueError, match="translated differently"):
        i18n.read_parts("zh_CN")


@pytest.mark.parametrize(("chosen", "env", "site", "expected"), [
    (None, None, None, "zh-CN"),
    (None, None, "en", "en"),
    (None, "en", "zh-CN", "en"),
    ("zh", "en", "en", "zh-CN"),
    (None, "klingon", "en", "en"),
])
def test_language_order_is_flag_then_environment_then_site_then_chinese(
        monkeypatch, chosen, env, site, expected):
    if env is None:
        monkeypatch.delenv("GOVPUB_LANG", raising=False)
    else:
        monkeypatch.setenv("GOVPUB_LANG", env)
    i18n.set_language(chosen)
    i18n.set_site_language(site)
    try:
        assert i18n.current_language() == expected
    finally:
        i18n.set_language(None)
        i18n.set_site_language(None)


def test_the_cli_speaks_chinese_by_default_and_english_on_request(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "GOVPUB_LANG"}
    command = [sys.executable, "-m", "govpub", "--root", str(tmp_path), "check"]
    chinese = subprocess.run(command, capture_output=True, text=True, env=env)
    english = subprocess.run([*command[:3], "--lang", "en", *command[3:]],
                             capture_output=True, text=True, env=env)
    assert chinese.returncode == english.returncode == 2
    assert chinese.stderr.startswith("govpub：错误：")
    assert english.stderr.startswith("govpub: error: ")
    assert re.search(r"[\u4e00-\u9fff]", chinese.stderr)


def test_an_unknown_lang_flag_is_a_usage_error(tmp_path):
    run = subprocess.run([sys.executable, "-m", "govpub", "--lang", "fr", "rules"],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "--lang" in run.stderr and "zh-CN" in run.stderr


def test_interface_tables_are_translated_whole_into_the_language_of_a_page():
    """Page chrome and search share one helper: a table of message ids, one dict per language,
    whatever the language of the command that builds the page."""
    from govpub.chrome import labels as chrome
    from govpub.search import labels as search

    table = {"map": "Site map", "search": "Search this site", "unknown": "Not in any catalog"}
    i18n.set_language("en")
    try:
        assert i18n.translate_table(table, "zh-CN") == {
            "map": "网站地图", "search": "搜索本站", "unknown": "Not in any catalog"}
    finally:
        i18n.set_language(None)
    assert i18n.translate_table(table, "en") == table
    for module, words in ((chrome, chrome.labels), (search, search.search_labels)):
        for language in ("zh-CN", "en"):
            assert words(language) == i18n.translate_table(module.LABELS, language)
    assert chrome.labels("zh-CN")["site_map"] == search.search_labels("zh-CN")["site_map"]
    assert search.search_labels("en")["site_map"] == "Site map"


def test_a_stale_compiled_catalog_is_not_used(tmp_path, monkeypatch):
    parts = tmp_path / "zh_CN" / "parts"
    parts.mkdir(parents=True)
    part = parts / "a.po"
    part.write_text('msgid "one"\nmsgstr "一"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        i18n.compile_catalogs()
        assert i18n.translator("zh-CN")("one") == "一"
        part.write_text('msgid "one"\nmsgstr "壹"\n', encoding="utf-8")
        future = part.stat().st_mtime + 10
        __import__("os").utime(part, (future, future))
        i18n.translations.cache_clear()
        assert i18n.translator("zh-CN")("one") == "壹"
    finally:
        i18n.translations.cache_clear()


def test_every_rule_and_audit_check_is_documented_in_chinese_in_the_same_sections():
    """A rule's documentation is the catalog's translation of its whole docstring, so a rule
    without one fails the completeness test above; here: the translation keeps the shape."""
    from govpub.audit.checks import CHECKS
    from govpub.rules import registry

    documented = _documentation()
    i18n.set_language("zh-CN")
    try:
        for item in [*registry.all(), *CHECKS]:
            assert item.source_doc() in documented
            chinese = item.doc()
            assert chinese != item.source_doc(), f"{item.id} has no Chinese documentation"
            for section in ("检查内容：", "原因：", "处理办法："):
                assert section in chinese, f"{item.id}: the Chinese lacks {section}"
            assert ("示例：" in chinese) == ("Example:" in item.source_doc()), item.id
    finally:
        i18n.set_language(None)
    i18n.set_language("en")
    try:
        assert all(rule.doc() == rule.source_doc() for rule in registry.all())
    finally:
        i18n.set_language(None)


def test_the_click_messages_govpub_translates_are_click_s_own():
    """If click rewords a message, its translation would silently stop applying."""
    import click

    from govpub.cli.localize import CLICK_MESSAGES

    in_click = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            Path(click.__file__).parent, method_map=[("**.py", "python")],
            keywords={"_": None, "ngettext": (1, 2)}):
        in_click.update(message if isinstance(message, tuple | list) else [message])
    assert set(CLICK_MESSAGES) <= in_click, set(CLICK_MESSAGES) - in_click


def test_click_speaks_the_chosen_language_in_process(capsys):
    from govpub.cli import main

    try:
        for language, expected in (("zh-CN", "错误：没有选项 '--bogus'。"),
                                   ("en", "Error: No such option '--bogus'.")):
            assert main(["--lang", language, "rules", "--bogus"]) == 2
            assert expected in capsys.readouterr().err
    finally:
        i18n.set_language(None)


def test_chinese_short_help_is_cut_at_a_pause():
    from govpub.cli.localize import SHORT_HELP_CHARS, chinese_short_help

    assert chinese_short_help("列出全部检查规则。\n\n其余说明。") == "列出全部检查规则"
    long = "检查长期未更新或空白的栏目、过期页面、过久的审核记录、外部链接审批、政务新媒体等平台。"
    short = chinese_short_help(long)
    assert short.endswith("……") and len(short) <= SHORT_HELP_CHARS + 2
    assert short.removesuffix("……") in long and long[len(short) - 2] in "，、；："
