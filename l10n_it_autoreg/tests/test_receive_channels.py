"""Receiving: every core channel gives one pending bill per invoice of the
file, keeps the file byte for byte, never makes a second bill for a file
received again, and never loses an unreadable file."""

import io
import zipfile
from unittest.mock import patch

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, build_file, build_xml


class TestReceive(AutoregCommon):
    def test_multi_body_file(self):
        data = build_xml(
            InvoiceSpec(number="A-1"),
            InvoiceSpec(number="A-2", lines=[LineSpec(price_unit=D("50"))]),
        )
        moves = self.receive_bytes(data)
        self.assertEqual(len(moves), 2)
        self.assertEqual(sorted(moves.mapped("ref")), ["A-1", "A-2"])
        self.assertEqual(sorted(moves.mapped("l10n_it_autoreg_body_index")), [0, 1])
        for move in moves:
            self.assertEqual(move.l10n_it_autoreg_attachment_id.raw, data)
        run = self.register(moves)
        self.assertEqual(run.recognized_move_ids, moves)
        by_ref = {m.ref: m for m in moves}
        self.assertRegistered(by_ref["A-1"], 100, 22, 122)
        self.assertRegistered(by_ref["A-2"], 50, 11, 61)

    def test_file_kept_byte_for_byte(self):
        data = build_file(InvoiceSpec(), envelope="p7m-ber")
        move = self.receive_bytes(data, self.next_name("xml.p7m"))
        self.assertEqual(move.l10n_it_autoreg_attachment_id.raw, data)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)

    def test_same_file_twice(self):
        data = build_xml(InvoiceSpec())
        first = self.receive_bytes(data, "IT01234567890_00001.xml")
        again = self.receive_bytes(data, "IT01234567890_00001.xml")
        self.assertEqual(again, first)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("l10n_it_autoreg_document_key", "=", first.l10n_it_autoreg_document_key)]
            ),
            1,
        )
        self.assertIn("received again", first.message_ids[0].body)

    def test_xml_then_p7m(self):
        xml = build_xml(InvoiceSpec())
        first = self.receive_bytes(xml, "IT01234567890_00002.xml")
        self.register(first)
        again = self.receive_bytes(
            build_file(InvoiceSpec(), envelope="p7m"), "IT01234567890_00002.xml.p7m"
        )
        self.assertEqual(again, first)
        self.assertEqual(first.state, "posted")

    def test_garbage_file(self):
        moves = self.receive_bytes(b"<FatturaElettronica><broken", "IT01234567890_00003.xml")
        self.assertEqual(len(moves), 1)
        self.assertRefused(moves, "unreadable")
        self.assertEqual(moves.l10n_it_autoreg_attachment_id.raw, b"<FatturaElettronica><broken")
        # the reason is the engine's (translated) sentence with the parser's
        # detail, not the reader's English sentence inside it
        self.assertIn("Couldn't find end of Start Tag", moves.l10n_it_autoreg_reason)
        self.assertNotIn("not well-formed XML", moves.l10n_it_autoreg_reason)
        # registering again keeps the reason, nothing crashes
        run = self.register(moves)
        self.assertEqual(run.unrecognized_move_ids, moves)
        self.assertRefused(moves, "unreadable")

    def test_zip_of_files(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("IT01234567890_Z0001.xml", build_xml(InvoiceSpec(number="Z-1")))
            archive.writestr(
                "IT01234567890_Z0002.xml.p7m", build_file(InvoiceSpec(number="Z-2"), envelope="p7m")
            )
            archive.writestr("IT01234567890_Z0001_MT_001.xml", b"<MetadatiInvioFile/>")
        moves = self.receive_bytes(buffer.getvalue(), "lotto.zip")
        self.assertEqual(sorted(moves.mapped("ref")), ["Z-1", "Z-2"])
        self.register(moves)
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)

    def test_sdi_cron_channel(self):
        """What core's _l10n_it_edi_process_downloads does with a file."""
        data = build_xml(InvoiceSpec(number="C-1"), InvoiceSpec(number="C-2"))

        def download(name):
            move = self.env["account.move"].with_company(self.company).create({})
            attachment = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": data,
                    "type": "binary",
                    "res_model": "account.move",
                    "res_id": move.id,
                    "res_field": "l10n_it_edi_attachment_file",
                }
            )
            move._extend_with_attachments(attachment, new=True)
            return move

        shell = download("IT01234567890_C0001.xml")
        moves = self.env["account.move"].search([("ref", "in", ("C-1", "C-2"))])
        self.assertEqual(len(moves), 2)
        self.assertIn(shell, moves)
        self.assertEqual(set(moves.mapped("l10n_it_autoreg_state")), {"pending"})
        self.assertEqual(set(moves.mapped("move_type")), {"in_invoice"})
        self.assertEqual(set(moves.mapped("journal_id.type")), {"purchase"})
        # the same document downloaded again under another name
        second = download("IT01234567890_C0002.xml")
        self.assertFalse(second.exists())
        self.assertEqual(self.env["account.move"].search_count([("ref", "in", ("C-1", "C-2"))]), 2)

    def test_mail_alias_channel(self):
        data = build_xml(InvoiceSpec(number="M-1"))
        Move = self.env["account.move"].with_context(
            default_move_type="in_invoice", default_journal_id=self.journal.id
        )
        custom = {
            "move_type": "in_invoice",
            "journal_id": self.journal.id,
            "company_id": self.company.id,
        }

        def deliver():
            msg = {
                "from": "fornitore@example.com",
                "subject": "Fattura",
                "body": "<p>x</p>",
                "attachments": [("IT01234567890_M0001.xml", data, {})],
            }
            move = Move.message_new(msg, custom)
            move.with_context(from_alias=True).message_post(
                body="mail", attachments=[("IT01234567890_M0001.xml", data)]
            )
            return move

        move = deliver()
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.assertEqual(move.ref, "M-1")
        self.assertFalse(move.invoice_line_ids)
        again = deliver()
        self.assertEqual(again, move)
        self.assertEqual(self.env["account.move"].search_count([("ref", "=", "M-1")]), 1)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)

    def test_not_an_invoice_left_to_core(self):
        attachment = self.env["ir.attachment"].create({"name": "nota.txt", "raw": b"hello"})
        moves = self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
        self.assertFalse(moves.l10n_it_autoreg_state)


