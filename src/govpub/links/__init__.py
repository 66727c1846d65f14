"""Links in content: extraction (shared), external-link approval and health.

- :func:`govpub.links.extract.extract_links` — every link in a Markdown text.
- :mod:`govpub.links.approval` — ``site_config/links.yml``: which outside
  sites may be linked, by whom approved, until when.
- :func:`govpub.links.health.check_approved_links` — are the approved sites
  still reachable (for ``govpub audit --links``; needs the internet).
"""

from .extract import Link, extract_links, mask_code

__all__ = ["Link", "extract_links", "mask_code"]
