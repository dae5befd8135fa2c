"""Browser tour: switch the feature on, receive documents, see the banner,
open the outcome with both tabs, open a not recognized bill, register a
document received before the activation from the list."""
from datetime import timedelta

import odoo.http
from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.l10n_it_autoreg.tests.test_ux_automation import (
    make_received_bill,
    patched_engine,
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourAutoreg(AccountTestInvoicingHttpCommon):

    @classmethod
    @AccountTestInvoicingHttpCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env.ref("base.user_admin").write({
            "company_id": cls.company.id,
            "company_ids": [Command.link(cls.company.id)],
            "groups_id": [Command.link(cls.env.ref("account.group_account_manager").id)],
        })

    def _warm_up(self):
        """Build the views and menus the tour opens before the browser asks
        for them all at once: CPython 3.11's ast module is not thread-safe
        ("SystemError: AST constructor recursion depth mismatch") and the
        test server parses in parallel threads, first of all every manifest
        for the map of static files (``odoo.http.root.statics``, computed by
        the first static request)."""
        odoo.http.root.statics  # noqa: B018 -- compute the lazy property here
        env = self.env(user=self.env.ref("base.user_admin"))
        env["ir.ui.menu"].load_menus(False)
        env["res.config.settings"].get_views([(False, "form"), (False, "search")])
        action = env.ref("l10n_it_autoreg.action_l10n_it_autoreg_to_register")
        env["account.move"].get_views(
            [(v.view_id.id, v.view_mode) for v in action.view_ids]
            + [(action.search_view_id.id, "search")])
        env["l10n_it_autoreg.run"].get_views([(False, "form"), (False, "list"), (False, "search")])

    def test_autoreg_tour(self):
        Run = self.env["l10n_it_autoreg.run"]
        self._warm_up()
        to_register = "/odoo/action-l10n_it_autoreg.action_l10n_it_autoreg_to_register"
        with patched_engine(self.env):
            self.start_tour("/odoo/action-account.action_account_config",
                            "l10n_it_autoreg_tour_settings", login="admin")
            self.company.invalidate_recordset()
            self.assertTrue(self.company.l10n_it_autoreg_enabled)
            since = self.company.l10n_it_autoreg_enabled_since
            self.assertTrue(since)

            # documents arrive (and one had arrived before the activation)
            for i, ref in enumerate(("OK-TOUR-1", "OK-TOUR-2", "KO-TOUR-3"), start=1):
                make_received_bill(self.env, self.company, self.partner_a, ref,
                                   since + timedelta(minutes=i))
            old = make_received_bill(self.env, self.company, self.partner_a, "OK-TOUR-OLD",
                                     since - timedelta(days=2))
            run = Run._cron_enqueue()                 # the cron took them...
            self.assertEqual(run.remaining_count, 3)
            self.start_tour(to_register, "l10n_it_autoreg_tour_banner", login="admin")

            Run._process_running_runs()               # ...and is done
            self.assertEqual(run.outcome, "partial")
            self.start_tour(to_register, "l10n_it_autoreg_tour_outcome", login="admin")
        self.assertEqual(old.l10n_it_autoreg_state, "registered")
