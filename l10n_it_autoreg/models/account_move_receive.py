"""Receiving: every channel of core ends in ``_extend_with_attachments``
(SdI cron, upload on a journal, mail alias, file dropped in the chatter of
an empty draft bill).  A FatturaPA file (or a ZIP of them) is read by the
project's reader and becomes one pending bill per body, the file kept byte
for byte; a document received again makes no second bill."""

import logging
import re
from dataclasses import dataclass

from odoo import api, models

from ..read_cache import READ_CACHE
from ..registration.identity import document_key, file_identity, identity_hash

_logger = logging.getLogger(__name__)

# Core's FatturaPA file name rule (l10n_it_edi ir_attachment), anchored at the end.
EINVOICE_NAME_RE = re.compile(
    r"[A-Z]{2}[A-Za-z0-9]{2,28}_[A-Za-z0-9]{0,5}\.(xml|xml\.p7m)$", re.IGNORECASE
)
# Lengths kept on the bill for display (the full text stays in the file).
NAME_MAX = 200
DISPLAY_MAX = 256
UNIQUE_KEY = "account_move_l10n_it_autoreg_document_key_unique"


@dataclass(frozen=True)
class _Refused:
    """What a ZIP member gives when it cannot even be read (a ReadResult's
    error fields): ``identity`` its identity text (ZIP, position, code)."""

    error_code: str
    error_detail: str
    filename: str
    identity: str
    ok = False
    invoices = ()
    error_message = ""


