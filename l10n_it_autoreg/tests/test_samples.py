"""Sample e-invoices received and registered end to end.

Every published sample of ../shared/fatturapa/samples, received and
registered by a company that is the file's buyer: a posted bill equal to the
document, or the expected reason.  Skipped when the folder is absent.

The demo e-invoices of demo/einvoices give the outcomes their README
promises (the lead's demo script receives them)."""

import contextlib
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg2

from odoo.exceptions import UserError, ValidationError

from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes

from .common import AutoregCommon

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "fatturapa" / "samples"
DEMO = Path(__file__).resolve().parents[1] / "demo" / "einvoices"

# file -> expected outcome of each invoice of the file: "registered" or a reason
EXPECTED = {
    "eigor_A10-Licenses-CreditNote.xml": ["not_for_company"],
    "eigor_A10-Licenses.xml": ["not_for_company"],
    "eigor_A4-Subscription.xml": ["not_for_company"],
    "eigor_IT01234567890_FPA01.xml": ["registered"],
    "eigor_IT01234567890_FPA02.xml": ["registered"],
    "eigor_con-bollo.xml": ["registered"],
    "eigor_con-ritenuta-acconto-e-cassa-previdenziale.xml": ["unreadable"],
    "eigor_fatt-pa-plain-vanilla.xml": ["registered"],
    "eigor_fattpa-creditnote.to-ublcn-working-example.xml": ["not_for_company"],
    "gobl_acube_test.xml": ["own_invoice"],
    "gobl_invoice-b2g.xml": ["registered"],
    "gobl_invoice-credit-note.xml": ["registered"],
    "gobl_invoice-despatch.xml": ["registered"],
    # its TC07 at AlCassa 0.00 states ImportoContributoCassa 50.00: inconsistent
    "gobl_invoice-fund-contribution-mixed-retention.xml": ["totals_mismatch"],
    "gobl_invoice-hotel-complex.xml": ["registered"],
    "gobl_invoice-hotel-private.xml": ["not_for_company"],
    "gobl_invoice-hotel.xml": ["registered"],
    # TC04 is configured (Inarcassa 4%); the withholding flags no line
    "gobl_invoice-irpef-no-flag.xml": ["registered"],  # withholding_inferred (issue 12)
    # withholding / pension fund taxes created from the document (issue 12): these
    # files' own figures do not add up, the verification refuses them
    "gobl_invoice-irpef.xml": ["totals_mismatch"],
    "gobl_invoice-reverse-charge.xml": ["not_for_company"],
    "gobl_invoice-services-period.xml": ["registered"],
    "gobl_invoice-simple-iban.xml": ["registered"],
    "gobl_invoice-simple-rounding.xml": ["registered"],
    "gobl_invoice-simple-with-pec.xml": ["registered"],
    "gobl_invoice-simple.xml": ["registered"],
    "gobl_invoice-windows1252.xml": ["registered"],
    "gobl_invoice-zero-price.xml": ["registered"],
    # ImportoPagamento 36.08 (the untaxed amount) vs 44.02 due: the figures
    # are verified, 44.02 due on the stated date, to review (schedule_adjusted)
    "net_IT01234567890_FPA02.xml": ["registered"],
    "net_IT01234567890_FPR02.xml": ["registered"],
    "net_IT01234567890_FSM10.xml": ["registered"],
    "net_IT02182030391_31.Base64.CRLF.xml.p7m": ["registered"],
    "net_IT02182030391_31.Base64.xml.p7m": ["registered"],
    "net_IT02182030391_31.xml.p7m": ["registered"],
    "net_IT02182030391_31_tampered.Base64.xml.p7m": ["registered"],
    "net_IT02182030391_31_tampered.xml.p7m": ["registered"],
    "net_IT02182030391_32.windows-1252.xml": ["totals_mismatch", "totals_mismatch"],
    "net_IT02182030391_32.xml": ["totals_mismatch", "totals_mismatch"],
    "official_IT01234567890_FPA01.xml": ["registered"],
    "official_IT01234567890_FPA02.xml": ["registered"],
    "official_IT01234567890_FPA03.xml": ["registered", "registered"],
    "official_IT01234567890_FPR01.xml": ["registered"],
    "official_IT01234567890_FPR02.xml": ["totals_mismatch"],
    "official_IT01234567890_FPR03.xml": ["totals_mismatch", "registered"],
    "php_ESEMPIO_FT_SEMPL.xml": ["registered"],
    "php_ESEMPIO_FT_SEMPL_2.xml": ["registered"],
    "php_ESEMPIO_NDC_SEMPL.xml": ["tax_not_found"],
    "php_ESEMPIO_TD24.xml": ["registered"],
    "php_IT00484960588_ERKHK.xml.p7m": ["registered"],
    "php_IT01234567890_11001.xml": ["registered"],
    "php_IT01234567890_11001_entity.xml": ["registered"],
    "php_IT01234567890_11001_multi_ritenute.xml": ["totals_mismatch"],
    "php_IT01234567890_11001_payment_details.xml": ["totals_mismatch"],
    "php_IT01234567890_11001_reso.xml": ["registered"],
    "php_IT01234567890_11001_slash.xml": ["registered"],
    "php_IT01234567890_11001_spazi.xml": ["registered"],
    "php_IT01234567890_11002.xml": ["registered"],
    "php_IT01234567890_21101.xml": ["registered"],
    "php_IT01234567890_Attachment.xml": ["registered"],
    "php_IT01234567890_FPR02.xml": ["registered"],
    # 22% rows both split payment (S) and not (I/D)
    "php_IT01234567899_000sq.xml": ["totals_mismatch"],
    "php_invalid.xml.p7m": ["registered"],
}


