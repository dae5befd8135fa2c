"""The part of a registration run one queue job registers, and what became
of its documents until the run counts them."""

import hashlib

from odoo import fields, models

# What a chunk records of its documents (account.move ids), as the run's
# _add_outcome takes it; numbers are added, errors are lines.
ID_KEYS = ("recognized", "unrecognized", "dropped")
COUNT_KEYS = ("busy", "left")


class L10nItAutoregRunChunk(models.Model):
    """Documents of a run handed to one job (``job_uuid``) on the channel
    ``root.l10n_it_autoreg``.  The job writes its chunk only (never the
    run: jobs of the same run working at once would all write the run's row
    and retry each other); the job that ends the run counts the chunks in
    it.  ``queued`` until its job ends, ``done`` then, ``counted`` once in
    the run.  Written by the code only, as superuser."""

    _name = "l10n_it_autoreg.run.chunk"
    _description = "E-invoice registration run: the documents of one job"
    _order = "run_id, id"

    run_id = fields.Many2one(
        "l10n_it_autoreg.run", required=True, readonly=True, index=True, ondelete="cascade"
    )
    move_ids = fields.Many2many(
        "account.move",
        "l10n_it_autoreg_run_chunk_move_rel",
        "chunk_id",
        "move_id",
        string="Documents",
        readonly=True,
    )
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("counted", "Counted in the run")],
        required=True,
        default="queued",
        readonly=True,
        index=True,
    )
    job_uuid = fields.Char(string="Job", readonly=True, index=True, copy=False)
    finish_job_uuid = fields.Char(string="Job ending the run", readonly=True, copy=False)
    outcome = fields.Json(readonly=True, copy=False)

    def _identity_key(self):
        """The queue_job identity key of the chunk's job: its documents (a
        job waiting to run with the same documents is not enqueued again)."""
        self.ensure_one()
        ids = ",".join(str(i) for i in sorted(self.move_ids.ids))
        return "l10n_it_autoreg.register:" + hashlib.sha256(ids.encode()).hexdigest()

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
        """What the run's processing records (``l10n_it_autoreg.run``
        ``_add_outcome``), kept in the chunk."""
        self.ensure_one()
        outcome = dict(self.outcome or {})
        for key, records in zip(ID_KEYS, (recognized, unrecognized, dropped), strict=True):
            if records:
                outcome[key] = outcome.get(key, []) + records.ids
        for key, count in zip(COUNT_KEYS, (busy, left), strict=True):
            if count:
                outcome[key] = outcome.get(key, 0) + count
        if error:
            outcome["errors"] = outcome.get("errors", []) + [error]
        if taxes:
            outcome["taxes"] = outcome.get("taxes", []) + taxes.ids
        self.outcome = outcome

    def _outcome_values(self):
        """The chunk's outcome as the keyword arguments of ``_add_outcome``
        (records that no longer exist left out)."""
        self.ensure_one()
        outcome = self.outcome or {}
        Move = self.env["account.move"]
        values = {key: Move.browse(outcome.get(key, [])).exists() for key in ID_KEYS}
        values.update({key: outcome.get(key, 0) for key in COUNT_KEYS})
        values["error"] = "\n".join(outcome.get("errors", [])) or None
        values["taxes"] = self.env["account.tax"].browse(outcome.get("taxes", [])).exists()
        return values
