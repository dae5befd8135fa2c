"""Which purchase tax a figure of the document takes, among plain candidates.

Pure Python: the engine describes the company's purchase taxes as
:class:`TaxInfo` once per batch; a rate is never replaced by another one.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import fmt, r2
from .document import REVERSE_CHARGE_PREFIX
from .focus import PENSION, vat_focus
from .outcome import Refusal, Text, _lt

STANDARD_RATE = Decimal("22.00")


@dataclass(frozen=True)
class TaxInfo:
    """A purchase tax (percent) as the decisions see it."""

    id: int
    name: str
    amount: Decimal  # rate, rounded to the cent
    active: bool = True
    nature: str | None = None  # l10n_it_exempt_reason (N1..N7)
    withholding_type: str | None = None  # l10n_it_withholding_type (RT01..)
    withholding_reason: str | None = None
    pension_type: str | None = None  # l10n_it_pension_fund_type (TC01..)
    negative: bool = False  # a tax repartition line below 0
    rc_tags: frozenset = field(default_factory=frozenset)  # reverse charge grids
    price_include: bool = False
    default: bool = False  # the company's default purchase tax
    sequence: int = 0  # Odoo computes a line's taxes in this order

    @property
    def is_vat(self):
        return (
            not self.withholding_type
            and not self.pension_type
            and self.amount >= 0
            and not self.price_include
        )


# kinds of VAT tax
NORMAL, EXEMPT, REVERSE_CHARGE, SPLIT_PAYMENT = (
    "normal",
    "exempt",
    "reverse_charge",
    "split_payment",
)


def pick(candidates):
    """Active taxes first (then archived ones of the chart), the company's
    default purchase tax first among equals."""
    if not candidates:
        return None
    return sorted(candidates, key=lambda t: (not t.active, not t.default))[0]


def vat_key(rate, nature):
    """The key of a VAT summary row or line: (rate to the cent, Natura)."""
    return r2(rate or 0), (nature or "").upper() or None


SPLIT_PAYMENT_CODE = "S"  # EsigibilitaIVA S


def tax_key(rate, nature=None, split=False):
    """The key of the purchase tax a document waits for, stored on its bill
    when it is refused tax_not_found: ``"22.00|S"`` (split payment),
    ``"0.00|N6.9"`` (a Natura), ``"15.55|"`` (a plain rate)."""
    return "{}|{}".format(fmt(rate), SPLIT_PAYMENT_CODE if split else nature or "")


def choose_vat_tax(key, due, taxes, rc_tag=None):
    """The purchase tax for a VAT summary key ((rate, Natura), EsigibilitaIVA)
    -> (TaxInfo, kind).  ``rc_tag``: the VAT report grid of the key's
    reverse charge Natura."""
    rate, nature = key
    vat_taxes = [t for t in taxes if t.is_vat]
    if nature and nature.startswith(REVERSE_CHARGE_PREFIX):
        return _reverse_charge_tax(rate, nature, vat_taxes, rc_tag), REVERSE_CHARGE
    if nature:
        return _exempt_tax(rate, nature, vat_taxes), EXEMPT
    if due == "S":
        return _split_payment_tax(rate, vat_taxes), SPLIT_PAYMENT
    if not rate:
        raise Refusal(
            "tax_not_found",
            focus=vat_focus(key),
            rate=fmt(rate),
            nature=Text(_lt("without Natura")),
            hint="",
        )
    normal = [t for t in vat_taxes if t.amount == rate and not t.negative and not t.nature]
    chosen = pick(normal)
    if not chosen:
        raise Refusal(
            "tax_not_found",
            missing_tax=tax_key(rate),
            focus=vat_focus(key),
            rate=fmt(rate),
            nature="",
            hint="",
        )
    return chosen, NORMAL


def _reverse_charge_tax(rate, nature, vat_taxes, rc_tag):
    """The reverse charge tax of a Natura N6.x: one of its exoneration code or
    of its VAT report grid, at the standard rate unless only another rate is
    configured for this Natura (the buyer integrates the VAT)."""
    rc = [
        t
        for t in vat_taxes
        if t.negative and t.amount > 0 and (t.nature == nature or (rc_tag and rc_tag in t.rc_tags))
    ]
    standard = [t for t in rc if t.amount == STANDARD_RATE]
    chosen = pick(standard or rc)
    if chosen:
        return chosen
    if nature == REVERSE_CHARGE_PREFIX:
        hint = Text(
            _lt(
                " and exoneration N6 (the generic reverse charge code of documents before "
                "2021: which case it is -- its VAT report grid -- and the VAT rate to "
                "integrate are the company's decision, not the document's)"
            )
        )
    else:
        hint = Text(
            _lt(" (a reverse charge purchase tax with exoneration %s or its VAT report grid)"),
            nature,
        )
    raise Refusal(
        "tax_not_found",
        missing_tax=tax_key(rate, nature),
        focus=vat_focus((rate, nature)),
        rate=fmt(rate),
        nature=nature,
        hint=hint,
    )


def _exempt_tax(rate, nature, vat_taxes):
    """The tax of a Natura (exempt, not subject...); the generic N2 / N3 of
    old files take the one sub-code's tax configured, if only one is."""
    exact = [t for t in vat_taxes if t.amount == rate and not t.negative and t.nature == nature]
    if not exact and "." not in nature:
        family = [
            t
            for t in vat_taxes
            if t.amount == rate and not t.negative and (t.nature or "").startswith(nature + ".")
        ]
        if len({t.nature for t in family}) == 1:
            exact = family
    chosen = pick(exact)
    if not chosen:
        raise Refusal(
            "tax_not_found",
            missing_tax=tax_key(rate, nature),
            focus=vat_focus((rate, nature)),
            rate=fmt(rate),
            nature=nature,
            hint=Text(_lt(" and exoneration %s"), nature),
        )
    return chosen


