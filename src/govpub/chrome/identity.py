"""The site's identity (国办发〔2017〕47号) as the footer of every page shows it.

From ``site_config/site.yml``: 主办单位 (and 承办单位), address, postcode,
telephone, e-mail, 网站标识码, ICP备案号 (linked to the MIIT filing system),
公安机关备案号 (linked with its record code, with the filing icon), the
党政机关网站开办单位标识 (image and verification link) and the pages every
footer links to (site map, about, contact, privacy and copyright).

:func:`require_identity` refuses to build a site without these fields
(a :class:`~govpub.errors.ConfigError` naming site.yml and the line);
:func:`footer_identity` turns them into plain data for any renderer.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config import CONFIG_DIR, _config_schema, describe_schema_error, schema_errors
from ..errors import ConfigError
from ..i18n import _
from ..sitemodel import page_url
from ..yamlstrict import parse_yaml

SITE_FILE = f"{CONFIG_DIR}/site.yml"
ICP_URL = "https://beian.miit.gov.cn/"
PUBLIC_SECURITY_URL = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"
SITE_MAP_PAGE = "sitemap.md"
FOOTER_PAGE_KEYS = ("about", "contact", "privacy")
#: theme file shown where site.yml names no image of the mark (the demo)
MARK_PLACEHOLDER = "images/government-mark-placeholder.svg"
PUBLIC_SECURITY_ICON = "images/public-security-record.svg"


def require_identity(policy) -> None:
    """Raise a ConfigError (site.yml, line) when an identity field is missing."""
    errors = schema_errors(_config_schema("identity"), policy.site)
    if not errors:
        return
    first = errors[0]
    line = 1
    site_file = Path(policy.root) / SITE_FILE
    try:
        parsed = parse_yaml(site_file.read_bytes().decode("utf-8-sig").replace("\r\n", "\n"))
        line = parsed.line_of(tuple(first.absolute_path))
    except (OSError, UnicodeDecodeError):
        pass
    raise ConfigError(_("{problem}: every page must show the site's identity "
                        "(国办发〔2017〕47号)").format(problem=describe_schema_error(first)),
                      path=SITE_FILE, line=line,
                      hint=_("add it to site.yml (see docs/configuration.md)"))


def public_security_code(record: str) -> str:
    """The digits of 京公网安备11010802025209号: the record code its link carries."""
    digits = re.findall(r"\d+", record)
    return max(digits, key=len) if digits else ""


def footer_identity(site: dict, published: set[str]) -> tuple[dict, list[str]]:
    """The footer's data, and a warning for each configured page or image not published.

    ``published`` holds the content paths of every page and attachment the
    build publishes; a footer link to anything else is left out (a broken
    link in every page's footer is worse than a missing one), with a warning.
    """
    warnings: list[str] = []
    contact = site.get("contact") or {}
    mark = site.get("government_mark") or {}
    image = mark.get("image")
    if image and image not in published:
        warnings.append(_("site.yml government_mark.image: content/{path} is not published; "
                          "the footer shows the placeholder").format(path=image))
        image = None
    record = site.get("public_security_record", "")
    identity = {
        "name": site.get("name", ""),
        "name_en": site.get("name_en") or site.get("name", ""),
        "organizer": site.get("organizer", ""),
        "organizer_en": site.get("organizer_en") or site.get("name_en")
        or site.get("organizer", ""),
        "undertaker": site.get("undertaker"),
        "undertaker_en": site.get("undertaker_en") or site.get("undertaker"),
        "address": contact.get("address", ""),
        "address_en": contact.get("address_en") or contact.get("address", ""),
        "postcode": contact.get("postcode", ""),
        "phone": contact.get("phone", ""),
        "email": contact.get("email", ""),
        "site_code": site.get("site_code", ""),
        "icp": site.get("icp", ""),
        "icp_url": ICP_URL,
        "public_security_record": record,
        "public_security_url": PUBLIC_SECURITY_URL.format(code=public_security_code(record)),
        "public_security_icon": PUBLIC_SECURITY_ICON,
        "mark_url": mark.get("url", ""),
        "mark_image": image or MARK_PLACEHOLDER,
        "mark_is_placeholder": not image,
        "mark_is_attachment": bool(image),
    }
    pages = {}
    configured = site.get("footer_pages") or {}
    for language, key in (("zh-CN", "zh"), ("en", "en")):
        links = {"site_map": page_url(SITE_MAP_PAGE)}
        for name in FOOTER_PAGE_KEYS:
            path = (configured.get(key) or {}).get(name) or (configured.get("zh") or {}).get(name)
            if not path:
                continue
            if path in published:
                links[name] = page_url(path)
            elif key == "zh" or (configured.get(key) or {}).get(name):
                warnings.append(_("site.yml footer_pages.{language}.{name}: content/{path} is "
                                  "not published; the footer leaves the link out").format(
                                      language=key, name=name, path=path))
        pages[language] = links
    identity["pages"] = pages
    return identity, warnings
