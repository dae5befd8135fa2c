"""Which purchase tax to create when a DatiRitenuta or a
DatiCassaPrevidenziale has none (company option *Create missing withholding
and pension fund taxes*).

A created tax is modelled as ``l10n_it_edi_withholding`` models these taxes,
and copied from the closest tax of the same kind the company has (the
chart's own withholding / ENASARCO / pension fund taxes): accounts, tax
group, repartition, exigibility and sequence come from that template; only
the rate, the codes, the name and the label are the document's.  The
verification of the bill still decides: a created tax computes what the
document's rate gives, nothing is fitted to the document's amounts.

Pure Python (no Odoo import): the engine passes the company's purchase taxes
as :class:`~.taxes.TaxInfo` and the codes Odoo's fields accept.
"""

from dataclasses import dataclass
from decimal import Decimal

from .amounts import ZERO, D, r2

# kinds of created taxes
WITHHOLDING, ENASARCO, PENSION_FUND = "withholding", "enasarco", "pension_fund"
# RT04: core models ENASARCO as a TC07 pension fund tax (negative)
ENASARCO_WITHHOLDING, ENASARCO_FUND = "RT04", "TC07"
# the contribution to the INPS separate scheme (rivalsa 4%) is subject to
# the withholding: its tax is computed before the withholding taxes
INPS_FUND = "TC22"
HALF = Decimal("0.5")
AGENTS_RATE = Decimal("23.00")  # RT02 23% on half the commissions (agents)


@dataclass(frozen=True)
class NewTax:
    """A purchase tax to create: a copy of ``template_id`` with these
    values (``sequence`` None: the template's)."""

    kind: str
    amount: Decimal  # the tax's rate: below 0 for withholdings and ENASARCO
    name: str
    label: str
    template_id: int
    withholding_type: str | None = None
    withholding_reason: str | None = None
    pension_type: str | None = None
    sequence: int | None = None

    @property
    def key(self):
        """What identifies the tax (one creation per key, see the lock)."""
        code = self.pension_type if self.kind != WITHHOLDING else self.withholding_type
        return ":".join(
            (self.kind, code or "", self.withholding_reason or "", str(r2(self.amount)))
        )


def _new_tax(kind, rate, name, label, template, taxes, amount=None, **codes):
    """The NewTax of ``kind`` at ``rate`` (``amount``: the tax's own rate,
    when not ``rate``), named ``name`` unless a tax has that name."""
    return NewTax(
        kind=kind,
        amount=rate if amount is None else amount,
        name=unique_name(name, taxes),
        label=label,
        template_id=template.id,
        **codes,
    )


def percent(value):
    """A rate as a tax name writes it: 20, 8.5, 11.5."""
    text = f"{r2(value):f}".rstrip("0").rstrip(".")
    return text or "0"


def closest(candidates, distance):
    """The candidate of smallest ``distance`` (a tuple), active ones first,
    then the company's default, then the oldest."""
    ordered = sorted(candidates, key=lambda t: (*distance(t), not t.active, not t.default, t.id))
    return ordered[0] if ordered else None


def unique_name(name, taxes):
    """``name``, or ``name (2)``... when a purchase tax already has it."""
    names = {t.name for t in taxes}
    if name not in names:
        return name
    index = 2
    while f"{name} ({index})" in names:
        index += 1
    return f"{name} ({index})"


def withholding_base(invoice):
    """The taxable the document's withholdings apply to: the lines flagged
    Ritenuta SI and the pension fund contributions flagged so."""
    base = sum((D(line.price_total) for line in invoice.lines if line.withholding), ZERO)
    base += sum((D(fund.amount) for fund in invoice.pension_funds if fund.withholding), ZERO)
    return base


def withheld_rate(withholding, invoice):
    """The rate of the tax to create for a DatiRitenuta: its
    AliquotaRitenuta; half of it for the 23% of sales agents applied to half
    the commissions (core's -11.5% tax, RT02 ZO), when the document's amount
    is that and not the full rate."""
    rate = r2(withholding.rate)
    reason = (withholding.reason or "").upper()
    if reason == "ZO" or rate == AGENTS_RATE:
        base, amount = withholding_base(invoice), r2(withholding.amount)
        if r2(base * rate / 100) != amount and r2(base * rate * HALF / 100) == amount:
            return -(rate * HALF)
    return -rate


