"""Readings of a document before any record is involved: what kind of bill
it is, and the ways suppliers write figures that the engine reads as what
they mean (ENASARCO in the lines, a total net of the withholding, an
unsigned credit note, due dates by terms).

Pure Python: takes and returns the reader's dataclasses (new copies, never
changed in place), Texts and Refusals.
"""

import dataclasses
import datetime

from ..fatturapa.model import Withholding
from .amounts import CENT, ZERO, D, fmt, r2
from .focus import WITHHOLDING, join, line_focus
from .outcome import Refusal, Text, _lt

SELF_INVOICE_TYPES = frozenset(
    [
        "TD16",
        "TD17",
        "TD18",
        "TD19",
        "TD20",
        "TD21",
        "TD22",
        "TD23",
        "TD26",
        "TD27",
        "TD28",
        "TD29",
    ]
)
INVOICE_TYPES = frozenset(["TD01", "TD02", "TD03", "TD05", "TD06", "TD07", "TD09", "TD24", "TD25"])
REFUND_TYPES = frozenset(["TD04", "TD08"])
# Reverse charge natures (the buyer integrates the VAT).
REVERSE_CHARGE_PREFIX = "N6"


def document_type(invoice):
    return (invoice.document_type or "").upper()


def move_type(invoice):
    """(move_type, sign): sign -1 when the document's amounts must be negated
    to give the bill's positive amounts.  (None, 0) when the document is not
    a supplier bill at all."""
    doc_type = document_type(invoice)
    total = invoice.amount_total if invoice.total is None else invoice.total
    negative = total is not None and D(total) < 0
    if doc_type in SELF_INVOICE_TYPES:
        return None, 0
    if doc_type in REFUND_TYPES:
        return "in_refund", -1 if negative else 1
    if doc_type in INVOICE_TYPES:
        return ("in_refund", -1) if negative else ("in_invoice", 1)
    return None, 0


# Values (README, "Values the reader could not read"): an amount or date the
# reader could not read (its ``bad_value`` and ``value_recovered``
# warnings) refuses the document as ``bad_value`` -- except in these fields,
# which never reach the bill's figures or dates: dates of linked documents
# (orders, contracts, DDT, transport, main invoice, vehicles, line periods,
# AltriDatiGestionali), early payment / penalty terms, weights, share
# capital, and a line's Quantita and PrezzoUnitario (the bill's line is
# PrezzoTotale: quantity x unit price only when they give it exactly).
IGNORED_VALUE_FIELDS = frozenset(
    [
        "Data",  # DatiOrdineAcquisto/Contratto/Convenzione/Ricezione/FattureCollegate, veicoli
        "DataDDT",
        "DataInizioTrasporto",
        "DataFatturaPrincipale",
        "DataFR",
        "DataInizioPeriodo",
        "DataFinePeriodo",
        "RiferimentoData",
        "DataLimitePagamentoAnticipato",
        "ScontoPagamentoAnticipato",
        "PenalitaPagamentiRitardati",
        "PesoLordo",
        "PesoNetto",
        "CapitaleSociale",
        "Quantita",
        "PrezzoUnitario",
        # integers that are no amount, date or term
        "NumeroLinea",
        "RiferimentoNumeroLinea",
        "NumeroColli",
    ]
)
# The dates a bill may have: beyond them a date is a typing error (0001-01-01,
# 9999-12-31, 2225 for 2025).
FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)
# Longer identifiers are no identifiers (the schema: Numero 20 characters,
# IdCodice 28): beyond these the document is refused before any record.
MAX_NUMBER_LENGTH = 50
MAX_ID_LENGTH = 40
# ENASARCO is shared equally by the agent and the principal (17% since
# 2020), and the principal withholds only the agent's half: a rate above
# 8.5% stated in the lines is the whole contribution, not what is withheld.
ENASARCO_AGENT_MAX_RATE = D("8.50")


