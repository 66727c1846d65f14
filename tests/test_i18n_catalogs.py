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
    """msgid (or (singular, plural)) -> 'file:line' of its first use."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            SRC, method_map=[("**.py", "python")], keywords=KEYWORDS):
        key = tuple(message) if isinstance(message, tuple | list) else message
        found.setdefault(key, f"{filename}:{lineno}")
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
