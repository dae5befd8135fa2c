"""Withholdings and pension funds (DatiRitenuta, DatiCassaPrevidenziale):
the bill withholds and contributes what the document says, and its amount
due is the document's.

Withholding taxes on the flagged lines (Ritenuta SI) and on a pension fund
subject to withholding, several withholdings (RT01..RT06), a total written
net of the withholding, ENASARCO stated only in the lines'
AltriDatiGestionali (the RT04 withholding, never guessed for unflagged
lines), a withholding or a pension fund without a tax (the company option
off: withholding_not_configured; on: test_rule_taxes_from_document.py).

Issue 12, two readings of a professional's fee note (registration.lines):

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
changed.  Exact figures: untaxed, VAT, total, withholding, payable lines."""

from odoo.tests import tagged

from .common import (
    AutoregCommon,
    D,
    DiscountSpec,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    PensionFundSpec,
    SummarySpec,
    WithholdingSpec,
    build_file,
)
from .rule_cases import RT02, AdversarialCommon, AttackCommon, agent_line

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


class TestWithholdingAttacks(AttackCommon):
    # ---------------------------------------------------------------- ENASARCO
    def test_a01_enasarco_not_all_flagged_no_payment_data(self):
        """Odoo-like agent invoice, ENASARCO on both lines but only the
        first flagged Ritenuta, no DatiPagamento: 915 - 86.25 - 63.75 = 765."""
        spec = InvoiceSpec(
            lines=[agent_line("500.00"), agent_line("250.00", flagged=False)],
            withholdings=[
                WithholdingSpec(type="RT02", rate=D("23"), reason="ZO", amount=D("57.50"))
            ],
            payments=[],
        )
        move = self.receive_and_register(spec)
        # 915 - 57.50 - 63.75 = 793.75
        self.exact_or_refused(move, 750, D("43.75"), D("793.75"))

    def test_a02b_enasarco_massimale_uneven(self):
        """Cap reached within the invoice: 42.50 on line 1, 10.00 on line 2."""
        spec = InvoiceSpec(
            lines=[agent_line("500.00"), agent_line("250.00", number=D("10.00"))],
            withholdings=[RT02],
            payments=[],
        )
        move = self.receive_and_register(spec)
        # 915 - 86.25 - 52.50 = 776.25
        self.exact_or_refused(move, 750, D("26.25"), D("776.25"))

    def test_a02_enasarco_massimale_reached_on_second_line(self):
        """ENASARCO cap reached: 42.50 on line 1, 0.00 on line 2; RT02 on
        both; no DatiPagamento.  Due 915 - 86.25 - 42.50 = 786.25."""
        spec = InvoiceSpec(
            lines=[agent_line("500.00"), agent_line("250.00", number=D("0.00"))],
            withholdings=[RT02],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 750, D("36.25"), D("786.25"))

    def test_a03_enasarco_tipodato_variant_no_payment(self):
        """TipoDato ENASARCO (not CASSA-PREV): the same meaning."""
        spec = InvoiceSpec(
            lines=[
                agent_line("500.00", kind="ENASARCO", text="Contributo 8,50%"),
                agent_line("250.00", kind="ENASARCO", text="Contributo 8,50%"),
            ],
            withholdings=[RT02],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 750, D("15.00"), D("765.00"))

    def test_a04_enasarco_text_variant_with_payment(self):
        spec = InvoiceSpec(
            lines=[
                agent_line("500.00", text="Contributo Enasarco 8,5% c/agente"),
                agent_line("250.00", text="Contributo Enasarco 8,5% c/agente"),
            ],
            withholdings=[RT02],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("15.00"), D("765.00"))

    def test_a05_enasarco_negative_adjustment_line_no_payment(self):
        """Odoo's own export of an agent invoice with a negative line
        (storno provvigioni): RiferimentoNumero -17.00 on it.  No DatiRitenuta
        (agent company), no DatiPagamento.  ENASARCO 8.5% of 800 = 68.
        976 - 68 = 908."""
        spec = InvoiceSpec(
            lines=[
                agent_line("1000.00", flagged=False),
                agent_line("-200.00", flagged=False, number=D("-17.00")),
            ],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 800, D("108.00"), D("908.00"))

    def test_a06_enasarco_negative_adjustment_line_with_payment(self):
        spec = InvoiceSpec(
            lines=[
                agent_line("1000.00", flagged=False),
                agent_line("-200.00", flagged=False, number=D("-17.00")),
            ],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("908.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 800, D("108.00"), D("908.00"))

    def test_a07_enasarco_credit_note_positive(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="NC-ENA-1",
            lines=[agent_line("500.00"), agent_line("250.00")],
            withholdings=[RT02],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("15.00"), D("765.00"), move_type="in_refund")

    def test_a08_enasarco_credit_note_negative(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="NC-ENA-2",
            lines=[
                agent_line("-500.00", number=D("-42.50")),
                agent_line("-250.00", number=D("-21.25")),
            ],
            withholdings=[
                WithholdingSpec(type="RT02", rate=D("23"), reason="ZO", amount=D("-86.25"))
            ],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 750, D("15.00"), D("765.00"), move_type="in_refund")

    def test_a09_enasarco_only_some_lines_no_datiritenuta(self):
        spec = InvoiceSpec(
            lines=[
                agent_line("500.00", flagged=False),
                LineSpec("Rimborso spese", price_unit=D("250.00")),
            ],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("872.50"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("122.50"), D("872.50"))

    def test_a10_enasarco_with_rt04_also_in_datiritenuta(self):
        """No double count: RT04 85 in DatiRitenuta + the same in the lines."""
        spec = InvoiceSpec(
            lines=[agent_line("500.00"), agent_line("250.00")],
            withholdings=[
                RT02,
                WithholdingSpec(type="RT04", rate=D("8.5"), reason="ZO", amount=D("63.75")),
            ],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("15.00"), D("765.00"))

    def test_a11_enasarco_8_decimals(self):
        spec = InvoiceSpec(
            lines=[
                agent_line("500.00", number=D("42.50000000")),
                agent_line("250.00", number=D("21.25000000")),
            ],
            withholdings=[RT02],
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("15.00"), D("765.00"))

    def test_a12_enasarco_full_17_percent_stated(self):
        """The line states the whole contribution (agent + principal):
        only the agent's 8.5% is withheld; 17% must not be."""
        spec = InvoiceSpec(
            lines=[
                agent_line("500.00", number=D("85.00")),
                agent_line("250.00", number=D("42.50")),
            ],
            withholdings=[RT02],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 750, D("15.00"), D("765.00"))

    def test_a13_enasarco_net_total_and_payment(self):
        """ImportoTotaleDocumento written net of RT02 and ENASARCO (765)."""
        spec = InvoiceSpec(
            lines=[agent_line("500.00"), agent_line("250.00")],
            withholdings=[RT02],
            total=D("765.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 750, D("15.00"), D("765.00"))

    def test_a14_enasarco_multi_body(self):
        xml = build_file(
            InvoiceSpec(
                number="A-1",
                lines=[agent_line("500.00"), agent_line("250.00")],
                withholdings=[RT02],
                payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("765.00"))])],
            ),
            InvoiceSpec(
                number="A-2",
                lines=[LineSpec(price_unit=D("750.00"), withholding=True)],
                withholdings=[RT02],
                payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("828.75"))])],
            ),
        )
        moves = self.receive_bytes(xml)
        self.register(moves)
        self.assertEqual(len(moves), 2)
        first = moves.filtered(lambda m: m.ref == "A-1") or moves.filtered(
            lambda m: "A-1" in (m.l10n_it_autoreg_reason or "")
        )
        second = moves - first
        self.must_register(first, 750, D("15.00"), D("765.00"))
        self.must_register(second, 750, D("78.75"), D("828.75"))

    # ----------------------------------------------------- net-of-withholding total
    def test_b01_net_total_coincides_with_document_discount(self):
        """ImportoTotaleDocumento is net of the document discount (1020 =
        1220 - 200, per the spec's definition), and the withholding is 200
        too.  Due 1020 - 200 = 820 (or pending: ambiguous)."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-1",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            discounts=[DiscountSpec("SC", amount=D("200.00"))],
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 800, D("20.00"), D("820.00"))

    def test_b02_net_total_split_payment_and_withholding(self):
        self.make_split_payment_tax()
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-2",
            vat_due="S",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("1020.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("800.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 1000, D("-200.00"), D("800.00"))

    def test_b03_net_total_rt01_and_rt04(self):
        spec = InvoiceSpec(
            number="B-3",
            lines=[LineSpec("Provvigioni", price_unit=D("1000"), withholding=True)],
            withholdings=[
                WithholdingSpec(type="RT01", rate=D("20"), reason="A"),
                WithholdingSpec(type="RT04", rate=D("8.5"), reason="ZO"),
            ],
            total=D("935.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("935.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 1000, D("-65.00"), D("935.00"))

    def test_b04_net_total_credit_note_positive(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="B-4",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("1020.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("1020.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 1000, D("20.00"), D("1020.00"), move_type="in_refund")

    def test_b05_net_total_credit_note_negative(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="B-5",
            lines=[LineSpec("Parcella", price_unit=D("-1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("-1020.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 1000, D("20.00"), D("1020.00"), move_type="in_refund")

    def test_b10_credit_note_positive_lines_negative_net_total(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="B-10",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("-1020.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 1000, D("20.00"), D("1020.00"), move_type="in_refund")

    def test_b11_credit_note_negative_positive_withholding(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="B-11",
            lines=[LineSpec("Parcella", price_unit=D("-1000"), withholding=True)],
            withholdings=[
                WithholdingSpec(type="RT01", rate=D("20"), reason="A", amount=D("200.00"))
            ],
            total=D("-1020.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 1000, D("20.00"), D("1020.00"), move_type="in_refund")

    def test_b06_net_total_pension_fund_not_withheld(self):
        """INPS 4% rivalsa (TC22) not subject to withholding, RT01 on the
        fee: 1000 + 40 = 1040, VAT 228.80, withholding 200; total written
        1068.80 (net)."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-6",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            pension_funds=[PensionFundSpec(type="TC22", rate=D("4"))],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("1068.80"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("1068.80"))])],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 1000, D("68.80"), D("1068.80"))

    def test_b07_net_total_foreign_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2025-01-01",
                "rate": 1.08,
                "currency_id": usd.id,
                "company_id": self.company.id,
            }
        )
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-7",
            currency="USD",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("1020.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("1020.00"))])],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 1000, D("20.00"), D("1020.00"))

    def test_b08_net_total_with_bollo(self):
        """1220 + bollo 2 - 200 = 1022 (the bollo charged, total net)."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-8",
            stamp_duty=D("2.00"),
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            total=D("1022.00"),
            payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("1022.00"))])],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 1002, D("20.00"), D("1022.00"))

    def test_b09_net_total_coincides_with_document_rounding(self):
        """Document Arrotondamento -0.40 (2.44 -> 2.04 ... written) and a
        withholding of 0.40 on a 2.00 fee: the total 2.04 is the summary plus
        rounding, due 2.04 - 0.40 = 1.64 (or pending)."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="B-9",
            lines=[LineSpec("Marca", price_unit=D("2.00"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            rounding=D("-0.40"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, D("1.60"), D("0.04"), D("1.64"))


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
