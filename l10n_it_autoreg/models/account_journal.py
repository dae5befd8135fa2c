from odoo import models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _create_document_from_attachment(self, attachment_ids):
        # EXTENDS account: upload / drag & drop on Vendor Bills (and any
        # caller of this method).  E-invoices are received by the addon: one
        # pending bill per invoice of the file, none for a file received
        # again (the existing bill is returned and the repeat recorded on it).
        journal = self
        if not journal and self.env.context.get("default_journal_id"):
            journal = self.env["account.journal"].browse(self.env.context["default_journal_id"])
        move_type = self.env.context.get("default_move_type", "entry")
        Move = self.env["account.move"]
        purchase = (
            (journal.type == "purchase")
            if journal
            else (move_type in Move.get_purchase_types(include_receipts=True))
        )
        attachments = self.env["ir.attachment"].browse(attachment_ids)
        if not purchase or move_type not in ("entry", "in_invoice", "in_refund"):
            return super()._create_document_from_attachment(attachment_ids)
        candidates = attachments.filtered(Move._l10n_it_autoreg_is_candidate)
        if not candidates:
            return super()._create_document_from_attachment(attachment_ids)
        outcome = Move._l10n_it_autoreg_receive(candidates, journal=journal or None)
        Move._l10n_it_autoreg_log_files(outcome["moves"])
        result = outcome["moves"] | outcome["duplicates"]
        rest = attachments - candidates + outcome["not_ours"]
        if rest:
            result |= super()._create_document_from_attachment(rest.ids)
        return result
