"""Receiving: every channel of core ends in ``_extend_with_attachments``
(SdI cron, upload on a journal, mail alias, file dropped in the chatter of
an empty draft bill).  A FatturaPA file (or a ZIP of them) is read by the
project's reader and becomes one pending bill per body, the file kept byte
for byte; a document received again makes no second bill."""

import hashlib
import logging
import re
from dataclasses import dataclass

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models

from ..db_errors import ConcurrentUpdate
from ..fatturapa import read_bytes
from ..fatturapa.codes import PAYMENT_METHODS
from ..registration.document import move_type as document_move_type
from ..registration.identity import document_key, file_identity, identity_hash
from ..registration.outcome import Refusal

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
        return read_bytes(data, filename)

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
        now = fields.Datetime.now()
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

        # 3. create the pending bills
        shell_free = shell if shell else None
        stored = {}  # (attachment id, filename) -> ir.attachment holding the file
        seen = {}
        for attachment, filename, data, zip_parent, result, invoice, key in entries:
            holder = existing.get(key) or seen.get(key)
            move = None
            if not holder:
                vals = self._l10n_it_autoreg_pending_vals(result, invoice, key, journal, now)
                move, holder = self._l10n_it_autoreg_create_pending(Move, vals, shell_free)
            if holder:
                # received before, or by another transaction at the same time
                self._l10n_it_autoreg_note_duplicate(holder, filename, data)
                outcome["duplicates"] |= holder
                outcome["by_attachment"].setdefault(attachment, Move)
                outcome["by_attachment"][attachment] |= holder
                seen[key] = holder
                continue
            if move == shell_free:
                shell_free = None
                outcome["shell_used"] = True
            seen[key] = move
            move_att = self._l10n_it_autoreg_file_of(
                move, attachment, filename, data, zip_parent, shell, stored
            )
            move.with_context(l10n_it_autoreg_no_receive=True).write(
                {
                    "l10n_it_autoreg_attachment_id": move_att.id,
                    "message_main_attachment_id": move_att.id,
                }
            )
            outcome["moves"] |= move
            outcome["by_attachment"].setdefault(attachment, Move)
            outcome["by_attachment"][attachment] |= move
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
    def _l10n_it_autoreg_create_pending(self, Move, vals, shell=None):
        """(new pending bill, None) made of ``vals`` (``shell`` filled when
        given), or (None, existing bill) when a bill with the same identity
        already exists: the unique index (company, document key) refused it
        because another transaction received the same document first; a
        ConcurrentUpdate when that bill is not in this transaction's snapshot
        (done again in a new one by ``retrying``: the repeat path)."""
        try:
            with self.env.cr.savepoint():
                if shell:
                    shell.with_context(l10n_it_autoreg_no_receive=True).write(vals)
                    move = shell
                else:
                    move = Move.create(vals)
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != UNIQUE_KEY:
                raise
            holder = Move.search(
                [
                    ("company_id", "=", Move.env.company.id),
                    ("l10n_it_autoreg_document_key", "=", vals["l10n_it_autoreg_document_key"]),
                ],
                limit=1,
            )
            if not holder:
                raise ConcurrentUpdate("received at the same time elsewhere") from error
            _logger.info(
                "l10n_it_autoreg: document received at the same time as bill %s", holder.id
            )
            return None, holder
        return move, None

    @api.model
    def _l10n_it_autoreg_file_of(self, move, attachment, filename, data, zip_parent, shell, stored):
        """The attachment holding ``move``'s received file: the channel's
        attachment for the first bill, a copy (same bytes, same stored blob)
        for the others; a ZIP member is stored as its own attachment.
        ``stored``: {(attachment id, filename): attachment} of this receipt."""
        Attachment = self.env["ir.attachment"].sudo()
        file_key = (attachment.id, filename)
        copy_vals = {
            "name": filename,
            "raw": data,
            "res_model": "account.move",
            "res_id": move.id,
            "company_id": move.company_id.id,
        }
        if file_key in stored:
            return Attachment.create(copy_vals)
        if zip_parent is not None:
            file_att = Attachment.create(copy_vals)
        elif move == shell:
            file_att = attachment
        elif attachment.res_model == "account.move" and attachment.res_id not in (
            0,
            False,
            move.id,
        ):
            file_att = Attachment.create(copy_vals)
        else:
            file_att = attachment
            if not attachment.res_id or attachment.res_model != "account.move":
                attachment.sudo().write({"res_model": "account.move", "res_id": move.id})
        stored[file_key] = file_att
        return file_att

    @api.model
    def _l10n_it_autoreg_pending_vals(self, result, invoice, key, journal, now):
        vals = {
            "journal_id": journal.id,
            "l10n_it_autoreg_state": "pending",
            "l10n_it_autoreg_received_date": now,
            "l10n_it_autoreg_document_key": key,
            "l10n_it_autoreg_reason_code": False,
            "l10n_it_autoreg_reason": False,
        }
        if invoice is None:
            # stored text: in the company's language (see engine.register)
            engine = self.env["l10n_it_autoreg.engine"].with_context(
                lang=journal.company_id.partner_id.lang or self.env.lang
            )
            refusal = Refusal(
                result.error_code or "unreadable",
                detail=result.error_detail or result.error_message or "",
            )
            vals.update(
                {
                    "move_type": "in_invoice",
                    "l10n_it_autoreg_state": "unrecognized",
                    "l10n_it_autoreg_reason_code": result.error_code,
                    "l10n_it_autoreg_reason": engine._reason_text(refusal),
                    "l10n_it_autoreg_supplier_display": _bounded_name(result.filename, DISPLAY_MAX),
                }
            )
            return vals
        seller = invoice.seller
        display = seller.display_name or ""
        if seller.vat or seller.fiscal_code:
            display = f"{display} ({seller.vat or seller.fiscal_code})"
        move_type, _sign = document_move_type(invoice)
        total = invoice.total if invoice.total is not None else invoice.amount_total
        methods = [
            i.method
            for p in invoice.payments
            for i in p.installments
            if i.method in PAYMENT_METHODS
        ]
        currency = (
            self.env["res.currency"].search([("name", "=", invoice.currency)], limit=1)
            if invoice.currency
            else None
        )
        if currency and currency.active:
            vals["currency_id"] = currency.id
        vals.update(
            {
                "l10n_it_autoreg_amount_total": abs(float(total or 0)),
                "l10n_it_autoreg_payment_method": methods[0] if methods else False,
                "move_type": move_type or "in_invoice",
                "l10n_it_autoreg_body_index": invoice.body_index,
                "l10n_it_autoreg_supplier_display": _bounded_name(display, DISPLAY_MAX),
                "l10n_it_autoreg_document_type": (invoice.document_type or "")[:16] or False,
                "ref": _bounded_name(invoice.number, DISPLAY_MAX),
                "invoice_date": invoice.date,
            }
        )
        return vals

    @api.model
    def _l10n_it_autoreg_note_duplicate(self, holder, filename, data):
        holder.with_context(l10n_it_autoreg_no_receive=True).sudo().message_post(
            body=Markup("%s")
            % _(
                "This e-invoice was received again (file %(file)s, %(size)s bytes, "
                "SHA-256 %(sha)s): no second bill was created.",
                file=filename,
                size=len(data or b""),
                sha=hashlib.sha256(data or b"").hexdigest()[:16],
            ),
        )

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
        for move in moves:
            move.with_context(no_new_invoice=True, l10n_it_autoreg_no_receive=True).message_post(
                attachment_ids=move.l10n_it_autoreg_attachment_id.ids
            )
        return moves | outcome["duplicates"]
