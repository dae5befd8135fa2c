from odoo import fields, models

# How a registered e-invoice becomes bill lines (company default, supplier override).
DETAIL_LEVELS = [
    ("lines", "Full lines"),
    ("rate", "One line per VAT rate"),
    ("single", "One line"),
]


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

    # Registration options (used by the engine, shown in Settings)
    l10n_it_autoreg_create_partner = fields.Boolean(
        string="Create missing suppliers",
        default=True,
        help="Create the supplier from the e-invoice (CedentePrestatore) when "
        "no contact has its VAT number or fiscal code.",
    )
    l10n_it_autoreg_create_taxes = fields.Boolean(
        string="Create missing withholding and pension fund taxes",
        default=True,
        help="When no purchase tax matches a withholding (DatiRitenuta: type, "
        "reason, rate) or a pension fund (DatiCassaPrevidenziale: fund, rate) "
        "of the e-invoice, create it like the chart's own withholding, ENASARCO "
        "or pension fund tax (accounts, tax group, repartition). The bill is "
        "still verified against the e-invoice, and marked to review.",
    )
    l10n_it_autoreg_detail_level = fields.Selection(
        DETAIL_LEVELS,
        string="Bill detail level",
        default="lines",
        help="Default for suppliers that do not set their own.",
    )
    l10n_it_autoreg_default_account_id = fields.Many2one(
        "account.account",
        string="Default expense account",
        check_company=True,
        help="Used when neither the product, the supplier nor the supplier's "
        "previous bills give an account.",
    )
    l10n_it_autoreg_tolerance = fields.Float(
        string="Rounding tolerance",
        default=0.05,
        digits=(16, 2),
        help="A difference up to this amount between the bill and the "
        "e-invoice totals becomes an explicit rounding line; beyond it the "
        "document is not registered.",
    )
    l10n_it_autoreg_rounding_account_id = fields.Many2one(
        "account.account",
        string="Rounding account",
        check_company=True,
    )
    l10n_it_autoreg_stamp_account_id = fields.Many2one(
        "account.account",
        string="Stamp duty account",
        check_company=True,
        help="Account of the stamp duty (bollo) charged by suppliers; empty: "
        "the chart's 'Oneri fiscali diversi' (4901).",
    )
    l10n_it_autoreg_date_mode = fields.Selection(
        [
            ("document", "Document date"),
            ("receipt", "Receipt date"),
        ],
        string="Accounting date",
        default="document",
    )
    l10n_it_autoreg_create_bank_account = fields.Boolean(
        string="Create supplier bank accounts",
        default=True,
        help="Record the IBAN of the e-invoice as the supplier's bank account "
        "and use it as the bill's recipient bank.",
    )

    l10n_it_autoreg_failure_notice = fields.Selection(
        [
            ("activity", "An activity for the accounting managers"),
            ("digest", "A daily e-mail to the accounting managers"),
        ],
        string="Documents not registered by the scheduled action",
        default="activity",
        required=True,
        help="How the accounting managers hear of the e-invoices the scheduled action could "
        "not register: one activity each, kept up to date (never one per document), or one "
        "e-mail a day listing them.",
    )
    l10n_it_autoreg_digest_date = fields.Datetime(
        string="Last digest of documents not registered",
        readonly=True,
        copy=False,
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
