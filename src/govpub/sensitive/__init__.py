"""Pure detectors of secrets and personal data in text.

Each detector takes one line (or one short string) and yields :class:`Hit`
records with character offsets and a *masked* rendering of what was found —
findings end up in CI logs, so the full secret is never repeated. The rules
in ``govpub/rules/sensitive_*.py`` feed them the body, the front-matter
string values and the extracted text of attachments (see :mod:`.sources`).

Modules: :mod:`.ids` (resident identity numbers), :mod:`.phones` (mobile
numbers), :mod:`.cards` (bank cards), :mod:`.emails`, :mod:`.markings`
(classification and internal-use markings), :mod:`.html` (raw HTML),
:mod:`.extract` (PDF/DOCX text), :mod:`.sources` (what text a document has).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hit:
    """One suspicious span of a line: ``start``/``end`` offsets, a safe description."""

    start: int
    end: int
    shown: str  # masked rendering, safe to print in a log
    detail: str = ""


def mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    """``110105199003071234`` -> ``1101************34`` style masking."""
    chars = [c for c in value if c.isalnum()]
    if len(chars) <= keep_start + keep_end:
        return "*" * len(chars)
    middle = "*" * (len(chars) - keep_start - keep_end)
    return "".join(chars[:keep_start]) + middle + "".join(chars[len(chars) - keep_end:])
