"""The site key: everything every page's HTML depends on besides the page itself.

An incremental render reuses a page's HTML only while the site key is the
one the page was rendered under. The key is computed from what the render
actually receives, not from a list of today's files:

- the MkDocs configuration *as loaded* (``INHERIT`` and ``!ENV`` resolved):
  theme and its options, navigation (column titles), Markdown extensions and
  their settings, plugins and theirs, ``extra`` (the govpub settings the
  theme reads), site name and URL, validation levels;
- the bytes of every file a configuration value names (``mkdocs.yml``
  itself, a stylesheet, …);
- every theme folder in full (govpub's theme, a ``custom_dir``), except
  folders of installed packages, which the next item covers;
- the installed packages (the names of the ``*.dist-info`` folders carry
  every version: MkDocs, Material, Python-Markdown, pymdown-extensions,
  Jinja2…) and the Python version;
- govpub's own code (the page hook, the chrome texts of the catalogs);
- ``site_config/`` in full (a theme or hook that reads the policy directly
  is still covered) and the language and time-zone environment.

Anything the key cannot describe (an unknown value type in the
configuration) means no key: the build renders every page.

:func:`incremental_blockers` names what makes reuse unsafe however equal the
keys are: a plugin other than search (a tags or blog plugin lists other
pages), a Markdown extension that reads other files (snippets, b64), extra
templates, or a theme template that uses ``pages`` (the list of every page)
or ``build_date_utc`` (the clock).
"""

from __future__ import annotations

import hashlib
import json
import types
from pathlib import Path

from ..i18n import _
from ..stamp import (
    Unkeyable,
    canonical,
    environment_key,
    file_digest,
    installed,
    named_files,
    tree_digest,
)

FORMAT = "govpub-site-key-1"
#: configuration values that are the build's own folders, not inputs
OWN_FOLDERS = ("docs_dir", "site_dir")
#: plugins whose output for a page depends on that page only
SAFE_PLUGINS = frozenset({"search", "material/search"})
#: Markdown extensions that read files other than the page
FILE_READING_EXTENSIONS = frozenset({"pymdownx.snippets", "pymdownx.b64"})
SAFE_EXTENSION_PREFIXES = ("markdown.extensions.", "pymdownx.", "material.extensions.")
#: template variables that make a page depend on every other page, or on the clock
UNSAFE_TEMPLATE_VARIABLES = frozenset({"pages", "build_date_utc"})
#: templates whose output the build replaces after rendering (postbuild writes sitemap.xml)
REPLACED_TEMPLATES = frozenset({"sitemap.xml"})
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".j2", ".jinja", ".jinja2")


def site_key(config, *, policy_root: Path, govpub_dir: Path) -> str | None:
    """The site key of a loaded MkDocs configuration, or None when it cannot be described."""
    digest = hashlib.sha256(FORMAT.encode())
    inputs = {k: v for k, v in config.items() if k not in OWN_FOLDERS}
    try:
        digest.update(json.dumps(canonical(inputs), sort_keys=True, default=str).encode())
    except Unkeyable:
        return None
    base = Path(config.config_file_path or ".").parent
    files: set[Path] = set()
    named_files(inputs, base, files)
    for path in sorted(files):
        if not installed(path):
            digest.update(f"\0file\0{path}\0{file_digest(path)}".encode())
    folders = [Path(d) for d in config.theme.dirs] + [govpub_dir, policy_root / "site_config"]
    for folder in folders:
        resolved = folder.resolve()
        if resolved.is_dir() and not installed(resolved):
            digest.update(f"\0tree\0{resolved}\0{tree_digest(resolved)}".encode())
    digest.update(environment_key().encode())
    return digest.hexdigest()


def _extension_name(extension) -> str:
    if isinstance(extension, str):
        return extension
    return f"{type(extension).__module__}.{type(extension).__qualname__}"


def incremental_blockers(config, decorator_hook: Path) -> list[str]:
    """Why reusing pages from an earlier render would be unsafe with this configuration."""
    reasons = []
    for name, plugin in config.plugins.items():
        if isinstance(plugin, types.ModuleType):
            if Path(getattr(plugin, "__file__", "") or "").resolve() != decorator_hook.resolve():
                reasons.append(_("the hook {name}").format(name=name))
        elif name not in SAFE_PLUGINS:
            reasons.append(_("the plugin {name}").format(name=name))
    for extension in config.markdown_extensions:
        name = _extension_name(extension)
        if name in FILE_READING_EXTENSIONS or ("." in name and not any(
                name.startswith(p) for p in SAFE_EXTENSION_PREFIXES)):
            reasons.append(_("the Markdown extension {name}").format(name=name))
    if config.extra_templates:
        reasons.append(_("extra_templates"))
    reasons += template_blockers(config)
    return reasons


def template_blockers(config) -> list[str]:
    """Theme templates that read every page or the clock."""
    from jinja2 import TemplateSyntaxError, meta

    env = config.theme.get_env()
    found = []
    for name in env.list_templates(extensions=None):
        if not name.endswith(TEMPLATE_SUFFIXES) or name in REPLACED_TEMPLATES:
            continue
        try:
            source = env.loader.get_source(env, name)[0]
        except Exception:  # unreadable: not something a page can include either
            continue
        if "{" not in source:
            continue
        try:
            used = meta.find_undeclared_variables(env.parse(source))
        except TemplateSyntaxError:
            continue
        for variable in sorted(used & UNSAFE_TEMPLATE_VARIABLES):
            found.append(_("the template {name} (uses {variable})")
                         .format(name=name, variable=variable))
    return found
