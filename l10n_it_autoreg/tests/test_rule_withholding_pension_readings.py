"""Issue 12, two readings of a professional's fee note (registration.lines):

- a DatiRitenuta while no line says Ritenuta SI: when ImportoRitenuta is its
  rate on the taxable of all lines, or of the lines of one VAT rate (with
  the contribution of a pension fund subject to withholding), to the cent,
  those lines take the withholding tax; registered to review
  (``withholding_inferred``).  Otherwise refused as before: the bill would
  withhold nothing (totals_mismatch, "withholding: bill 0.00, ...").
- a pension fund contribution stated unlike its rate (ImportoContributoCassa
  is not AlCassa x ImponibileCassa, nor x the lines) that the VAT summary
  confirms: a line of its own at the stated amount and the fund's VAT, no
  pension fund tax; registered to review (``pension_fund_stated``).
  Otherwise refused as before (the pension fund tax gives another amount).

No company option governs these readings (the issue defines none): they
hold with the default settings, and with the detail level and tolerance
changed.  Exact figures: untaxed, VAT, total, withholding, payable lines.
"""

from odoo.tests import tagged

from .common import (
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
    PensionFundSpec,
    SummarySpec,
    WithholdingSpec,
)

REASON = (
    "The bill would not equal the e-invoice: %s. Check the e-invoice (it may be "
    "inconsistent) and register the bill by hand."
)


def fee(amount="1000.00", **kw):
    return LineSpec("Onorario", price_unit=D(amount), **kw)


def rt01(amount=None, rate="20.00", **kw):
    return WithholdingSpec(rate=D(rate), amount=D(amount) if amount else None, **kw)


def stated(amount, **kw):
    return PensionFundSpec(type=kw.pop("type", "TC22"), amount=D(amount), **kw)


