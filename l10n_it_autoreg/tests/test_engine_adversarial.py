"""Adversarial e-invoices: what real Italian suppliers' software writes, and
what could make the engine post a bill that differs from the document (or
post twice, or post a self-invoice, or post to the wrong supplier).

Every test states the only acceptable outcome: a posted bill with the
document's exact figures (untaxed, VAT per rate, total, amount due, due
dates), or a pending bill with a specific reason code.  A wrong posted bill
is worse than a bill left pending."""

from .common import (
    D,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    PensionFundSpec,
    SummarySpec,
    WithholdingSpec,
    date,
)
from .rule_cases import AdversarialCommon


class TestTaxRows(AdversarialCommon):
    def test_line_rate_without_summary_row(self):
        spec = InvoiceSpec(
            lines=[LineSpec(), LineSpec("B", price_unit=D("50"), vat_rate=D("10"))],
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22"))],
            total=D("127.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_summary_row_without_lines(self):
        spec = InvoiceSpec(
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22")),
                SummarySpec(vat_rate=D("10"), taxable=D("50"), tax=D("5")),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_same_rate_split_in_two_rows(self):
        # two rows at 22% (e.g. goods and SpeseAccessorie written apart)
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("B", price_unit=D("50"))],
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22")),
                SummarySpec(vat_rate=D("22"), taxable=D("50"), tax=D("11")),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 150, 33, 183)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 33.0})

    def test_same_rate_immediate_and_split_payment(self):
        # one part split payment, one not: one tax cannot be both
        self.make_split_payment_tax()
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("B", price_unit=D("50"))],
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22"), vat_due="I"),
                SummarySpec(vat_rate=D("22"), taxable=D("50"), tax=D("11"), vat_due="S"),
            ],
            payments=[PaymentSpec(installments=[InstallmentSpec(amount=D("172.00"))])],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_two_exempt_natures(self):
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        spec = InvoiceSpec(
            lines=[
                LineSpec(),
                LineSpec("Esente", price_unit=D("30"), vat_rate=D("0"), nature="N4"),
                LineSpec("Fuori campo", price_unit=D("20"), vat_rate=D("0"), nature="N2.2"),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 150, 22, 172)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 22.0})
        self.assertEqual(
            sorted(r for r in move.invoice_line_ids.tax_ids.mapped("l10n_it_exempt_reason") if r),
            ["N2.2", "N4"],
        )

    def test_zero_rate_without_nature(self):
        spec = InvoiceSpec(
            lines=[LineSpec(vat_rate=D("0"))],
            summary=[SummarySpec(vat_rate=D("0"), taxable=D("100"), tax=D("0"))],
            total=D("100"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "tax_not_found", "0.00")

    def test_reverse_charge_with_vat_in_summary(self):
        # N6.x with the VAT written in the summary and in the total: what
        # does the buyer owe? not posted
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("0"), nature="N6.3")],
            summary=[SummarySpec(vat_rate=D("0"), nature="N6.3", taxable=D("1000"), tax=D("220"))],
            total=D("1220"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_reverse_charge_with_vat_in_summary_not_in_total(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("0"), nature="N6.3")],
            summary=[SummarySpec(vat_rate=D("0"), nature="N6.3", taxable=D("1000"), tax=D("220"))],
            total=D("1000"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_reverse_charge_at_rate_22_with_nature(self):
        # some software writes AliquotaIVA 22 + Natura N6.7 and Imposta 0
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("22"), nature="N6.7")],
            summary=[SummarySpec(vat_rate=D("22"), nature="N6.7", taxable=D("1000"), tax=D("0"))],
            total=D("1000"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 0, 1000)
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 22.0)

    def test_split_payment_total_includes_vat(self):
        split = self.make_split_payment_tax()
        spec = InvoiceSpec(
            vat_due="S",
            lines=[LineSpec(price_unit=D("300"))],
            payments=[
                PaymentSpec(
                    conditions="TP01",
                    installments=[
                        InstallmentSpec(due_date=date(2025, 2, 28)),
                        InstallmentSpec(due_date=date(2025, 3, 31)),
                    ],
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 300, 0, 300)
        self.assertEqual(move.invoice_line_ids.tax_ids, split)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 66.0})
        self.assertEqual(
            self.payable_schedule(move), [(date(2025, 2, 28), 150.0), (date(2025, 3, 31), 150.0)]
        )

    def test_split_payment_total_excludes_vat(self):
        self.make_split_payment_tax()
        spec = InvoiceSpec(vat_due="S", total=D("100.00"))
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_split_payment_without_total(self):
        self.make_split_payment_tax()
        move = self.receive_and_register(InvoiceSpec(vat_due="S", omit_total=True))
        self.assertRegistered(move, 100, 0, 100)
        self.assertEqual(self.payable_schedule(move)[0][1], 100.0)

    def test_tax_rounding_beyond_tolerance(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("33.33"))],
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("33.33"), tax=D("7.50"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "7.50")

    def test_vat_per_rate_rounding_many_lines(self):
        # round_globally vs the supplier rounding per rate: VAT per rate is
        # the document's
        lines = [LineSpec(f"L{i}", price_unit=D("0.33"), quantity=D("1")) for i in range(10)]
        lines += [LineSpec(f"M{i}", price_unit=D("1.15"), vat_rate=D("10")) for i in range(7)]
        spec = InvoiceSpec(lines=lines)
        move = self.receive_and_register(spec)
        # 3.30 @22 -> 0.73 ; 8.05 @10 -> 0.81 (0.805 half up)
        self.assertRegistered(move, D("11.35"), D("1.54"), D("12.89"))
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 0.73, (10.0, None): 0.81})

    def test_vat_rounded_per_line_many_lines(self):
        # 40 lines of 0.35 at 22%: VAT of the total 14.00 x 22% = 3.08; the
        # supplier added the VAT of each line (0.077 -> 0.08): 3.20, within
        # half a cent per line; the bill carries the document's VAT
        lines = [LineSpec(f"L{i}", price_unit=D("0.35")) for i in range(40)]
        spec = InvoiceSpec(
            lines=lines, summary=[SummarySpec(vat_rate=D("22"), taxable=D("14.00"), tax=D("3.20"))]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 14, D("3.20"), D("17.20"))
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 3.2})

    def test_vat_beyond_per_line_rounding(self):
        lines = [LineSpec(f"L{i}", price_unit=D("0.35")) for i in range(4)]
        spec = InvoiceSpec(
            lines=lines, summary=[SummarySpec(vat_rate=D("22"), taxable=D("1.40"), tax=D("0.40"))]
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "0.40")


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
