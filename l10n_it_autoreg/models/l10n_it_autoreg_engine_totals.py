"""Engine: the written bill verified against the document (tax lines
adjusted within tolerance, registration.totals), its header values and
due-date schedule (registration.schedule)."""

from odoo import api, fields, models

from ..registration import document as doc_rules
from ..registration.amounts import ZERO, D, r2
from ..registration.outcome import Text, _lt
from ..registration.schedule import due_date_schedule
from ..registration.totals import BillFigures, TaxLine, check_amount_due, verify_taxes
from .l10n_it_autoreg_engine_write import _changed_values


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    @api.model
    def _tolerance(self, company):
        """The rounding tolerance (Settings), as a Decimal."""
        return r2(company.l10n_it_autoreg_tolerance or 0)

    # ------------------------------------------------------------------
    # Header
    # ------------------------------------------------------------------
    def _header_vals(self, move, invoice, partner, currency, move_type, batch, trace):
        """(bill header values, installments per DatiPagamento): partner,
        dates, reference, payment reference, bank account, due date."""
        company = batch.company
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": invoice.date,
            "ref": invoice.number,
        }
        if (
            company.l10n_it_autoreg_date_mode or "document"
        ) == "receipt" and move.l10n_it_autoreg_received_date:
            vals["date"] = fields.Date.context_today(move, move.l10n_it_autoreg_received_date)
        blocks = doc_rules.payment_blocks(invoice)
        installments = [i for block in blocks for i in block]
        payment_code = next((i.payment_code for i in installments if i.payment_code), None)
        if payment_code:
            vals["payment_reference"] = payment_code[:256]
        iban = next((i.iban for i in installments if i.iban), None)
        bank = self._decide_bank(partner, iban, company) if iban else None
        if bank:
            vals["partner_bank_id"] = bank.id
            trace.append(Text(_lt("Bank account: %s"), bank.acc_number))
        if any(i.due_date for i in installments):
            vals["invoice_payment_term_id"] = False
            vals["invoice_date_due"] = max(i.due_date for i in installments if i.due_date)
        elif not partner.with_company(company).property_supplier_payment_term_id:
            # no due date in the document nor terms of the supplier: due on
            # the document's date (Odoo would keep the day of receipt)
            vals["invoice_date_due"] = invoice.date
        return vals, blocks

    # ------------------------------------------------------------------
    # Verify
    # ------------------------------------------------------------------
    def _bill_figures(self, move):
        """The written bill as registration.totals sees it."""
        return BillFigures(
            direction=1 if move.move_type == "in_invoice" else -1,
            tax_lines=[
                TaxLine(
                    line.id,
                    line.tax_line_id.id,
                    D(line.amount_currency),
                    line.tax_repartition_line_id.factor_percent >= 0,
                )
                for line in move.line_ids
                if line.display_type == "tax"
            ],
        )

    def _verify(self, plan):
        """Compare the bill with the document; settle differences within
        tolerance on the tax lines; refuse beyond."""
        move = plan.move
        adjustments = verify_taxes(
            plan.invoice,
            plan.entries,
            plan.withholdings,
            plan.pensions,
            self._bill_figures(move),
            plan.sign,
            plan.tolerance,
        )
        if adjustments:
            self._set_line_amounts(move, adjustments)
        check_amount_due(
            plan.invoice,
            plan.entries,
            plan.withholdings,
            plan.sign,
            D(move.amount_total),
        )

    def _set_line_amounts(self, move, adjustments):
        """Write tax line amounts ([(line id, amount_currency)]: the
        document's figures) and rebalance the payable lines, without Odoo
        recomputing the taxes."""
        Line = self.env["account.move.line"].with_context(
            skip_invoice_sync=True, check_move_validity=False
        )
        foreign = move.currency_id != move.company_currency_id
        for line_id, amount in adjustments:
            amount = float(amount)
            Line.browse(line_id).write(
                {
                    "amount_currency": amount,
                    "balance": move.currency_id._convert(
                        amount,
                        move.company_currency_id,
                        move.company_id,
                        move.invoice_date or move.date,
                    )
                    if foreign
                    else amount,
                }
            )
        self._rebalance_terms(move)

    # ------------------------------------------------------------------
    # Due dates
    # ------------------------------------------------------------------
    def _apply_schedule(self, plan):
        """The e-invoice's due dates and amounts on the payable lines (after
        the verification: the figures are the document's).  Installments
        that do not add up to the amount due give one payable line of the
        whole amount on the earliest stated due date, to review
        (registration.schedule); the bill's due date is its last payable
        line's."""
        move = plan.move
        terms = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        due = r2(
            -sum((D(line.amount_currency) for line in terms), ZERO)
            * (1 if move.move_type == "in_invoice" else -1)
        )
        schedule, note = due_date_schedule(
            plan.invoice,
            plan.blocks,
            due,
            move.move_type != "in_invoice",
            plan.tolerance,
        )
        if note:
            plan.trace.append(note)
        if schedule:
            self._rebalance_terms(
                move,
                [(date, None if amount is None else float(amount)) for date, amount in schedule],
            )
            last = max(date for date, _amount in schedule)
            if move.invoice_date_due != last:
                self._bill_context(move).with_context(skip_invoice_sync=True).write(
                    {"invoice_date_due": last}
                )

    def _rebalance_terms(self, move, schedule=None):
        """Payable lines = the rest of the move; ``schedule`` = [(date,
        amount_currency)] gives one payable line per installment."""
        Line = self.env["account.move.line"].with_context(
            skip_invoice_sync=True, check_move_validity=False
        )
        terms = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        others = move.line_ids - terms
        total_currency = -sum(others.mapped("amount_currency"))
        total_balance = -sum(others.mapped("balance"))
        if schedule is None:
            if not terms:
                return
            schedule = [(terms[0].date_maturity, None)]
            extra = terms[1:]
            if len(terms) > 1:
                # keep the existing split, put the difference on the last line
                schedule = [(t.date_maturity, t.amount_currency) for t in terms]
                schedule[-1] = (schedule[-1][0], None)
                extra = self.env["account.move.line"]
        else:
            extra = terms[len(schedule) :]
        cur, comp = move.currency_id, move.company_currency_id
        used_currency, used_balance = 0.0, 0.0
        template = terms[:1]
        for index, (date, amount) in enumerate(schedule):
            if index == len(schedule) - 1 or amount is None:
                amount_currency = cur.round(total_currency - used_currency)
                balance = comp.round(total_balance - used_balance)
            else:
                amount_currency = cur.round(amount)
                balance = (
                    comp.round(total_balance * (amount_currency / total_currency))
                    if total_currency
                    else 0.0
                )
            used_currency += amount_currency
            used_balance += balance
            vals = {
                "amount_currency": amount_currency,
                "balance": balance,
                "date_maturity": date,
            }
            if index < len(terms):
                # Odoo's payable line often has them already
                changed = _changed_values(terms[index], vals)
                if changed:
                    Line.browse(terms[index].id).write(changed)
            else:
                Line.create(
                    {
                        **vals,
                        "move_id": move.id,
                        "display_type": "payment_term",
                        "account_id": template.account_id.id,
                        "partner_id": template.partner_id.id,
                        "name": template.name or "",
                        "currency_id": cur.id,
                    }
                )
        if extra:
            extra.with_context(skip_invoice_sync=True, dynamic_unlink=True).unlink()
