"""Registration runs handed to OCA queue_job: the documents of a run in
chunks, one job each on the channel ``root.l10n_it_autoreg`` (as many at
once as the channel's capacity: several workers, several Odoo servers on one
database), then one job, when they are all done, that counts their outcomes
in the run and ends it.

Used by the scheduled action and by "Register automatically" on a selection
larger than the run's ``_sync_limit`` (a smaller one is registered at once,
outcome dialog, as without queue_job), when jobs are in use
(``_queue_enabled``); otherwise everything goes as without this module."""

import logging

import odoo
from odoo import api, fields, models
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE

from odoo.addons.l10n_it_autoreg.db_errors import is_concurrency_error, short_error
from odoo.addons.l10n_it_autoreg.engine_state import CHUNK_SIZE
from odoo.addons.l10n_it_autoreg.models.l10n_it_autoreg_run import CRON_TIME_BUDGET
from odoo.addons.queue_job import jobrunner
from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

_logger = logging.getLogger(__name__)

CHANNEL = "root.l10n_it_autoreg"
# Documents per job: one chunk of the engine, which it posts together at its
# end.  A job holds the numbers of the bills it posted until it commits, and
# a job posting in the same number sequence (journal, month) waits for it:
# with one chunk per job that is only the end of the job (measured on 50
# bills: posting 15% of the time, writing the bills 69%).
JOB_SIZE = CHUNK_SIZE
# System parameter: "auto" (default: jobs when this Odoo server runs
# queue_job's job runner), "always" (the runner runs elsewhere), "never".
USE_JOBS_PARAM = "l10n_it_autoreg_queue.use_jobs"
# queue.job states of a job that will run or is running (a job waiting for
# others, wait_dependencies, runs only if they end)
RUNNING_JOB_STATES = ("pending", "enqueued", "started")
# context key: the chunk a job is registering (its outcome goes there)
CHUNK_KEY = "l10n_it_autoreg_queue_chunk"


