"""The *Print e-invoice* report: the received e-invoice of each bill, as the
tab shows it (every line: no pages), through Odoo's report engine (PDF where
wkhtmltopdf is installed, HTML otherwise)."""

from odoo import api, models


class ReportEinvoice(models.AbstractModel):
    _name = "report.l10n_it_autoreg.report_einvoice"
    _description = "Received e-invoice, readable"

    @api.model
    def _get_report_values(self, docids, data=None):
        moves = self.env["account.move"].browse(docids).exists()
        moves.check_access("read")
        return {
            "doc_ids": moves.ids,
            "doc_model": "account.move",
            "docs": moves,
            "einvoices": {
                move.id: move._l10n_it_autoreg_einvoice_values()
                for move in moves
                if move.l10n_it_autoreg_state
            },
        }
