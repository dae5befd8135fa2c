"""The due-date schedule of the e-invoice: its installments as the bill's
payable lines; when they do not add up to the amount due (and nothing
explains it), the whole amount due on the earliest stated due date, to
review (``schedule_adjusted``).

Pure Python.  The schedule is decided once the bill's figures are verified
(untaxed, VAT, total and amount due equal the document's): only the
installments are uncertain then, never the amount.
"""

from .amounts import ZERO, D, fmt, r2
from .outcome import Text, _lt
from .reviews import Review


def due_date_schedule(invoice, blocks, due, refund, tolerance):
    """([(date, amount_currency or None)] or None, trace note or None).

    ``blocks``: the installments of each DatiPagamento (document.payment_blocks);
    ``due``: the bill's amount due (positive); ``refund``: the bill is a
    credit note.  Installments that add up to the amount due are the
    payable lines, one each; otherwise (unless explained: alternative payment
    blocks, the document total written as the amount to pay, a credit note
    paying 0.00) the whole amount is due on the earliest stated due date
    and the note is the Review ``schedule_adjusted``.  ``None`` as schedule:
    the document gives no due date (the supplier's terms or the document
    date decide).  The last payable line (amount None) takes the rest."""
    dated = [i for block in blocks for i in block if i.due_date]
    if not dated:
        unreadable = [
            w.partition(":")[2].strip()
            for w in invoice.warnings
            if w.startswith("bad_value: DataScadenzaPagamento")
        ]
        note = (
            Text(
                _lt(
                    "The e-invoice's due date cannot be read (%s): due date from the "
                    "supplier's payment terms, or the document date"
                ),
                "; ".join(unreadable),
            )
            if unreadable
            else None
        )
        return None, note
    due = r2(due)
    amounts = [D(i.amount) for i in dated]
    if all(a <= 0 for a in amounts) and any(a < 0 for a in amounts):
        # credit notes written with negative amounts: the bill's sign
        amounts = [-a for a in amounts]
    total = r2(sum(amounts, ZERO))
    note = None
    if abs(total - due) > tolerance:
        dated, amounts, note = _unequal_installments(
            invoice, blocks, dated, amounts, total, due, refund, tolerance
        )
    if len(dated) == 1:
        schedule = [(dated[0].due_date, None)]
    else:
        direction = 1 if refund else -1
        schedule = [(i.due_date, a * direction) for i, a in zip(dated, amounts, strict=False)]
    return schedule, note or Text(
        _lt("Due dates: %s"),
        ", ".join(f"{i.due_date} {fmt(i.amount)}" for i in dated),
    )


def _unequal_installments(invoice, blocks, dated, amounts, total, due, refund, tolerance):
    """(installments, amounts, note) of installments that do not add up to
    the amount due: as explained (alternative payment blocks, the document
    total written as the amount to pay, a credit note paying 0.00), else
    the whole amount on the earliest stated due date, to review."""
    dated_blocks = [b for b in ([i for i in block if i.due_date] for block in blocks) if b]
    doc_total = abs(D(invoice.total)) if invoice.total is not None else None
    if len(dated_blocks) > 1 and all(
        abs(r2(sum((abs(D(i.amount)) for i in b), ZERO)) - due) <= tolerance for b in dated_blocks
    ):
        # several DatiPagamento of the whole amount: alternative ways to
        # pay the same amount (transfer or RIBA), not twice
        dated = dated_blocks[0]
        amounts = [abs(D(i.amount)) for i in dated]
        note = Text(
            _lt(
                "The e-invoice gives %s alternative payment blocks of the whole "
                "amount: the first one is used"
            ),
            len(dated_blocks),
        )
    elif (
        len(dated) == 1
        and doc_total is not None
        and total == r2(doc_total)
        and due != r2(doc_total)
        and (invoice.withholdings or any((r.due or "").upper() == "S" for r in invoice.vat_summary))
    ):
        # the supplier wrote the document total as the amount to pay,
        # forgetting the withholding / split payment VAT the buyer keeps:
        # the amount due is the law's, the date the document's
        note = Text(
            _lt(
                "Due date %(date)s from the e-invoice (its amount %(amount)s is the "
                "document total; the amount due net of withholding / split "
                "payment VAT is %(due)s)"
            ),
            date=dated[0].due_date,
            amount=fmt(total),
            due=fmt(due),
        )
    elif refund and not any(amounts):
        # a credit note "paying" 0.00: no money is asked for, the date is
        # the document's, the amount the credit note's
        dated = dated[:1]
        note = Text(
            _lt(
                "Due date %(date)s from the e-invoice (a credit note whose "
                "installment amount is 0.00)"
            ),
            date=dated[0].due_date,
        )
    else:
        dated, amounts, note = adjusted_schedule(dated, total, due)
    return dated, amounts, note


def adjusted_schedule(dated, total, due):
    """(installments, amounts, Review) of installments that do not add up to
    the amount due and that nothing explains (installments of the gross
    total while a withholding is due, installments summing to more or less,
    several DatiPagamento that are not each the whole amount...): the bill's
    figures are verified, only the schedule is uncertain: one payable line
    of the whole amount on the earliest stated due date."""
    earliest = min(dated, key=lambda i: i.due_date)
    note = Review("schedule_adjusted", stated=fmt(total), due=fmt(due), date=earliest.due_date)
    return [earliest], [due], note
