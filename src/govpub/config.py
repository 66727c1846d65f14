"""Site policy from ``site_config/``: loaded once, validated, never guessed.

Every configuration file is read with the strict YAML reader and validated
against a JSON Schema shipped in ``govpub/schemas/config/``. Any problem is a
:class:`~govpub.errors.ConfigError` naming the file, the line of the key at
fault, what was expected and what was found (exit code 2).

Other subsystems (links, feeds, duty, platforms, calendar) load their own
files through :func:`load_config_file` so that every config error looks the
same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import referencing
import referencing.jsonschema

from .errors import ConfigError
from .findings import Severity
from .yamlstrict import YamlResult, parse_yaml

CONFIG_DIR = "site_config"
CONTENT_DIR = "content"
REVIEW_DIR = "review"
MAX_CONFIG_BYTES = 2_000_000


def _config_schema(name: str) -> dict:
    text = resources.files("govpub").joinpath(f"schemas/config/{name}.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def describe_schema_error(error: jsonschema.ValidationError) -> str:
    """One sentence: where in the data, what was expected, what was found."""
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message} — check the spelling of the field name"
    if error.validator == "type":
        return (f"{where}: expected {error.validator_value}, got "
                f"{type(error.instance).__name__} {error.instance!r}")
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {error.validator_value}"
    if error.validator == "pattern":
        # a regular expression means nothing to an editor; the field's description does
        described = error.schema.get("description") if isinstance(error.schema, dict) else None
        expected = described or f"text matching {error.validator_value}"
        return f"{where}: {error.instance!r} is not in the expected form — {expected}"
    return f"{where}: {error.message}"


def schema_errors(schema: dict, data) -> list[jsonschema.ValidationError]:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))


def load_config_file(path: Path, schema: str | dict, *, required: bool = True,
                     default=None, root: Path | None = None, with_lines: bool = False):
    """Read and validate one YAML config file; raise ConfigError on any problem.

    ``with_lines=True`` returns ``(data, YamlResult)``, so callers that report
    problems of their own can name the line without reading the file again.
    """
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    if not path.exists():
        if required:
            raise ConfigError("configuration file is missing", path=shown,
                              hint="create it (see docs/configuration.md); it must exist for "
                                   "this command")
        return (default, YamlResult()) if with_lines else default
    if path.is_symlink():
        raise ConfigError("configuration file is a symbolic link", path=shown,
                          hint="replace the link with the file itself")
    raw = path.read_bytes()
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"configuration file is {len(raw)} bytes, over the "
                          f"{MAX_CONFIG_BYTES} byte limit", path=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError("file is not valid UTF-8", path=shown, line=line,
                          hint="save it as UTF-8") from None
    result = parse_yaml(text.replace("\r\n", "\n"))
    if result.problems:
        p = result.problems[0]
        raise ConfigError(p.message, path=shown, line=p.line)
    data = result.data if result.data is not None else {}
    if isinstance(schema, str):
        schema = _config_schema(schema)
    errors = schema_errors(schema, data)
    if errors:
        first = errors[0]
        line = result.line_of(tuple(first.absolute_path))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(describe_schema_error(first) + more, path=shown, line=line)
    return (data, result) if with_lines else data


@dataclass(frozen=True)
class Column:
    folder: str
    type: str
    title: str
    title_en: str
    owner: str
    cadence_days: int | None
    dated: bool
    kind: str  # dynamic | notices | policies | static: the inspection category
    line: int = 1  # where the column is defined in columns.yml (for findings about it)


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    emails: tuple[str, ...]
    keys: tuple[str, ...] = ()
    gpg_fingerprints: tuple[str, ...] = ()


@dataclass
class Policy:
    """Everything in ``site_config/`` that the checks and the build need."""

    root: Path
    site: dict
    columns: dict[str, Column]
    reviewers: dict[str, Reviewer]
    review_levels: int
    column_levels: dict[str, int]
    type_schemas: dict[str, dict]
    schemas: referencing.Registry
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    #: reason codes of a rejection (reviewers.yml ``reject_reasons``; empty: the defaults)
    reject_reasons: list[dict] = field(default_factory=list)

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def review_dir(self) -> Path:
        return self.root / REVIEW_DIR

    @property
    def config_dir(self) -> Path:
        return self.root / CONFIG_DIR

    @cached_property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.site["timezone"])

    @property
    def base_url(self) -> str:
        return self.site["base_url"].rstrip("/") + "/"

    @property
    def max_page_bytes(self) -> int:
        return self.site.get("limits", {}).get("markdown_bytes", 5 * 1024 * 1024)

    @property
    def max_attachment_bytes(self) -> int:
        return self.site.get("limits", {}).get("attachment_bytes", 50 * 1024 * 1024)

    def levels_for(self, content_path: str) -> int:
        column = content_path.split("/", 1)[0] if "/" in content_path else ""
        return self.column_levels.get(column, self.review_levels)

    def reviewer_for_email(self, email: str) -> Reviewer | None:
        email = email.strip().lower()
        for reviewer in self.reviewers.values():
            if email in reviewer.emails:
                return reviewer
        return None

    def column_for(self, content_path: str) -> Column | None:
        folder = content_path.split("/", 1)[0] if "/" in content_path else ""
        return self.columns.get(folder)


def _load_type_schemas(config_dir: Path, root: Path) -> dict[str, dict]:
    types_dir = config_dir / "types"
    if not types_dir.is_dir():
        raise ConfigError("folder of content-type schemas is missing",
                          path=types_dir.relative_to(root),
                          hint="add site_config/types/<type>.schema.json for every type")
    schemas = {}
    for path in sorted(types_dir.glob("*.schema.json")):
        shown = path.relative_to(root)
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError("schema is not valid UTF-8", path=shown) from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"invalid JSON: {exc.msg}", path=shown, line=exc.lineno) from None
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise ConfigError(f"not a valid JSON Schema 2020-12: {exc.message}",
                              path=shown) from None
        schemas[path.name.removesuffix(".schema.json")] = schema
    return schemas


SHARED_SCHEMA_NAMES = frozenset({"common"})


def schema_registry(type_schemas: dict[str, dict]) -> referencing.Registry:
    """Let type schemas ``$ref`` each other by file name (``common.schema.json#/$defs/…``)."""
    resources = [(f"{name}.schema.json",
                  referencing.Resource.from_contents(
                      schema, default_specification=referencing.jsonschema.DRAFT202012))
                 for name, schema in type_schemas.items()]
    return referencing.Registry().with_resources(resources)


def load_policy(root: Path) -> Policy:
    """Load and validate the policy of the repository at ``root``."""
    root = Path(root).resolve()
    config_dir = root / CONFIG_DIR
    if not config_dir.is_dir():
        raise ConfigError("no site_config/ folder here", path=root,
                          hint="run govpub from the root of a site repository, or pass --root")
    site = load_config_file(config_dir / "site.yml", "site", root=root)
    try:
        ZoneInfo(site["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {site['timezone']!r}",
                          path=Path(CONFIG_DIR) / "site.yml",
                          hint="use an IANA name such as Asia/Shanghai") from None
    columns_data, columns_yaml = load_config_file(config_dir / "columns.yml", "columns",
                                                  root=root, with_lines=True)
    reviewers_data = load_config_file(config_dir / "reviewers.yml", "reviewers", root=root)
    rules_data = load_config_file(config_dir / "rules.yml", "rules", required=False,
                                  default={}, root=root)
    all_schemas = _load_type_schemas(config_dir, root)
    type_schemas = {k: v for k, v in all_schemas.items() if k not in SHARED_SCHEMA_NAMES}

    columns = {}
    for folder, spec in columns_data["columns"].items():
        if spec["type"] not in type_schemas:
            raise ConfigError(
                f"column {folder!r} has type {spec['type']!r}, which has no schema",
                path=Path(CONFIG_DIR) / "columns.yml",
                hint=f"add site_config/types/{spec['type']}.schema.json or fix the type")
        columns[folder] = Column(
            folder=folder, type=spec["type"], title=spec["title"],
            title_en=spec.get("title_en", spec["title"]), owner=spec["owner"],
            cadence_days=spec.get("cadence_days"), dated=spec.get("dated", False),
            kind=spec.get("kind", "static"), line=columns_yaml.line_of(("columns", folder)))

    reviewers = {}
    for entry in reviewers_data["reviewers"]:
        if entry["id"] in reviewers:
            raise ConfigError(f"reviewer id {entry['id']!r} is listed twice",
                              path=Path(CONFIG_DIR) / "reviewers.yml")
        reviewers[entry["id"]] = Reviewer(
            id=entry["id"], name=entry["name"],
            emails=tuple(e.lower() for e in entry["emails"]),
            keys=tuple(entry.get("keys", [])),
            gpg_fingerprints=tuple(entry.get("gpg_fingerprints", [])))

    codes = [r["code"] for r in reviewers_data.get("reject_reasons", [])]
    for code in {c for c in codes if codes.count(c) > 1}:
        raise ConfigError(f"reason code {code!r} is listed twice in reject_reasons",
                          path=Path(CONFIG_DIR) / "reviewers.yml")

    from .rules import registry  # local import: rules import config

    overrides = {}
    for rule_id, severity in (rules_data.get("severity") or {}).items():
        rule = registry.get(rule_id)
        if rule is None:
            raise ConfigError(f"unknown rule {rule_id!r} in severity overrides",
                              path=Path(CONFIG_DIR) / "rules.yml",
                              hint="run `govpub rules` for the list of ids")
        sev = Severity.parse(severity)
        if rule.locked and sev != rule.severity:
            raise ConfigError(
                f"rule {rule_id} guards publication; its severity ({rule.severity}) cannot "
                f"be changed to {sev}",
                path=Path(CONFIG_DIR) / "rules.yml",
                hint="remove the override; use a page's `allow:` entry for reviewed exceptions")
        overrides[rule_id] = sev

    return Policy(
        root=root, site=site, columns=columns, reviewers=reviewers,
        review_levels=reviewers_data.get("levels", 1),
        column_levels=reviewers_data.get("column_levels", {}),
        type_schemas=type_schemas, schemas=schema_registry(all_schemas),
        severity_overrides=overrides,
        reject_reasons=reviewers_data.get("reject_reasons", []))