@tagged("post_install", "-at_install")
class ReadingsCommon(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the supplier exists: the only review notes are the readings'
        cls.env["res.partner"].with_context(no_vat_validation=True).create(
            {"name": "Studio Professionale", "vat": "IT01234567890", "is_company": True}
        )

    def bill(self, spec, untaxed, tax, total, move_type="in_invoice"):
        """The registered bill of ``spec``: its figures and one payable
        line of the whole amount due."""
        move = self.receive_and_register(spec)
        self.assertRegistered(move, untaxed, tax, total, move_type=move_type)
        self.assertEqual([amount for _date, amount in self.payable_schedule(move)], [float(total)])
        return move

    def line_taxes(self, move):
        """[(line name, price_unit, sorted tax names)] of the invoice lines."""
        return [
            (line.name, line.price_unit, sorted(line.tax_ids.mapped("name")))
            for line in move.invoice_line_ids
        ]

    def trace(self, move):
        return " ".join(move.message_ids.mapped("body"))


@tagged("post_install", "-at_install")
class TestWithholdingInferred(ReadingsCommon):
    def test_rate_on_all_lines(self):
        move = self.bill(InvoiceSpec(lines=[fee()], withholdings=[rt01("200.00")]), 1000, 20, 1020)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -220.0)
        self.assertEqual(self.line_taxes(move), [("Onorario", 1000.0, ["20% RIT PF", "22% G"])])
        self.assertEqual(move.l10n_it_autoreg_review_codes, "withholding_inferred")
        self.assertEqual(
            move.l10n_it_autoreg_review,
            "No line is flagged Ritenuta SI: the "
            "withholding 200.00 is 20.00% of the taxable of all lines, applied to "
            "those lines.",
        )
        self.assertIn("the withholding 200.00 is 20.00%", self.trace(move))

    def test_rate_on_the_lines_of_one_vat_rate(self):
        # the fee at 22%; the expenses excluded from VAT (N1, art. 15) are no fee
        spec = InvoiceSpec(
            lines=[
                fee(),
                LineSpec("Anticipazioni", price_unit=D("50.00"), vat_rate=D("0"), nature="N1"),
            ],
            withholdings=[rt01("200.00")],
        )
        move = self.bill(spec, 1050, 20, 1070)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        taxes = self.line_taxes(move)
        self.assertEqual([t[2] for t in taxes], [["20% RIT PF", "22% G"], ["0% G"]])
        self.assertIn("of the taxable of the lines at VAT 22.00%", move.l10n_it_autoreg_review)

    def test_pension_fund_subject_to_withholding_in_the_base(self):
        # INPS 4% rivalsa, Ritenuta SI: 20% of 1000 + 40 = 208
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            withholdings=[rt01("208.00")],
            pension_funds=[PensionFundSpec(type="TC22", withholding=True)],
        )
        move = self.bill(spec, 1000, D("60.80"), D("1060.80"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 208.0)
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, -40.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -228.80)
        self.assertIn(
            "of the taxable of all lines and the pension fund contribution TC22",
            move.l10n_it_autoreg_review,
        )

    def test_pension_fund_not_subject_to_withholding_out_of_the_base(self):
        # Cassa forense 4% (TC01) without Ritenuta: 20% of the fee only
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            withholdings=[rt01("200.00")],
            pension_funds=[PensionFundSpec(type="TC01")],
        )
        move = self.bill(spec, 1000, D("68.80"), D("1068.80"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "withholding_inferred")

    def test_agent_23_percent_on_half_the_commissions(self):
        spec = InvoiceSpec(
            lines=[LineSpec("Provvigioni", price_unit=D("1000.00"))],
            withholdings=[rt01("115.00", "23.00", type="RT02", reason="ZO")],
        )
        move = self.bill(spec, 1000, 105, 1105)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 115.0)
        self.assertIn("the withholding 115.00 is 11.50%", move.l10n_it_autoreg_review)

    def test_credit_note(self):
        spec = InvoiceSpec(document_type="TD04", lines=[fee()], withholdings=[rt01("200.00")])
        move = self.bill(spec, 1000, 20, 1020, move_type="in_refund")
        self.assertEqual(move.l10n_it_autoreg_review_codes, "withholding_inferred")

    def test_exact_to_the_cent_whatever_the_tolerance(self):
        self.company.l10n_it_autoreg_tolerance = 0.0
        self.bill(
            InvoiceSpec(lines=[fee("333.33")], withholdings=[rt01("66.67")]),
            D("333.33"),
            D("6.66"),
            D("339.99"),
        )
        self.company.l10n_it_autoreg_tolerance = 1.0
        move = self.receive_and_register(
            InvoiceSpec(number="FT-2", lines=[fee("333.33")], withholdings=[rt01("66.68")])
        )
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason, REASON % "withholding: bill 0.00, e-invoice 66.68"
        )

    def test_amount_of_no_set_of_lines_refused(self):
        move = self.receive_and_register(InvoiceSpec(lines=[fee()], withholdings=[rt01("150.00")]))
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason, REASON % "withholding: bill 0.00, e-invoice 150.00"
        )
        self.assertFalse(move.l10n_it_autoreg_review_codes)

    def test_two_sets_of_lines_with_the_amount_refused(self):
        # 20% of the 22% line or of the 10% line: which one is not known
        spec = InvoiceSpec(lines=[fee(), fee(vat_rate=D("10"))], withholdings=[rt01("200.00")])
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason, REASON % "withholding: bill 0.00, e-invoice 200.00"
        )

    def test_the_tax_decides_a_fund_the_document_puts_in_the_base(self):
        # TC01 subject to withholding (Ritenuta SI): 20% of 1040 = 208 on the
        # document, but Odoo's TC01 tax comes after the withholding (200)
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            withholdings=[rt01("208.00")],
            pension_funds=[PensionFundSpec(type="TC01", withholding=True)],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason, REASON % "withholding: bill 200.00, e-invoice 208.00"
        )