def new_withholding_tax(withholding, invoice, taxes, codes):
    """The NewTax of a DatiRitenuta no purchase tax matches, or None when
    none can be made: a rate that is not above 0, a code Odoo does not
    know, no CausalePagamento (core requires a reason and the document gives
    none: not guessed), no tax of the same kind to copy."""
    rate = r2(withholding.rate)
    wtype = (withholding.type or "").upper()
    reason = (withholding.reason or "").upper() or None
    if rate <= 0:
        return None
    if wtype == ENASARCO_WITHHOLDING:
        template = closest(
            [t for t in taxes if t.pension_type == ENASARCO_FUND and t.amount < 0],
            lambda t: (),
        )
        if not template:
            return None
        return _new_tax(
            ENASARCO,
            -rate,
            f"{percent(rate)}% ENASARCO",
            f"{percent(rate)}% Ritenuta ENASARCO",
            template,
            taxes,
            pension_type=ENASARCO_FUND,
        )
    if wtype not in codes["withholding_type"] or reason not in codes["withholding_reason"]:
        return None
    template = closest(
        [t for t in taxes if t.withholding_type and not t.pension_type],
        lambda t: (t.withholding_type != wtype, t.withholding_reason != reason),
    )
    if not template:
        return None
    amount = withheld_rate(withholding, invoice)
    what = f"{wtype} {reason}" + (" (50%)" if amount != -rate else "")
    return _new_tax(
        WITHHOLDING,
        -rate,
        f"{percent(rate)}% RIT {what}",
        f"{percent(rate)}% Ritenuta {what}",
        template,
        taxes,
        amount=amount,
        withholding_type=wtype,
        withholding_reason=reason,
    )


def needs_pension_tax(fund):
    """False for a DatiCassaPrevidenziale at 0% of 0.00: no contribution,
    nothing for a tax to compute."""
    return bool(r2(fund.rate) or r2(fund.amount))


def subject_to_withholding(fund, invoice):
    """Whether the contribution's tax must be in the withholding's base: as
    the document says (Ritenuta SI); a document without withholding says
    nothing, then only the INPS rivalsa (TC22) is."""
    if invoice.withholdings:
        return fund.withholding
    return (fund.type or "").upper() == INPS_FUND


def new_pension_tax(fund, invoice, taxes, codes):
    """The NewTax of a DatiCassaPrevidenziale no purchase tax matches, or
    None: a rate that is not above 0, a fund Odoo does not know, no pension
    fund tax to copy.  The template is a pension fund tax of the same fund,
    else one computed on the same side of the withholding taxes (in their
    base or not, Odoo orders taxes by sequence); when none is, the created
    tax's sequence puts it there."""
    rate = r2(fund.rate)
    ftype = (fund.type or "").upper()
    if rate <= 0 or ftype not in codes["pension_fund_type"]:
        return None
    subject = subject_to_withholding(fund, invoice)
    withholding_sequences = [t.sequence for t in taxes if t.withholding_type]

    def in_withholding_base(tax):
        return bool(withholding_sequences) and tax.sequence < min(withholding_sequences)

    template = closest(
        [t for t in taxes if t.pension_type and not t.withholding_type and t.amount > 0],
        lambda t: (t.pension_type != ftype, in_withholding_base(t) != subject),
    )
    if not template:
        return None
    sequence = None
    if withholding_sequences and in_withholding_base(template) != subject:
        if subject:
            sequence = max(min(withholding_sequences) - 1, 0)
        else:
            sequence = max(withholding_sequences) + 1
    return _new_tax(
        PENSION_FUND,
        rate,
        f"{percent(rate)}% {ftype}",
        f"{percent(rate)}% Contributo {ftype}",
        template,
        taxes,
        pension_type=ftype,
        sequence=sequence,
    )
