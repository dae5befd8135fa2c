"""Odoo's own per-supplier auto-post setting honoured by the scheduled
registration, and the documents it could not register reaching the
accounting managers: one activity each, kept up to date, or a daily e-mail
digest; nothing for a clean run nor for a person's run."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import AutoregCommon, D, InvoiceSpec, LineSpec

ACTIVITY_TYPE = "l10n_it_autoreg.mail_activity_type_l10n_it_autoreg_failures"


def refused_spec(number):
    """An e-invoice no fresh database registers: a 7% VAT rate has no tax."""
    return InvoiceSpec(number=number, lines=[LineSpec("Servizio", vat_rate=D("7"))])


@tagged("post_install", "-at_install")
class TestAutopostAndNotices(AutoregCommon):
    # the point is the scheduled action's run itself: companion documents
    # received around the test's ones would be taken (and counted) by it
    autoreg_twin_batch = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["l10n_it_autoreg.run"]
        cls.supplier = (
            cls.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore (anagrafica)", "vat": "IT01234567890", "is_company": True})
        )
        cls.manager = new_test_user(
            cls.env,
            login="responsabile",
            email="responsabile@example.com",
            groups="account.group_account_manager,base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_managers = cls.Run._accounting_managers(cls.company) - cls.manager

    def setUp(self):
        super().setUp()
        self.company.write({"l10n_it_autoreg_enabled": True})
        self.company.l10n_it_autoreg_enabled_since = fields.Datetime.now() - timedelta(days=1)

    def cron(self):
        self.Run._cron_register(commit=False)
        self.env.invalidate_all()

    def activities(self, user=None):
        domain = [
            ("activity_type_id", "=", self.env.ref(ACTIVITY_TYPE).id),
            ("res_model", "=", "l10n_it_autoreg.run"),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    # -- autopost_bills -----------------------------------------------------
    def test_never_supplier_is_left_to_the_user_by_the_scheduled_action(self):
        self.supplier.autopost_bills = "never"
        move = self.receive(InvoiceSpec())
        self.cron()
        self.assertRefused(move, "supplier_manual", "Fornitore (anagrafica)")
        # the person's action still registers it
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)

    def test_ask_and_always_suppliers_are_registered_by_the_scheduled_action(self):
        for setting in ("ask", "always"):
            self.supplier.autopost_bills = setting
            move = self.receive(InvoiceSpec(number=f"AP-{setting}"))
            self.cron()
            self.assertRegistered(move, 100, 22, 122)

    def test_registered_bills_count_as_unedited_validations_for_odoos_suggestion(self):
        self.supplier.autopost_bills = "ask"
        moves = self.receive(InvoiceSpec(number="ASK-1"))
        moves |= self.receive(InvoiceSpec(number="ASK-2"))
        self.cron()
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)
            self.assertFalse(move.is_manually_modified)
        # a third bill of this supplier validated by a person: Odoo proposes
        # to post its bills automatically (three validations without edits)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": "Servizio", "price_unit": 100.0, "is_imported": True})
                ],
            }
        )
        action = bill.action_post()
        self.assertEqual(action and action.get("res_model"), "account.autopost.bills.wizard")
        wizard = self.env["account.autopost.bills.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.nb_unmodified_bills, 3)

    # -- documents not registered reach the managers --------------------------
    def test_failures_of_a_scheduled_run_give_each_manager_one_activity(self):
        first = self.receive(refused_spec("KO-1")) | self.receive(refused_spec("KO-2"))
        self.receive(InvoiceSpec(number="OK-1"))
        self.cron()
        self.assertEqual(set(first.mapped("l10n_it_autoreg_reason_code")), {"tax_not_found"})
        activity = self.activities(self.manager)
        self.assertEqual(len(activity), 1)
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual((activity.res_model, activity.res_id), (run._name, run.id))
        self.assertIn("2", activity.summary)
        for move in first:
            self.assertIn(move.ref, activity.note)
        self.assertIn("7", activity.note)
        self.assertIn("/odoo/action-", activity.note)
        self.assertEqual(len(self.activities()), 1 + len(self.other_managers))

        # a later run with another failure: the same activity, brought up to date
        later = self.receive(refused_spec("KO-3"))
        self.cron()
        self.assertEqual(self.activities(self.manager), activity)
        self.assertIn(later.ref, activity.note)
        self.assertIn("3", activity.summary)

    def test_the_manager_marks_the_activity_done(self):
        self.receive(refused_spec("KO-1"))
        self.cron()
        activity = self.activities(self.manager)
        activity.with_user(self.manager).action_feedback(feedback="Sistemato")
        self.assertFalse(activity.exists())
        self.receive(refused_spec("KO-2"))
        self.cron()
        self.assertEqual(len(self.activities(self.manager)), 1, "a new one for new failures")

    def test_a_clean_scheduled_run_and_a_persons_run_notify_no_one(self):
        self.receive(InvoiceSpec(number="OK-1"))
        self.cron()
        self.assertFalse(self.activities())
        manual = self.receive(refused_spec("KO-1"))
        self.register(manual)
        self.assertRefused(manual, "tax_not_found")
        self.assertFalse(self.activities())

    def test_daily_digest_instead_of_activities(self):
        self.company.l10n_it_autoreg_failure_notice = "digest"
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        moves = self.receive(refused_spec("KO-1")) | self.receive(refused_spec("KO-2"))
        self.cron()
        self.assertFalse(self.activities())
        self.Run._cron_failure_digest()
        mail = Mail.search([]) - before
        self.assertEqual(len(mail), 1)
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        self.assertIn("2", mail.subject)
        for move in moves:
            self.assertIn(move.ref, mail.body_html)
        # nothing new since: no second e-mail
        self.Run._cron_failure_digest()
        self.assertEqual(Mail.search([]) - before, mail)

    def test_daily_digest_none_for_a_clean_run_nor_a_persons_run(self):
        self.company.l10n_it_autoreg_failure_notice = "digest"
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        self.receive(InvoiceSpec(number="OK-1"))
        self.cron()
        manual = self.receive(refused_spec("KO-1"))
        self.register(manual)
        self.assertRefused(manual, "tax_not_found")
        self.Run._cron_failure_digest()
        self.assertFalse(Mail.search([]) - before)
        self.assertFalse(self.activities())
