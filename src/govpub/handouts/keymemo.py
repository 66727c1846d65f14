"""The cache key of each item's handout, kept between builds so the guides are not made again.

A handout's cache key (:meth:`~govpub.handouts.document.HandoutSource.key`) is
the SHA-256 of its source, and making the source means making the item's
service guide again (``govpub.build.serviceitem.guide_markdown``): at 10,000
pages, 1,000 guides, most of the handout step's time in a rebuild where no
item changed. This memo maps everything a source is made of to its key:

- the site key of the render (``govpub.build.fingerprint``): govpub's code,
  ``site_config/`` (site name, base URL, time zone), the installed packages
  (Python-Markdown) and the environment; no site key, no memo;
- what the guide reads of the rest of the site: the path of every approved
  page and attachment (links are made only to approved ones), and every
  approved guide's path, metadata and body (the guides listed for an item);
- the item page itself: path, type, URL, publication and update times, the
  sign-off digest, the metadata and the body as loaded.

A fingerprint is a BLAKE2b digest of these, so a key is reused only for the
very same inputs; an item with a memoized key whose PDF is missing is made
from its source (and keyed by it) before it is printed. The memo is kept in
memory (``govpub serve``) and in the cache folder (:mod:`govpub.cachedir`),
sealed: a damaged file is ignored. It holds the items of the last build.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import markdown

from ..cachedir import cache_dir_for
from ..opendata.jsonmemo import load_entries, save_entries
from ..sitemodel import Page, SiteModel

FORMAT = b"govpub-handout-keys-1\n"
PLACED_FORMAT = b"govpub-handout-placed-1\n"
MEMO_FILE = "keys.memo"
PLACED_FILE = "placed.memo"
#: memos this process used, by memo file (``govpub serve`` keeps them between rebuilds)
_kept: dict[Path | None, tuple[dict[bytes, str], dict[str, tuple]]] = {}


def _update(digest, *parts: str) -> None:
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")


def site_print(model: SiteModel, site_key: str) -> bytes:
    """What every item's source may read besides the item page (see the module's list)."""
    from .document import LAYOUT_VERSION

    digest = hashlib.blake2b(FORMAT, digest_size=32)
    _update(digest, site_key, LAYOUT_VERSION, markdown.__version__,
            repr(model.policy.site), repr(model.policy.timezone), model.policy.base_url)
    _update(digest, "pages", *sorted(p.path for p in model.pages))
    _update(digest, "attachments", *sorted(a.path for a in model.attachments))
    for guide in sorted((p for p in model.pages if p.type == "guide"), key=lambda p: p.path):
        _update(digest, "guide", guide.path, guide.url, repr(guide.doc.meta), guide.doc.body)
    return digest.digest()


def page_print(site: bytes, page: Page) -> bytes:
    digest = hashlib.blake2b(site, digest_size=32)
    _update(digest, page.path, page.type, page.url, repr(page.published), repr(page.updated),
            page.doc.digest, repr(page.doc.meta), page.doc.body)
    return digest.digest()


class KeyMemo:
    """Handout keys by the fingerprint of their inputs (the last build's and this one's)."""

    def __init__(self, path: Path | None, site: bytes, entries: dict[bytes, str],
                 placed: dict[str, tuple] | None = None):
        self.path = path
        self._site = site
        self._old = entries
        self._new: dict[bytes, str] = {}
        self.hits = 0
        #: site path → (key, file stat) of each handout the last build put in its site folder
        self.placed: dict[str, tuple] = placed or {}
        self.placing: dict[str, tuple] = {}

    def fingerprint(self, page: Page) -> bytes:
        return page_print(self._site, page)

    def get(self, fingerprint: bytes) -> str | None:
        key = self._old.get(fingerprint)
        if key is not None:
            self.hits += 1
        return key

    def put(self, fingerprint: bytes, key: str) -> None:
        self._new[fingerprint] = key

    def keep(self) -> None:
        """Keep what this build used, in memory and (when it changed) in the cache folder."""
        _kept[self.path] = (self._new, self.placing)
        if self._new.keys() != self._old.keys():
            save_entries(self.path, FORMAT, self._new)
        if self.placing != self.placed and self.path is not None:
            save_entries(self.path.with_name(PLACED_FILE), PLACED_FORMAT, self.placing)


def _placements(entries: dict) -> bool:
    return all(type(rel) is str and type(value) is tuple and len(value) == 2
               and type(value[0]) is str and type(value[1]) is tuple and len(value[1]) == 4
               and all(type(n) is int for n in value[1]) for rel, value in entries.items())


def open_memo(model: SiteModel, site_key: str | None) -> KeyMemo | None:
    """The memo for this build; None without a site key (every key is computed)."""
    if not site_key:
        return None
    folder = cache_dir_for(model.policy.root, "handouts")
    path = folder / MEMO_FILE if folder is not None else None
    kept = _kept.pop(path, None)
    if kept is None:
        placed = load_entries(path.with_name(PLACED_FILE), PLACED_FORMAT, _placements) \
            if path is not None else {}
        kept = (load_entries(path, FORMAT), placed)
    return KeyMemo(path, site_print(model, site_key), *kept)
