def post_init_hook(env):
    """Companies that already have the Italian chart get the exempt purchase
    taxes and the pension fund taxes it lacks (see
    models/account_chart_template.py)."""
    charts = env["account.chart.template"]
    for company in env["res.company"].search([("chart_template", "=", "it")]):
        charts._l10n_it_autoreg_ensure_exempt_purchase_taxes(company)
        charts._l10n_it_autoreg_ensure_pension_fund_purchase_taxes(company)
