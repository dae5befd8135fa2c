"""Lines and accounts of the bill: its detail level (every line, one line
per VAT rate, one line; company or supplier setting), and each line's
expense account (the product of the supplier's article code, the
supplier's account, then the supplier's history, the company's default,
the journal's), else account_not_found."""

from odoo import Command

from .common import (
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
)


class TestLinesAndAccounts(AutoregCommon):
    def spec3(self):
        return InvoiceSpec(
            lines=[
                LineSpec("A", price_unit=D("10")),
                LineSpec("B", price_unit=D("20")),
                LineSpec("C", price_unit=D("40"), vat_rate=D("10")),
            ]
        )

    def test_detail_rate(self):
        self.company.l10n_it_autoreg_detail_level = "rate"
        move = self.receive_and_register(self.spec3())
        self.assertRegistered(move, 70, D("10.60"), D("80.60"))
        self.assertEqual(len(move.invoice_line_ids), 2)

    def test_detail_single_per_supplier(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore", "vat": "IT01234567890"})
        )
        partner.l10n_it_autoreg_detail_level = "single"
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[LineSpec("A", price_unit=D("10")), LineSpec("B", price_unit=D("20"))]
            )
        )
        self.assertRegistered(move, 30, D("6.60"), D("36.60"))
        self.assertEqual(len(move.invoice_line_ids), 1)

    def test_account_from_product_code(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore", "vat": "IT01234567890"})
        )
        account = self.company_data["default_account_expense"].copy({"code": "410299"})
        product = self.env["product.product"].create(
            {
                "name": "Toner",
                "property_account_expense_id": account.id,
                "seller_ids": [Command.create({"partner_id": partner.id, "product_code": "TNR-1"})],
            }
        )
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[LineSpec("Toner nero", article_codes=[("Codice Fornitore", "TNR-1")])]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_line_ids.product_id, product)
        self.assertEqual(move.invoice_line_ids.account_id, account)

    def test_account_from_supplier_then_history(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore", "vat": "IT01234567890"})
        )
        account = self.company_data["default_account_expense"].copy({"code": "410298"})
        partner.l10n_it_autoreg_account_id = account
        move = self.receive_and_register(InvoiceSpec())
        self.assertEqual(move.invoice_line_ids.account_id, account)
        # the next bill follows the registered ones even without the setting
        partner.l10n_it_autoreg_account_id = False
        move2 = self.receive_and_register(InvoiceSpec(number="FT-2"))
        self.assertRegistered(move2, 100, 22, 122)
        self.assertEqual(move2.invoice_line_ids.account_id, account)

    def test_company_default_account(self):
        account = self.company_data["default_account_expense"].copy({"code": "410297"})
        self.company.l10n_it_autoreg_default_account_id = account
        move = self.receive_and_register(InvoiceSpec())
        self.assertEqual(move.invoice_line_ids.account_id, account)

    def test_account_not_found(self):
        self.journal.default_account_id = False
        move = self.receive_and_register(InvoiceSpec())
        self.assertRefused(move, "account_not_found", "Servizio di consulenza")
