import logging
import random
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE

from ..registration.outcome import Refusal
from .l10n_it_autoreg_engine import BATCH_SIZE, is_concurrency_error

_logger = logging.getLogger(__name__)
# A manual selection up to this size is registered at once (outcome dialog);
# a larger one is queued for the cron (banner, then outcome notification).
SYNC_LIMIT = 50
# Seconds a cron call works before handing over to the next call.
CRON_TIME_BUDGET = 120
# Bus notification sent to the users who must see the outcome of a run.
BUS_RUN_DONE = "l10n_it_autoreg/run_done"
# Retrying a batch after a concurrency error (as odoo.service.model.retrying):
# at most this many tries, waiting uniform(0, RETRY_WAIT * 2 ** try) seconds.
RETRY_WAIT = 1.0

# Draft vendor bills carrying a received e-invoice, waiting to be registered.
TO_REGISTER_DOMAIN = [
    ("move_type", "in", ("in_invoice", "in_refund")),
    ("state", "=", "draft"),
    ("l10n_it_autoreg_state", "in", ("pending", "unrecognized")),
]


class L10nItAutoregRun(models.Model):
    """One registration run: what was taken, what was registered, what not.

    Lifecycle: created ``running`` with the documents it takes
    (``move_ids``); the documents are handed to the engine
    (``l10n_it_autoreg.engine.register``, which returns what it did) batch
    by batch and sorted into recognized / not recognized; at the end the run
    is ``done`` and the users concerned are notified of the outcome.  Runs
    are written by this model's code only: users read the runs of their
    companies (record rule) and can neither create nor write them (ACL); the
    code writes them as superuser.  Whatever a run holds, it registers only
    pending / not recognized draft e-invoice bills of its own company: its
    documents are checked when linked (constraint) and again, under the
    engine's row lock, when taken.
    """

    _name = "l10n_it_autoreg.run"
    _description = "E-invoice registration run"
    _order = "date_start desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Started by",
        readonly=True,
        default=lambda self: self.env.user,
    )
    trigger = fields.Selection(
        [("manual", "Manual"), ("cron", "Scheduled")],
        required=True,
        default="manual",
        readonly=True,
    )
    date_start = fields.Datetime(
        string="Started",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    date_end = fields.Datetime(string="Ended", readonly=True)
    state = fields.Selection(
        [("running", "Processing"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="running",
        readonly=True,
        index=True,
    )
    move_ids = fields.Many2many(
        "account.move",
        "l10n_it_autoreg_run_move_rel",
        "run_id",
        "move_id",
        string="Documents",
        readonly=True,
        help="The documents taken by this run: a document taken by a run "
        "in progress is not taken by another run.",
    )
    recognized_move_ids = fields.Many2many(
        "account.move",
        "l10n_it_autoreg_run_recognized_rel",
        "run_id",
        "move_id",
        string="Recognized",
        readonly=True,
    )
    unrecognized_move_ids = fields.Many2many(
        "account.move",
        "l10n_it_autoreg_run_unrecognized_rel",
        "run_id",
        "move_id",
        string="Not recognized",
        readonly=True,
    )
    recognized_count = fields.Integer(
        string="Number recognized", compute="_compute_counts", store=True
    )
    unrecognized_count = fields.Integer(
        string="Number not recognized", compute="_compute_counts", store=True
    )
    remaining_count = fields.Integer(
        string="Documents left",
        compute="_compute_remaining_count",
    )
    outcome = fields.Selection(
        [
            ("success", "All registered"),
            ("partial", "Some failed"),
            ("empty", "Nothing to register"),
        ],
        compute="_compute_outcome",
        store=True,
    )
    outcome_message = fields.Char(string="Outcome message", compute="_compute_outcome_message")
    note = fields.Text(readonly=True, help="What the run skipped, and why.")
    busy_count = fields.Integer(
        string="Taken by another process",
        readonly=True,
        help="Documents of this run that another process was registering: "
        "this run left them to it.",
    )
    error_message = fields.Text(string="Errors", readonly=True)

    @api.depends("date_start")
    @api.depends_context("tz")
    def _compute_name(self):
        for run in self:
            run.name = _(
                "Registration of %(date)s",
                date=fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(run, run.date_start)
                )[:16]
                if run.date_start
                else "",
            )

    @api.depends("recognized_move_ids", "unrecognized_move_ids")
    def _compute_counts(self):
        for run in self:
            run.recognized_count = len(run.recognized_move_ids)
            run.unrecognized_count = len(run.unrecognized_move_ids)

    @api.depends("move_ids", "recognized_move_ids", "unrecognized_move_ids")
    def _compute_remaining_count(self):
        for run in self:
            run.remaining_count = len(run._remaining_moves())

    @api.depends("state", "recognized_count", "unrecognized_count", "error_message")
    def _compute_outcome(self):
        for run in self:
            if run.state == "running":
                run.outcome = False
            elif run.unrecognized_count or run.error_message:
                run.outcome = "partial"
            elif run.recognized_count:
                run.outcome = "success"
            else:
                run.outcome = "empty"

    @api.depends("outcome")
    @api.depends_context("lang")
    def _compute_outcome_message(self):
        messages = {
            False: _("Processing documents…"),
            "partial": _("Some registrations failed"),
            "success": _("All registrations were completed successfully"),
            "empty": _("No document was registered"),
        }
        for run in self:
            run.outcome_message = messages[run.outcome]

    @api.constrains("company_id", "move_ids")
    def _check_documents_company(self):
        for run in self.sudo():
            others = run.move_ids.filtered(lambda m, r=run: m.company_id != r.company_id)
            if others:
                raise ValidationError(
                    _(
                        "A registration run of %(company)s cannot take documents of "
                        "another company: %(documents)s",
                        company=run.company_id.display_name,
                        documents=", ".join(others.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # Selection
    # ------------------------------------------------------------------
    @api.model
    def _to_register_domain(self):
        return list(TO_REGISTER_DOMAIN)

    @api.model
    def _busy_moves(self):
        """Documents taken by a run in progress: no other run may take them."""
        return self.sudo().search([("state", "=", "running")]).move_ids

    def _remaining_moves(self):
        self.ensure_one()
        return self.move_ids - self.recognized_move_ids - self.unrecognized_move_ids

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
        if len(eligible) > SYNC_LIMIT:
            self._trigger_cron()
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
            runs = Run.search([("state", "=", "running")], order="date_start, id")
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
            batch = run._remaining_moves()[:BATCH_SIZE]
            if batch:
                run._retrying(
                    lambda r=run: r._process_batch(r._remaining_moves()[:BATCH_SIZE]), commit
                )
                done += len(batch)
            if not run._remaining_moves():
                run._finish()
            if commit:
                self._commit()
            remaining = sum(
                len(r._remaining_moves()) for r in runs.exists() if r.state == "running"
            )
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if time_budget is not None and time.monotonic() - started > time_budget:
                break

    def _retrying(self, func, commit):
        """``func()``; when this code owns the transaction (``commit``), a
        concurrency error rolls it back and ``func`` is called again in a
        new transaction, as ``odoo.service.model.retrying`` does for RPC
        calls.  Otherwise (inside a request, a test) the error propagates to
        whoever owns the transaction."""
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
                    or tryno == MAX_TRIES_ON_CONCURRENCY_FAILURE
                ):
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()
                wait = random.uniform(0.0, RETRY_WAIT * 2**tryno)
                _logger.info(
                    "Registration: %s, try %s again in %.2f s", type(error).__name__, tryno, wait
                )
                time.sleep(wait)

    def _commit(self):
        if not self.env.registry.in_test_mode():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    def _process(self, notify=True):
        """Process all the documents of the run now, in this transaction."""
        self.ensure_one()
        while self._remaining_moves():
            self._process_batch(self._remaining_moves()[:BATCH_SIZE])
        self._finish(notify=notify)

    def _process_batch(self, moves):
        """Hand ``moves`` to the engine; on an unexpected error, retry them
        one by one so that one bad document cannot block the others."""
        self.ensure_one()
        moves = self._take(moves)
        if not moves:
            return
        try:
            with self.env.cr.savepoint():
                self._call_engine(moves)
        except Exception as error:  # noqa: BLE001 -- isolate any engine failure
            if is_concurrency_error(error):
                raise  # another transaction got there first: redo it in a new one
            if len(moves) > 1:
                _logger.warning("Registration batch failed, retrying one by one: %s", error)
                for move in moves:
                    self._process_batch(move)
                return
            _logger.exception("Registration of %s failed", moves.display_name)
            self._record_failure(moves, error)

    def _take(self, moves):
        """The documents of ``moves`` this run may register, read again now:
        pending / not recognized draft e-invoice bills of the run's company.
        The others leave the run (the engine checks them again under its
        lock)."""
        self.ensure_one()
        run = self.sudo()
        current = moves.sudo()
        current.invalidate_recordset(["company_id", "move_type", "state", "l10n_it_autoreg_state"])
        valid = current.filtered_domain(
            self._to_register_domain() + [("company_id", "=", run.company_id.id)]
        )
        gone = current - valid
        if gone:
            run.write({"move_ids": [Command.unlink(m.id) for m in gone]})
        return moves.browse(valid.ids)

    def _call_engine(self, moves):
        """Hand ``moves`` to the engine and sort them into this run; the
        documents another transaction holds leave the run."""
        self.ensure_one()
        run = self.sudo()
        result = (
            self.env["l10n_it_autoreg.engine"]
            .with_company(run.company_id)
            .register(moves.with_company(run.company_id))
        )
        # the run counts what its own engine call registered, nothing else
        registered, refused = result.registered & moves, result.refused & moves
        untouched = moves - registered - refused
        vals = {
            "recognized_move_ids": [Command.link(m.id) for m in registered],
            "unrecognized_move_ids": [Command.link(m.id) for m in refused],
            "move_ids": [Command.unlink(m.id) for m in untouched],
        }
        busy = result.skipped & untouched
        if busy:
            vals["busy_count"] = run.busy_count + len(busy)
        run.write(vals)

    def _record_failure(self, moves, error):
        """A document the engine could not process at all stays to register,
        marked not recognized with the error."""
        run = self.sudo()
        reason = self.env["l10n_it_autoreg.engine"]._reason_text(
            Refusal("internal_error", detail=str(error) or error.__class__.__name__)
        )
        message = f"{moves.display_name}: {reason}"
        try:
            # in its own savepoint (flushed inside it): a failure here must
            # not leave the transaction aborted for the documents after
            with self.env.cr.savepoint():
                moves.sudo().write(
                    {
                        "l10n_it_autoreg_state": "unrecognized",
                        "l10n_it_autoreg_reason_code": "internal_error",
                        "l10n_it_autoreg_reason": reason,
                    }
                )
                run.write(
                    {
                        "unrecognized_move_ids": [Command.link(m.id) for m in moves],
                        "error_message": "\n".join(filter(None, [run.error_message, message])),
                    }
                )
        except Exception as failure:  # noqa: BLE001 -- the run goes on without them
            if is_concurrency_error(failure):
                raise
            _logger.exception("Could not record the failure of %s", moves.display_name)
            run.write(
                {
                    "move_ids": [Command.unlink(m.id) for m in moves],
                    "error_message": "\n".join(filter(None, [run.error_message, message])),
                }
            )

    def _finish(self, notify=True):
        for run in self.sudo():
            vals = {"state": "done", "date_end": fields.Datetime.now()}
            if run.busy_count:
                vals["note"] = "\n".join(
                    filter(
                        None,
                        [
                            run.note,
                            _(
                                "%(count)s documents are being registered by another process.",
                                count=run.busy_count,
                            ),
                        ],
                    )
                )
            run.write(vals)
            if notify:
                run._notify_outcome()

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------
    def _outcome_recipients(self):
        """The user who started the run; for a scheduled run, the
        accounting managers of the company."""
        self.ensure_one()
        users = self.user_id
        if self.trigger == "cron":
            managers = self.env.ref("account.group_account_manager").sudo().users
            users |= managers.filtered(lambda u: self.company_id in u.company_ids and u.active)
        return users.filtered(lambda u: not u.share)

    def _notify_outcome(self):
        self.ensure_one()
        for user in self._outcome_recipients():
            run = self.with_user(user).with_context(lang=user.lang).sudo()
            user._bus_send(
                BUS_RUN_DONE,
                {
                    "run_id": run.id,
                    "company_id": run.company_id.id,
                    "type": "success" if run.outcome in ("success", "empty") else "warning",
                    "title": run.outcome_message,
                    "message": run._outcome_summary(),
                },
            )

    def _outcome_summary(self):
        self.ensure_one()
        return _(
            "%(company)s: %(recognized)s registered, %(unrecognized)s not recognized.",
            company=self.company_id.name,
            recognized=self.recognized_count,
            unrecognized=self.unrecognized_count,
        )

    def _action_outcome(self):
        """The outcome dialog of ``self`` (several runs: their list)."""
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "name": _("Automatic registration"),
                "res_model": self._name,
                "res_id": self.id,
                "views": [
                    (
                        self.env.ref("l10n_it_autoreg.view_l10n_it_autoreg_run_form_outcome").id,
                        "form",
                    )
                ],
                "target": "new",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("Registration runs"),
            "res_model": self._name,
            "domain": [("id", "in", self.ids)],
            "views": [(False, "list"), (False, "form")],
        }

    def action_view_details(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "views": [
                (
                    self.env.ref("l10n_it_autoreg.view_l10n_it_autoreg_run_form").id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_retry(self):
        """Register again the not recognized documents of the run."""
        self.ensure_one()
        moves = self.unrecognized_move_ids.filtered_domain(self._to_register_domain())
        if not moves:
            raise UserError(_("No document of this run is still waiting to be registered."))
        return self._action_register_moves(moves)

    @api.model
    def get_to_register_status(self):
        """What the To register list shows on top (banner): the state of the
        switch, the runs in progress and the last outcome, for the current
        company."""
        company = self.env.company
        running = self.search([("company_id", "=", company.id), ("state", "=", "running")])
        last = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "!=", "running"),
            ],
            limit=1,
        )
        since = company.l10n_it_autoreg_enabled_since
        return {
            "enabled": company.l10n_it_autoreg_enabled,
            "enabled_since": since
            and fields.Datetime.to_string(fields.Datetime.context_timestamp(self, since))[:16],
            "running": bool(running),
            "remaining": sum(run.remaining_count for run in running),
            "last_run": last
            and {
                "id": last.id,
                "outcome": last.outcome,
                "message": last.outcome_message,
                "summary": last._outcome_summary(),
                "date": fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(self, last.date_end or last.date_start)
                )[:16],
            },
        }
