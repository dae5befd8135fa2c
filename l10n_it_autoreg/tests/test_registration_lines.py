"""registration.lines without a database: line amounts, stamp duty lines,
quantity x price, the bill's lines at each detail level, the pension fund
contributions joining the VAT base, and the readings of the lines a
withholding (no line flagged Ritenuta SI) or a contribution (stated unlike
its rate) is on."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.registration.lines import (
    DETAIL_LINES,
    DETAIL_PER_RATE,
    DETAIL_SINGLE,
    BillLine,
    add_pension_funds,
    bill_lines,
    is_empty_line,
    is_stamp_line,
    items_of,
    line_amount,
    pension_fund_lines,
    quantity_price,
    readings,
    withholding_lines,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.registration.reviews import Review
from odoo.addons.l10n_it_autoreg.registration.totals import vat_entries
from odoo.addons.l10n_it_autoreg.tests.builder import (
    DiscountSpec,
    LineSpec,
    PensionFundSpec,
    SimplifiedLineSpec,
    SummarySpec,
    WithholdingSpec,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import (
    RegistrationCase,
    T,
    read,
    read_simplified,
)


def items(invoice, *accounts):
    """LineItems with the engine's accounts (None: a note line)."""
    result = items_of(invoice)
    for item, account in zip(result, accounts, strict=True):
        item.account_id = account
    return result


K22, K10 = (D("22.00"), None), (D("10.00"), None)
N1, N4 = (D("0.00"), "N1"), (D("0.00"), "N4")
PER_RATE = "Invoice %(number)s, VAT"


def stamp_line(**kw):
    return LineSpec("Imposta di bollo", price_unit=D("2.00"), vat_rate=D("0"), nature="N1", **kw)


class TestLineFigures(RegistrationCase):
    def test_line_amount_is_prezzo_totale(self):
        invoice = read(lines=[LineSpec(price_unit=D("33.333"), quantity=D("3"))])
        self.assertEqual(line_amount(invoice.lines[0]), D("100.00"))

    def test_simplified_line_amount_is_net_of_its_vat(self):
        invoice = read_simplified(
            SimplifiedLineSpec(amount=D("122.00"), vat_rate=D("22.00")),
            SimplifiedLineSpec(amount=D("120.00"), tax=D("20.00")),
            SimplifiedLineSpec(amount=D("50.00"), vat_rate=D("0"), nature="N2.2"),
        )
        self.assertEqual(
            [line_amount(line) for line in invoice.lines], [D("100.00"), D("100.00"), D("50.00")]
        )

    def test_stamp_line_is_a_zero_rate_bollo_line(self):
        invoice = read(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec(),
                stamp_line(),
                LineSpec("Rimborso bollo", price_unit=D("2.00"), vat_rate=D("0"), nature="N4"),
                LineSpec("Bollo auto", price_unit=D("2.00")),
            ],
        )
        self.assertEqual(
            [is_stamp_line(invoice, line) for line in invoice.lines], [False, True, True, False]
        )

    def test_bollo_line_without_datibollo_only_when_excluded_n1(self):
        invoice = read(
            lines=[
                stamp_line(),
                LineSpec("Bollo", price_unit=D("2.00"), vat_rate=D("0"), nature="N4"),
            ]
        )
        self.assertEqual([is_stamp_line(invoice, line) for line in invoice.lines], [True, False])

    def test_empty_line_has_no_amount_and_no_price(self):
        invoice = read(lines=[LineSpec(), LineSpec("Nota", price_unit=D("0"), quantity=None)])
        self.assertEqual([is_empty_line(line) for line in invoice.lines], [False, True])

    def test_items_carry_key_amount_and_stamp(self):
        invoice = read(stamp_duty=D("2.00"), lines=[LineSpec(vat_rate=D("10")), stamp_line()])
        self.assertEqual(
            [(i.key, i.amount, i.stamp) for i in items_of(invoice)],
            [(K10, D("100.00"), False), (N1, D("2.00"), True)],
        )


