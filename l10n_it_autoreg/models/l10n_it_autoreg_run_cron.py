"""Registration runs: their entry points -- the server action, the
registration of a selection now, the scheduled action working through the
runs in progress with a time budget, committing each batch and retrying it
after a concurrency error."""

import gc
import logging
import random
import time

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE

from ..db_errors import is_concurrency_error
from .l10n_it_autoreg_run import CRON_TIME_BUDGET, RETRY_WAIT

_logger = logging.getLogger(__name__)


class L10nItAutoregRun(models.Model):
    _inherit = "l10n_it_autoreg.run"

    # ------------------------------------------------------------------
    # Entry points: server action, cron
    # ------------------------------------------------------------------
    @api.model
    def _action_register_moves(self, moves):
        """Server action "Register automatically" on the selected bills.

        Takes the pending / not recognized e-invoice bills of ``moves``
        (also those received before the activation, also for companies that
        did not switch the feature on); the others are skipped with a
        message.  Small selections are registered at once and the outcome
        dialog is returned; large ones are queued for the cron."""
        moves = moves or self.env["account.move"]
        eligible = moves.filtered_domain(self._to_register_domain())
        busy = eligible & self._busy_moves()
        eligible -= busy
        notes = []
        if moves - eligible - busy:
            notes.append(
                _(
                    "%(count)s selected documents were skipped: they are not "
                    "received e-invoices waiting to be registered.",
                    count=len(moves - eligible - busy),
                )
            )
        if busy:
            notes.append(
                _(
                    "%(count)s selected documents were skipped: another "
                    "registration is processing them.",
                    count=len(busy),
                )
            )
        if not eligible:
            raise UserError("\n".join(notes) or _("Select the documents to register."))
        runs = self.browse()
        for company in eligible.company_id:
            runs |= self._create_run(
                company,
                eligible.filtered(lambda m, c=company: m.company_id == c),
                note="\n".join(notes) or False,
            )
        if len(eligible) > self._sync_limit:
            runs._process_later()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": _("Processing documents…"),
                    "message": _(
                        "%(count)s documents are being registered in the "
                        "background: you will be notified when it is done.",
                        count=len(eligible),
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        for run in runs:
            run._process(notify=False)
        return runs._action_outcome()

    def _process_later(self):
        """Have the runs ``self`` processed in the background: by the
        scheduled action (woken up now)."""
        self._trigger_cron()

    @api.model
    def _register_now(self, moves):
        """Register ``moves`` now, in this transaction, in one run per
        company (account.move.action_l10n_it_autoreg_register): the runs."""
        moves = moves.filtered_domain(self._to_register_domain()) - self._busy_moves()
        runs = self.browse()
        for company in moves.company_id or self.env.company:
            run = self._create_run(company, moves.filtered(lambda m, c=company: m.company_id == c))
            run._process(notify=False)
            runs |= run
        return runs

    @api.model
    def _create_run(self, company, moves, note=False):
        """A manual run of ``company`` taking ``moves``, created as superuser
        (users cannot create runs) and returned in the current environment:
        its documents are registered with the current user's rights."""
        return (
            self.sudo()
            .create(
                {
                    "company_id": company.id,
                    "trigger": "manual",
                    "user_id": self.env.user.id,
                    "move_ids": [Command.set(moves.ids)],
                    "note": note,
                }
            )
            .with_env(self.env)
        )

    @api.model
    def _trigger_cron(self, at=None):
        """Wake the registration cron up (e.g. right after receiving
        e-invoices): it registers what was received after the activation
        for the enabled companies, and the runs queued by the action."""
        cron = self.env.ref(
            "l10n_it_autoreg.ir_cron_l10n_it_autoreg_register", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger(at)

    @api.model
    def _cron_register(self, time_budget=CRON_TIME_BUDGET, commit=True):
        """Cron "Register received e-invoices"."""
        self._cron_enqueue()
        if commit:
            self._commit()
        self._process_running_runs(time_budget=time_budget, commit=commit)

    @api.model
    def _cron_enqueue(self):
        """Take, for each company that switched the feature on, the pending
        bills received since the activation and not taken by another run."""
        Run = self.sudo()
        Move = self.env["account.move"].sudo()
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("l10n_it_autoreg_enabled", "=", True),
                    ("l10n_it_autoreg_enabled_since", "!=", False),
                ]
            )
        )
        runs = Run.browse()
        for company in companies:
            moves = Move.search(
                self._to_register_domain()
                + [
                    ("company_id", "=", company.id),
                    ("l10n_it_autoreg_state", "=", "pending"),
                    (
                        "l10n_it_autoreg_received_date",
                        ">=",
                        company.l10n_it_autoreg_enabled_since,
                    ),
                    ("id", "not in", self._busy_moves().ids),
                ],
                order="l10n_it_autoreg_received_date, id",
            )
            if not moves:
                continue
            run = Run.search(
                [
                    ("company_id", "=", company.id),
                    ("trigger", "=", "cron"),
                    ("state", "=", "running"),
                ],
                limit=1,
            )
            if run:
                run.move_ids = [Command.link(move.id) for move in moves]
            else:
                run = Run.create(
                    {
                        "company_id": company.id,
                        "trigger": "cron",
                        "user_id": False,
                        "move_ids": [Command.set(moves.ids)],
                    }
                )
            runs |= run
        return runs

    @api.model
    def _process_running_runs(self, time_budget=None, commit=False):
        """Work through the runs in progress, one batch at a time, committing
        after each batch (a crash loses one batch at the most: the next call
        resumes the run).  Cron runs of a company that switched the feature
        off are closed with what they did."""
        started = time.monotonic()
        done = 0
        Run = self.sudo()
        while True:
            runs = Run._running_runs()
            stopped = runs.filtered(
                lambda r: r.trigger == "cron" and not r.company_id.l10n_it_autoreg_enabled
            )
            for run in stopped:
                run.move_ids = [Command.unlink(m.id) for m in run._remaining_moves()]
                run._finish()
            runs -= stopped
            run = runs[:1]
            if not run:
                break
            batch = run._remaining_moves()[: self._batch_size]
            if batch:
                run._retrying(
                    lambda r=run: r._process_batch(r._remaining_moves()[: self._batch_size]),
                    commit,
                    give_up=lambda error, r=run: r._leave_batch(
                        r._remaining_moves()[: self._batch_size], error
                    ),
                )
                done += len(batch)
            if not run._remaining_moves():
                run._finish()
            if commit:
                self._commit()
                self._release_environments()
            remaining = sum(
                len(r._remaining_moves()) for r in runs.exists() if r.state == "running"
            )
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if time_budget is not None and time.monotonic() - started > time_budget:
                break

    @api.model
    def _running_runs(self):
        """The runs in progress the scheduled action works through, oldest
        first (another module may hand some of them to other workers)."""
        return self.sudo().search([("state", "=", "running")], order="date_start, id")

    def _retrying(self, func, commit, give_up=None):
        """``func()``; when this code owns the transaction (``commit``), a
        concurrency error rolls it back and ``func`` is called again in a
        new transaction, as ``odoo.service.model.retrying`` does for RPC
        calls, up to MAX_TRIES_ON_CONCURRENCY_FAILURE tries; when the last
        one fails too, ``give_up(error)`` is called in a new transaction
        (without ``give_up`` the error is raised).  Otherwise (inside a
        request, a test) the error propagates to whoever owns the
        transaction."""
        for tryno in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
            try:
                result = func()
                self.env.flush_all()
                return result
            except Exception as error:
                if (
                    not commit
                    or self.env.registry.in_test_mode()
                    or not is_concurrency_error(error)
                ):
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                if tryno == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                    _logger.warning(
                        "Registration: %s, %s tries failed", type(error).__name__, tryno
                    )
                    if give_up is None:
                        raise
                    return give_up(error)
                wait = random.uniform(0.0, RETRY_WAIT * 2**tryno)
                _logger.info(
                    "Registration: %s, try %s again in %.2f s", type(error).__name__, tryno, wait
                )
                time.sleep(wait)

    def _leave_batch(self, moves, error):
        """Every try of ``moves`` (a batch of the run) met a concurrency
        error, and was rolled back: they leave the run and stay to register
        as they were (no reason is written on them, nothing is counted as
        registered); the run counts them (``left_count``) and says so when
        it ends.  A later run takes them again."""
        self.ensure_one()
        _logger.warning(
            "Registration run %s: %s documents left to register (%s)",
            self.id,
            len(moves),
            type(error).__name__,
        )
        self._add_outcome(dropped=moves, left=len(moves))

    def _release_environments(self):
        """Free the environments the batch left behind, between two batches
        of a transaction this code owns.  Odoo's account.move
        ``_disable_recursion`` (each bill's write, its lines' create, its
        posting) rewrites the context of every environment of the transaction
        and leaves duplicates of them, which live on in reference cycles
        (environment <-> its ``company`` / ``user`` records) that only a full
        garbage collection frees, and a large process seldom runs one; each
        new environment and each such call goes through them all: without
        this, the CPU per bill of a run grows with the batches it did
        (1,000 documents: x1.5).  A full collection costs ~0.1 s a batch."""
        gc.collect()

    def _commit(self):
        if not self.env.registry.in_test_mode():
            self.env.cr.commit()  # pylint: disable=invalid-commit
