from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_it_autoreg_enabled = fields.Boolean(
        related="company_id.l10n_it_autoreg_enabled",
        readonly=False,
    )
    l10n_it_autoreg_enabled_since = fields.Datetime(
        related="company_id.l10n_it_autoreg_enabled_since",
    )
