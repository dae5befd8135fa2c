"""Consistency checks of a read invoice, as warnings ``"code: text"``.

They are never enforced here: the registration engine decides.  Where
suppliers legitimately disagree (does ImponibileImporto include
Arrotondamento? is ImportoTotaleDocumento net of withholding, bollo,
document discounts?) every reading is tried and only a figure that matches
none of them is reported.

Stable codes: ``unknown_code``, ``line_total``, ``lines_vs_summary``,
``summary_tax``, ``summary_vs_total``, ``installments_vs_total``,
``pension_fund_amount``, ``simplified_tax``, ``date_in_future``, ``date_implausible``,
``due_before_date``, ``missing_nature``, ``no_lines``; the reader adds
``value_recovered``, ``bad_value``, ``missing_vat`` (FSM10) while reading.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import codes

CENT = Decimal("0.01")
ZERO = Decimal(0)
OLDEST_PLAUSIBLE = date(2000, 1, 1)


def _round2(value: Decimal) -> Decimal:
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # over 26 digits: no cents to round
        return value


def _close(left: Decimal, right: Decimal, tolerance: Decimal = CENT) -> bool:
    return abs(left - right) <= tolerance


def check_invoice(invoice, today: date | None = None) -> list[str]:
    """All warnings of ``invoice`` (the reader appends them to
    ``invoice.warnings``)."""
    warnings = []
    warnings += check_codes(invoice)
    warnings += check_dates(invoice, today or date.today())
    if invoice.simplified:
        return warnings + check_simplified(invoice)
    warnings += check_lines(invoice)
    warnings += check_summary_tax(invoice)
    warnings += check_total(invoice)
    warnings += check_installments(invoice)
    warnings += check_pension_funds(invoice)
    return warnings


# --------------------------------------------------------------------------
def check_codes(invoice) -> list[str]:
    found = [("TipoDocumento", invoice.document_type)]
    if invoice.version:
        found.append(("versione", invoice.version))
    if invoice.seller.tax_regime:
        found.append(("RegimeFiscale", invoice.seller.tax_regime))
    found += [("Natura", line.vat_nature) for line in invoice.lines if line.vat_nature]
    found += [("Natura", row.vat_nature) for row in invoice.vat_summary if row.vat_nature]
    found += [("EsigibilitaIVA", row.due) for row in invoice.vat_summary if row.due]
    found += [("TipoRitenuta", item.type) for item in invoice.withholdings]
    for fund in invoice.pension_funds:
        found.append(("TipoCassa", fund.type))
        if fund.vat_nature:
            found.append(("Natura", fund.vat_nature))
    for payment in invoice.payments:
        found.append(("CondizioniPagamento", payment.conditions))
        found += [("ModalitaPagamento", item.method) for item in payment.installments]
    warnings, seen = [], set()
    for label, value in found:
        if (label, value) in seen:
            continue
        seen.add((label, value))
        if codes.describe(label, value) is None:
            warnings.append(f"unknown_code: {label} {value!r} is not in the FatturaPA tables")
    simplified_type = invoice.document_type in codes.SIMPLIFIED_DOCUMENT_TYPES
    if invoice.document_type in codes.DOCUMENT_TYPES and simplified_type != invoice.simplified:
        warnings.append(
            f"unknown_code: TipoDocumento {invoice.document_type} does not belong "
            f"to a {'simplified' if invoice.simplified else 'ordinary'} invoice"
        )
    for row in invoice.vat_summary:
        if not row.vat_rate and not row.vat_nature and not invoice.simplified:
            warnings.append("missing_nature: a 0% VAT summary row has no Natura")
    return warnings


def check_dates(invoice, today: date) -> list[str]:
    warnings = []
    if invoice.date > today + timedelta(days=1):
        warnings.append(f"date_in_future: document date {invoice.date} is after today")
    elif invoice.date < OLDEST_PLAUSIBLE:
        warnings.append(
            f"date_implausible: document date {invoice.date} is before " f"{OLDEST_PLAUSIBLE}"
        )
    for payment in invoice.payments:
        for item in payment.installments:
            if item.due_date and (invoice.date - item.due_date).days > 366:
                warnings.append(
                    f"due_before_date: due date {item.due_date} is long "
                    f"before the document date {invoice.date}"
                )
    return warnings


# --------------------------------------------------------------------------
def _expected_line_totals(line) -> list[Decimal]:
    """What PrezzoTotale may be.  Programs differ: discounts applied per
    unit (the spec) or on the line amount; Importo or Percentuale winning
    when both are given; a negative Importo of an SC meant as a discount."""
    quantity = line.quantity if line.quantity is not None else Decimal(1)
    if not line.discounts:  # every reading gives the same figure
        return [line.price_unit * quantity]
    results = []
    for amount_first, on_total, absolute in itertools.product((False, True), repeat=3):
        value = line.price_unit * quantity if on_total else line.price_unit
        for discount in line.discounts:
            sign = -1 if discount.type == "SC" else 1
            amount = abs(discount.amount) if absolute and discount.amount else discount.amount
            if discount.percent is not None and not (amount_first and amount is not None):
                value += sign * value * discount.percent / 100
            elif amount is not None:
                value += sign * amount
        results.append(value if on_total else value * quantity)
    return results


def check_lines(invoice) -> list[str]:
    if not invoice.lines:
        return ["no_lines: the document has no DettaglioLinee"]
    warnings = []
    for line in invoice.lines:
        if line.price_unit is None:
            continue
        if not line.discounts:  # the usual line: one reading, inline
            quantity = line.quantity if line.quantity is not None else Decimal(1)
            if abs(line.price_total - line.price_unit * quantity) <= CENT:
                continue
        expected = _expected_line_totals(line)
        if not any(_close(line.price_total, value) for value in expected):
            warnings.append(
                f"line_total: line {line.number}: PrezzoTotale {line.price_total}"
                f" != quantity x unit price net of discounts "
                f"{_round2(expected[0])}"
            )
    lines_by_rate, funds_by_rate = {}, {}
    for line in invoice.lines:
        lines_by_rate[line.vat_rate] = lines_by_rate.get(line.vat_rate, ZERO) + line.price_total
    for fund in invoice.pension_funds:
        funds_by_rate.setdefault(fund.vat_rate, []).append(fund.amount)
    summary_by_rate = {}
    for row in invoice.vat_summary:
        taxable, rounding, expenses = summary_by_rate.get(row.vat_rate, (ZERO, ZERO, ZERO))
        summary_by_rate[row.vat_rate] = (
            taxable + row.taxable,
            rounding + (row.rounding or ZERO),
            expenses + (row.expenses or ZERO),
        )
    for rate in sorted(set(lines_by_rate) | set(summary_by_rate)):
        lines_total = lines_by_rate.get(rate, ZERO)
        taxable, rounding, expenses = summary_by_rate.get(rate, (ZERO, ZERO, ZERO))
        funds = funds_by_rate.get(rate, [])
        # Some contributions (ENASARCO...) stay out of the VAT base: try
        # every subset of them (a handful at most).
        fund_sums = _subset_sums(funds)
        # Line amounts may have up to 8 decimals: compare rounded sums.
        candidates = {
            _round2(lines_total + funds_part + expenses_part + rounding_part)
            for funds_part in fund_sums
            for expenses_part in (expenses, ZERO)
            for rounding_part in (rounding, ZERO)
        }
        if not any(_close(taxable, candidate) for candidate in candidates):
            warnings.append(
                f"lines_vs_summary: VAT {rate}%: lines {_round2(lines_total)}"
                + (f" + pension fund {sum(funds, ZERO)}" if funds else "")
                + f" != summary taxable {taxable}"
            )
    return warnings


def _subset_sums(amounts, limit=256) -> set[Decimal]:
    """The sums of every subset of ``amounts``; past ``limit`` distinct
    sums (a file repeating DatiCassaPrevidenziale by the dozen) only none,
    all, each one and all but each one: bounded work whatever the file."""
    sums = {ZERO}
    for amount in amounts:
        sums |= {value + amount for value in sums}
        if len(sums) > limit:
            total = sum(amounts, ZERO)
            return {ZERO, total} | set(amounts) | {total - amount for amount in amounts}
    return sums


def check_summary_tax(invoice) -> list[str]:
    warnings = []
    for row in invoice.vat_summary:
        expected = _round2(row.taxable * row.vat_rate / 100)
        tolerance = CENT + abs(row.rounding or ZERO)
        if not _close(row.tax, expected, tolerance):
            warnings.append(
                f"summary_tax: VAT {row.vat_rate}%: tax {row.tax} != "
                f"{row.taxable} x {row.vat_rate}% = {expected}"
            )
    return warnings


def _document_discount(invoice, base: Decimal) -> Decimal:
    result = ZERO
    for discount in invoice.discounts:
        value = (
            discount.amount
            if discount.amount is not None
            else (_round2(base * discount.percent / 100) if discount.percent is not None else ZERO)
        )
        result += value if discount.type != "MG" else -value
    return result


def _plausible_totals(invoice) -> set[Decimal]:
    """Every reading of ImportoTotaleDocumento that some supplier uses."""
    base = invoice.amount_total
    withholding = sum((item.amount for item in invoice.withholdings), ZERO)
    stamp = (invoice.stamp_duty.amount or ZERO) if invoice.stamp_duty else ZERO
    split_tax = sum((row.tax for row in invoice.vat_summary if row.due == "S"), ZERO)
    summary_rounding = sum((row.rounding or ZERO for row in invoice.vat_summary), ZERO)
    # (Arrotondamento may be in ImponibileImporto, as the specification
    # says, with a total of the unrounded figures, or out of both.)
    options = _distinct_options(
        (ZERO, invoice.rounding or ZERO, summary_rounding, -summary_rounding),
        (ZERO, -withholding),
        (ZERO, stamp),
        (ZERO, -_document_discount(invoice, base)),
        (ZERO, -split_tax),
    )
    return {base + sum(parts) for parts in itertools.product(*options)}


def _distinct_options(*options):
    """Each tuple of alternatives without its repeated values (mostly zeros):
    the product of the alternatives stays small."""
    return [set(values) for values in options]


def check_total(invoice) -> list[str]:
    if invoice.total is None:
        return []
    if any(_close(invoice.total, value) for value in _plausible_totals(invoice)):
        return []
    return [
        f"summary_vs_total: ImportoTotaleDocumento {invoice.total} != VAT summary "
        f"{invoice.amount_untaxed} + {invoice.amount_tax} = {invoice.amount_total}"
    ]


def check_installments(invoice) -> list[str]:
    blocks = [
        sum((item.amount for item in payment.installments), ZERO)
        for payment in invoice.payments
        if payment.installments
    ]
    if not blocks:
        return []
    withholding = sum((item.amount for item in invoice.withholdings), ZERO)
    split_tax = sum((row.tax for row in invoice.vat_summary if row.due == "S"), ZERO)
    stamp = (invoice.stamp_duty.amount or ZERO) if invoice.stamp_duty else ZERO
    totals = _plausible_totals(invoice)
    if invoice.total is not None:
        totals.add(invoice.total)
    self_assessed = (
        invoice.amount_tax if invoice.document_type in codes.SELF_ASSESSED_DOCUMENT_TYPES else ZERO
    )
    expected = {
        total - parts[0] - parts[1] + parts[2] - parts[3]
        for total in totals
        for parts in itertools.product(
            *_distinct_options(
                (ZERO, withholding),
                (ZERO, split_tax),
                (ZERO, stamp),
                (ZERO, self_assessed),
            )
        )
    }
    # Several DatiPagamento are alternatives (e.g. TP02 or TP01) or parts
    # (TP03 anticipo + TP01 rate): either reading may hold.
    sums = set(blocks) | {sum(blocks, ZERO)}
    # A credit note may state its installments as positive amounts.
    sums |= {-value for value in sums}
    if any(_close(value, target) for value in sums for target in expected):
        return []
    due = invoice.total if invoice.total is not None else invoice.amount_total
    less = f" - withholding {withholding}" if withholding else ""
    return [
        f"installments_vs_total: installments {' + '.join(str(b) for b in blocks)} "
        f"!= amount due {due}{less}"
    ]


def check_pension_funds(invoice) -> list[str]:
    warnings = []
    for fund in invoice.pension_funds:
        if fund.taxable is None:
            continue
        expected = _round2(fund.taxable * fund.rate / 100)
        if not _close(fund.amount, expected):
            warnings.append(
                f"pension_fund_amount: {fund.type}: contribution {fund.amount} "
                f"!= {fund.taxable} x {fund.rate}% = {expected}"
            )
    return warnings


def check_simplified(invoice) -> list[str]:
    warnings = []
    for line in invoice.lines:
        if (
            line.tax_amount is not None
            and line.price_total
            and abs(line.tax_amount) >= abs(line.price_total)
        ):
            warnings.append(
                f"simplified_tax: line {line.number}: Imposta {line.tax_amount} "
                f"is not less than the VAT-inclusive Importo {line.price_total}"
            )
    return warnings
