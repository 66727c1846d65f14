"""GP210–GP213: the four-eyes checks of the pull-request mode.

They live in :mod:`govpub.review.four_eyes` (they need git history and run
only under ``govpub check --changed-since REF``); registering them here puts
them in ``govpub rules`` and the generated rules page.
"""

from __future__ import annotations

from ..review.four_eyes import RULES
from . import register

for _rule in RULES:
    register(_rule)
