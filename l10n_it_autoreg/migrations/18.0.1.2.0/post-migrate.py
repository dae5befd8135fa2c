"""18.0.1.2.0: the 0% purchase taxes of every Natura that is not a reverse
charge (models/account_chart_template.py EXEMPT_NATURES now also has the
generic N2 and N3 of documents before 2021, and N7): Italian companies of a
database upgraded from an earlier version get the ones they lack."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    charts = env["account.chart.template"]
    for company in env["res.company"].search([("chart_template", "=", "it")]):
        charts._l10n_it_autoreg_ensure_exempt_purchase_taxes(company)
