def post_init_hook(env):
    """Companies that already have the Italian chart get the exempt purchase
    taxes and the pension fund taxes it lacks (see
    models/account_chart_template.py)."""
    engine = env["l10n_it_autoreg.engine"]
    for company in env["res.company"].search([("chart_template", "=", "it")]):
        engine._ensure_exempt_purchase_taxes(company)
        engine._ensure_pension_fund_purchase_taxes(company)
