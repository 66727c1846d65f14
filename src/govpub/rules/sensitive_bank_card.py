"""GP503: bank card numbers."""

from __future__ import annotations

from ..i18n import N_
from ..sensitive.cards import find_cards
from ..sensitive.rulebase import SensitiveRule
from . import register


@register
class BankCardNumber(SensitiveRule):
    """A bank card number appears in a page or attachment.

    What it checks: 16–19 digit numbers (plain or in groups of four) with a
    valid Luhn checksum that also start with a card-scheme prefix (UnionPay
    62, Visa 4, Mastercard 51–55/2221–2720, JCB 35, 60, 65, 9) or stand on a
    line that names a card or account (卡号, 银行卡, 账号 …). Service item
    codes (12 digits) and identity numbers are not cards.
    Why: a card number is financial personal information.
    Example: `退费账户：6222 0202 0000 0000 006` (reported as `6222***********0006`).
    Fix: remove it. Fee payment instructions name the agency's receiving
    account through the official fee notice, not a person's card.
    """

    id = "GP503"
    name = "bank-card-number"
    what = N_("bank card number")
    fix = N_("remove it")

    def detect(self, text, ctx):
        return find_cards(text)

    def detect_segment(self, segment, ctx):
        # only the lines that may hold a number (sensitive.numbers)
        return find_cards(segment.text, segment.number_lines)
