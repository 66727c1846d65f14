"""Open data written by the build from the approved site model.

Outputs (paths relative to the built site):

- ``api/catalog.json``, ``api/catalog.csv`` (UTF-8 with BOM), ``api/items/<code>.json``
- ``api/reproductions.json`` — the watcher's contract: ``{"generated", "items": [{"title",
  "url", "published", "source_url", "source_title", "publisher", "source_published"}]}``
- ``api/notices.json``, ``api/policies.json`` (each with its index number, 索引号)
- ``api/schema/<name>.schema.json`` — a JSON Schema beside every JSON file
- ``data.json`` (DCAT / Project Open Data v1.1) and ``api/openapi.json`` (OpenAPI 3.1)

The input is only a :class:`~govpub.sitemodel.SiteModel`, which never holds a
blocked page, so nothing quarantined can reach these files. Every file is a
pure function of the content: sorted keys, stable order, content times
(never the wall clock), so the same content always gives the same bytes.

Build hook: :func:`write_open_data` is a post-build step ``(model, site_dir, delta)``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..cachedir import cache_dir_for
from ..chrome import index_numbers
from ..filetree import file_stat, link_if_unchanged
from ..sitemodel import SiteModel
from .catalogs import Dataset, data_json, openapi
from .csvfile import catalog_csv
from .jsonmemo import JsonMemo, load_memo
from .records import (
    document_record,
    guides_by_item,
    item_code,
    item_detail,
    item_summary,
    newest,
    reproduction_record,
    service_items,
)
from .schemas import schemas
from .values import dump_json as dump_json_with
from .values import iso

#: item codes that may become a file name (anything else is left out of api/items/)
_SAFE_CODE = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.")


def safe_code(code: str) -> bool:
    """A code usable as a path segment: no separators, no dot-only names, bounded length."""
    return (0 < len(code) <= 64 and set(code) <= _SAFE_CODE and code.strip(".") != "")


def open_data_files(model: SiteModel, memo: JsonMemo | None = None) -> dict[str, bytes]:
    """Every open-data file: site-relative path → bytes (``memo``: see :mod:`.jsonmemo`)."""

    def dump_json(data) -> bytes:
        return dump_json_with(data, memo)

    tz = model.policy.timezone
    base = model.policy.base_url
    files: dict[str, bytes] = {}

    items = [p for p in service_items(model) if safe_code(item_code(p))]
    guides = guides_by_item(model)
    summaries = [item_summary(p, model) for p in items]
    catalog_modified = iso(newest(p.modified for p in items), tz)
    files["api/catalog.json"] = dump_json(
        {"modified": catalog_modified, "count": len(summaries), "items": summaries})
    files["api/catalog.csv"] = catalog_csv(summaries)
    for page, summary in zip(items, summaries, strict=True):
        code = summary["code"]
        files[f"api/items/{code}.json"] = dump_json(
            item_detail(page, model, guides.get(code, []), summary))

    reproductions = model.of_type("reproduction")
    repro_modified = iso(newest(p.published for p in reproductions), tz)
    files["api/reproductions.json"] = dump_json(
        {"generated": repro_modified, "count": len(reproductions),
         "items": [reproduction_record(p, model) for p in reproductions]})

    modified = {"catalog": catalog_modified, "reproductions": repro_modified}
    numbers = index_numbers(model)
    for type_name, name, kind_field in (("notice", "notices", "category"),
                                        ("policy", "policies", "policy_kind")):
        pages = model.of_type(type_name)
        modified[name] = iso(newest(p.modified for p in pages), tz)
        files[f"api/{name}.json"] = dump_json(
            {"modified": modified[name], "count": len(pages),
             "items": [document_record(p, model, kind_field, numbers) for p in pages]})

    schema_files = schemas(base)
    for name, schema in schema_files.items():
        files[f"api/schema/{name}"] = dump_json(schema)
    files["data.json"] = dump_json(data_json(model.policy.site, base, _datasets(modified)))
    files["api/openapi.json"] = dump_json(openapi(model.policy.site, base, schema_files))
    return files


def _datasets(modified: dict[str, str | None]) -> list[Dataset]:
    json_type = "application/json"
    return [
        Dataset("catalog", "政务服务事项目录 Service catalog",
                "Every published service item with its code, type, category, online "
                "handling depth, time limits and channels; the full record of each item is at "
                "its api_url (api/items/<code>.json).",
                ("政务服务", "service catalog", "事项清单"),
                (("api/catalog.json", json_type, "api/schema/catalog.schema.json"),
                 ("api/catalog.csv", "text/csv", None)),
                modified["catalog"]),
        Dataset("notices", "通知公告 Notices", "Published notices, newest first.",
                ("通知公告", "notices"),
                (("api/notices.json", json_type, "api/schema/notices.schema.json"),
                 ("feeds/notices.xml", "application/atom+xml", None)),
                modified["notices"]),
        Dataset("policies", "政策文件 Policies",
                "Published laws, regulations, rules, normative documents and "
                "interpretations with document number and status.",
                ("政策文件", "policies"),
                (("api/policies.json", json_type, "api/schema/policies.schema.json"),
                 ("feeds/policies.xml", "application/atom+xml", None)),
                modified["policies"]),
        Dataset("reproductions", "转载 Reproduced Central Government items",
                "Each reproduced item with its source URL, publisher, source time, "
                "reproduction page and publication time.",
                ("转载", "reproductions"),
                (("api/reproductions.json", json_type, "api/schema/reproductions.schema.json"),
                 ("feeds/reproduced.xml", "application/atom+xml", None)),
                modified["reproductions"]),
    ]


def write_files(files: dict[str, bytes], site_dir: Path, delta=None) -> None:
    """Write generated files under ``site_dir``; paths are ours, never content-supplied.

    With the render's delta (``govpub.build.postbuild.SiteDelta``) naming the site
    this one replaces: a file whose bytes are those the previous site published at
    that path, and that is still the very file published there (same device,
    inode, size and modification time as recorded), is hard-linked from it
    instead: the write, and the manifest's reading of it, are saved (1,000 files
    at 10,000 pages, nearly all the same from one rebuild to the next). The
    digest of each file written is handed to the manifest.
    """
    site_dir = Path(site_dir)
    previous = getattr(delta, "previous_site", None)
    known = getattr(delta, "previous_files", None) or {}
    made: set[Path] = set()
    for rel, data in sorted(files.items()):
        target = site_dir / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if delta is None:
            target.write_bytes(data)
            continue
        digest = hashlib.sha256(data).hexdigest()
        recorded = known.get(rel)
        if not (previous is not None and recorded is not None and recorded[1] == digest
                and link_if_unchanged(Path(previous) / rel, target, recorded[0])):
            target.write_bytes(data)
        written = file_stat(target)
        if written is not None:
            delta.hashed_early[rel] = (written, digest)


#: memos this process used, by memo file (``govpub serve`` keeps them between rebuilds)
_kept: dict[Path | None, JsonMemo] = {}
MEMO_FILE = "json.memo"


def memo_path(model: SiteModel) -> Path | None:
    """The memo's file in the cache folder (outside the repository); None without one."""
    folder = cache_dir_for(model.policy.root, "opendata")
    return folder / MEMO_FILE if folder is not None else None


def write_open_data(model: SiteModel, site_dir: Path, delta=None) -> None:
    """Post-build step: write the open data into the built site folder.

    The JSON text of values already encoded by the last build comes from a memo
    (:mod:`.jsonmemo`): the same bytes, without the cost of the pure-Python encoder;
    a file the previous site published with the same bytes is linked from it
    (:func:`write_files`).
    """
    path = memo_path(model)
    memo = _kept.pop(path, None) or load_memo(path)
    files = open_data_files(model, memo)
    write_files(files, site_dir, delta)
    if memo.changed:
        memo.save(path)
    _kept[path] = memo.next_build()


__all__ = ["open_data_files", "safe_code", "write_files", "write_open_data"]
