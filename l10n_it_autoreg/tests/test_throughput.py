"""Throughput without shortcuts: a received file is read once in its life
(the registration takes what the read at receipt gave), a 3,000-line
e-invoice is registered line by line with its exact figures, documents
received together are made in one go.  Times are benchmark figures
(scripts/bench_end_to_end.py), never asserted here."""

import datetime as dt
import io
import zipfile
from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.l10n_it_autoreg import read_cache

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, build_xml


@contextmanager
def reads_counted():
    """{file name: times the reader read it} while inside (a spy on the
    reader: it still reads)."""
    counts = {}
    real = read_cache.fatturapa.read_bytes

    def spy(data, filename=None, **kwargs):
        counts[filename] = counts.get(filename, 0) + 1
        return real(data, filename, **kwargs)

    with patch.object(read_cache.fatturapa, "read_bytes", spy):
        yield counts


def large_spec(count):
    """A supplier's long e-invoice: ``count`` lines at 22%, 10% and 4% and
    exempt N4 ones, quantities of 1 to 5 at unit prices in cents."""
    rates = [(D("22"), None), (D("10"), None), (D("4"), None), (D("0"), "N4")]
    lines = []
    for k in range(count):
        rate, nature = rates[k % len(rates)]
        lines.append(
            LineSpec(
                "Articolo %05d - fornitura periodica" % (k + 1),
                price_unit=D("%d.%02d" % (1 + k % 97, (k * 37) % 100)),
                quantity=D(1 + k % 5),
                vat_rate=rate,
                nature=nature,
            )
        )
    return InvoiceSpec(number="GRANDE-2025-1", date=dt.date(2025, 3, 31), lines=lines)


