"""The document's figures and the bill's: what the VAT summary asks, what
explains the gap to ImportoTotaleDocumento, and whether the written bill
equals the document (adjustments within tolerance, or a Refusal).

Pure Python: amounts are Decimals in the document's sign unless said; the
bill's lines come in as plain :class:`TaxLine`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import ZERO, D, fmt, r2
from .focus import PENSION, TOTAL, WITHHOLDING, vat_focus
from .outcome import Refusal, Text, _lt
from .reviews import Review
from .taxes import REVERSE_CHARGE, SPLIT_PAYMENT, vat_key

HALF_CENT = Decimal("0.005")


@dataclass
class VatEntry:
    """One VAT key of the document: its summary figures and its tax."""

    taxable: Decimal = ZERO
    tax: Decimal = ZERO
    rounding: Decimal = ZERO
    expenses: Decimal = ZERO
    due: str | None = None
    tax_info: object = None  # TaxInfo, once chosen
    kind: str | None = None  # normal / exempt / reverse_charge / split_payment


def vat_entries(invoice):
    """{(rate, Natura): VatEntry} of the VAT summary, and of the lines' keys
    the summary lacks (at zero)."""
    entries = {}
    for row in invoice.vat_summary:
        key = vat_key(row.vat_rate, row.vat_nature)
        due = (row.due or "").upper() or None
        entry = entries.setdefault(key, VatEntry(due=due))
        if (entry.due == "S") != (due == "S"):
            # one purchase tax cannot be split payment for part of the rate
            # only: the amount due would be wrong
            raise Refusal(
                "totals_mismatch",
                focus=vat_focus(key),
                detail=Text(
                    _lt(
                        "VAT %(rate)s%% is split payment (EsigibilitaIVA S) in one summary row and "
                        "not "
                        "in another"
                    ),
                    rate=fmt(key[0]),
                ),
            )
        entry.taxable += D(row.taxable)
        entry.tax += D(row.tax)
        entry.rounding += D(row.rounding)
        entry.expenses += D(row.expenses)
    for line in invoice.lines:
        entries.setdefault(vat_key(line.vat_rate, line.vat_nature), VatEntry())
    return entries


def summary_total(entries):
    return sum((e.taxable + e.tax for e in entries.values()), ZERO)


@dataclass
class ExtraLine:
    """A bill line that explains a gap: ``amount`` in the document's sign,
    ``account`` a role (rounding, stamp, first: the first line's account),
    ``key`` the VAT key whose tax it takes (None: no tax)."""

    name: object
    amount: Decimal
    account: str
    key: tuple | None = None


def explain_totals(invoice, entries, built, tolerance, has_stamp_line):
    """Rounding lines per VAT key and the lines explaining the gap between
    the VAT summary and ImportoTotaleDocumento (Arrotondamento, bollo,
    document discounts, rounding within tolerance): ([ExtraLine], [note]).
    ``built``: the taxable of the bill's lines per key."""
    extra, notes, rounding_used = explain_taxables(invoice, entries, built, tolerance)
    more, more_notes = explain_document_total(
        invoice, entries, tolerance, has_stamp_line, rounding_used
    )
    return extra + more, notes + more_notes


def explain_taxables(invoice, entries, built, tolerance):
    """The lines explaining, per VAT key, the gap between the bill's lines
    and ImponibileImporto (SpeseAccessorie, Arrotondamento, rounding within
    tolerance): ([ExtraLine], [note], whether a summary Arrotondamento was
    used)."""
    extra, notes = [], []
    summary_rounding_used = False
    for key, entry in entries.items():
        diff = entry.taxable - built.get(key, ZERO)
        if not diff:
            continue
        if entry.expenses and diff - entry.expenses in (ZERO, entry.rounding):
            # SpeseAccessorie: part of ImponibileImporto without a line
            name = Text(
                _lt(
                    "Invoice %(number)s, ancillary expenses (SpeseAccessorie) at VAT "
                    "%(rate)s%%%(nature)s"
                ),
                number=invoice.number,
                rate=fmt(key[0]),
                nature=(" " + key[1]) if key[1] else "",
            )
            extra.append(ExtraLine(name, entry.expenses, "first", key))
            diff -= entry.expenses
            if not diff:
                continue
        if diff == entry.rounding or abs(diff) <= tolerance:
            summary_rounding_used = summary_rounding_used or diff == entry.rounding
            extra.append(
                ExtraLine(Text(_lt("Rounding (VAT %s%%)"), fmt(key[0])), diff, "rounding", key)
            )
            if diff == entry.rounding:
                note = Text(
                    _lt("Rounding of %(amount)s on VAT %(rate)s%% (document summary)"),
                    amount=fmt(diff),
                    rate=fmt(key[0]),
                )
            else:
                note = Review(
                    "rounding_added",
                    amount=fmt(diff),
                    where=Text(_lt("the VAT rate %(rate)s%%"), rate=fmt(key[0])),
                )
            notes.append(note)
        else:
            raise Refusal(
                "totals_mismatch",
                focus=vat_focus(key),
                detail=Text(
                    _lt(
                        "taxable amount at VAT %(rate)s%%%(nature)s: lines %(lines)s, summary "
                        "%(summary)s"
                    ),
                    rate=fmt(key[0]),
                    nature=(" " + key[1]) if key[1] else "",
                    lines=fmt(built.get(key, ZERO)),
                    summary=fmt(entry.taxable),
                ),
            )
    return extra, notes, summary_rounding_used


def document_discount(invoice, total):
    """The document-level ScontoMaggiorazione (discounts less surcharges),
    a percentage taken on the summary's ``total``."""
    discount = ZERO
    for item in invoice.discounts:
        value = (
            D(item.amount) if item.amount is not None else r2(total * D(item.percent or 0) / 100)
        )
        discount += value if (item.type or "SC").upper() == "SC" else -value
    return discount


def explain_document_total(invoice, entries, tolerance, has_stamp_line, summary_rounding_used):
    """The lines explaining the gap between the VAT summary and
    ImportoTotaleDocumento (Arrotondamento, bollo, document discounts,
    rounding within tolerance): ([ExtraLine], [note])."""
    extra, notes = [], []
    total = summary_total(entries)
    if invoice.total is None:
        return extra, notes
    gap = D(invoice.total) - total
    if not gap:
        return extra, notes

    def add(name, amount, account, note):
        extra.append(ExtraLine(name, amount, account))
        notes.append(note)

    doc_rounding = D(invoice.rounding) if invoice.rounding is not None else ZERO
    if doc_rounding and gap != ZERO:
        add(
            Text(_lt("Rounding (Arrotondamento)")),
            doc_rounding,
            "rounding",
            Text(_lt("Document rounding %s"), fmt(doc_rounding)),
        )
        gap -= doc_rounding
    stamp = invoice.stamp_duty
    if (
        gap
        and stamp is not None
        and stamp.amount
        and not has_stamp_line
        and abs(gap - D(stamp.amount)) <= tolerance
    ):
        add(
            Text(_lt("Stamp duty (bollo)")),
            D(stamp.amount),
            "stamp",
            Text(_lt("Stamp duty %s charged"), fmt(stamp.amount)),
        )
        gap -= D(stamp.amount)
    if gap and invoice.discounts:
        discount = document_discount(invoice, total)
        if abs(gap + discount) <= tolerance:
            add(
                Text(_lt("Document discount")) if discount > 0 else Text(_lt("Document surcharge")),
                -discount,
                "first",
                Text(_lt("Document discount %s"), fmt(discount)),
            )
            gap += discount
    rounding = sum((e.rounding for e in entries.values()), ZERO)
    if gap and gap == rounding and abs(gap) < 1 and not summary_rounding_used:
        # the summary's Arrotondamento applied to the total, not to its
        # ImponibileImporto (which equals the lines); a rounding is less than
        # one unit (a bigger "rounding" is something else)
        add(
            Text(_lt("Rounding (Arrotondamento)")),
            gap,
            "rounding",
            Text(_lt("Document rounding %s"), fmt(gap)),
        )
        gap = ZERO
    if gap:
        add(*_rounding_within_tolerance(invoice, total, gap, tolerance))
    return extra, notes


def _rounding_within_tolerance(invoice, summary, gap, tolerance):
    """The rounding line settling what is left of the gap between the VAT
    summary and the document total: (name, amount, account, note); more
    than the tolerance left is refused (totals_mismatch)."""
    if abs(gap) > tolerance:
        raise Refusal(
            "totals_mismatch",
            focus=TOTAL,
            detail=Text(
                _lt("document total %(total)s, VAT summary %(summary)s (difference %(diff)s)"),
                total=fmt(invoice.total),
                summary=fmt(summary),
                diff=fmt(gap),
            ),
        )
    return (
        Text(_lt("Rounding")),
        gap,
        "rounding",
        Review("rounding_added", amount=fmt(gap), where=Text(_lt("the document total"))),
    )


@dataclass(frozen=True)
class TaxLine:
    """A tax line of the written bill: ``amount`` its amount_currency."""

    id: int
    tax_id: int
    amount: Decimal
    positive: bool  # its repartition factor is >= 0


@dataclass
class BillFigures:
    """What the verification needs of the written bill."""

    direction: int  # 1 for invoices (tax lines debit), -1 for refunds
    tax_lines: list = field(default_factory=list)


def _lines_at(invoice, entries, tax_id):
    """How many document lines with an amount take the VAT tax ``tax_id``."""
    count = 0
    for line in invoice.lines:
        entry = entries.get(vat_key(line.vat_rate, line.vat_nature))
        if line.price_total and entry is not None and entry.tax_info.id == tax_id:
            count += 1
    return count


def verify_vat(invoice, entries, bill, sign, tolerance):
    """The adjustments of the bill's VAT lines to the document's VAT per tax
    (see verify_taxes); a reverse charge tax must balance."""
    direction = bill.direction
    by_tax = defaultdict(list)
    for line in bill.tax_lines:
        by_tax[line.tax_id].append(line)
    expected, entry_of, keys_of = defaultdict(lambda: ZERO), {}, defaultdict(list)
    for key, entry in entries.items():
        expected[entry.tax_info.id] += entry.tax * sign
        entry_of[entry.tax_info.id] = entry
        keys_of[entry.tax_info.id].append(key)
    adjustments = []
    for tax_id, want in expected.items():
        lines = by_tax.get(tax_id, [])
        kind, name = entry_of[tax_id].kind, entry_of[tax_id].tax_info.name
        if kind == REVERSE_CHARGE:
            if r2(sum((line.amount for line in lines), ZERO)):
                raise Refusal(
                    "totals_mismatch",
                    focus=vat_focus(*keys_of[tax_id]),
                    detail=Text(_lt("reverse charge tax %s does not balance"), name),
                )
            continue
        have = r2(sum((line.amount for line in lines if line.positive), ZERO) * direction)
        diff = r2(want) - have
        if not diff:
            continue
        # suppliers that round the VAT of each line (then add) differ from
        # the VAT of the rate's total by at most half a cent per line: the
        # bill takes the document's VAT
        per_line = HALF_CENT * _lines_at(invoice, entries, tax_id)
        if abs(diff) > max(tolerance, per_line) or not lines:
            raise Refusal(
                "totals_mismatch",
                focus=vat_focus(*keys_of[tax_id]),
                detail=Text(
                    _lt("VAT %(tax)s: bill %(bill)s, e-invoice %(doc)s"),
                    tax=name,
                    bill=fmt(have),
                    doc=fmt(want),
                ),
            )
        pos = next(line for line in lines if line.positive)
        adjustments.append((pos.id, pos.amount + diff * direction))
        neg = next((line for line in lines if not line.positive), None)
        if kind == SPLIT_PAYMENT and neg:
            adjustments.append((neg.id, neg.amount - diff * direction))
    return adjustments


def verify_taxes(invoice, entries, withholdings, pensions, bill, sign, tolerance):
    """Compare the bill's tax lines with the document: VAT per tax,
    withholdings, pension funds.  Differences within tolerance (or, for VAT
    rounded line by line by the supplier, half a cent per line) become
    adjustments [(tax line id, new amount_currency)]; beyond, a Refusal.
    ``withholdings`` / ``pensions``: [(document item, TaxInfo)]."""
    direction = bill.direction

    def net(lines):
        return sum((line.amount for line in lines), ZERO) * direction

    adjustments = verify_vat(invoice, entries, bill, sign, tolerance)
    # withholdings (withholding taxes and ENASARCO): tax lines below zero
    w_ids = {tax.id for _w, tax in withholdings}
    w_lines = [line for line in bill.tax_lines if line.tax_id in w_ids]
    if withholdings:
        want = withheld(withholdings) * sign
        diff = _settle(
            want,
            -net(w_lines),
            w_lines,
            tolerance,
            _lt("withholding: bill %(bill)s, e-invoice %(doc)s"),
            WITHHOLDING,
        )
        if diff:
            adjustments.append((w_lines[0].id, w_lines[0].amount - diff * direction))
    # pension funds (contribution added to the VAT base)
    p_ids = {t.id for _f, t in pensions if t.amount > 0}
    p_lines = [line for line in bill.tax_lines if line.tax_id in p_ids]
    if p_ids:
        want = sum((D(f.amount) for f, t in pensions if t.amount > 0), ZERO) * sign
        diff = _settle(
            want,
            net(p_lines),
            p_lines,
            tolerance,
            _lt("pension fund: bill %(bill)s, e-invoice %(doc)s"),
            PENSION,
        )
        if diff:
            adjustments.append((p_lines[0].id, p_lines[0].amount + diff * direction))
    return adjustments


def _settle(want, have, lines, tolerance, template, focus=None):
    """The difference (document - bill, to the cent) to write on ``lines``;
    Refusal beyond the tolerance or when the bill has no such line."""
    diff = r2(want) - r2(have)
    if diff and (abs(diff) > tolerance or not lines):
        raise Refusal(
            "totals_mismatch", focus=focus, detail=Text(template, bill=fmt(have), doc=fmt(want))
        )
    return diff


def withheld(withholdings):
    """The amount withheld by the buyer ([(Withholding, tax)])."""
    return sum((D(w.amount) for w, _t in withholdings), ZERO)


def check_amount_due(invoice, entries, withholdings, sign, bill_total):
    """The bill's amount_total (untaxed + VAT + pension - withholding - split
    payment VAT) must equal the document's amount due."""
    split_tax = sum((e.tax for e in entries.values() if e.kind == SPLIT_PAYMENT), ZERO) * sign
    doc_total = (D(invoice.total) if invoice.total is not None else summary_total(entries)) * sign
    want_w = withheld(withholdings) * sign
    expected = r2(doc_total - want_w - split_tax)
    if r2(bill_total) != expected:
        raise Refusal(
            "totals_mismatch",
            focus=TOTAL,
            detail=Text(
                _lt(
                    "amount due: bill %(bill)s, e-invoice %(doc)s (total %(total)s, withholding "
                    "%(withholding)s%(split)s)"
                ),
                bill=fmt(bill_total),
                doc=fmt(expected),
                total=fmt(doc_total),
                withholding=fmt(want_w),
                split=Text(_lt(", split payment VAT %s"), fmt(split_tax)) if split_tax else "",
            ),
        )
