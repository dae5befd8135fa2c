from odoo import _, api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_it_autoreg_state = fields.Selection(
        [
            ("pending", "To register"),
            ("registered", "Registered"),
            ("unrecognized", "Not recognized"),
        ],
        string="Automatic registration",
        copy=False,
        index=True,
        readonly=True,
        help="Empty: not from a received e-invoice.",
    )
    l10n_it_autoreg_reason_code = fields.Char(
        string="Reason code", copy=False, readonly=True, index=True,
    )
    l10n_it_autoreg_reason = fields.Text(
        string="Reason", copy=False, readonly=True,
    )

    l10n_it_autoreg_received_date = fields.Datetime(
        string="Received on", copy=False, readonly=True, index=True,
        help="When the e-invoice was received: the cron only takes documents "
        "received after automatic registration was switched on.",
    )

    def action_l10n_it_autoreg_register(self):
        """Register the pending / not recognized e-invoice bills of ``self``.

        Returns the run (``l10n_it_autoreg.run``)."""
        moves = self.filtered(
            lambda m: m.l10n_it_autoreg_state in ("pending", "unrecognized")
        )
        return self.env["l10n_it_autoreg.run"].create({
            "company_id": (moves.company_id[:1] or self.env.company).id,
        })
