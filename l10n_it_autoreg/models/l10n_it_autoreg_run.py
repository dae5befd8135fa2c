import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE

from ..db_errors import is_concurrency_error, short_error
from ..engine_state import BATCH_SIZE
from ..registration.outcome import Refusal

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
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "E-invoice registration run"
    # the managers' activity about documents not registered is on a run:
    # marking it done posts on the run, which users only read
    _mail_post_access = "read"
    _order = "date_start desc, id desc"
    # Documents handed to the engine at once (and committed after by the cron)
    _batch_size = BATCH_SIZE
    # A manual selection up to this size is registered at once
    _sync_limit = SYNC_LIMIT

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
    left_count = fields.Integer(
        string="Left to register",
        readonly=True,
        help="Documents of this run that other transactions kept changing at "
        "the same time (every try met a conflict): this run left them, they are "
        "still waiting to be registered.",
    )
    error_message = fields.Text(string="Errors", readonly=True)
    created_tax_ids = fields.Many2many(
        "account.tax",
        "l10n_it_autoreg_run_tax_rel",
        "run_id",
        "tax_id",
        string="Taxes created",
        readonly=True,
        help="Withholding and pension fund taxes this run created from the "
        "e-invoices it registered (Settings: create missing withholding and "
        "pension fund taxes): check their accounts and tax grid.",
    )

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

    @api.depends("state", "recognized_count", "unrecognized_count", "error_message", "left_count")
    def _compute_outcome(self):
        for run in self:
            if run.state == "running":
                run.outcome = False
            elif run.unrecognized_count or run.error_message or run.left_count:
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
    # Processing
    # ------------------------------------------------------------------
    def _process(self, notify=True):
        """Process all the documents of the run now, in this transaction."""
        self.ensure_one()
        while self._remaining_moves():
            self._process_batch(self._remaining_moves()[: self._batch_size])
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
            self._add_outcome(dropped=gone)
        return moves.browse(valid.ids)

    def _call_engine(self, moves):
        """Hand ``moves`` to the engine and sort them into this run; the
        documents another transaction holds leave the run."""
        self.ensure_one()
        run = self.sudo()
        result = (
            self.env["l10n_it_autoreg.engine"]
            .with_company(run.company_id)
            .with_context(l10n_it_autoreg_automatic=run.trigger == "cron")
            .register(
                moves.with_company(run.company_id),
                # decided after these: not their duplicates still to register
                upcoming=(run._remaining_moves() - moves).ids,
            )
        )
        # the run counts what its own engine call registered, nothing else
        registered, refused = result.registered & moves, result.refused & moves
        untouched = moves - registered - refused
        self._add_outcome(
            recognized=registered,
            unrecognized=refused,
            dropped=untouched,
            busy=len(result.skipped & untouched),
            taxes=result.created_taxes,
        )

    def _add_outcome(
        self,
        recognized=None,
        unrecognized=None,
        dropped=None,
        busy=0,
        left=0,
        error=None,
        taxes=None,
    ):
        """Record in the run what became of some of its documents:
        ``recognized`` / ``unrecognized`` (account.move), ``dropped`` (they
        leave the run: no longer to register, another transaction holds them,
        or left after concurrency errors), ``busy`` / ``left`` (how many of
        the dropped ones another process holds / were left), ``error`` (a
        line of the run's errors), ``taxes`` (account.tax created).  The one
        place the processing writes a run's outcome (another module records
        it elsewhere by overriding it)."""
        self.ensure_one()
        run = self.sudo()
        vals = {}
        if recognized:
            vals["recognized_move_ids"] = [Command.link(m.id) for m in recognized]
        if unrecognized:
            vals["unrecognized_move_ids"] = [Command.link(m.id) for m in unrecognized]
        if dropped:
            vals["move_ids"] = [Command.unlink(m.id) for m in dropped]
        if busy:
            vals["busy_count"] = run.busy_count + busy
        if left:
            vals["left_count"] = run.left_count + left
        if error:
            vals["error_message"] = "\n".join(filter(None, [run.error_message, error]))
        if taxes:
            vals["created_tax_ids"] = [Command.link(t.id) for t in taxes]
        if vals:
            run.write(vals)

    def _record_failure(self, moves, error):
        """A document the engine could not process at all stays to register,
        marked not recognized with the error."""
        reason = self.env["l10n_it_autoreg.engine"]._reason_text(
            Refusal("internal_error", detail=short_error(error))
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
                        "l10n_it_autoreg_missing_tax_key": False,
                        "l10n_it_autoreg_focus": False,
                        "l10n_it_autoreg_duplicate_id": False,
                    }
                )
                self._add_outcome(unrecognized=moves, error=message)
        except Exception as failure:  # noqa: BLE001 -- the run goes on without them
            if is_concurrency_error(failure):
                raise
            _logger.exception("Could not record the failure of %s", moves.display_name)
            self._add_outcome(dropped=moves, error=message)

    def _finish(self, notify=True):
        for run in self.sudo():
            vals = {"state": "done", "date_end": fields.Datetime.now()}
            notes = [run.note]
            if run.busy_count:
                notes.append(
                    _(
                        "%(count)s documents are being registered by another process.",
                        count=run.busy_count,
                    )
                )
            if run.left_count:
                notes.append(
                    _(
                        "%(count)s documents were not registered: other transactions kept "
                        "changing the same records (%(tries)s tries). They are still waiting "
                        "to be registered.",
                        count=run.left_count,
                        tries=MAX_TRIES_ON_CONCURRENCY_FAILURE,
                    )
                )
            if run.created_tax_ids:
                notes.append(
                    _(
                        "Taxes created from the e-invoices: %(count)s (%(taxes)s); check their "
                        "accounts and tax grid.",
                        count=len(run.created_tax_ids),
                        taxes=", ".join(run.created_tax_ids.sorted("id").mapped("name")),
                    )
                )
            if any(notes[1:]):
                vals["note"] = "\n".join(filter(None, notes))
            run.write(vals)
            if notify:
                run._notify_outcome()
            if run.trigger == "cron" and run.unrecognized_move_ids:
                run._notify_failures()
