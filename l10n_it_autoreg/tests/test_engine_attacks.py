"""Attacks on the readings added in session 2 (a total written net of the
withholding, a summary Arrotondamento applied to the total, ENASARCO in the
lines' AltriDatiGestionali, due dates, 0.00 installments): each document is
registered with exactly its figures, or stays pending; never another bill."""

from .common import (
    D,
    DiscountSpec,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    PensionFundSpec,
    WithholdingSpec,
    build_file,
)
from .rule_cases import RT02, AttackCommon, agent_line


class TestAttack(AttackCommon):
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
