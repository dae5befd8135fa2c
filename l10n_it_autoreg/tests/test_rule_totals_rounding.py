"""Totals and rounding: the bill is posted only with the document's totals.

ImportoTotaleDocumento, the VAT summary (DatiRiepilogo) and the lines agree
within the tolerance, else totals_mismatch; a rounding within it becomes a
rounding line; the Arrotondamento of the summary or of the document, line
and document discounts and surcharges, prices with eight decimals, the
stamp duty (charged with a line or not), a missing total, foreign
currencies (inactive, without a rate: refused, never converted at 1.0)."""

from .common import (
    AutoregCommon,
    D,
    DiscountSpec,
    InvoiceSpec,
    LineSpec,
    SummarySpec,
    WithholdingSpec,
    date,
)
from .rule_cases import AdversarialCommon, AttackCommon


class TestTotals(AutoregCommon):
    def test_rounding_within_tolerance(self):
        move = self.receive_and_register(InvoiceSpec(total=D("122.03")))
        self.assertRegistered(move, D("100.03"), 22, D("122.03"))
        rounding = move.invoice_line_ids.filtered(lambda line: not line.tax_ids)
        self.assertTrue(rounding.account_id.code.startswith("4910"))

    def test_totals_mismatch(self):
        move = self.receive_and_register(InvoiceSpec(total=D("127.00")))
        self.assertRefused(move, "totals_mismatch", "127.00", "122.00")

    def test_summary_mismatch(self):
        spec = InvoiceSpec(
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("110"), tax=D("24.20"))]
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "110.00", "100.00")

    def test_summary_rounding_applied_to_the_total(self):
        """Arrotondamento of a DatiRiepilogo whose ImponibileImporto equals
        the lines, applied to ImportoTotaleDocumento: a rounding line."""
        spec = InvoiceSpec(
            summary=[SummarySpec(D("22"), D("100.00"), D("22.00"), rounding=D("-0.02"))],
            total=D("121.98"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, D("99.98"), D("22.00"), D("121.98"))
        rounding = move.invoice_line_ids.filtered(lambda line: not line.tax_ids)
        self.assertEqual(rounding.price_subtotal, -0.02)
        self.assertTrue(rounding.account_id.code.startswith("4910"))

    def test_document_rounding(self):
        move = self.receive_and_register(
            InvoiceSpec(lines=[LineSpec(price_unit=D("99.99"))], rounding=D("0.01"))
        )
        self.assertRegistered(move, D("100.00"), D("22.00"), D("122.00"))

    def test_stamp_duty_line(self):
        spec = InvoiceSpec(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec("Prestazione esente", price_unit=D("200"), vat_rate=D("0"), nature="N1"),
                LineSpec("Imposta di bollo", price_unit=D("2"), vat_rate=D("0"), nature="N1"),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 202, 0, 202)
        stamp = move.invoice_line_ids.filtered(lambda line: "bollo" in line.name)
        self.assertTrue(stamp.account_id.code.startswith("4901"))

    def test_line_discount(self):
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec(
                        price_unit=D("200"),
                        quantity=D("2"),
                        discounts=[DiscountSpec(percent=D("10"))],
                    )
                ]
            )
        )
        self.assertRegistered(move, 360, D("79.20"), D("439.20"))
        self.assertEqual(move.invoice_line_ids.discount, 10.0)

    def test_document_discount(self):
        move = self.receive_and_register(InvoiceSpec(discounts=[DiscountSpec(amount=D("2"))]))
        self.assertRegistered(move, 98, 22, 120)

    def test_foreign_currency(self):
        usd = self.env.ref("base.CHF")
        usd.active = False
        move = self.receive_and_register(InvoiceSpec(currency="CHF"))
        self.assertRefused(move, "currency_inactive", "CHF")
        usd.active = True
        # without a rate Odoo would convert at 1.0: not posted
        self.register(move)
        self.assertRefused(move, "currency_rate_missing", "CHF")
        self.env["res.currency.rate"].create(
            {
                "name": "2025-01-01",
                "rate": 0.95,
                "currency_id": usd.id,
                "company_id": self.company.id,
            }
        )
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.currency_id, usd)