def _bounded_name(name, limit=NAME_MAX):
    """``name`` without control characters, at most ``limit`` characters
    (the end kept: it holds the extension)."""
    name = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    if len(name) > limit:
        name = name[: limit - 41] + "…" + name[-40:]
    return name


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _l10n_it_autoreg_is_candidate(self, attachment):
        """Whether ``attachment`` is (or may hold) a FatturaPA for us."""
        name = (attachment.name or "").strip()
        lower = name.lower()
        if lower.endswith(".zip") or attachment.mimetype in (
            "application/zip",
            "application/x-zip-compressed",
        ):
            return True
        if lower.endswith(".p7m"):
            return True
        if EINVOICE_NAME_RE.search(name):
            return True
        if lower.endswith(".xml") or (attachment.mimetype or "").endswith("/xml"):
            raw = attachment.raw or b""
            return b"FatturaElettronica" in raw[:4096] or (b"FatturaElettronica" in raw)
        return False

    def _l10n_it_autoreg_can_receive_into(self):
        """Whether self (one move) is an empty draft shell that a received
        e-invoice may fill."""
        self.ensure_one()
        return (
            self.state == "draft"
            and self.move_type in ("entry", "in_invoice", "in_refund")
            and not self.line_ids
            and not self.l10n_it_autoreg_state
        )

    def _extend_with_attachments(self, attachments, new=False):
        # EXTENDS account: FatturaPA files are read by the project's reader
        # and become one pending bill per body (core keeps the first body).
        if len(self) == 1 and self.l10n_it_autoreg_state:
            # A bill made from an e-invoice is never refilled by core's
            # importer (e.g. a mail repeating it was posted on it).
            return {attachment: self for attachment in attachments}
        if (
            len(self) != 1
            or self.env.context.get("l10n_it_autoreg_no_receive")
            or not self._l10n_it_autoreg_can_receive_into()
        ):
            return super()._extend_with_attachments(attachments, new=new)
        candidates = attachments.filtered(self._l10n_it_autoreg_is_candidate)
        if not candidates:
            return super()._extend_with_attachments(attachments, new=new)
        outcome = self._l10n_it_autoreg_receive(candidates, shell=self)
        result = dict(outcome["by_attachment"])
        others = attachments - candidates + outcome["not_ours"]
        if others:
            if outcome["shell_used"]:
                # A courtesy PDF etc. next to the e-invoice: keep it on the bill.
                for attachment in others:
                    result[attachment] = self
            else:
                extended = super()._extend_with_attachments(others, new=new)
                if isinstance(extended, dict):
                    result.update(extended)
        if (
            not outcome["shell_used"]
            and not (others and result)
            and self.move_type == "entry"
            and not self.line_ids
            and self.env.context.get("l10n_it_autoreg_drop_unused_shell", True)
            and outcome["duplicates"]
            and not outcome["moves"]
        ):
            # SdI cron: core created an empty move for a file we already
            # have; the file is recorded on the existing bill.
            self.with_context(l10n_it_autoreg_no_receive=True).unlink()
        return result

    @api.model
    def _l10n_it_autoreg_purchase_journal(self, company, journal=None):
        if journal and journal.type == "purchase" and journal.company_id == company:
            return journal
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "purchase"),
            ],
            limit=1,
        )

    @api.model
    def _l10n_it_autoreg_read(self, data, filename):
        """The reader's result of a received file (``fatturapa.read_bytes``):
        read once in this process (read_cache.py)."""
        return READ_CACHE.read_file(data, filename)

    @api.model
    def _l10n_it_autoreg_read_attachment(self, attachment):
        """The reader's result of a received file's attachment: what its
        read when it was received gave, when this process received it (the
        file is then not even loaded), else the file read again."""
        if attachment.checksum:
            result = READ_CACHE.get(attachment.checksum, attachment.name)
            if result is not None:
                return result
        return self._l10n_it_autoreg_read(attachment.raw or b"", attachment.name)

    def _l10n_it_autoreg_receive(self, attachments, shell=None, journal=None):
        """Turn received files into pending bills.

        ``shell``: an empty draft move created by the channel, filled with
        the first new document.  Returns a dict with ``moves`` (new pending
        bills), ``duplicates`` (existing bills a file repeated),
        ``by_attachment`` ({attachment: moves}), ``not_ours`` (attachments
        that are not e-invoices, for core) and ``shell_used``.
        """
        company = (
            (shell.company_id if shell else None)
            or (journal.company_id if journal else None)
            or self.env.company
        )
        journal = self._l10n_it_autoreg_purchase_journal(
            company, journal or (shell.journal_id if shell else None)
        )
        Move = (
            self.env["account.move"]
            .with_company(company)
            .with_context(l10n_it_autoreg_no_receive=True)
        )
        outcome = {
            "moves": Move,
            "duplicates": Move,
            "by_attachment": {},
            "not_ours": self.env["ir.attachment"],
            "shell_used": False,
        }

        docs = self._l10n_it_autoreg_read_received(attachments, outcome)
        entries, existing = self._l10n_it_autoreg_identify(docs, Move, company)
        # the first entry of each document not received before: a new bill
        firsts = {}
        for entry in entries:
            if entry[-1] not in existing:
                firsts.setdefault(entry[-1], entry)
        made, held, outcome["shell_used"] = Move._l10n_it_autoreg_make_bills(
            Move, list(firsts.values()), journal, shell
        )
        for entry in entries:
            attachment, filename, data, key = entry[0], entry[1], entry[2], entry[-1]
            outcome["by_attachment"].setdefault(attachment, Move)
            if firsts.get(key) is entry and key in made:
                outcome["moves"] |= made[key]
                outcome["by_attachment"][attachment] |= made[key]
                continue
            # received before, earlier in this receipt, or by another
            # transaction at the same time
            holder = existing.get(key) or held.get(key) or made[key]
            self._l10n_it_autoreg_note_duplicate(holder, filename, data)
            outcome["duplicates"] |= holder
            outcome["by_attachment"][attachment] |= holder
        if outcome["moves"] and company.l10n_it_autoreg_enabled:
            # Register right away rather than at the cron's next interval.
            self.env["l10n_it_autoreg.run"]._trigger_cron()
        return outcome

    def _l10n_it_autoreg_read_received(self, attachments, outcome):
        """[(attachment, filename, data, zip parent, ReadResult or _Refused)]
        of every file to receive (no database); attachments that are no
        e-invoice go to ``outcome["not_ours"]`` (for core)."""
        docs = []
        expanded = self._l10n_it_autoreg_expand(attachments)
        for attachment, filename, data, zip_parent, refused in expanded:
            if refused is not None:
                docs.append((attachment, filename, data, zip_parent, refused))
                continue
            result = self._l10n_it_autoreg_read(data, filename)
            if self._l10n_it_autoreg_not_ours(result, filename, data):
                # Not an e-invoice (metadata, notification, other XML/PDF).
                if zip_parent is None:
                    outcome["not_ours"] |= attachment
                else:
                    _logger.info(
                        "l10n_it_autoreg: %s in %s is not an e-invoice", filename, zip_parent.name
                    )
                continue
            docs.append((attachment, filename, data, zip_parent, result))
        return docs

    @api.model
    def _l10n_it_autoreg_not_ours(self, result, filename, data):
        """Whether a file the reader refused is simply no e-invoice."""
        return (
            not result.ok
            and not EINVOICE_NAME_RE.search(filename or "")
            and not (filename or "").lower().endswith(".p7m")
            and (
                result.error_code == "not_an_invoice"
                or (
                    result.error_code == "unreadable" and b"FatturaElettronica" not in (data or b"")
                )
            )
        )

    def _l10n_it_autoreg_identify(self, docs, Move, company):
        """(entries: one per document with the hash of its identity, bounded;
        {hash: existing bill}) -- the existing bills in one query."""
        entries = []
        for attachment, filename, data, zip_parent, result in docs:
            if isinstance(result, _Refused):
                identities = [(None, result.identity)]
            elif result.ok:
                identities = [(invoice, document_key(invoice)) for invoice in result.invoices]
            else:
                identities = [(None, file_identity(data))]
            for invoice, identity in identities:
                entries.append(
                    (
                        attachment,
                        filename,
                        data,
                        zip_parent,
                        result,
                        invoice,
                        identity_hash(identity),
                    )
                )
        keys = list({entry[-1] for entry in entries})
        existing = {}
        if keys:
            domain = [("company_id", "=", company.id), ("l10n_it_autoreg_document_key", "in", keys)]
            for move in Move.search(domain, order="id"):
                existing.setdefault(move.l10n_it_autoreg_document_key, move)
        return entries, existing

    @api.model
    def _l10n_it_autoreg_receive_files(self, files, journal=None):
        """Receive ``[(filename, bytes)]`` (API, demo, tests): attachments
        are created and received like an upload on the purchase journal.
        Returns the pending bills and the existing bills the files repeat."""
        attachments = self.env["ir.attachment"].create(
            [{"name": name, "raw": data} for name, data in files]
        )
        outcome = self._l10n_it_autoreg_receive(attachments, journal=journal)
        for attachment in outcome["not_ours"]:
            _logger.info("l10n_it_autoreg: %s is not an e-invoice", attachment.name)
        moves = outcome["moves"]
        self._l10n_it_autoreg_log_files(moves)
        return moves | outcome["duplicates"]
