"""The locks on the review desk's door.

The desk is a web page on the reviewer's own machine, and behind it is the
reviewer's signing key: a request that gets through can sign an approval.
Every request therefore passes :func:`admit` before anything else runs:

- the server listens on 127.0.0.1 only, on a port the system picks;
- the ``Host`` header must name exactly that address and port, so a
  hostile page whose DNS name is rebound to 127.0.0.1 is refused (its
  requests carry its own host name);
- the path must start with the per-run token (256 random bits, compared in
  constant time): without the address printed in the terminal there is
  nothing to reach, and every relative link of a page keeps the token;
- ``Origin`` (when sent) and ``Sec-Fetch-Site`` must say the request comes
  from the desk itself, or from the address bar (a tab opened on the
  address from elsewhere is let in: it reads and changes nothing);
- a state change is a POST that also carries ``Origin`` and the token in
  its form body, which a cross-site form cannot know.

Pages of the rendered site are served with a sandboxing policy: no script
runs and no form submits, whatever an editor put into the page.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

LOOPBACK = "127.0.0.1"
#: requests a browser sends on its own (typing the address) or from the desk's pages
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
MAX_FORM_BYTES = 64 * 1024

#: every desk page: nothing from elsewhere, no framing by others, no script at all
DESK_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
#: pages of the rendered site (hostile content): a sandbox without scripts or forms
SITE_POLICY = ("sandbox allow-same-origin; default-src 'self'; script-src 'none'; "
               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
               "form-action 'none'; frame-ancestors 'self'; base-uri 'self'")

COMMON_HEADERS = (
    # the token never leaves in a Referer; "no-referrer" would also blank the Origin of the
    # desk's own forms (browsers send "Origin: null" under it), which the door refuses
    ("Referrer-Policy", "same-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _top_level_navigation(method: str, headers) -> bool:
    """The address opened in a browser tab (from the local file the desk opens, or a
    link): it reads nothing across sites and changes nothing, and still needs the token."""
    return (method == "GET" and headers.get("Sec-Fetch-Mode") == "navigate"
            and headers.get("Sec-Fetch-Dest") == "document" and headers.get("Origin") is None)


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str  # for the log and the plain-text answer; never echoes the request


@dataclass(frozen=True)
class Door:
    """What a request must show: the desk's address and its token."""

    port: int
    token: str

    @property
    def host(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    @property
    def prefix(self) -> str:
        return f"/{self.token}/"

    @property
    def address(self) -> str:
        return self.origin + self.prefix

    def token_matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode("utf-8", "surrogateescape"),
                                   self.token.encode())

    def admit(self, method: str, raw_path: str, headers) -> tuple[str, Refusal | None]:
        """(the path after the token, or a refusal) for one request."""
        host = headers.get("Host", "")
        if host != self.host:
            return "", Refusal(421, "wrong Host header (DNS rebinding?)")
        site = headers.get("Sec-Fetch-Site")
        if site is not None and site not in ALLOWED_FETCH_SITES \
                and not _top_level_navigation(method, headers):
            return "", Refusal(403, "cross-site request")
        origin = headers.get("Origin")
        if origin is not None and origin != self.origin:
            return "", Refusal(403, "request from another origin")
        if method == "POST" and origin is None:
            return "", Refusal(403, "a change needs the Origin header")
        path = raw_path.split("?", 1)[0].split("#", 1)[0]
        first, slash, rest = path.lstrip("/").partition("/")
        if not path.startswith("/") or not self.token_matches(unquote(first)) \
                or (not slash and method == "POST"):
            return "", Refusal(404, "not found")
        return rest, None


__all__ = ["COMMON_HEADERS", "DESK_POLICY", "LOOPBACK", "MAX_FORM_BYTES", "SITE_POLICY", "Door",
           "Refusal", "new_token"]
