"""Where a refusal points in the document: the figures that did not match.

A not recognized bill stores a short key (``l10n_it_autoreg_focus``), made
here when the refusal is raised, so that the readable e-invoice highlights
the VAT summary rows and lines of a rate, the total, the withholding, the
pension fund or the payment block the reason speaks of.  Reasons that always
point at the same place (a supplier, the document type, the schedule) need
no key: ``CODE_BLOCKS`` says where they point.

A key is a blank-separated list of words: ``vat:22.00|`` (the rate 22%, no
Natura), ``vat:0.00|N2.2``, ``total``, ``withholding``, ``pension``,
``payment``, ``stamp``, ``line:3`` (NumeroLinea 3).  Pure Python.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .amounts import fmt, r2

TOTAL = "total"
WITHHOLDING = "withholding"
PENSION = "pension"
PAYMENT = "payment"
STAMP = "stamp"
SELLER = "seller"
BUYER = "buyer"
DOCUMENT_TYPE = "document_type"
NUMBER = "number"
CURRENCY = "currency"
BLOCKS = frozenset(
    (TOTAL, WITHHOLDING, PENSION, PAYMENT, STAMP, SELLER, BUYER, DOCUMENT_TYPE, NUMBER, CURRENCY)
)

# Reason codes that always point at the same block of the document.
CODE_BLOCKS = {
    "own_invoice": SELLER,
    "supplier_ambiguous": SELLER,
    "supplier_not_found": SELLER,
    "supplier_manual": SELLER,
    "supplier_invalid": SELLER,
    "not_for_company": BUYER,
    "self_invoice": DOCUMENT_TYPE,
    "document_type_unknown": DOCUMENT_TYPE,
    "duplicate": NUMBER,
    "currency_not_found": CURRENCY,
    "currency_inactive": CURRENCY,
    "currency_rate_missing": CURRENCY,
    "payment_schedule_mismatch": PAYMENT,
    "withholding_not_configured": WITHHOLDING,
    "pension_fund_not_configured": PENSION,
}


def vat_focus(*keys):
    """The key of VAT keys ((rate, Natura) as registration.taxes.vat_key)."""
    return " ".join(f"vat:{fmt(rate)}|{nature or ''}" for rate, nature in keys)


def line_focus(*numbers):
    return " ".join(f"line:{number}" for number in numbers if number is not None)


def join(*keys):
    """Several keys as one (empty parts left out)."""
    return " ".join(key for key in keys if key) or None


@dataclass(frozen=True)
class Focus:
    """What to highlight: VAT keys ((rate to the cent, Natura or None)),
    blocks (the names above) and line numbers."""

    vat_keys: frozenset = field(default_factory=frozenset)
    blocks: frozenset = field(default_factory=frozenset)
    lines: frozenset = field(default_factory=frozenset)

    def __bool__(self):
        return bool(self.vat_keys or self.blocks or self.lines)

    def has_vat(self, rate, nature):
        """Whether the row or line of ``rate`` + ``nature`` is pointed at."""
        if not self.vat_keys:
            return False
        try:
            key = (r2(rate or 0), (nature or "").strip().upper() or None)
        except InvalidOperation:
            return False
        return key in self.vat_keys


def parse_focus(text, code=None):
    """The Focus of a stored key and reason code (words it does not know are
    ignored: a key written by a later version never breaks the view)."""
    vat_keys, blocks, lines = set(), set(), set()
    if code in CODE_BLOCKS:
        blocks.add(CODE_BLOCKS[code])
    for word in (text or "").split():
        kind, _sep, value = word.partition(":")
        if kind == "vat" and "|" in value:
            rate, _bar, nature = value.partition("|")
            try:
                vat_keys.add((r2(Decimal(rate)), nature.upper() or None))
            except (InvalidOperation, ValueError):
                continue
        elif kind == "line" and value.isdigit():
            lines.add(int(value))
        elif word in BLOCKS:
            blocks.add(word)
    return Focus(frozenset(vat_keys), frozenset(blocks), frozenset(lines))
