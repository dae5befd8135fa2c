from odoo import api, models

# Integrative contribution (contributo integrativo) of the professional funds
# most often found on received parcelle, besides the TC01 and TC22 taxes
# l10n_it_edi_withholding ships.  A document matches a tax only on TipoCassa
# *and* rate, so a fund that charges another rate stays
# pension_fund_not_configured.
STANDARD_PENSION_FUNDS = {
    "TC02": 4.0,  # dottori commercialisti (CNPADC)
    "TC03": 5.0,  # geometri (CIPAG)
    "TC04": 4.0,  # ingegneri e architetti (Inarcassa)
    "TC06": 4.0,  # ragionieri (CNPR)
    "TC20": 2.0,  # psicologi (ENPAP)
}
# 0% purchase taxes the Italian chart lacks (it ships N1 only): every Natura
# that is not a reverse charge, current and legacy (the generic N2 and N3 of
# documents before 2021).  They are a short, fixed list of unambiguous taxes
# (0%, one Natura each, the report grid of the chart's own 0% taxes): made
# for every Italian company with the chart, at install and on upgrade, so
# that they are in the taxes list before the first document and a deleted
# one stays deleted.  Reverse charge (N6.x) is never a 0% tax: the buyer
# integrates the VAT (the chart's N6.x taxes; generic N6 is the company's
# decision).
EXEMPT_NATURES = (
    "N2",
    "N2.1",
    "N2.2",
    "N3",
    "N3.1",
    "N3.2",
    "N3.3",
    "N3.4",
    "N3.5",
    "N3.6",
    "N4",
    "N5",
    "N7",
)


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        # EXTENDS account: the Italian chart ships 0% purchase taxes for N1
        # only, while received e-invoices commonly carry N2.x (e.g. suppliers
        # in the flat-rate regime), N3.x and N4 lines.  Those taxes are
        # unambiguous (0%, one Natura each, same report grid as the chart's
        # own 0% taxes): give every Italian company them, so that such
        # invoices register on a fresh database.  Likewise the pension fund
        # taxes of the professional funds most often met.
        res = super()._post_load_data(template_code, company, template_data)
        if template_code == "it":
            self._l10n_it_autoreg_ensure_exempt_purchase_taxes(company)
            self._l10n_it_autoreg_ensure_pension_fund_purchase_taxes(company)
        return res

    @api.model
    def _l10n_it_autoreg_ensure_pension_fund_purchase_taxes(self, company):
        """Create the purchase pension fund taxes of STANDARD_PENSION_FUNDS the
        company lacks, made like the chart's TC01 4% tax.  Returns them."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        domain = [
            *Tax._check_company_domain(company),
            ("type_tax_use", "=", "purchase"),
            ("amount_type", "=", "percent"),
        ]
        template = Tax.search(domain + [("l10n_it_pension_fund_type", "=", "TC01")], limit=1)
        if not template:
            return Tax
        existing = {
            (t.l10n_it_pension_fund_type, round(t.amount, 2))
            for t in Tax.search(domain + [("l10n_it_pension_fund_type", "!=", False)])
        }
        created = Tax
        for fund, rate in STANDARD_PENSION_FUNDS.items():
            if (fund, rate) in existing:
                continue
            label = "{}% {}".format((f"{rate:g}"), fund)
            created |= template.copy(
                {
                    "name": label,
                    "description": label,
                    "amount": rate,
                    "l10n_it_pension_fund_type": fund,
                }
            )
        return created

    @api.model
    def _l10n_it_autoreg_ensure_exempt_purchase_taxes(self, company, natures=EXEMPT_NATURES):
        """Create the 0% purchase taxes of the given Natura the Italian chart
        lacks (it ships only N1).  Returns the created taxes."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        existing = set(
            Tax.search(
                [
                    *Tax._check_company_domain(company),
                    ("type_tax_use", "=", "purchase"),
                    ("amount", "=", 0),
                    ("l10n_it_exempt_reason", "in", list(natures)),
                ]
            ).mapped("l10n_it_exempt_reason")
        )
        template = Tax.search(
            [
                *Tax._check_company_domain(company),
                ("type_tax_use", "=", "purchase"),
                ("amount", "=", 0),
                ("amount_type", "=", "percent"),
                ("l10n_it_exempt_reason", "=", "N1"),
            ],
            limit=1,
        )
        created = Tax
        labels = dict(Tax._fields["l10n_it_exempt_reason"]._description_selection(self.env))
        for nature in natures:
            if nature in existing:
                continue
            vals = {
                "name": f"0% {nature}",
                "description": f"0% {nature}",
                "amount": 0.0,
                "amount_type": "percent",
                "type_tax_use": "purchase",
                "company_id": company.id,
                "l10n_it_exempt_reason": nature,
                "l10n_it_law_reference": (labels.get(nature) or nature)[:100],
            }
            created |= template.copy(vals) if template else Tax.create(vals)
        return created
