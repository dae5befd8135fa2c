"""Purchase taxes created with "Create this tax" (account_move_missing_tax.py):
the values pre-filled from the document and the company's nearest taxes
(registration.missing_tax), and, on save, the registration again of the
documents waiting for the tax (through the run, the only writer of runs)."""

from odoo import _, api, fields, models
from odoo.fields import Command
from odoo.tools.misc import clean_context

from ..registration.missing_tax import SPLIT_PAYMENT_LAW, nearest_taxes
from ..registration.taxes import EXEMPT, REVERSE_CHARGE, SPLIT_PAYMENT
from .account_move_missing_tax import MISSING_TAX_CONTEXT

# VAT report grids of the Natura (reverse charge, some non-taxable ones):
# those of the copied tax are replaced by the new tax's own.
GRID_PREFIX = "VJ"


class AccountTax(models.Model):
    _inherit = "account.tax"

    l10n_it_autoreg_waiting_count = fields.Integer(
        string="Documents waiting",
        compute="_compute_l10n_it_autoreg_waiting_count",
        help="Not recognized e-invoice bills waiting for this tax: they are registered again "
        "when it is saved.",
    )

    @api.depends("company_id")
    @api.depends_context(MISSING_TAX_CONTEXT)
    def _compute_l10n_it_autoreg_waiting_count(self):
        key = self.env.context.get(MISSING_TAX_CONTEXT)
        Move = self.env["account.move"]
        for tax in self:
            company = tax.company_id or self.env.company
            tax.l10n_it_autoreg_waiting_count = (
                len(Move._l10n_it_autoreg_waiting_for_tax(company, key)) if key else 0
            )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS account: a tax saved from "Create this tax" registers the
        # documents waiting for it again
        taxes = super().create(vals_list)
        key = self.env.context.get(MISSING_TAX_CONTEXT)
        if key:
            for tax in taxes:
                tax._l10n_it_autoreg_register_waiting(key)
        return taxes

    def _l10n_it_autoreg_register_waiting(self, key):
        """Register again the documents of the tax's company waiting for the
        tax of ``key`` (one run, its outcome notified to the user); said in
        the tax's chatter.  Returns the run (none when nothing waits)."""
        self.ensure_one()
        # the form's default_* values must not reach what the run creates
        tax = self.with_context(  # pylint: disable=context-overridden
            clean_context(self.env.context), **{MISSING_TAX_CONTEXT: False}
        )
        moves = tax.env["account.move"]._l10n_it_autoreg_waiting_for_tax(tax.company_id, key)
        runs = tax.env["l10n_it_autoreg.run"]
        if not moves:
            return runs
        runs = runs._register_now(moves)
        for run in runs:
            run._notify_outcome()
            tax.message_post(
                body=_(
                    "Created for the received e-invoices waiting for it: %(summary)s",
                    summary=run._outcome_summary(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return runs

    # ------------------------------------------------------------------
    # Pre-filled values
    # ------------------------------------------------------------------
    @api.model
    def _l10n_it_autoreg_missing_tax_vals(self, company, missing, law_reference=None):
        """The values of the purchase tax ``missing`` (a MissingTax) of
        ``company``: rate, Natura and law reference from the document, the
        distribution, accounts and tax group of the company's nearest tax,
        the -100% lines of a split payment or reverse charge."""
        infos = self.env["l10n_it_autoreg.engine"].with_company(company)._prefetch_taxes(company)
        model_info, negative_info = nearest_taxes(missing, infos)
        Tax = self.with_context(active_test=False)
        model = Tax.browse(model_info.id) if model_info else Tax
        negative = Tax.browse(negative_info.id) if negative_info else Tax
        country = model.country_id or company.account_fiscal_country_id
        vals = {
            "name": self._l10n_it_autoreg_free_name(company, missing.name),
            "type_tax_use": "purchase",
            "amount_type": "percent",
            "amount": float(missing.amount),
            "invoice_label": missing.label,
            "company_id": company.id,
            "country_id": country.id,
            "tax_group_id": model.tax_group_id.id,
            "sequence": model.sequence or 1,
            "l10n_it_exempt_reason": missing.nature or False,
            "l10n_it_law_reference": self._l10n_it_autoreg_law(missing, law_reference),
        }
        for document_type in ("invoice", "refund"):
            vals[f"{document_type}_repartition_line_ids"] = self._l10n_it_autoreg_repartition(
                missing, model, negative, document_type, company, country
            )
        return vals

    @api.model
    def _l10n_it_autoreg_law(self, missing, law_reference):
        """The law reference of the new tax: the document's, else the
        split payment article or the Natura's label."""
        if law_reference:
            return law_reference[:100]
        if missing.kind == SPLIT_PAYMENT:
            return SPLIT_PAYMENT_LAW
        if missing.kind in (EXEMPT, REVERSE_CHARGE):
            labels = dict(self._fields["l10n_it_exempt_reason"]._description_selection(self.env))
            return (labels.get(missing.nature) or missing.nature)[:100]
        return False

    @api.model
    def _l10n_it_autoreg_free_name(self, company, name):
        """``name``, or ``name (2)``... when a purchase tax of the company
        (archived ones too) has it."""
        Tax = self.with_context(active_test=False)
        taken = set(
            Tax.search(
                [*Tax._check_company_domain(company), ("type_tax_use", "=", "purchase")]
            ).mapped("name")
        )
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name} ({number})"
        return candidate

    @api.model
    def _l10n_it_autoreg_repartition(
        self, missing, model, negative, document_type, company, country
    ):
        """[Command.create] of the distribution of ``document_type``: the
        model's lines (without its Natura grids: the new tax's own grid
        instead), and for a +/- tax the -100% lines of ``negative`` (else
        one on the VAT payable account of the company's sale tax)."""
        field = f"{document_type}_repartition_line_ids"
        lines = model[field].sorted(lambda line: (line.sequence, line.id))
        if not missing.negative:
            lines = lines.filtered(lambda line: line.factor_percent >= 0)
        grid = self._l10n_it_autoreg_grid_tag(missing, document_type, country)
        vals = [self._l10n_it_autoreg_line_vals(line, document_type, grid) for line in lines]
        if not lines:
            vals = [
                {"document_type": document_type, "repartition_type": "base", "tag_ids": []},
                {"document_type": document_type, "repartition_type": "tax", "tag_ids": []},
            ]
        if missing.negative and not any(line.factor_percent < 0 for line in lines):
            owed = negative[field].filtered(lambda line: line.factor_percent < 0)
            vals += [self._l10n_it_autoreg_line_vals(line, document_type, None) for line in owed]
            if not owed:
                vals.append(
                    {
                        "document_type": document_type,
                        "repartition_type": "tax",
                        "factor_percent": -100.0,
                        "account_id": self._l10n_it_autoreg_vat_payable(company, missing).id,
                        "sequence": max((v.get("sequence") or 1 for v in vals), default=1) + 1,
                    }
                )
        return [Command.create(v) for v in vals]

    @api.model
    def _l10n_it_autoreg_line_vals(self, line, document_type, grid):
        """The values of a copy of the repartition line ``line``; a base line
        takes the tag ``grid`` instead of the copied tax's Natura grids."""
        tags = line.tag_ids.filtered(
            lambda tag: not (tag.name or "").lstrip("+-").upper().startswith(GRID_PREFIX)
        )
        if grid and line.repartition_type == "base":
            tags |= grid
        return {
            "document_type": document_type,
            "repartition_type": line.repartition_type,
            "factor_percent": line.factor_percent,
            "account_id": line.account_id.id,
            "tag_ids": [Command.set(tags.ids)],
            "use_in_tax_closing": line.use_in_tax_closing,
            "sequence": line.sequence,
        }

    @api.model
    def _l10n_it_autoreg_grid_tag(self, missing, document_type, country):
        """The VAT report grid tag of the Natura of ``missing`` (l10n_it_edi's
        mapping), signed for the invoice (+) or the refund (-) base."""
        grid = missing.nature and self.env[
            "account.move"
        ]._l10n_it_edi_exempt_reason_tag_mapping().get(missing.nature)
        if not grid:
            return self.env["account.account.tag"]
        sign = "+" if document_type == "invoice" else "-"
        return self.env["account.account.tag"].search(
            [
                ("name", "=ilike", sign + grid),
                ("applicability", "=", "taxes"),
                ("country_id", "=", country.id),
            ],
            limit=1,
        )

    @api.model
    def _l10n_it_autoreg_vat_payable(self, company, missing):
        """The VAT payable account of the company's sale tax of the rate
        (else of its default sale tax)."""
        Tax = self.with_context(active_test=False)
        sale = Tax.search(
            [
                *Tax._check_company_domain(company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", float(missing.amount)),
            ],
            order="active desc, sequence, id",
        )
        for tax in sale | company.account_sale_tax_id:
            accounts = tax.invoice_repartition_line_ids.filtered(
                lambda line: line.repartition_type == "tax" and line.factor_percent > 0
            ).account_id
            if accounts:
                return accounts[:1]
        return self.env["account.account"]
