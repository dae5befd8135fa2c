import contextlib

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class _DryRunRollback(Exception):
    """Raised to roll back the savepoint of a preview."""


class L10nItAutoregPreview(models.TransientModel):
    """Preview (dry run) of the automatic registration: what the engine
    would register and what not, and why, without keeping anything."""

    _name = "l10n_it_autoreg.preview"
    _description = "Preview of the automatic registration"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    line_ids = fields.One2many("l10n_it_autoreg.preview.line", "preview_id", readonly=True)
    register_line_ids = fields.One2many(
        "l10n_it_autoreg.preview.line",
        "preview_id",
        string="Would be registered",
        readonly=True,
        domain=[("would_register", "=", True)],
    )
    skip_line_ids = fields.One2many(
        "l10n_it_autoreg.preview.line",
        "preview_id",
        string="Would not be registered",
        readonly=True,
        domain=[("would_register", "=", False)],
    )
    register_count = fields.Integer(string="Number to register", compute="_compute_counts")
    skip_count = fields.Integer(string="Number not to register", compute="_compute_counts")

    @api.depends("line_ids.would_register")
    def _compute_counts(self):
        for preview in self:
            preview.register_count = len(preview.line_ids.filtered("would_register"))
            preview.skip_count = len(preview.line_ids) - preview.register_count

    @api.model
    def _action_preview(self, moves=None):
        """Server action "Preview automatic registration": the selected
        documents, or all those waiting in the current company."""
        Run = self.env["l10n_it_autoreg.run"]
        if moves:
            moves = moves.filtered_domain(Run._to_register_domain())
        else:
            moves = self.env["account.move"].search(
                Run._to_register_domain()
                + [
                    ("company_id", "=", self.env.company.id),
                ]
            )
        if not moves:
            raise UserError(_("There is no received e-invoice waiting to be registered."))
        company = moves.company_id[:1]
        preview = self.create(
            {
                "company_id": company.id,
                "line_ids": [
                    Command.create(vals)
                    for vals in self._dry_run(moves.filtered(lambda m: m.company_id == company))
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Preview of the automatic registration"),
            "res_model": self._name,
            "res_id": preview.id,
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _dry_run(self, moves):
        """Run the engine on ``moves`` inside a savepoint that is rolled back,
        and return the outcome of each bill as preview line values."""
        captured = []
        # The rollback exception undoes the savepoint and ends here.
        with contextlib.suppress(_DryRunRollback):
            with self.env.cr.savepoint():
                run = self.env["l10n_it_autoreg.run"]._create_run(moves.company_id[:1], moves)
                run._process(notify=False)
                bills = moves | run.recognized_move_ids | run.unrecognized_move_ids
                for bill in bills:
                    captured.append(
                        {
                            "move_id": bill.id,
                            "would_register": bill in run.recognized_move_ids
                            or bill.l10n_it_autoreg_state == "registered",
                            "supplier": self._supplier_name(bill),
                            "move_type": bill.move_type,
                            "number": bill.ref,
                            "invoice_date": bill.invoice_date,
                            "amount_total": bill.amount_total,
                            "currency_id": bill.currency_id.id,
                            "reason_code": bill.l10n_it_autoreg_reason_code,
                            "reason": bill.l10n_it_autoreg_reason,
                        }
                    )
                raise _DryRunRollback()
        kept = self.env["account.move"].browse([vals["move_id"] for vals in captured]).exists()
        for vals in captured:
            if vals["move_id"] not in kept.ids:
                vals["move_id"] = False
        return captured

    @api.model
    def _supplier_name(self, bill):
        name = bill.partner_id.display_name
        if not name and "l10n_it_autoreg_supplier_display" in bill._fields:
            name = bill.l10n_it_autoreg_supplier_display
        return name or False

    def action_register(self):
        """Register for real the documents of the preview."""
        self.ensure_one()
        return self.env["l10n_it_autoreg.run"]._action_register_moves(self.line_ids.move_id)


class L10nItAutoregPreviewLine(models.TransientModel):
    _name = "l10n_it_autoreg.preview.line"
    _description = "Preview of the automatic registration: one bill"
    _order = "would_register desc, supplier, id"

    preview_id = fields.Many2one("l10n_it_autoreg.preview", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Document", ondelete="cascade")
    would_register = fields.Boolean(string="Would be registered")
    supplier = fields.Char()
    move_type = fields.Selection(
        [("in_invoice", "Vendor Bill"), ("in_refund", "Vendor Credit Note")],
        string="Type",
    )
    number = fields.Char()
    invoice_date = fields.Date(string="Date")
    amount_total = fields.Monetary(string="Total", currency_field="currency_id")
    currency_id = fields.Many2one("res.currency")
    reason_code = fields.Char()
    reason = fields.Text()

    def action_open_move(self):
        self.ensure_one()
        return self.move_id.get_formview_action()
