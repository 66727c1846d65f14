"""MkDocs hook: the govpub gate for people who run plain ``mkdocs build`` / ``mkdocs serve``.

A thin guard over the govpub library; it has no rule logic of its own.

- ``on_config``: loads the policy, runs every rule (``govpub.checker``) and
  builds the site model; with ``mkdocs build --strict`` any blocking finding
  raises ``PluginError``. Sets the column navigation when mkdocs.yml has none.
- ``on_files``: keeps only files the gate publishes (everything else under
  ``content/`` is dropped) and adds govpub's generated pages (column indexes,
  home page).
- ``on_page_markdown``: appends the service-item guide and the generated
  listing of an authored index page, then escapes the page metadata
  (the same functions as ``govpub build``).
- ``on_serve``: ``mkdocs serve`` also rebuilds when ``review/`` or ``site_config/`` change.
- ``on_post_build``: runs govpub's post-build steps (sitemap, open data, the search
  index, manifest).

Set ``GOVPUB_NOW`` (ISO 8601) to simulate the time of the build.
The governed build (``govpub build``) does not use this file: it stages the
approved files first and registers only the page decorator.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from govpub.build import mkdocs_hook
from govpub.build.gate import report_lines, split_blocked
from govpub.build.generated import body_of, generate_all
from govpub.build.postbuild import run_post_build
from govpub.build.render_mkdocs import navigation
from govpub.build.serviceitem import guide_markdown
from govpub.checker import check_repository
from govpub.chrome import chrome_settings
from govpub.config import load_policy
from govpub.errors import GovpubError
from govpub.search import site_search
from govpub.sitemodel import build_site_model
from govpub.timeparse import DateFormatError, parse_now

log = logging.getLogger("mkdocs.hooks.govpub_guard")
SHOWN_FINDINGS = 20


class _Gate:
    """What on_config decided, for the later events of the same build."""

    def __init__(self) -> None:
        self.model = None
        self.result = None
        self.generated: dict[str, str] = {}
        self.pages: dict = {}


_gate = _Gate()


def _root_of(config) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def on_config(config):
    root = _root_of(config)
    try:
        policy = load_policy(root)
        now = parse_now(os.environ.get("GOVPUB_NOW") or None, policy.timezone)
        if Path(config.docs_dir).resolve() != policy.content_dir.resolve():
            raise PluginError(f"govpub: docs_dir must be {policy.content_dir} (the folder the "
                              f"gate checks), not {config.docs_dir}")
        result = check_repository(policy, now)
    except DateFormatError as exc:
        raise PluginError(f"govpub: GOVPUB_NOW: {exc}") from None
    except GovpubError as exc:
        raise PluginError(f"govpub: {exc}") from None
    blocking = result.blocking
    if config.strict and blocking:
        shown = "\n".join(f"  {f.path}:{f.line}: {f.rule} {f.message}"
                          for f in blocking[:SHOWN_FINDINGS])
        more = f"\n  … and {len(blocking) - SHOWN_FINDINGS} more" \
            if len(blocking) > SHOWN_FINDINGS else ""
        raise PluginError(f"govpub: {len(blocking)} blocking finding(s); nothing is "
                          f"published with --strict:\n{shown}{more}")
    quarantined, held_back = split_blocked(result)
    for line in report_lines(quarantined, {}):
        log.warning(f"govpub: {line}")
    for line in report_lines({}, held_back):
        log.info(f"govpub: {line}")
    _gate.result = result
    _gate.model = build_site_model(result)
    _gate.generated = generate_all(_gate.model)
    _gate.pages = {p.path: p for p in _gate.model.pages}
    extra = config.extra or {}
    try:
        chrome = chrome_settings(_gate.model)
    except GovpubError as exc:  # site.yml lacks the identity every page must show
        raise PluginError(f"govpub: {exc}") from None
    extra["govpub"] = {"timezone": policy.site["timezone"], "preview": False, "unreviewed": [],
                       "chrome": chrome, **site_search(_gate.model, chrome["language"])}
    config.extra = extra
    if not config.nav:
        config.nav = navigation(_gate.model)
    if not config.site_url:
        config.site_url = policy.base_url
    return config


def on_files(files: Files, config) -> Files:
    model = _gate.model
    allowed = {p.path for p in model.pages} | {d.path for d in model.attachments}
    kept = Files([f for f in files if not _in_docs(f, config) or f.src_uri in allowed])
    present = {f.src_uri for f in kept}
    for path, text in _gate.generated.items():
        if path not in present:
            kept.append(File.generated(config, path, content=text))
    return kept


def _in_docs(file: File, config) -> bool:
    """Theme assets come from the theme folders; everything from docs_dir passes the gate."""
    return bool(file.abs_src_path) and Path(file.abs_src_path).resolve().is_relative_to(
        Path(config.docs_dir).resolve())


def on_page_markdown(markdown: str, page, config, files):
    model_page = _gate.pages.get(page.file.src_uri)
    if model_page is not None:
        extra = guide_markdown(model_page, _gate.model)
        if page.file.src_uri in _gate.generated:
            extra += "\n" + body_of(_gate.generated[page.file.src_uri])
        if extra:
            markdown = markdown.rstrip("\n") + "\n" + extra
    mkdocs_hook.decorate_page(page, config)
    return markdown


def on_page_content(content, page, config, files):
    return mkdocs_hook.on_page_content(content, page, config, files)


def on_page_context(context, page, config, nav):
    return mkdocs_hook.on_page_context(context, page, config, nav)


def on_template_context(context, template_name, config):
    return mkdocs_hook.on_template_context(context, template_name, config)


def on_serve(server, config, builder):
    """`mkdocs serve` watches docs_dir; a sign-off or policy change must rebuild too."""
    root = _root_of(config)
    for name in ("review", "site_config"):
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server


def on_post_build(config):
    run_post_build(_gate.model, Path(config.site_dir))
