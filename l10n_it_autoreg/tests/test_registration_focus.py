"""registration.focus without a database: the key a refusal stores on its
bill so that the readable e-invoice highlights the figures that did not
match, and where the refusals of the VAT tax, the totals and the pension
fund point."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.registration.focus import (
    CODE_BLOCKS,
    PAYMENT,
    PENSION,
    SELLER,
    TOTAL,
    WITHHOLDING,
    Focus,
    join,
    line_focus,
    parse_focus,
    vat_focus,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.registration.reasons import REASONS
from odoo.addons.l10n_it_autoreg.registration.taxes import choose_vat_tax, vat_key
from odoo.addons.l10n_it_autoreg.registration.totals import (
    check_amount_due,
    explain_totals,
    vat_entries,
)
from odoo.addons.l10n_it_autoreg.tests.builder import LineSpec, SummarySpec
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, read
from odoo.addons.l10n_it_autoreg.tests.test_registration_totals import VAT22, built_of, entries_of


class TestFocusKey(RegistrationCase):
    def test_vat_keys_round_trip(self):
        key = vat_focus((D("22"), None), (D("0"), "N2.2"))
        self.assertEqual(key, "vat:22.00| vat:0.00|N2.2")
        focus = parse_focus(key)
        self.assertEqual(focus.vat_keys, {(D("22.00"), None), (D("0.00"), "N2.2")})
        self.assertTrue(focus.has_vat(D("22.000"), ""))
        self.assertTrue(focus.has_vat(D("0"), "n2.2"))
        self.assertFalse(focus.has_vat(D("10"), None))
        self.assertFalse(focus.has_vat(D("0"), "N2.1"))

    def test_blocks_lines_and_unknown_words(self):
        focus = parse_focus(join(TOTAL, line_focus(3, None, 7), "later_word", "vat:x|", "line:x"))
        self.assertEqual(focus, Focus(frozenset(), frozenset({TOTAL}), frozenset({3, 7})))
        self.assertFalse(parse_focus(None))
        self.assertFalse(parse_focus(""))
        self.assertIsNone(join(None, ""))

    def test_reason_codes_that_always_point_at_one_block(self):
        self.assertEqual(parse_focus(None, "supplier_ambiguous").blocks, {SELLER})
        self.assertEqual(parse_focus(None, "payment_schedule_mismatch").blocks, {PAYMENT})
        self.assertEqual(parse_focus("vat:4.00|", "tax_not_found").blocks, frozenset())
        self.assertLessEqual(set(CODE_BLOCKS), set(REASONS))


class TestRefusalFocus(RegistrationCase):
    def refusal(self, function, *args):
        with self.assertRaises(Refusal) as caught:
            function(*args)
        return caught.exception

    def test_tax_not_found_points_at_its_rate_and_natura(self):
        self.assertEqual(
            self.refusal(choose_vat_tax, vat_key(D("4"), None), "I", []).focus, "vat:4.00|"
        )
        self.assertEqual(
            self.refusal(choose_vat_tax, vat_key(D("0"), "N2.2"), None, []).focus, "vat:0.00|N2.2"
        )
        self.assertEqual(
            self.refusal(choose_vat_tax, vat_key(D("22"), None), "S", []).focus, "vat:22.00|"
        )

    def test_taxable_of_a_rate_points_at_that_rate(self):
        invoice = read(
            lines=[
                LineSpec(price_unit=D("100.00")),
                LineSpec(price_unit=D("50.00"), vat_rate=D("10.00")),
            ],
            summary=[
                SummarySpec(D("22"), D("100.00"), D("22.00")),
                SummarySpec(D("10"), D("60.00"), D("6.00")),
            ],
        )
        refusal = self.refusal(
            explain_totals, invoice, vat_entries(invoice), built_of(invoice), D("0.01"), False
        )
        self.assertEqual(parse_focus(refusal.focus).vat_keys, {(D("10.00"), None)})

    def test_document_total_and_amount_due_point_at_the_total(self):
        invoice = read(total=D("130.00"))
        refusal = self.refusal(
            explain_totals, invoice, vat_entries(invoice), built_of(invoice), D("0.01"), False
        )
        self.assertEqual(refusal.focus, TOTAL)
        invoice = read()
        entries = entries_of(invoice, (VAT22, "normal"))
        self.assertEqual(
            self.refusal(check_amount_due, invoice, entries, [], D(1), D("100.00")).focus, TOTAL
        )

    def test_split_payment_in_one_row_only_points_at_the_rate(self):
        invoice = read(
            summary=[
                SummarySpec(D("22"), D("60.00"), D("13.20"), vat_due="S"),
                SummarySpec(D("22"), D("40.00"), D("8.80"), vat_due="I"),
            ]
        )
        self.assertEqual(self.refusal(vat_entries, invoice).focus, "vat:22.00|")

    def test_words_of_every_block(self):
        for word in (TOTAL, WITHHOLDING, PENSION, PAYMENT):
            self.assertEqual(parse_focus(word).blocks, {word})
