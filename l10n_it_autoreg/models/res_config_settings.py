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
    l10n_it_autoreg_create_partner = fields.Boolean(
        related="company_id.l10n_it_autoreg_create_partner",
        readonly=False,
    )
    l10n_it_autoreg_detail_level = fields.Selection(
        related="company_id.l10n_it_autoreg_detail_level",
        readonly=False,
    )
    l10n_it_autoreg_default_account_id = fields.Many2one(
        related="company_id.l10n_it_autoreg_default_account_id",
        readonly=False,
    )
    l10n_it_autoreg_tolerance = fields.Float(
        related="company_id.l10n_it_autoreg_tolerance",
        readonly=False,
    )
    l10n_it_autoreg_rounding_account_id = fields.Many2one(
        related="company_id.l10n_it_autoreg_rounding_account_id",
        readonly=False,
    )
    l10n_it_autoreg_date_mode = fields.Selection(
        related="company_id.l10n_it_autoreg_date_mode",
        readonly=False,
    )
    l10n_it_autoreg_create_bank_account = fields.Boolean(
        related="company_id.l10n_it_autoreg_create_bank_account",
        readonly=False,
    )
