"""Engine: the withholding and pension fund taxes created from the document
when the company has none for a DatiRitenuta / DatiCassaPrevidenziale
(company option, registration.missing_taxes decides what to create).

A tax is created inside the document's savepoint: when the document is not
registered the tax goes with it (BatchContext.forget_rolled_back), and the
next documents of the batch use a tax an earlier one created."""

import hashlib

from odoo import models
from odoo.exceptions import UserError, ValidationError

from ..db_errors import ConcurrentUpdate
from ..registration import missing_taxes
from ..registration.outcome import Refusal, Text, _lt
from ..registration.reviews import Review

# the account.tax fields whose codes the document gives
TAX_CODE_FIELDS = {
    "withholding_type": "l10n_it_withholding_type",
    "withholding_reason": "l10n_it_withholding_reason",
    "pension_fund_type": "l10n_it_pension_fund_type",
}

# the purchase taxes of a company (and its parents) of a rate and codes
TAXES_QUERY = """
    SELECT id FROM account_tax
     WHERE company_id = ANY(%s)
       AND type_tax_use = 'purchase'
       AND amount_type = 'percent'
       AND ROUND(amount::numeric, 2) = %s
       AND COALESCE(l10n_it_withholding_type, '') = %s
       AND COALESCE(l10n_it_withholding_reason, '') = %s
       AND COALESCE(l10n_it_pension_fund_type, '') = %s
"""


def tax_lock_id(company_id, key):
    """The advisory lock id of creating the tax ``key`` for a company."""
    digest = hashlib.sha256(f"l10n_it_autoreg.tax:{company_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _may_create_taxes(self, company):
        """Whether missing withholding and pension fund taxes are created
        from the documents (Settings)."""
        return company.l10n_it_autoreg_create_taxes

    def _tax_codes(self):
        """{code kind: the codes Odoo's tax fields accept} (TAX_CODE_FIELDS)."""
        Tax = self.env["account.tax"]
        return {
            kind: {value for value, _label in Tax._fields[name]._description_selection(self.env)}
            for kind, name in TAX_CODE_FIELDS.items()
        }

    def _tax_or_create(self, decide, describe, item, invoice, batch, trace):
        """``decide(item, batch)``; when it refuses and the company allows it,
        the tax ``describe(item, invoice, taxes, codes)`` says (a
        missing_taxes.NewTax) is created and ``decide`` asked again; else the
        refusal stands."""
        try:
            return decide(item, batch)
        except Refusal as refusal:
            new = self._may_create_taxes(batch.company) and describe(
                item, invoice, batch.taxes, self._tax_codes()
            )
            if not new:
                raise
            self._create_tax(new, refusal, batch, trace)
        return decide(item, batch)

    def _withholding_tax_or_create(self, withholding, invoice, batch, trace):
        """The TaxInfo of a DatiRitenuta: the company's, else the one created
        from the document (when allowed)."""
        return self._tax_or_create(
            self._decide_withholding_tax,
            missing_taxes.new_withholding_tax,
            withholding,
            invoice,
            batch,
            trace,
        )

    def _pension_tax_or_create(self, fund, invoice, batch, trace):
        """The TaxInfo of a DatiCassaPrevidenziale: the company's, else the
        one created from the document (when allowed); None for a 0% fund of
        0.00 without a tax (nothing to compute)."""
        if missing_taxes.needs_pension_tax(fund):
            return self._tax_or_create(
                self._decide_pension_tax, missing_taxes.new_pension_tax, fund, invoice, batch, trace
            )
        try:
            return self._decide_pension_tax(fund, batch)
        except Refusal:
            trace.append(
                Text(_lt("Pension fund %(type)s at 0%%: no contribution, no tax"), type=fund.type)
            )
            return None

    def _create_tax(self, new, refusal, batch, trace):
        """Create the purchase tax ``new`` (a missing_taxes.NewTax): a copy
        of its template with the document's rate and codes, added to the
        batch's taxes.  ``refusal`` stands when Odoo refuses the tax."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        default = batch.company.account_purchase_tax_id
        found = self._lock_tax(new, batch)
        if found:  # visible now, not prefetched: another document's of this transaction
            batch.taxes.append(self._tax_info(found, set(), default))
            return found
        template = Tax.browse(new.template_id)
        try:
            with self.env.cr.savepoint():
                tax = template.copy(self._new_tax_vals(new))
        except (ValidationError, UserError):
            raise refusal from None
        batch.taxes.append(self._tax_info(tax, set(), default))
        batch.created_taxes[new.key] = tax
        trace.append(
            Text(
                _lt(
                    "Tax %(tax)s created from the e-invoice, like %(like)s (accounts, tax "
                    "group, repartition)"
                ),
                tax=tax.name,
                like=template.name,
            )
        )
        trace.append(Review("tax_created", tax=tax.name))
        return tax

    @staticmethod
    def _new_tax_vals(new):
        """The values that make a copy of the template the tax ``new``."""
        vals = {
            "name": new.name,
            "description": new.label,
            "invoice_label": new.label,
            "amount": float(new.amount),
            "active": True,
            "l10n_it_withholding_type": new.withholding_type or False,
            "l10n_it_withholding_reason": new.withholding_reason or False,
            "l10n_it_pension_fund_type": new.pension_type or False,
        }
        if new.sequence is not None:
            vals["sequence"] = new.sequence
        return vals

    def _lock_tax(self, new, batch):
        """Before the tax ``new`` is created: wait for the other transactions
        creating it (a transaction-level advisory lock per company and tax
        key, held until commit), then look for it again.  A matching tax
        another transaction committed since this one began (invisible here,
        REPEATABLE READ) raises :class:`ConcurrentUpdate`: the registration
        is done again in a new transaction, which finds it.  Returns a
        matching tax this transaction sees and the batch does not know."""
        company = batch.company
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s)", [tax_lock_id(company.root_id.id, new.key)]
        )
        params = [
            company.parent_ids.ids,
            new.amount,
            new.withholding_type or "",
            new.withholding_reason or "",
            new.pension_type or "",
        ]
        with self.env.registry.cursor() as cr:
            cr.execute(TAXES_QUERY, params)
            now = {row[0] for row in cr.fetchall()}
        self.env["account.tax"].flush_model()
        self.env.cr.execute(TAXES_QUERY, params)
        mine = {row[0] for row in self.env.cr.fetchall()}
        if now - mine:
            raise ConcurrentUpdate(f"tax {new.name} created by another transaction")
        unknown = sorted(mine - {t.id for t in batch.taxes})
        return self.env["account.tax"].browse(unknown[:1])
