"""The bill's lines from the document's lines, at the supplier's detail
level (full lines / one line per VAT rate / one line).

Pure Python: accounts and products are chosen by the engine (they need
records) and come in as ids on :class:`LineItem`.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..fatturapa.reader import simplified_line_tax
from .amounts import ZERO, D, fmt, r2
from .outcome import Refusal, Text, _lt
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
    description = (line.description or "").lower()
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
    note line."""

    line: object
    key: tuple
    amount: Decimal
    stamp: bool = False
    account_id: int | None = None
    product_id: int | None = None


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


def bill_lines(invoice, items, detail, sign, digits):
    """([BillLine], built taxable per VAT key in the document's sign)."""
    built = defaultdict(lambda: ZERO)
    result = []
    if detail == DETAIL_LINES:
        for item in items:
            line = item.line
            if item.account_id is None:
                result.append(BillLine(line.description or "-", note=True))
                continue
            qty, price, discount = quantity_price(line, item.amount * sign, digits)
            result.append(
                BillLine(
                    line.description or "-",
                    item.account_id,
                    item.key,
                    line.withholding,
                    item.stamp,
                    qty,
                    price,
                    discount,
                    item.product_id,
                )
            )
            built[item.key] += r2(item.amount)  # Odoo rounds each line's subtotal
        return result, built
    groups = {}
    for item in items:
        if item.account_id is None:
            continue
        gkey = (item.key, bool(item.line.withholding), item.stamp, item.account_id)
        group = groups.setdefault(gkey, {"amount": ZERO, "names": []})
        group["amount"] += item.amount
        group["names"].append(item.line.description or "")
    single = detail == DETAIL_SINGLE and len({g[0] for g in groups}) == 1
    for (key, withholding, stamp, account_id), group in groups.items():
        built[key] += r2(group["amount"])
        if single:
            name = Text(
                _lt("Invoice %(number)s: %(first)s"),
                number=invoice.number,
                first=group["names"][0][:200],
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
        result.append(
            BillLine(
                name,
                account_id,
                key,
                withholding,
                stamp,
                1.0,
                float(group["amount"] * sign),
            )
        )
    return result, built


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
                detail=Text(
                    _lt("the pension fund's VAT %s%% has no VAT summary row"),
                    fmt(fund.vat_rate),
                ),
            )
