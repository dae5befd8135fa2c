"""Duplicates: a document is never posted twice.

The identity of a supplier's document is its supplier (VAT number, and the
fiscal code inside a VAT group), number (whatever its spacing and case),
type family and fiscal year: a second document with it, in the same batch
or file or later, against a bill typed by hand (posted or draft, on an
archived contact) or one registered then reset to draft, is refused as
duplicate; the same number of another supplier, year or type is not.  The
same document in another envelope is the same bill.  A document whose twin
(same supplier, number and fiscal year; another date or file) is still
pending or not recognized is refused as ``duplicate`` naming the other one:
the accountant decides which is the real bill."""

from odoo import Command
from odoo.tests import tagged

from .common import (
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
    PartySpec,
    build_xml,
    date,
)
from .rule_cases import AdversarialCommon


class TestDuplicates(AdversarialCommon):
    def test_same_number_two_suppliers(self):
        m1 = self.receive_and_register(InvoiceSpec(number="1"))
        m2 = self.receive_and_register(
            InvoiceSpec(number="1", seller=PartySpec(vat="IT07643520567", name="Altro Fornitore"))
        )
        self.assertRegistered(m1, 100, 22, 122)
        self.assertRegistered(m2, 100, 22, 122)

    def test_same_number_other_year(self):
        m1 = self.receive_and_register(InvoiceSpec(number="1", date=date(2024, 3, 1)))
        m2 = self.receive_and_register(InvoiceSpec(number="1", date=date(2025, 3, 1)))
        self.assertRegistered(m1, 100, 22, 122)
        self.assertRegistered(m2, 100, 22, 122)

    def test_same_number_same_year_other_date(self):
        m1 = self.receive_and_register(InvoiceSpec(number="7", date=date(2025, 3, 1)))
        m2 = self.receive_and_register(InvoiceSpec(number="7", date=date(2025, 3, 2)))
        self.assertRegistered(m1, 100, 22, 122)
        self.assertRefused(m2, "duplicate", m1.display_name)

    def test_same_number_spacing_and_case(self):
        m1 = self.receive_and_register(InvoiceSpec(number="ft 12/A", date=date(2025, 3, 1)))
        m2 = self.receive_and_register(InvoiceSpec(number="FT12/a", date=date(2025, 3, 2)))
        self.assertRegistered(m1, 100, 22, 122)
        self.assertRefused(m2, "duplicate")

    def test_same_document_other_envelope_one_bill(self):
        spec = InvoiceSpec(number="55")
        m1 = self.receive_and_register(spec)
        again = self.receive_bytes(build_xml(spec, prefix="ns2"), filename="IT01234567890_0ZZ.xml")
        self.assertEqual(again, m1)
        self.assertRegistered(m1, 100, 22, 122)

    def test_against_bill_typed_by_hand(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore Srl", "vat": "IT01234567890", "is_company": True})
        )
        manual = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "ref": "FT-2025-0009",
                "invoice_date": date(2025, 1, 20),
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 100})],
            }
        )
        manual.action_post()
        move = self.receive_and_register(InvoiceSpec(number="FT-2025-0009"))
        self.assertRefused(move, "duplicate", "FT-2025-0009")

    def test_against_bill_on_archived_contact(self):
        # the supplier's old contact (same VAT) was archived: the e-invoice
        # makes a new supplier, the bill typed on the old one still counts
        old = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore (vecchio)", "vat": "IT01234567890", "is_company": True})
        )
        manual = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": old.id,
                "ref": "FT-2025-0011",
                "invoice_date": date(2025, 1, 20),
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 100})],
            }
        )
        manual.action_post()
        old.active = False
        move = self.receive_and_register(InvoiceSpec(number="FT-2025-0011"))
        self.assertRefused(move, "duplicate", "FT-2025-0011")

    def test_vat_group_same_number_not_duplicate(self):
        Partner = self.env["res.partner"].with_context(no_vat_validation=True)
        a = Partner.create(
            {
                "name": "Gruppo IVA - A",
                "vat": "IT07643520567",
                "l10n_it_codice_fiscale": "11100000014",
                "is_company": True,
            }
        )
        manual = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": a.id,
                "ref": "100",
                "invoice_date": date(2025, 1, 20),
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 100})],
            }
        )
        manual.action_post()
        move = self.receive_and_register(
            InvoiceSpec(
                number="100",
                seller=PartySpec(
                    vat="IT07643520567", fiscal_code="11100000022", name="Gruppo IVA - B"
                ),
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertNotEqual(move.partner_id, a)

    def test_against_draft_typed_by_hand(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore Srl", "vat": "IT01234567890", "is_company": True})
        )
        self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "ref": "FT-2025-0010",
                "invoice_date": date(2025, 1, 20),
            }
        )
        move = self.receive_and_register(InvoiceSpec(number="FT-2025-0010"))
        self.assertRefused(move, "duplicate", "FT-2025-0010")

    def test_two_bodies_same_number(self):
        moves = self.receive(
            InvoiceSpec(number="9"), InvoiceSpec(number="9", date=date(2025, 1, 16))
        )
        self.register(moves)
        states = sorted(moves.mapped("l10n_it_autoreg_state"))
        self.assertEqual(states, ["registered", "unrecognized"])
        self.assertEqual(
            moves.filtered(
                lambda m: m.l10n_it_autoreg_state == "unrecognized"
            ).l10n_it_autoreg_reason_code,
            "duplicate",
        )

    def test_multi_body_second_bad(self):
        moves = self.receive(InvoiceSpec(number="B1"), InvoiceSpec(number="B2", total=D("999")))
        self.register(moves)
        first, second = moves.sorted("l10n_it_autoreg_body_index")
        self.assertRegistered(first, 100, 22, 122)
        self.assertRefused(second, "totals_mismatch", "999.00")

    def test_credit_note_same_number_as_invoice(self):
        m1 = self.receive_and_register(InvoiceSpec(number="5"))
        m2 = self.receive_and_register(InvoiceSpec(number="5", document_type="TD04"))
        self.assertRegistered(m1, 100, 22, 122)
        self.assertRegistered(m2, 100, 22, 122, move_type="in_refund")

    def test_registered_then_reset_to_draft_and_received_again(self):
        m1 = self.receive_and_register(InvoiceSpec(number="77"))
        m1.button_draft()
        m1.l10n_it_autoreg_document_key = False  # as if received on another channel before
        m2 = self.receive_and_register(InvoiceSpec(number="77", date=date(2025, 1, 16)))
        self.assertRefused(m2, "duplicate")

    def test_fiscal_year_date(self):
        # registered with the document date; a duplicate check in the
        # document's fiscal year even with the receipt date mode
        self.company.l10n_it_autoreg_date_mode = "receipt"
        m1 = self.receive(InvoiceSpec(number="Y1", date=date(2024, 12, 30)))
        m1.l10n_it_autoreg_received_date = "2025-01-03 10:00:00"
        self.register(m1)
        self.assertRegistered(m1, 100, 22, 122)
        m2 = self.receive_and_register(InvoiceSpec(number="Y1", date=date(2024, 12, 31)))
        self.assertRefused(m2, "duplicate")

    def test_duplicate_of_existing_bill(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore", "vat": "IT01234567890"})
        )
        manual = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "ref": "FT-2025-0001",
                "invoice_date": "2025-01-20",
                "invoice_line_ids": [(0, 0, {"name": "x", "price_unit": 100})],
            }
        )
        move = self.receive_and_register(InvoiceSpec())
        self.assertRefused(move, "duplicate", manual.display_name)

    def test_registered_twice_in_one_run(self):
        # the same document received with different identities (other date)
        first = self.receive(InvoiceSpec(number="D-1"))
        second = self.receive(InvoiceSpec(number="D-1", date=InvoiceSpec().date.replace(day=16)))
        self.register(first | second)
        self.assertRegistered(first, 100, 22, 122)
        self.assertRefused(second, "duplicate")


