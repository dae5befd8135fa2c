"""Document types, and what the bill takes from the document's header.

A plain received e-invoice (TD01) becomes a posted, unpaid vendor bill with
the document's exact amounts; the run lists it.  Credit notes (TD04) and
negative invoices become refunds whatever the signs of their lines and
total, debit notes (TD05) invoices; self-invoices are never posted, an
unknown type is refused; simplified invoices (FSM10) register.  The bill's
accounting date (the document's or the receipt's) and the e-invoice's
attachments on the bill."""

from .common import (
    AttachmentSpec,
    AutoregCommon,
    D,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PartySpec,
    PaymentSpec,
    SimplifiedLineSpec,
    SimplifiedSpec,
    build_simplified_xml,
    date,
)
from .rule_cases import AdversarialCommon


class TestEngineBasic(AutoregCommon):
    def test_plain_invoice_registered(self):
        moves = self.receive(InvoiceSpec())
        self.assertEqual(len(moves), 1)
        move = moves
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.assertTrue(move.l10n_it_autoreg_received_date)
        self.assertEqual(move.move_type, "in_invoice")
        self.assertFalse(move.invoice_line_ids)
        self.assertIn("Fornitore Srl", move.l10n_it_autoreg_supplier_display)
        self.assertIn("IT01234567890", move.l10n_it_autoreg_supplier_display)
        self.assertTrue(move.l10n_it_autoreg_attachment_id)
        run = self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(run.recognized_move_ids, move)
        self.assertFalse(run.unrecognized_move_ids)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.date_end)
        self.assertEqual(move.partner_id.vat, "IT01234567890")
        self.assertEqual(move.partner_id.name, "Fornitore Srl")
        self.assertEqual(move.ref, "FT-2025-0001")
        self.assertEqual(move.invoice_date, date(2025, 1, 15))
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 22.0)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 122.0)])
        self.assertEqual(move.partner_bank_id.sanitized_acc_number, "IT60X0542811101000000123456")
        # the trace
        self.assertIn("Registered automatically", move.message_ids[0].body)

    def test_several_lines_and_rates(self):
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec("Carta", price_unit=D("12.345"), quantity=D("3")),
                    LineSpec("Libri", price_unit=D("40"), vat_rate=D("4")),
                    LineSpec("Pasti", price_unit=D("55.50"), quantity=D("2"), vat_rate=D("10")),
                ]
            )
        )
        # 37.04 @22 -> 8.15 ; 40 @4 -> 1.60 ; 111 @10 -> 11.10
        self.assertRegistered(move, D("188.04"), D("20.85"), D("208.89"))
        self.assertEqual(len(move.invoice_line_ids), 3)


class TestDocumentType(AutoregCommon):
    def test_credit_note_positive(self):
        move = self.receive_and_register(
            InvoiceSpec(document_type="TD04", lines=[LineSpec("Reso", price_unit=D("50"))])
        )
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")

    def test_credit_note_negative(self):
        move = self.receive_and_register(
            InvoiceSpec(document_type="TD04", lines=[LineSpec("Reso", price_unit=D("-50"))])
        )
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")

    def test_negative_invoice_is_refund(self):
        move = self.receive_and_register(
            InvoiceSpec(lines=[LineSpec("Storno", price_unit=D("-80"))])
        )
        self.assertRegistered(move, 80, D("17.60"), D("97.60"), move_type="in_refund")

    def test_debit_note_is_invoice(self):
        move = self.receive_and_register(InvoiceSpec(document_type="TD05"))
        self.assertRegistered(move, 100, 22, 122)

    def test_self_invoice_never_posted(self):
        move = self.receive_and_register(InvoiceSpec(document_type="TD17"))
        self.assertRefused(move, "self_invoice", "TD17")

    def test_attachments_become_bill_attachments(self):
        move = self.receive_and_register(
            InvoiceSpec(attachments=[AttachmentSpec(name="fattura_cortesia.pdf")])
        )
        self.assertRegistered(move, 100, 22, 122)
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
            .mapped("name")
        )
        self.assertIn("fattura_cortesia.pdf", names)

    def test_receipt_date_mode(self):
        self.company.l10n_it_autoreg_date_mode = "receipt"
        move = self.receive(InvoiceSpec(date=date(2025, 1, 15)))
        move.l10n_it_autoreg_received_date = "2025-02-03 10:00:00"
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_date, date(2025, 1, 15))
        self.assertEqual(move.date, date(2025, 2, 3))