class TestRoundingAndDiscounts(AdversarialCommon):
    def test_summary_rounding_included_in_taxable(self):
        # the schema's meaning: ImponibileImporto = lines + Arrotondamento
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("99.99"))],
            summary=[
                SummarySpec(
                    vat_rate=D("22"), taxable=D("100.00"), tax=D("22.00"), rounding=D("0.01")
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 22.0})
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 122.0)])

    def test_summary_rounding_not_in_taxable_small(self):
        # ImponibileImporto = lines, the rounding only in the total: within
        # the tolerance the total of the document is kept
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("99.99"))],
            summary=[
                SummarySpec(
                    vat_rate=D("22"), taxable=D("99.99"), tax=D("22.00"), rounding=D("0.01")
                )
            ],
            total=D("122.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 22.0})

    def test_summary_rounding_not_in_taxable_applied_to_the_total(self):
        # the document states it: 99.00 + 21.78 VAT + Arrotondamento 0.22 =
        # 121.00; the bill has each of these figures (rounding without VAT)
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("99.00"))],
            summary=[
                SummarySpec(
                    vat_rate=D("22"), taxable=D("99.00"), tax=D("21.78"), rounding=D("0.22")
                )
            ],
            total=D("121.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, D("99.22"), D("21.78"), D("121.00"))
        self.assertEqual(self.base_by_rate(move), {22.0: 99.0})

    def test_summary_rounding_does_not_explain_another_gap(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("99.00"))],
            summary=[
                SummarySpec(
                    vat_rate=D("22"), taxable=D("99.00"), tax=D("21.78"), rounding=D("0.22")
                )
            ],
            total=D("121.50"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "121.50")

    def test_document_rounding_already_in_summary(self):
        # Arrotondamento stated, but the total equals the summary: nothing
        # is added
        spec = InvoiceSpec(rounding=D("0.01"), total=D("122.00"))
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(len(move.invoice_line_ids), 1)

    def test_summary_ancillary_expenses_without_line(self):
        # SpeseAccessorie are part of ImponibileImporto (schema): 100 of
        # lines + 10 of expenses at 22%
        spec = InvoiceSpec(
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("110"), tax=D("24.20"), expenses=D("10"))
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 110, D("24.20"), D("134.20"))
        self.assertEqual(self.base_by_rate(move), {22.0: 110.0})
        self.assertIn("SpeseAccessorie", move.invoice_line_ids[-1:].name)

    def test_summary_ancillary_expenses_also_a_line(self):
        # the expenses written as a line too: counted once
        spec = InvoiceSpec(
            lines=[LineSpec(), LineSpec("Spese trasporto", price_unit=D("10"))],
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("110"), tax=D("24.20"), expenses=D("10"))
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 110, D("24.20"), D("134.20"))
        self.assertEqual(len(move.invoice_line_ids), 2)

    def test_document_discount_reflected_in_summary(self):
        # the discount is a line and the summary is net of it: no extra line
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("Sconto 2%", price_unit=D("-2"))],
            discounts=[DiscountSpec(percent=D("2"))],
            total=D("119.56"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 98, D("21.56"), D("119.56"))
        self.assertEqual(len(move.invoice_line_ids), 2)

    def test_document_discount_in_summary_total_not_reduced(self):
        # the discount is informative: the summary and total already net
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("98"))],
            discounts=[DiscountSpec(amount=D("2"))],
            total=D("119.56"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 98, D("21.56"), D("119.56"))

    def test_document_discount_unexplained(self):
        # total lower than summary by an amount that is not the discount
        spec = InvoiceSpec(discounts=[DiscountSpec(amount=D("2"))], total=D("117.00"))
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "117.00")

    def test_line_discounts_in_chain(self):
        spec = InvoiceSpec(
            lines=[
                LineSpec(
                    price_unit=D("100"),
                    quantity=D("3"),
                    discounts=[DiscountSpec(percent=D("10")), DiscountSpec(percent=D("5"))],
                )
            ]
        )
        # 100 -10% = 90, -5% = 85.50, x3 = 256.50
        move = self.receive_and_register(spec)
        self.assertRegistered(move, D("256.50"), D("56.43"), D("312.93"))

    def test_line_surcharge(self):
        spec = InvoiceSpec(
            lines=[
                LineSpec(price_unit=D("100"), discounts=[DiscountSpec(type="MG", percent=D("10"))])
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 110, D("24.20"), D("134.20"))

    def test_price_total_not_qty_times_price(self):
        # 3 x 33.333333 written as 100.00, and a line whose PrezzoTotale
        # carries an unstated discount: the document's line total counts
        spec = InvoiceSpec(
            lines=[
                LineSpec(price_unit=D("33.333333"), quantity=D("3"), price_total=D("100.00")),
                LineSpec("Merce", price_unit=D("50"), quantity=D("2"), price_total=D("90.00")),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 190, D("41.80"), D("231.80"))
        self.assertEqual(sorted(move.invoice_line_ids.mapped("price_subtotal")), [90.0, 100.0])

    def test_line_total_with_eight_decimals(self):
        spec = InvoiceSpec(
            lines=[
                LineSpec(price_unit=D("0.12345678"), quantity=D("1000"), price_total=D("123.46"))
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, D("123.46"), D("27.16"), D("150.62"))


class TestTotalsAndCurrency(AdversarialCommon):
    def test_total_absent(self):
        move = self.receive_and_register(
            InvoiceSpec(
                omit_total=True,
                lines=[LineSpec(), LineSpec("B", price_unit=D("10"), vat_rate=D("10"))],
            )
        )
        self.assertRegistered(move, 110, 23, 133)

    def test_total_absent_with_withholding(self):
        spec = InvoiceSpec(
            omit_total=True,
            lines=[LineSpec(price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec()],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 20, 1020)

    def test_foreign_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2025-01-01",
                "rate": 1.25,
                "currency_id": usd.id,
                "company_id": self.company.id,
            }
        )
        move = self.receive_and_register(
            InvoiceSpec(currency="USD", lines=[LineSpec(price_unit=D("250"))])
        )
        self.assertRegistered(move, 250, 55, 305)
        self.assertEqual(move.currency_id, usd)
        # in EUR at 1.25 USD: 305 / 1.25 = 244
        self.assertAlmostEqual(abs(move.amount_total_signed), 244.0, places=2)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 305.0)])

    def test_foreign_currency_without_rate(self):
        self.env.ref("base.USD").active = True
        self.env["res.currency.rate"].search(
            [("currency_id", "=", self.env.ref("base.USD").id)]
        ).unlink()
        move = self.receive_and_register(InvoiceSpec(currency="USD"))
        self.assertRefused(move, "currency_rate_missing", "USD", "2025-01-15")

    def test_foreign_currency_inactive(self):
        self.env.ref("base.GBP").active = False
        move = self.receive_and_register(InvoiceSpec(currency="GBP"))
        self.assertRefused(move, "currency_inactive", "GBP")

    def test_negative_total_invoice_without_total(self):
        move = self.receive_and_register(
            InvoiceSpec(omit_total=True, lines=[LineSpec("Storno", price_unit=D("-80"))])
        )
        self.assertRegistered(move, 80, D("17.60"), D("97.60"), move_type="in_refund")

    def test_zero_total_invoice(self):
        spec = InvoiceSpec(lines=[LineSpec("Omaggio", price_unit=D("0"))], payments=[])
        move = self.receive_and_register(spec)
        self.assertNotEqual(move.l10n_it_autoreg_state, "pending")
        if move.l10n_it_autoreg_state == "registered":
            self.assertEqual(move.amount_total, 0.0)

    def test_flat_rate_stamp_without_line(self):
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        spec = InvoiceSpec(
            stamp_duty=D("2.00"),
            lines=[LineSpec("Prestazione", price_unit=D("100"), vat_rate=D("0"), nature="N2.2")],
            total=D("102.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 102, 0, 102)
        self.assertEqual(self.payable_schedule(move)[0][1], 102.0)

    def test_stamp_line_counted_twice_in_total(self):
        spec = InvoiceSpec(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec("Prestazione esente", price_unit=D("200"), vat_rate=D("0"), nature="N1"),
                LineSpec("Imposta di bollo", price_unit=D("2"), vat_rate=D("0"), nature="N1"),
            ],
            total=D("204.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "204.00")

    def test_stamp_not_charged(self):
        spec = InvoiceSpec(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec("Prestazione esente", price_unit=D("200"), vat_rate=D("0"), nature="N1")
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 200, 0, 200)
        self.assertEqual(len(move.invoice_line_ids), 1)


class TestRoundingAttacks(AttackCommon):
    # ------------------------------------------------------- summary Arrotondamento
    def test_c01_rounding_two_rates(self):
        spec = InvoiceSpec(
            number="C-1",
            lines=[
                LineSpec(price_unit=D("99.00")),
                LineSpec("B", price_unit=D("45.45"), vat_rate=D("10")),
            ],
            summary=[
                SummarySpec(D("22"), D("99.00"), D("21.78"), rounding=D("0.22")),
                SummarySpec(D("10"), D("45.45"), D("4.55"), rounding=D("-0.01")),
            ],
            total=D("170.99"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, D("144.66"), D("26.33"), D("170.99"))

    def test_c02_rounding_negative_credit_note(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="C-2",
            lines=[LineSpec(price_unit=D("-99.00"))],
            summary=[SummarySpec(D("22"), D("-99.00"), D("-21.78"), rounding=D("-0.22"))],
            total=D("-121.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, D("99.22"), D("21.78"), D("121.00"), move_type="in_refund")

    def test_c03_rounding_with_bollo(self):
        spec = InvoiceSpec(
            number="C-3",
            lines=[LineSpec(price_unit=D("99.00"))],
            stamp_duty=D("2.00"),
            summary=[SummarySpec(D("22"), D("99.00"), D("21.78"), rounding=D("0.22"))],
            total=D("123.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, D("101.22"), D("21.78"), D("123.00"))

    def test_c04_rounding_with_document_discount(self):
        spec = InvoiceSpec(
            number="C-4",
            lines=[LineSpec(price_unit=D("99.00"))],
            discounts=[DiscountSpec("SC", amount=D("1.00"))],
            summary=[SummarySpec(D("22"), D("99.00"), D("21.78"), rounding=D("0.22"))],
            total=D("120.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, D("98.22"), D("21.78"), D("120.00"))

    def test_c05_rounding_and_withholding(self):
        """Arrotondamento on the total, withholding 20%: 1220 -> 1220.00?
        summary 999.99 + 220.00 (rounded) with rounding 0.01 = 1220.00."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="C-5",
            lines=[LineSpec("Parcella", price_unit=D("999.99"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            summary=[SummarySpec(D("22"), D("999.99"), D("220.00"), rounding=D("0.01"))],
            total=D("1220.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, D("1000.00"), D("20.00"), D("1020.00"))

    def test_c06_large_rounding(self):
        """A summary 'Arrotondamento' of 21.00 applied to the total: not a
        rounding (the supplier's rounding of 100 + 22 -> 143?)."""
        spec = InvoiceSpec(
            number="C-6",
            lines=[LineSpec(price_unit=D("100.00"))],
            summary=[SummarySpec(D("22"), D("100.00"), D("22.00"), rounding=D("21.00"))],
            total=D("143.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.assertEqual(move.state, "draft")

    def test_c07_rounding_exempt_and_taxed(self):
        spec = InvoiceSpec(
            number="C-7",
            lines=[
                LineSpec(price_unit=D("99.00")),
                LineSpec("Esente", price_unit=D("10.00"), vat_rate=D("0"), nature="N4"),
            ],
            summary=[
                SummarySpec(D("22"), D("99.00"), D("21.78")),
                SummarySpec(D("0"), D("10.00"), D("0.00"), nature="N4", rounding=D("0.22")),
            ],
            total=D("131.00"),
            payments=[],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, D("109.22"), D("21.78"), D("131.00"))
