from odoo import fields, models

from .res_company import DETAIL_LEVELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_it_autoreg_detail_level = fields.Selection(
        DETAIL_LEVELS,
        string="E-invoice detail level",
        company_dependent=True,
        help="How this supplier's e-invoices are registered; empty: the " "company's default.",
    )
    l10n_it_autoreg_account_id = fields.Many2one(
        "account.account",
        string="E-invoice expense account",
        company_dependent=True,
        help="Account of the lines of this supplier's registered e-invoices "
        "when the product gives none.",
    )