def check_values(invoice):
    """Refuse (``bad_value``) a document with an amount or date the reader
    could not read, a date outside 2000-2100, or an absurdly long number or
    seller identifier."""
    for warning in invoice.warnings:
        kind, _sep, text = warning.partition(":")
        if kind not in ("bad_value", "value_recovered"):
            continue
        text = text.strip()
        field = text.split(" ", 1)[0]  # a path: DatiGeneraliDocumento/Data is not Data
        if field not in IGNORED_VALUE_FIELDS:
            raise Refusal("bad_value", detail=text)
    dates = [("Data", invoice.date)]
    for payment in invoice.payments:
        for item in payment.installments:
            dates.append(("DataScadenzaPagamento", item.due_date))
            dates.append(("DataRiferimentoTerminiPagamento", item.reference_date))
            start = item.reference_date or invoice.date
            if item.term_days is not None and start:
                try:
                    dates.append(
                        (
                            "GiorniTerminiPagamento",
                            start + datetime.timedelta(days=item.term_days),
                        )
                    )
                except (OverflowError, TypeError):
                    dates.append(("GiorniTerminiPagamento", datetime.date.max))
    for name, value in dates:
        if value and not FIRST_DATE <= value <= LAST_DATE:
            raise Refusal(
                "bad_value",
                detail=Text(
                    _lt("%(field)s %(date)s is not a date between 2000 and 2100"),
                    field=name,
                    date=value.isoformat(),
                ),
            )
    seller = invoice.seller
    for name, value, limit in (
        ("Numero", invoice.number, MAX_NUMBER_LENGTH),
        ("IdCodice", seller.vat if seller else None, MAX_ID_LENGTH),
        ("CodiceFiscale", seller.fiscal_code if seller else None, MAX_ID_LENGTH),
    ):
        if value and len(value) > limit:
            raise Refusal(
                "bad_value",
                detail=Text(
                    _lt("%(field)s of %(length)s characters (at most %(limit)s)"),
                    field=name,
                    length=len(value),
                    limit=limit,
                ),
            )


def check_not_self_invoice(invoice, integrated=None):
    """Refuse self-invoices and integrations (TD16-TD29) and documents the
    buyer issued for the supplier (SoggettoEmittente CC): never posted as a
    supplier bill.  ``integrated``: the bill it integrates, when known."""
    doc_type = document_type(invoice)
    if doc_type in SELF_INVOICE_TYPES:
        raise Refusal(
            "self_invoice",
            type=doc_type,
            linked=Text(_lt(" (it integrates bill %s)"), integrated) if integrated else "",
        )
    if (invoice.issuer or "").upper() == "CC":
        # SoggettoEmittente CC: the buyer (this company) issued the document
        # for the supplier, as self-invoices were written before TD16-TD29.
        # The supplier's own bill is registered apart: never post this one as
        # a second.  (It may also be an agricultural producer's invoice the
        # buyer issues for it, art. 34: the advice says both.)
        raise Refusal("self_invoice", text="self_invoice_by_buyer", type=doc_type or "?")


def integrated_numbers(invoice):
    """Numbers of the invoices a self-invoice integrates (DatiFattureCollegate)."""
    if document_type(invoice) not in SELF_INVOICE_TYPES:
        return []
    return [d.number for d in invoice.linked_documents if d.kind == "invoice" and d.number]


def unsigned_credit_note(invoice):
    """A credit note whose ImportoTotaleDocumento has the other sign than its
    lines and summary (software writing it unsigned): the same amount, with
    the summary's sign."""
    if (
        document_type(invoice) in REFUND_TYPES
        and invoice.total
        and invoice.total == -invoice.amount_total
    ):
        return dataclasses.replace(invoice, total=-invoice.total)
    return invoice


