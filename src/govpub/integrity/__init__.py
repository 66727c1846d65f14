"""Site integrity after the build: the signed manifest and the link check.

- :func:`govpub.integrity.manifest.write_manifest` — the build's last stage.
- :func:`govpub.integrity.manifest.verify_site` — ``govpub verify``.
- :func:`govpub.integrity.linkcheck.check_site_links` — broken internal links
  and anchors in a built site.
"""
