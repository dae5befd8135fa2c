"""Registered, to review: a bill registered with a decision worth a look
(a supplier created from the e-invoice, a rounding within the tolerance)
is posted with review codes and notes, listed in To review and in its run,
until a billing user presses Reviewed (said in the chatter)."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AutoregCommon, D, InvoiceSpec, PartySpec

NEW_SELLER = PartySpec(vat="IT07643520567", name="Nuovo Fornitore Srl", fiscal_code="07643520567")


@tagged("post_install", "-at_install")
class TestRegisteredToReview(AutoregCommon):
    def existing_supplier(self, vat="IT01234567890"):
        return (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore (anagrafica)", "vat": vat, "is_company": True})
        )

    def to_review(self):
        action = self.env.ref("l10n_it_autoreg.action_l10n_it_autoreg_to_review")
        return self.env["account.move"].search(
            safe_eval(action.domain) + [("l10n_it_autoreg_to_review", "=", True)]
        )

    def test_supplier_created_is_registered_to_review(self):
        move = self.receive(InvoiceSpec(seller=NEW_SELLER))
        run = self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.partner_id.name, "Nuovo Fornitore Srl")
        self.assertTrue(move.l10n_it_autoreg_to_review)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "supplier_created")
        self.assertIn("Nuovo Fornitore Srl", move.l10n_it_autoreg_review)
        self.assertIn(move, run.recognized_move_ids)
        self.assertIn(move, self.to_review())
        # the review note is in the chatter's trace too
        self.assertIn("Nuovo Fornitore Srl", move.message_ids[:1].body)

    def test_existing_supplier_and_exact_figures_leave_nothing_to_review(self):
        self.existing_supplier()
        move = self.receive_and_register(InvoiceSpec())
        self.assertRegistered(move, 100, 22, 122)
        self.assertFalse(move.l10n_it_autoreg_to_review)
        self.assertFalse(move.l10n_it_autoreg_review_codes)
        self.assertNotIn(move, self.to_review())

    def test_second_bill_of_a_created_supplier_is_not_to_review(self):
        moves = self.receive(InvoiceSpec(seller=NEW_SELLER, number="N1"))
        moves |= self.receive(InvoiceSpec(seller=NEW_SELLER, number="N2"))
        self.register(moves)
        first, second = moves.sorted("id")
        self.assertRegistered(first, 100, 22, 122)
        self.assertRegistered(second, 100, 22, 122)
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(first.l10n_it_autoreg_review_codes, "supplier_created")
        self.assertFalse(second.l10n_it_autoreg_review_codes)

    def test_rounding_within_tolerance_is_to_review(self):
        self.existing_supplier()
        move = self.receive_and_register(InvoiceSpec(total=D("122.03")))
        self.assertRegistered(move, D("100.03"), 22, D("122.03"))
        self.assertEqual(move.l10n_it_autoreg_review_codes, "rounding_added")
        self.assertIn("0.03", move.l10n_it_autoreg_review)

    def test_review_notes_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["l10n_it_autoreg"], ["it_IT"])
        self.company.partner_id.lang = "it_IT"
        move = self.receive_and_register(InvoiceSpec(seller=NEW_SELLER))
        self.assertIn("è stato creato da questa fattura elettronica", move.l10n_it_autoreg_review)

    def test_reviewed_clears_the_notes_and_says_who_in_the_chatter(self):
        move = self.receive_and_register(InvoiceSpec(seller=NEW_SELLER))
        user = new_test_user(
            self.env,
            login="revisore",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        move.with_user(user).action_l10n_it_autoreg_reviewed()
        self.assertFalse(move.l10n_it_autoreg_to_review)
        self.assertFalse(move.l10n_it_autoreg_review)
        self.assertEqual(move.state, "posted")
        message = move.message_ids[:1]
        self.assertEqual(message.author_id, user.partner_id)
        self.assertIn("checked and cleared", message.body)
        self.assertIn("Nuovo Fornitore Srl", message.body)
        self.assertNotIn(move, self.to_review())

    def test_only_billing_users_mark_reviewed(self):
        move = self.receive_and_register(InvoiceSpec(seller=NEW_SELLER))
        reader = new_test_user(
            self.env,
            login="lettore",
            groups="account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(UserError):
            move.with_user(reader).action_l10n_it_autoreg_reviewed()
        self.assertTrue(move.l10n_it_autoreg_to_review)
