from odoo import api, fields, models


class L10nItAutoregRun(models.Model):
    """One registration run: what was taken, what was registered, what not."""

    _name = "l10n_it_autoreg.run"
    _description = "E-invoice registration run"
    _order = "date_start desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users", string="Started by", readonly=True,
        default=lambda self: self.env.user,
    )
    trigger = fields.Selection(
        [("manual", "Manual"), ("cron", "Scheduled")],
        required=True, default="manual", readonly=True,
    )
    date_start = fields.Datetime(
        string="Started", required=True, readonly=True, default=fields.Datetime.now,
    )
    date_end = fields.Datetime(string="Ended", readonly=True)
    state = fields.Selection(
        [("running", "Processing"), ("done", "Done"), ("failed", "Failed")],
        required=True, default="running", readonly=True,
    )
    recognized_move_ids = fields.Many2many(
        "account.move", "l10n_it_autoreg_run_recognized_rel", "run_id", "move_id",
        string="Recognized", readonly=True,
    )
    unrecognized_move_ids = fields.Many2many(
        "account.move", "l10n_it_autoreg_run_unrecognized_rel", "run_id", "move_id",
        string="Not recognized", readonly=True,
    )
    recognized_count = fields.Integer(compute="_compute_counts", store=True)
    unrecognized_count = fields.Integer(compute="_compute_counts", store=True)

    @api.depends("date_start", "company_id")
    def _compute_name(self):
        for run in self:
            run.name = "%s %s" % (
                run.company_id.name or "",
                fields.Datetime.to_string(run.date_start) or "",
            )

    @api.depends("recognized_move_ids", "unrecognized_move_ids")
    def _compute_counts(self):
        for run in self:
            run.recognized_count = len(run.recognized_move_ids)
            run.unrecognized_count = len(run.unrecognized_move_ids)
