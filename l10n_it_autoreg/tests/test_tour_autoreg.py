"""Browser tours: switch the feature on, receive documents, see the banner,
open the outcome with both tabs, open a not recognized bill, register a
document received before the activation from the list; create the missing
split payment tax of a not recognized bill from its form (Create this tax)."""

from datetime import timedelta
from unittest.mock import patch

import odoo.http
from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.l10n_it_autoreg.tests.common import AutoregCommon, InvoiceSpec
from odoo.addons.l10n_it_autoreg.tests.test_ux_automation import (
    make_received_bill,
    patched_engine,
)

TO_REGISTER = "/odoo/action-l10n_it_autoreg.action_l10n_it_autoreg_to_register"


def warm_up(env):
    """Build the views and menus the tours open before the browser asks
    for them all at once: CPython 3.11's ast module is not thread-safe
    ("SystemError: AST constructor recursion depth mismatch") and the
    test server parses in parallel threads, first of all every manifest
    for the map of static files (``odoo.http.root.statics``, computed by
    the first static request).  The asset bundles the page loads are
    built here too: on a loaded machine, building them on the browser's
    first request can outlast the tour's 60 s to get ready."""
    # compute the lazy property here
    odoo.http.root.statics  # pylint: disable=pointless-statement  # noqa: B018
    env = env(user=env.ref("base.user_admin"))
    for name in ("web.assets_web", "web.assets_tests"):
        bundle = env["ir.qweb"]._get_asset_bundle(name)
        bundle.css()
        bundle.js()
    env["ir.ui.menu"].load_menus(False)
    env["res.config.settings"].get_views([(False, "form"), (False, "search")])
    action = env.ref("l10n_it_autoreg.action_l10n_it_autoreg_to_register")
    env["account.move"].get_views(
        [(v.view_id.id, v.view_mode) for v in action.view_ids]
        + [(action.search_view_id.id, "search")]
    )
    env["l10n_it_autoreg.run"].get_views([(False, "form"), (False, "list"), (False, "search")])
    env["account.tax"].get_views(
        [(env.ref("l10n_it_autoreg.view_tax_form_l10n_it_autoreg_missing").id, "form")]
    )


def make_admin_accountant(company):
    company.env.ref("base.user_admin").write(
        {
            "company_id": company.id,
            "company_ids": [Command.link(company.id)],
            "groups_id": [Command.link(company.env.ref("account.group_account_manager").id)],
        }
    )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourAutoreg(AccountTestInvoicingHttpCommon):
    @classmethod
    @AccountTestInvoicingHttpCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        make_admin_accountant(cls.company)

    def test_autoreg_tour(self):
        Run = self.env["l10n_it_autoreg.run"]
        warm_up(self.env)
        to_register = TO_REGISTER
        with patched_engine(self.env):
            self.start_tour(
                "/odoo/action-account.action_account_config",
                "l10n_it_autoreg_tour_settings",
                login="admin",
            )
            self.company.invalidate_recordset()
            self.assertTrue(self.company.l10n_it_autoreg_enabled)
            since = self.company.l10n_it_autoreg_enabled_since
            self.assertTrue(since)

            # documents arrive (and one had arrived before the activation)
            for i, ref in enumerate(("OK-TOUR-1", "OK-TOUR-2", "KO-TOUR-3"), start=1):
                make_received_bill(
                    self.env, self.company, self.partner_a, ref, since + timedelta(minutes=i)
                )
            old = make_received_bill(
                self.env, self.company, self.partner_a, "OK-TOUR-OLD", since - timedelta(days=2)
            )
            run = Run._cron_enqueue()  # the cron took them...
            self.assertEqual(run.remaining_count, 3)
            self.start_tour(to_register, "l10n_it_autoreg_tour_banner", login="admin")

            Run._process_running_runs()  # ...and is done
            self.assertEqual(run.outcome, "partial")
            self.start_tour(to_register, "l10n_it_autoreg_tour_outcome", login="admin")
        self.assertEqual(old.l10n_it_autoreg_state, "registered")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourCreateMissingTax(AutoregCommon, HttpCase):
    """From To register, open the split payment bill no purchase tax
    matches, press Create this tax, save the pre-filled form: the bill is
    registered.  Leaving the page while the form is open creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_admin_accountant(cls.company)
        cls.env["res.partner"].with_context(no_vat_validation=True).create(
            {"name": "Fornitore (anagrafica)", "vat": "IT01234567890", "is_company": True}
        )

    def test_create_missing_tax_tour(self):
        move = self.receive_and_register(InvoiceSpec(number="SP-TOUR-1", vat_due="S"))
        self.assertRefused(move, "tax_not_found", "split payment")
        warm_up(self.env)
        self.start_tour(TO_REGISTER, "l10n_it_autoreg_tour_create_tax", login="admin")
        move.invalidate_recordset()
        self.assertRegistered(move, 100, 0, 100)
        tax = move.invoice_line_ids.tax_ids
        self.assertEqual((tax.name, tax.amount, tax.type_tax_use), ("22% SP", 22.0, "purchase"))
        self.assertEqual(
            sorted(tax.invoice_repartition_line_ids.mapped("factor_percent")),
            [-100.0, 100.0, 100.0],
        )

    def test_leaving_the_page_does_not_create_the_tax(self):
        move = self.receive_and_register(InvoiceSpec(number="SP-TOUR-2", vat_due="S"))
        self.assertRefused(move, "tax_not_found", "split payment")
        Tax = self.env["account.tax"].with_context(active_test=False)
        taxes = Tax.search([("company_id", "=", self.company.id)])
        warm_up(self.env)
        self.start_tour(TO_REGISTER, "l10n_it_autoreg_tour_create_tax_leave", login="admin")
        self.assertEqual(Tax.search([("company_id", "=", self.company.id)]), taxes)
        move.invalidate_recordset()
        self.assertRefused(move, "tax_not_found", "split payment")
        self.assertEqual(move.state, "draft")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourOutcomeNotification(AutoregCommon, HttpCase):
    """The outcome notification of a run is shown once: not again on a page
    loaded after it was sent (Odoo's bus replays the last 50 seconds to a
    browser that never connected), but when it comes after the page loaded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_admin_accountant(cls.company)

    def notify_a_run(self):
        admin = self.env.ref("base.user_admin")
        run = self.register(self.receive(InvoiceSpec(number="OUT-1")))
        run.sudo().user_id = admin
        run._notify_outcome()
        self.env.cr.precommit.run()  # the bus.bus rows, as a commit writes them
        return run

    def test_outcome_sent_before_the_page_is_not_shown_again(self):
        self.notify_a_run()
        warm_up(self.env)
        self.start_tour(TO_REGISTER, "l10n_it_autoreg_tour_outcome_not_replayed", login="admin")

    def test_outcome_sent_after_the_page_loaded_is_shown(self):
        run = self.notify_a_run()
        warm_up(self.env)
        # the page believes it loaded before the notification was sent
        with patch.object(type(self.env["bus.bus"]), "_bus_last_id", return_value=0):
            self.start_tour(TO_REGISTER, "l10n_it_autoreg_tour_outcome_shown", login="admin")
        self.assertEqual(run.outcome, "success")
