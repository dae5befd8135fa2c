from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Only accounting managers switch the feature on or off.
    l10n_it_autoreg_enabled = fields.Boolean(
        related="company_id.l10n_it_autoreg_enabled",
        readonly=False,
        groups="account.group_account_manager",
    )
    l10n_it_autoreg_enabled_since = fields.Datetime(
        related="company_id.l10n_it_autoreg_enabled_since",
    )
    l10n_it_autoreg_create_partner = fields.Boolean(
        related="company_id.l10n_it_autoreg_create_partner",
        readonly=False,
    )
    l10n_it_autoreg_create_taxes = fields.Boolean(
        related="company_id.l10n_it_autoreg_create_taxes",
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
    l10n_it_autoreg_stamp_account_id = fields.Many2one(
        related="company_id.l10n_it_autoreg_stamp_account_id",
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
    l10n_it_autoreg_failure_notice = fields.Selection(
        related="company_id.l10n_it_autoreg_failure_notice",
        readonly=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_l10n_it_autoreg_switch(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_l10n_it_autoreg_switch(vals)
        return super().write(vals)

    def _check_l10n_it_autoreg_switch(self, vals):
        """Only accounting managers switch automatic registration on or off."""
        if "l10n_it_autoreg_enabled" not in vals or self.env.su:
            return
        company = (
            self.env["res.company"].browse(vals.get("company_id"))
            or self.company_id
            or self.env.company
        )
        if bool(vals["l10n_it_autoreg_enabled"]) == company.l10n_it_autoreg_enabled:
            return
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(
                _(
                    "Only accounting managers can switch the automatic registration "
                    "of electronic purchases on or off."
                )
            )
