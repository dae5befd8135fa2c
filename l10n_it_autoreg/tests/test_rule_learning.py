"""Learning on real bills: a line follows the similar line of this
supplier's registered bills (description, article code, VAT), and above
all a person's correction of a bill the addon registered (another account
or analytic distribution): the next bill uses it and its trace says so.
A rule always wins over learning."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, PartySpec


@tagged("post_install", "-at_install")
class TestLearning(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.make_supplier("Utility Srl")
        cls.default = cls.expense_account("610200", "Costi generici")
        cls.gas = cls.expense_account("610202", "Gas")
        cls.energy = cls.expense_account("610201", "Energia")
        cls.company.l10n_it_autoreg_default_account_id = cls.default
        cls.mario = new_test_user(
            cls.env,
            login="mario",
            name="Mario Rossi",
            groups="account.group_account_manager,base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        (cls.milano,) = cls.analytic_accounts("Sede Milano")

    def first_bill(self, *descriptions, **spec):
        lines = [LineSpec(d, price_unit=D("50")) for d in descriptions or ("Gas metano",)]
        move = self.receive_and_register(InvoiceSpec(number="FT-1", lines=lines, **spec))
        self.assertRegistered(move, 50 * len(lines), 11 * len(lines), 61 * len(lines))
        return move

    def line(self, move, description):
        return move.invoice_line_ids.filtered(lambda aml: aml.name.startswith(description))

    def correct(self, move, description, **vals):
        """Mario resets the bill to draft, changes the line, posts it again."""
        move = move.with_user(self.mario)
        move.button_draft()
        move.write({"invoice_line_ids": [Command.update(self.line(move, description).id, vals)]})
        move.action_post()
        self.assertEqual(move.state, "posted")

    def trace(self, move):
        return move.message_ids.filtered(lambda m: "610" in (m.body or ""))[:1].body or ""

    def test_registration_remembers_what_it_decided_and_who_corrected(self):
        move = self.first_bill()
        line = move.invoice_line_ids
        self.assertEqual(line.l10n_it_autoreg_decided_account_id, self.default)
        self.assertFalse(line.l10n_it_autoreg_decided_analytic)
        self.assertFalse(line.l10n_it_autoreg_corrected_uid)
        self.correct(move, "Gas metano", name="Gas metano (rettificato)")
        self.assertFalse(line.l10n_it_autoreg_corrected_uid, "the label is no correction")
        self.correct(move, "Gas metano", account_id=self.gas.id)
        self.assertEqual(line.l10n_it_autoreg_corrected_uid, self.mario)

    def test_a_similar_line_follows_the_suppliers_bills(self):
        self.supplier.l10n_it_autoreg_account_id = self.energy
        first = self.first_bill("Energia elettrica gennaio 2025")
        self.supplier.l10n_it_autoreg_account_id = False
        move = self.receive_and_register(
            InvoiceSpec(number="FT-2", lines=[LineSpec("Energia elettrica febbraio 2025")])
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.account_id, self.energy)
        self.assertIn(first.name, self.trace(move))

    def test_a_correction_becomes_what_the_next_bill_uses(self):
        first = self.first_bill("Gas metano", "Energia elettrica")
        self.correct(first, "Gas metano", account_id=self.gas.id)
        move = self.receive_and_register(
            InvoiceSpec(
                number="FT-2",
                lines=[LineSpec("Gas metano marzo"), LineSpec("Energia elettrica marzo")],
            )
        )
        self.assertRegistered(move, 200, 44, 244)
        self.assertEqual(self.line(move, "Gas").account_id, self.gas)
        self.assertEqual(self.line(move, "Energia").account_id, self.default)
        trace = self.trace(move)
        self.assertIn("610202 Gas", trace)
        self.assertIn(first.name, trace)
        self.assertIn("Mario Rossi", trace)

    def test_a_correction_wins_over_the_suppliers_account(self):
        self.supplier.l10n_it_autoreg_account_id = self.energy
        first = self.first_bill()
        self.assertEqual(first.invoice_line_ids.account_id, self.energy)
        self.correct(first, "Gas metano", account_id=self.gas.id)
        move = self.receive_and_register(InvoiceSpec(number="FT-2", lines=[LineSpec("Gas metano")]))
        self.assertEqual(move.invoice_line_ids.account_id, self.gas)

    def test_an_analytic_correction_on_the_posted_bill(self):
        first = self.first_bill()
        self.line(first, "Gas").with_user(self.mario).analytic_distribution = {
            str(self.milano.id): 100
        }
        move = self.receive_and_register(InvoiceSpec(number="FT-2", lines=[LineSpec("Gas metano")]))
        line = move.invoice_line_ids
        self.assertEqual(
            (line.account_id, line.analytic_distribution),
            (self.default, {str(self.milano.id): 100}),
        )
        self.assertIn("Sede Milano", self.trace(move))
        self.assertIn("Mario Rossi", self.trace(move))

    def test_the_article_code_teaches_whatever_the_description(self):
        first = self.receive_and_register(
            InvoiceSpec(
                number="FT-1",
                lines=[LineSpec("Articolo uno", article_codes=[("Codice Fornitore", "ART-1")])],
            )
        )
        self.correct(first, "Articolo uno", account_id=self.gas.id)
        move = self.receive_and_register(
            InvoiceSpec(
                number="FT-2",
                lines=[
                    LineSpec(
                        "Descrizione tutta diversa", article_codes=[("Codice Fornitore", "art-1")]
                    ),
                    LineSpec("Altro", article_codes=[("Codice Fornitore", "ART-2")]),
                ],
            )
        )
        self.assertEqual(self.line(move, "Descrizione").account_id, self.gas)
        self.assertIn(
            f"610202 Gas: account as corrected on {first.name} by Mario Rossi", self.trace(move)
        )
        # a line like none of the supplier's: the account its bills use most
        self.assertIn("previous bills", self.trace(move))

    def test_a_rule_wins_over_learning(self):
        first = self.first_bill()
        self.correct(first, "Gas metano", account_id=self.gas.id)
        self.env["l10n_it_autoreg.rule"].create(
            {"name": "Regola gas", "description_words": "gas", "account_id": self.energy.id}
        )
        move = self.receive_and_register(InvoiceSpec(number="FT-2", lines=[LineSpec("Gas metano")]))
        self.assertEqual(move.invoice_line_ids.account_id, self.energy)
        self.assertIn("Regola gas", self.trace(move))

    def test_another_suppliers_correction_teaches_nothing(self):
        first = self.first_bill()
        self.correct(first, "Gas metano", account_id=self.gas.id)
        move = self.receive_and_register(
            InvoiceSpec(
                number="FT-2",
                seller=PartySpec(vat="IT07643520567", name="Altro Srl"),
                lines=[LineSpec("Gas metano")],
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.account_id, self.default)
