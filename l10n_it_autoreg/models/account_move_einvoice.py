"""The received e-invoice, readable inside Odoo: the tab *E-invoice* of a
bill, the dialog opened from the lists, the *Print e-invoice* report.

Rendered with QWeb (template ``l10n_it_autoreg.einvoice_document``) from the
reader's model: the bill's attached file is read as registration reads it
(``_l10n_it_autoreg_read``); no XML is parsed here.  Every text of the file
reaches the template as a plain string, escaped there."""

import os
import re
from types import SimpleNamespace

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..fatturapa import display
from ..registration.focus import Focus, parse_focus
from ..registration.outcome import Refusal

ZIP_REASON_PREFIX = "zip_"
DOCUMENT_TEMPLATE = "l10n_it_autoreg.einvoice_document"
REPORT = "l10n_it_autoreg.action_report_einvoice"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_it_autoreg_focus = fields.Char(
        string="E-invoice figures not matching",
        copy=False,
        readonly=True,
        help="Technical: where in the e-invoice the figures that did not match are (VAT "
        "rates, total, withholding...), set when the bill is not recognized; the readable "
        "e-invoice highlights them.",
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_l10n_it_autoreg_view_einvoice(self):
        """The received e-invoice of this bill, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("E-invoice %(name)s", name=self.ref or self.display_name),
            "res_model": "account.move",
            "res_id": self.id,
            "views": [
                (self.env.ref("l10n_it_autoreg.view_move_form_l10n_it_autoreg_einvoice").id, "form")
            ],
            "target": "new",
            "context": {"dialog_size": "extra-large", "create": False, "edit": False},
        }

    def action_l10n_it_autoreg_print_einvoice(self):
        """Print e-invoice: the report of the received e-invoices of ``self``."""
        moves = self.filtered("l10n_it_autoreg_state")
        if not moves:
            raise UserError(_("These entries did not come from a received e-invoice."))
        return self.env.ref(REPORT).report_action(moves, config=False)

    def l10n_it_autoreg_einvoice_html(self, page=1):
        """The readable e-invoice of this bill (HTML, every text of the file
        escaped), ``page`` of its lines: what the tab and the dialog show."""
        self.ensure_one()
        self.check_access("read")
        values = self._l10n_it_autoreg_einvoice_values(page=page or 1, screen=True)
        return str(self.env["ir.qweb"]._render(DOCUMENT_TEMPLATE, {"ev": values}))

    # ------------------------------------------------------------------
    # What the template shows
    # ------------------------------------------------------------------
    def _l10n_it_autoreg_einvoice_values(self, page=None, screen=False):
        """The values of the template: the file read, its bodies (this
        bill's first), what did not match, formatters.  ``page`` None: every
        line (printed)."""
        self.ensure_one()
        attachment = self.l10n_it_autoreg_attachment_id
        ev = SimpleNamespace(
            move=self,
            screen=screen,
            filename=attachment.name or "",
            raw_url=f"/web/content/{attachment.id}?download=true" if attachment else "",
            result=None,
            error=None,
            bodies=[],
            header=None,
            warnings=[],
            tampered=False,
            unrecognized=self.l10n_it_autoreg_state == "unrecognized",
            reason=self.l10n_it_autoreg_reason or "",
            focus=Focus(),
            pager=display.pager(0),
            **self._l10n_it_autoreg_einvoice_formatters(),
        )
        refusal = self._l10n_it_autoreg_einvoice_refusal(attachment)
        if refusal is None:
            ev.result = self._l10n_it_autoreg_read(attachment.raw or b"", attachment.name)
            refusal = self._l10n_it_autoreg_einvoice_unread(ev.result)
        if refusal is not None:
            ev.error = self.env["l10n_it_autoreg.engine"]._reason_text(refusal)
            if ev.result is None or not ev.result.invoices:
                return ev
        if ev.unrecognized:
            ev.focus = parse_focus(self.l10n_it_autoreg_focus, self.l10n_it_autoreg_reason_code)
        own = self.l10n_it_autoreg_body_index or 0
        ev.bodies = display.bodies(ev.result.invoices, own, ev.focus, page)
        ev.header = ev.bodies[0].invoice
        ev.pager = max((body.pager for body in ev.bodies), key=lambda p: p.pages)
        ev.tampered = display.tampered(ev.result)
        ev.warnings = self._l10n_it_autoreg_einvoice_warnings(ev.result, ev.bodies)
        return ev

    def _l10n_it_autoreg_einvoice_refusal(self, attachment):
        """Why there is no file to read (a Refusal), or None."""
        if (self.l10n_it_autoreg_reason_code or "").startswith(ZIP_REASON_PREFIX):
            # the bill keeps the received ZIP: its member was never read
            return Refusal(
                self.l10n_it_autoreg_reason_code,
                detail=self.l10n_it_autoreg_supplier_display or "",
            )
        if not attachment:
            return Refusal("file_missing")
        return None

    def _l10n_it_autoreg_einvoice_unread(self, result):
        """Why the reader gave no invoice of this bill (a Refusal), or None."""
        if not result.ok:
            return Refusal(
                result.error_code or "unreadable",
                detail=result.error_detail or result.error_message or "",
            )
        index = self.l10n_it_autoreg_body_index or 0
        if index >= len(result.invoices):
            return Refusal("no_body", detail="body %s" % (index + 1))
        return None

    def _l10n_it_autoreg_einvoice_formatters(self):
        """Figures and dates written in the reader's language."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        point = lang.decimal_point or "."
        sep = lang.thousands_sep or ""

        def number(value, places=2):
            return display.format_decimal(value, point, sep, places)

        def date(value):
            return format_date(self.env, value) if value else ""

        return {
            "num": number,
            "date": date,
            "coded": display.coded,
            "describe": display.describe,
            "party_name": display.party_name,
            "address_lines": display.address_lines,
            "size_label": display.size_label,
        }

    def _l10n_it_autoreg_einvoice_warnings(self, result, bodies):
        """[(sentence, detail)] of the reader's warnings: the envelope's,
        then each body's (the file's order of bodies)."""
        labels = self._l10n_it_autoreg_warning_labels()
        found = [(None, w) for w in result.envelope_warnings]
        for body in sorted(bodies, key=lambda b: b.index):
            prefix = body.index + 1 if len(bodies) > 1 else None
            found += [(prefix, w) for w in body.invoice.warnings]
        warnings = []
        for prefix, text in found:
            code, detail = display.split_warning(text)
            label = labels.get(code) or code or _("Note")
            if prefix:
                label = _("Invoice %(index)s: %(label)s", index=prefix, label=label)
            warnings.append((label, detail))
        return warnings

    @api.model
    def _l10n_it_autoreg_warning_labels(self):
        """The reader's warning codes in words (the detail stays the
        reader's, in the format's terms)."""
        return {
            "unknown_code": _("A code is not in the FatturaPA tables"),
            "line_total": _("A line's total is not its quantity times its price"),
            "lines_vs_summary": _("The lines do not add up to the VAT summary"),
            "summary_tax": _("A VAT summary row's tax is not its rate on its taxable amount"),
            "summary_vs_total": _("The document total differs from the VAT summary"),
            "installments_vs_total": _("The installments do not add up to the amount due"),
            "pension_fund_amount": _(
                "A pension fund contribution is not its rate on its taxable amount"
            ),
            "simplified_tax": _("A simplified invoice line's tax does not match its rate"),
            "date_in_future": _("The document date is in the future"),
            "date_implausible": _("The document date is implausible"),
            "due_before_date": _("A due date is long before the document date"),
            "missing_nature": _("A 0% VAT summary row has no Natura"),
            "no_lines": _("The document has no lines"),
            "value_recovered": _("A value was read leniently (not written as the format says)"),
            "bad_value": _("A value cannot be read"),
            "missing_vat": _("A simplified invoice line has no VAT"),
            "xml_recovered": _("The XML was repaired to be read"),
            "encoding_recovered": _("The file is not in the encoding it declares"),
            "unknown_namespace": _("The file does not use the FatturaPA namespace"),
            "envelope_reencoded": _("The signed file had been re-encoded as text: restored"),
            "envelope_damaged": _(
                "The signed envelope is damaged (tampered or truncated): content extracted anyway"
            ),
            "envelope_tampered": _("The content does not match the signed digest (tampered)"),
        }

    # ------------------------------------------------------------------
    # Attachments (Allegati) of the file
    # ------------------------------------------------------------------
    def _l10n_it_autoreg_einvoice_attachment(self, body_index, index):
        """(bytes, safe file name) of the ``index``-th Allegati of the
        ``body_index``-th body of this bill's file, or None."""
        self.ensure_one()
        attachment = self.l10n_it_autoreg_attachment_id
        if not attachment or (self.l10n_it_autoreg_reason_code or "").startswith(ZIP_REASON_PREFIX):
            return None
        result = self._l10n_it_autoreg_read(attachment.raw or b"", attachment.name)
        invoice = next((i for i in result.invoices if i.body_index == body_index), None)
        if invoice is None or not 0 <= index < len(invoice.attachments):
            return None
        item = invoice.attachments[index]
        name = _UNSAFE_NAME.sub("_", os.path.basename(item.name or "")).strip(" .")
        if not name:
            name = "allegato-%s" % (index + 1)
        return item.data(), name[:200]