@tagged("post_install", "-at_install")
class TestPensionFundStated(ReadingsCommon):
    CONTRIBUTION = "Pension fund contribution TC22 (4.00%)"

    def test_stated_amount_is_a_line_of_its_own(self):
        # 4% of 1000 is 40; the document charges 50 and its summary says 1050
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            pension_funds=[stated("50.00", taxable=D("1000.00"))],
        )
        move = self.bill(spec, 1050, 231, 1281)
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, 0.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -231.0)
        self.assertEqual(
            self.line_taxes(move),
            [("Onorario", 1000.0, ["22% G"]), (self.CONTRIBUTION, 50.0, ["22% G"])],
        )
        contribution = move.invoice_line_ids[1]
        self.assertEqual(contribution.account_id, move.invoice_line_ids[0].account_id)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "pension_fund_stated")
        self.assertEqual(
            move.l10n_it_autoreg_review,
            "The pension fund contribution 50.00 is "
            "not 4.00% of its base 1000.00; the VAT summary confirms the stated "
            "amount.",
        )

    def test_subject_to_withholding(self):
        # RT01 20% of the fee and of the contribution (Ritenuta SI): 210
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee(withholding=True)],
            withholdings=[rt01()],
            pension_funds=[stated("50.00", withholding=True)],
        )
        move = self.bill(spec, 1050, 21, 1071)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 210.0)
        self.assertEqual(
            self.line_taxes(move),
            [
                ("Onorario", 1000.0, ["20% RIT PF", "22% G"]),
                (self.CONTRIBUTION, 50.0, ["20% RIT PF", "22% G"]),
            ],
        )
        self.assertEqual(move.l10n_it_autoreg_review_codes, "pension_fund_stated")

    def test_and_withholding_inferred(self):
        # no line flagged: 210 is 20% of the fee + the contribution subject to it
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            withholdings=[rt01("210.00")],
            pension_funds=[stated("50.00", withholding=True)],
        )
        move = self.bill(spec, 1050, 21, 1071)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 210.0)
        self.assertEqual(
            move.l10n_it_autoreg_review_codes, "withholding_inferred pension_fund_stated"
        )

    def test_without_imponibile_cassa_one_line_per_rate(self):
        self.company.l10n_it_autoreg_detail_level = "rate"
        spec = InvoiceSpec(
            lines=[fee(), fee("200.00")], pension_funds=[stated("45.00", omit_taxable=True)]
        )
        move = self.bill(spec, 1245, D("273.90"), D("1518.90"))
        self.assertEqual(
            self.line_taxes(move), [("Invoice FT-2025-0001, VAT 22.00%", 1245.0, ["22% G"])]
        )
        self.assertIn("not 4.00% of its base 1200.00", move.l10n_it_autoreg_review)

    def test_flat_rate_contribution_at_zero_percent(self):
        # regime forfettario: AlCassa 0.00 and 3.00 charged, all N2.2
        spec = InvoiceSpec(
            lines=[fee("54.00", vat_rate=D("0"), nature="N2.2")],
            pension_funds=[
                stated("3.00", rate=D("0"), vat_rate=D("0"), nature="N2.2", taxable=D("3.00"))
            ],
        )
        move = self.bill(spec, 57, 0, 57)
        self.assertEqual([t[1] for t in self.line_taxes(move)], [54.0, 3.0])

    def test_credit_note(self):
        spec = InvoiceSpec(document_type="TD04", lines=[fee()], pension_funds=[stated("50.00")])
        move = self.bill(spec, 1050, 231, 1281, move_type="in_refund")
        self.assertEqual(move.l10n_it_autoreg_review_codes, "pension_fund_stated")

    def test_summary_with_the_rate_s_amount_refused(self):
        # the summary has 4% of 1000 (1040): the stated 50 is not confirmed
        spec = InvoiceSpec(
            lines=[fee()],
            pension_funds=[stated("50.00")],
            summary=[SummarySpec(D("22"), D("1040.00"), D("228.80"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason, REASON % "pension fund: bill 40.00, e-invoice 50.00"
        )

    def test_summary_with_neither_amount_refused(self):
        spec = InvoiceSpec(
            lines=[fee()],
            pension_funds=[stated("50.00")],
            summary=[SummarySpec(D("22"), D("1045.00"), D("229.90"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")
        self.assertEqual(
            move.l10n_it_autoreg_reason,
            REASON % ("taxable amount at VAT 22.00%: lines 1040.00, summary 1045.00"),
        )

    def test_review_notes_and_line_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["l10n_it_autoreg"], ["it_IT"])
        self.company.partner_id.lang = "it_IT"
        spec = InvoiceSpec(
            document_type="TD06",
            lines=[fee()],
            withholdings=[rt01("210.00")],
            pension_funds=[stated("50.00", withholding=True)],
        )
        move = self.bill(spec, 1050, 21, 1071)
        self.assertEqual(
            move.l10n_it_autoreg_review.split("\n"),
            [
                "Nessuna riga ha Ritenuta SI: la ritenuta di 210.00 è il 20.00% dell'imponibile di "
                "tutte le righe e del contributo cassa previdenziale TC22, ed è applicata a quelle "
                "righe.",
                "Il contributo cassa previdenziale di 50.00 non è il 4.00% della sua base 1000.00; "
                "il riepilogo IVA conferma l'importo indicato.",
            ],
        )
        self.assertEqual(
            move.invoice_line_ids[1].name, "Contributo cassa previdenziale TC22 (4.00%)"
        )

    def test_amount_its_rate_gives_keeps_the_pension_fund_tax(self):
        spec = InvoiceSpec(document_type="TD06", lines=[fee()], pension_funds=[stated("40.00")])
        move = self.bill(spec, 1000, D("268.80"), D("1268.80"))
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, -40.0)
        self.assertFalse(move.l10n_it_autoreg_review_codes)
