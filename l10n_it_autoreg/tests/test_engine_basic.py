"""A plain received e-invoice becomes a posted, unpaid vendor bill with the
document's exact amounts; the run lists it."""

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, date


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
