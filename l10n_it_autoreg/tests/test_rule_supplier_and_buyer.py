"""Supplier and buyer of the e-invoice.

The supplier: found by VAT number (the members of a VAT group told apart by
their fiscal code, a private person by fiscal code, EU and extra-EU
suppliers, placeholder VAT numbers never shared), created with its address
and bank account when missing (company option), refused when ambiguous.
The buyer: the company (by VAT number or fiscal code, however written),
else not_for_company; an invoice the company issued itself is own_invoice."""

from lxml import etree

from .common import (
    AutoregCommon,
    InvoiceSpec,
    PartySpec,
    build_xml,
)
from .rule_cases import AdversarialCommon, edit_xml, sub


class TestSupplier(AutoregCommon):
    def test_existing_supplier_by_vat(self):
        partner = (
            self.env["res.partner"].create(
                {
                    "name": "Fornitore (anagrafica)",
                    "vat": "IT01234567890",
                    "is_company": True,
                }
            )
            if False
            else self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore (anagrafica)", "vat": "IT01234567890", "is_company": True})
        )
        move = self.receive_and_register(InvoiceSpec())
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.partner_id, partner)

    def test_supplier_created_with_address(self):
        seller = PartySpec(
            vat="IT07643520567",
            name="Nuovo Fornitore Srl",
            fiscal_code="07643520567",
            street="Via Nuova",
            number="5",
            zip="10121",
            city="Torino",
            province="TO",
        )
        move = self.receive_and_register(InvoiceSpec(seller=seller))
        self.assertRegistered(move, 100, 22, 122)
        partner = move.partner_id
        self.assertEqual(
            (partner.name, partner.vat, partner.l10n_it_codice_fiscale),
            ("Nuovo Fornitore Srl", "IT07643520567", "07643520567"),
        )
        self.assertEqual(
            (partner.street, partner.zip, partner.city, partner.country_id.code),
            ("Via Nuova 5", "10121", "Torino", "IT"),
        )
        self.assertTrue(partner.bank_ids)

    def test_vat_group_settled_by_fiscal_code(self):
        Partner = self.env["res.partner"].with_context(no_vat_validation=True)
        Partner.create(
            {
                "name": "Gruppo IVA - A",
                "vat": "IT07643520567",
                "l10n_it_codice_fiscale": "11100000014",
                "is_company": True,
            }
        )
        member_b = Partner.create(
            {
                "name": "Gruppo IVA - B",
                "vat": "IT07643520567",
                "l10n_it_codice_fiscale": "11100000022",
                "is_company": True,
            }
        )
        move = self.receive_and_register(
            InvoiceSpec(
                seller=PartySpec(vat="IT07643520567", fiscal_code="11100000022", name="B Spa")
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.partner_id, member_b)

    def test_ambiguous_supplier(self):
        Partner = self.env["res.partner"].with_context(no_vat_validation=True)
        Partner.create({"name": "Doppio 1", "vat": "IT07643520567", "is_company": True})
        Partner.create({"name": "Doppio 2", "vat": "IT07643520567", "is_company": True})
        move = self.receive_and_register(
            InvoiceSpec(seller=PartySpec(vat="IT07643520567", name="Doppio"))
        )
        self.assertRefused(move, "supplier_ambiguous", "Doppio 1", "Doppio 2")

    def test_supplier_creation_disabled(self):
        self.company.l10n_it_autoreg_create_partner = False
        move = self.receive_and_register(InvoiceSpec())
        self.assertRefused(move, "supplier_not_found", "IT01234567890")


class TestSuppliersAndBuyers(AdversarialCommon):
    def test_private_supplier_by_fiscal_code(self):
        seller = PartySpec(
            vat=None,
            fiscal_code="RSSMRA80A01H501U",
            name=None,
            first_name="Mario",
            last_name="Rossi",
        )
        move = self.receive_and_register(InvoiceSpec(seller=seller))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.partner_id.l10n_it_codice_fiscale, "RSSMRA80A01H501U")
        move2 = self.receive_and_register(InvoiceSpec(seller=seller, number="FT-2"))
        self.assertRegistered(move2, 100, 22, 122)
        self.assertEqual(move2.partner_id, move.partner_id)

    def test_vat_group_members_created_apart(self):
        a = self.receive_and_register(
            InvoiceSpec(
                seller=PartySpec(vat="IT07643520567", fiscal_code="11100000014", name="Gruppo A")
            )
        )
        b = self.receive_and_register(
            InvoiceSpec(
                seller=PartySpec(vat="IT07643520567", fiscal_code="11100000022", name="Gruppo B")
            )
        )
        self.assertRegistered(a, 100, 22, 122)
        self.assertRegistered(b, 100, 22, 122)
        self.assertNotEqual(a.partner_id, b.partner_id)
        # same number, other member: not a duplicate (number is the same
        # because both use the builder's default)
        self.assertEqual(a.ref, b.ref)

    def test_foreign_eu_supplier(self):
        seller = PartySpec(
            vat="DE123456789",
            name="Lieferant GmbH",
            country="DE",
            province=None,
            zip="10115",
            city="Berlin",
        )
        move = self.receive_and_register(InvoiceSpec(seller=seller))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.partner_id.country_id.code, "DE")
        self.assertEqual(move.partner_id.vat, "DE123456789")

    def test_foreign_placeholder_vat_not_shared(self):
        # extra-EU suppliers without a VAT number are written 99999999999:
        # two of them are not the same supplier
        one = PartySpec(
            vat="US99999999999",
            name="Acme Inc",
            country="US",
            province=None,
            zip="10001",
            city="New York",
        )
        two = PartySpec(
            vat="US99999999999",
            name="Globex Corp",
            country="US",
            province=None,
            zip="94105",
            city="San Francisco",
        )
        m1 = self.receive_and_register(InvoiceSpec(seller=one, number="A-1"))
        m2 = self.receive_and_register(InvoiceSpec(seller=two, number="G-1"))
        for move in (m1, m2):
            self.assertIn(move.l10n_it_autoreg_state, ("registered", "unrecognized"))
        if m1.l10n_it_autoreg_state == m2.l10n_it_autoreg_state == "registered":
            self.assertNotEqual(m1.partner_id, m2.partner_id)
            self.assertEqual(m2.partner_id.name, "Globex Corp")
        # the same placeholder supplier again: same contact
        m3 = self.receive_and_register(InvoiceSpec(seller=one, number="A-2"))
        if m1.l10n_it_autoreg_state == m3.l10n_it_autoreg_state == "registered":
            self.assertEqual(m3.partner_id, m1.partner_id)

    def test_foreign_placeholder_same_number_two_suppliers(self):
        one = PartySpec(vat="GB99999999999", name="Alpha Ltd", country="GB", province=None)
        two = PartySpec(vat="GB99999999999", name="Beta Ltd", country="GB", province=None)
        m1 = self.receive_and_register(InvoiceSpec(seller=one, number="1"))
        m2 = self.receive_and_register(InvoiceSpec(seller=two, number="1"))
        self.assertNotEqual(m2.l10n_it_autoreg_reason_code, "duplicate")
        if m1.l10n_it_autoreg_state == m2.l10n_it_autoreg_state == "registered":
            self.assertNotEqual(m1.partner_id, m2.partner_id)

    def test_buyer_vat_lowercase_and_spaces(self):
        xml = build_xml(InvoiceSpec())

        def change(root, find):
            buyer = find("CessionarioCommittente")[0]
            ids = [e for e in buyer.iter() if etree.QName(e).localname in ("IdPaese", "IdCodice")]
            ids[0].text = "it"
            ids[1].text = " 076 543 21004 "

        move = self.receive_xml_and_register(edit_xml(xml, change))
        self.assertRegistered(move, 100, 22, 122)

    def test_buyer_code_with_country_prefix(self):
        move = self.receive_and_register(
            InvoiceSpec(buyer=PartySpec(vat="ITIT07654321004", name="Cliente Spa"))
        )
        self.assertRegistered(move, 100, 22, 122)

    def test_buyer_by_fiscal_code_only(self):
        move = self.receive_and_register(
            InvoiceSpec(buyer=PartySpec(vat=None, fiscal_code="07654321004", name="Cliente Spa"))
        )
        self.assertRegistered(move, 100, 22, 122)

    def test_buyer_by_fiscal_code_only_company_without_fiscal_code(self):
        # default settings: the company has a VAT number, maybe no fiscal
        # code; for a company the 11-digit fiscal code is its VAT number
        self.company.l10n_it_codice_fiscale = False
        move = self.receive_and_register(
            InvoiceSpec(buyer=PartySpec(vat=None, fiscal_code="07654321004", name="Cliente Spa"))
        )
        self.assertRegistered(move, 100, 22, 122)

    def test_buyer_other_company(self):
        move = self.receive_and_register(
            InvoiceSpec(buyer=PartySpec(vat=None, fiscal_code="RSSMRA80A01H501U", name=None))
        )
        self.assertRefused(move, "not_for_company")

    def test_seller_is_company_as_seller_and_buyer(self):
        me = PartySpec(vat="IT07654321004", name="Cliente Spa")
        move = self.receive_and_register(InvoiceSpec(seller=me))
        self.assertRefused(move, "own_invoice")

    def test_not_for_company(self):
        move = self.receive_and_register(
            InvoiceSpec(buyer=PartySpec(vat="IT07643520567", name="Altra Srl"))
        )
        self.assertRefused(move, "not_for_company", "IT07643520567")

    def test_own_invoice(self):
        move = self.receive_and_register(
            InvoiceSpec(
                seller=PartySpec(vat="IT07654321004", name="Noi"),
                buyer=PartySpec(vat="IT07643520567", name="Cliente"),
            )
        )
        self.assertRefused(move, "own_invoice")

    def test_invoice_issued_by_the_buyer_is_not_a_supplier_bill(self):
        # pre-2021 self-invoices: TD01 whose SoggettoEmittente is CC (the
        # buyer issued it for the foreign supplier)
        xml = build_xml(
            InvoiceSpec(
                seller=PartySpec(
                    vat="FR12345678901", name="Fournisseur SA", country="FR", province=None
                )
            )
        )

        def change(root, find):
            header = find("FatturaElettronicaHeader")[0]
            sub(header, "SoggettoEmittente", "CC")

        move = self.receive_xml_and_register(edit_xml(xml, change))
        self.assertRefused(
            move, "self_invoice", "TD01", "SoggettoEmittente CC", "art. 34", "integration"
        )

    def test_own_invoice_by_fiscal_code(self):
        move = self.receive_and_register(
            InvoiceSpec(
                seller=PartySpec(vat=None, fiscal_code="07654321004", name="Noi"),
                buyer=PartySpec(vat="IT07643520567", name="Cliente"),
            )
        )
        self.assertRefused(move, "own_invoice")
