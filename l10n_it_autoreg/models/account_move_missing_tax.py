"""Bills waiting for a purchase tax: the key of the tax a ``tax_not_found``
document waits for (stored by the engine when it refuses it) and the
"Create this tax" action, a tax form pre-filled from the document; saving
it registers the documents waiting for it again (account_tax.py)."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..registration.missing_tax import MissingTax
from ..registration.taxes import vat_key

# Context key of the tax form opened by "Create this tax": the key of the
# missing tax, whose waiting documents are registered again on save.
MISSING_TAX_CONTEXT = "l10n_it_autoreg_missing_tax_key"
TAX_MANAGER_GROUP = "account.group_account_manager"


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_it_autoreg_missing_tax_key = fields.Char(
        string="Missing tax",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Technical: the purchase tax this not recognized bill waits for (rate|Natura, "
        "rate|S for split payment), set when it is refused for a missing tax.",
    )

    @api.model
    def _l10n_it_autoreg_waiting_for_tax(self, company, key):
        """The not recognized draft bills of ``company`` waiting for the tax
        of ``key``."""
        if not key:
            return self.browse()
        return self.with_company(company).search(
            self.env["l10n_it_autoreg.run"]._to_register_domain()
            + [
                ("company_id", "=", company.id),
                ("l10n_it_autoreg_state", "=", "unrecognized"),
                ("l10n_it_autoreg_reason_code", "=", "tax_not_found"),
                ("l10n_it_autoreg_missing_tax_key", "=", key),
            ]
        )

    def action_l10n_it_autoreg_create_missing_tax(self):
        """Create this tax: the form of the purchase tax this bill waits for,
        pre-filled from its e-invoice and from the company's nearest tax;
        on save, every bill of the company waiting for it is registered
        again."""
        self.ensure_one()
        if not self.env.user.has_group(TAX_MANAGER_GROUP):
            raise AccessError(
                _(
                    "Only accounting administrators can create taxes: ask one to create the "
                    "tax %(bill)s waits for.",
                    bill=self.display_name,
                )
            )
        missing = MissingTax.from_key(self.l10n_it_autoreg_missing_tax_key)
        if not missing or self not in self._l10n_it_autoreg_waiting_for_tax(
            self.company_id, self.l10n_it_autoreg_missing_tax_key
        ):
            raise UserError(
                _(
                    "%(bill)s is not waiting for a purchase tax to be created.",
                    bill=self.display_name,
                )
            )
        Tax = self.env["account.tax"].with_company(self.company_id)
        vals = Tax._l10n_it_autoreg_missing_tax_vals(
            self.company_id, missing, self._l10n_it_autoreg_law_reference(missing)
        )
        context = {f"default_{name}": value for name, value in vals.items()}
        context[MISSING_TAX_CONTEXT] = missing.key
        return {
            "type": "ir.actions.act_window",
            "name": _("Create this tax"),
            "res_model": "account.tax",
            "views": [
                (self.env.ref("l10n_it_autoreg.view_tax_form_l10n_it_autoreg_missing").id, "form")
            ],
            "target": "new",
            "context": context,
        }

    def _l10n_it_autoreg_law_reference(self, missing):
        """The RiferimentoNormativo of the e-invoice's VAT summary row of
        ``missing`` (None when it has none or the file cannot be read)."""
        self.ensure_one()
        attachment = self.l10n_it_autoreg_attachment_id
        if not attachment:
            return None
        result = self._l10n_it_autoreg_read_attachment(attachment)
        index = self.l10n_it_autoreg_body_index or 0
        if not result.ok or index >= len(result.invoices):
            return None
        for row in result.invoices[index].vat_summary:
            if (
                vat_key(row.vat_rate, row.vat_nature) == (missing.rate, missing.nature)
                and (row.law_reference or "").strip()
            ):
                return row.law_reference.strip()
        return None