class _Rollback(Exception):
    pass


class SampleRegistrationCase(AutoregCommon):
    """A company that becomes the buyer of each file it receives and
    registers (the machinery of this test and of acceptance_registration)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(cls.company)
        cls.split_payment_tax = cls.make_split_payment_tax(cls)

    def _as_buyer(self, invoice):
        buyer = invoice.buyer
        vals = {}
        if buyer.vat and buyer.vat.startswith("IT"):
            vals["vat"] = buyer.vat
        else:
            vals["vat"] = False
        vals["l10n_it_codice_fiscale"] = buyer.fiscal_code or (
            buyer.vat[2:] if buyer.vat and buyer.vat.startswith("IT") else False
        )
        if not vals["vat"] and not vals["l10n_it_codice_fiscale"]:
            return
        try:
            with self.env.cr.savepoint():
                self.company.partner_id.with_context(no_vat_validation=True).write(vals)
        except (UserError, ValidationError):
            # sample buyers often have a fiscal code Odoo refuses (09876543210):
            # store it as the file says, the engine compares the strings
            # not even the database may take it (a code under 11
            # characters): then the company stays another buyer
            with contextlib.suppress(psycopg2.Error), self.env.cr.savepoint():
                self._store_buyer_codes(vals)
            self.env.invalidate_all()

    def _store_buyer_codes(self, vals):
        self.env.cr.execute(
            "UPDATE res_partner SET vat = %s, l10n_it_codice_fiscale = %s WHERE id = %s",
            [
                vals["vat"] or None,
                vals["l10n_it_codice_fiscale"] or None,
                self.company.partner_id.id,
            ],
        )
        if (
            "l10n_it_codice_fiscale" in self.env["res.company"]._fields
            and self.env["res.company"]._fields["l10n_it_codice_fiscale"].store
        ):
            self.env.cr.execute(
                "UPDATE res_company SET l10n_it_codice_fiscale = %s WHERE id = %s",
                [vals["l10n_it_codice_fiscale"] or None, self.company.id],
            )

    def _sample_outcome(self, path):
        data = path.read_bytes()
        result = read_bytes(data, path.name)
        if result.ok:
            self._as_buyer(result.invoices[0])
        moves = self.receive_bytes(data, path.name)
        self.register(moves)
        outcomes = []
        for move in moves.sorted("l10n_it_autoreg_body_index"):
            if move.l10n_it_autoreg_state == "registered":
                invoice = result.invoices[move.l10n_it_autoreg_body_index]
                self._check_amounts(move, invoice)
                outcomes.append("registered")
            elif not move.l10n_it_autoreg_state:
                # not an e-invoice (SdI notification...): Odoo's plain draft
                outcomes.append("left_to_odoo")
            else:
                outcomes.append(move.l10n_it_autoreg_reason_code)
                if os.environ.get("AUTOREG_PRINT_SAMPLES"):
                    print(f"REASON {path.name}: {move.l10n_it_autoreg_reason}")  # pylint: disable=print-used
        if result.ok and len(result.invoices) > len(moves.filtered("l10n_it_autoreg_state")):
            # bodies repeating another of the file: received as that one
            outcomes += ["repeated_in_file"] * (
                len(result.invoices) - len(moves.filtered("l10n_it_autoreg_state"))
            )
        return outcomes, moves

    def _check_amounts(self, move, invoice):
        """The posted bill equals the document: VAT per the summary, amount
        due = total - withholdings - split payment VAT."""
        sign = (
            -1 if (invoice.total if invoice.total is not None else invoice.amount_total) < 0 else 1
        )
        split = sum((r.tax for r in invoice.vat_summary if r.due == "S"), Decimal(0))
        rc = any((r.vat_nature or "").startswith("N6") for r in invoice.vat_summary)
        withholding = sum((w.amount for w in invoice.withholdings), Decimal(0))
        if not any(w.type == "RT04" for w in invoice.withholdings):
            # ENASARCO written in the lines' AltriDatiGestionali (CASSA-PREV)
            withholding += sum(
                (
                    abs(data.number)
                    for line in invoice.lines
                    for data in line.other_data
                    if data.type.upper() == "CASSA-PREV"
                    and data.number
                    and "ENASARCO" in (data.text or "").upper()
                ),
                Decimal(0),
            )
        total = invoice.total if invoice.total is not None else invoice.amount_total
        if withholding and total + withholding == invoice.amount_total:
            # ImportoTotaleDocumento written as the amount to pay: the
            # document's total is its VAT summary's
            total = invoice.amount_total
        due = (total - withholding - split) * sign
        self.assertAlmostEqual(move.amount_total, float(due), places=2)
        if not rc:
            self.assertAlmostEqual(
                -move.l10n_it_amount_vat_signed * (1 if move.move_type == "in_invoice" else -1)
                if move.move_type == "in_invoice"
                else move.l10n_it_amount_vat_signed,
                float((invoice.amount_tax - split) * sign),
                places=2,
            )
        # (Odoo marks a bill of nothing due as paid when posting it.)
        self.assertEqual(move.payment_state, "not_paid" if due else "paid")


class TestSamples(SampleRegistrationCase):
    def test_samples(self):
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        actual = {}
        for path in sorted(SAMPLES.iterdir()):
            if path.suffix not in (".xml", ".p7m"):
                continue
            with contextlib.suppress(_Rollback), self.env.cr.savepoint():
                outcomes, _moves = self._sample_outcome(path)
                actual[path.name] = outcomes
                raise _Rollback
        if os.environ.get("AUTOREG_PRINT_SAMPLES"):
            for name, outcomes in actual.items():
                print(f"SAMPLE {name!r}: {outcomes!r},")  # pylint: disable=print-used
        wrong = {
            name: (EXPECTED.get(name), outcomes)
            for name, outcomes in actual.items()
            if EXPECTED.get(name) != outcomes
        }
        self.assertFalse(wrong, "expected vs actual outcomes")


DEMO_EXPECTED = {
    "IT02100000013_A0001.xml": [("registered", 275.72)],
    "IT02100000021_A0002.xml": [("registered", None)],
    "IT02100000039_A0003.xml": [("registered", 875.0)],
    "IT02100000047_A0004.xml": [("registered", 4800.0)],
    "IT02100000054_A0005.xml": [("registered", 1591.2)],
    "IT02100000062_A0006.xml": [("registered", 640.0)],
    "IT02100000070_A0007.xml": [("registered", None), ("registered", None)],
    "IT02100000013_A0008.xml": [("registered", 122.02)],
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
        for name in sorted(DEMO_EXPECTED):  # A* before B*
            moves_by_file[name] = self.receive_bytes((DEMO / name).read_bytes(), name)
        all_moves = self.env["account.move"].union(*moves_by_file.values())
        self.register(all_moves)
        for name, expected in DEMO_EXPECTED.items():
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
        # the supplier's rounding and installments that do not add up: to review
        a8 = moves_by_file["IT02100000013_A0008.xml"]
        self.assertEqual(
            sorted(a8.l10n_it_autoreg_review_codes.split()),
            ["rounding_added", "schedule_adjusted"],
        )
        self.assertEqual(self.payable_schedule(a8), [(date(2025, 4, 23), 122.02)])
        a7 = moves_by_file["IT02100000070_A0007.xml"]
        self.assertEqual(sorted(a7.mapped("move_type")), ["in_invoice", "in_refund"])
