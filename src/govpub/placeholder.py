"""The one marker for "still to be written".

Every skeleton govpub writes (``govpub new``, ``govpub reproduce``) puts
:data:`MARKER` wherever a person must still supply text. A page that carries
it anywhere — front matter or body — is not done: a blocking rule keeps it
off the public site and ``govpub review approve`` refuses it. One marker,
defined here, so that the rule, the skeletons and the docs cannot drift apart.
"""

from __future__ import annotations

#: Full-width brackets make it stand out in Chinese text and it cannot be
#: mistaken for real content; it is valid inside a quoted YAML string.
MARKER = "【待填写】"


def fill_in(what: str) -> str:
    """A placeholder naming what is missing: ``【待填写】发文机关``."""
    return f"{MARKER}{what}"


def carries_marker(text: str) -> bool:
    return MARKER in text
