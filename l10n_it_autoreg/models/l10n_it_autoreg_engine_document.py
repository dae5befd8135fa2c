"""Engine: what the document is -- a supplier bill of this company, of
which type and currency -- and its Allegati (registration.document,
registration.identity)."""

import logging

from odoo import api, models

from ..registration import document as doc_rules
from ..registration import lines as line_rules
from ..registration.identity import check_addressee
from ..registration.outcome import Refusal

_logger = logging.getLogger(__name__)


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _read_document(self, invoice, batch, trace):
        """Refuse what is no supplier bill of this company; the document as
        the engine reads it (registration.document.readings, then the lines
        its withholding and pension funds are on: registration.lines.readings).
        First of all: a value the reader could not read
        (registration.document.check_values)."""
        doc_rules.check_values(invoice)
        doc_rules.check_not_self_invoice(invoice, self._find_integrated_bill(invoice, batch))
        company = batch.company
        cf = company.l10n_it_codice_fiscale if "l10n_it_codice_fiscale" in company._fields else None
        check_addressee(invoice, company.name, company.vat, cf)
        for reading in (doc_rules.readings, line_rules.readings):
            invoice, notes = reading(invoice)
            trace.extend(notes)
        return invoice

    @api.model
    def _decide_move_type(self, invoice):
        """(move_type, sign) of the bill; refused when the document type is
        no supplier bill the engine knows."""
        move_type, sign = doc_rules.move_type(invoice)
        if not move_type:
            raise Refusal("document_type_unknown", type=doc_rules.document_type(invoice) or "?")
        return move_type, sign

    def _find_integrated_bill(self, invoice, batch):
        """The bill a self-invoice integrates (by number), when registered."""
        numbers = doc_rules.integrated_numbers(invoice)
        if not numbers:
            return None
        return (
            self.env["account.move"].search(
                [
                    ("company_id", "=", batch.company.id),
                    ("move_type", "in", ("in_invoice", "in_refund")),
                    ("ref", "in", numbers),
                ],
                limit=1,
            )
            or None
        )

    def _decide_currency(self, invoice, batch):
        """The bill's currency: the Divisa, active and with a rate."""
        code = (invoice.currency or "EUR").upper()
        currency = batch.currencies.get(code)
        if not currency:
            raise Refusal("currency_not_found", currency=code)
        if not currency.active:
            raise Refusal("currency_inactive", currency=code)
        company = batch.company
        if currency != company.currency_id and invoice.date:
            # Odoo converts at 1.0 when a currency has no rate: the bill would
            # be right in its currency and wrong in the company's books
            Rate = self.env["res.currency.rate"].sudo()
            if not Rate.search_count(
                [
                    ("currency_id", "=", currency.id),
                    ("name", "<=", invoice.date),
                    ("company_id", "in", [company.root_id.id, False]),
                ],
                limit=1,
            ):
                raise Refusal("currency_rate_missing", currency=code, date=invoice.date)
        return currency

    def _attach_allegati(self, move, invoice):
        """The e-invoice's Allegati as attachments of the bill (a broken one
        never blocks the bill)."""
        vals = []
        for attachment in invoice.attachments:
            try:
                data = attachment.data()
            except Exception:  # noqa: BLE001
                _logger.warning("l10n_it_autoreg: attachment %s unreadable", attachment.name)
                continue
            if not data:
                continue
            name = attachment.name or "attachment"
            if attachment.format and "." not in name:
                name = f"{name}.{attachment.format.lower()}"
            vals.append(
                {
                    "name": name,
                    "raw": data,
                    "res_model": "account.move",
                    "res_id": move.id,
                    "company_id": move.company_id.id,
                }
            )
        if vals:
            self.env["ir.attachment"].create(vals)
