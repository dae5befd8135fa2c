"""Registering a batch: each document has its own outcome, and the run is
the only writer of runs.

A document refused, or failing on an unexpected error (internal_error,
also a defect of the reader), or locked by another process, never stops
the others; the engine returns the outcomes and writes no run, the action
returns the run it made.  When writing a document's outcome, or its
failure, fails (a trigger of the real database refusing a row), the batch
goes on, nothing is lost, the transaction stays usable."""

from decimal import Decimal
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

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


@tagged("post_install_l10n", "post_install", "-at_install")
class TestRecordingFailures(AutoregCommon):
    """Writing the outcome of a document fails -- here a trigger of the real
    database refuses the row, as a constraint of another addon, a full disk
    or a lost lock would: the other documents of the batch go on, the
    document keeps a state it can be registered from (nothing half written,
    nothing lost), and the transaction is usable afterwards (never left in
    InFailedSqlTransaction)."""

    # the batch itself is the point (the trigger on given rows): no companions
    autoreg_twin_batch = False

    def refuse(self, table, event, condition):
        """Until the end of the test (its transaction is rolled back), the
        database refuses the rows of ``table`` (``event``: INSERT, UPDATE)
        for which ``condition`` (an SQL on NEW) holds."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION autoreg_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation';
            END $$;
            CREATE TRIGGER autoreg_test_refuse BEFORE %s ON %s FOR EACH ROW WHEN (%s)
                EXECUTE FUNCTION autoreg_test_refuse()""",
                SQL(event),
                SQL.identifier(table),
                condition,
            )
        )

    def three(self, middle):
        """A valid document, ``middle``, a valid one (one supplier)."""
        return (
            self.receive(InvoiceSpec(number="W-1")),
            self.receive(middle),
            self.receive(InvoiceSpec(number="W-3")),
        )

    def register_failing(self, moves):
        with mute_logger(
            "odoo.sql_db",
            "odoo.addons.l10n_it_autoreg.models.l10n_it_autoreg_run",
            "odoo.addons.l10n_it_autoreg.models.l10n_it_autoreg_engine",
        ):
            run = moves.action_l10n_it_autoreg_register()
        self.env.cr.execute("SELECT 1")  # not InFailedSqlTransaction
        self.env.flush_all()
        self.env.invalidate_all()
        return run

    def assertLeftPending(self, run, move):
        self.assertEqual(
            (move.state, move.l10n_it_autoreg_state, move.l10n_it_autoreg_reason_code),
            ("draft", "pending", False),
        )
        self.assertFalse(move.line_ids, "nothing half written")
        self.assertNotIn(move, run.move_ids | run.recognized_move_ids | run.unrecognized_move_ids)
        self.assertIn(move.display_name, run.error_message)
        self.assertEqual((run.state, run.outcome), ("done", "partial"))

    def again(self, move):
        """The trigger gone, the document registers as if nothing happened."""
        self.env.cr.execute("DROP TRIGGER autoreg_test_refuse ON account_move")
        return move.action_l10n_it_autoreg_register()

    def test_refusal_that_cannot_be_written(self):
        good, bad, other = self.three(
            InvoiceSpec(number="W-2", lines=[LineSpec(vat_rate=Decimal("13.13"))])
        )
        self.refuse(
            "account_move",
            "UPDATE",
            SQL("NEW.id = %s AND NEW.l10n_it_autoreg_state = 'unrecognized'", bad.id),
        )
        run = self.register_failing(good | bad | other)
        self.assertRegistered(good, 100, 22, 122)
        self.assertRegistered(other, 100, 22, 122)
        self.assertEqual(run.recognized_move_ids, good | other)
        # the refusal, then the internal_error of recording it, both refused
        self.assertLeftPending(run, bad)
        self.assertIn("CheckViolation", run.error_message)
        self.again(bad)
        self.assertRefused(bad, "tax_not_found")

    def test_outcome_that_cannot_be_written(self):
        good, bad, other = self.three(InvoiceSpec(number="W-4"))
        self.refuse(
            "account_move",
            "UPDATE",
            SQL(
                "NEW.id = %s AND NEW.l10n_it_autoreg_state IN ('registered', 'unrecognized')",
                bad.id,
            ),
        )
        run = self.register_failing(good | bad | other)
        self.assertRegistered(good, 100, 22, 122)
        self.assertRegistered(other, 100, 22, 122)
        self.assertEqual(run.recognized_move_ids, good | other)
        self.assertLeftPending(run, bad)  # not posted: its posting was rolled back
        self.again(bad)
        self.assertRegistered(bad, 100, 22, 122)

    def test_count_of_the_run_that_cannot_be_written(self):
        good, bad, other = self.three(InvoiceSpec(number="W-5"))
        self.refuse("l10n_it_autoreg_run_recognized_rel", "INSERT", SQL("NEW.move_id = %s", bad.id))
        run = self.register_failing(good | bad | other)
        self.assertRegistered(good, 100, 22, 122)
        self.assertRegistered(other, 100, 22, 122)
        # never posted without being counted: rolled back, recorded as an error
        self.assertRefused(bad, "internal_error", "CheckViolation")
        self.assertFalse(bad.line_ids)
        self.assertEqual(run.recognized_move_ids, good | other)
        self.assertEqual(run.unrecognized_move_ids, bad)
        self.assertEqual((run.state, run.outcome), ("done", "partial"))