class TestQuantityPrice(RegistrationCase):
    def qp(self, amount=None, digits=2, sign=1, **line):
        invoice = read(lines=[LineSpec(**line)])
        document_line = invoice.lines[0]
        return quantity_price(
            document_line,
            (amount if amount is not None else line_amount(document_line)) * sign,
            digits,
        )

    def test_quantity_and_price_when_they_give_the_amount(self):
        self.assertEqual(self.qp(price_unit=D("50.00"), quantity=D("2")), (2.0, 50.0, 0.0))

    def test_one_line_percent_discount_kept(self):
        self.assertEqual(self.qp(discounts=[DiscountSpec(percent=D("10"))]), (1.0, 100.0, 10.0))

    def test_amount_not_reachable_is_one_times_the_amount(self):
        self.assertEqual(self.qp(price_total=D("99.00")), (1.0, 99.0, 0.0))
        self.assertEqual(self.qp(discounts=[DiscountSpec(amount=D("5"))]), (1.0, 95.0, 0.0))
        self.assertEqual(
            self.qp(discounts=[DiscountSpec(percent=D("10")), DiscountSpec(percent=D("10"))]),
            (1.0, 81.0, 0.0),
        )
        self.assertEqual(self.qp(quantity=None), (1.0, 100.0, 0.0))

    def test_price_digits_decide_whether_the_unit_price_is_kept(self):
        line = dict(price_unit=D("33.3333"), quantity=D("3"))
        self.assertEqual(self.qp(digits=2, **line), (1.0, 100.0, 0.0))
        self.assertEqual(self.qp(digits=4, **line), (3.0, 33.3333, 0.0))

    def test_negated_line_keeps_its_quantity(self):
        self.assertEqual(
            self.qp(sign=-1, price_unit=D("-50.00"), quantity=D("2")), (2.0, 50.0, 0.0)
        )

    def test_simplified_line_is_one_times_the_amount(self):
        invoice = read_simplified(SimplifiedLineSpec())
        self.assertEqual(quantity_price(invoice.lines[0], D("100.00"), 2), (1.0, 100.0, 0.0))


class TestBillLines(RegistrationCase):
    def test_full_detail_one_bill_line_per_document_line(self):
        invoice = read(
            lines=[
                LineSpec("Consulenza", price_unit=D("50.00"), quantity=D("2")),
                LineSpec("Nota", price_unit=D("0"), quantity=None),
                LineSpec(
                    "Esente", price_unit=D("10.00"), vat_rate=D("0"), nature="N4", withholding=True
                ),
            ]
        )
        lines, built = bill_lines(invoice, items(invoice, 100, None, 101), DETAIL_LINES, 1, 2)
        self.assertEqual(
            lines,
            [
                BillLine("Consulenza", 100, K22, False, False, 2.0, 50.0, 0.0, None),
                BillLine("Nota", note=True),
                BillLine("Esente", 101, N4, True, False, 1.0, 10.0, 0.0, None),
            ],
        )
        self.assertEqual(dict(built), {K22: D("100.00"), N4: D("10.00")})

    def test_full_detail_counts_each_line_rounded_as_odoo_does(self):
        spec = dict(lines=[LineSpec(price_total=D("10.005")), LineSpec(price_total=D("10.005"))])
        invoice = read(**spec)
        _lines, built = bill_lines(invoice, items(invoice, 100, 100), DETAIL_LINES, 1, 2)
        self.assertEqual(built[K22], D("20.02"))
        _lines, built = bill_lines(invoice, items(invoice, 100, 100), DETAIL_PER_RATE, 1, 2)
        self.assertEqual(built[K22], D("20.01"))

    def test_full_detail_of_a_negated_document(self):
        invoice = read(lines=[LineSpec(price_unit=D("-50.00"), quantity=D("2"))])
        lines, built = bill_lines(invoice, items(invoice, 100), DETAIL_LINES, -1, 2)
        self.assertEqual((lines[0].quantity, lines[0].price_unit), (2.0, 50.0))
        self.assertEqual(built[K22], D("-100.00"))  # the document's sign

    def test_per_rate_detail_groups_by_rate_withholding_stamp_and_account(self):
        invoice = read(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec("A", price_unit=D("100.00")),
                LineSpec("B", price_unit=D("50.00")),
                LineSpec("C", price_unit=D("30.00")),
                LineSpec("D", price_unit=D("20.00"), vat_rate=D("10")),
                LineSpec("E", price_unit=D("5.00"), withholding=True),
                stamp_line(),
                LineSpec("Nota", price_unit=D("0"), quantity=None),
            ],
        )
        lines, built = bill_lines(
            invoice, items(invoice, 100, 100, 101, 100, 100, 200, None), DETAIL_PER_RATE, -1, 2
        )

        def name(rate, nature=""):
            return T(PER_RATE, number="FT-2025-0001", rate=rate, nature=nature)

        self.assertEqual(
            lines,
            [
                BillLine(name("22.00"), 100, K22, False, False, 1.0, -150.0),
                BillLine(name("22.00"), 101, K22, False, False, 1.0, -30.0),
                BillLine(name("10.00"), 100, K10, False, False, 1.0, -20.0),
                BillLine(name("22.00"), 100, K22, True, False, 1.0, -5.0),
                BillLine("Imposta di bollo", 200, N1, False, True, 1.0, -2.0),
            ],
        )
        self.assertEqual(dict(built), {K22: D("185.00"), K10: D("20.00"), N1: D("2.00")})

    def test_per_rate_detail_names_the_nature(self):
        invoice = read(lines=[LineSpec(vat_rate=D("0"), nature="N2.2")])
        lines, _built = bill_lines(invoice, items(invoice, 100), DETAIL_PER_RATE, 1, 2)
        self.assertEqual(
            lines[0].name, T(PER_RATE, number="FT-2025-0001", rate="0.00", nature=" N2.2")
        )

    def test_single_detail_one_line_named_by_the_first_description(self):
        invoice = read(lines=[LineSpec("x" * 300), LineSpec("Secondo")])
        lines, built = bill_lines(invoice, items(invoice, 100, 100), DETAIL_SINGLE, 1, 2)
        self.assertEqual(
            lines,
            [
                BillLine(
                    T("Invoice %(number)s: ", number="FT-2025-0001", first="x" * 200),
                    100,
                    K22,
                    False,
                    False,
                    1.0,
                    200.0,
                )
            ],
        )
        self.assertEqual(built[K22], D("200.00"))

    def test_single_detail_with_several_rates_is_one_line_per_rate(self):
        invoice = read(lines=[LineSpec("A"), LineSpec("B", vat_rate=D("10"))])
        lines, _built = bill_lines(invoice, items(invoice, 100, 100), DETAIL_SINGLE, 1, 2)
        self.assertEqual(
            [line.name for line in lines],
            [
                T(PER_RATE, number="FT-2025-0001", rate="22.00", nature=""),
                T(PER_RATE, number="FT-2025-0001", rate="10.00", nature=""),
            ],
        )


