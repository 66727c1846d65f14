"""``data.json`` (DCAT / Project Open Data v1.1 catalog) and ``api/openapi.json`` (OpenAPI 3.1).

Both describe the datasets the build writes; ``data.json`` doubles as the
information resource catalog of the work plan. Pure functions of the site
settings and the datasets' ``modified`` times.
"""

from __future__ import annotations

from dataclasses import dataclass

POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
#: version of the file formats; raise it when a field changes meaning or goes away
API_VERSION = "1.0.0"


@dataclass(frozen=True)
class Dataset:
    identifier: str  # stable short name: "catalog"
    title: str
    description: str
    keywords: tuple[str, ...]
    distributions: tuple[tuple[str, str, str | None], ...]  # (path, media type, schema path)
    modified: str | None


def _publisher(site: dict) -> dict:
    return {"@type": "org:Organization", "name": site.get("organizer") or site["name"]}


def data_json(site: dict, base_url: str, datasets: list[Dataset]) -> dict:
    entries = []
    for ds in datasets:
        distributions = []
        for path, media_type, schema_path in ds.distributions:
            dist = {"@type": "dcat:Distribution", "downloadURL": base_url + path,
                    "mediaType": media_type, "format": path.rsplit(".", 1)[-1].upper(),
                    "title": f"{ds.title} ({path.rsplit('.', 1)[-1].upper()})"}
            if schema_path:
                dist["describedBy"] = base_url + schema_path
                dist["describedByType"] = "application/schema+json"
            distributions.append(dist)
        entry = {"@type": "dcat:Dataset", "identifier": base_url + f"data.json#{ds.identifier}",
                 "title": ds.title, "description": ds.description,
                 "keyword": list(ds.keywords), "publisher": _publisher(site),
                 "accessLevel": "public", "language": ["zh"],
                 "landingPage": base_url + "open-data/",
                 "distribution": distributions}
        if ds.modified:
            entry["modified"] = ds.modified
        contact = (site.get("contact") or {})
        email = contact.get("email")
        entry["contactPoint"] = {"@type": "vcard:Contact",
                                 "fn": site.get("organizer") or site["name"],
                                 **({"hasEmail": "mailto:" + email} if email else {})}
        entries.append(entry)
    return {"@context": POD_CONTEXT, "@type": "dcat:Catalog", "conformsTo": POD_SCHEMA,
            "describedBy": POD_SCHEMA + "/catalog.json", "dataset": entries}


def _get(summary: str, schema: str | None, media_type: str = "application/json",
         parameters: list | None = None) -> dict:
    content = {media_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}}
               if schema else {"schema": {"type": "string"}}}
    operation = {"summary": summary, "responses": {"200": {"description": summary,
                                                            "content": content}}}
    if parameters:
        operation["parameters"] = parameters
        operation["responses"]["404"] = {"description": "No published item with this code."}
    return {"get": operation}


def openapi(site: dict, base_url: str, schema_files: dict[str, dict]) -> dict:
    """OpenAPI 3.1 for the static files; the schemas are embedded under components."""
    components = {name.removesuffix(".schema.json"): schema
                  for name, schema in sorted(schema_files.items())}
    code = [{"name": "code", "in": "path", "required": True,
             "description": "Basic code of the service item.", "schema": {"type": "string"}}]
    atom = "application/atom+xml"
    paths = {
        "/api/catalog.json": _get("The service catalog", "catalog"),
        "/api/catalog.csv": _get("The service catalog as CSV (UTF-8 with BOM)", None,
                                 "text/csv"),
        "/api/items/{code}.json": _get("One service item", "item", parameters=code),
        "/api/reproductions.json": _get("Reproduced Central Government items",
                                        "reproductions"),
        "/api/notices.json": _get("Notices", "notices"),
        "/api/policies.json": _get("Policies", "policies"),
        "/data.json": _get("Catalog of the open datasets (DCAT, Project Open Data v1.1)", None),
        "/feeds/all.xml": _get("Atom feed of everything", None, atom),
        "/feeds/notices.xml": _get("Atom feed of notices", None, atom),
        "/feeds/policies.xml": _get("Atom feed of policies", None, atom),
        "/feeds/reproduced.xml": _get("Atom feed of reproductions", None, atom),
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": f"{site['name']} open data",
                 "version": API_VERSION,
                 "description": "Static, read-only files regenerated by every build from "
                                "reviewed content only."},
        "servers": [{"url": base_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": components},
    }
