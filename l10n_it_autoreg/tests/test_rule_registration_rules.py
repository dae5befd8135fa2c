"""Registration rules on real bills: each condition (supplier, document
type, words of the description, article code, AltriDatiGestionali POD,
VAT rate, Natura) and each action (expense account, analytic distribution,
product, split by percentage to the cent, to review, never automatically),
their order, the rule named in the trace, a rule that cannot be applied
(archived account, product, analytic account) as a clear reason, and who
may keep the rules."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, PartySpec

POD = "IT001E12345678"


@tagged("post_install", "-at_install")
class TestRegistrationRules(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.make_supplier("Energia Srl")
        cls.other = cls.make_supplier("Altro Fornitore Srl", vat="IT07643520567")
        cls.energy = cls.expense_account("610101", "Energia elettrica")
        cls.gas = cls.expense_account("610102", "Gas")
        cls.office = cls.expense_account("610103", "Cancelleria")
        cls.Rule = cls.env["l10n_it_autoreg.rule"]
        cls.milano, cls.roma = cls.analytic_accounts("Sede Milano", "Sede Roma")

    def rule(self, name="Regola", **vals):
        return self.Rule.create({"name": name, **vals})

    def accounts(self, move):
        return [
            (line.name, line.account_id.code, round(line.price_subtotal, 2))
            for line in move.invoice_line_ids.sorted("id")
        ]

    # -- conditions -----------------------------------------------------------
    def test_supplier_condition(self):
        self.rule(partner_ids=[Command.set(self.supplier.ids)], account_id=self.energy.id)
        move = self.receive_and_register(InvoiceSpec())
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.account_id, self.energy)
        other = self.receive_and_register(
            InvoiceSpec(number="ALTRO-1", seller=PartySpec(vat="IT07643520567", name="Altro"))
        )
        self.assertRegistered(other, 100, 22, 122)
        self.assertNotEqual(other.invoice_line_ids.account_id, self.energy)

    def test_words_of_the_description(self):
        self.rule(description_words="energia elettrica, gas naturale", account_id=self.energy.id)
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec("Fornitura ENERGIA elettrica marzo", price_unit=D("80")),
                    LineSpec("Gasolio", price_unit=D("20")),
                ]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        first, second = move.invoice_line_ids.sorted("id")
        self.assertEqual(first.account_id, self.energy)
        self.assertNotEqual(second.account_id, self.energy)

    def test_article_code(self):
        self.rule(article_codes="ART-7", account_id=self.office.id)
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec(
                        "Risme", price_unit=D("60"), article_codes=[("Codice Fornitore", "art-7")]
                    ),
                    LineSpec(
                        "Toner", price_unit=D("40"), article_codes=[("Codice Fornitore", "ART-8")]
                    ),
                ]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        first, second = move.invoice_line_ids.sorted("id")
        self.assertEqual(
            (first.account_id, first.l10n_it_autoreg_article_code), (self.office, "art-7")
        )
        self.assertNotEqual(second.account_id, self.office)

    def test_utility_contract_code_in_other_data(self):
        self.rule(other_data_type="POD", other_data_text=POD, account_id=self.energy.id)
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec("Quota fissa", price_unit=D("30"), other_data=[("POD", POD, None)]),
                    LineSpec(
                        "Quota fissa",
                        price_unit=D("70"),
                        other_data=[("POD", "IT001E99999999", None)],
                    ),
                ]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        first, second = move.invoice_line_ids.sorted("id")
        self.assertEqual(first.account_id, self.energy)
        self.assertNotEqual(second.account_id, self.energy)

    def test_vat_rate_and_natura(self):
        self.rule(vat_condition=True, vat_rate=10, account_id=self.gas.id)
        self.rule(vat_nature="N4", account_id=self.office.id)
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec("A", price_unit=D("100")),
                    LineSpec("B", price_unit=D("50"), vat_rate=D("10")),
                    LineSpec("C", price_unit=D("20"), vat_rate=D("0"), nature="N4"),
                ]
            )
        )
        self.assertRegistered(move, 170, 27, 197)
        self.assertEqual([code for _n, code, _a in self.accounts(move)][1:], ["610102", "610103"])
        self.assertNotIn(self.accounts(move)[0][1], ("610102", "610103"))

    def test_document_type(self):
        self.supplier.l10n_it_autoreg_account_id = self.office
        self.rule(document_types="TD04", account_id=self.gas.id)
        refund = self.receive_and_register(InvoiceSpec(document_type="TD04", number="NC-1"))
        self.assertRegistered(refund, 100, 22, 122, move_type="in_refund")
        self.assertEqual(refund.invoice_line_ids.account_id, self.gas)
        invoice = self.receive_and_register(InvoiceSpec(number="FT-1"))
        self.assertEqual(invoice.invoice_line_ids.account_id, self.office)

    # -- actions ---------------------------------------------------------------
    def test_account_and_analytic_distribution_named_in_the_trace(self):
        self.rule(
            "Regola energia",
            description_words="energia",
            account_id=self.energy.id,
            analytic_distribution={str(self.milano.id): 60, str(self.roma.id): 40},
        )
        move = self.receive_and_register(InvoiceSpec(lines=[LineSpec("Energia")]))
        self.assertRegistered(move, 100, 22, 122)
        line = move.invoice_line_ids
        self.assertEqual(line.account_id, self.energy)
        self.assertEqual(
            line.analytic_distribution, {str(self.milano.id): 60, str(self.roma.id): 40}
        )
        body = move.message_ids.mapped("body")
        self.assertTrue(
            any("Regola energia" in b and "610101" in b and "Sede Milano" in b for b in body), body
        )
        self.assertFalse(move.l10n_it_autoreg_to_review)

    def test_product(self):
        product = self.env["product.product"].create(
            {"name": "Energia (prodotto)", "property_account_expense_id": self.gas.id}
        )
        self.rule(description_words="energia", product_id=product.id)
        move = self.receive_and_register(InvoiceSpec(lines=[LineSpec("Energia")]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.product_id, product)
        self.assertEqual(move.invoice_line_ids.account_id, self.gas)

    def test_split_by_percentage_to_the_cent(self):
        self.rule(
            "Regola ripartita",
            split_line_ids=[
                Command.create({"account_id": self.energy.id, "percentage": 33.33}),
                Command.create({"account_id": self.gas.id, "percentage": 33.33}),
                Command.create({"account_id": self.office.id, "percentage": 33.34}),
            ],
        )
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec("Canone", price_unit=D("100.01")),
                    LineSpec("Extra", price_unit=D("0.10")),
                ]
            )
        )
        self.assertRegistered(move, D("100.11"), D("22.02"), D("122.13"))
        self.assertEqual(
            self.accounts(move),
            [
                ("Canone (33.33%)", "610101", 33.33),
                ("Canone (33.33%)", "610102", 33.33),
                ("Canone (33.34%)", "610103", 33.35),
                ("Extra (33.33%)", "610101", 0.03),
                ("Extra (33.33%)", "610102", 0.03),
                ("Extra (33.34%)", "610103", 0.04),
            ],
        )

    def test_split_at_the_detail_level_one_line_per_rate(self):
        self.supplier.l10n_it_autoreg_detail_level = "rate"
        self.rule(
            split_line_ids=[
                Command.create({"account_id": self.energy.id, "percentage": 70}),
                Command.create({"account_id": self.gas.id, "percentage": 30}),
            ]
        )
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[LineSpec("A", price_unit=D("33.33")), LineSpec("B", price_unit=D("66.67"))]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        by_account = {
            line.account_id.code: round(line.price_subtotal, 2) for line in move.invoice_line_ids
        }
        self.assertEqual(by_account, {"610101": 70.0, "610102": 30.0})

    def test_always_leave_for_review(self):
        self.rule(
            "Regola verifica",
            partner_ids=[Command.set(self.supplier.ids)],
            outcome="review",
            account_id=self.gas.id,
        )
        move = self.receive_and_register(InvoiceSpec(lines=[LineSpec("A"), LineSpec("B")]))
        self.assertRegistered(move, 200, 44, 244)
        self.assertEqual(move.invoice_line_ids.account_id, self.gas)
        self.assertTrue(move.l10n_it_autoreg_to_review)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "rule_review")
        self.assertEqual(move.l10n_it_autoreg_review.count("Regola verifica"), 1)

    def test_never_register_automatically(self):
        self.rule("Regola conguagli", description_words="conguaglio", outcome="manual")
        move = self.receive(InvoiceSpec(lines=[LineSpec("Conguaglio consumi")]))
        # the scheduled action leaves it to a person
        self.engine.with_context(l10n_it_autoreg_automatic=True).register(move)
        self.assertRefused(move, "rule_manual", "Regola conguagli", "Conguaglio consumi")
        # a person's Register automatically registers it, the rule set aside
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertIn("Regola conguagli", move.message_ids[:1].body)

    # -- order -----------------------------------------------------------------
    def test_the_first_rule_in_order_decides(self):
        general = self.rule(
            "Generale",
            partner_ids=[Command.set(self.supplier.ids)],
            account_id=self.office.id,
            sequence=20,
        )
        self.rule("Gas", description_words="gas", account_id=self.gas.id, sequence=10)
        move = self.receive_and_register(
            InvoiceSpec(lines=[LineSpec("Gas naturale"), LineSpec("Canone")])
        )
        self.assertEqual([code for _n, code, _a in self.accounts(move)], ["610102", "610103"])
        general.sequence = 5
        move = self.receive_and_register(
            InvoiceSpec(number="FT-2", lines=[LineSpec("Gas naturale"), LineSpec("Canone")])
        )
        self.assertEqual([code for _n, code, _a in self.accounts(move)], ["610103", "610103"])

    # -- a rule that cannot be applied ---------------------------------------------
    def test_rule_to_a_deprecated_account_is_a_clear_reason(self):
        self.rule("Regola vecchia", account_id=self.energy.id)
        self.energy.deprecated = True
        move = self.receive_and_register(InvoiceSpec())
        self.assertRefused(move, "rule_invalid", "Regola vecchia", "610101")

    def test_rule_to_an_archived_product_or_analytic_account(self):
        product = self.env["product.product"].create({"name": "Vecchio"})
        rule = self.rule("Regola prodotto", product_id=product.id)
        product.active = False
        move = self.receive_and_register(InvoiceSpec())
        self.assertRefused(move, "rule_invalid", "Regola prodotto", "Vecchio")
        rule.write({"product_id": False, "analytic_distribution": {str(self.roma.id): 100}})
        self.roma.active = False
        self.register(move)
        self.assertRefused(move, "rule_invalid", "Regola prodotto", "Sede Roma")

    def test_an_archived_rule_no_longer_applies(self):
        rule = self.rule(account_id=self.energy.id)
        rule.active = False
        move = self.receive_and_register(InvoiceSpec())
        self.assertNotEqual(move.invoice_line_ids.account_id, self.energy)

    # -- the rules themselves ------------------------------------------------------
    def test_split_percentages_must_add_up_to_100(self):
        with self.assertRaises(ValidationError):
            self.rule(
                split_line_ids=[
                    Command.create({"account_id": self.energy.id, "percentage": 60}),
                    Command.create({"account_id": self.gas.id, "percentage": 30}),
                ]
            )
        with self.assertRaises(ValidationError):
            self.rule(
                account_id=self.office.id,
                split_line_ids=[Command.create({"account_id": self.energy.id, "percentage": 100})],
            )

    def test_a_rule_that_registers_decides_something(self):
        with self.assertRaises(ValidationError):
            self.rule(description_words="energia")
        self.assertTrue(self.rule(description_words="energia", outcome="review"))

    def test_managers_keep_the_rules_billing_users_register_with_them(self):
        clerk = new_test_user(
            self.env,
            login="fatture",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            self.Rule.with_user(clerk).create({"name": "No", "account_id": self.gas.id})
        self.rule(account_id=self.gas.id)
        move = self.receive(InvoiceSpec())
        move.with_user(clerk).action_l10n_it_autoreg_register()
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.account_id, self.gas)

    def test_rules_of_another_company_do_not_apply(self):
        other = self.setup_other_company()
        other_company, expense = other["company"], other["default_account_expense"]
        self.Rule.sudo().create(
            {"name": "Altra azienda", "company_id": other_company.id, "account_id": expense.id}
        )
        move = self.receive_and_register(InvoiceSpec())
        self.assertRegistered(move, 100, 22, 122)
        self.assertNotEqual(move.invoice_line_ids.account_id, expense)
