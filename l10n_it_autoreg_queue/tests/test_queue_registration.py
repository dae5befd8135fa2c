"""Registration through OCA queue_job, on the real engine and database.

Jobs are performed in the test's transaction as queue_job's controller
performs them (``perform_jobs``: started, performed, done, the jobs
depending on it enqueued; a RetryableJobError postpones it, pending again,
its work rolled back), or trapped (``trap_jobs``) to check what is enqueued.
Jobs are switched on by the system parameter (``always``): the test server
runs no job runner."""

import io
import os
from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

import polib

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.translate import trans_export

from odoo.addons.l10n_it_autoreg.tests.common import AutoregCommon, InvoiceSpec, LineSpec
from odoo.addons.l10n_it_autoreg_queue.models.l10n_it_autoreg_run import (
    CHANNEL,
    USE_JOBS_PARAM,
)
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

RUN_MODULE = "odoo.addons.l10n_it_autoreg.models.l10n_it_autoreg_run"
I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestQueueRegistration(AutoregCommon):
    # the jobs and their chunks are the point: no companion documents
    autoreg_twin_batch = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["l10n_it_autoreg.run"]
        cls.env["ir.config_parameter"].sudo().set_param(USE_JOBS_PARAM, "always")
        cls.billing = new_test_user(
            cls.env,
            login="autoreg_queue_billing",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice",
        )

    def setUp(self):
        super().setUp()
        self.notified = []
        bus = patch.object(
            self.env.registry["res.users"],
            "_bus_send",
            lambda users, kind, payload: kind == "l10n_it_autoreg/run_done"
            and self.notified.append((users, kind, payload)),
        )
        bus.start()
        self.addCleanup(bus.stop)

    # -- helpers ---------------------------------------------------------
    def _enable(self):
        self.company.write(
            {
                "l10n_it_autoreg_enabled": True,
                "l10n_it_autoreg_enabled_since": fields.Datetime.now() - timedelta(days=1),
            }
        )

    def documents(self, count, prefix="Q", bad=()):
        """``count`` received e-invoices of one supplier, 100 + 22% VAT each;
        the numbers in ``bad`` have a rate no tax matches (13.13%)."""
        moves = self.env["account.move"]
        for i in range(1, count + 1):
            number = f"{prefix}-{i}"
            rate = Decimal("13.13") if i in bad else Decimal("22.00")
            moves |= self.receive(InvoiceSpec(number=number, lines=[LineSpec(vat_rate=rate)]))
        return moves

    def jobs(self, states=None):
        domain = [("channel", "=", CHANNEL)]
        if states:
            domain.append(("state", "in", states))
        return self.env["queue.job"].sudo().search(domain, order="id")

    def perform_jobs(self, limit=None):
        """Perform the pending jobs of the channel, oldest first, as
        queue_job's controller does, until none is pending (or ``limit``
        jobs were performed); returns the number performed."""
        performed = 0
        while limit is None or performed < limit:
            record = self.jobs(["pending"])[:1]
            if not record:
                break
            performed += 1
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            try:
                with self.env.cr.savepoint():
                    job.perform()
                    self.env.flush_all()
            except RetryableJobError as error:
                job.postpone(result=str(error), seconds=error.seconds)
                job.set_pending(reset_retry=False)
                job.store()
                continue
            finally:
                self.env.invalidate_all()
            job.set_done()
            job.store()
            self.env.flush_all()
            job.enqueue_waiting()
        return performed

    def bills_posted(self, moves):
        """Number of posted vendor bills per document reference."""
        bills = self.env["account.move"].search(
            [("ref", "in", moves.mapped("ref")), ("state", "=", "posted")]
        )
        refs = moves.mapped("ref")
        return {ref: len(bills.filtered(lambda b, r=ref: b.ref == r)) for ref in refs}

    def chunks_of(self, jobs):
        """The documents of each registration job (its chunk argument)."""
        return [job.args[0].move_ids for job in jobs if job.method_name == "_queue_register_chunk"]

    # -- when jobs are used -------------------------------------------------
    def test_jobs_used_only_with_a_runner_or_when_asked(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param(USE_JOBS_PARAM, "auto")
        with patch("odoo.conf.server_wide_modules", ["base", "web"]):
            self.assertFalse(self.Run._queue_enabled(), "no runner in this server")
        with patch("odoo.conf.server_wide_modules", ["base", "web", "queue_job"]):
            self.assertTrue(self.Run._queue_enabled())
        ICP.set_param(USE_JOBS_PARAM, "never")
        with patch("odoo.conf.server_wide_modules", ["base", "web", "queue_job"]):
            self.assertFalse(self.Run._queue_enabled())
        ICP.set_param(USE_JOBS_PARAM, "always")
        self.assertTrue(self.Run._queue_enabled())

    def test_without_jobs_the_cron_registers_itself(self):
        self.env["ir.config_parameter"].sudo().set_param(USE_JOBS_PARAM, "never")
        self._enable()
        moves = self.documents(3)
        self.Run._cron_register(commit=False)
        self.assertFalse(self.jobs())
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertRecordValues(run, [{"state": "done", "recognized_count": 3}])

    # -- the scheduled action -------------------------------------------------
    def test_cron_enqueues_one_job_per_chunk(self):
        self._enable()
        moves = self.documents(5, bad=(4,))
        with (
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_job_size", 2),
            trap_jobs() as trap,
        ):
            self.Run._cron_register(commit=False)
            run = self.Run.search([("company_id", "=", self.company.id)])
            self.assertRecordValues(run, [{"trigger": "cron", "state": "running"}])
            register = run._queue_register_chunk
            trap.assert_jobs_count(3, only=register)
            trap.assert_jobs_count(1, only=run._queue_finish)
            chunks = run.sudo().chunk_ids
            self.assertEqual([len(c.move_ids) for c in chunks], [2, 2, 1])
            self.assertEqual(chunks.move_ids, moves)
            for chunk in chunks:
                trap.assert_enqueued_job(
                    register,
                    args=(chunk,),
                    properties={
                        "channel": CHANNEL,
                        "identity_key": chunk._identity_key(),
                        "max_retries": 5,
                    },
                )
            status = self.Run.get_to_register_status()
            self.assertTrue(status["running"], "Processing documents…")
            self.assertEqual(status["remaining"], 5)
            self.assertFalse(self.notified)
            trap.perform_enqueued_jobs()
        moves.invalidate_recordset()
        for move in moves - moves[3]:
            self.assertRegistered(move, 100, 22, 122)
        self.assertRefused(moves[3], "tax_not_found", "13.13")
        self.assertRecordValues(
            run,
            [
                {
                    "state": "done",
                    "outcome": "partial",
                    "recognized_count": 4,
                    "unrecognized_count": 1,
                    "busy_count": 0,
                    "left_count": 0,
                }
            ],
        )
        self.assertEqual(run.recognized_move_ids, moves - moves[3])
        self.assertEqual(run.move_ids, moves)
        self.assertEqual(run.sudo().chunk_ids.mapped("state"), ["counted"] * 3)
        self.assertFalse(self.Run.get_to_register_status()["running"])
        # the accounting managers are told, once
        self.assertTrue(self.notified)
        self.assertEqual({n[2]["run_id"] for n in self.notified}, {run.id})

    def test_cron_run_of_a_company_switched_off_meanwhile(self):
        self._enable()
        moves = self.documents(2)
        self.Run._cron_register(commit=False)
        self.company.l10n_it_autoreg_enabled = False
        self.perform_jobs()
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertRecordValues(run, [{"state": "done", "recognized_count": 0}])
        self.assertFalse(run.move_ids, "documents not processed leave the run")
        self.assertEqual(moves.mapped("l10n_it_autoreg_state"), ["pending", "pending"])

    # -- the server action --------------------------------------------------
    def test_large_selection_enqueued_as_the_user(self):
        moves = self.documents(5, bad=(2,))
        Run = self.Run.with_user(self.billing)
        with (
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_sync_limit", 2),
            patch.object(self.env.registry["l10n_it_autoreg.run"], "_job_size", 2),
        ):
            result = Run._action_register_moves(moves.with_user(self.billing))
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["title"], "Processing documents…")
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertRecordValues(
            run, [{"trigger": "manual", "state": "running", "user_id": self.billing.id}]
        )
        jobs = self.jobs()
        self.assertEqual(sorted(jobs.mapped("state")), ["pending"] * 3 + ["wait_dependencies"])
        self.assertEqual(jobs.user_id, self.billing, "the jobs run as the user")
        self.assertEqual(Run.get_to_register_status()["remaining"], 5)
        self.perform_jobs(limit=1)
        done = self.chunks_of(self.jobs(["done"]))[0]
        self.assertEqual(Run.get_to_register_status()["remaining"], 5 - len(done), "one job done")
        self.assertEqual(run.state, "running")
        self.perform_jobs()
        self.assertEqual(self.jobs().mapped("state"), ["done"] * 4)
        moves.invalidate_recordset()
        self.assertRefused(moves[1], "tax_not_found")
        for move in moves - moves[1]:
            self.assertRegistered(move, 100, 22, 122)
        self.assertRecordValues(
            run,
            [
                {
                    "state": "done",
                    "recognized_count": 4,
                    "unrecognized_count": 1,
                    "outcome": "partial",
                }
            ],
        )
        self.assertEqual(run.unrecognized_move_ids, moves[1])
        # the user is told the outcome, once
        self.assertEqual([(n[0], n[2]["run_id"]) for n in self.notified], [(self.billing, run.id)])
        self.assertEqual(self.notified[0][2]["title"], "Some registrations failed")
        self.assertFalse(Run.get_to_register_status()["running"])

    def test_small_selection_registered_at_once(self):
        moves = self.documents(2)
        result = self.Run._action_register_moves(moves)
        self.assertEqual(result["target"], "new", "the outcome dialog, as without jobs")
        self.assertFalse(self.jobs())
        run = self.Run.browse(result["res_id"])
        self.assertRecordValues(run, [{"state": "done", "recognized_count": 2}])

    # -- identity keys: no document in two jobs, none registered twice --------
    def test_no_document_in_two_jobs(self):
        self._enable()
        moves = self.documents(7)
        with patch.object(self.env.registry["l10n_it_autoreg.run"], "_job_size", 3):
            self.Run._cron_register(commit=False)
            # received meanwhile: added to the same run, in a job of its own
            later = self.documents(2, prefix="L")
            self.Run._cron_register(commit=False)
            self.Run._cron_register(commit=False)
        jobs = self.jobs()
        chunks = self.chunks_of(jobs)
        self.assertEqual(sorted(len(c) for c in chunks), [1, 2, 3, 3])
        every = [m for chunk in chunks for m in chunk.ids]
        self.assertEqual(sorted(every), sorted((moves | later).ids), "each document once")
        self.assertEqual(len(set(jobs.mapped("identity_key")) - {False}), 4)
        self.perform_jobs()
        run = self.Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertRecordValues(run, [{"state": "done", "recognized_count": 9}])
        self.assertEqual(set(self.bills_posted(moves | later).values()), {1})

    def test_same_documents_waiting_in_a_job_are_not_enqueued_again(self):
        """Another run takes documents a job is about to register (two
        processes that chose them at the same moment): the identity key
        finds the waiting job, nothing is enqueued, the second run says
        another process is registering them; each is registered once."""
        moves = self.documents(3)
        first = self.Run._create_run(self.company, moves)
        first._queue_runs()
        second = self.Run._create_run(self.company, moves)
        second._queue_runs()
        self.assertEqual(len(self.jobs()), 2, "one registration job, one ending the run")
        self.assertRecordValues(second, [{"state": "done", "busy_count": 3, "recognized_count": 0}])
        self.assertIn("being registered by another process", second.note)
        self.perform_jobs()
        self.assertRecordValues(first, [{"state": "done", "recognized_count": 3}])
        self.assertEqual(set(self.bills_posted(moves).values()), {1})

    def test_two_jobs_on_the_same_documents_register_them_once(self):
        """Jobs with the same documents both run (the first was already
        started when the second was enqueued): the engine's locks and the
        run's checks register each document once, counted by one run."""
        moves = self.documents(3)
        first = self.Run._create_run(self.company, moves)
        first._queue_runs()
        self.jobs().filtered(lambda j: j.method_name == "_queue_register_chunk").state = "started"
        second = self.Run._create_run(self.company, moves)
        second._queue_runs()
        self.jobs(["started"]).state = "pending"
        self.perform_jobs()
        self.assertEqual(self.jobs().mapped("state"), ["done"] * 4)
        self.assertEqual(set(self.bills_posted(moves).values()), {1})
        self.assertEqual(first.recognized_move_ids, moves)
        self.assertRecordValues(
            second, [{"state": "done", "recognized_count": 0, "unrecognized_count": 0}]
        )
        self.assertFalse(second.move_ids, "already registered: they left the second run")

    # -- retry on serialization failures -------------------------------------
    def fail_posting(self, times):
        """The database refuses, ``times`` times, to post a bill with a
        serialization failure (SQLSTATE 40001), as PostgreSQL does when
        another transaction changed the row first; the count survives the
        rollbacks (a sequence)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            CREATE SEQUENCE autoreg_queue_test_failures;
            CREATE FUNCTION autoreg_queue_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('autoreg_queue_test_failures') <= %s THEN
                    RAISE EXCEPTION 'could not serialize access due to concurrent update'
                        USING ERRCODE = 'serialization_failure';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER autoreg_queue_test_fail BEFORE UPDATE ON account_move FOR EACH ROW
                WHEN (NEW.state = 'posted' AND OLD.state = 'draft')
                EXECUTE FUNCTION autoreg_queue_test_fail()
            """,
                times,
            )
        )

    def test_serialization_failure_retried(self):
        moves = self.documents(2)
        run = self.Run._create_run(self.company, moves)
        run._queue_runs()
        self.fail_posting(2)
        with mute_logger(RUN_MODULE, "odoo.sql_db"):
            self.perform_jobs()
        job = self.jobs().filtered(lambda j: j.method_name == "_queue_register_chunk")
        self.assertRecordValues(job, [{"state": "done", "retry": 3}])
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(set(self.bills_posted(moves).values()), {1})
        self.assertRecordValues(
            run, [{"state": "done", "outcome": "success", "recognized_count": 2, "left_count": 0}]
        )

    def test_serialization_failure_every_try_leaves_the_documents(self):
        moves = self.documents(2)
        run = self.Run._create_run(self.company, moves)
        run._queue_runs()
        self.fail_posting(1000)
        with mute_logger(
            RUN_MODULE, "odoo.sql_db", "odoo.addons.l10n_it_autoreg.models.l10n_it_autoreg_run_cron"
        ):
            self.perform_jobs()
        job = self.jobs().filtered(lambda j: j.method_name == "_queue_register_chunk")
        self.assertRecordValues(job, [{"state": "done", "retry": 5}])
        self.assertEqual(moves.mapped("state"), ["draft", "draft"])
        self.assertEqual(moves.mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        self.assertFalse(any(moves.mapped("l10n_it_autoreg_reason_code")), "never internal_error")
        self.assertRecordValues(
            run, [{"state": "done", "outcome": "partial", "recognized_count": 0, "left_count": 2}]
        )
        self.assertIn("2 documents were not registered", run.note)

    # -- a job that does not end -----------------------------------------------
    def test_cancelled_job_leaves_its_documents(self):
        moves = self.documents(4)
        run = self.Run._create_run(self.company, moves)
        with patch.object(self.env.registry["l10n_it_autoreg.run"], "_job_size", 2):
            run._queue_runs()
        self.perform_jobs(limit=1)
        cancelled = self.jobs(["pending"]).filtered(
            lambda j: j.method_name == "_queue_register_chunk"
        )
        cancelled.button_cancelled()
        self.perform_jobs()
        self.assertEqual(run.state, "running", "the job ending the run waits for the other")
        with mute_logger("odoo.addons.l10n_it_autoreg_queue.models.l10n_it_autoreg_run"):
            self.Run._cron_register(commit=False)
        self.assertRecordValues(
            run, [{"state": "done", "recognized_count": 2, "outcome": "partial"}]
        )
        left = self.chunks_of(cancelled)[0]
        self.assertEqual(left.mapped("l10n_it_autoreg_state"), ["pending", "pending"])
        self.assertIn("did not end", run.error_message)
        self.assertFalse(run.move_ids & left)


@tagged("post_install", "-at_install")
class TestQueueI18n(TransactionCase):
    """The glue speaks Italian too: its it.po covers every term it has."""

    def test_po_covers_the_module(self):
        buf = io.BytesIO()
        trans_export(False, ["l10n_it_autoreg_queue"], buf, "po", self.env.cr)
        template = polib.pofile(buf.getvalue().decode())
        po = polib.pofile(os.path.join(I18N, "it.po"))
        translated = {e.msgid for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
        missing = [e.msgid for e in template if e.msgid not in translated]
        self.assertFalse(missing, "terms missing from l10n_it_autoreg_queue/i18n/it.po")

    def test_job_description_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_it_autoreg", "l10n_it_autoreg_queue"], ["it_IT"], overwrite=True
        )
        it = self.env(context={"lang": "it_IT"})
        self.assertEqual(
            it._("%(run)s: register %(count)s e-invoices", run="R", count=3),
            "R: registra 3 fatture elettroniche",
        )
