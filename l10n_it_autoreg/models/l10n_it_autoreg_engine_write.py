"""Engine: the decided bills written (headers, then the lines of a chunk in
one create), verified against their documents, posted in Odoo's number
order."""

from odoo import Command, models

from ..registration.outcome import Refusal, Text, _lt


def _changed_values(record, vals):
    """The items of ``vals`` (write values of stored fields) that would
    change ``record``."""
    changed = {}
    for name, value in vals.items():
        field = record._fields[name]
        if field.convert_to_record(field.convert_to_cache(value, record), record) != record[name]:
            changed[name] = value
    return changed


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    # ------------------------------------------------------------------
    # Write, verify, post
    # ------------------------------------------------------------------
    @staticmethod
    def _bill_context(records):
        return records.with_context(l10n_it_autoreg_no_receive=True, skip_is_manually_modified=True)

    def _write_bills(self, plans):
        """Headers, then the lines of every plan in one create (Odoo computes
        the tax and payable lines of all the bills at once), then dates."""
        for plan in plans:
            move = self._bill_context(plan.move)
            if move.move_type != plan.move_type:
                move.write({"move_type": plan.move_type})
            # what receiving already wrote (type, currency, date, number) is
            # not written again: every field written sets its dependencies
            # off, whether its value changes or not
            vals = _changed_values(move, plan.vals)
            if vals and not move.line_ids:
                # nothing to synchronise yet: the lines' create below
                # computes the tax and payable lines with this header
                move = move.with_context(skip_invoice_sync=True)
            if vals:
                move.write(vals)
        vals_list, tags = [], {}
        for plan in plans:
            move = plan.move
            refund = plan.move_type in ("in_refund", "out_refund")
            for vals in plan.line_vals:
                vals = {**vals, "move_id": move.id}
                if vals.get("display_type", "product") == "product":
                    self._base_line_hints(move, vals, refund, tags)
                vals_list.append(vals)
        if vals_list:
            self._bill_context(self.env["account.move.line"]).create(vals_list)
        for plan in plans:
            date = plan.vals.get("date")
            if date and plan.move.date != date:
                self._bill_context(plan.move).date = date

    def _base_line_hints(self, move, vals, refund, tags):
        """What Odoo, computing the taxes of the bills, writes on each
        product line after creating it (its amount in the bill's sign, its
        tax report tags), given in ``vals`` beforehand: Odoo compares what it
        computes with each line and writes only the lines that differ, so
        that a hint saves a write per line and can never make a line wrong.
        Amounts only in the company's currency (a foreign one is converted
        by Odoo)."""
        if vals.get("tax_ids"):
            vals.setdefault("tax_tag_ids", [Command.set(self._base_tax_tags(vals, refund, tags))])
        currency = move.currency_id
        if currency == move.company_currency_id and "amount_currency" not in vals:
            amount = currency.round(
                vals.get("quantity", 1.0)
                * vals.get("price_unit", 0.0)
                * (1 - (vals.get("discount") or 0.0) / 100.0)
            )
            vals["amount_currency"] = vals["balance"] = move.direction_sign * amount

    def _base_tax_tags(self, vals, refund, cache):
        """The tax report tags of a product line of values ``vals``: its
        product's tags and the base tags of its taxes (of their invoice or
        refund repartition; cash basis taxes are left to Odoo)."""
        tax_ids = tuple(
            tax_id
            for command in vals["tax_ids"]
            if command[0] == Command.SET
            for tax_id in command[2]
        )
        key = (tax_ids, vals.get("product_id"), refund)
        if key not in cache:
            tags = self.env["account.account.tag"]
            if vals.get("product_id"):
                tags |= (
                    self.env["product.product"].browse(vals["product_id"]).sudo().account_tag_ids
                )
            field = "refund_repartition_line_ids" if refund else "invoice_repartition_line_ids"
            for tax in self.env["account.tax"].browse(tax_ids).flatten_taxes_hierarchy():
                if tax.tax_exigibility == "on_invoice":
                    tags |= tax[field].filtered(lambda r: r.repartition_type == "base").tag_ids
            cache[key] = tags.ids
        return cache[key]

    def _complete(self, plan, batch):
        """Verify the written bill against the document (settling rounding),
        set the e-invoice's due dates, attach its Allegati."""
        self._verify(plan)
        self._apply_schedule(plan)
        self._attach_allegati(plan.move, plan.invoice)

    def _post(self, plans):
        """Post the bills of ``plans`` (consecutive in Odoo's number order)."""
        moves = (
            self.env["account.move"].browse([p.move.id for p in plans]).with_env(plans[0].move.env)
        )
        moves.with_context(skip_invoice_sync=True).action_post()
        if any(m.state != "posted" for m in moves):
            raise Refusal("posting_refused", detail=Text(_lt("the bill stayed in draft")))
        moves.with_context(skip_invoice_sync=True).write(
            {
                "l10n_it_autoreg_state": "registered",
                "l10n_it_autoreg_reason_code": False,
                "l10n_it_autoreg_reason": False,
                "l10n_it_autoreg_missing_tax_key": False,
                "l10n_it_autoreg_duplicate_id": False,
                # written from the document, not by a person: Odoo's auto-post
                # suggestion counts it as a validation without edits
                "is_manually_modified": False,
            }
        )

    @staticmethod
    def _post_groups(plans):
        """Consecutive plans whose bills Odoo numbers in this same order when
        posted together (it numbers them by date, reference and id): posting
        such a group at once gives the numbers of posting one after the
        other.  A bill whose date a lock date would move is posted alone."""
        groups, group, last = [], [], None
        for plan in plans:
            move = plan.move
            key = (move.date, move.ref or "", move.id)
            alone = bool(move._get_violated_lock_dates(move.date, move._affect_tax_report()))
            if group and (alone or last is None or key <= last):
                groups.append(group)
                group = []
            group.append(plan)
            last = None if alone else key
        if group:
            groups.append(group)
        return groups