class TestThroughput(AutoregCommon):
    def setUp(self):
        super().setUp()
        # another process: nothing read before this test
        read_cache.READ_CACHE.clear()

    def test_each_file_read_once_in_its_life(self):
        """Receipt reads each file once (a file of two bodies, a ZIP of two
        files: three reads); their registration reads none of them."""
        two_bodies = build_xml(InvoiceSpec(number="L-1"), InvoiceSpec(number="L-2"))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("IT01234567890_L0003.xml", build_xml(InvoiceSpec(number="L-3")))
            archive.writestr("IT01234567890_L0004.xml", build_xml(InvoiceSpec(number="L-4")))
        names = {"IT01234567890_L0001.xml", "IT01234567890_L0003.xml", "IT01234567890_L0004.xml"}
        with reads_counted() as counts:
            moves = self.receive_bytes(two_bodies, "IT01234567890_L0001.xml")
            moves |= self.receive_bytes(buffer.getvalue(), "lotto.zip")
            received = {name: n for name, n in counts.items() if name in names}
            self.assertEqual(received, dict.fromkeys(names, 1))
            # alone (not in a batch with companions: their files are read too)
            self.register(moves, twin=False)
            self.assertEqual({name: n for name, n in counts.items() if name in names}, received)
        self.assertEqual(sorted(moves.mapped("ref")), ["L-1", "L-2", "L-3", "L-4"])
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)

    def test_registration_in_another_process_reads_the_file(self):
        """Registered by a process that did not receive it (the cache of
        this one emptied): the file is read from its attachment, same
        outcome."""
        moves = self.receive_bytes(
            build_xml(
                InvoiceSpec(number="P-1"),
                InvoiceSpec(number="P-2", lines=[LineSpec(price_unit=D("50"))]),
            ),
            "IT01234567890_P0001.xml",
        )
        read_cache.READ_CACHE.clear()
        with reads_counted() as counts:
            self.register(moves, twin=False)
        self.assertEqual(counts.get("IT01234567890_P0001.xml"), 1)
        by_ref = {m.ref: m for m in moves}
        self.assertRegistered(by_ref["P-1"], 100, 22, 122)
        self.assertRegistered(by_ref["P-2"], 50, 11, 61)

    def test_unreadable_file_is_not_kept(self):
        """An unreadable file's result is not kept: read again when it is
        registered (a reader defect must not outlive its fix)."""
        name = "IT01234567890_P0003.xml"
        with reads_counted() as counts:
            move = self.receive_bytes(b"<FatturaElettronica><rotto", name)
            self.register(move, twin=False)
        self.assertEqual(counts[name], 2)
        self.assertRefused(move, "unreadable")

    def test_documents_received_together_are_made_together(self):
        """Fifty files in one upload: fifty pending bills, each with its own
        file attachment (byte for byte) and a note carrying it, in a bounded
        number of queries per file."""
        files = [build_xml(InvoiceSpec(number="B-%02d" % n)) for n in range(50)]
        attachments = self.env["ir.attachment"].create(
            [{"name": "IT01234567890_B%04d.xml" % n, "raw": data} for n, data in enumerate(files)]
        )
        self.env.flush_all()
        queries = self.cr.sql_log_count
        moves = self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachments.ids)
        self.env.flush_all()
        per_file = (self.cr.sql_log_count - queries) / len(files)
        self.assertEqual(len(moves), 50)
        self.assertEqual(set(moves.mapped("l10n_it_autoreg_state")), {"pending"})
        self.assertEqual(len(moves.l10n_it_autoreg_attachment_id), 50)
        for move, data in zip(moves.sorted("ref"), files, strict=True):
            self.assertEqual(move.l10n_it_autoreg_attachment_id.raw, data)
            self.assertEqual(move.l10n_it_autoreg_attachment_id.res_id, move.id)
            self.assertIn(move.l10n_it_autoreg_attachment_id, move.message_ids.attachment_ids)
        # one by one it took ≈ 20 queries per file
        self.assertLess(per_file, 8)

    def test_three_thousand_lines_registered_line_by_line(self):
        """A 3,000-line e-invoice (0.7 MB) at full detail level: 3,000
        lines on the bill, the VAT of each rate and the total of the
        document to the cent."""
        spec = large_spec(3000)
        move = self.receive(spec)
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.register(move)
        self.assertRegistered(move, spec.amount_untaxed(), spec.amount_tax(), spec.document_total())
        self.assertEqual(len(move.invoice_line_ids), 3000)
        self.assertEqual(move.invoice_line_ids[:1].name, "Articolo 00001 - fornitura periodica")
        by_rate = {}
        for line in move.line_ids.filtered(lambda ml: ml.display_type == "tax"):
            rate = line.tax_line_id.amount
            by_rate[rate] = by_rate.get(rate, 0) + line.balance
        expected = {float(row.vat_rate): float(row.tax) for row in spec.summary_rows() if row.tax}
        self.assertEqual(set(by_rate), set(expected))
        for rate, tax in expected.items():
            self.assertAlmostEqual(by_rate[rate], tax, places=2)
        self.assertEqual(
            self.payable_schedule(move),
            [(dt.date(2025, 4, 30), round(float(spec.amount_due()), 2))],
        )

    def test_batch_refused_by_the_unique_key_is_received_one_by_one(self):
        """When the database refuses one bill of a batch (another
        transaction received that document after the look-up), the batch
        is rolled back and received document by document: the other
        documents are made, the repeat noted on the existing bill."""
        first = self.receive(InvoiceSpec(number="K-1"))
        Move = type(self.env["account.move"])
        real = Move._l10n_it_autoreg_identify

        def blind(move_model, docs, moves, company):
            # the look-up did not see the bill (not yet committed elsewhere)
            entries, _existing = real(move_model, docs, moves, company)
            return entries, {}

        again = build_xml(InvoiceSpec(number="K-1"))
        other = build_xml(InvoiceSpec(number="K-2"))
        attachments = self.env["ir.attachment"].create(
            [
                {"name": "IT01234567890_K0001.xml", "raw": again},
                {"name": "IT01234567890_K0002.xml", "raw": other},
            ]
        )
        count = self.env["ir.attachment"].search_count([])
        with patch.object(Move, "_l10n_it_autoreg_identify", blind):
            moves = self.journal.with_context(
                default_move_type="in_invoice"
            )._create_document_from_attachment(attachments.ids)
        self.assertIn(first, moves)
        made = moves - first
        self.assertEqual(made.mapped("ref"), ["K-2"])
        self.assertEqual(made.l10n_it_autoreg_attachment_id.raw, other)
        self.assertEqual(self.env["account.move"].search_count([("ref", "=", "K-1")]), 1)
        self.assertIn("received again", first.message_ids[0].body)
        # no attachment left behind by the rolled back batch
        self.assertEqual(self.env["ir.attachment"].search_count([]), count)
        self.register(made)
        self.assertRegistered(made, 100, 22, 122)

    def test_core_never_decodes_the_files_the_addon_receives(self):
        """Upload, the SdI download's empty move, the mail alias: core's
        FatturaPA decoding (ir.attachment's l10n_it_edi decoder, the move's
        import) never runs on an e-invoice the addon receives; a file that
        is no e-invoice is still core's."""
        Attachment = type(self.env["ir.attachment"])
        Move = type(self.env["account.move"])
        calls = []

        def spy(cls, name):
            real = getattr(cls, name)

            def wrapper(records, *args, **kwargs):
                calls.append(name)
                return real(records, *args, **kwargs)

            return patch.object(cls, name, wrapper)

        data = build_xml(InvoiceSpec(number="D-1"))
        with spy(Attachment, "_decode_edi_l10n_it_edi"), spy(Move, "_l10n_it_edi_import_invoice"):
            upload = self.receive_bytes(data, "IT01234567890_D0001.xml")
            # the SdI download: an empty move with the file, then extended
            move = self.env["account.move"].with_company(self.company).create({})
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "IT01234567890_D0002.xml",
                    "raw": build_xml(InvoiceSpec(number="D-2")),
                    "res_model": "account.move",
                    "res_id": move.id,
                    "res_field": "l10n_it_edi_attachment_file",
                }
            )
            move._extend_with_attachments(attachment, new=True)
            # the purchase journal's mail alias
            Alias = self.env["account.move"].with_context(
                default_move_type="in_invoice", default_journal_id=self.journal.id
            )
            mailed = Alias.message_new(
                {
                    "from": "fornitore@example.com",
                    "subject": "Fattura",
                    "body": "<p>x</p>",
                    "attachments": [
                        ("IT01234567890_D0003.xml", build_xml(InvoiceSpec(number="D-3")), {})
                    ],
                },
                {
                    "move_type": "in_invoice",
                    "journal_id": self.journal.id,
                    "company_id": self.company.id,
                },
            )
            mailed.with_context(from_alias=True).message_post(
                body="mail",
                attachments=[("IT01234567890_D0003.xml", build_xml(InvoiceSpec(number="D-3")))],
            )
        self.assertEqual(calls, [])
        received = self.env["account.move"].search([("ref", "in", ("D-1", "D-2", "D-3"))])
        self.assertEqual(sorted(received.mapped("ref")), ["D-1", "D-2", "D-3"])
        self.assertEqual(set(received.mapped("l10n_it_autoreg_state")), {"pending"})
        self.assertIn(upload, received)
        # a PDF is left to core (its own decoders, no e-invoice bill)
        pdf = self.env["ir.attachment"].create(
            {"name": "preventivo.pdf", "raw": b"%PDF-1.4\n%%EOF\n"}
        )
        other = self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(pdf.ids)
        self.assertFalse(other.l10n_it_autoreg_state)
