from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        # EXTENDS account: the Italian chart ships 0% purchase taxes for N1
        # only, while received e-invoices commonly carry N2.x (e.g. suppliers
        # in the flat-rate regime), N3.x and N4 lines.  Those taxes are
        # unambiguous (0%, one Natura each, same report grid as the chart's
        # own 0% taxes): give every Italian company them, so that such
        # invoices register on a fresh database.  Likewise the pension fund
        # taxes of the professional funds most often met (see the engine).
        res = super()._post_load_data(template_code, company, template_data)
        if template_code == "it":
            engine = self.env["l10n_it_autoreg.engine"]
            engine._ensure_exempt_purchase_taxes(company)
            engine._ensure_pension_fund_purchase_taxes(company)
        return res
