"""Outcomes of registration, one stable line per invoice body, to compare
two versions of the engine (``scripts/outcomes.sh [FOLDER]``).

Not collected by the test suite (its name does not start with ``test_``).
Every published sample of ../shared/fatturapa/samples, then every .xml /
.p7m file of FOLDER (or $AUTOREG_OUTCOMES_DIR; recursive), is received
through the standard upload path (drag & drop on the purchase journal) and
registered by a company made its buyer, in a savepoint rolled back after it.
The lines, sorted by file then body, go to $OUTCOMES_FILE (stdout when
unset).  One line per body:

    OUTCOME <file> #<body> <state> <reason_code or -> <figures>

where <figures> is ``untaxed=<x> vat=<x> total=<x> due=<date:amount;...>``.

- <file>: the sample's name; a folder's file by its path in the folder.
  A folder's file is uploaded under its original name (the part after the
  last ``__`` of the corpus naming ``owner__repo__dir__name``).
- #<body>: 1-based position of the FatturaElettronicaBody in the file
  (``#1`` for a file that gave nothing or could not be read).
- <state>: the bill's l10n_it_autoreg_state (registered, unrecognized,
  pending); ``left_to_odoo`` for a bill Odoo made itself (not an
  e-invoice); ``none`` for a body that made no bill (reason
  ``repeated_in_file``: it repeats another body of the file;
  ``nothing_received``: the upload gave no bill; ``exception:<Class>``: the
  upload or the registration raised).
- Figures: of the posted BILL when the state is ``registered``, in the
  bill's currency, signed: negative for a credit note (in_refund): untaxed
  = amount_untaxed, vat = the VAT tax lines only (no withholding, no
  pension fund; a split payment's VAT nets to 0), total = amount_total
  (what is due after withholdings and split payment), due = the payable
  lines (date_maturity:amount, by date).
  Otherwise of the DOCUMENT as read, as written: untaxed / vat = the
  reader's amount_untaxed / amount_tax, total = ImportoTotaleDocumento
  (the VAT summary's total when absent), due = the installments
  (DataScadenzaPagamento or ``-``:ImportoPagamento, in file order).
  ``-`` when the document could not be read.
No ids, sequence names or timestamps: two runs on the same code give the
same lines (only a document dated after "today" could read otherwise on
another day: the reader's date_in_future check).
"""

import contextlib
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes
from odoo.addons.l10n_it_autoreg.tests.test_samples import (
    SAMPLES,
    SampleRegistrationCase,
    _Rollback,
)


def _amount(value):
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        text = "{}".format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    else:
        text = f"{round(float(value), 2):.2f}"
    return "0.00" if text == "-0.00" else text


def _upload_name(name):
    return name.rsplit("__", 1)[-1] or name


class TestOutcomes(SampleRegistrationCase):
    def test_outcomes(self):
        files = []
        if SAMPLES.is_dir():
            files += [
                (path.name, path.name, path)
                for path in sorted(SAMPLES.iterdir())
                if path.is_file() and path.suffix.lower() in (".xml", ".p7m")
            ]
        folder = os.environ.get("AUTOREG_OUTCOMES_DIR")
        if folder:
            root = Path(folder)
            self.assertTrue(root.is_dir(), f"AUTOREG_OUTCOMES_DIR is not a folder: {folder}")
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in (".xml", ".p7m"):
                    label = path.relative_to(root).as_posix()
                    files.append((label, _upload_name(path.name), path))
        self.assertTrue(files, "no file to register")
        outcomes = []
        for label, upload_name, path in files:
            outcomes += [
                (label, index, row) for index, row in self._file_outcomes(path, upload_name)
            ]
        outcomes.sort()
        text = "".join(
            "OUTCOME %s #%d %s\n" % (label, index + 1, row) for label, index, row in outcomes
        )
        target = os.environ.get("OUTCOMES_FILE")
        if target:
            Path(target).write_text(text)
        else:
            print(text, end="")  # pylint: disable=print-used

    # -- one file ----------------------------------------------------------
    def _file_outcomes(self, path, upload_name):
        data = path.read_bytes()
        result = read_bytes(data, upload_name)
        invoices = result.invoices if result.ok else []
        rows = {}
        with contextlib.suppress(_Rollback), self.env.cr.savepoint():
            try:
                if invoices:
                    self._as_buyer(invoices[0])
                moves = self.receive_bytes(data, upload_name)
                self.register(moves)
                for move in moves:
                    index = move.l10n_it_autoreg_body_index or 0
                    rows.setdefault(index, []).append(self._move_row(move, invoices, index))
            except Exception as error:  # noqa: BLE001 - an outcome like any other
                figures = self._document_figures(invoices, 0)
                rows = {0: [f"none exception:{type(error).__name__} {figures}"]}
            raise _Rollback
        self.env.invalidate_all()
        if not rows:
            rows[0] = [f"none nothing_received {self._document_figures(invoices, 0)}"]
        for index in range(len(invoices)):
            if index not in rows:
                rows[index] = [f"none repeated_in_file {self._document_figures(invoices, index)}"]
        return [(index, row) for index in sorted(rows) for row in sorted(rows[index])]

    def _move_row(self, move, invoices, index):
        state = move.l10n_it_autoreg_state
        if not state:
            return f"left_to_odoo - {self._document_figures(invoices, index)}"
        reason = move.l10n_it_autoreg_reason_code or "-"
        if state == "registered":
            return f"{state} {reason} {self._bill_figures(move)}"
        return f"{state} {reason} {self._document_figures(invoices, index)}"

    def _bill_figures(self, move):
        sign = -1 if move.move_type == "in_refund" else 1
        vat = sum(
            line.amount_currency
            for line in move.line_ids
            if line.tax_line_id and line.tax_line_id._l10n_it_get_tax_kind() == "vat"
        )
        payable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        # in the bill's currency: VAT lines are debits on a bill, credits
        # on a refund; payable lines the other way round
        due = sorted(
            (line.date_maturity.isoformat() if line.date_maturity else "-", -line.amount_currency)
            for line in payable
        )
        return "untaxed={} vat={} total={} due={}".format(
            _amount(move.amount_untaxed * sign),
            _amount(vat),
            _amount(move.amount_total * sign),
            ";".join(f"{date}:{_amount(amount)}" for date, amount in due) or "-",
        )

    @staticmethod
    def _document_figures(invoices, index):
        if index >= len(invoices):
            return "untaxed=- vat=- total=- due=-"
        invoice = invoices[index]
        total = invoice.total if invoice.total is not None else invoice.amount_total
        due = [
            (i.due_date.isoformat() if i.due_date else "-", i.amount)
            for p in invoice.payments
            for i in p.installments
        ]
        return "untaxed={} vat={} total={} due={}".format(
            _amount(invoice.amount_untaxed),
            _amount(invoice.amount_tax),
            _amount(total),
            ";".join(f"{date}:{_amount(amount)}" for date, amount in due) or "-",
        )
