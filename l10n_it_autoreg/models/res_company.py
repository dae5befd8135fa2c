from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_it_autoreg_enabled = fields.Boolean(
        string="Automatic registration of electronic purchases",
        help="Received e-invoices are registered as posted vendor bills by a "
        "scheduled action, from the moment this is switched on.",
    )
    l10n_it_autoreg_enabled_since = fields.Datetime(
        string="Automatic registration active since",
        readonly=True,
        help="Only e-invoices received from this moment on are taken by the "
        "scheduled action; older ones can be registered from the list.",
    )

    def write(self, vals):
        # Record the activation moment: it bounds what the cron may take.
        if "l10n_it_autoreg_enabled" in vals:
            if vals["l10n_it_autoreg_enabled"]:
                switched_on = self.filtered(lambda c: not c.l10n_it_autoreg_enabled)
                res = super().write(vals)
                switched_on.l10n_it_autoreg_enabled_since = fields.Datetime.now()
                return res
            vals = dict(vals, l10n_it_autoreg_enabled_since=False)
        return super().write(vals)
