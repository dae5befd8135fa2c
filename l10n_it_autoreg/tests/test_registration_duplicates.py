"""registration.duplicates without a database: the documents decided in a
batch are bills already for those decided after them (same contacts, move
type, number, fiscal year); the sellers of two received documents are the
same supplier (same_seller) as duplicates count them."""

from datetime import date

from odoo.addons.l10n_it_autoreg.fatturapa.model import Party
from odoo.addons.l10n_it_autoreg.registration.duplicates import (
    DuplicateIndex,
    bill_number,
    same_seller,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase

# a fiscal year from April to March
FY_FROM, FY_TO = date(2024, 4, 1), date(2025, 3, 31)


def index(*decided):
    result = DuplicateIndex()
    for values in decided:
        result.add(*values)
    return result


class TestDuplicateIndex(RegistrationCase):
    def test_bill_number_ignores_blanks_and_case(self):
        self.assertEqual(bill_number(" ft 12 / 2025\t"), "FT12/2025")
        self.assertEqual(bill_number(None), "")

    def test_bill_number_ignores_invisible_characters_and_compatibility_forms(self):
        for written in (
            "FT\u200b12/2025",
            "FT12\u00ad/2025\ufeff",
            "\uff26\uff3412/2025",
            "ft\u200c12\u200d/2025",
        ):
            with self.subTest(written=written):
                self.assertEqual(bill_number(written), "FT12/2025")

    def test_same_partner_type_number_in_the_fiscal_year_is_a_duplicate(self):
        found = index((10, 1, "in_invoice", "FT 12", date(2025, 1, 15)))
        self.assertEqual(found.find(11, {1}, "in_invoice", "ft12", FY_FROM, FY_TO), 10)

    def test_fiscal_year_range_bounds_included(self):
        found = index((10, 1, "in_invoice", "1", FY_FROM), (11, 1, "in_invoice", "2", FY_TO))
        self.assertEqual(found.find(20, {1}, "in_invoice", "1", FY_FROM, FY_TO), 10)
        self.assertEqual(found.find(20, {1}, "in_invoice", "2", FY_FROM, FY_TO), 11)

    def test_same_calendar_year_other_fiscal_year_is_no_duplicate(self):
        found = index((10, 1, "in_invoice", "FT 12", date(2025, 4, 1)))
        self.assertIsNone(found.find(11, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO))
        self.assertEqual(
            found.find(11, {1}, "in_invoice", "FT 12", date(2025, 4, 1), date(2026, 3, 31)), 10
        )

    def test_other_move_type_is_no_duplicate(self):
        found = index((10, 1, "in_refund", "FT 12", date(2025, 1, 15)))
        self.assertIsNone(found.find(11, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO))

    def test_other_partner_is_no_duplicate_unless_among_the_partner_ids(self):
        # the bill may be on another contact with the same VAT number: the
        # engine passes identity.duplicate_partner_ids
        found = index((10, 2, "in_invoice", "FT 12", date(2025, 1, 15)))
        self.assertIsNone(found.find(11, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO))
        self.assertEqual(found.find(11, {1, 2}, "in_invoice", "FT 12", FY_FROM, FY_TO), 10)

    def test_a_document_is_not_its_own_duplicate(self):
        found = index((10, 1, "in_invoice", "FT 12", date(2025, 1, 15)))
        self.assertIsNone(found.find(10, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO))

    def test_first_decided_is_named(self):
        found = index(
            (12, 1, "in_invoice", "FT 12", date(2025, 1, 15)),
            (10, 1, "in_invoice", "FT12", date(2025, 1, 16)),
        )
        self.assertEqual(found.find(13, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO), 12)
        self.assertEqual(found.find(12, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO), 10)

    def test_copy_is_independent(self):
        original = index((10, 1, "in_invoice", "FT 12", date(2025, 1, 15)))
        copy = original.clone()
        copy.add(11, 1, "in_invoice", "FT 13", date(2025, 1, 15))
        copy.add(12, 1, "in_invoice", "FT 12", date(2025, 1, 15))
        self.assertIsNone(original.find(20, {1}, "in_invoice", "FT 13", FY_FROM, FY_TO))
        self.assertIsNone(original.find(10, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO))
        self.assertEqual(copy.find(10, {1}, "in_invoice", "FT 12", FY_FROM, FY_TO), 12)
        original.add(13, 1, "in_invoice", "FT 14", date(2025, 1, 15))
        self.assertIsNone(copy.find(20, {1}, "in_invoice", "FT 14", FY_FROM, FY_TO))

    def test_index_knows_the_documents_decided(self):
        found = index((10, 1, "in_invoice", "FT 12", date(2025, 1, 15)))
        self.assertIn(10, found)
        self.assertNotIn(11, found)
        self.assertNotIn(10, DuplicateIndex())


def party(vat=None, fiscal_code=None, name="Fornitore Srl", country="IT"):
    return Party(
        vat_country=country if vat else None, vat_code=vat, fiscal_code=fiscal_code, name=name
    )


class TestSameSeller(RegistrationCase):
    def test_same_vat_number_however_written(self):
        self.assertTrue(same_seller(party("01234567890"), party(" 012 345 67890 ")))
        self.assertTrue(same_seller(party("01234567890", name="A"), party("01234567890", name="B")))
        self.assertFalse(same_seller(party("01234567890"), party("07643520567")))

    def test_fiscal_code_written_once_is_the_same_supplier(self):
        self.assertTrue(same_seller(party("01234567890", "RSSMRA80A01H501U"), party("01234567890")))
        self.assertTrue(
            same_seller(
                party("01234567890", "01234567890"), party("01234567890", "RSSMRA80A01H501U")
            )
        )

    def test_vat_group_members_are_other_suppliers(self):
        self.assertFalse(
            same_seller(party("07643520567", "11100000014"), party("07643520567", "11100000022"))
        )
        self.assertTrue(
            same_seller(party("07643520567", "11100000014"), party("07643520567", "11100000014"))
        )

    def test_placeholder_vat_number_needs_the_same_name(self):
        one = party("99999999999", name="Alpha Ltd", country="GB")
        self.assertFalse(same_seller(one, party("99999999999", name="Beta Ltd", country="GB")))
        self.assertTrue(same_seller(one, party("99999999999", name="alpha  ltd", country="GB")))

    def test_without_vat_number_the_fiscal_code(self):
        self.assertTrue(
            same_seller(party(None, "RSSMRA80A01H501U"), party(None, "rssmra80a01h501u"))
        )
        self.assertTrue(
            same_seller(party("01234567890", "RSSMRA80A01H501U"), party(None, "RSSMRA80A01H501U"))
        )
        self.assertFalse(
            same_seller(party(None, "RSSMRA80A01H501U"), party(None, "VRDLGI80A01H501X"))
        )
        self.assertFalse(same_seller(party(None, None), party(None, None)))
        self.assertFalse(same_seller(party("01234567890"), party(None, "RSSMRA80A01H501U")))