class L10nItAutoregRun(models.Model):
    _inherit = "l10n_it_autoreg.run"

    # Documents handed to one job
    _job_size = JOB_SIZE

    chunk_ids = fields.One2many(
        "l10n_it_autoreg.run.chunk",
        "run_id",
        string="Jobs",
        readonly=True,
        groups="base.group_system",
    )

    # ------------------------------------------------------------------
    # When jobs are used
    # ------------------------------------------------------------------
    @api.model
    def _queue_enabled(self):
        """Jobs are used: system parameter ``l10n_it_autoreg_queue.use_jobs``
        ``always``; or ``auto`` (default) and this Odoo server runs queue_job's
        job runner (``queue_job`` in its server-wide modules, root channel not
        at 0).  Without a runner, jobs would wait forever: a database where
        queue_job is installed for another module but no runner is
        configured registers as without it."""
        mode = self.env["ir.config_parameter"].sudo().get_param(USE_JOBS_PARAM, "auto")
        if mode in ("always", "never"):
            return mode == "always"
        runner_enabled = getattr(jobrunner, "_is_runner_enabled", lambda: True)
        return "queue_job" in odoo.conf.server_wide_modules and runner_enabled()

    # ------------------------------------------------------------------
    # Entry points: scheduled action, large selections
    # ------------------------------------------------------------------
    @api.model
    def _cron_register(self, time_budget=CRON_TIME_BUDGET, commit=True):
        """With jobs: the documents the scheduled action takes, and those of
        every run in progress not yet handed to a job, are handed to jobs
        (the cron itself registers nothing)."""
        self._queue_close_stalled()
        if not self._queue_enabled():
            return super()._cron_register(time_budget=time_budget, commit=commit)
        self._cron_enqueue()
        self.sudo().search([("state", "=", "running")])._queue_runs()
        if commit:
            self._commit()

    def _process_later(self):
        if not self._queue_enabled():
            return super()._process_later()
        self._queue_runs()

    @api.model
    def _running_runs(self):
        """Runs with jobs still to be counted are the jobs' business."""
        runs = super()._running_runs()
        return runs.filtered(lambda r: all(c.state == "counted" for c in r.sudo().chunk_ids))

    @api.depends("move_ids", "recognized_move_ids", "unrecognized_move_ids")
    def _compute_remaining_count(self):
        """Documents of the jobs already done count as done."""
        res = super()._compute_remaining_count()
        for run in self:
            done = run.sudo().chunk_ids.filtered(lambda c: c.state == "done")
            if done:
                run.remaining_count = len(run._remaining_moves() - done.move_ids)
        return res

    # ------------------------------------------------------------------
    # Enqueuing
    # ------------------------------------------------------------------
    def _queue_runs(self):
        """Hand the documents of the runs ``self`` not handed to a job yet to
        jobs: chunks of ``_job_size``, one job each (identity key: its
        documents), then the job that ends the run when they are done.  The
        jobs run as the current user (the scheduled action: OdooBot)."""
        Chunk = self.env["l10n_it_autoreg.run.chunk"].sudo()
        for run in self:
            todo = run._remaining_moves() - run.sudo().chunk_ids.move_ids
            if not todo:
                continue
            ids = todo.sorted("id").ids
            size = self._job_size
            chunks = Chunk.create(
                [
                    {"run_id": run.id, "move_ids": [fields.Command.set(ids[i : i + size])]}
                    for i in range(0, len(ids), size)
                ]
            )
            run._queue_delay(chunks)

    def _queue_delay(self, chunks):
        """One job per chunk and, depending on them all, the job ending the
        run.  When every chunk is already in a job waiting to run (same
        documents, another run: same identity key), nothing is enqueued and
        this run leaves them to it."""
        self.ensure_one()
        run = self
        registering = [
            run.delayable(
                channel=CHANNEL,
                identity_key=chunk._identity_key(),
                max_retries=MAX_TRIES_ON_CONCURRENCY_FAILURE,
                description=self.env._(
                    "%(run)s: register %(count)s e-invoices",
                    count=len(chunk.move_ids),
                    run=run.sudo().name,
                ),
            )._queue_register_chunk(chunk)
            for chunk in chunks
        ]
        finish = run.delayable(
            channel=CHANNEL,
            max_retries=MAX_TRIES_ON_CONCURRENCY_FAILURE,
            description=self.env._("%(run)s: count the outcome and end", run=run.sudo().name),
        )._queue_finish()
        group(*registering).on_done(finish).delay()
        jobs = [delayable._generated_job for delayable in registering]
        if not all(isinstance(job, Job) for job in jobs):
            # identity keys all found in jobs waiting to run: none enqueued
            for chunk in chunks:
                chunk._add_outcome(dropped=chunk.move_ids, busy=len(chunk.move_ids))
            chunks.write({"state": "done"})
            self._queue_finish()
            return
        for chunk, job in zip(chunks, jobs, strict=True):
            chunk.write({"job_uuid": job.uuid, "finish_job_uuid": finish._generated_job.uuid})

    # ------------------------------------------------------------------
    # The jobs
    # ------------------------------------------------------------------
    def _queue_register_chunk(self, chunk):
        """Job: register the documents of ``chunk`` (of the run ``self``) as
        the run does a batch, recording the outcome in the chunk.  A
        concurrency error rolls the whole chunk back: retried by queue_job
        (RetryableJobError, retry pattern of the job function) up to
        ``max_retries`` tries; the last one leaves its documents to register
        (counted as left, as the scheduled action does)."""
        self.ensure_one()
        chunk = chunk.sudo()
        if chunk.state != "queued":
            return self.env._("Already done.")
        run = self.with_context(**{CHUNK_KEY: chunk.id})
        moves = self.env["account.move"].browse(chunk.move_ids.ids)
        try:
            with self.env.cr.savepoint():
                run._queue_process(moves)
        except Exception as error:
            if not is_concurrency_error(error):
                raise
            if not self._queue_last_try():
                raise RetryableJobError(short_error(error)) from error
            run._leave_batch(moves, error)
        chunk.state = "done"
        outcome = chunk.outcome or {}
        return self.env._(
            "%(recognized)s registered, %(unrecognized)s not recognized, %(other)s not taken.",
            recognized=len(outcome.get("recognized", [])),
            unrecognized=len(outcome.get("unrecognized", [])),
            other=len(outcome.get("dropped", [])),
        )

    def _queue_process(self, moves):
        """Register ``moves`` batch by batch (a scheduled run of a company
        that switched the feature off leaves them, as the scheduled action
        does)."""
        run = self.sudo()
        if run.trigger == "cron" and not run.company_id.l10n_it_autoreg_enabled:
            self._add_outcome(dropped=moves)
            return
        for start in range(0, len(moves), self._batch_size):
            self._process_batch(moves[start : start + self._batch_size])

    def _queue_last_try(self):
        """The job running now (context ``job_uuid``) is at its last try."""
        uuid = self.env.context.get("job_uuid")
        job = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
        return bool(job and job.max_retries and job.retry + 1 >= job.max_retries)

    def _queue_finish(self):
        """Job: count the outcome of the finished jobs of the runs ``self``
        in them; a run whose documents are all counted ends (its outcome is
        notified)."""
        for run in self:
            if run.sudo().state != "running":
                continue
            chunks = run.sudo().chunk_ids.filtered(lambda c: c.state == "done")
            for chunk in chunks:
                run._add_outcome(**chunk._outcome_values())
            chunks.write({"state": "counted"})
            if not run._remaining_moves():
                run._finish()
        return True

    def _add_outcome(self, **outcome):
        """Inside a chunk's job, the outcome goes to the chunk (the run is
        written once, by the job ending it)."""
        chunk_id = self.env.context.get(CHUNK_KEY)
        if not chunk_id:
            return super()._add_outcome(**outcome)
        self.env["l10n_it_autoreg.run.chunk"].sudo().browse(chunk_id)._add_outcome(**outcome)

    # ------------------------------------------------------------------
    # Safety net
    # ------------------------------------------------------------------
    @api.model
    def _queue_close_stalled(self):
        """Runs in progress none of whose jobs will run any more: the chunks
        whose job did not end (failed after its tries, cancelled, set to
        done by hand, deleted) leave their documents to register, with an
        error in the run; the job that would end the run, waiting for them,
        is cancelled; the run's finished chunks are counted in it and it
        ends when nothing is left."""
        QueueJob = self.env["queue.job"].sudo()
        runs = self.sudo().search(
            [("state", "=", "running"), ("chunk_ids.state", "in", ("queued", "done"))]
        )
        for run in runs:
            chunks = run.chunk_ids.filtered(lambda c: c.state != "counted")
            uuids = [u for u in chunks.mapped("job_uuid") + chunks.mapped("finish_job_uuid") if u]
            jobs = QueueJob.search([("uuid", "in", uuids)])
            if any(job.state in RUNNING_JOB_STATES for job in jobs):
                continue
            for chunk in chunks.filtered(lambda c: c.state == "queued"):
                _logger.warning(
                    "Registration run %s: job %s did not end, %s documents left to register",
                    run.id,
                    chunk.job_uuid,
                    len(chunk.move_ids),
                )
                chunk._add_outcome(
                    dropped=chunk.move_ids,
                    error=self.env._(
                        "The job registering %(count)s documents did not end (job %(job)s): "
                        "they are still waiting to be registered.",
                        count=len(chunk.move_ids),
                        job=chunk.job_uuid or "-",
                    ),
                )
                chunk.state = "done"
            jobs.filtered(lambda j: j.state == "wait_dependencies").button_cancelled()
            run._queue_finish()
