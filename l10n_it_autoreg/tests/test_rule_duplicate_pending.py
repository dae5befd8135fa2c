"""Same supplier, number and fiscal year as another received document that
is still to register (issue 12).

A document whose twin (another received document of the same supplier with
the same number in the same fiscal year, another date or another file) is
still pending or not recognized is refused as ``duplicate``, naming the
other one and saying it is still to register: the accountant decides which
is the real bill (*Fill from e-invoice* is offered on it).  Two such
documents registered together: the first is registered, the second is the
duplicate of a bill, as before.  A bill is never its own duplicate, and the
same file received again still takes the repeat path of receiving."""
from odoo.tests import tagged

from .common import D, AutoregCommon, InvoiceSpec, LineSpec, PartySpec, build_xml, date

PENDING_REASON = (
    "Document %s of %s (file %s), of the same supplier with number %s in %s, was received too "
    "and is still to register: one of the two is a duplicate. Decide which one is the real "
    "bill, delete the other, then register the real one (again automatically, or by hand).")


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
        self.assertEqual(move.l10n_it_autoreg_reason, PENDING_REASON % (
            other.display_name, other.invoice_date.isoformat(),
            other.l10n_it_autoreg_attachment_id.name, number, 2025))
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
        first = self.receive(InvoiceSpec(number="FT-D1", date=date(2025, 1, 15),
                                         lines=[LineSpec(vat_rate=D("15.55"))]))
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
        other_supplier = self.receive(InvoiceSpec(
            number="FT-D2", date=date(2025, 1, 20),
            seller=PartySpec(vat="IT07643520567", name="Altro Fornitore Srl")))
        other_year = self.receive(InvoiceSpec(number="FT-D2", date=date(2024, 12, 20)))
        credit_note = self.receive(InvoiceSpec(number="FT-D2", date=date(2025, 1, 21),
                                               document_type="TD04"))
        self.register(other_supplier)
        self.register(other_year)
        self.register(credit_note)
        self.assertRegistered(other_supplier, 100, 22, 122)
        self.assertRegistered(other_year, 100, 22, 122)
        self.assertRegistered(credit_note, 100, 22, 122, move_type="in_refund")

    def test_vat_group_member_with_the_same_number_is_no_duplicate(self):
        group = "IT07643520567"
        self.receive(InvoiceSpec(number="100", date=date(2025, 1, 15), seller=PartySpec(
            vat=group, fiscal_code="11100000014", name="Gruppo IVA - A")))
        member = self.receive(InvoiceSpec(number="100", date=date(2025, 1, 20), seller=PartySpec(
            vat=group, fiscal_code="11100000022", name="Gruppo IVA - B")))
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
        moves = self.receive(InvoiceSpec(number="9"),
                             InvoiceSpec(number="9", date=date(2025, 1, 16)))
        first, second = moves.sorted("l10n_it_autoreg_body_index")
        self.register(second)
        self.assertDuplicateOfPending(second, first, number="9")
        self.register(moves)
        self.assertRegistered(first, 100, 22, 122)
        self.assertRefused(second, "duplicate", first.name)
        self.assertEqual(second.l10n_it_autoreg_duplicate_id, first)
