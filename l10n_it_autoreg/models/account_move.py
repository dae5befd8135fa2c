"""Bills made from received e-invoices: the contract fields, the action
that registers them, and the fill from Odoo's own FatturaPA import.
Receiving is in account_move_receive.py."""

import logging

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

from ..fatturapa.codes import PAYMENT_METHODS

_logger = logging.getLogger(__name__)

# Reasons for which filling the draft from the e-invoice makes no sense: the
# document is no supplier bill of this company, or is already registered
# (a duplicate of a document still to register may be the real bill: filled).
NO_FILL_REASONS = frozenset(["self_invoice", "own_invoice", "not_for_company", "duplicate"])

# A bill's number as the duplicate look-up of every registration compares it
# (engine ``_find_duplicate``), indexed with the company: without the index,
# that look-up reads the whole table once per document (5 ms per document
# at 7,000 bills, growing with the books of every company of the database).
REF_NUMBER_SQL = "upper(regexp_replace(ref, '\\s+', '', 'g'))"


class AccountMove(models.Model):
    _inherit = "account.move"

    # One bill per received document and company, also when two processes
    # receive the same file at once (receiving takes the repeat path).
    _sql_constraints = [
        (
            "l10n_it_autoreg_document_key_unique",
            "UNIQUE(company_id, l10n_it_autoreg_document_key)",
            "This e-invoice was already received by this company.",
        ),
    ]

    l10n_it_autoreg_state = fields.Selection(
        [
            ("pending", "To register"),
            ("registered", "Registered"),
            ("unrecognized", "Not recognized"),
        ],
        string="Automatic registration",
        copy=False,
        index=True,
        readonly=True,
        help="Empty: not from a received e-invoice.",
    )
    l10n_it_autoreg_reason_code = fields.Char(
        string="Reason code",
        copy=False,
        readonly=True,
        index=True,
    )
    l10n_it_autoreg_reason = fields.Text(
        string="Reason",
        copy=False,
        readonly=True,
    )

    l10n_it_autoreg_received_date = fields.Datetime(
        string="Received on",
        copy=False,
        readonly=True,
        index=True,
        help="When the e-invoice was received: the cron only takes documents "
        "received after automatic registration was switched on.",
    )
    # Receipt data (filled when the file arrives, read by the engine)
    l10n_it_autoreg_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Received e-invoice file",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The file as received (byte for byte); several bills share it "
        "when the file holds several invoices.",
    )
    l10n_it_autoreg_body_index = fields.Integer(
        string="Invoice in file",
        copy=False,
        readonly=True,
        help="0-based position of this invoice (FatturaElettronicaBody) in " "the received file.",
    )
    l10n_it_autoreg_document_key = fields.Char(
        string="E-invoice identity",
        size=64,
        copy=False,
        readonly=True,
        help="SHA-256 of the e-invoice's seller, document type, number and "
        "date (of the file's bytes when it cannot be read): a file received "
        "again with the same identity is not turned into a second bill.",
    )
    l10n_it_autoreg_supplier_display = fields.Char(
        string="E-invoice supplier",
        copy=False,
        readonly=True,
        help="Supplier name and VAT number as written in the e-invoice.",
    )
    l10n_it_autoreg_amount_total = fields.Monetary(
        string="E-invoice total",
        copy=False,
        readonly=True,
        currency_field="currency_id",
        help="ImportoTotaleDocumento of the e-invoice (or the sum of its VAT "
        "summary): what the bill must come to once registered.",
    )
    l10n_it_autoreg_payment_method = fields.Selection(
        [(code, f"{code} {label}") for code, label in PAYMENT_METHODS.items()],
        string="Payment method (e-invoice)",
        copy=False,
        readonly=True,
        help="ModalitaPagamento of the e-invoice's first installment.",
    )
    l10n_it_autoreg_document_type = fields.Char(
        string="E-invoice document type",
        copy=False,
        readonly=True,
        help="TipoDocumento of the e-invoice (TD01, TD04, ...).",
    )
    l10n_it_autoreg_duplicate_id = fields.Many2one(
        "account.move",
        string="Duplicate of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Not recognized as a duplicate: the bill or the received document of the same "
        "supplier with the same number in the same fiscal year.",
    )
    l10n_it_autoreg_can_fill = fields.Boolean(
        string="Can be filled from the e-invoice",
        compute="_compute_l10n_it_autoreg_can_fill",
    )

    def init(self):
        res = super().init()
        create_index(
            self.env.cr,
            "account_move_l10n_it_autoreg_ref_number_index",
            self._table,
            ["company_id", REF_NUMBER_SQL],
        )
        return res

    def write(self, vals):
        # EXTENDS account: writing only the addon's own fields (registration
        # state, reason, review notes, receipt data) is no edit of the bill:
        # it must not mark it manually modified, or Odoo's auto-post
        # suggestion (three validations without edits) would never count
        # the registered bills.
        if vals and all(name.startswith("l10n_it_autoreg_") for name in vals):
            self = self.with_context(skip_is_manually_modified=True)  # noqa: PLW0642
        return super().write(vals)

    # ------------------------------------------------------------------
    # Registration (contract)
    # ------------------------------------------------------------------
    def action_l10n_it_autoreg_register(self):
        """Register the pending / not recognized e-invoice bills of ``self``
        now (what the server action and the cron do).

        Returns the run (``l10n_it_autoreg.run``)."""
        return self.env["l10n_it_autoreg.run"]._register_now(self)

    def _l10n_it_autoreg_can_fill(self):
        self.ensure_one()
        return (
            self.state == "draft"
            and self.l10n_it_autoreg_state == "unrecognized"
            and self.move_type in ("in_invoice", "in_refund")
            and (
                self.l10n_it_autoreg_reason_code not in NO_FILL_REASONS
                or self._l10n_it_autoreg_duplicate_of_pending()
            )
            and bool(self.l10n_it_autoreg_attachment_id)
            and not self.invoice_line_ids
        )

    def _l10n_it_autoreg_duplicate_of_pending(self):
        """A duplicate of a received document still to register: which one
        is the real bill is the accountant's decision (either may be filled
        and registered by hand)."""
        other = self.l10n_it_autoreg_duplicate_id
        return (
            self.l10n_it_autoreg_reason_code == "duplicate"
            and other.state == "draft"
            and other.l10n_it_autoreg_state in ("pending", "unrecognized")
        )

    @api.depends(
        "state",
        "move_type",
        "invoice_line_ids",
        "l10n_it_autoreg_state",
        "l10n_it_autoreg_reason_code",
        "l10n_it_autoreg_attachment_id",
        "l10n_it_autoreg_duplicate_id.state",
        "l10n_it_autoreg_duplicate_id.l10n_it_autoreg_state",
    )
    def _compute_l10n_it_autoreg_can_fill(self):
        for move in self:
            move.l10n_it_autoreg_can_fill = move._l10n_it_autoreg_can_fill()

    def action_l10n_it_autoreg_fill_from_einvoice(self):
        """Fill not recognized bills with what Odoo's own FatturaPA import
        reads from their invoice of the file (supplier when it exists, lines,
        taxes where it finds them): the accountant completes and confirms
        the bill by hand.  The bill stays not recognized, with its reason."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        for move in self:
            if not move._l10n_it_autoreg_can_fill():
                raise UserError(
                    _(
                        "%(bill)s cannot be filled from its e-invoice: only draft, not "
                        "recognized supplier bills without lines can.",
                        bill=move.display_name,
                    )
                )
            attachment = move.l10n_it_autoreg_attachment_id
            result = move._l10n_it_autoreg_read(attachment.raw, attachment.name)
            if not result.ok or not result.xml:
                raise UserError(
                    _(
                        "The e-invoice file of %(bill)s cannot be read: %(reason)s",
                        bill=move.display_name,
                        reason=result.error_message or "",
                    )
                )
            try:
                with self.env.cr.savepoint():
                    tree = etree.fromstring(result.xml, parser=parser)
                    # core imports the first body: keep only this bill's one
                    bodies = [
                        node
                        for node in tree
                        if isinstance(node.tag, str)
                        and etree.QName(node).localname == "FatturaElettronicaBody"
                    ]
                    for index, body in enumerate(bodies):
                        if index != move.l10n_it_autoreg_body_index:
                            tree.remove(body)
                    move.with_context(
                        default_move_type=move.move_type,
                        l10n_it_autoreg_no_receive=True,
                    )._l10n_it_edi_import_invoice(
                        move,
                        {
                            "filename": attachment.name,
                            "content": result.xml,
                            "xml_tree": tree,
                            "type": "l10n_it_edi",
                            "sort_weight": 11,
                        },
                        False,
                    )
            except (etree.LxmlError, ValueError, TypeError) as error:
                # core's import parses and decodes the file its own way (a
                # malformed Attachment, an XML it cannot take): say so
                _logger.warning(
                    "l10n_it_autoreg: fill from e-invoice of move %s failed", move.id, exc_info=True
                )
                raise UserError(
                    _(
                        "Odoo's standard import cannot read the e-invoice of %(bill)s "
                        "(%(error)s): a part of the file, such as an attachment (Allegati), "
                        "is malformed. Register the bill by hand from the attached file.",
                        bill=move.display_name,
                        error=type(error).__name__,
                    )
                ) from None
            move.message_post(
                body=_(
                    "Filled from the e-invoice by Odoo's standard import: check every "
                    "line, supplier and tax, then confirm the bill."
                )
            )
        return True
