"""Engine: the classification of a document line -- registration rules
(registration.rules), then what this supplier's registered bills teach
(registration.learning: a person's correction first), then the product /
supplier / company accounts (_decide_account) -- and what the registration
decided for each line, remembered so that a later correction is seen."""

from odoo import models
from odoo.tools import SQL

from ..registration import learning
from ..registration import rules as rule_logic
from ..registration.outcome import Text, _lt

# Lines of a supplier's bills read to learn from (the most recent first).
LEARNED_LINES = 300


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    # ------------------------------------------------------------------
    # Prefetch (once per batch)
    # ------------------------------------------------------------------
    def _prefetch_rules(self, company):
        """The company's active registration rules, in order, as
        registration.rules.Rule."""
        records = self.env["l10n_it_autoreg.rule"].search(
            [("company_id", "=", company.id)], order="sequence, id"
        )
        return [record._as_rule() for record in records]

    def _prefetch_learned(self, company, partners):
        """{supplier id: [registration.learning.PastLine]}: the recent
        product lines of the suppliers' posted bills (one query)."""
        if not partners:
            return {}
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT * FROM (
                SELECT l.partner_id, l.id, m.name, m.date, l.name, l.account_id,
                       l.analytic_distribution, l.l10n_it_autoreg_article_code,
                       l.l10n_it_autoreg_decided_account_id, l.l10n_it_autoreg_decided_analytic,
                       wp.name, COALESCE(l.l10n_it_autoreg_corrected_date, l.write_date),
                       ARRAY(SELECT rel.account_tax_id
                               FROM account_move_line_account_tax_rel rel
                              WHERE rel.account_move_line_id = l.id),
                       ROW_NUMBER() OVER (PARTITION BY l.partner_id
                                          ORDER BY m.date DESC, l.id DESC) AS rank
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
             LEFT JOIN res_users wu
                    ON wu.id = COALESCE(l.l10n_it_autoreg_corrected_uid, l.write_uid)
             LEFT JOIN res_partner wp ON wp.id = wu.partner_id
                 WHERE %s
            ) lines
            WHERE rank <= %s
            """,
                self._supplier_lines_where(company, partners),
                LEARNED_LINES,
            )
        )
        learned = {}
        for row in self.env.cr.fetchall():
            (partner_id, line_id, bill, date, name, account_id, analytic, code) = row[:8]
            (decided_account_id, decided_analytic, writer, written, tax_ids) = row[8:13]
            learned.setdefault(partner_id, []).append(
                learning.PastLine(
                    line_id=line_id,
                    bill=bill or "",
                    date=date,
                    description=name or "",
                    account_id=account_id,
                    analytic=analytic or None,
                    tax_ids=frozenset(tax_ids or ()),
                    article_code=rule_logic.compact(code),
                    decided_account_id=decided_account_id,
                    decided_analytic=decided_analytic or None,
                    writer=writer or "",
                    written=written,
                )
            )
        return learned

    # ------------------------------------------------------------------
    # One line
    # ------------------------------------------------------------------
    def _decide_line(self, item, invoice, partner, tax_info, batch):
        """Fill ``item`` (registration.lines.LineItem) with the account (or
        the accounts of a split), analytic distribution and product of its
        document line: the first registration rule that applies (a rule
        always wins), else a person's correction on a similar line of this
        supplier's registered bills, else ``_decide_account`` (product,
        supplier's account, a similar line, the company's default).
        Returns (the line's text for the trace, [notes: reviews...]); raises
        Refusal rule_invalid / rule_manual."""
        line = item.line
        found = rule_logic.rule_for(
            batch.rules,
            line,
            {partner.id, partner.commercial_partner_id.id},
            invoice.document_type,
        )
        rule = rule_logic.applied(found, batch.automatic, line.description)
        notes = [rule_logic.manual_note(found)] if found and rule is None else []
        notes += [r for r in [rule_logic.review_of(rule)] if r]
        product, product_rule = self._match_product(line, partner, batch)
        if rule and rule.product_id:
            product = self.env["product.product"].browse(rule.product_id)
            product_rule = Text(_lt("rule %s"), rule.name)
        learned = learning.learn(
            batch.learned.get(partner.commercial_partner_id.id, ()),
            line,
            tax_info.id if tax_info else None,
        )
        Account = self.env["account.account"]
        if rule and rule.classifies:
            why = Text(_lt("rule %s"), rule.name)
            if rule.shares:
                parts = rule_logic.split_amounts(item.amount, rule.shares)
                item.shares = [(s.account_id, amount, s.percent) for s, amount in parts]
            account = Account.browse([s.account_id for s in rule.shares] or [rule.account_id])
        elif (
            learned
            and "account" in learned.corrected
            and not (rule and rule.product_id)
            and self._usable_account(Account.browse(learned.account_id), batch)
        ):
            account, why = Account.browse(learned.account_id), learned.why()
        else:
            account, why = self._decide_account(
                partner, tax_info, product, batch, line.description, learned=learned
            )
        if product_rule and not (rule and rule.classifies):
            why = Text("%s (%s)", why, product_rule)
        item.account_id, item.product_id = account[:1].id, product.id if product else None
        analytic_why = None
        if rule and rule.analytic:
            item.analytic, analytic_why = rule.analytic, Text(_lt("rule %s"), rule.name)
        elif learned and learned.analytic and learned.account_id == item.account_id:
            item.analytic, analytic_why = learned.analytic, learned.why()
        return self._line_label(item, account, why, analytic_why, batch), notes

    def _usable_account(self, account, batch):
        """``account`` (learned: a posted line's, so it exists) can still
        take an expense line of the company (read from the cache)."""
        return bool(
            not account.deprecated
            and account.filtered_domain(account._check_company_domain(batch.company))
        )

    def _line_label(self, item, accounts, why, analytic_why, batch):
        """The trace's text of a line: its account(s), analytic distribution
        and why."""
        names = []
        for account in accounts:
            share = next((s for s in item.shares or () if s[0] == account.id), None)
            percent = f" {float(share[2]):g}%" if share else ""
            names.append(f"{account.code} {account.name}{percent}")
        label = " + ".join(names)
        if item.analytic:
            label += f" [{self._analytic_label(item.analytic, batch)}]"
        label += ": " + self._render(why)
        if analytic_why is not None and analytic_why != why:
            label += "; " + self._render(analytic_why)
        return label

    def _analytic_label(self, distribution, batch):
        """An analytic distribution as names and percentages (the names read
        once per batch)."""
        names = batch.accounting.setdefault("analytic_names", {})
        keys = {k: [int(i) for i in str(k).split(",") if i.strip().isdigit()] for k in distribution}
        unknown = {i for ids in keys.values() for i in ids} - set(names)
        if unknown:
            Analytic = self.env["account.analytic.account"].with_context(active_test=False)
            names.update(dict.fromkeys(unknown, ""))
            names.update({a.id: a.name for a in Analytic.browse(sorted(unknown)).exists()})
        parts = []
        for key, percent in distribution.items():
            label = " / ".join(names[i] for i in keys[key] if names[i]) or str(key)
            parts.append(f"{label} {float(percent or 0):g}%")
        return ", ".join(parts)

    # ------------------------------------------------------------------
    # After posting
    # ------------------------------------------------------------------
    def _remember_decisions(self, plans):
        """Store on each product line of the registered bills the account
        and analytic distribution it was registered with (as written, with
        Odoo's own analytic distribution models): a person's later change
        is a correction that this supplier's next bills follow (one query
        for all the bills)."""
        ids = tuple(plan.move.id for plan in plans)
        if not ids:
            return
        Line = self.env["account.move.line"]
        Line.flush_model()
        self.env.cr.execute(
            """
            UPDATE account_move_line
               SET l10n_it_autoreg_decided_account_id = account_id,
                   l10n_it_autoreg_decided_analytic = analytic_distribution
             WHERE move_id IN %s AND display_type = 'product'
            """,
            [ids],
        )
        Line.invalidate_model(
            ["l10n_it_autoreg_decided_account_id", "l10n_it_autoreg_decided_analytic"]
        )
