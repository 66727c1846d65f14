"""Links in content: extraction (shared), external-link approval and health.

- :func:`govpub.links.extract.extract_links` — every link in a Markdown text.
- :mod:`govpub.links.approval` — ``site_config/links.yml``: which outside
  sites may be linked, by whom approved, until when.
- :func:`govpub.links.health.check_approved_links` — are the approved sites
  still reachable (for ``govpub audit --links``; needs the internet).
"""

from .extract import Link, extract_links, mask_code


def body_links(doc) -> list[Link]:
    """``extract_links(doc.body)``, computed once per document (in the worker that loaded it)."""
    return doc.derive("body-links", lambda d: extract_links(d.body))


__all__ = ["Link", "body_links", "extract_links", "mask_code"]