class TestPensionFunds(RegistrationCase):
    def built_with_funds(self, invoice, *accounts):
        its = items(invoice, *accounts)
        entries = vat_entries(invoice)
        _lines, built = bill_lines(invoice, its, DETAIL_LINES, 1, 2)
        add_pension_funds(invoice, its, entries, built)
        return built, entries

    def test_pension_fund_joins_the_vat_base_of_its_rate(self):
        invoice = read(lines=[LineSpec(price_unit=D("1000.00"))], pension_funds=[PensionFundSpec()])
        built, entries = self.built_with_funds(invoice, 100)
        self.assertEqual(built[K22], D("1040.00"))
        self.assertEqual(entries[K22].taxable, D("1040.00"))

    def test_pension_fund_base_leaves_out_excluded_and_stamp_lines(self):
        invoice = read(
            stamp_duty=D("2.00"),
            lines=[
                LineSpec(price_unit=D("1000.00")),
                stamp_line(),
                LineSpec("Anticipazioni", price_unit=D("50.00"), vat_rate=D("0"), nature="N1"),
            ],
            pension_funds=[PensionFundSpec(taxable=D("1000.00"))],
        )
        built, entries = self.built_with_funds(invoice, 100, 200, 100)
        self.assertEqual(built[K22], D("1040.00"))
        self.assertEqual(built[N1], D("52.00"))

    def test_pension_fund_at_another_rate_than_a_line_refused(self):
        invoice = read(
            lines=[
                LineSpec(price_unit=D("1000.00")),
                LineSpec(price_unit=D("100.00"), vat_rate=D("10")),
            ],
            pension_funds=[PensionFundSpec()],
        )
        with self.assertRaises(Refusal) as caught:
            self.built_with_funds(invoice, 100, 100)
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            (
                "totals_mismatch",
                {"detail": T("pension fund", type="TC22", fund_rate="22.00", line_rate="10.00")},
            ),
        )

    def test_pension_fund_vat_without_summary_row_refused(self):
        invoice = read(
            lines=[LineSpec("Anticipazioni", vat_rate=D("0"), nature="N1")],
            pension_funds=[PensionFundSpec(amount=D("0.00"))],
            summary=[SummarySpec(D("0"), D("100.00"), D("0"), nature="N1")],
        )
        with self.assertRaises(Refusal) as caught:
            self.built_with_funds(invoice, 100)
        self.assertEqual(caught.exception.params, {"detail": T("no VAT summary row", "22.00")})


