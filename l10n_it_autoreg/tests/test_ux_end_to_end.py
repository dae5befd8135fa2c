"""The orchestration with the real engine: e-invoices received on the
purchase journal, the preview that posts nothing, the cron that registers
what arrived after the activation."""

from datetime import timedelta

from odoo import fields

from .common import AutoregCommon, D, InvoiceSpec, LineSpec


class TestUxEndToEnd(AutoregCommon):
    # The scheduled action registers every pending document of the company
    # and receiving wakes it: companion documents would be counted.
    autoreg_twin_batch = False

    def _receive_two(self):
        good = self.receive(InvoiceSpec(number="FT-UX-1"))
        bad = self.receive(
            InvoiceSpec(
                number="FT-UX-2", lines=[LineSpec("Servizio", price_unit=D("100"), vat_rate=D("7"))]
            )
        )
        return good, bad

    def test_preview_then_cron(self):
        self.company.l10n_it_autoreg_enabled = True
        self.company.l10n_it_autoreg_enabled_since = fields.Datetime.now() - timedelta(minutes=5)
        good, bad = self._receive_two()
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        partners = self.env["res.partner"].search_count([])

        # the preview says what would happen, and nothing happens
        result = self.env["l10n_it_autoreg.preview"]._action_preview(good | bad)
        preview = self.env["l10n_it_autoreg.preview"].browse(result["res_id"])
        self.assertEqual(preview.register_line_ids.move_id, good)
        self.assertEqual(preview.skip_line_ids.move_id, bad)
        self.assertTrue(preview.skip_line_ids.reason)
        self.assertTrue(preview.skip_line_ids.reason_code)
        self.assertEqual(preview.register_line_ids.amount_total, 122.0)
        self.assertEqual(preview.register_line_ids.supplier, "Fornitore Srl")
        self.assertEqual((good | bad).mapped("state"), ["draft", "draft"])
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        self.assertEqual(
            self.env["res.partner"].search_count([]),
            partners,
            "the supplier the preview would create was rolled back",
        )

        # the cron registers them for real
        self.env["l10n_it_autoreg.run"]._cron_register(commit=False)
        run = self.env["l10n_it_autoreg.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertRecordValues(
            run,
            [
                {
                    "trigger": "cron",
                    "state": "done",
                    "outcome": "partial",
                    "recognized_count": 1,
                    "unrecognized_count": 1,
                }
            ],
        )
        self.assertRegistered(good, 100, 22, 122)
        self.assertEqual(bad.l10n_it_autoreg_state, "unrecognized")
        self.assertEqual(run.unrecognized_move_ids, bad)

    def test_cron_leaves_documents_received_before_activation(self):
        good, bad = self._receive_two()
        self.company.l10n_it_autoreg_enabled = True  # activated after they arrived
        self.company.l10n_it_autoreg_enabled_since = fields.Datetime.now() + timedelta(seconds=1)
        self.env["l10n_it_autoreg.run"]._cron_register(commit=False)
        self.assertEqual((good | bad).mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        action = self.env["l10n_it_autoreg.run"]._action_register_moves(good | bad)
        run = self.env["l10n_it_autoreg.run"].browse(action["res_id"])
        self.assertEqual(run.recognized_move_ids, good)
        self.assertEqual(run.unrecognized_move_ids, bad)
        self.assertEqual(good.state, "posted")

    def test_receiving_wakes_the_cron_only_when_enabled(self):
        cron = self.env.ref("l10n_it_autoreg.ir_cron_l10n_it_autoreg_register")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.receive(InvoiceSpec(number="FT-UX-OFF"))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        self.company.l10n_it_autoreg_enabled = True
        self.receive(InvoiceSpec(number="FT-UX-ON"))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
