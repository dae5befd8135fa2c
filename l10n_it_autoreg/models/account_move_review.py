"""Registered bills to review: the review notes the engine leaves on a bill
it registered (registration.reviews), the To review list and the Reviewed
action that clears them (said in the chatter)."""

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_it_autoreg_review_codes = fields.Char(
        string="Review codes",
        copy=False,
        readonly=True,
        help="Codes of the review notes (registration.reviews), separated by spaces.",
    )
    l10n_it_autoreg_review = fields.Text(
        string="Review notes",
        copy=False,
        readonly=True,
        help="What the automatic registration asks to check on this bill: it was registered "
        "with verified figures, but one of its decisions is worth a look.",
    )
    l10n_it_autoreg_to_review = fields.Boolean(
        string="To review",
        compute="_compute_l10n_it_autoreg_to_review",
        store=True,
        index=True,
        help="Registered automatically with review notes nobody marked as reviewed yet.",
    )

    @api.depends("l10n_it_autoreg_review_codes")
    def _compute_l10n_it_autoreg_to_review(self):
        for move in self:
            move.l10n_it_autoreg_to_review = bool(move.l10n_it_autoreg_review_codes)

    def action_l10n_it_autoreg_reviewed(self):
        """Clear the review notes of ``self``: each bill says in its chatter
        who reviewed what."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(_("Only billing users can mark bills as reviewed."))
        for move in self.filtered("l10n_it_autoreg_to_review"):
            notes = (move.l10n_it_autoreg_review or "").splitlines()
            move.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    _("Review notes checked and cleared."),
                    Markup("").join(Markup("<li>%s</li>") % note for note in notes if note),
                ),
                subtype_xmlid="mail.mt_note",
            )
            move.with_context(skip_invoice_sync=True).write(
                {"l10n_it_autoreg_review_codes": False, "l10n_it_autoreg_review": False}
            )
        return True
