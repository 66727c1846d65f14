"""Message catalogs: Chinese first, English on request.

Every text a person reads — CLI output and errors, rule messages and their
fixes, reports, alerts, page chrome — is written in the code as an English
message id wrapped in :func:`_` (or :func:`ngettext`), and translated from a
gettext catalog at the moment it is shown::

    from govpub.i18n import _
    raise UsageError(_("{path} does not exist").format(path=path))

Texts defined at import time (tables of hints, labels) are marked with
:func:`N_` so that extraction finds them, and passed through :func:`_` where
they are shown. Format placeholders are named (``{path}``), never positional,
so a translation may reorder them.

The language is chosen once per process, in this order: :func:`set_language`
(the CLI's ``--lang``), the ``GOVPUB_LANG`` environment variable, the site's
``language`` in ``site_config/site.yml`` (the CLI passes it in), and
otherwise Chinese (``zh-CN``). Rule ids, exit codes and JSON keys never
change with the language.

Catalog sources live in ``govpub/locale/<locale>/parts/*.po`` — one file per
area of the code, so parallel work does not fight over one file — and
``make`` compiles them into ``govpub/locale/<locale>/LC_MESSAGES/govpub.mo``
(``python -m govpub.i18n compile``). When the compiled catalog is missing or
older than a part, the parts are read directly, so a translation edited by
hand shows at once.
"""

from __future__ import annotations

import gettext
import io
import os
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

DOMAIN = "govpub"
#: language tag (as written in site.yml, --lang, GOVPUB_LANG) -> gettext locale folder
LANGUAGES = {"zh-CN": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh-CN"
#: the language message ids are written in: it needs no catalog
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).with_name("locale")

_ALIASES = {"zh": "zh-CN", "zh_cn": "zh-CN", "zh-cn": "zh-CN", "zh-hans": "zh-CN",
            "zh_hans": "zh-CN", "cn": "zh-CN", "chinese": "zh-CN", "中文": "zh-CN",
            "en": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "en_gb": "en",
            "english": "en"}

_chosen: str | None = None
_site_language: str | None = None


class UnknownLanguageError(ValueError):
    """A language tag govpub has no catalog for."""


def normalize_language(tag: str) -> str:
    """``zh``, ``zh_CN``, ``zh-Hans`` → ``zh-CN``; ``en_US`` → ``en``; otherwise an error."""
    key = str(tag).strip().lower().split(".")[0]
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownLanguageError(
        f"unknown language {tag!r}; expected one of {', '.join(LANGUAGES)}")


def set_language(tag: str | None) -> None:
    """Choose the language for this process (``None`` returns to the default order)."""
    global _chosen
    _chosen = normalize_language(tag) if tag else None


def set_site_language(tag: str | None) -> None:
    """Record the site's ``language`` (site.yml); it applies when nothing overrides it."""
    global _site_language
    _site_language = tag or None


def current_language() -> str:
    """The language in force: set_language, then GOVPUB_LANG, then the site's, then zh-CN.

    A bad ``GOVPUB_LANG`` or site language falls through to the next source
    rather than failing every command: ``--lang`` is checked strictly by the
    CLI, and site.yml by its schema.
    """
    if _chosen:
        return _chosen
    for candidate in (os.environ.get("GOVPUB_LANG"), _site_language):
        if candidate:
            try:
                return normalize_language(candidate)
            except UnknownLanguageError:
                continue
    return DEFAULT_LANGUAGE


def _part_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "parts").glob("*.po"))


def _compiled_file(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


class _Catalog(gettext.NullTranslations):
    """A catalog read straight from the .po parts (when no fresh .mo exists)."""

    def __init__(self, messages: dict) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message):
        return self._messages.get(message) or message

    def ngettext(self, singular, plural, n):
        forms = self._messages.get((singular, plural))
        if forms:
            return forms[0 if n == 1 else 1] if len(forms) > 1 else forms[0]
        return singular if n == 1 else plural


def read_parts(locale: str) -> dict:
    """All translated messages of ``locale`` from its parts: msgid (or (singular, plural))
    → translation (or tuple of plural forms). Untranslated and fuzzy entries are left out.
    Two parts translating one msgid differently is an error: one message, one wording."""
    from babel.messages.pofile import read_po

    merged: dict = {}
    where: dict = {}
    for part in _part_files(locale):
        with part.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple | list):
                key = tuple(message.id)
                value = tuple(message.string)
                if not all(value):
                    continue
            else:
                key, value = message.id, message.string
                if not value:
                    continue
            if key in merged and merged[key] != value:
                raise ValueError(
                    f"{part}: message {key!r} is translated differently in {where[key]}; "
                    "keep one translation")
            merged[key], where[key] = value, part
    return merged


def _is_stale(locale: str) -> bool:
    compiled = _compiled_file(locale)
    if not compiled.exists():
        return True
    built = compiled.stat().st_mtime
    return any(part.stat().st_mtime > built for part in _part_files(locale))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for a language tag (English needs none: message ids are English)."""
    language = normalize_language(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    locale = LANGUAGES[language]
    if not _is_stale(locale):
        with _compiled_file(locale).open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return _Catalog(read_parts(locale))


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` bound to one language, for texts whose language is not the process's
    (page chrome follows each page's language, not the command's)."""
    return translations(language).gettext


def translate_table(table: Mapping[str, str], language: str) -> dict[str, str]:
    """A table of :func:`N_` messages (key → English message id) translated whole into
    ``language``: the words of an interface (page chrome, search), one dict per page language."""
    gettext = translator(language)
    return {key: gettext(message) for key, message in table.items()}


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (``{n} finding`` / ``{n} findings``)."""
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate where it is shown)."""
    return message


def compile_catalogs() -> list[Path]:
    """Compile every locale's parts into its .mo file (``make`` runs this)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from .atomic import write_atomic

    written = []
    for locale_dir in sorted(p for p in LOCALE_DIR.iterdir() if (p / "parts").is_dir()):
        locale = locale_dir.name
        catalog = Catalog(locale=locale, domain=DOMAIN)
        for key, value in read_parts(locale).items():
            catalog.add(key, value)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        target = _compiled_file(locale)
        write_atomic(target, buffer.getvalue())
        written.append(target)
    translations.cache_clear()
    return written


def _main(argv: list[str]) -> int:
    if argv[:1] != ["compile"]:
        print("usage: python -m govpub.i18n compile", file=sys.stderr)
        return 2
    try:
        for path in compile_catalogs():
            print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
    except ValueError as exc:
        print(f"govpub.i18n: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
