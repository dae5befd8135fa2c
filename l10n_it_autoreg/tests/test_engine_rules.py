"""Rules of the engine, each with the real outcome: posted bill with the
document's amounts, or the stable reason code."""

from odoo import Command

from .common import (
    AutoregCommon,
    D,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    PensionFundSpec,
    WithholdingSpec,
)


class TestTaxes(AutoregCommon):
    def test_withholding_and_pension_fund(self):
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
        )
        move = self.receive_and_register(spec)
        # 1000 + 40 cassa = 1040 taxable, VAT 228.80, withholding 20% of 1040 = 208
        self.assertRegistered(move, 1000, D("60.80"), D("1060.80"))
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, -40.0)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 208.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -228.80)
        self.assertEqual(self.payable_schedule(move)[0][1], 1060.80)

    def test_total_written_net_of_the_withholding(self):
        """Many programs write ImportoTotaleDocumento as the amount to pay:
        when it is the summary's total less the withholding to the cent, the
        bill is the document's (and says so in its trace)."""
        spec = InvoiceSpec(
            document_type="TD06",
            total=D("1060.80"),
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("1060.80"))])],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, D("60.80"), D("1060.80"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 208.0)
        self.assertIn("1268.80", " ".join(move.message_ids.mapped("body")))
        # any other gap is not explained by the withholding
        spec.number, spec.total = "FT-2", D("1070.80")
        spec.payments = [PaymentSpec("TP02", [InstallmentSpec(amount=D("1070.80"))])]
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "1070.80")

    def _enasarco_spec(self, flag_second=True):
        """What Odoo itself sends for a sales agent: RT02 23% ZO in
        DatiRitenuta, ENASARCO 8.5% only in each line's AltriDatiGestionali."""

        def agent_line(amount, flagged=True):
            return LineSpec(
                "Provvigioni",
                price_unit=amount,
                withholding=flagged,
                other_data=[
                    (
                        "CASSA-PREV",
                        "TC07 - ENASARCO (8.5%)",
                        (amount * D("0.085")).quantize(D("0.01")),
                    )
                ],
            )

        return InvoiceSpec(
            lines=[agent_line(D("500.00")), agent_line(D("250.00"), flag_second)],
            withholdings=[
                WithholdingSpec(type="RT02", rate=D("23"), reason="ZO", amount=D("86.25"))
            ],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )

    def test_enasarco_in_other_data_is_the_rt04_withholding(self):
        move = self.receive_and_register(self._enasarco_spec())
        # 750 + 165 VAT - 86.25 withholding - 63.75 ENASARCO = 765 to pay
        self.assertRegistered(move, 750, D("15.00"), 765)
        self.assertEqual(self.payable_schedule(move)[0][1], 765.0)
        trace = " ".join(move.message_ids.mapped("body"))
        self.assertIn("ENASARCO 8.50%", trace)

    def test_enasarco_in_other_data_of_other_lines_is_not_guessed(self):
        move = self.receive_and_register(self._enasarco_spec(flag_second=False))
        self.assertEqual(move.l10n_it_autoreg_state, "unrecognized")

    def test_withholding_not_configured(self):
        # with the option off (on, the tax is created: test_rule_taxes_from_document)
        self.company.l10n_it_autoreg_create_taxes = False
        spec = InvoiceSpec(
            lines=[LineSpec(withholding=True)],
            withholdings=[WithholdingSpec(type="RT02", rate=D("30"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "withholding_not_configured", "RT02", "30.00")


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
