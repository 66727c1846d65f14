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
import re
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
from .i18n import N_, _
from .layout import CONFIG_DIR, CONTENT_DIR, REVIEW_DIR
from .yamlslips import name_slip
from .yamlstrict import YamlResult, parse_yaml

MAX_CONFIG_BYTES = 2_000_000


def _config_schema(name: str) -> dict:
    text = resources.files("govpub").joinpath(f"schemas/config/{name}.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


#: JSON Schema types as an editor would say them
_TYPE_WORDS = {"string": N_("text"), "integer": N_("a whole number"), "number": N_("a number"),
               "boolean": N_("true or false"), "array": N_("a list"),
               "object": N_("a group of `field: value` lines"), "null": N_("nothing")}
_QUOTED = re.compile(r"'([^']+)'")


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _type_words(expected) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return _(" or ").join(_(_TYPE_WORDS.get(name, name)) for name in names)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _list_hint(expected, value) -> str | None:
    """How to write a list, when text was written where a list belongs."""
    if "array" not in (expected if isinstance(expected, list) else [expected]) \
            or not isinstance(value, str):
        return None
    if value.lstrip()[:1] in ("【", "［", "〔"):
        return _("a list is written in ordinary square brackets, [a, b], not 【】 or ［］; or "
                 "one item per line starting with `- `")
    return _("write one item per line starting with `- `, under the field with nothing after "
             "its colon, or [a, b] in ordinary square brackets")


def describe_schema_error(error: jsonschema.ValidationError) -> str:
    """One sentence: where in the data, what was expected, what was found."""
    where = ".".join(str(p) for p in error.absolute_path) or _("(top level)")
    validator, limit, value = error.validator, error.validator_value, error.instance
    if validator == "required":
        missing = _QUOTED.search(error.message)
        return _("{where}: the field `{field}` is required").format(
            where=where, field=missing.group(1) if missing else "?")
    if validator in ("additionalProperties", "unevaluatedProperties"):
        names = [name for name in _QUOTED.findall(error.message)
                 if isinstance(value, dict) and name in value]
        slip = next(filter(None, map(name_slip, names)), None)
        if slip:
            return _("{where}: {problem}").format(where=where, problem=slip)
        return _("{where}: unknown field {fields} — check the spelling of the field "
                 "name").format(where=where, fields=", ".join(f"`{n}`" for n in names) or "?")
    if validator == "type":
        message = _("{where}: expected {expected}, got {received} {value}").format(
            where=where, expected=_type_words(limit),
            received=_(_TYPE_WORDS[_json_type(value)]), value=_shown(value))
        hint = _list_hint(limit, value)
        return _("{problem} — {hint}").format(problem=message, hint=hint) if hint else message
    if validator == "enum":
        return _("{where}: {value} is not one of {choices}").format(
            where=where, value=_shown(value), choices=", ".join(map(str, limit)))
    if validator == "const":
        return _("{where}: must be {expected!r}, got {value}").format(
            where=where, expected=limit, value=_shown(value))
    if validator == "pattern":
        # a regular expression means nothing to an editor; the field's description does
        described = error.schema.get("description") if isinstance(error.schema, dict) else None
        expected = described or _("text matching {pattern}").format(pattern=limit)
        return _("{where}: {value} is not in the expected form — {expected}").format(
            where=where, value=_shown(value), expected=expected)
    if validator in ("minimum", "exclusiveMinimum"):
        return _("{where}: {value} is less than the minimum {limit}").format(
            where=where, value=_shown(value), limit=limit)
    if validator in ("maximum", "exclusiveMaximum"):
        return _("{where}: {value} is greater than the maximum {limit}").format(
            where=where, value=_shown(value), limit=limit)
    if validator == "minLength":
        return (_("{where}: must not be empty") if limit == 1 else
                _("{where}: must be at least {limit} characters long")).format(
                    where=where, limit=limit)
    if validator == "maxLength":
        return _("{where}: is {length} characters long, more than the {limit} "
                 "allowed").format(where=where, length=len(value), limit=limit)
    if validator == "minItems":
        return (_("{where}: must list at least one entry") if limit == 1 else
                _("{where}: must list at least {limit} entries")).format(
                    where=where, limit=limit)
    if validator == "maxItems":
        return _("{where}: lists {count} entries, more than the {limit} allowed").format(
            where=where, count=len(value), limit=limit)
    if validator == "uniqueItems":
        return _("{where}: lists the same entry twice").format(where=where)
    if validator == "format":
        return _("{where}: {value} is not a valid {format}").format(
            where=where, value=_shown(value), format=limit)
    return _("{where}: {problem}").format(where=where, problem=error.message)


def error_location(error: jsonschema.ValidationError) -> tuple:
    """The data path an error is about: for an unknown field, the field itself."""
    path = tuple(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties") \
            and isinstance(error.instance, dict):
        unknown = [name for name in _QUOTED.findall(error.message) if name in error.instance]
        if unknown:
            return (*path, unknown[0])
    return path


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
            raise ConfigError(_("configuration file is missing"), path=shown,
                              hint=_("create it (see docs/configuration.md); it must exist "
                                     "for this command"))
        return (default, YamlResult()) if with_lines else default
    if path.is_symlink():
        raise ConfigError(_("configuration file is a symbolic link"), path=shown,
                          hint=_("replace the link with the file itself"))
    raw = path.read_bytes()
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(_("configuration file is {size} bytes, over the {limit} byte "
                            "limit").format(size=len(raw), limit=MAX_CONFIG_BYTES), path=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(_("file is not valid UTF-8"), path=shown, line=line,
                          hint=_("save it as UTF-8")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = parse_yaml(text)
    if result.problems:
        p = result.problems[0]
        raise ConfigError(p.message, path=shown, line=p.line)
    data = result.data if result.data is not None else {}
    if isinstance(data, str):
        from .yamlslips import explain_not_a_mapping

        slip = explain_not_a_mapping(text, 1)
        if slip:
            raise ConfigError(slip[2], path=shown, line=slip[0])
    if isinstance(schema, str):
        schema = _config_schema(schema)
    errors = schema_errors(schema, data)
    if errors:
        first = errors[0]
        line = result.line_of(error_location(first))
        message = describe_schema_error(first)
        if len(errors) > 1:
            message = _("{problem} (and {count} more)").format(problem=message,
                                                               count=len(errors) - 1)
        raise ConfigError(message, path=shown, line=line)
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
    order: int = 0  # position in the navigation (columns.yml `order`)


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    emails: tuple[str, ...]
    keys: tuple[str, ...] = ()
    gpg_fingerprints: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyOwners:
    """Who signs off changes to site policy (``policy_owners`` in reviewers.yml)."""

    name: str
    members: tuple[str, ...]
    levels: int = 1


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
    #: ``policy_owners`` of reviewers.yml; None when the file names no group
    policy_owners: PolicyOwners | None = None
    #: where the trusted parts of the policy were read from (reviewers, levels, rule
    #: severities, link approvals): the site root, or on a pull request a copy of the
    #: base commit's site_config/ (see govpub.review.base_policy)
    trusted_root: Path | None = None

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def review_dir(self) -> Path:
        return self.root / REVIEW_DIR

    @property
    def config_dir(self) -> Path:
        return self.root / CONFIG_DIR

    @property
    def trusted_config_root(self) -> Path:
        """The root whose site_config/ holds the approvals the checks trust (links.yml)."""
        return self.trusted_root or self.root

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
        raise ConfigError(_("folder of content-type schemas is missing"),
                          path=types_dir.relative_to(root),
                          hint=_("add site_config/types/<type>.schema.json for every type"))
    schemas = {}
    for path in sorted(types_dir.glob("*.schema.json")):
        shown = path.relative_to(root)
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(_("schema is not valid UTF-8"), path=shown) from None
        except json.JSONDecodeError as exc:
            raise ConfigError(_("invalid JSON: {problem}").format(problem=exc.msg), path=shown,
                              line=exc.lineno) from None
        try:
            if not _certainly_valid(schema):  # (else the full check: it names the problem)
                jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise ConfigError(_("not a valid JSON Schema 2020-12: {problem}").format(
                problem=exc.message), path=shown) from None
        schemas[path.name.removesuffix(".schema.json")] = schema
    return schemas


def _certainly_valid(schema) -> bool:
    from .schemaquick import certainly_valid

    try:
        return certainly_valid(schema)
    except RecursionError:  # nested deeper than the walk goes: the full check decides
        return False


SHARED_SCHEMA_NAMES = frozenset({"common"})


def schema_registry(type_schemas: dict[str, dict]) -> referencing.Registry:
    """Let type schemas ``$ref`` each other by file name (``common.schema.json#/$defs/…``)."""
    resources = [(f"{name}.schema.json",
                  referencing.Resource.from_contents(
                      schema, default_specification=referencing.jsonschema.DRAFT202012))
                 for name, schema in type_schemas.items()]
    return referencing.Registry().with_resources(resources)


def _refuse_shared_identities(reviewers: dict[str, Reviewer]) -> None:
    """A person is every address and key listed for them: one address or key listed for
    two reviewers would make each one's commits the other's too."""
    owner: dict[str, str] = {}
    for reviewer in reviewers.values():
        marks = [*reviewer.emails, *(" ".join(k.split()[:2]) for k in reviewer.keys),
                 *(f.upper() for f in reviewer.gpg_fingerprints)]
        for mark in dict.fromkeys(marks):
            other = owner.setdefault(mark, reviewer.id)
            if other != reviewer.id:
                shown = mark if "@" in mark else mark[:40] + "…"
                raise ConfigError(
                    _("{identity} is listed for both {first} and {second}").format(
                        identity=shown, first=other, second=reviewer.id),
                    path=Path(CONFIG_DIR) / "reviewers.yml",
                    hint=_("each address and key belongs to one person; remove it from one "
                           "of them"))


def _policy_owners(data: dict | None, reviewers: dict[str, Reviewer]) -> PolicyOwners | None:
    if not data:
        return None
    for member in data["members"]:
        if member not in reviewers:
            raise ConfigError(_("policy_owners lists {member}, who is not a reviewer").format(
                member=repr(member)), path=Path(CONFIG_DIR) / "reviewers.yml",
                hint=_("list the member under reviewers: first, or remove the id"))
    members = tuple(dict.fromkeys(data["members"]))
    levels = data.get("levels", 1)
    if levels > len(members):
        raise ConfigError(_("policy_owners needs {levels} distinct members to sign off, but "
                            "has {count}").format(levels=levels, count=len(members)),
                          path=Path(CONFIG_DIR) / "reviewers.yml",
                          hint=_("add members or lower policy_owners.levels"))
    return PolicyOwners(name=data["name"], members=members, levels=levels)


def load_trusted_parts(root: Path) -> dict:
    """The parts of the policy that decide who may approve what and how strictly: the
    reviewers, their levels, the policy owners and the reason codes (reviewers.yml) and
    the rule severities (rules.yml), as :class:`Policy` fields. A pull request is judged
    with the base's (govpub.review.base_policy)."""
    config_dir = Path(root) / CONFIG_DIR
    reviewers_data, reviewers_yaml = load_config_file(config_dir / "reviewers.yml", "reviewers",
                                                      root=root, with_lines=True)
    rules_data, rules_yaml = load_config_file(config_dir / "rules.yml", "rules", required=False,
                                              default={}, root=root, with_lines=True)
    reviewers = {}
    for index, entry in enumerate(reviewers_data["reviewers"]):
        if entry["id"] in reviewers:
            raise ConfigError(_("reviewer id {id!r} is listed twice").format(id=entry["id"]),
                              path=Path(CONFIG_DIR) / "reviewers.yml",
                              line=reviewers_yaml.line_of(("reviewers", index, "id")))
        reviewers[entry["id"]] = Reviewer(
            id=entry["id"], name=entry["name"],
            emails=tuple(e.lower() for e in entry["emails"]),
            keys=tuple(entry.get("keys", [])),
            gpg_fingerprints=tuple(entry.get("gpg_fingerprints", [])))

    codes = [r["code"] for r in reviewers_data.get("reject_reasons", [])]
    for code in {c for c in codes if codes.count(c) > 1}:
        raise ConfigError(f"reason code {code!r} is listed twice in reject_reasons",
                          path=Path(CONFIG_DIR) / "reviewers.yml")
    _refuse_shared_identities(reviewers)
    owners = _policy_owners(reviewers_data.get("policy_owners"), reviewers)

    from .rules import registry  # local import: rules import config

    overrides = {}
    for rule_id, severity in (rules_data.get("severity") or {}).items():
        rule = registry.get(rule_id)
        line = rules_yaml.line_of(("severity", rule_id))
        if rule is None:
            raise ConfigError(_("unknown rule {rule!r} in severity overrides").format(
                rule=rule_id), path=Path(CONFIG_DIR) / "rules.yml", line=line,
                hint=_("run `govpub rules` for the list of ids"))
        sev = Severity.parse(severity)
        if rule.locked and sev != rule.severity:
            raise ConfigError(
                _("rule {rule} guards publication; its severity ({severity}) cannot be changed "
                  "to {wanted}").format(rule=rule_id, severity=rule.severity, wanted=sev),
                path=Path(CONFIG_DIR) / "rules.yml", line=line,
                hint=_("remove the override; use a page's `allow:` entry for reviewed "
                       "exceptions"))
        overrides[rule_id] = sev

    return {"reviewers": reviewers, "review_levels": reviewers_data.get("levels", 1),
            "column_levels": reviewers_data.get("column_levels", {}),
            "policy_owners": owners, "severity_overrides": overrides,
            "reject_reasons": reviewers_data.get("reject_reasons", [])}


def load_policy(root: Path) -> Policy:
    """Load and validate the policy of the repository at ``root``."""
    root = Path(root).resolve()
    config_dir = root / CONFIG_DIR
    if not config_dir.is_dir():
        raise ConfigError(_("no site_config/ folder here"), path=root,
                          hint=_("run govpub from the root of a site repository, or pass "
                                 "--root"))
    site, site_yaml = load_config_file(config_dir / "site.yml", "site", root=root,
                                       with_lines=True)
    try:
        ZoneInfo(site["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(_("unknown time zone {zone!r}").format(zone=site["timezone"]),
                          path=Path(CONFIG_DIR) / "site.yml",
                          line=site_yaml.line_of(("timezone",)),
                          hint=_("use an IANA name such as Asia/Shanghai")) from None
    columns_data, columns_yaml = load_config_file(config_dir / "columns.yml", "columns",
                                                  root=root, with_lines=True)
    all_schemas = _load_type_schemas(config_dir, root)
    type_schemas = {k: v for k, v in all_schemas.items() if k not in SHARED_SCHEMA_NAMES}

    columns = {}
    for folder, spec in columns_data["columns"].items():
        if spec["type"] not in type_schemas:
            raise ConfigError(
                _("column {folder!r} has type {type!r}, which has no schema").format(
                    folder=folder, type=spec["type"]),
                path=Path(CONFIG_DIR) / "columns.yml",
                line=columns_yaml.line_of(("columns", folder, "type")),
                hint=_("add site_config/types/{type}.schema.json or fix the type").format(
                    type=spec["type"]))
        columns[folder] = Column(
            folder=folder, type=spec["type"], title=spec["title"],
            title_en=spec.get("title_en", spec["title"]), owner=spec["owner"],
            cadence_days=spec.get("cadence_days"), dated=spec.get("dated", False),
            kind=spec.get("kind", "static"), line=columns_yaml.line_of(("columns", folder)),
            order=spec.get("order", 0))

    trusted = load_trusted_parts(root)
    return Policy(root=root, site=site, columns=columns, type_schemas=type_schemas,
                  schemas=schema_registry(all_schemas), **trusted)
