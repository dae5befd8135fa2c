"""Receiving: the pending bills of the documents received, made together --
their file attachments in one create, the bills in one create (the unique
index of the document key still decides between two processes: when it
refuses one, the receipt is done again document by document), the received
files logged on their bills in one batch."""

import hashlib
import logging

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models

from ..db_errors import ConcurrentUpdate
from ..fatturapa.codes import PAYMENT_METHODS
from ..registration.document import move_type as document_move_type
from ..registration.outcome import Refusal
from .account_move_receive import DISPLAY_MAX, UNIQUE_KEY, _bounded_name

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _l10n_it_autoreg_make_bills(self, Move, entries, journal, shell=None):
        """({document key: new pending bill}, {document key: bill another
        transaction received first}, whether ``shell`` was filled) for
        ``entries`` (one per new document, in receipt order)."""
        if len(entries) > 1:
            try:
                return self._l10n_it_autoreg_make_bills_at_once(Move, entries, journal, shell)
            except psycopg2.errors.UniqueViolation as error:
                if error.diag.constraint_name != UNIQUE_KEY:
                    raise
                # another transaction received one of them meanwhile: again,
                # one by one (rolled back: nothing of the batch is left)
                _logger.info("l10n_it_autoreg: receiving again document by document")
        made, held, stored = {}, {}, {}
        shell_used = False
        for entry in entries:
            files = self._l10n_it_autoreg_bill_files([entry], shell, stored)
            vals = self._l10n_it_autoreg_pending_vals(entry, journal, files[0])
            move, holder = self._l10n_it_autoreg_create_pending(Move, vals, shell)
            key = entry[-1]
            if holder:
                held[key] = holder
                self._l10n_it_autoreg_forget_files(files, entry)
                continue
            self._l10n_it_autoreg_home_files(files, move)
            made[key] = move
            if move == shell:
                shell, shell_used = None, True
        return made, held, shell_used

    def _l10n_it_autoreg_make_bills_at_once(self, Move, entries, journal, shell):
        """The ``_make_bills`` of several documents in one savepoint; a
        UniqueViolation when the index refuses one."""
        with self.env.cr.savepoint():
            files = self._l10n_it_autoreg_bill_files(entries, shell, {})
            vals_list = [
                self._l10n_it_autoreg_pending_vals(entry, journal, file)
                for entry, file in zip(entries, files, strict=True)
            ]
            moves = Move.browse()
            if shell:
                shell.with_context(l10n_it_autoreg_no_receive=True).write(vals_list.pop(0))
                moves = shell
            moves |= self._l10n_it_autoreg_create_pendings(Move, vals_list)
            self._l10n_it_autoreg_home_files(files, moves)
        made = {entry[-1]: move for entry, move in zip(entries, moves, strict=True)}
        return made, {}, bool(shell)

    @api.model
    def _l10n_it_autoreg_create_pendings(self, Move, vals_list):
        """The pending bills of ``vals_list``, in one create (the caller's
        savepoint catches the unique index's refusal)."""
        return Move.create(vals_list) if vals_list else Move

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

    # ------------------------------------------------------------------
    # The received files
    # ------------------------------------------------------------------
    @api.model
    def _l10n_it_autoreg_bill_files(self, entries, shell, stored):
        """The attachment holding each entry's received file, made before
        its bill: the channel's attachment for its first bill, a copy (same
        bytes, same stored blob) for the others; a ZIP member is stored as
        its own attachment.  ``stored``: {(attachment id, file name): True}
        of the files this receipt placed so far (updated)."""
        Attachment = self.env["ir.attachment"].sudo()
        plan, copies = [], []
        for position, (attachment, filename, data, zip_parent, *_rest) in enumerate(entries):
            file_key = (attachment.id, filename)
            copy = (
                file_key in stored
                or zip_parent is not None
                or (
                    not (shell and position == 0)
                    and attachment.res_model == "account.move"
                    and attachment.res_id not in (0, False)
                )
            )
            stored[file_key] = True
            if copy:
                plan.append(None)
                copies.append(
                    {
                        "name": filename,
                        "raw": data,
                        "res_model": "account.move",
                        "res_id": False,
                        "company_id": attachment.company_id.id or self.env.company.id,
                    }
                )
            else:
                plan.append(attachment)
        made = iter(Attachment.create(copies) if copies else [])
        return [file or next(made) for file in plan]

    @api.model
    def _l10n_it_autoreg_home_files(self, files, moves):
        """Each file attachment on its bill (the channel's attachment was on
        the journal, or on nothing)."""
        for file, move in zip(files, moves, strict=True):
            if file.res_model != "account.move" or file.res_id != move.id:
                file.sudo().write({"res_model": "account.move", "res_id": move.id})

    @api.model
    def _l10n_it_autoreg_forget_files(self, files, entry):
        """The copies made for a document another transaction received."""
        copies = self.env["ir.attachment"].sudo().browse([f.id for f in files if f != entry[0]])
        copies.unlink()

    @api.model
    def _l10n_it_autoreg_log_files(self, moves):
        """The received file of each new bill in its chatter, in one batch:
        a note by the current user carrying the file (as the upload's
        message_post, without notifying anyone)."""
        moves = moves.filtered("l10n_it_autoreg_attachment_id")
        if not moves:
            return
        author, email_from = moves[:1]._message_compute_author(raise_on_email=False)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": "account.move",
                    "res_id": move.id,
                    "author_id": author,
                    "email_from": email_from,
                    "message_type": "notification",
                    "subtype_id": note,
                    "is_internal": True,
                    "body": "",
                    "attachment_ids": [(4, move.l10n_it_autoreg_attachment_id.id)],
                }
                for move in moves
            ]
        )

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    @api.model
    def _l10n_it_autoreg_pending_vals(self, entry, journal, file):
        """The values of the pending bill of ``entry`` (attachment, file
        name, bytes, ZIP parent, ReadResult, Invoice or None, document key),
        its received file ``file``."""
        result, invoice, key = entry[4], entry[5], entry[6]
        vals = {
            "journal_id": journal.id,
            # numbered when posted (a draft's number costs a look-up of the
            # journal's last one per bill)
            "name": "/",
            "l10n_it_autoreg_state": "pending",
            # the clock of the activation moment (res.company.write), which
            # bounds what the scheduled action takes: not the transaction's
            "l10n_it_autoreg_received_date": fields.Datetime.now(),
            "l10n_it_autoreg_document_key": key,
            "l10n_it_autoreg_reason_code": False,
            "l10n_it_autoreg_reason": False,
            "l10n_it_autoreg_attachment_id": file.id,
            "message_main_attachment_id": file.id,
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
        vals.update(self._l10n_it_autoreg_invoice_vals(invoice))
        return vals

    @api.model
    def _l10n_it_autoreg_invoice_vals(self, invoice):
        """What the To register list shows of a readable document."""
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
        vals = {
            "l10n_it_autoreg_amount_total": abs(float(total or 0)),
            "l10n_it_autoreg_payment_method": methods[0] if methods else False,
            "move_type": move_type or "in_invoice",
            "l10n_it_autoreg_body_index": invoice.body_index,
            "l10n_it_autoreg_supplier_display": _bounded_name(display, DISPLAY_MAX),
            "l10n_it_autoreg_document_type": (invoice.document_type or "")[:16] or False,
            "ref": _bounded_name(invoice.number, DISPLAY_MAX),
            "invoice_date": invoice.date,
        }
        currency = self._l10n_it_autoreg_currency(invoice.currency)
        if currency and currency.active:
            vals["currency_id"] = currency.id
        return vals

    @api.model
    def _l10n_it_autoreg_currency(self, code):
        """The currency of ISO ``code`` (any state), None when unknown;
        looked up once per code and transaction."""
        if not code:
            return None
        cache = self.env.cr.cache.setdefault("l10n_it_autoreg_currencies", {})
        if code not in cache:
            cache[code] = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
                .id
            )
        return self.env["res.currency"].browse(cache[code]) if cache[code] else None

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