def fee(amount="1000.00", **kw):
    return LineSpec("Onorario", price_unit=D(amount), **kw)


def expenses(amount="50.00"):
    return LineSpec("Anticipazioni (art. 15)", price_unit=D(amount), vat_rate=D("0"), nature="N1")


def rt01(amount, rate="20.00", **kw):
    return WithholdingSpec(rate=D(rate), amount=D(amount), **kw)


ALL_LINES = T("all lines")


def lines_at(rate, nature=""):
    return T("the lines at VAT", rate=rate, nature=nature)


def inferred(amount, rate, lines):
    return T("No line is flagged Ritenuta SI", amount=amount, rate=rate, lines=lines)


class TestWithholdingLines(RegistrationCase):
    """DatiRitenuta while no line says Ritenuta SI: the withholding lines
    are the set of lines (all, or one VAT rate's) whose taxable the
    ImportoRitenuta is its rate of, to the cent."""

    def assertInferred(self, invoice, flags, *notes):
        read_as, found = withholding_lines(invoice)
        self.assertEqual([line.withholding for line in read_as.lines], flags)
        self.assertEqual(found, list(notes))
        self.assertTrue(all(isinstance(note, Review) for note in found))
        self.assertEqual(
            {note.code for note in found}, {"withholding_inferred"} if notes else set()
        )
        return read_as

    def test_rate_on_all_lines(self):
        invoice = read(
            lines=[fee(), fee("500.00", vat_rate=D("10"))], withholdings=[rt01("300.00")]
        )
        self.assertInferred(invoice, [True, True], inferred("300.00", "20.00", ALL_LINES))

    def test_rate_on_the_lines_of_one_vat_rate(self):
        # the fee at 22%, the expenses excluded from VAT (art. 15) are not in the base
        invoice = read(lines=[fee(), expenses(), fee("200.00")], withholdings=[rt01("240.00")])
        self.assertInferred(
            invoice, [True, False, True], inferred("240.00", "20.00", lines_at("22.00"))
        )

    def test_bollo_line_is_never_a_withholding_line(self):
        invoice = read(
            stamp_duty=D("2.00"), lines=[fee(), stamp_line()], withholdings=[rt01("200.00")]
        )
        self.assertInferred(invoice, [True, False], inferred("200.00", "20.00", ALL_LINES))

    def test_contribution_subject_to_withholding_is_in_the_base(self):
        invoice = read(
            lines=[fee()],
            withholdings=[rt01("208.00")],
            pension_funds=[PensionFundSpec(type="TC22", withholding=True)],
        )
        self.assertInferred(
            invoice,
            [True],
            inferred(
                "208.00",
                "20.00",
                T("and the pension fund contribution", lines=ALL_LINES, funds="TC22"),
            ),
        )

    def test_contribution_not_subject_to_withholding_is_not(self):
        invoice = read(
            lines=[fee()],
            withholdings=[rt01("200.00")],
            pension_funds=[PensionFundSpec(type="TC01")],
        )
        self.assertInferred(invoice, [True], inferred("200.00", "20.00", ALL_LINES))
        invoice = read(
            lines=[fee()],
            withholdings=[rt01("208.00")],
            pension_funds=[PensionFundSpec(type="TC01")],
        )
        self.assertInferred(invoice, [False])

    def test_agents_half_of_the_commissions(self):
        # RT02 23% ZO: 23% of half the commissions (Odoo's 23% RIT AG, -11.5%)
        invoice = read(
            lines=[fee()], withholdings=[rt01("115.00", "23.00", type="RT02", reason="ZO")]
        )
        self.assertInferred(invoice, [True], inferred("115.00", "11.50", ALL_LINES))

    def test_every_withholding_on_the_same_lines(self):
        invoice = read(
            lines=[fee(), expenses()],
            withholdings=[rt01("200.00"), rt01("85.00", "8.50", type="RT04", reason="ZO")],
        )
        self.assertInferred(
            invoice,
            [True, False],
            inferred("200.00", "20.00", lines_at("22.00")),
            inferred("85.00", "8.50", lines_at("22.00")),
        )
        # each on other lines: not known which line takes which
        invoice = read(
            lines=[fee(), fee("100.00", vat_rate=D("10"))],
            withholdings=[rt01("200.00"), rt01("50.00", "50.00")],
        )
        self.assertInferred(invoice, [False, False])

    def test_amount_of_no_set_of_lines_to_the_cent(self):
        invoice = read(
            lines=[fee(), fee("500.00", vat_rate=D("10"))], withholdings=[rt01("200.01")]
        )
        self.assertInferred(invoice, [False, False])

    def test_two_sets_of_lines_with_the_amount_not_guessed(self):
        invoice = read(lines=[fee(), fee(vat_rate=D("10"))], withholdings=[rt01("200.00")])
        self.assertInferred(invoice, [False, False])

    def test_a_flagged_line_is_the_supplier_s_word(self):
        invoice = read(lines=[fee(withholding=True), fee("500.00")], withholdings=[rt01("300.00")])
        self.assertInferred(invoice, [True, False])


