"""registration.identity without a database: VAT numbers and fiscal codes,
the identity of a received document, its addressee, the supplier among
contacts and the contacts whose bills are duplicates."""

import dataclasses

from odoo.addons.l10n_it_autoreg.fatturapa.model import Party
from odoo.addons.l10n_it_autoreg.registration.identity import (
    Contact,
    check_addressee,
    document_key,
    duplicate_partner_ids,
    file_identity,
    identity_hash,
    is_placeholder_vat,
    match_supplier,
    norm_cf,
    norm_text,
    norm_vat,
    party_label,
    renormalised_key,
    supplier_key,
    valid_cf,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.tests.builder import PartySpec
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read

COMPANY = ("Cliente Spa", "IT07654321004", None)


def seller(vat="IT01234567890", cf=None, name="Fornitore Srl"):
    code = vat[2:] if vat else None
    return Party(vat_country=vat[:2] if vat else None, vat_code=code, fiscal_code=cf, name=name)


class TestCodes(RegistrationCase):
    def test_norm_vat_compacts_and_prefixes_italian_digits(self):
        self.assertEqual(norm_vat("it 012 345 67890"), "IT01234567890")
        self.assertEqual(norm_vat("01234567890"), "IT01234567890")
        self.assertEqual(norm_vat("IT-01234567890"), "IT01234567890")
        self.assertEqual(norm_vat("DE123456789"), "DE123456789")
        self.assertIsNone(norm_vat(None))
        self.assertIsNone(norm_vat(""))
        self.assertIsNone(norm_vat(" - "))

    def test_norm_cf_drops_it_prefix_of_a_vat_written_as_fiscal_code(self):
        self.assertEqual(norm_cf("it01234567890"), "01234567890")
        self.assertEqual(norm_cf("rss mra 80a01 h501u"), "RSSMRA80A01H501U")
        self.assertEqual(norm_cf("IT0123456789"), "IT0123456789")  # not 11 digits
        self.assertIsNone(norm_cf(None))

    def test_placeholder_vat_is_all_nines_or_zeros_with_or_without_country(self):
        for vat in ("IT99999999999", "99999999999", "IT00000000000", "GB 999999999", "0000000"):
            self.assertTrue(is_placeholder_vat(vat), vat)
        for vat in ("IT01234567890", "IT99999999990", "", None, "IT"):
            self.assertFalse(is_placeholder_vat(vat), vat)

    def test_valid_cf_keeps_valid_codes_and_drops_malformed_ones(self):
        self.assertEqual(valid_cf("rssmra80a01h501u"), "RSSMRA80A01H501U")
        self.assertEqual(valid_cf("IT07654321004"), "07654321004")  # a partita IVA
        self.assertIsNone(valid_cf("RSSMRA80A01H501X"))  # bad check character
        self.assertIsNone(valid_cf("01234567890"))  # bad check digit
        self.assertIsNone(valid_cf(None))


class TestDocumentKey(RegistrationCase):
    def test_document_key_is_seller_type_number_date(self):
        self.assertEqual(document_key(read()), "IT01234567890|TD01|FT-2025-0001|2025-01-15")

    def test_document_key_ignores_blanks_and_case_of_the_number(self):
        self.assertEqual(
            document_key(read(number="ft 2025 / 1")), document_key(read(number="FT2025/1"))
        )

    def test_vat_group_member_told_apart_by_fiscal_code(self):
        first = read(seller=PartySpec(fiscal_code="11111111115"))
        second = read(seller=PartySpec(fiscal_code="22222222220"))
        self.assertEqual(
            document_key(first), "IT01234567890/11111111115|TD01|FT-2025-0001|2025-01-15"
        )
        self.assertNotEqual(document_key(first), document_key(second))

    def test_fiscal_code_equal_to_the_vat_digits_adds_nothing(self):
        self.assertEqual(
            document_key(read(seller=PartySpec(fiscal_code="01234567890"))),
            "IT01234567890|TD01|FT-2025-0001|2025-01-15",
        )
        self.assertEqual(
            document_key(read(seller=PartySpec(fiscal_code="IT01234567890"))),
            "IT01234567890|TD01|FT-2025-0001|2025-01-15",
        )

    def test_placeholder_vat_key_adds_the_name(self):
        acme = read(seller=PartySpec(vat="GB99999999999", name="Acme Ltd", country="GB"))
        other = read(seller=PartySpec(vat="GB99999999999", name="Other Ltd", country="GB"))
        self.assertEqual(document_key(acme), "GB99999999999/ACMELTD|TD01|FT-2025-0001|2025-01-15")
        self.assertNotEqual(document_key(acme), document_key(other))

    def test_seller_without_vat_is_keyed_by_fiscal_code(self):
        invoice = read(
            seller=PartySpec(
                vat=None,
                fiscal_code="RSSMRA80A01H501U",
                first_name="Mario",
                last_name="Rossi",
                name=None,
            )
        )
        self.assertEqual(document_key(invoice), "RSSMRA80A01H501U|TD01|FT-2025-0001|2025-01-15")

    def test_party_label_names_vat_and_fiscal_code(self):
        self.assertEqual(party_label(seller()), "Fornitore Srl (IT01234567890)")
        self.assertEqual(
            party_label(seller(cf="RSSMRA80A01H501U")),
            "Fornitore Srl (IT01234567890 / RSSMRA80A01H501U)",
        )
        self.assertEqual(party_label(Party(name="Solo nome")), "Solo nome")
        self.assertEqual(party_label(Party()), "?")


class TestAddressee(RegistrationCase):
    def assertRefused(self, invoice, code, company=COMPANY):
        with self.assertRaises(Refusal) as caught:
            check_addressee(invoice, *company)
        self.assertEqual(caught.exception.code, code)
        return caught.exception.params

    def test_document_for_the_company_passes(self):
        self.assertIsNone(check_addressee(read(), *COMPANY))
        # the company's VAT written without prefix / with blanks
        self.assertIsNone(check_addressee(read(), "Cliente Spa", "076 543 21004", None))

    def test_buyer_fiscal_code_equal_to_company_vat_digits_is_the_company(self):
        # only CodiceFiscale (11 digits) and the company's fiscal code not set
        invoice = read(buyer=PartySpec(vat=None, fiscal_code="07654321004", name="Cliente Spa"))
        self.assertIsNone(check_addressee(invoice, *COMPANY))

    def test_buyer_personal_fiscal_code_matches_the_company_fiscal_code(self):
        invoice = read(buyer=PartySpec(vat=None, fiscal_code="RSSMRA80A01H501U", name="Mario"))
        self.assertIsNone(check_addressee(invoice, "Mario", "IT07654321004", "rssmra80a01h501u"))
        self.assertRefused(invoice, "not_for_company")

    def test_other_buyer_refused_not_for_company_naming_both(self):
        invoice = read(buyer=PartySpec(vat="IT11111111115", name="Altro Spa"))
        params = self.assertRefused(invoice, "not_for_company")
        self.assertEqual(
            params, {"buyer": "Altro Spa (IT11111111115)", "company": "Cliente Spa IT07654321004"}
        )

    def test_company_without_vat_is_named_by_fiscal_code(self):
        invoice = read(buyer=PartySpec(vat="IT11111111115", name="Altro Spa"))
        params = self.assertRefused(invoice, "not_for_company", ("Mario", None, "RSSMRA80A01H501U"))
        self.assertEqual(params["company"], "Mario RSSMRA80A01H501U")

    def test_own_invoice_when_the_seller_is_the_company(self):
        invoice = read(
            seller=PartySpec(vat="IT07654321004", name="Cliente Spa"),
            buyer=PartySpec(vat="IT01234567890", name="Fornitore Srl"),
        )
        params = self.assertRefused(invoice, "own_invoice")
        self.assertEqual(params, {"seller": "Cliente Spa (IT07654321004)"})

    def test_own_invoice_by_seller_fiscal_code_equal_to_company_vat_digits(self):
        invoice = read(seller=PartySpec(vat="IT11111111115", fiscal_code="07654321004"))
        self.assertEqual(
            self.assertRefused(invoice, "own_invoice")["seller"],
            "Fornitore Srl (IT11111111115 / 07654321004)",
        )

    def test_own_invoice_wins_over_for_company(self):
        invoice = read(seller=PartySpec(vat="IT07654321004", name="Cliente Spa"))
        self.assertRefused(invoice, "own_invoice")


class TestMatchSupplier(RegistrationCase):
    def assertRefused(self, party, contacts, code):
        with self.assertRaises(Refusal) as caught:
            match_supplier(party, contacts)
        self.assertEqual(caught.exception.code, code)
        return caught.exception.params

    def test_one_contact_with_the_vat_number(self):
        contacts = [Contact(1, "Other", "IT11111111115"), Contact(7, "Fornitore", "01234567890")]
        match = match_supplier(seller(), contacts)
        self.assertEqual(match.contact_id, 7)
        self.assertEqual(match.rule, T("VAT number", "IT01234567890"))
        self.assertIsNone(match.key)

    def test_one_contact_with_the_vat_number_and_its_digits_as_fiscal_code(self):
        contacts = [Contact(7, "Fornitore", "IT01234567890", "01234567890")]
        self.assertEqual(match_supplier(seller(cf="RSSMRA80A01H501U"), contacts).contact_id, 7)

    def test_vat_group_member_chosen_by_fiscal_code(self):
        contacts = [
            Contact(1, "Member A", "IT01234567890", "11111111115"),
            Contact(2, "Member B", "IT01234567890", "22222222220"),
        ]
        match = match_supplier(seller(cf="22222222220"), contacts)
        self.assertEqual(match.contact_id, 2)
        self.assertEqual(match.rule, T("fiscal code", vat="IT01234567890", cf="22222222220"))

    def test_new_vat_group_member_is_to_create(self):
        contacts = [Contact(1, "Member A", "IT01234567890", "11111111115")]
        match = match_supplier(seller(cf="33333333331"), contacts)
        self.assertIsNone(match.contact_id)
        self.assertEqual(match.key, ("IT01234567890", "33333333331"))

    def test_same_vat_without_fiscal_code_takes_the_one_contact_without_fiscal_code(self):
        contacts = [
            Contact(1, "Member A", "IT01234567890", "11111111115"),
            Contact(2, "Group", "IT01234567890"),
        ]
        self.assertEqual(match_supplier(seller(), contacts).contact_id, 2)

    def test_duplicate_contacts_refused_ambiguous_listing_them(self):
        contacts = [
            Contact(1, "Fornitore", "IT01234567890", label="Fornitore (1)"),
            Contact(2, "Fornitore Srl", "01234567890"),
        ]
        params = self.assertRefused(seller(), contacts, "supplier_ambiguous")
        self.assertEqual(
            params,
            {"seller": "Fornitore Srl (IT01234567890)", "partners": "Fornitore (1), Fornitore Srl"},
        )

    def test_unknown_fiscal_code_with_a_blank_contact_is_ambiguous(self):
        contacts = [
            Contact(1, "A", "IT01234567890", "11111111115"),
            Contact(2, "B", "IT01234567890"),
        ]
        self.assertEqual(
            self.assertRefused(seller(cf="33333333331"), contacts, "supplier_ambiguous")[
                "partners"
            ],
            "A, B",
        )

    def test_placeholder_vat_matched_with_the_name(self):
        contacts = [
            Contact(1, "Acme Ltd", "GB99999999999"),
            Contact(2, "Other Ltd", "GB99999999999"),
        ]
        party = seller("GB99999999999", name="  ACME LTD ")
        match = match_supplier(party, contacts)
        self.assertEqual(match.contact_id, 1)
        self.assertEqual(match.rule, T("name", vat="GB99999999999", name="  ACME LTD "))

    def test_placeholder_vat_of_an_unknown_name_is_a_new_supplier(self):
        contacts = [Contact(1, "Acme Ltd", "GB99999999999")]
        match = match_supplier(seller("GB99999999999", name="New Ltd"), contacts)
        self.assertIsNone(match.contact_id)
        self.assertEqual(match.key, ("GB99999999999", None, "new ltd"))

    def test_placeholder_vat_twice_with_the_same_name_is_ambiguous(self):
        contacts = [
            Contact(1, "Acme Ltd", "GB99999999999"),
            Contact(2, "acme ltd", "GB99999999999"),
        ]
        self.assertRefused(seller("GB99999999999", name="Acme Ltd"), contacts, "supplier_ambiguous")

    def test_placeholder_vat_without_name_is_invalid(self):
        params = self.assertRefused(seller("IT99999999999", name=None), [], "supplier_invalid")
        self.assertEqual(params["detail"], T("no name", "IT99999999999"))

    def test_private_seller_matched_by_fiscal_code(self):
        party = seller(None, cf="rssmra80a01h501u", name="Mario Rossi")
        contacts = [Contact(4, "Mario Rossi", fiscal_code="RSSMRA80A01H501U")]
        match = match_supplier(party, contacts)
        self.assertEqual((match.contact_id, match.rule), (4, T("fiscal code", "RSSMRA80A01H501U")))
        self.assertRefused(
            party,
            contacts + [Contact(5, "M. Rossi", None, "RSSMRA80A01H501U")],
            "supplier_ambiguous",
        )
        self.assertEqual(match_supplier(party, []).key, (None, "RSSMRA80A01H501U"))

    def test_seller_without_vat_nor_fiscal_code_is_invalid(self):
        params = self.assertRefused(Party(name="Nessuno"), [], "supplier_invalid")
        self.assertEqual(params["detail"], T("neither VAT number nor fiscal code"))

    def test_supplier_key_of_a_seller_to_create(self):
        self.assertEqual(supplier_key(seller(cf="IT11111111115")), ("IT01234567890", "11111111115"))
        self.assertEqual(
            supplier_key(seller("IT99999999999", cf="X1", name=" Acme ")),
            ("IT99999999999", "X1", "acme"),
        )


class TestDuplicatePartners(RegistrationCase):
    def test_same_vat_contacts_count_unless_another_group_member(self):
        contacts = [
            Contact(2, "Archived copy", "01234567890"),
            Contact(3, "Same member", "IT01234567890", "11111111115"),
            Contact(4, "Vat digits", "IT01234567890", "01234567890"),
            Contact(5, "Other member", "IT01234567890", "22222222220"),
        ]
        self.assertEqual(duplicate_partner_ids(seller(cf="11111111115"), 1, contacts), {1, 2, 3, 4})

    def test_seller_without_fiscal_code_counts_every_same_vat_contact(self):
        contacts = [
            Contact(3, "A", "IT01234567890", "11111111115"),
            Contact(5, "B", "IT01234567890", "22222222220"),
        ]
        self.assertEqual(duplicate_partner_ids(seller(), 1, contacts), {1, 3, 5})

    def test_placeholder_vat_or_no_vat_only_the_supplier(self):
        contacts = [Contact(3, "Acme", "GB99999999999")]
        self.assertEqual(duplicate_partner_ids(seller("GB99999999999", name="X"), 1, contacts), {1})
        self.assertEqual(
            duplicate_partner_ids(seller(None, cf="RSSMRA80A01H501U"), 1, contacts), {1}
        )

    def test_reader_party_is_not_changed(self):
        party = seller(cf="11111111115")
        before = dataclasses.asdict(party)
        match_supplier(party, [Contact(1, "A", "IT01234567890", "11111111115")])
        self.assertEqual(dataclasses.asdict(party), before)


class TestNormalisedIdentity(RegistrationCase):
    """NFKC, no zero-width characters nor soft hyphen: the same document
    whatever invisible characters its generator slipped in; the database
    keeps a bounded hash."""

    def test_invisible_characters_and_compatibility_forms(self):
        plain = document_key(read(number="FT-2025-0001"))
        for written in (
            "FT\u200b-2025-0001",
            "FT-\u200c2025\u200d-0001",
            "\ufeffFT-2025-0001",
            "FT-2025\u00ad-0001",
            "\uff26\uff34-\uff12\uff10\uff12\uff15-0001",
            "FT\u00a0-2025-0001",
        ):
            with self.subTest(written=written):
                self.assertEqual(document_key(read(number=written)), plain)
        self.assertEqual(norm_text("\ufb01\u200b"), "fi")

    def test_identity_hash_is_bounded(self):
        key = document_key(read(number="N" * 3000))
        self.assertEqual(len(identity_hash(key)), 64)
        self.assertEqual(identity_hash(key), identity_hash(key))
        self.assertNotEqual(identity_hash(key), identity_hash(key + "x"))
        self.assertEqual(len(identity_hash(file_identity(b"x" * 10**6))), 64)

    def test_old_keys_renormalised_for_the_migration(self):
        self.assertEqual(
            renormalised_key("it01234567890|td01|FT\u200b-1|2025-01-15"),
            "IT01234567890|TD01|FT-1|2025-01-15",
        )
        self.assertEqual(renormalised_key("sha256:abc"), "sha256:abc")
        self.assertEqual(renormalised_key(document_key(read())), document_key(read()))
