"""Receiving: every core channel gives one pending bill per invoice of the
file, keeps the file byte for byte, never makes a second bill for a file
received again, and never loses an unreadable file."""

from unittest.mock import patch

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, build_xml


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