def stated(amount, **kw):
    return PensionFundSpec(type=kw.pop("type", "TC22"), amount=D(amount), **kw)


def contribution_line(type_, rate):
    return T("Pension fund contribution", type=type_, rate=rate)


class TestPensionFundLines(RegistrationCase):
    """A contribution stated unlike its rate, confirmed by the VAT summary:
    a line of its own at the fund's VAT, no pension fund tax."""

    def test_stated_amount_confirmed_by_the_summary_is_a_line(self):
        invoice = read(lines=[fee()], pension_funds=[stated("50.00", taxable=D("1000.00"))])
        self.assertEqual(invoice.vat_summary[0].taxable, D("1050.00"))
        read_as, notes = pension_fund_lines(invoice)
        self.assertEqual(read_as.pension_funds, [])
        added = read_as.lines[-1]
        self.assertEqual(
            (
                len(read_as.lines),
                added.description,
                added.price_total,
                added.vat_rate,
                added.vat_nature,
                added.withholding,
            ),
            (2, contribution_line("TC22", "4.00"), D("50.00"), D("22.00"), None, False),
        )
        self.assertEqual(
            notes, [T("The pension fund contribution", amount="50.00", rate="4.00", base="1000.00")]
        )
        self.assertEqual(notes[0].code, "pension_fund_stated")
        self.assertFalse(is_stamp_line(read_as, added))
        self.assertEqual([item.key for item in items_of(read_as)], [K22, K22])

    def test_without_imponibile_cassa_the_base_is_the_lines(self):
        invoice = read(
            lines=[fee(), expenses()], pension_funds=[stated("45.00", omit_taxable=True)]
        )
        self.assertIsNone(invoice.pension_funds[0].taxable)
        _read_as, notes = pension_fund_lines(invoice)
        self.assertEqual(
            notes, [T("The pension fund contribution", amount="45.00", rate="4.00", base="1000.00")]
        )

    def test_contribution_subject_to_withholding_is_a_withholding_line(self):
        invoice = read(
            lines=[fee(withholding=True)],
            withholdings=[WithholdingSpec()],
            pension_funds=[stated("50.00", withholding=True)],
        )
        read_as, _notes = pension_fund_lines(invoice)
        self.assertEqual([line.withholding for line in read_as.lines], [True, True])

    def test_flat_rate_contribution_at_zero_percent(self):
        # regime forfettario, AlCassa 0.00 and a contribution of 3.00 (real OCA sample shape)
        invoice = read(
            lines=[fee("54.00", vat_rate=D("0"), nature="N2.2")],
            pension_funds=[
                stated("3.00", rate=D("0"), vat_rate=D("0"), nature="N2.2", taxable=D("3.00"))
            ],
        )
        read_as, notes = pension_fund_lines(invoice)
        added = read_as.lines[-1]
        self.assertEqual(
            (added.price_total, added.vat_rate, added.vat_nature), (D("3.00"), D("0.00"), "N2.2")
        )
        self.assertEqual(
            notes, [T("The pension fund contribution", amount="3.00", rate="0.00", base="3.00")]
        )

    def assertUnchanged(self, invoice):
        self.assertEqual(pension_fund_lines(invoice), (invoice, []))

    def test_amount_its_rate_gives_is_left_to_the_pension_fund_tax(self):
        self.assertUnchanged(read(lines=[fee()], pension_funds=[PensionFundSpec()]))
        # on ImponibileCassa (part of the lines): as today (the verification decides)
        self.assertUnchanged(
            read(
                lines=[fee(), fee("100.00")], pension_funds=[stated("40.00", taxable=D("1000.00"))]
            )
        )
        # on the lines, whatever ImponibileCassa says: Odoo's tax gives it
        self.assertUnchanged(
            read(lines=[fee()], pension_funds=[stated("40.00", taxable=D("0.00"))])
        )

    def test_summary_not_confirming_the_stated_amount(self):
        self.assertUnchanged(
            read(
                lines=[fee()],
                pension_funds=[stated("50.00")],
                summary=[SummarySpec(D("22"), D("1040.00"), D("228.80"))],
            )
        )
        self.assertUnchanged(
            read(
                lines=[fee()],
                pension_funds=[stated("50.00")],
                summary=[SummarySpec(D("22"), D("1050.01"), D("231.00"))],
            )
        )

    def test_summary_row_of_another_rate_does_not_confirm(self):
        self.assertUnchanged(
            read(
                lines=[fee()],
                pension_funds=[stated("50.00", vat_rate=D("10"))],
                summary=[SummarySpec(D("22"), D("1050.00"), D("231.00"))],
            )
        )

    def test_a_fund_its_tax_gives_beside_a_stated_one(self):
        self.assertUnchanged(
            read(
                lines=[fee()],
                pension_funds=[
                    PensionFundSpec(type="TC22"),
                    stated("25.00", type="TC04", rate=D("2")),
                ],
            )
        )

    def test_contribution_line_at_every_detail_level(self):
        invoice, _notes = pension_fund_lines(read(lines=[fee()], pension_funds=[stated("50.00")]))
        its = items(invoice, 100, 100)
        lines, built = bill_lines(invoice, its, DETAIL_LINES, 1, 2)
        self.assertEqual(
            [(line.name, line.price_unit, line.key) for line in lines],
            [("Onorario", 1000.0, K22), (contribution_line("TC22", "4.00"), 50.0, K22)],
        )
        self.assertEqual(built[K22], D("1050.00"))
        for detail in (DETAIL_PER_RATE, DETAIL_SINGLE):
            lines, built = bill_lines(invoice, its, detail, 1, 2)
            self.assertEqual([line.price_unit for line in lines], [1050.0], detail)
            self.assertEqual(built[K22], D("1050.00"))
        # alone in its group (another account): named by its Text
        lines, _built = bill_lines(invoice, items(invoice, 100, 200), DETAIL_SINGLE, 1, 2)
        self.assertEqual(
            [line.name.params["first"] for line in lines],
            ["Onorario", contribution_line("TC22", "4.00")],
        )


class TestReadings(RegistrationCase):
    def test_withholding_lines_then_the_contribution_subject_to_it(self):
        # no line flagged; ritenuta 20% of fee + stated contribution 50 (Ritenuta SI)
        invoice = read(
            lines=[fee()],
            withholdings=[rt01("210.00")],
            pension_funds=[stated("50.00", withholding=True)],
        )
        read_as, notes = readings(invoice)
        self.assertEqual(
            [(line.price_total, line.withholding) for line in read_as.lines],
            [(D("1000.00"), True), (D("50.00"), True)],
        )
        self.assertEqual(
            [note.code for note in notes], ["withholding_inferred", "pension_fund_stated"]
        )
        self.assertEqual(
            notes[0],
            inferred(
                "210.00",
                "20.00",
                T("and the pension fund contribution", lines=ALL_LINES, funds="TC22"),
            ),
        )

    def test_nothing_to_read(self):
        invoice = read(
            lines=[fee(withholding=True)],
            withholdings=[WithholdingSpec()],
            pension_funds=[PensionFundSpec(withholding=True)],
        )
        self.assertEqual(readings(invoice), (invoice, []))
