"""Names and codes of new pages: file-name slugs and service-item codes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

from ..config import Policy
from ..content import load_document
from ..errors import UsageError
from ..i18n import _

SERVICE_ITEM = "service-item"
DEFAULT_CODE_PATTERN = r"^[0-9]{12}$"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 60
#: how far past the highest code to look for a free one before giving up
CODE_SEARCH_LIMIT = 1000


def ascii_slug(title: str, max_words: int = 8) -> str:
    """The Latin words of a title as a slug (``''`` when it has fewer than 3 letters)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    slug = "-".join(words)[:MAX_SLUG].rstrip("-")
    return slug if len(slug) >= 3 else ""


def title_hash(title: str) -> str:
    return hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]


def check_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        raise UsageError(_("--slug {slug!r} is not a valid file name part").format(slug=slug),
                         hint=_("use lower-case letters, digits and single hyphens, at most "
                                "{limit} characters, e.g. --slug fee-adjustment").format(
                                    limit=MAX_SLUG))
    return slug


def item_code_pattern(policy: Policy) -> re.Pattern:
    """The pattern of service-item codes in the type schema (following ``$ref``)."""
    schema = policy.type_schemas.get(SERVICE_ITEM, {})
    prop = schema.get("properties", {}).get("code", {})
    resolver = policy.schemas.resolver()
    for _depth in range(5):
        if "pattern" in prop or "$ref" not in prop:
            break
        resolved = resolver.lookup(prop["$ref"])
        resolver, prop = resolved.resolver, resolved.contents
    return re.compile(prop.get("pattern", DEFAULT_CODE_PATTERN))


def catalog_items(policy: Policy) -> dict[str, tuple[str, dict]]:
    """Every service item's code -> (content path, front matter), from every catalog column.

    A page whose front matter does not load still holds the code of its file name.
    """
    items: dict[str, tuple[str, dict]] = {}
    for column in policy.columns.values():
        if column.type != SERVICE_ITEM:
            continue
        folder = policy.content_dir / column.folder
        for file in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
            if file.is_symlink() or not file.is_file():
                continue
            rel = file.relative_to(policy.content_dir).as_posix()
            doc = load_document(file, rel, max_page_bytes=policy.max_page_bytes,
                                max_attachment_bytes=policy.max_attachment_bytes)
            meta = doc.meta if doc.has_meta else {}
            items.setdefault(file.stem, (rel, meta))
            code = meta.get("code")
            if isinstance(code, str | int) and not isinstance(code, bool):
                items.setdefault(str(code), (rel, meta))
    return items


def _increment(code: str) -> str | None:
    """``000173001010`` -> ``000173001011``: the trailing digits plus one, same width."""
    match = re.search(r"[0-9]+$", code)
    if not match:
        return None
    digits = match.group()
    following = str(int(digits) + 1).zfill(len(digits))
    return None if len(following) > len(digits) else code[:match.start()] + following


def next_item_code(policy: Policy, taken: set[str] | None = None) -> str:
    """The next free code of the agency's sequence in the catalog.

    The sequence is the largest group of codes that share everything but
    their last three characters (the demo: ``000173001xxx``); the next code
    follows its highest one, skipping codes already taken and codes the
    schema's pattern refuses.
    """
    pattern = item_code_pattern(policy)
    taken = taken if taken is not None else set(catalog_items(policy))
    codes = sorted(c for c in taken if pattern.fullmatch(c))
    if not codes:
        raise UsageError(_("the catalog has no service item to continue the code sequence "
                           "from"),
                         hint=_("give the first code with --code (pattern {pattern} in "
                                "site_config/types/service-item.schema.json)").format(
                                    pattern=pattern.pattern))
    groups = Counter(code[:-3] for code in codes)
    prefix = max(groups, key=lambda p: (groups[p], p))
    candidate: str | None = max(c for c in codes if c[:-3] == prefix)
    for _step in range(CODE_SEARCH_LIMIT):
        candidate = _increment(candidate) if candidate else None
        if candidate is None:
            break
        if candidate not in taken and pattern.fullmatch(candidate):
            return candidate
    raise UsageError(_("no free code follows {code} in the catalog's sequence").format(
                         code=max(codes)),
                     hint=_("give the code with --code"))
