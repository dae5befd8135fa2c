"""What the addon adds to an Italian company so that common e-invoices
register on a fresh database, and the language of the stored reasons."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import (
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
    PensionFundSpec,
    WithholdingSpec,
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestCompanySetup(AutoregCommon):
    def _purchase_taxes(self, **domain):
        Tax = self.env["account.tax"].with_context(active_test=False)
        return Tax.search(
            [
                *Tax._check_company_domain(self.company),
                ("type_tax_use", "=", "purchase"),
                *[(field, "=", value) for field, value in domain.items()],
            ]
        )

    def test_exempt_taxes_created_with_the_chart(self):
        for nature in ("N2.1", "N2.2", "N3.1", "N3.6", "N4", "N5"):
            tax = self._purchase_taxes(l10n_it_exempt_reason=nature)
            self.assertEqual(len(tax), 1, nature)
            self.assertEqual(tax.amount, 0.0)

    def test_pension_fund_taxes_created_with_the_chart(self):
        for fund, rate in (
            ("TC02", 4.0),
            ("TC03", 5.0),
            ("TC04", 4.0),
            ("TC06", 4.0),
            ("TC20", 2.0),
        ):
            tax = self._purchase_taxes(l10n_it_pension_fund_type=fund)
            self.assertEqual(tax.mapped("amount"), [rate], fund)
        # setting them up again creates nothing
        self.assertFalse(
            self.env["account.chart.template"]._l10n_it_autoreg_ensure_pension_fund_purchase_taxes(
                self.company
            )
        )
        self.assertFalse(
            self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
                self.company
            )
        )

    def test_engineer_parcella_with_inarcassa_registers(self):
        """An engineer's parcella: Inarcassa TC04 4% on 1000, VAT 22% on
        1040, withholding 20% on 1000."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="PARC-INAR-1",
            lines=[LineSpec("Progettazione impianto", price_unit=D("1000.00"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC04", rate=D("4.00"), withholding=False)],
            withholdings=[WithholdingSpec()],
        )
        bill = self.receive_and_register(spec)
        self.assertEqual(bill.l10n_it_autoreg_state, "registered", bill.l10n_it_autoreg_reason)
        # Odoo's total is net of the withholding (a negative tax): the amount due
        self.assertAlmostEqual(bill.amount_total, 1068.80, places=2)
        self.assertEqual(float(spec.amount_due()), 1068.80)
        self.assertEqual(sum(a for _d, a in self.payable_schedule(bill)), 1068.80)
        vat = bill.line_ids.filtered(lambda line: line.tax_line_id.amount == 22.0)
        self.assertAlmostEqual(sum(vat.mapped("balance")), 228.80, places=2)
        fund = bill.line_ids.filtered(
            lambda line: line.tax_line_id.l10n_it_pension_fund_type == "TC04"
        )
        self.assertAlmostEqual(sum(fund.mapped("balance")), 40.0, places=2)

    def test_reasons_written_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["l10n_it_autoreg"], ["it_IT"])
        self.company.partner_id.lang = "it_IT"
        bill = self.receive_and_register(
            InvoiceSpec(number="FT-LANG-1", lines=[LineSpec(vat_rate=D("15.55"))])
        )
        self.assertEqual(bill.l10n_it_autoreg_reason_code, "tax_not_found")
        self.assertIn("15.55", bill.l10n_it_autoreg_reason)
        self.assertIn("imposta", bill.l10n_it_autoreg_reason.lower())


@tagged("post_install_l10n", "post_install", "-at_install")
class TestFillFromEinvoice(AutoregCommon):
    """Not recognized bills are registered by hand: Odoo's standard import
    fills the draft from the e-invoice first."""

    def test_fill_not_recognized_bill(self):
        bill = self.receive_and_register(
            InvoiceSpec(
                number="FT-FILL-1",
                lines=[
                    LineSpec("Carta A4", price_unit=D("10.00"), quantity=D("3")),
                    LineSpec("Toner", price_unit=D("50.00"), vat_rate=D("15.55")),
                ],
            )
        )
        self.assertRefused(bill, "tax_not_found", "15.55")
        self.assertFalse(bill.invoice_line_ids)
        bill.action_l10n_it_autoreg_fill_from_einvoice()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.l10n_it_autoreg_state, "unrecognized")
        self.assertEqual(bill.ref, "FT-FILL-1")
        lines = bill.invoice_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("name"), ["Carta A4", "Toner"])
        self.assertEqual(lines.mapped("price_subtotal"), [30.0, 50.0])
        # the original file is untouched and still the bill's e-invoice
        self.assertTrue(bill.l10n_it_autoreg_attachment_id.raw.startswith(b"<?xml"))
        with self.assertRaises(UserError):
            bill.action_l10n_it_autoreg_fill_from_einvoice()  # already filled

    def test_fill_second_body_of_a_file(self):
        first, second = self.receive(
            InvoiceSpec(number="FT-FILL-A"),
            InvoiceSpec(number="FT-FILL-B", lines=[LineSpec("Servizio B", vat_rate=D("15.55"))]),
        )
        self.register(first | second)
        self.assertRefused(second, "tax_not_found")
        second.action_l10n_it_autoreg_fill_from_einvoice()
        self.assertEqual(second.ref, "FT-FILL-B")
        self.assertEqual(second.invoice_line_ids.mapped("name"), ["Servizio B"])

    def test_no_fill_for_self_invoices(self):
        bill = self.receive_and_register(InvoiceSpec(number="AF-FILL", document_type="TD17"))
        self.assertRefused(bill, "self_invoice")
        with self.assertRaises(UserError):
            bill.action_l10n_it_autoreg_fill_from_einvoice()
