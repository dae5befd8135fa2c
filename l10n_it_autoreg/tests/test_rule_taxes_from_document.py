"""Withholding and pension fund taxes from the document (issue 12).

A DatiRitenuta or a DatiCassaPrevidenziale no purchase tax matches: with the
company option *Create missing withholding and pension fund taxes* (default
on) the tax is created as l10n_it_edi_withholding models it, copied from
the chart's own tax of the same kind; the bill is still verified against
the document, marked to review (tax_created), and the run says which taxes
it created.  A document refused after its tax was created leaves no tax;
the next documents of a batch use it.

The taxes of every Natura (issue 12 too) are tested with the VAT taxes
(test_rule_vat_taxes.py::TestEveryNatura)."""

from .common import (
    D,
    InvoiceSpec,
    LineSpec,
    PensionFundSpec,
    WithholdingSpec,
    date,
)
from .rule_cases import PARCELLA, TaxesCase


class TestWithholdingTaxesFromDocument(TaxesCase):
    def test_withholding_of_another_reason_is_created(self):
        template = self.tax("20awi")  # 20% RT01 reason A
        self.assertFalse(self.purchase_taxes(l10n_it_withholding_reason="B"))
        move = self.receive(
            self.parcella(withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="B")])
        )
        run = self.register(move)
        # 1000 + 220 VAT = 1220, withholding 20% of 1000 = 200: 1020 due
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -220.0)
        self.assertEqual(self.payable_schedule(move)[0][1], 1020.0)
        tax = self.purchase_taxes(l10n_it_withholding_reason="B")
        self.assertEqual(len(tax), 1)
        self.assertEqual(
            (
                tax.name,
                tax.amount,
                tax.l10n_it_withholding_type,
                tax.l10n_it_withholding_reason,
                tax.l10n_it_pension_fund_type,
            ),
            ("20% RIT RT01 B", -20.0, "RT01", "B", False),
        )
        self.assertEqual(tax.invoice_label, "20% Ritenuta RT01 B")
        self.assertEqual(tax.sequence, template.sequence)
        self.assertCopiedFrom(tax, template)
        self.assertEqual(tax.tax_exigibility, "on_payment")
        self.assertEqual(
            self.repartition(tax),
            [
                ("invoice", "base", 100.0, "", ()),
                ("invoice", "tax", 100.0, self.account("2602"), ("+RITA",)),
                ("refund", "base", 100.0, "", ()),
                ("refund", "tax", 100.0, self.account("2602"), ("-RITA",)),
            ],
        )
        line = move.invoice_line_ids.filtered(lambda aml: aml.name == PARCELLA)
        self.assertIn(tax, line.tax_ids)
        # said on the bill (to review), in its trace and in the run
        self.assertEqual(move.l10n_it_autoreg_review_codes, "tax_created")
        self.assertIn("20% RIT RT01 B", move.l10n_it_autoreg_review)
        self.assertIn("20% RIT RT01 B", self.trace(move))
        self.assertIn(template.name, self.trace(move))
        self.assertEqual(run.created_tax_ids, tax)
        self.assertIn("20% RIT RT01 B", run.note)

    def test_option_off_leaves_the_withholding_not_configured(self):
        self.company.l10n_it_autoreg_create_taxes = False
        move = self.receive(
            self.parcella(withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="B")])
        )
        run = self.register(move)
        self.assertRefused(move, "withholding_not_configured", "RT01 20.00%", "B")
        self.assertFalse(self.purchase_taxes(l10n_it_withholding_reason="B"))
        self.assertFalse(run.created_tax_ids)

    def test_other_rate_of_an_existing_type_and_reason(self):
        move = self.receive_and_register(
            self.parcella(withholdings=[WithholdingSpec(type="RT02", rate=D("30"), reason="A")])
        )
        # 1220 - 300 withheld
        self.assertRegistered(move, 1000, -80, 920)
        tax = self.purchase_taxes(l10n_it_withholding_type="RT02", amount=-30)
        self.assertEqual((tax.name, tax.l10n_it_withholding_reason), ("30% RIT RT02 A", "A"))
        self.assertCopiedFrom(tax, self.tax("20awc"))

    def test_contribution_withholdings_rt03_rt05_rt06(self):
        for number, wtype, rate, reason, withheld in (
            ("INPS-1", "RT03", D("10.00"), "M2", D("100.00")),
            ("ENPAM-1", "RT05", D("2.00"), "A", D("20.00")),
            ("ALTRO-1", "RT06", D("1.50"), "Q", D("15.00")),
        ):
            move = self.receive_and_register(
                self.parcella(
                    number, withholdings=[WithholdingSpec(type=wtype, rate=rate, reason=reason)]
                )
            )
            self.assertRegistered(move, 1000, 220 - withheld, 1220 - withheld)
            self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, float(withheld))
            tax = self.purchase_taxes(l10n_it_withholding_type=wtype)
            self.assertEqual(
                (tax.amount, tax.l10n_it_withholding_reason), (-float(rate), reason), wtype
            )
            self.assertEqual(tax.tax_group_id, self.tax("20awi").tax_group_id)
            self.assertEqual(self.repartition(tax), self.repartition(self.tax("20awi")))
            self.assertEqual(move.l10n_it_autoreg_review_codes, "tax_created")

    def test_agents_23_percent_on_half_the_commissions(self):
        # RT01 23% ZO: the chart has the RT02 one; 23% of half of 1000 = 115
        move = self.receive_and_register(
            self.parcella(
                withholdings=[
                    WithholdingSpec(type="RT01", rate=D("23"), reason="ZO", amount=D("115.00"))
                ]
            )
        )
        self.assertRegistered(move, 1000, 105, 1105)
        tax = self.purchase_taxes(l10n_it_withholding_type="RT01", l10n_it_withholding_reason="ZO")
        self.assertEqual((tax.name, tax.amount), ("23% RIT RT01 ZO (50%)", -11.5))
        self.assertCopiedFrom(tax, self.tax("23awo"))

    def test_enasarco_rt04_at_another_rate_is_a_tc07_tax(self):
        # the 2019 ENASARCO rate: 8.25% of 1000 withheld
        spec = InvoiceSpec(
            number="AG-2019-1",
            date=date(2019, 6, 15),
            lines=[LineSpec("Provvigioni", price_unit=D("1000.00"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT04", rate=D("8.25"), reason="R")],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, D("137.50"), D("1137.50"))
        tax = self.purchase_taxes(l10n_it_pension_fund_type="TC07", amount=-8.25)
        self.assertEqual((tax.name, tax.l10n_it_withholding_type), ("8.25% ENASARCO", False))
        self.assertCopiedFrom(tax, self.tax("enasarcoa"))
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, 82.5)
        self.assertEqual(self.payable_schedule(move)[0][1], 1137.5)

    def test_without_causale_pagamento_nothing_is_guessed(self):
        spec = self.parcella(withholdings=[WithholdingSpec(type="RT01", rate=D("15"))])
        xml = self._xml_without_reason(spec)
        move = self.receive_bytes(xml)
        self.register(move)
        self.assertRefused(move, "withholding_not_configured", "RT01 15.00%")
        self.assertFalse(self.purchase_taxes(l10n_it_withholding_type="RT01", amount=-15))

    @staticmethod
    def _xml_without_reason(spec):
        from .common import build_xml

        return build_xml(spec).replace(b"<CausalePagamento>A</CausalePagamento>", b"")

    def test_created_tax_never_makes_wrong_figures_pass(self):
        # 20% of 1000 is 200, the document withholds 150: not registered,
        # and the tax created for it is gone
        move = self.receive_and_register(
            self.parcella(
                withholdings=[
                    WithholdingSpec(type="RT01", rate=D("20"), reason="B", amount=D("150.00"))
                ]
            )
        )
        self.assertRefused(move, "totals_mismatch", "150.00")
        self.assertFalse(self.purchase_taxes(l10n_it_withholding_reason="B"))

    def test_batch_first_document_creates_the_tax_the_next_ones_use(self):
        withholding = WithholdingSpec(type="RT01", rate=D("20"), reason="B")
        moves = self.receive(self.parcella("B-1", withholdings=[withholding]))
        moves |= self.receive(self.parcella("B-2", D("500.00"), withholdings=[withholding]))
        run = self.register(moves)
        first, second = moves.sorted("id")
        self.assertRegistered(first, 1000, 20, 1020)
        self.assertRegistered(second, 500, 10, 510)
        tax = self.purchase_taxes(l10n_it_withholding_reason="B")
        self.assertEqual(len(tax), 1)
        self.assertIn(tax, first.invoice_line_ids.tax_ids)
        self.assertIn(tax, second.invoice_line_ids.tax_ids)
        self.assertEqual(first.l10n_it_autoreg_review_codes, "tax_created")
        self.assertFalse(second.l10n_it_autoreg_review_codes)
        self.assertEqual(run.created_tax_ids, tax)
        # a later run uses it and creates nothing
        third = self.receive(self.parcella("B-3", withholdings=[withholding]))
        later = self.register(third)
        self.assertRegistered(third, 1000, 20, 1020)
        self.assertFalse(later.created_tax_ids)
        self.assertFalse(third.l10n_it_autoreg_review_codes)

    def test_document_refused_after_creating_the_tax_leaves_none(self):
        """Refused once written (the withholding does not match) and refused
        while planned (a pension fund at another VAT than a line's): each
        created the tax first; the good document after them creates it
        again and is the one to review."""
        withholding = WithholdingSpec(type="RT01", rate=D("20"), reason="B")
        wrong = self.parcella(
            "R-1",
            withholdings=[
                WithholdingSpec(type="RT01", rate=D("20"), reason="B", amount=D("150.00"))
            ],
        )
        mixed = self.parcella(
            "R-2",
            withholdings=[withholding],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"), withholding=True)],
        )
        mixed.lines.append(LineSpec("Spese", price_unit=D("100.00"), vat_rate=D("10")))
        good = self.parcella("R-3", withholdings=[withholding])
        moves = self.receive(wrong) | self.receive(mixed) | self.receive(good)
        run = self.register(moves)
        wrong_move, mixed_move, good_move = moves.sorted("id")
        self.assertRefused(wrong_move, "totals_mismatch", "150.00")
        self.assertRefused(mixed_move, "totals_mismatch", "TC22")
        self.assertRegistered(good_move, 1000, 20, 1020)
        tax = self.purchase_taxes(l10n_it_withholding_reason="B")
        self.assertEqual(len(tax), 1)
        self.assertEqual(good_move.l10n_it_autoreg_review_codes, "tax_created")
        self.assertIn(tax, good_move.invoice_line_ids.tax_ids)
        self.assertEqual(run.created_tax_ids, tax)

    def test_all_refused_leaves_no_tax_and_the_run_says_none(self):
        move = self.receive(
            self.parcella(
                withholdings=[
                    WithholdingSpec(type="RT02", rate=D("12"), reason="A", amount=D("99.00"))
                ]
            )
        )
        run = self.register(move)
        self.assertRefused(move, "totals_mismatch")
        self.assertFalse(self.purchase_taxes(l10n_it_withholding_type="RT02", amount=-12))
        self.assertFalse(run.created_tax_ids)
        self.assertFalse(run.note)


class TestPensionFundTaxesFromDocument(TaxesCase):
    def test_pension_fund_not_subject_to_withholding(self):
        # ENPACL 4% (TC08), withholding 20% on the fee only
        spec = self.parcella(
            pension_funds=[PensionFundSpec(type="TC08", rate=D("4"), withholding=False)],
            withholdings=[WithholdingSpec()],
        )
        move = self.receive_and_register(spec)
        # 1000 + 40 cassa + 228.80 VAT - 200 withheld = 1068.80
        self.assertRegistered(move, 1000, D("68.80"), D("1068.80"))
        self.assertAlmostEqual(move.l10n_it_amount_pension_fund_signed, -40.0)
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 200.0)
        self.assertAlmostEqual(move.l10n_it_amount_vat_signed, -228.80)
        tax = self.purchase_taxes(l10n_it_pension_fund_type="TC08")
        self.assertEqual(
            (tax.name, tax.amount, tax.invoice_label), ("4% TC08", 4.0, "4% Contributo TC08")
        )
        template = self.tax("4acp")  # TC01, after the withholding taxes
        self.assertCopiedFrom(tax, template)
        self.assertEqual(tax.sequence, template.sequence)
        self.assertTrue(tax.include_base_amount)
        cassa = self.account("4402")
        self.assertEqual(
            self.repartition(tax),
            [
                ("invoice", "base", 100.0, "", ()),
                ("invoice", "tax", 100.0, cassa, ()),
                ("refund", "base", 100.0, "", ()),
                ("refund", "tax", 100.0, cassa, ()),
            ],
        )
        self.assertEqual(move.l10n_it_autoreg_review_codes, "tax_created")

    def test_pension_fund_subject_to_withholding(self):
        # ENPAM 2% (TC09) flagged Ritenuta SI: withholding 20% of 1020
        spec = self.parcella(
            pension_funds=[PensionFundSpec(type="TC09", rate=D("2"), withholding=True)],
            withholdings=[WithholdingSpec()],
        )
        move = self.receive_and_register(spec)
        # 1000 + 20 + 224.40 VAT - 204 withheld = 1040.40
        self.assertRegistered(move, 1000, D("40.40"), D("1040.40"))
        self.assertAlmostEqual(move.l10n_it_amount_withholding_signed, 204.0)
        tax = self.purchase_taxes(l10n_it_pension_fund_type="TC09")
        template = self.tax("4ainps")  # TC22, before the withholding taxes
        self.assertCopiedFrom(tax, template)
        self.assertEqual(tax.sequence, template.sequence)

    def test_existing_fund_at_another_rate(self):
        # Inarcassa TC04 at 5%: copied from the TC04 4% tax made with the chart
        move = self.receive_and_register(
            InvoiceSpec(number="ING-1", pension_funds=[PensionFundSpec(type="TC04", rate=D("5"))])
        )
        # 100 + 5 cassa + 23.10 VAT
        self.assertRegistered(move, 100, D("28.10"), D("128.10"))
        tax = self.purchase_taxes(l10n_it_pension_fund_type="TC04", amount=5)
        self.assertEqual(tax.name, "5% TC04")
        self.assertCopiedFrom(tax, self.purchase_taxes(l10n_it_pension_fund_type="TC04", amount=4))

    def test_option_off_leaves_the_pension_fund_not_configured(self):
        self.company.l10n_it_autoreg_create_taxes = False
        move = self.receive_and_register(
            InvoiceSpec(
                number="ENPACL-OFF", pension_funds=[PensionFundSpec(type="TC08", rate=D("4"))]
            )
        )
        self.assertRefused(move, "pension_fund_not_configured", "TC08 4.00%")
        self.assertFalse(self.purchase_taxes(l10n_it_pension_fund_type="TC08"))

    def test_zero_percent_fund_needs_no_tax(self):
        for create in (True, False):
            self.company.l10n_it_autoreg_create_taxes = create
            move = self.receive_and_register(
                InvoiceSpec(
                    number=f"CASSA-0-{create}",
                    pension_funds=[PensionFundSpec(type="TC01", rate=D("0"))],
                )
            )
            self.assertRegistered(move, 100, 22, 122)
            self.assertFalse(move.l10n_it_autoreg_review_codes)
            self.assertIn("TC01", self.trace(move))
            self.assertFalse(move.line_ids.tax_line_id.filtered("l10n_it_pension_fund_type"))
        self.assertFalse(self.purchase_taxes(l10n_it_pension_fund_type="TC01", amount=0))