def enasarco_from_other_data(invoice):
    """ENASARCO written as Odoo (and older programs) write it: no RT04
    DatiRitenuta, each agent's line saying its contribution in
    AltriDatiGestionali (TipoDato CASSA-PREV, RiferimentoTesto naming ENASARCO
    or TC07, RiferimentoNumero the amount).  Read as the RT04 withholding it
    is when those lines are the withholding lines (or the document has no
    other withholding) at one rate: (invoice, trace note).  ENASARCO stated in
    the lines any other way is refused: the bill would ask for the
    contribution the buyer keeps."""
    if any((w.type or "").upper() == "RT04" for w in invoice.withholdings):
        return invoice, None
    stated, marked = False, {}
    for index, line in enumerate(invoice.lines):
        for data in line.other_data:
            words = ("{} {}".format(data.type or "", data.text or "")).upper()
            if "ENASARCO" not in words and "TC07" not in words:
                continue
            stated = True
            if (data.type or "").strip().upper() == "CASSA-PREV" and data.number is not None:
                marked[index] = marked.get(index, ZERO) + D(data.number)
    if not stated:
        return invoice, None
    flagged = {i for i, line in enumerate(invoice.lines) if line.withholding}
    base = sum((D(invoice.lines[i].price_total) for i in marked), ZERO)
    amount = sum(marked.values(), ZERO)
    rate = r2(abs(amount * 100 / base)) if base and amount else ZERO
    sign = -1 if (amount < 0) != (base < 0) else 1
    # one contribution: on the withholding lines, every line at one rate
    focus = join(WITHHOLDING, line_focus(*(invoice.lines[i].number for i in sorted(marked))))
    if rate > ENASARCO_AGENT_MAX_RATE:
        raise Refusal(
            "totals_mismatch",
            focus=focus,
            detail=Text(
                _lt(
                    "ENASARCO %(rate)s%% stated in the lines' AltriDatiGestionali is more than the "
                    "agent's share (%(max)s%%): the whole contribution, not what is withheld"
                ),
                rate=fmt(rate),
                max=fmt(ENASARCO_AGENT_MAX_RATE),
            ),
        )
    if (
        not rate
        or (invoice.withholdings and flagged != set(marked))
        or any(
            abs(r2(D(invoice.lines[i].price_total) * rate * sign / 100) - value) > CENT
            for i, value in marked.items()
        )
    ):
        raise Refusal(
            "totals_mismatch",
            focus=focus,
            detail=Text(
                _lt(
                    "ENASARCO is stated in the lines' AltriDatiGestionali, not as one contribution "
                    "of "
                    "the withholding lines (no RT04 DatiRitenuta)"
                )
            ),
        )
    lines = [
        dataclasses.replace(line, withholding=True) if i in marked else line
        for i, line in enumerate(invoice.lines)
    ]
    withholding = Withholding(type="RT04", amount=abs(amount), rate=rate)
    invoice = dataclasses.replace(
        invoice, lines=lines, withholdings=[*invoice.withholdings, withholding]
    )
    return invoice, Text(
        _lt("ENASARCO %(rate)s%% (%(amount)s) from the lines' AltriDatiGestionali CASSA-PREV"),
        rate=fmt(rate),
        amount=fmt(abs(amount)),
    )


def total_net_of_withholding(invoice):
    """ImportoTotaleDocumento written net of the withholding (the amount to
    pay), exactly, with nothing else that could explain the gap (discount,
    rounding, bollo): the document's total is its summary's.
    (invoice, trace note)."""
    withheld = sum((D(w.amount) for w in invoice.withholdings), ZERO)
    if (
        not withheld
        or invoice.total is None
        or D(invoice.total) + withheld != invoice.amount_total
        or invoice.discounts
        or invoice.rounding
        or any(row.rounding for row in invoice.vat_summary)
        or (invoice.stamp_duty and invoice.stamp_duty.amount)
    ):
        return invoice, None
    note = Text(
        _lt(
            "ImportoTotaleDocumento %(total)s is written net of the withholding "
            "%(withholding)s: document total %(gross)s"
        ),
        total=fmt(invoice.total),
        withholding=fmt(withheld),
        gross=fmt(invoice.amount_total),
    )
    return dataclasses.replace(invoice, total=invoice.amount_total), note


def readings(invoice):
    """The document as the engine reads it, and the trace notes of the
    readings applied (in order: unsigned credit note, ENASARCO in the lines,
    total net of the withholding)."""
    notes = []
    invoice = unsigned_credit_note(invoice)
    for reading in (enasarco_from_other_data, total_net_of_withholding):
        invoice, note = reading(invoice)
        if note:
            notes.append(note)
    return invoice, notes


def payment_blocks(invoice):
    """The installments of each DatiPagamento block, with their due date when
    the document gives it by terms (reference date or document date + days)."""
    blocks = []
    for payment in invoice.payments:
        block = []
        for installment in payment.installments:
            if not installment.due_date and installment.term_days is not None:
                start = installment.reference_date or invoice.date
                try:
                    due = start + datetime.timedelta(days=installment.term_days)
                except (OverflowError, TypeError):
                    due = None
                installment = dataclasses.replace(installment, due_date=due)
            block.append(installment)
        blocks.append(block)
    return blocks
