"""Receiving by the purchase journal's mail alias: a mail whose files all
repeat e-invoices already received lands on the existing bill."""

from odoo import api, models

from ..registration.identity import document_key, file_identity, identity_hash


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        custom_values = custom_values or {}
        if custom_values.get("move_type") in ("in_invoice", None) and msg_dict.get("attachments"):
            existing = self._l10n_it_autoreg_mail_duplicates(msg_dict, custom_values)
            if existing:
                return existing
        return super().message_new(msg_dict, custom_values=custom_values)

    @api.model
    def _l10n_it_autoreg_mail_duplicates(self, msg_dict, custom_values):
        """The existing bill when every attachment of the mail is an
        e-invoice already received (the mail is then posted on it)."""
        company = (
            self.env["res.company"].browse(custom_values.get("company_id"))
            if custom_values.get("company_id")
            else self.env.company
        )
        holders = self.env["account.move"]
        for attachment in msg_dict["attachments"]:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode()
            lower = (name or "").lower()
            if not (lower.endswith(".p7m") or lower.endswith(".xml")):
                return None
            result = self._l10n_it_autoreg_read(content, name)
            if not result.ok:
                keys = [identity_hash(file_identity(content))]
            else:
                keys = [identity_hash(document_key(inv)) for inv in result.invoices]
            found = self.search(
                [
                    ("company_id", "=", company.id),
                    ("l10n_it_autoreg_document_key", "in", keys),
                ]
            )
            if len(set(found.mapped("l10n_it_autoreg_document_key"))) != len(set(keys)):
                return None
            for holder in found:
                self._l10n_it_autoreg_note_duplicate(holder, name, content)
            holders |= found
        return holders[:1] if holders else None
