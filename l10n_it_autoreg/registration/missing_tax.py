"""The purchase tax a refused document waits for (``tax_not_found``), as
the company would create it with "Create this tax": what it is (rate,
Natura, split payment or reverse charge), its name, and the existing taxes
whose distribution, accounts and tax group it copies.

Pure Python: the engine stores the key the decisions give
(``taxes.tax_key``) on the bill; the bill's action reads it back here.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .amounts import r2
from .document import REVERSE_CHARGE_PREFIX
from .taxes import (
    EXEMPT,
    NORMAL,
    REVERSE_CHARGE,
    SPLIT_PAYMENT,
    SPLIT_PAYMENT_CODE,
    STANDARD_RATE,
    tax_key,
)

# The law reference of a split payment tax (l10n_it_law_reference).
SPLIT_PAYMENT_LAW = "Art. 17-ter DPR 633/1972"


@dataclass(frozen=True)
class MissingTax:
    """The tax of a key: the document's rate and Natura, split payment."""

    rate: Decimal  # AliquotaIVA of the document, to the cent
    nature: str | None = None
    split: bool = False

    @classmethod
    def from_key(cls, key):
        """The MissingTax of a stored key, None when it is none."""
        rate, sep, code = (key or "").partition("|")
        try:
            rate = r2(Decimal(rate))
        except (InvalidOperation, ValueError):
            return None
        if not sep or rate < 0:
            return None
        if code == SPLIT_PAYMENT_CODE:
            return cls(rate, None, True) if rate else None
        return cls(rate, code or None) if rate or code else None

    @property
    def key(self):
        return tax_key(self.rate, self.nature, self.split)

    @property
    def kind(self):
        if self.nature and self.nature.startswith(REVERSE_CHARGE_PREFIX):
            return REVERSE_CHARGE
        if self.nature:
            return EXEMPT
        return SPLIT_PAYMENT if self.split else NORMAL

    @property
    def negative(self):
        """A +100% / -100% tax: the buyer owes the VAT it deducts."""
        return self.kind in (REVERSE_CHARGE, SPLIT_PAYMENT)

    @property
    def amount(self):
        """The rate of the tax to create: a reverse charge written at 0% in
        the document integrates the standard rate."""
        if self.kind == REVERSE_CHARGE and not self.rate:
            return STANDARD_RATE
        return self.rate

    @property
    def label(self):
        """The rate as the chart writes it: ``22%``, ``15.55%``."""
        return f"{self.amount.normalize():f}%"

    @property
    def name(self):
        """The tax's name, like the chart's (``22% G``, ``22% RC N6.1``,
        ``0% N4``)."""
        return {
            NORMAL: self.label,
            SPLIT_PAYMENT: f"{self.label} SP",
            EXEMPT: f"{self.label} {self.nature}",
            REVERSE_CHARGE: f"{self.label} RC {self.nature}",
        }[self.kind]


def _closest(candidates, amount, family=None):
    """The candidate of the closest rate (the same Natura family first),
    active ones first, the company's default purchase tax first."""
    if not candidates:
        return None
    return sorted(
        candidates,
        key=lambda t: (
            family is not None and (t.nature or "").split(".")[0] != family,
            abs(t.amount - amount),
            not t.active,
            not t.default,
        ),
    )[0]


def nearest_taxes(missing, taxes):
    """(model, negative_model) among the company's purchase taxes
    (taxes.TaxInfo): the tax whose distribution, accounts and tax group the
    new tax copies, and for a +/- tax whose model has no negative line, the
    tax whose -100% lines it copies.  None when the company has none."""
    vat = [t for t in taxes if t.is_vat]
    plain = [t for t in vat if not t.negative and not t.nature]
    reverse = [
        t
        for t in vat
        if t.negative
        and t.amount > 0
        and (t.rc_tags or (t.nature or "").startswith(REVERSE_CHARGE_PREFIX))
    ]
    amount = missing.amount
    kind = missing.kind
    if kind == REVERSE_CHARGE:
        model = _closest(reverse, amount) or _closest(plain, amount)
        return model, None
    if kind == SPLIT_PAYMENT:
        return _closest(plain, amount), _closest(reverse, amount)
    if kind == EXEMPT:
        exempt = [
            t
            for t in vat
            if not t.negative and t.nature and not t.nature.startswith(REVERSE_CHARGE_PREFIX)
        ]
        family = missing.nature.split(".")[0]
        return _closest(exempt, amount, family) or _closest(plain, amount), None
    return _closest(plain, amount), None
