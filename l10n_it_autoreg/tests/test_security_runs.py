"""Runs are written by the addon's code only: a user cannot post the bills
of another company by forging a run.

Through RPC (HttpCase, a billing user of company A logged in): creating,
writing or deleting a run is refused (ACL: users read the runs of their
companies, record rule); the server action on a bill of company B is
refused (record rules of account.move).  In the code itself: a run cannot
hold documents of another company (constraint), and a run that holds some
anyway (rows written in the database behind the ORM's back) leaves them
untouched when the cron processes it: B's bills stay draft and pending.
The real engine runs (no fake): the bills here carry no file, so a bill the
engine took would become not recognized (``file_missing``), which shows."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import JsonRpcException, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.l10n_it_autoreg.tests.test_ux_automation import make_received_bill


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSecurityRuns(AccountTestInvoicingHttpCommon):
    @classmethod
    @AccountTestInvoicingHttpCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company_data["company"]
        cls.company_b = cls.setup_other_company(name="Altra Srl")["company"]
        cls.Run = cls.env["l10n_it_autoreg.run"]
        cls.since = fields.Datetime.now() - timedelta(days=1)
        cls.after = cls.since + timedelta(hours=2)
        for company in (cls.company_a, cls.company_b):
            company.write({"l10n_it_autoreg_enabled": True})
            company.l10n_it_autoreg_enabled_since = cls.since
        cls.billing_a = new_test_user(
            cls.env,
            login="autoreg_sec_billing_a",
            password="autoreg_sec_billing_a",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
            groups="base.group_user,account.group_account_invoice",
        )
        cls.manager_a = new_test_user(
            cls.env,
            login="autoreg_sec_manager_a",
            password="autoreg_sec_manager_a",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
            groups="base.group_user,account.group_account_manager",
        )

    def _bill(self, company, ref):
        return make_received_bill(self.env, company, self.partner_a, ref, self.after)

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            },
        )

    def assertUntouched(self, bills):
        bills.invalidate_recordset()
        for bill in bills:
            self.assertEqual(
                (bill.state, bill.l10n_it_autoreg_state),
                ("draft", "pending"),
                bill.l10n_it_autoreg_reason,
            )

    # ------------------------------------------------------------------
    # RPC
    # ------------------------------------------------------------------
    def test_forged_runs_refused_through_rpc(self):
        bill_b = self._bill(self.company_b, "B-1")
        mine = self._bill(self.company_a, "A-1")
        run_a = self.Run.sudo().create({"company_id": self.company_a.id, "state": "done"})
        for login in ("autoreg_sec_billing_a", "autoreg_sec_manager_a"):
            self.authenticate(login, login)
            for company, moves in (
                (self.company_b, bill_b),
                (self.company_a, bill_b),
                (self.company_a, mine),
            ):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self._rpc(
                        "l10n_it_autoreg.run",
                        "create",
                        [{"company_id": company.id, "move_ids": [Command.set(moves.ids)]}],
                    )
            for vals in (
                {"move_ids": [Command.link(bill_b.id)], "state": "running"},
                {"company_id": self.company_b.id},
                {"recognized_move_ids": [Command.link(mine.id)]},
            ):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self._rpc("l10n_it_autoreg.run", "write", run_a.ids, vals)
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._rpc("l10n_it_autoreg.run", "unlink", run_a.ids)
            # reading the runs of the company still works (list, form)
            read = self._rpc(
                "l10n_it_autoreg.run",
                "web_read",
                run_a.ids,
                specification={"state": {}, "company_id": {}},
            )
            self.assertEqual(read[0]["state"], "done")
        self.assertEqual(
            self.Run.sudo().search([("company_id", "=", self.company_b.id)]),
            self.Run,
            "no run of B was created",
        )
        self.assertFalse(run_a.move_ids)
        # the scheduled action leaves B's bill to B
        self.company_b.l10n_it_autoreg_enabled = False
        self.Run._cron_register(commit=False)
        self.assertUntouched(bill_b)

    def test_action_on_another_company_bill_refused_through_rpc(self):
        bill_b = self._bill(self.company_b, "B-2")
        action = self.env.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register")
        self.authenticate("autoreg_sec_billing_a", "autoreg_sec_billing_a")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                "/web/action/run",
                {
                    "action_id": action.id,
                    "context": {
                        "active_model": "account.move",
                        "active_ids": bill_b.ids,
                        "active_id": bill_b.id,
                        "allowed_company_ids": self.company_a.ids,
                    },
                },
            )
        self.assertUntouched(bill_b)
        self.assertFalse(self.Run.sudo().search([("company_id", "=", self.company_b.id)]))

    def test_action_through_rpc_makes_the_run_of_the_user(self):
        """The UX path still works for a billing user: the action creates
        and processes the run (as superuser where it writes the run), the
        outcome dialog and the run form read it, retry works."""
        mine = self._bill(self.company_a, "A-3")
        action = self.env.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register")
        self.authenticate("autoreg_sec_billing_a", "autoreg_sec_billing_a")
        result = self.make_jsonrpc_request(
            "/web/action/run",
            {
                "action_id": action.id,
                "context": {
                    "active_model": "account.move",
                    "active_ids": mine.ids,
                    "active_id": mine.id,
                    "allowed_company_ids": self.company_a.ids,
                },
            },
        )
        self.assertEqual(result["res_model"], "l10n_it_autoreg.run")
        run = self.Run.sudo().browse(result["res_id"])
        self.assertRecordValues(
            run,
            [
                {
                    "company_id": self.company_a.id,
                    "user_id": self.billing_a.id,
                    "state": "done",
                    "unrecognized_count": 1,
                }
            ],
        )
        mine.invalidate_recordset()
        self.assertEqual(mine.l10n_it_autoreg_reason_code, "file_missing")
        details = self._rpc("l10n_it_autoreg.run", "action_view_details", run.ids)
        self.assertEqual(details["res_id"], run.id)
        retry = self._rpc("l10n_it_autoreg.run", "action_retry", run.ids)
        self.assertNotEqual(retry["res_id"], run.id)
        self.assertEqual(self.Run.sudo().browse(retry["res_id"]).user_id, self.billing_a)

    # ------------------------------------------------------------------
    # The code's own checks
    # ------------------------------------------------------------------
    def test_run_refuses_documents_of_another_company(self):
        bill_b = self._bill(self.company_b, "B-4")
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.Run.sudo().create(
                {"company_id": self.company_a.id, "move_ids": [Command.set(bill_b.ids)]}
            )
        run = self.Run.sudo().create({"company_id": self.company_a.id})
        with self.assertRaisesRegex(ValidationError, "another company"):
            run.move_ids = [Command.link(bill_b.id)]
        with self.assertRaises(AccessError):
            self.Run.with_user(self.billing_a).create({"company_id": self.company_a.id})
        self.assertUntouched(bill_b)

    def test_cron_never_posts_another_company_document(self):
        """A run forged in the database (behind the ORM's constraint) with
        a bill of B and a bill of A already registered: the cron takes
        neither; both leave the run."""
        bill_b = self._bill(self.company_b, "B-5")
        done_a = self._bill(self.company_a, "A-5")
        done_a.l10n_it_autoreg_state = "registered"
        run = self.Run.sudo().create(
            {"company_id": self.company_a.id, "trigger": "cron", "user_id": False}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO l10n_it_autoreg_run_move_rel (run_id, move_id) VALUES (%s, %s), (%s, %s)",
            [run.id, bill_b.id, run.id, done_a.id],
        )
        run.invalidate_recordset()
        self.assertEqual(run.move_ids, bill_b | done_a)
        self.company_b.l10n_it_autoreg_enabled = False  # the cron must not take it for B
        self.Run._process_running_runs()
        self.assertUntouched(bill_b)
        self.assertEqual(done_a.l10n_it_autoreg_state, "registered")
        self.assertRecordValues(
            run, [{"state": "done", "recognized_count": 0, "unrecognized_count": 0}]
        )
        self.assertFalse(run.move_ids)
