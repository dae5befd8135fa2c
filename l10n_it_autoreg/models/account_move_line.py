"""Lines of registered bills: what the registration decided for them, so
that a person's correction (another account or analytic distribution on
the line afterwards) teaches the next bills of the supplier
(registration.learning), and the supplier's article code of the line."""

from odoo import fields, models

from ..registration.learning import same_analytic


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
    l10n_it_autoreg_corrected_uid = fields.Many2one(
        "res.users",
        string="Corrected by",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="Who changed the account or analytic distribution the automatic registration "
        "gave this line.",
    )
    l10n_it_autoreg_corrected_date = fields.Datetime(
        string="Corrected on", copy=False, readonly=True
    )

    def write(self, vals):
        # EXTENDS account: a person changing the account or the analytic
        # distribution of a line the registration decided corrects it; who
        # and when are kept (the last writer of a line is not: Odoo's
        # recomputations write it too), the supplier's next bills follow it.
        decided = self.browse()
        if "account_id" in vals or "analytic_distribution" in vals:
            decided = self.filtered("l10n_it_autoreg_decided_account_id")
        result = super().write(vals)
        corrected = decided.filtered(
            lambda line: line.account_id != line.l10n_it_autoreg_decided_account_id
            or not same_analytic(line.analytic_distribution, line.l10n_it_autoreg_decided_analytic)
        )
        if corrected:
            corrected.write(
                {
                    "l10n_it_autoreg_corrected_uid": self.env.uid,
                    "l10n_it_autoreg_corrected_date": fields.Datetime.now(),
                }
            )
        return result