def _split_payment_tax(rate, vat_taxes):
    """The split payment tax of a rate: +x% deductible, -x% to the Treasury."""
    split = [
        t for t in vat_taxes if t.amount == rate and t.negative and not t.rc_tags and not t.nature
    ]
    chosen = pick(split)
    if not chosen:
        raise Refusal(
            "tax_not_found",
            # a split payment at 0% is no tax to create (a 0% tax needs a Natura)
            missing_tax=tax_key(rate, split=True) if rate else None,
            focus=vat_focus((rate, None)),
            rate=fmt(rate),
            nature=Text(_lt("split payment")),
            hint=Text(
                _lt(" for split payment (VAT paid to the Treasury: a +%s%% / -%s%% purchase tax)"),
                fmt(rate),
                fmt(rate),
            ),
        )
    return chosen


def choose_withholding_tax(withholding, taxes):
    """The purchase tax of a DatiRitenuta (RT04 ENASARCO: core models it as
    the TC07 pension fund tax, negative)."""
    rate = r2(withholding.rate)
    wtype = (withholding.type or "").upper()
    reason = (withholding.reason or "").upper() or None
    if wtype == "RT04":
        found = [t for t in taxes if t.pension_type == "TC07" and t.amount == -rate]
    else:
        amounts = {-rate, -(rate / 2)} if reason == "ZO" or rate == Decimal("23.00") else {-rate}
        found = [
            t
            for t in taxes
            if t.withholding_type == wtype
            and t.amount in amounts
            and (not reason or t.withholding_reason == reason)
        ]
    chosen = pick(found)
    if not chosen:
        raise Refusal(
            "withholding_not_configured",
            detail=Text(
                "%s %s%% %s",
                wtype,
                fmt(rate),
                Text(_lt("reason %s"), reason) if reason else "",
            ),
        )
    return chosen


def choose_pension_tax(fund, taxes):
    """The purchase tax of a DatiCassaPrevidenziale (TipoCassa and AlCassa).
    A contribution at 0% that states an amount is no tax's to compute (the
    readings took it as a line when the VAT summary confirms it): the
    document is inconsistent, not the company's configuration."""
    rate = r2(fund.rate)
    ftype = (fund.type or "").upper()
    if not rate and r2(fund.amount):
        raise Refusal(
            "totals_mismatch",
            focus=PENSION,
            detail=Text(
                _lt("pension fund %(type)s at 0%% states a contribution of %(amount)s"),
                type=ftype,
                amount=fmt(fund.amount),
            ),
        )
    chosen = pick([t for t in taxes if t.pension_type == ftype and t.amount == rate])
    if not chosen:
        raise Refusal("pension_fund_not_configured", detail=f"{ftype} {fmt(rate)}%")
    return chosen
