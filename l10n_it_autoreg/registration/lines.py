"""The bill's lines from the document's lines, at the supplier's detail
level (full lines / one line per VAT rate / one line), and the readings of
the lines a withholding or a pension fund contribution is on (which lines
are withholding lines when none says so, a contribution stated unlike its
rate as a line of its own).

Pure Python: accounts and products are chosen by the engine (they need
records) and come in as ids on :class:`LineItem`.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..fatturapa.model import Line
from ..fatturapa.reader import simplified_line_tax
from .amounts import ZERO, D, fmt, r2
from .focus import PENSION, join, vat_focus
from .outcome import Refusal, Text, _lt
from .reviews import Review
from .taxes import vat_key

DETAIL_LINES, DETAIL_PER_RATE, DETAIL_SINGLE = "lines", "rate", "single"


def line_amount(line):
    """Untaxed amount of a document line (FSM10: VAT-inclusive Importo minus
    its tax)."""
    if line.vat_included:
        tax, _rate = simplified_line_tax(D(line.price_total), line.vat_rate, line.tax_amount)
        return D(line.price_total) - D(tax)
    return D(line.price_total)


def is_stamp_line(invoice, line):
    """A line charging the stamp duty (bollo) to the buyer."""
    # a line a reading added is named by a Text (never a bollo)
    description = line.description.lower() if isinstance(line.description, str) else ""
    return (
        "bollo" in description
        and not D(line.vat_rate)
        and (invoice.stamp_duty is not None or (line.vat_nature or "").upper() == "N1")
    )


def is_empty_line(line):
    """A line of no amount and no price (a description, a note)."""
    return not line_amount(line) and not line.price_unit


@dataclass
class LineItem:
    """A document line with the engine's choices: ``account_id`` None for a
    note line; ``shares`` [(account id, amount)] when a rule splits it
    across accounts (registration.rules.split_amounts); ``analytic`` its
    analytic distribution (None: Odoo's own)."""

    line: object
    key: tuple
    amount: Decimal
    stamp: bool = False
    account_id: int | None = None
    product_id: int | None = None
    analytic: dict | None = None
    shares: list | None = None


def items_of(invoice):
    """A LineItem per document line (account and product to choose)."""
    return [
        LineItem(
            line,
            vat_key(line.vat_rate, line.vat_nature),
            line_amount(line),
            is_stamp_line(invoice, line),
        )
        for line in invoice.lines
    ]


@dataclass
class BillLine:
    """One line of the bill: ``price_unit`` in the bill's sign; ``key`` the
    VAT key whose taxes it takes; ``note`` a line without amount."""

    name: object
    account_id: int | None = None
    key: tuple | None = None
    withholding: bool = False
    stamp: bool = False
    quantity: float = 1.0
    price_unit: float = 0.0
    discount: float = 0.0
    product_id: int | None = None
    note: bool = False
    analytic: dict | None = None
    article_code: str | None = None


def quantity_price(line, amount, digits):
    """(quantity, price_unit, discount) giving exactly ``amount``; else
    1 x amount (the document's line total is what counts)."""
    qty = D(line.quantity) if line.quantity else None
    unit = D(line.price_unit) if line.price_unit is not None else None
    if qty and unit is not None and not line.vat_included:
        step = Decimal(1).scaleb(-digits)
        percent = None
        if (
            len(line.discounts) == 1
            and line.discounts[0].percent is not None
            and (line.discounts[0].type or "").upper() == "SC"
        ):
            percent = D(line.discounts[0].percent)
        for candidate in (unit, -unit):
            rounded = candidate.quantize(step, rounding=ROUND_HALF_UP)
            if r2(rounded * qty) == r2(amount):
                return float(qty), float(rounded), 0.0
            if percent is not None and r2(rounded * qty * (1 - percent / 100)) == r2(amount):
                return float(qty), float(rounded), float(percent)
    return 1.0, float(amount), 0.0


def _percent(value):
    """A percentage as written in a line's name: 60, 33.33."""
    text = f"{r2(value)}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _analytic_key(analytic):
    return tuple(sorted((str(k), float(v)) for k, v in analytic.items())) if analytic else None


def _full_lines(items, sign, digits, built):
    """One bill line per document line (a split one: one per account)."""
    result = []
    for item in items:
        line = item.line
        name = line.description or "-"
        if item.account_id is None and not item.shares:
            result.append(BillLine(name, note=True))
            continue
        built[item.key] += r2(item.amount)  # Odoo rounds each line's subtotal
        code = next((c.value for c in line.article_codes if c.value), None)
        common = {"withholding": line.withholding, "stamp": item.stamp, "key": item.key}
        common.update(product_id=item.product_id, analytic=item.analytic, article_code=code)
        if item.shares:
            for account_id, amount, percent in item.shares:
                label = f"{name} ({_percent(percent)}%)" if isinstance(name, str) else name
                result.append(
                    BillLine(label, account_id, price_unit=float(amount * sign), **common)
                )
            continue
        qty, price, discount = quantity_price(line, item.amount * sign, digits)
        result.append(
            BillLine(
                name, item.account_id, quantity=qty, price_unit=price, discount=discount, **common
            )
        )
    return result


def _grouped_lines(invoice, items, detail, sign, built):
    """One bill line per VAT rate (and account, analytic distribution), or
    one line when the document has one VAT rate."""
    groups = {}
    for item in items:
        if item.account_id is None and not item.shares:
            continue
        parts = item.shares or [(item.account_id, item.amount, None)]
        for account_id, amount, _percent_of in parts:
            gkey = (item.key, bool(item.line.withholding), item.stamp, account_id)
            gkey += (_analytic_key(item.analytic),)
            group = groups.setdefault(gkey, {"amount": ZERO, "names": [], "analytic": None})
            group["amount"] += amount
            group["names"].append(item.line.description or "")
            group["analytic"] = item.analytic
    single = detail == DETAIL_SINGLE and len({g[0] for g in groups}) == 1
    result = []
    for (key, withholding, stamp, account_id, _analytic), group in groups.items():
        built[key] += r2(group["amount"])
        if single:
            name = Text(
                _lt("Invoice %(number)s: %(first)s"),
                number=invoice.number,
                first=_short(group["names"][0]),
            )
        elif stamp:
            name = group["names"][0]
        else:
            name = Text(
                _lt("Invoice %(number)s, VAT %(rate)s%%%(nature)s"),
                number=invoice.number,
                rate=fmt(key[0]),
                nature=(" " + key[1]) if key[1] else "",
            )
        amount = float(group["amount"] * sign)
        result.append(
            BillLine(
                name, account_id, key, withholding, stamp, 1.0, amount, analytic=group["analytic"]
            )
        )
    return result


def bill_lines(invoice, items, detail, sign, digits):
    """([BillLine], built taxable per VAT key in the document's sign)."""
    built = defaultdict(lambda: ZERO)
    if detail == DETAIL_LINES:
        return _full_lines(items, sign, digits, built), built
    return _grouped_lines(invoice, items, detail, sign, built), built


def _short(name):
    """A line's description cut for a bill line's name (a Text as it is)."""
    return name[:200] if isinstance(name, str) else name


def add_pension_funds(invoice, items, entries, built):
    """Pension fund contributions join the VAT base of their key (``built``
    updated).  Refused when Odoo would add them to lines of another VAT rate
    than the one the document puts them at, or when that rate has no
    summary row."""
    for fund in invoice.pension_funds:
        fkey = vat_key(fund.vat_rate, fund.vat_nature)
        taxed = [item for item in items if item.amount and item.key[1] != "N1" and not item.stamp]
        other = next((item.key for item in taxed if item.key != fkey), None)
        if other:
            # Odoo adds the contribution to the VAT base of each line it
            # applies to; the document puts all of it at its own VAT
            raise Refusal(
                "totals_mismatch",
                focus=join(PENSION, vat_focus(fkey, other)),
                detail=Text(
                    _lt(
                        "pension fund %(type)s at VAT %(fund_rate)s%% on lines at VAT "
                        "%(line_rate)s%%"
                    ),
                    type=fund.type,
                    fund_rate=fmt(fkey[0]),
                    line_rate=fmt(other[0]),
                ),
            )
        base = sum((item.amount for item in taxed), ZERO)
        built[fkey] += r2(base * D(fund.rate) / 100)
        if fkey not in entries:
            raise Refusal(
                "totals_mismatch",
                focus=join(PENSION, vat_focus(fkey)),
                detail=Text(
                    _lt("the pension fund's VAT %s%% has no VAT summary row"),
                    fmt(fund.vat_rate),
                ),
            )


# ----------------------------------------------------------------------
# Readings: the lines a withholding or a pension fund contribution is on
# ----------------------------------------------------------------------
def _fee_lines(invoice):
    """Indexes of the lines a withholding may be on: with an amount, no bollo."""
    return [
        index
        for index, line in enumerate(invoice.lines)
        if line_amount(line) and not is_stamp_line(invoice, line)
    ]


def _withholding_rate(withholding, base):
    """The rate at which ImportoRitenuta is the withholding of ``base`` to
    the cent, or None: AliquotaRitenuta, or half of it for agents (23% /
    ZO: 23% of half the commissions, as Odoo's 23% RIT AG tax and
    taxes.choose_withholding_tax model it)."""
    rate, amount = D(withholding.rate), abs(D(withholding.amount))
    rates = [rate]
    if (withholding.type or "").upper() != "RT04" and (
        (withholding.reason or "").upper() == "ZO" or r2(rate) == Decimal("23.00")
    ):
        rates.append(rate / 2)
    return next((r for r in rates if amount and r2(abs(base) * r / 100) == amount), None)


def withholding_lines(invoice):
    """DatiRitenuta while no line says Ritenuta SI: when every ImportoRitenuta
    is its rate on the taxable of all lines, or of the lines of one VAT rate
    (with the contributions of the pension funds subject to withholding,
    DatiCassaPrevidenziale/Ritenuta SI), to the cent, and on no other such
    set of lines, those lines are the withholding lines -- as if the
    supplier had flagged them.  (invoice, [Review withholding_inferred]);
    the document as it is otherwise (the bill then withholds nothing and
    the verification refuses it, as for any withholding no line takes)."""
    if not invoice.withholdings or any(line.withholding for line in invoice.lines):
        return invoice, []
    fees = _fee_lines(invoice)
    candidates = {tuple(fees): Text(_lt("all lines"))} if fees else {}
    by_key = defaultdict(list)
    for index in fees:
        line = invoice.lines[index]
        by_key[vat_key(line.vat_rate, line.vat_nature)].append(index)
    for key, indexes in by_key.items():
        label = Text(
            _lt("the lines at VAT %(rate)s%%%(nature)s"),
            rate=fmt(key[0]),
            nature=(" " + key[1]) if key[1] else "",
        )
        candidates.setdefault(tuple(indexes), label)
    funds = [fund for fund in invoice.pension_funds if fund.withholding]
    contribution = sum((D(fund.amount) for fund in funds), ZERO)
    matches = []
    for indexes, label in candidates.items():
        base = sum((line_amount(invoice.lines[i]) for i in indexes), ZERO) + contribution
        rates = [_withholding_rate(w, base) for w in invoice.withholdings]
        if None not in rates:
            matches.append((indexes, label, rates))
    if len(matches) != 1:  # none, or two sets of lines: which ones is not known
        return invoice, []
    indexes, label, rates = matches[0]
    if funds:
        label = Text(
            _lt("%(lines)s and the pension fund contribution %(funds)s"),
            lines=label,
            funds=", ".join(fund.type for fund in funds),
        )
    lines = [
        dataclasses.replace(line, withholding=True) if index in indexes else line
        for index, line in enumerate(invoice.lines)
    ]
    reviews = [
        Review("withholding_inferred", amount=fmt(abs(D(w.amount))), rate=fmt(rate), lines=label)
        for w, rate in zip(invoice.withholdings, rates, strict=True)
    ]
    return dataclasses.replace(invoice, lines=lines), reviews


def _pension_base_lines(invoice):
    """The lines Odoo's pension fund tax is put on (add_pension_funds, the
    engine's line taxes): with an amount, neither excluded (N1) nor bollo."""
    return [
        line
        for line in invoice.lines
        if line_amount(line)
        and (line.vat_nature or "").upper() != "N1"
        and not is_stamp_line(invoice, line)
    ]


def _summary_confirms(invoice, funds):
    """The VAT summary's ImponibileImporto of each VAT rate of ``funds`` is
    exactly its lines plus the contributions as stated."""
    for key in {vat_key(fund.vat_rate, fund.vat_nature) for fund in funds}:
        rows = [r for r in invoice.vat_summary if vat_key(r.vat_rate, r.vat_nature) == key]
        lines = sum(
            (
                r2(line_amount(line))
                for line in invoice.lines
                if vat_key(line.vat_rate, line.vat_nature) == key
            ),
            ZERO,
        )
        stated = sum((D(f.amount) for f in funds if vat_key(f.vat_rate, f.vat_nature) == key), ZERO)
        if not rows or sum((D(r.taxable) for r in rows), ZERO) != lines + stated:
            return False
    return True


def pension_fund_lines(invoice):
    """Pension fund contributions stated unlike their rate: ImportoContributoCassa
    is neither AlCassa x ImponibileCassa nor AlCassa x the lines Odoo's
    pension fund tax would be on (a percent tax on the lines cannot give
    it), and the VAT summary confirms the stated amount.  Then each
    contribution is a line of its own at its amount and the fund's VAT
    (AliquotaIVA / Natura), withholding lines when the fund is subject to
    withholding (Ritenuta SI), and no pension fund tax is applied: a cost
    of the bill like the fee it goes with (the contributo integrativo is
    part of the professional's charge), in its VAT base.  Only when every
    fund of the document is so (a fund computed by its tax would be put on
    the contribution lines too).  (invoice, [Review pension_fund_stated]);
    the document as it is otherwise (the verification refuses a
    contribution its tax does not give)."""
    funds = invoice.pension_funds
    if not funds:
        return invoice, []
    lines_base = sum((line_amount(line) for line in _pension_base_lines(invoice)), ZERO)
    bases = []
    for fund in funds:
        candidates = [lines_base] if fund.taxable is None else [D(fund.taxable), lines_base]
        if any(r2(base * D(fund.rate) / 100) == D(fund.amount) for base in candidates):
            return invoice, []
        bases.append(candidates[0])
    if not _summary_confirms(invoice, funds):
        return invoice, []
    added = [
        Line(
            number=None,
            description=Text(
                _lt("Pension fund contribution %(type)s (%(rate)s%%)"),
                type=fund.type,
                rate=fmt(fund.rate),
            ),
            price_total=D(fund.amount),
            vat_rate=D(fund.vat_rate),
            vat_nature=fund.vat_nature,
            withholding=fund.withholding,
        )
        for fund in funds
    ]
    reviews = [
        Review("pension_fund_stated", amount=fmt(fund.amount), rate=fmt(fund.rate), base=fmt(base))
        for fund, base in zip(funds, bases, strict=True)
    ]
    return dataclasses.replace(invoice, lines=[*invoice.lines, *added], pension_funds=[]), reviews


def readings(invoice):
    """The lines a withholding and the pension funds are on, as the engine
    reads them (withholding_lines, then pension_fund_lines: a contribution
    line is a withholding line by its own Ritenuta): (invoice, [Review])."""
    notes = []
    for reading in (withholding_lines, pension_fund_lines):
        invoice, more = reading(invoice)
        notes += more
    return invoice, notes