PENDING_REASON = (
    "Document %s of %s (file %s), of the same supplier with number %s in %s, was received too "
    "and is still to register: one of the two is a duplicate. Decide which one is the real "
    "bill, delete the other, then register the real one (again automatically, or by hand)."
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestDuplicateOfPendingDocument(AutoregCommon):
    def twins(self, number="FT-D1", **first):
        """Two received documents of the same supplier and number, dated
        2025-01-15 and 2025-01-20 (two identities, two bills), pending."""
        one = self.receive(InvoiceSpec(number=number, date=date(2025, 1, 15), **first))
        two = self.receive(InvoiceSpec(number=number, date=date(2025, 1, 20)))
        self.assertNotEqual(one, two)
        self.assertEqual((one | two).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        return one, two

    def assertDuplicateOfPending(self, move, other, number="FT-D1"):
        self.assertRefused(move, "duplicate")
        self.assertEqual(
            move.l10n_it_autoreg_reason,
            PENDING_REASON
            % (
                other.display_name,
                other.invoice_date.isoformat(),
                other.l10n_it_autoreg_attachment_id.name,
                number,
                2025,
            ),
        )
        self.assertTrue(other.l10n_it_autoreg_attachment_id.name.endswith(".xml"))
        self.assertEqual(move.l10n_it_autoreg_duplicate_id, other)

    def test_twin_pending_outside_the_registration_refuses_it(self):
        first, second = self.twins()
        self.register(second)
        self.assertDuplicateOfPending(second, first)
        self.assertIn("Draft", second.l10n_it_autoreg_reason)
        # the other one is untouched, still to register
        self.assertEqual(first.l10n_it_autoreg_state, "pending")
        self.assertEqual(first.state, "draft")
        self.assertFalse(first.line_ids)

    def test_twin_not_recognized_refuses_it_and_the_accountant_decides(self):
        first = self.receive(
            InvoiceSpec(
                number="FT-D1", date=date(2025, 1, 15), lines=[LineSpec(vat_rate=D("15.55"))]
            )
        )
        self.register(first)
        self.assertRefused(first, "tax_not_found", "15.55")
        second = self.receive(InvoiceSpec(number="FT-D1", date=date(2025, 1, 20)))
        self.register(second)
        self.assertDuplicateOfPending(second, first)
        # registered again, the first one now meets the second, refused too:
        # neither is posted until the accountant decides
        self.register(first)
        self.assertDuplicateOfPending(first, second)
        self.assertEqual(first.l10n_it_autoreg_duplicate_id, second)

    def test_registered_together_the_first_registers_the_second_is_its_duplicate(self):
        first, second = self.twins()
        self.register(first | second)
        self.assertRegistered(first, 100, 22, 122)
        self.assertRefused(second, "duplicate", first.name, "FT-D1", "2025")
        self.assertNotIn("still to register", second.l10n_it_autoreg_reason)
        self.assertEqual(second.l10n_it_autoreg_duplicate_id, first)
        # a duplicate of a registered bill is not filled from its e-invoice
        self.assertFalse(second.l10n_it_autoreg_can_fill)

    def test_fill_from_einvoice_offered_while_the_other_is_still_to_register(self):
        first, second = self.twins()
        self.register(second)
        self.assertDuplicateOfPending(second, first)
        self.assertTrue(second.l10n_it_autoreg_can_fill)
        self.assertFalse(first.l10n_it_autoreg_can_fill)  # pending: not refused yet
        second.action_l10n_it_autoreg_fill_from_einvoice()
        self.assertEqual(second.invoice_line_ids.mapped("price_subtotal"), [100.0])
        self.assertEqual(second.l10n_it_autoreg_reason_code, "duplicate")
        self.assertFalse(second.l10n_it_autoreg_can_fill)  # filled already

    def test_the_other_deleted_the_document_registers(self):
        first, second = self.twins()
        self.register(second)
        self.assertDuplicateOfPending(second, first)
        first.unlink()
        self.assertFalse(second.l10n_it_autoreg_duplicate_id)
        self.assertFalse(second.l10n_it_autoreg_can_fill)
        self.register(second)
        self.assertRegistered(second, 100, 22, 122)
        self.assertFalse(second.l10n_it_autoreg_duplicate_id)

    def test_other_supplier_year_or_type_is_no_duplicate(self):
        self.receive(InvoiceSpec(number="FT-D2", date=date(2025, 1, 15)))
        other_supplier = self.receive(
            InvoiceSpec(
                number="FT-D2",
                date=date(2025, 1, 20),
                seller=PartySpec(vat="IT07643520567", name="Altro Fornitore Srl"),
            )
        )
        other_year = self.receive(InvoiceSpec(number="FT-D2", date=date(2024, 12, 20)))
        credit_note = self.receive(
            InvoiceSpec(number="FT-D2", date=date(2025, 1, 21), document_type="TD04")
        )
        self.register(other_supplier)
        self.register(other_year)
        self.register(credit_note)
        self.assertRegistered(other_supplier, 100, 22, 122)
        self.assertRegistered(other_year, 100, 22, 122)
        self.assertRegistered(credit_note, 100, 22, 122, move_type="in_refund")

    def test_vat_group_member_with_the_same_number_is_no_duplicate(self):
        group = "IT07643520567"
        self.receive(
            InvoiceSpec(
                number="100",
                date=date(2025, 1, 15),
                seller=PartySpec(vat=group, fiscal_code="11100000014", name="Gruppo IVA - A"),
            )
        )
        member = self.receive(
            InvoiceSpec(
                number="100",
                date=date(2025, 1, 20),
                seller=PartySpec(vat=group, fiscal_code="11100000022", name="Gruppo IVA - B"),
            )
        )
        self.register(member)
        self.assertRegistered(member, 100, 22, 122)

    def test_same_file_again_takes_the_repeat_path_and_is_not_its_own_duplicate(self):
        data = build_xml(InvoiceSpec(number="FT-D3"))
        move = self.receive_bytes(data)
        again = self.receive_bytes(data, filename="IT01234567890_AGAIN.xml")
        self.assertEqual(again, move)
        self.assertIn("received again", " ".join(move.message_ids.mapped("body")))
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertFalse(move.l10n_it_autoreg_duplicate_id)

    def test_two_bodies_of_one_file_registered_together(self):
        moves = self.receive(
            InvoiceSpec(number="9"), InvoiceSpec(number="9", date=date(2025, 1, 16))
        )
        first, second = moves.sorted("l10n_it_autoreg_body_index")
        self.register(second)
        self.assertDuplicateOfPending(second, first, number="9")
        self.register(moves)
        self.assertRegistered(first, 100, 22, 122)
        self.assertRefused(second, "duplicate", first.name)
        self.assertEqual(second.l10n_it_autoreg_duplicate_id, first)