class TestSignsAndTypes(AdversarialCommon):
    def test_invoice_with_negative_line(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("Storno acconto", price_unit=D("-20"))]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 80, D("17.60"), D("97.60"))

    def test_credit_note_negative_lines_positive_total(self):
        # lines and summary negative, ImportoTotaleDocumento written positive:
        # inconsistent signs; never a bill with the wrong sign
        spec = InvoiceSpec(
            document_type="TD04", lines=[LineSpec("Reso", price_unit=D("-50"))], total=D("61.00")
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 61.0)])

    def test_credit_note_positive_lines_negative_total(self):
        spec = InvoiceSpec(
            document_type="TD04", lines=[LineSpec("Reso", price_unit=D("50"))], total=D("-61.00")
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")

    def test_invoice_negative_lines_positive_total(self):
        # TD01: the sign decides invoice or credit note; contradictory signs
        # are not guessed
        spec = InvoiceSpec(lines=[LineSpec("Storno", price_unit=D("-50"))], total=D("61.00"))
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_credit_note_mixed_lines(self):
        spec = InvoiceSpec(
            document_type="TD04",
            lines=[
                LineSpec("Reso", price_unit=D("80")),
                LineSpec("Trattenuta", price_unit=D("-30")),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 61.0)])

    def test_credit_note_negative_with_installment(self):
        spec = InvoiceSpec(
            document_type="TD04",
            lines=[LineSpec("Reso", price_unit=D("-50"))],
            payments=[PaymentSpec(installments=[InstallmentSpec(due_date=date(2025, 3, 1))])],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 50, 11, 61, move_type="in_refund")
        self.assertEqual(self.payable_schedule(move), [(date(2025, 3, 1), 61.0)])

    def test_invoice_types_registered(self):
        for doc_type in ("TD02", "TD03", "TD05", "TD06", "TD24", "TD25"):
            with self.subTest(doc_type=doc_type):
                move = self.receive_and_register(
                    InvoiceSpec(document_type=doc_type, number="N-" + doc_type)
                )
                self.assertRegistered(move, 100, 22, 122)

    def test_self_invoices_never_posted(self):
        for doc_type in (
            "TD16",
            "TD17",
            "TD18",
            "TD19",
            "TD20",
            "TD21",
            "TD22",
            "TD23",
            "TD26",
            "TD27",
            "TD28",
            "TD29",
        ):
            with self.subTest(doc_type=doc_type):
                # the company as both seller and buyer (the usual self-invoice)
                me = PartySpec(vat="IT07654321004", name="Cliente Spa")
                move = self.receive_and_register(
                    InvoiceSpec(document_type=doc_type, number="AF-" + doc_type, seller=me)
                )
                self.assertRefused(move, "self_invoice", doc_type)
                move = self.receive_and_register(
                    InvoiceSpec(document_type=doc_type, number="AF2-" + doc_type)
                )
                self.assertRefused(move, "self_invoice", doc_type)

    def test_unknown_type(self):
        move = self.receive_and_register(InvoiceSpec(document_type="TD99"))
        self.assertRefused(move, "document_type_unknown", "TD99")

    def test_simplified_invoice(self):
        xml = build_simplified_xml(
            SimplifiedSpec(
                lines=[
                    SimplifiedLineSpec(amount=D("122.00"), vat_rate=D("22")),
                    SimplifiedLineSpec("Libri", amount=D("10.40"), vat_rate=D("4")),
                ]
            )
        )
        move = self.receive_xml_and_register(xml)
        self.assertRegistered(move, 110, D("22.40"), D("132.40"))
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 22.0, (4.0, None): 0.4})

    def test_simplified_credit_note(self):
        xml = build_simplified_xml(
            SimplifiedSpec(document_type="TD08", corrected_invoice=("FS-1", date(2025, 1, 2)))
        )
        move = self.receive_xml_and_register(xml)
        self.assertRegistered(move, 100, 22, 122, move_type="in_refund")

    def test_simplified_tax_only(self):
        # only Imposta: 18.03 on 100.00 is 22% of 81.97
        xml = build_simplified_xml(
            SimplifiedSpec(
                lines=[SimplifiedLineSpec(amount=D("100.00"), vat_rate=None, tax=D("18.03"))]
            )
        )
        move = self.receive_xml_and_register(xml)
        self.assertRegistered(move, D("81.97"), D("18.03"), 100)

    def test_simplified_tax_only_small_amount(self):
        # 1.80 on 10.00: the rate computed back is 21.95, not a real rate;
        # the VAT must stay 1.80 (never recomputed) or the bill not posted
        xml = build_simplified_xml(
            SimplifiedSpec(
                lines=[SimplifiedLineSpec(amount=D("10.00"), vat_rate=None, tax=D("1.80"))]
            )
        )
        move = self.receive_xml_and_register(xml)
        self.assertRefused(move, "tax_not_found", "21.95")
