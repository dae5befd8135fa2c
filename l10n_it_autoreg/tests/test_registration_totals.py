"""registration.totals without a database: the VAT summary's entries, what
explains the gap to ImportoTotaleDocumento (SpeseAccessorie, Arrotondamento,
bollo, document discounts, rounding within tolerance), the verification of
the written bill's tax lines and of its amount due."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.registration.document import total_net_of_withholding
from odoo.addons.l10n_it_autoreg.registration.lines import DETAIL_LINES, bill_lines, items_of
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.registration.reviews import reviews_of
from odoo.addons.l10n_it_autoreg.registration.taxes import (
    NORMAL,
    REVERSE_CHARGE,
    SPLIT_PAYMENT,
    TaxInfo,
)
from odoo.addons.l10n_it_autoreg.registration.totals import (
    BillFigures,
    ExtraLine,
    TaxLine,
    VatEntry,
    check_amount_due,
    explain_totals,
    vat_entries,
    verify_taxes,
)
from odoo.addons.l10n_it_autoreg.tests.builder import (
    DiscountSpec,
    LineSpec,
    PensionFundSpec,
    SummarySpec,
    WithholdingSpec,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read

K22, K10 = (D("22.00"), None), (D("10.00"), None)
VAT22 = TaxInfo(1, "22% G", D("22.00"))
VAT10 = TaxInfo(2, "10% G", D("10.00"))
SPLIT22 = TaxInfo(8, "22% SP", D("22.00"), negative=True)
RC22 = TaxInfo(6, "22% RC", D("22.00"), negative=True, nature="N6.3")
RA20 = TaxInfo(10, "RA 20%", D("-20.00"), withholding_type="RT01", withholding_reason="A")
INPS4 = TaxInfo(13, "INPS 4%", D("4.00"), pension_type="TC22")
TOTAL_MISMATCH = "document total"
ROUNDING_OF_RATE = "Rounding (VAT"
ROUNDING_NOTE = "(document summary)"
ROUNDING_ADDED = "within the tolerance"


def entries_of(invoice, *taxes):
    """vat_entries with the chosen taxes, in the order of the keys."""
    entries = vat_entries(invoice)
    for entry, (tax, kind) in zip(entries.values(), taxes, strict=True):
        entry.tax_info, entry.kind = tax, kind
    return entries


def built_of(invoice):
    items = items_of(invoice)
    for item in items:
        item.account_id = 100
    return bill_lines(invoice, items, DETAIL_LINES, 1, 2)[1]


def explain(invoice, tolerance="0.00", has_stamp_line=False):
    return explain_totals(
        invoice, vat_entries(invoice), built_of(invoice), D(tolerance), has_stamp_line
    )


class TestVatEntries(RegistrationCase):
    def test_rows_of_one_key_add_up(self):
        invoice = read(
            summary=[
                SummarySpec(D("22"), D("60.00"), D("13.20"), expenses=D("1.00"), law_reference="a"),
                SummarySpec(D("22"), D("40.00"), D("8.80"), rounding=D("0.01")),
            ]
        )
        self.assertEqual(
            vat_entries(invoice),
            {
                K22: VatEntry(
                    taxable=D("100.00"),
                    tax=D("22.00"),
                    rounding=D("0.01"),
                    expenses=D("1.00"),
                    due="I",
                )
            },
        )

    def test_line_keys_missing_from_the_summary_are_at_zero(self):
        invoice = read(
            lines=[LineSpec(), LineSpec(vat_rate=D("10"))],
            summary=[SummarySpec(D("22"), D("110.00"), D("24.20"))],
        )
        entries = vat_entries(invoice)
        self.assertEqual(list(entries), [K22, K10])
        self.assertEqual(entries[K10], VatEntry())

    def test_split_payment_in_one_row_only_refused(self):
        invoice = read(
            summary=[
                SummarySpec(D("22"), D("50.00"), D("11.00"), vat_due="S"),
                SummarySpec(D("22"), D("50.00"), D("11.00"), vat_due="I"),
            ]
        )
        with self.assertRaises(Refusal) as caught:
            vat_entries(invoice)
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            ("totals_mismatch", {"detail": T("split payment", rate="22.00")}),
        )

    def test_split_payment_due_read_upper_case(self):
        invoice = read(vat_due="s")
        self.assertEqual(vat_entries(invoice)[K22].due, "S")


class TestExplainTotals(RegistrationCase):
    def test_consistent_document_needs_no_extra_line(self):
        self.assertEqual(explain(read()), ([], []))

    def test_taxable_rounding_within_tolerance_is_a_rounding_line_of_its_rate(self):
        invoice = read(summary=[SummarySpec(D("22"), D("100.01"), D("22.00"))])
        self.assertEqual(invoice.total, D("122.01"))
        extra, notes = explain(invoice, "0.01")
        self.assertEqual(
            (extra, notes),
            (
                [ExtraLine(T(ROUNDING_OF_RATE, "22.00"), D("0.01"), "rounding", K22)],
                [
                    T(
                        ROUNDING_ADDED,
                        amount="0.01",
                        where=T("the VAT rate %(rate)s%%", rate="22.00"),
                    )
                ],
            ),
        )
        self.assertEqual([n.code for n in reviews_of(notes)], ["rounding_added"])

    def test_summary_arrotondamento_of_the_taxable_is_no_review(self):
        invoice = read(summary=[SummarySpec(D("22"), D("100.01"), D("22.00"), rounding=D("0.01"))])
        extra, notes = explain(invoice)
        self.assertEqual([(e.amount, e.account) for e in extra], [(D("0.01"), "rounding")])
        self.assertEqual(notes, [T(ROUNDING_NOTE, amount="0.01", rate="22.00")])
        self.assertEqual(reviews_of(notes), [])

    def test_taxable_gap_beyond_tolerance_refused_with_both_figures(self):
        invoice = read(summary=[SummarySpec(D("22"), D("100.05"), D("22.01"))])
        with self.assertRaises(Refusal) as caught:
            explain(invoice, "0.01")
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            (
                "totals_mismatch",
                {
                    "detail": T(
                        "taxable amount", rate="22.00", nature="", lines="100.00", summary="100.05"
                    )
                },
            ),
        )

    def test_summary_arrotondamento_of_the_taxable_explains_it_beyond_tolerance(self):
        invoice = read(summary=[SummarySpec(D("22"), D("100.40"), D("22.09"), rounding=D("0.40"))])
        extra, _notes = explain(invoice)
        self.assertEqual(
            extra, [ExtraLine(T(ROUNDING_OF_RATE, "22.00"), D("0.40"), "rounding", K22)]
        )

    def test_spese_accessorie_are_a_line_of_their_rate_on_the_first_account(self):
        invoice = read(summary=[SummarySpec(D("22"), D("110.00"), D("24.20"), expenses=D("10.00"))])
        self.assertEqual(
            explain(invoice),
            (
                [
                    ExtraLine(
                        T("SpeseAccessorie", number="FT-2025-0001", rate="22.00", nature=""),
                        D("10.00"),
                        "first",
                        K22,
                    )
                ],
                [],
            ),
        )

    def test_spese_accessorie_with_the_rows_arrotondamento(self):
        invoice = read(
            summary=[
                SummarySpec(
                    D("22"), D("110.01"), D("24.20"), expenses=D("10.00"), rounding=D("0.01")
                )
            ]
        )
        extra, _notes = explain(invoice)
        self.assertEqual(
            [(e.amount, e.account) for e in extra], [(D("10.00"), "first"), (D("0.01"), "rounding")]
        )

    def test_arrotondamento_of_the_summary_on_the_total(self):
        invoice = read(
            summary=[SummarySpec(D("22"), D("100.00"), D("22.00"), rounding=D("0.30"))],
            total=D("122.30"),
        )
        self.assertEqual(
            explain(invoice),
            (
                [ExtraLine(T("Rounding (Arrotondamento)"), D("0.30"), "rounding")],
                [T("Document rounding %s", "0.30")],
            ),
        )

    def test_arrotondamento_of_one_unit_or_more_is_no_rounding(self):
        invoice = read(
            summary=[SummarySpec(D("22"), D("100.00"), D("22.00"), rounding=D("1.30"))],
            total=D("123.30"),
        )
        with self.assertRaises(Refusal) as caught:
            explain(invoice, "0.01")
        self.assertEqual(
            caught.exception.params,
            {"detail": T(TOTAL_MISMATCH, total="123.30", summary="122.00", diff="1.30")},
        )

    def test_document_arrotondamento_on_the_total(self):
        invoice = read(rounding=D("-0.40"))
        self.assertEqual(invoice.total, D("121.60"))
        self.assertEqual(
            explain(invoice),
            (
                [ExtraLine(T("Rounding (Arrotondamento)"), D("-0.40"), "rounding")],
                [T("Document rounding %s", "-0.40")],
            ),
        )

    def test_bollo_without_a_line_is_a_stamp_duty_line(self):
        invoice = read(stamp_duty=D("2.00"), total=D("124.00"))
        self.assertEqual(
            explain(invoice),
            (
                [ExtraLine(T("Stamp duty (bollo)"), D("2.00"), "stamp")],
                [T("Stamp duty %s charged", "2.00")],
            ),
        )

    def test_bollo_charged_by_a_line_is_not_added_again(self):
        stamp = LineSpec("Imposta di bollo", price_unit=D("2.00"), vat_rate=D("0"), nature="N1")
        invoice = read(stamp_duty=D("2.00"), lines=[LineSpec(), stamp])
        self.assertEqual(explain(invoice, has_stamp_line=True), ([], []))
        twice = read(stamp_duty=D("2.00"), lines=[LineSpec(), stamp], total=D("126.00"))
        with self.assertRaises(Refusal):
            explain(twice, has_stamp_line=True)

    def test_document_discount_by_amount_or_percent(self):
        by_amount = read(discounts=[DiscountSpec(amount=D("10.00"))])
        self.assertEqual(
            explain(by_amount),
            (
                [ExtraLine(T("Document discount"), D("-10.00"), "first")],
                [T("Document discount %s", "10.00")],
            ),
        )
        by_percent = read(discounts=[DiscountSpec(percent=D("10"))])
        self.assertEqual(by_percent.total, D("109.80"))
        self.assertEqual(
            explain(by_percent)[0], [ExtraLine(T("Document discount"), D("-12.20"), "first")]
        )

    def test_document_surcharge(self):
        invoice = read(discounts=[DiscountSpec("MG", amount=D("5.00"))])
        self.assertEqual(
            explain(invoice),
            (
                [ExtraLine(T("Document surcharge"), D("5.00"), "first")],
                [T("Document discount %s", "-5.00")],
            ),
        )

    def test_arrotondamento_then_discount_then_rounding_within_tolerance(self):
        invoice = read(
            rounding=D("0.20"), discounts=[DiscountSpec(amount=D("10.00"))], total=D("112.21")
        )
        extra, _notes = explain(invoice, "0.01")
        self.assertEqual(
            [(e.amount, e.account) for e in extra],
            [(D("0.20"), "rounding"), (D("-10.00"), "first"), (D("0.01"), "rounding")],
        )
        self.assertEqual(extra[-1].name.template, "Rounding")

    def test_arrotondamento_then_bollo(self):
        invoice = read(rounding=D("0.20"), stamp_duty=D("2.00"), total=D("124.20"))
        self.assertEqual(
            [(e.amount, e.account) for e in explain(invoice)[0]],
            [(D("0.20"), "rounding"), (D("2.00"), "stamp")],
        )

    def test_total_gap_within_tolerance_is_a_rounding_line(self):
        self.assertEqual(
            explain(read(total=D("122.01")), "0.01"),
            (
                [ExtraLine(T("Rounding"), D("0.01"), "rounding")],
                [T(ROUNDING_ADDED, amount="0.01", where=T("the document total"))],
            ),
        )

    def test_total_mismatch_refused_with_both_figures(self):
        with self.assertRaises(Refusal) as caught:
            explain(read(total=D("130.00")), "0.01")
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            (
                "totals_mismatch",
                {"detail": T(TOTAL_MISMATCH, total="130.00", summary="122.00", diff="8.00")},
            ),
        )

    def test_without_total_only_the_summary_counts(self):
        self.assertEqual(explain(read(omit_total=True, stamp_duty=D("2.00"))), ([], []))


class TestVerifyTaxes(RegistrationCase):
    def verify(
        self,
        invoice,
        entries,
        tax_lines,
        direction=1,
        sign=1,
        tolerance="0.00",
        withholdings=(),
        pensions=(),
    ):
        return verify_taxes(
            invoice,
            entries,
            list(withholdings),
            list(pensions),
            BillFigures(direction, tax_lines),
            D(sign),
            D(tolerance),
        )

    def test_equal_vat_needs_no_adjustment(self):
        invoice = read()
        self.assertEqual(
            self.verify(
                invoice, entries_of(invoice, (VAT22, NORMAL)), [TaxLine(50, 1, D("22.00"), True)]
            ),
            [],
        )

    def test_vat_rounded_line_by_line_takes_the_document_vat(self):
        # three lines of 10.25: 2.255 each, the supplier rounds each (6.78),
        # Odoo the rate's total (30.75 x 22% = 6.765 -> 6.77)
        invoice = read(
            lines=[LineSpec(price_unit=D("10.25"))] * 3,
            summary=[SummarySpec(D("22"), D("30.75"), D("6.78"))],
        )
        entries = entries_of(invoice, (VAT22, NORMAL))
        self.assertEqual(
            self.verify(invoice, entries, [TaxLine(50, 1, D("6.77"), True)]), [(50, D("6.78"))]
        )

    def test_vat_half_cent_per_line_only(self):
        invoice = read(
            lines=[
                LineSpec(price_unit=D("30.75")),
                LineSpec("Nota", price_unit=D("0"), quantity=None),
            ],
            summary=[SummarySpec(D("22"), D("30.75"), D("6.78"))],
        )
        with self.assertRaises(Refusal) as caught:
            self.verify(
                invoice, entries_of(invoice, (VAT22, NORMAL)), [TaxLine(50, 1, D("6.77"), True)]
            )
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            ("totals_mismatch", {"detail": T("VAT %(tax)s", tax="22% G", bill="6.77", doc="6.78")}),
        )

    def test_vat_of_a_credit_note_within_tolerance(self):
        invoice = read(document_type="TD04")
        entries = entries_of(invoice, (VAT22, NORMAL))
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 1, D("-21.99"), True)],
                direction=-1,
                tolerance="0.01",
            ),
            [(50, D("-22.00"))],
        )

    def test_vat_of_a_negated_invoice(self):
        invoice = read(lines=[LineSpec(price_unit=D("-100.00"))])
        entries = entries_of(invoice, (VAT22, NORMAL))
        self.assertEqual(
            self.verify(
                invoice, entries, [TaxLine(50, 1, D("-22.00"), True)], direction=-1, sign=-1
            ),
            [],
        )

    def test_vat_without_tax_line_refused_even_within_tolerance(self):
        invoice = read(summary=[SummarySpec(D("22"), D("100.00"), D("0.01"))])
        with self.assertRaises(Refusal) as caught:
            self.verify(invoice, entries_of(invoice, (VAT22, NORMAL)), [], tolerance="0.01")
        self.assertEqual(
            caught.exception.params["detail"].params,
            {"tax": "22% G", "bill": "0.00", "doc": "0.01"},
        )

    def test_vat_of_several_keys_on_one_tax_adds_up(self):
        invoice = read(lines=[LineSpec(), LineSpec(vat_rate=D("10"))])
        entries = entries_of(invoice, (VAT22, NORMAL), (VAT10, NORMAL))
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 1, D("22.00"), True), TaxLine(51, 2, D("10.00"), True)],
            ),
            [],
        )

    def test_split_payment_adjusts_both_tax_lines(self):
        invoice = read(vat_due="S")
        entries = entries_of(invoice, (SPLIT22, SPLIT_PAYMENT))
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 8, D("21.99"), True), TaxLine(51, 8, D("-21.99"), False)],
                tolerance="0.01",
            ),
            [(50, D("22.00")), (51, D("-22.00"))],
        )

    def test_reverse_charge_must_balance(self):
        invoice = read(lines=[LineSpec(vat_rate=D("0"), nature="N6.3")])
        entries = entries_of(invoice, (RC22, REVERSE_CHARGE))
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 6, D("22.00"), True), TaxLine(51, 6, D("-22.00"), False)],
            ),
            [],
        )
        with self.assertRaises(Refusal) as caught:
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 6, D("22.00"), True), TaxLine(51, 6, D("-21.00"), False)],
            )
        self.assertEqual(caught.exception.params, {"detail": T("does not balance", "22% RC")})

    def withholding_invoice(self):
        invoice = read(lines=[LineSpec(withholding=True)], withholdings=[WithholdingSpec()])
        return invoice, entries_of(invoice, (VAT22, NORMAL)), [(invoice.withholdings[0], RA20)]

    def test_withholding_equal_or_adjusted_within_tolerance(self):
        invoice, entries, withholdings = self.withholding_invoice()
        vat = TaxLine(50, 1, D("22.00"), True)
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [vat, TaxLine(52, 10, D("-20.00"), True)],
                withholdings=withholdings,
            ),
            [],
        )
        self.assertEqual(
            self.verify(
                invoice,
                entries,
                [vat, TaxLine(52, 10, D("-19.99"), True)],
                withholdings=withholdings,
                tolerance="0.01",
            ),
            [(52, D("-20.00"))],
        )

    def test_withholding_mismatch_refused_with_both_figures(self):
        invoice, entries, withholdings = self.withholding_invoice()
        with self.assertRaises(Refusal) as caught:
            self.verify(
                invoice,
                entries,
                [TaxLine(50, 1, D("22.00"), True), TaxLine(52, 10, D("-19.00"), True)],
                withholdings=withholdings,
                tolerance="0.01",
            )
        self.assertEqual(
            caught.exception.params, {"detail": T("withholding", bill="19.00", doc="20.00")}
        )

    def test_pension_fund_contribution_verified(self):
        invoice = read(lines=[LineSpec(price_unit=D("1000.00"))], pension_funds=[PensionFundSpec()])
        entries = entries_of(invoice, (VAT22, NORMAL))
        pensions = [(invoice.pension_funds[0], INPS4)]
        vat = TaxLine(50, 1, D("228.80"), True)
        self.assertEqual(
            self.verify(
                invoice, entries, [vat, TaxLine(53, 13, D("40.00"), True)], pensions=pensions
            ),
            [],
        )
        with self.assertRaises(Refusal) as caught:
            self.verify(
                invoice,
                entries,
                [vat, TaxLine(53, 13, D("39.00"), True)],
                pensions=pensions,
                tolerance="0.01",
            )
        self.assertEqual(
            caught.exception.params, {"detail": T("pension fund", bill="39.00", doc="40.00")}
        )


class TestAmountDue(RegistrationCase):
    AMOUNT_DUE = "amount due"

    def test_amount_due_is_the_document_total(self):
        invoice = read()
        self.assertIsNone(
            check_amount_due(invoice, entries_of(invoice, (VAT22, NORMAL)), [], 1, D("122.00"))
        )

    def test_amount_due_net_of_withholding(self):
        invoice = read(lines=[LineSpec(withholding=True)], withholdings=[WithholdingSpec()])
        entries = entries_of(invoice, (VAT22, NORMAL))
        withholdings = [(invoice.withholdings[0], RA20)]
        self.assertIsNone(check_amount_due(invoice, entries, withholdings, 1, D("102.00")))
        with self.assertRaises(Refusal) as caught:
            check_amount_due(invoice, entries, withholdings, 1, D("122.00"))
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            (
                "totals_mismatch",
                {
                    "detail": T(
                        self.AMOUNT_DUE,
                        bill="122.00",
                        doc="102.00",
                        total="122.00",
                        withholding="20.00",
                        split="",
                    )
                },
            ),
        )

    def test_total_written_net_of_withholding_is_due_once(self):
        invoice = read(
            lines=[LineSpec(withholding=True)], withholdings=[WithholdingSpec()], total=D("102.00")
        )
        invoice, _note = total_net_of_withholding(invoice)
        entries = entries_of(invoice, (VAT22, NORMAL))
        self.assertIsNone(
            check_amount_due(invoice, entries, [(invoice.withholdings[0], RA20)], 1, D("102.00"))
        )

    def test_split_payment_amount_due_is_net_of_vat(self):
        invoice = read(vat_due="S")
        entries = entries_of(invoice, (SPLIT22, SPLIT_PAYMENT))
        self.assertIsNone(check_amount_due(invoice, entries, [], 1, D("100.00")))
        with self.assertRaises(Refusal) as caught:
            check_amount_due(invoice, entries, [], 1, D("122.00"))
        self.assertEqual(
            caught.exception.params,
            {
                "detail": T(
                    self.AMOUNT_DUE,
                    bill="122.00",
                    doc="100.00",
                    total="122.00",
                    withholding="0.00",
                    split=T("split payment", "22.00"),
                )
            },
        )

    def test_amount_due_of_a_negated_invoice_and_without_total(self):
        negative = read(lines=[LineSpec(price_unit=D("-100.00"))])
        self.assertIsNone(
            check_amount_due(negative, entries_of(negative, (VAT22, NORMAL)), [], -1, D("122.00"))
        )
        no_total = read(omit_total=True)
        self.assertIsNone(
            check_amount_due(no_total, entries_of(no_total, (VAT22, NORMAL)), [], 1, D("122.00"))
        )
