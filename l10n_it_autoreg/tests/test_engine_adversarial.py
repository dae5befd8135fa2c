"""Adversarial e-invoices: what real Italian suppliers' software writes, and
what could make the engine post a bill that differs from the document (or
post twice, or post a self-invoice, or post to the wrong supplier).

Every test states the only acceptable outcome: a posted bill with the
document's exact figures (untaxed, VAT per rate, total, amount due, due
dates), or a pending bill with a specific reason code.  A wrong posted bill
is worse than a bill left pending."""

from .common import (
    D,
    InvoiceSpec,
    LineSpec,
    PensionFundSpec,
    WithholdingSpec,
)
from .rule_cases import AdversarialCommon


class TestWithholdingAndFunds(AdversarialCommon):
    def test_withholding_on_some_lines(self):
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[
                LineSpec("Onorario", price_unit=D("1000"), withholding=True),
                LineSpec("Spese anticipate", price_unit=D("200")),
            ],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
        )
        move = self.receive_and_register(spec)
        # total 1464, withholding 200, due 1264
        self.assertRegistered(move, 1200, 64, 1264)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 264.0})
        self.assertEqual(self.payable_schedule(move)[0][1], 1264.0)

    def test_withholding_amount_inconsistent(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(amount=D("150.00"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_withholding_without_line_flag(self):
        # DatiRitenuta but no line says Ritenuta SI: 200.00 is 20% of the
        # only line to the cent, so it is that line's withholding (issue 12),
        # registered to review
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"))],
            withholdings=[WithholdingSpec(amount=D("200.00"))],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertIn("withholding_inferred", move.l10n_it_autoreg_review_codes.split())

    def test_lawyer_cpa_without_withholding(self):
        # Cassa forense 4% (TC01), not subject to withholding; RT01 20% on
        # the fee only; VAT 22% on fee + CPA
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[LineSpec("Onorario", price_unit=D("1000"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC01", rate=D("4"), withholding=False)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
        )
        move = self.receive_and_register(spec)
        # 1000 + 40 = 1040, VAT 228.80, total 1268.80, withholding 200 -> due 1068.80
        self.assertRegistered(move, 1000, D("68.80"), D("1068.80"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -228.80)
        self.assertEqual(self.payable_schedule(move)[0][1], 1068.80)

    def test_inps_with_withholding_flag(self):
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[LineSpec("Prestazione", price_unit=D("500"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
        )
        move = self.receive_and_register(spec)
        # 520 taxable, VAT 114.40, total 634.40, withholding 104 -> 530.40
        self.assertRegistered(move, 500, D("30.40"), D("530.40"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 104.0)

    def test_inps_without_withholding_flag(self):
        # the INPS contribution not subject to withholding (Ritenuta absent)
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[LineSpec("Prestazione", price_unit=D("500"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), withholding=False)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
        )
        move = self.receive_and_register(spec)
        # withholding 100 on 500 only (634.40 - 100 = 534.40): Odoo's INPS
        # tax is in the withholding base, the bill would withhold 104
        self.assertRefused(move, "totals_mismatch", "withholding")

    def test_pension_fund_with_two_vat_rates(self):
        # lines at 22% and 10%, the contribution (on both) at 22%
        spec = InvoiceSpec(
            lines=[
                LineSpec(price_unit=D("1000")),
                LineSpec("B", price_unit=D("500"), vat_rate=D("10")),
            ],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"))],
        )
        move = self.receive_and_register(spec)
        # cassa 60 at 22%: 22% of 1060 = 233.20, 10% of 500 = 50; Odoo would
        # put the contribution of the 10% line in the 10% base
        self.assertRefused(move, "totals_mismatch", "TC22", "VAT 22.00% on lines at VAT 10.00%")

    def test_pension_fund_on_part_of_the_lines(self):
        # ImponibileCassa = only the fee, not the expenses
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000")), LineSpec("Spese", price_unit=D("100"))],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), taxable=D("1000"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_flat_rate_supplier_with_fund_and_stamp(self):
        # regime forfettario: N2.2, INPS 4% N2.2, stamp duty charged with a line
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        spec = InvoiceSpec(
            document_type="TD06",
            stamp_duty=D("2.00"),
            lines=[
                LineSpec("Prestazione", price_unit=D("1000"), vat_rate=D("0"), nature="N2.2"),
                LineSpec("Imposta di bollo", price_unit=D("2"), vat_rate=D("0"), nature="N1"),
            ],
            pension_funds=[
                PensionFundSpec(
                    type="TC22", rate=D("4"), vat_rate=D("0"), nature="N2.2", taxable=D("1000")
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000 + 2, 40, 1042)
