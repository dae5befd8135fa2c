"""The demo e-invoices of demo/einvoices give the outcomes their README
promises (the lead's demo script receives them)."""

from pathlib import Path

from .common import AutoregCommon

DEMO = Path(__file__).resolve().parents[1] / "demo" / "einvoices"
EXPECTED = {
    "IT02100000013_A0001.xml": [("registered", 275.72)],
    "IT02100000021_A0002.xml": [("registered", None)],
    "IT02100000039_A0003.xml": [("registered", 875.0)],
    "IT02100000047_A0004.xml": [("registered", 4800.0)],
    "IT02100000054_A0005.xml": [("registered", 1591.2)],
    "IT02100000062_A0006.xml": [("registered", 640.0)],
    "IT02100000070_A0007.xml": [("registered", None), ("registered", None)],
    "IT02100000088_B0001.xml": [("tax_not_found", None)],
    "IT02100000088_B0002.xml": [("totals_mismatch", None)],
    "IT02100000013_B0003.xml": [("duplicate", None)],
    "IT07643520567_B0004.xml": [("self_invoice", None)],
    "IT02100000088_B0005.xml": [("unreadable", None)],
}


class TestDemoFiles(AutoregCommon):
    def test_demo_files(self):
        self.company.partner_id.write(
            {"vat": "IT07643520567", "l10n_it_codice_fiscale": "07643520567"}
        )
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        self.make_split_payment_tax()
        moves_by_file = {}
        for name in sorted(EXPECTED):  # A* before B*
            moves_by_file[name] = self.receive_bytes((DEMO / name).read_bytes(), name)
        all_moves = self.env["account.move"].union(*moves_by_file.values())
        self.register(all_moves)
        for name, expected in EXPECTED.items():
            moves = moves_by_file[name].sorted("l10n_it_autoreg_body_index")
            self.assertEqual(len(moves), len(expected), name)
            for move, (outcome, due) in zip(moves, expected, strict=False):
                got = (
                    "registered"
                    if move.l10n_it_autoreg_state == "registered"
                    else move.l10n_it_autoreg_reason_code
                )
                self.assertEqual(got, outcome, f"{name}: {move.l10n_it_autoreg_reason}")
                if due is not None:
                    self.assertAlmostEqual(move.amount_total, due, places=2, msg=name)
        a2 = moves_by_file["IT02100000021_A0002.xml"]
        self.assertEqual(len(self.payable_schedule(a2)), 3)
        a7 = moves_by_file["IT02100000070_A0007.xml"]
        self.assertEqual(sorted(a7.mapped("move_type")), ["in_invoice", "in_refund"])