class TestRegisterBatch(AutoregCommon):
    def test_one_failure_does_not_stop_the_others(self):
        good = self.receive(InvoiceSpec(number="G-1"))
        bad = self.receive(InvoiceSpec(number="B-1", total=D("500")))
        good2 = self.receive(InvoiceSpec(number="G-2"))
        run = self.register(good | bad | good2)
        self.assertEqual(run.recognized_move_ids, good | good2)
        self.assertEqual(run.unrecognized_move_ids, bad)
        self.assertRefused(bad, "totals_mismatch")
        self.assertRegistered(good2, 100, 22, 122)

    def test_unexpected_error_is_internal_error(self):
        moves = self.receive(InvoiceSpec(number="E-1")) | self.receive(InvoiceSpec(number="E-2"))
        engine_class = type(self.engine)
        original = engine_class._build_lines

        def broken(engine, invoice, *args, **kwargs):
            if invoice.number == "E-1":
                raise RuntimeError("boom")
            return original(engine, invoice, *args, **kwargs)

        with patch.object(engine_class, "_build_lines", broken):
            self.register(moves)
        by_ref = {m.ref: m for m in moves}
        self.assertRefused(by_ref["E-1"], "internal_error", "boom")
        self.assertRegistered(by_ref["E-2"], 100, 22, 122)

    def test_reader_defect_keeps_the_file_pending_as_internal_error(self):
        """A defect of the reader (not of the file) on one body: that
        document stays pending with internal_error and the file kept, the
        next file is received and registered."""
        from ..fatturapa import reader

        original = reader.BodyReader.line

        def broken(body_reader, node):
            if node.get("Descrizione") == "Guasto":
                raise KeyError("boom")
            return original(body_reader, node)

        bad_data = build_xml(InvoiceSpec(number="R-1", lines=[LineSpec("Guasto")]))
        with patch.object(reader.BodyReader, "line", broken):
            bad = self.receive_bytes(bad_data)
            good = self.receive(InvoiceSpec(number="R-2"))
        self.assertEqual(bad.l10n_it_autoreg_state, "unrecognized")
        self.assertEqual(bad.l10n_it_autoreg_reason_code, "internal_error")
        self.assertIn("KeyError", bad.l10n_it_autoreg_reason)
        self.assertEqual(bad.l10n_it_autoreg_attachment_id.raw, bad_data)
        self.register(good)
        self.assertRegistered(good, 100, 22, 122)

    def test_engine_returns_outcomes_and_writes_no_run(self):
        """The run is the only writer of runs: the engine says what it did."""
        Run = self.env["l10n_it_autoreg.run"]
        good, bad = (
            self.receive(InvoiceSpec(number="O-1")),
            self.receive(InvoiceSpec(number="O-2", total=D("500"))),
        )
        runs_before = Run.search_count([])
        result = self.engine.register(good | bad)
        self.assertEqual(
            (result.registered, result.refused, result.skipped),
            (good, bad, self.env["account.move"]),
        )
        self.assertEqual(Run.search_count([]), runs_before)

    def test_action_returns_the_run_it_made(self):
        move = self.receive(InvoiceSpec())
        run = move.action_l10n_it_autoreg_register()
        self.assertEqual(run._name, "l10n_it_autoreg.run")
        self.assertEqual(
            (run.state, run.trigger, run.recognized_move_ids), ("done", "manual", move)
        )

    def test_locked_documents_are_skipped(self):
        move = self.receive(InvoiceSpec())
        taken, busy = self.engine._lock(move.ids)
        self.assertEqual((taken, busy), (move.ids, []))
