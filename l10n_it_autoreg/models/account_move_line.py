"""Lines of registered bills: what the registration decided for them, so
that a person's correction (another account or analytic distribution on
the line afterwards) teaches the next bills of the supplier
(registration.learning), and the supplier's article code of the line."""

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    l10n_it_autoreg_article_code = fields.Char(
        string="E-invoice article code",
        copy=False,
        readonly=True,
        help="The supplier's article code (CodiceArticolo) of the e-invoice line.",
    )
    l10n_it_autoreg_decided_account_id = fields.Many2one(
        "account.account",
        string="Account decided by the registration",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The account the automatic registration gave the line: when a person changes "
        "it, the supplier's next bills follow the correction.",
    )
    l10n_it_autoreg_decided_analytic = fields.Json(
        string="Analytic distribution decided by the registration",
        copy=False,
        readonly=True,
    )
