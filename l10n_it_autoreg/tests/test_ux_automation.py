"""Automation around the engine: the cron (activation moment, enabled
companies, batches, resume, one run per document), the server action, the
preview (dry run), the outcome notifications and the rights.

TestUxAutomation: the registration engine is replaced by a fake
(``fake_engine``): its own behaviour is tested elsewhere; here only what the
orchestration does with it matters.  Pending bills are created directly
with the contract fields.

TestUxEndToEnd: the orchestration with the real engine: e-invoices received
on the purchase journal, the preview that posts nothing, the cron that
registers what arrived after the activation."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.l10n_it_autoreg.engine_state import RegistrationResult

from .common import AutoregCommon, D, InvoiceSpec, LineSpec


def fake_engine(fail_refs=()):
    """A stand-in for ``l10n_it_autoreg.engine.register``: bills whose number
    starts with ``OK`` are registered, the others are not recognized
    (``tax_not_found``); numbers in ``fail_refs`` raise."""

    def register(self, moves, upcoming=None):
        moves = moves.filtered(lambda m: m.l10n_it_autoreg_state in ("pending", "unrecognized"))
        if any(m.ref in fail_refs for m in moves):
            raise ValueError("engine crashed on {}".format(moves.mapped("ref")))
        ok = moves.filtered(lambda m: (m.ref or "").startswith("OK"))
        ok.write(
            {
                "l10n_it_autoreg_state": "registered",
                "l10n_it_autoreg_reason_code": False,
                "l10n_it_autoreg_reason": False,
            }
        )
        (moves - ok).write(
            {
                "l10n_it_autoreg_state": "unrecognized",
                "l10n_it_autoreg_reason_code": "tax_not_found",
                "l10n_it_autoreg_reason": "No purchase tax with rate 4% and no Natura",
            }
        )
        return RegistrationResult(ok, moves - ok, moves.browse())

    return register


@contextmanager
def patched_engine(env, **kwargs):
    with patch.object(env.registry["l10n_it_autoreg.engine"], "register", fake_engine(**kwargs)):
        yield


def make_received_bill(env, company, partner, ref, received, state="pending"):
    """A draft vendor bill carrying a received e-invoice (contract fields)."""
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "in_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "ref": ref,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": ref, "quantity": 1, "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )
    )
    move.write(
        {
            "l10n_it_autoreg_state": state,
            "l10n_it_autoreg_received_date": received,
        }
    )
    return move


@tagged("post_install_l10n", "post_install", "-at_install")
class TestUxAutomation(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.other_company = (
            cls.company_data_2["company"]
            if hasattr(cls, "company_data_2")
            else cls.setup_other_company(name="Altra Srl")["company"]
        )
        cls.Run = cls.env["l10n_it_autoreg.run"]
        cls.since = fields.Datetime.now() - timedelta(days=1)
        cls.before = cls.since - timedelta(days=3)
        cls.after = cls.since + timedelta(hours=2)

    def _enable(self, company=None, since=None):
        company = company or self.company
        company.l10n_it_autoreg_enabled = True
        company.l10n_it_autoreg_enabled_since = since or self.since

    def _bill(self, ref, received, company=None, state="pending"):
        return make_received_bill(
            self.env, company or self.company, self.partner_a, ref, received, state=state
        )

    def _cron(self):
        self.Run._cron_register(commit=False)

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    def test_cron_takes_only_documents_received_after_activation(self):
        self._enable()
        old = self._bill("OK-old", self.before)
        new_ok = self._bill("OK-new", self.after)
        new_ko = self._bill("KO-new", self.after)
        again = self._bill("KO-again", self.after, state="unrecognized")
        with patched_engine(self.env):
            self._cron()
        self.assertEqual(old.l10n_it_autoreg_state, "pending", "received before activation")
        self.assertEqual(new_ok.l10n_it_autoreg_state, "registered")
        self.assertEqual(new_ko.l10n_it_autoreg_state, "unrecognized")
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertRecordValues(
            run,
            [
                {
                    "trigger": "cron",
                    "state": "done",
                    "outcome": "partial",
                    "recognized_count": 1,
                    "unrecognized_count": 1,
                }
            ],
        )
        self.assertEqual(run.recognized_move_ids, new_ok)
        self.assertEqual(run.unrecognized_move_ids, new_ko)
        self.assertNotIn(again, run.move_ids, "the cron retries nothing by itself")
        self.assertNotIn(old, run.move_ids)
        self.assertTrue(run.date_end)
        self.assertEqual(run.outcome_message, "Some registrations failed")

    def test_cron_only_for_enabled_companies(self):
        self._enable()
        mine = self._bill("OK-1", self.after)
        other = self._bill("OK-2", self.after, company=self.other_company)
        with patched_engine(self.env):
            self._cron()
        self.assertEqual(mine.l10n_it_autoreg_state, "registered")
        self.assertEqual(other.l10n_it_autoreg_state, "pending")
        self.assertFalse(self.Run.search([("company_id", "=", self.other_company.id)]))

    def test_deactivation_stops_the_cron(self):
        self._enable()
        self.company.l10n_it_autoreg_enabled = False
        self.assertFalse(self.company.l10n_it_autoreg_enabled_since)
        bill = self._bill("OK-1", fields.Datetime.now())
        with patched_engine(self.env):
            self._cron()
        self.assertEqual(bill.l10n_it_autoreg_state, "pending")
        self.assertFalse(self.Run.search([("company_id", "=", self.company.id)]))

    def test_deactivation_closes_a_cron_run_in_progress(self):
        self._enable()
        first, second = self._bill("OK-1", self.after), self._bill("OK-2", self.after)
        run = self.Run._cron_enqueue()
        self.assertEqual(run.move_ids, first | second)
        self.company.l10n_it_autoreg_enabled = False
        with patched_engine(self.env):
            self._cron()
        self.assertEqual(run.state, "done")
        self.assertFalse(run.move_ids, "documents not processed leave the run")
        self.assertEqual((first | second).mapped("l10n_it_autoreg_state"), ["pending", "pending"])

    def test_cron_batches_and_resume(self):
        """Batches are processed one by one into the same run; a run left
        running by a crash is resumed by the next call."""
        self._enable()
        bills = self.env["account.move"]
        for i in range(5):
            bills |= self._bill(f"OK-{i}", self.after + timedelta(minutes=i))
        run = self.Run._cron_enqueue()  # committed, then the worker died
        self.assertEqual(run.state, "running")
        self.assertEqual(run.remaining_count, 5)
        progress = []
        with (
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_batch_size", 2),
            patched_engine(self.env),
            patch.object(
                self.env.registry["ir.cron"],
                "_notify_progress",
                lambda self, done, remaining, deactivate=False: progress.append((done, remaining)),
            ),
        ):
            self._cron()
        self.assertEqual(self.Run.search([("company_id", "=", self.company.id)]), run)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.recognized_move_ids, bills)
        self.assertEqual(progress, [(2, 3), (4, 1), (5, 0)])

    def test_batches_of_one_document_lose_nothing(self):
        """The run sorts what the engine returns batch after batch: with
        batches of one document, every outcome lands in the one run."""
        self._enable()
        bills = (
            self._bill("OK-1", self.after)
            | self._bill("KO-2", self.after)
            | self._bill("OK-3", self.after)
        )
        with (
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_batch_size", 1),
            patched_engine(self.env),
        ):
            self._cron()
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.recognized_move_ids, bills.filtered(lambda m: m.ref.startswith("OK")))
        self.assertEqual(run.unrecognized_move_ids.mapped("ref"), ["KO-2"])
        self.assertEqual(run.state, "done")

    def test_engine_crash_isolated_to_its_document(self):
        self._enable()
        good, bad = self._bill("OK-1", self.after), self._bill("BOOM", self.after)
        with patched_engine(self.env, fail_refs=("BOOM",)):
            self._cron()
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(good.l10n_it_autoreg_state, "registered")
        self.assertEqual(bad.l10n_it_autoreg_state, "unrecognized")
        self.assertEqual(bad.l10n_it_autoreg_reason_code, "internal_error")
        self.assertIn("engine crashed", bad.l10n_it_autoreg_reason)
        self.assertEqual(run.unrecognized_move_ids, bad)
        self.assertEqual(run.outcome, "partial")
        self.assertTrue(run.error_message)

    def test_concurrency_error_propagates_never_internal_error(self):
        """A serialization failure (here the engine's ConcurrentUpdate) is
        not the document's fault: it leaves the run to whoever owns the
        transaction (Odoo's retrying() for an RPC call, the cron's retry),
        and the document is not marked internal_error."""
        from psycopg2.errors import SerializationFailure

        from ..db_errors import ConcurrentUpdate

        bill = self._bill("OK-1", self.before)

        def register(engine, moves, upcoming=None):
            raise ConcurrentUpdate("taken meanwhile")

        with (
            patch.object(self.env.registry["l10n_it_autoreg.engine"], "register", register),
            self.assertRaises(SerializationFailure),
        ):
            self.Run._action_register_moves(bill)
        self.assertEqual(
            (bill.l10n_it_autoreg_state, bill.l10n_it_autoreg_reason_code), ("pending", False)
        )

    def test_never_two_runs_on_the_same_document(self):
        self._enable()
        taken = self._bill("OK-1", self.after)
        busy = self.Run.sudo().create(
            {
                "company_id": self.company.id,
                "trigger": "manual",
                "move_ids": [Command.set(taken.ids)],
            }
        )
        free = self._bill("OK-2", self.after)
        cron_run = self.Run._cron_enqueue()
        self.assertEqual(cron_run.move_ids, free)
        with self.assertRaisesRegex(UserError, "another registration"):
            self.Run._action_register_moves(taken)
        self.assertEqual(busy.state, "running")

    def test_trigger_cron(self):
        cron = self.env.ref("l10n_it_autoreg.ir_cron_l10n_it_autoreg_register")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "minutes")
        before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.Run._trigger_cron()
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), before + 1
        )

    # ------------------------------------------------------------------
    # Server action
    # ------------------------------------------------------------------
    def test_action_registers_documents_received_before_activation(self):
        """The action works with the feature off and on documents received
        before the activation; other records are skipped with a message."""
        old_ok = self._bill("OK-old", self.before)
        old_ko = self._bill("KO-old", self.before, state="unrecognized")
        posted = self.init_invoice("in_invoice", amounts=[100.0], post=True)
        customer = self.init_invoice("out_invoice", amounts=[100.0])
        action = self.env.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register")
        self.assertEqual(action.binding_model_id.model, "account.move")
        records = old_ok | old_ko | posted | customer
        with patched_engine(self.env):
            result = action.with_context(
                active_model="account.move", active_ids=records.ids, active_id=records[0].id
            ).run()
        self.assertEqual(old_ok.l10n_it_autoreg_state, "registered")
        self.assertEqual(old_ko.l10n_it_autoreg_state, "unrecognized")
        run = self.Run.browse(result["res_id"])
        self.assertEqual(result["target"], "new", "the outcome dialog")
        self.assertEqual(
            result["views"][0][0],
            self.env.ref("l10n_it_autoreg.view_l10n_it_autoreg_run_form_outcome").id,
        )
        self.assertRecordValues(
            run,
            [
                {
                    "trigger": "manual",
                    "state": "done",
                    "user_id": self.env.user.id,
                    "outcome": "partial",
                }
            ],
        )
        self.assertEqual(run.move_ids, old_ok | old_ko)
        self.assertIn("2 selected documents were skipped", run.note)
        details = run.action_view_details()
        self.assertEqual((details["res_id"], details["target"]), (run.id, "current"))

    def test_action_all_registered(self):
        bill = self._bill("OK-1", self.before)
        with patched_engine(self.env):
            result = self.Run._action_register_moves(bill)
        run = self.Run.browse(result["res_id"])
        self.assertEqual(run.outcome, "success")
        self.assertEqual(run.outcome_message, "All registrations were completed successfully")

    def test_action_without_documents_to_register(self):
        posted = self.init_invoice("in_invoice", amounts=[100.0], post=True)
        with self.assertRaisesRegex(UserError, "not received e-invoices"):
            self.Run._action_register_moves(posted)

    def test_large_selection_goes_to_the_cron(self):
        bills = (
            self._bill("OK-1", self.before)
            | self._bill("OK-2", self.before)
            | self._bill("KO-3", self.before)
        )
        with (
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_sync_limit", 2),
            patched_engine(self.env),
        ):
            result = self.Run._action_register_moves(bills)
            self.assertEqual(result["tag"], "display_notification")
            run = self.Run.search([("company_id", "=", self.company.id)])
            self.assertEqual(run.state, "running")
            status = self.Run.get_to_register_status()
            self.assertTrue(status["running"])
            self.assertEqual(status["remaining"], 3)
            with patch.object(self.env.registry["res.users"], "_bus_send") as bus_send:
                self._cron()
        self.assertEqual(run.state, "done")
        self.assertEqual(
            bills.mapped("l10n_it_autoreg_state"), ["registered", "registered", "unrecognized"]
        )
        # the user who started it is told the outcome
        bus_send.assert_called_once()
        notif_type, payload = bus_send.call_args.args
        self.assertEqual(notif_type, "l10n_it_autoreg/run_done")
        self.assertEqual(payload["run_id"], run.id)
        self.assertEqual(payload["type"], "warning")
        self.assertEqual(payload["title"], "Some registrations failed")

    def test_retry_from_the_run(self):
        bill = self._bill("KO-1", self.before)
        with patched_engine(self.env):
            run = self.Run.browse(self.Run._action_register_moves(bill)["res_id"])
            self.assertEqual(run.unrecognized_move_ids, bill)
            bill.ref = "OK-1"  # corrected by hand
            retry = self.Run.browse(run.action_retry()["res_id"])
        self.assertEqual(retry.recognized_move_ids, bill)
        self.assertEqual(bill.l10n_it_autoreg_state, "registered")

    # ------------------------------------------------------------------
    # Outcome notifications, banner status
    # ------------------------------------------------------------------
    def test_cron_outcome_notified_to_accounting_managers(self):
        self._enable()
        manager = new_test_user(
            self.env,
            login="autoreg_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,account.group_account_manager",
        )
        billing = new_test_user(
            self.env,
            login="autoreg_billing",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,account.group_account_invoice",
        )
        self._bill("OK-1", self.after)
        notified = []
        with (
            patched_engine(self.env),
            patch.object(
                self.env.registry["res.users"],
                "_bus_send",
                lambda users, t, payload: notified.append((users, t, payload)),
            ),
        ):
            self._cron()
        users = self.env["res.users"].concat(*(n[0] for n in notified))
        self.assertIn(manager, users)
        self.assertNotIn(billing, users)
        self.assertTrue(all(n[2]["type"] == "success" for n in notified))
        self.assertEqual(notified[0][2]["title"], "All registrations were completed successfully")

    def test_status_for_the_banner(self):
        status = self.Run.get_to_register_status()
        self.assertFalse(status["enabled"])
        self.assertFalse(status["running"])
        self.assertFalse(status["last_run"])
        self._enable()
        self._bill("OK-1", self.after)
        self.Run._cron_enqueue()
        status = self.Run.get_to_register_status()
        self.assertTrue(status["enabled"])
        self.assertTrue(status["enabled_since"])
        self.assertTrue(status["running"])
        with patched_engine(self.env):
            self._cron()
        status = self.Run.get_to_register_status()
        self.assertFalse(status["running"])
        self.assertEqual(status["last_run"]["outcome"], "success")

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def test_preview_registers_nothing(self):
        ok, ko = self._bill("OK-1", self.before), self._bill("KO-2", self.before)
        runs_before = self.Run.search_count([])
        with patched_engine(self.env):
            result = self.env["l10n_it_autoreg.preview"]._action_preview()
        self.assertEqual((ok | ko).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        self.assertEqual(self.Run.search_count([]), runs_before, "the dry run left no run")
        preview = self.env["l10n_it_autoreg.preview"].browse(result["res_id"])
        self.assertEqual(preview.register_count, 1)
        self.assertEqual(preview.skip_count, 1)
        self.assertEqual(preview.register_line_ids.move_id, ok)
        self.assertRecordValues(
            preview.skip_line_ids,
            [
                {
                    "move_id": ko.id,
                    "number": "KO-2",
                    "reason_code": "tax_not_found",
                    "reason": "No purchase tax with rate 4% and no Natura",
                    "supplier": self.partner_a.display_name,
                }
            ],
        )
        # and then for real
        with patched_engine(self.env):
            run = self.Run.browse(preview.action_register()["res_id"])
        self.assertEqual(run.recognized_move_ids, ok)

    def test_preview_of_nothing(self):
        with self.assertRaisesRegex(UserError, "no received e-invoice"):
            self.env["l10n_it_autoreg.preview"]._action_preview()

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_rights(self):
        # a settings administrator who is only a billing user
        billing_admin = new_test_user(
            self.env,
            login="autoreg_billing_admin",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,base.group_system,account.group_account_invoice",
        )
        manager_admin = new_test_user(
            self.env,
            login="autoreg_manager_admin",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,base.group_system,account.group_account_manager",
        )
        Settings = self.env["res.config.settings"]
        with self.assertRaises(AccessError):
            Settings.with_user(billing_admin).create({"l10n_it_autoreg_enabled": True})
        self.assertFalse(self.company.l10n_it_autoreg_enabled)
        Settings.with_user(manager_admin).with_company(self.company).create(
            {"l10n_it_autoreg_enabled": True}
        ).execute()
        self.assertTrue(self.company.l10n_it_autoreg_enabled)
        self.assertTrue(self.company.l10n_it_autoreg_enabled_since)

        # billing users run the action and the preview
        billing = new_test_user(
            self.env,
            login="autoreg_billing",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,account.group_account_invoice",
        )
        bill = self._bill("OK-1", self.before)
        with patched_engine(self.env):
            self.env["l10n_it_autoreg.preview"].with_user(billing)._action_preview()
            action = self.env.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register")
            action.with_user(billing).with_context(
                active_model="account.move", active_ids=bill.ids, active_id=bill.id
            ).run()
        self.assertEqual(bill.l10n_it_autoreg_state, "registered")
        # a plain internal user does not
        employee = new_test_user(self.env, login="autoreg_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            action.with_user(employee).with_context(
                active_model="account.move", active_ids=bill.ids
            ).run()
        with self.assertRaises(AccessError):
            self.Run.with_user(employee).search([])

    def test_runs_follow_company_rules(self):
        mine = self.Run.sudo().create({"company_id": self.company.id})
        other = self.Run.sudo().create({"company_id": self.other_company.id})
        user = new_test_user(
            self.env,
            login="autoreg_one_company",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            groups="base.group_user,account.group_account_invoice",
        )
        visible = self.Run.with_user(user).search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            other.with_user(user).read(["state"])


class TestUxEndToEnd(AutoregCommon):
    # The scheduled action registers every pending document of the company
    # and receiving wakes it: companion documents would be counted.
    autoreg_twin_batch = False

    def _receive_two(self):
        good = self.receive(InvoiceSpec(number="FT-UX-1"))
        bad = self.receive(
            InvoiceSpec(
                number="FT-UX-2", lines=[LineSpec("Servizio", price_unit=D("100"), vat_rate=D("7"))]
            )
        )
        return good, bad

    def test_preview_then_cron(self):
        self.company.l10n_it_autoreg_enabled = True
        self.company.l10n_it_autoreg_enabled_since = fields.Datetime.now() - timedelta(minutes=5)
        good, bad = self._receive_two()
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        partners = self.env["res.partner"].search_count([])

        # the preview says what would happen, and nothing happens
        result = self.env["l10n_it_autoreg.preview"]._action_preview(good | bad)
        preview = self.env["l10n_it_autoreg.preview"].browse(result["res_id"])
        self.assertEqual(preview.register_line_ids.move_id, good)
        self.assertEqual(preview.skip_line_ids.move_id, bad)
        self.assertTrue(preview.skip_line_ids.reason)
        self.assertTrue(preview.skip_line_ids.reason_code)
        self.assertEqual(preview.register_line_ids.amount_total, 122.0)
        self.assertEqual(preview.register_line_ids.supplier, "Fornitore Srl")
        self.assertEqual((good | bad).mapped("state"), ["draft", "draft"])
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        self.assertEqual(
            self.env["res.partner"].search_count([]),
            partners,
            "the supplier the preview would create was rolled back",
        )

        # the cron registers them for real
        self.env["l10n_it_autoreg.run"]._cron_register(commit=False)
        run = self.env["l10n_it_autoreg.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertRecordValues(
            run,
            [
                {
                    "trigger": "cron",
                    "state": "done",
                    "outcome": "partial",
                    "recognized_count": 1,
                    "unrecognized_count": 1,
                }
            ],
        )
        self.assertRegistered(good, 100, 22, 122)
        self.assertEqual(bad.l10n_it_autoreg_state, "unrecognized")
        self.assertEqual(run.unrecognized_move_ids, bad)

    def test_cron_leaves_documents_received_before_activation(self):
        good, bad = self._receive_two()
        self.company.l10n_it_autoreg_enabled = True  # activated after they arrived
        self.company.l10n_it_autoreg_enabled_since = fields.Datetime.now() + timedelta(seconds=1)
        self.env["l10n_it_autoreg.run"]._cron_register(commit=False)
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        action = self.env["l10n_it_autoreg.run"]._action_register_moves(good | bad)
        run = self.env["l10n_it_autoreg.run"].browse(action["res_id"])
        self.assertEqual(run.recognized_move_ids, good)
        self.assertEqual(run.unrecognized_move_ids, bad)
        self.assertEqual(good.state, "posted")

    def test_receiving_wakes_the_cron_only_when_enabled(self):
        cron = self.env.ref("l10n_it_autoreg.ir_cron_l10n_it_autoreg_register")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.receive(InvoiceSpec(number="FT-UX-OFF"))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        self.company.l10n_it_autoreg_enabled = True
        self.receive(InvoiceSpec(number="FT-UX-ON"))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
