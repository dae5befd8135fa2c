"""Analytic distribution models: the look-up of a bill line's distribution
made once per distinct line, as Odoo means it to be."""

from odoo import models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _get_distribution(self, vals):
        # EXTENDS analytic: its _create_domain appends False to the
        # partner_category_id list of ``vals`` in place; the caller's key
        # (account.move.line._compute_analytic_distribution caches the
        # distribution per distinct line values) then matches nothing any
        # more, and every line of every bill queries the models again (one
        # or more queries per line: 3,000 for a 3,000-line e-invoice).  The
        # models are looked up with a copy: same result, the cache works.
        vals = {
            key: list(value) if isinstance(value, list) else value for key, value in vals.items()
        }
        return super()._get_distribution(vals)
