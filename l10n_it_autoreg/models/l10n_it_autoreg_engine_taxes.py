"""Engine: the purchase taxes of a document (VAT per summary key,
withholdings, pension funds), chosen among the company's taxes described as
plain TaxInfo (registration.taxes)."""

from odoo import models

from ..registration import taxes as tax_rules
from ..registration.amounts import fmt, r2
from ..registration.outcome import Text, _lt
from ..registration.totals import vat_entries


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _prefetch_taxes(self, company):
        """[TaxInfo] of the company's purchase taxes (percent), archived ones
        too (active first)."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        taxes = Tax.search(
            [
                *Tax._check_company_domain(company),
                ("type_tax_use", "=", "purchase"),
                ("amount_type", "=", "percent"),
            ],
            order="active desc, sequence, id",
        )
        taxes.invoice_repartition_line_ids.tag_ids.fetch(["name"])
        rc_tags = set(self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping().values())
        default = company.account_purchase_tax_id
        return [self._tax_info(tax, rc_tags, default) for tax in taxes]

    @staticmethod
    def _tax_info(tax, rc_tags, default):
        """A purchase tax as the decisions see it."""
        rep = tax.invoice_repartition_line_ids
        base_tags = {
            tag.name.lstrip("+-").upper()
            for line in rep
            if line.repartition_type == "base"
            for tag in line.tag_ids
        }
        return tax_rules.TaxInfo(
            id=tax.id,
            name=tax.name,
            amount=r2(tax.amount),
            active=tax.active,
            nature=tax.l10n_it_exempt_reason or None,
            withholding_type=tax.l10n_it_withholding_type or None,
            withholding_reason=tax.l10n_it_withholding_reason or None,
            pension_type=tax.l10n_it_pension_fund_type or None,
            negative=any(line.factor_percent < 0 for line in rep if line.repartition_type == "tax"),
            rc_tags=frozenset(base_tags & rc_tags | {t for t in base_tags if t.startswith("VJ")}),
            price_include=tax.price_include,
            default=tax == default,
            sequence=tax.sequence,
        )

    def _decide_taxes(self, invoice, batch, trace):
        """(VAT entries with their tax, [(Withholding, TaxInfo)],
        [(PensionFund, TaxInfo)]) of the document."""
        entries = vat_entries(invoice)
        for key, entry in entries.items():
            entry.tax_info, entry.kind = self._decide_vat_tax(key, entry.due, batch)
        withholdings = [
            (w, self._withholding_tax_or_create(w, invoice, batch, trace))
            for w in invoice.withholdings
        ]
        pensions = [
            (f, tax)
            for f in invoice.pension_funds
            if (tax := self._pension_tax_or_create(f, invoice, batch, trace))
        ]
        trace.append(
            Text(
                _lt("Taxes: %s"),
                ", ".join(
                    "{}%{} → {}".format(
                        fmt(key[0]), " " + key[1] if key[1] else "", entry.tax_info.name
                    )
                    for key, entry in entries.items()
                ),
            )
        )
        for withholding, tax in withholdings:
            trace.append(
                Text(
                    _lt("Withholding %(type)s → %(tax)s"),
                    type=withholding.type,
                    tax=tax.name,
                )
            )
        for fund, tax in pensions:
            trace.append(Text(_lt("Pension fund %(type)s → %(tax)s"), type=fund.type, tax=tax.name))
        return entries, withholdings, pensions

    def _decide_vat_tax(self, key, due, batch):
        """(TaxInfo, kind) of a VAT key (rate, Natura) and its EsigibilitaIVA."""
        rc_tag = (
            self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping().get(key[1])
            if key[1]
            else None
        )
        return tax_rules.choose_vat_tax(key, due, batch.taxes, rc_tag)

    def _decide_withholding_tax(self, withholding, batch):
        """The TaxInfo of a DatiRitenuta."""
        return tax_rules.choose_withholding_tax(withholding, batch.taxes)

    def _decide_pension_tax(self, fund, batch):
        """The TaxInfo of a DatiCassaPrevidenziale."""
        return tax_rules.choose_pension_tax(fund, batch.taxes)
