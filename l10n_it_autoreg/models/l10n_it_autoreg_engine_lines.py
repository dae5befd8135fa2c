"""Engine: the bill's lines -- products, expense accounts, detail level --
and the lines that explain the document's total (registration.lines,
registration.totals)."""

from collections import Counter, defaultdict

from odoo import Command, models
from odoo.tools import SQL

from ..registration import lines as line_rules
from ..registration.amounts import ZERO
from ..registration.outcome import Refusal, Text, _lt
from ..registration.totals import explain_totals

# How far back a supplier's registered bills teach its usual accounts.
HISTORY_DAYS = 730


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _prefetch_accounting(self, company, partners, invoices):
        """Products by supplier code / barcode and the suppliers' usual
        accounts (one query each)."""
        codes = {
            code.value
            for invoice in invoices
            for line in invoice.lines
            for code in line.article_codes
            if code.value
        }
        supplierinfo, barcodes = {}, {}
        if codes and partners:
            Info = self.env["product.supplierinfo"]
            for info in Info.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("product_code", "in", list(codes)),
                    *Info._check_company_domain(company),
                ]
            ):
                product = info.product_id or info.product_tmpl_id.product_variant_id
                if product:
                    supplierinfo.setdefault((info.partner_id.id, info.product_code), product)
        if codes:
            for product in self.env["product.product"].search([("barcode", "in", list(codes))]):
                barcodes.setdefault(product.barcode, product)
        history = defaultdict(Counter)
        if partners:
            self.env["account.move.line"].flush_model()
            self.env.cr.execute(
                SQL(
                    """
                SELECT l.partner_id, l.account_id, rel.account_tax_id, COUNT(*)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
             LEFT JOIN account_move_line_account_tax_rel rel ON rel.account_move_line_id = l.id
                 WHERE %s
              GROUP BY 1, 2, 3
            """,
                    self._supplier_lines_where(company, partners),
                )
            )
            for partner_id, account_id, tax_id, count in self.env.cr.fetchall():
                history[(partner_id, tax_id)][account_id] += count
                history[(partner_id, None)][account_id] += count
        # the accounts of the history that still exist (one query)
        accounts = self.env["account.account"].browse(
            {account for counter in history.values() for account in counter}
        )
        return {
            "supplierinfo": supplierinfo,
            "barcodes": barcodes,
            "history": history,
            "history_accounts": accounts.exists(),
        }

    def _supplier_lines_where(self, company, partners):
        """SQL condition on ``l`` (account_move_line) and ``m`` (its move):
        the product lines of the posted bills of ``partners`` in the last
        HISTORY_DAYS (what the registration learns from)."""
        return SQL(
            """
                   l.partner_id IN %s
               AND l.company_id = %s
               AND l.display_type = 'product'
               AND m.state = 'posted'
               AND m.move_type IN ('in_invoice', 'in_refund')
               AND m.date >= (CURRENT_DATE - %s)
            """,
            tuple(partners.ids),
            company.id,
            HISTORY_DAYS,
        )

    def _match_product(self, line, partner, batch):
        """(product, rule) of a document line: supplier code, then barcode."""
        acc = batch.accounting
        for code in line.article_codes:
            product = acc["supplierinfo"].get((partner.id, code.value))
            if product:
                return product, Text(_lt("supplier product code %s"), code.value)
        for code in line.article_codes:
            product = acc["barcodes"].get(code.value)
            if product:
                return product, Text(_lt("barcode %s"), code.value)
        return None, None

    def _decide_account(self, partner, tax_info, product, batch, description, learned=None):
        """(account, rule) of a line: product -> supplier default -> this
        supplier's registered bills (``learned``: the similar line
        registration.learning found, else the account its bills use most at
        this VAT tax) -> company default (Settings, else the purchase
        journal's default account)."""
        company = batch.company
        if product:
            accounts = product.product_tmpl_id.with_company(company).get_product_accounts()
            if accounts.get("expense"):
                return accounts["expense"], Text(_lt("product %s"), product.display_name)
        supplier_account = partner.with_company(company).l10n_it_autoreg_account_id
        if supplier_account:
            return supplier_account, Text(_lt("supplier's e-invoice account"))
        Account = self.env["account.account"]
        if learned and self._usable_account(Account.browse(learned.account_id), batch):
            return Account.browse(learned.account_id), learned.why()
        history = batch.accounting["history"]
        counter = history.get((partner.id, tax_info.id if tax_info else None)) or history.get(
            (partner.id, None)
        )
        if counter:
            account = Account.browse(counter.most_common(1)[0][0])
            if account in batch.accounting["history_accounts"] and not account.deprecated:
                return account, Text(_lt("supplier's previous bills"))
        if company.l10n_it_autoreg_default_account_id:
            return company.l10n_it_autoreg_default_account_id, Text(_lt("company default account"))
        if batch.journal.default_account_id:
            return batch.journal.default_account_id, Text(_lt("purchase journal default account"))
        raise Refusal("account_not_found", line=description)

    def _special_account(self, batch, field, chart_code):
        """The company's account of ``field`` (stamp duty, rounding), else
        the chart's ``chart_code`` one, else the purchase journal's."""
        company = batch.company
        account = company[field] if field in company._fields else None
        if account:
            return account
        if chart_code not in batch.special_accounts:
            found = (
                self.env["account.chart.template"]
                .with_company(company)
                .ref(chart_code, raise_if_not_found=False)
            )
            if not found:
                found = self.env["account.account"].search(
                    [
                        *self.env["account.account"]._check_company_domain(company),
                        ("code", "=", chart_code),
                    ],
                    limit=1,
                )
            batch.special_accounts[chart_code] = found or batch.journal.default_account_id
        return batch.special_accounts[chart_code]

    def _stamp_account(self, batch):
        return self._special_account(batch, "l10n_it_autoreg_stamp_account_id", "4901")

    def _rounding_account(self, batch):
        return self._special_account(batch, "l10n_it_autoreg_rounding_account_id", "4910")

    def _detail_level(self, partner, company):
        """Full lines / one line per VAT rate / one line: the supplier's, else
        the company's."""
        return (
            partner.with_company(company).l10n_it_autoreg_detail_level
            or company.l10n_it_autoreg_detail_level
            or line_rules.DETAIL_LINES
        )

    def _build_lines(self, invoice, partner, entries, withholdings, pensions, sign, batch, trace):
        """(invoice line values in the bill's sign, built taxable per VAT key
        in the document's sign)."""
        items = line_rules.items_of(invoice)
        labels, notes = set(), []
        for item in items:
            if line_rules.is_empty_line(item.line):
                item.amount = ZERO
                continue
            if item.stamp:
                product, product_rule = self._match_product(item.line, partner, batch)
                account, why = self._stamp_account(batch), Text(_lt("stamp duty account"))
                if product_rule:
                    why = Text("%s (%s)", why, product_rule)
                item.account_id, item.product_id = account.id, product.id if product else None
                labels.add(f"{account.code} {account.name}: {self._render(why)}")
                continue
            label, more = self._decide_line(
                item, invoice, partner, entries[item.key].tax_info, batch
            )
            labels.add(label)
            notes += [note for note in more if note not in notes]
        trace.append(Text(_lt("Accounts: %s"), ", ".join(sorted(labels))))
        trace.extend(notes)
        bill_lines, built = line_rules.bill_lines(
            invoice,
            items,
            self._detail_level(partner, batch.company),
            sign,
            batch.price_digits,
        )
        line_rules.add_pension_funds(invoice, items, entries, built)
        vals = [self._line_vals(line, entries, withholdings, pensions) for line in bill_lines]
        return vals, built

    def _line_vals(self, line, entries, withholdings, pensions):
        """account.move.line values of a registration.lines.BillLine."""
        if line.note:
            return {"display_type": "line_note", "name": self._render(line.name)}
        tax_ids = [entries[line.key].tax_info.id]
        if line.withholding:
            tax_ids += [t.id for _w, t in withholdings if t.withholding_type]
            tax_ids += [t.id for _w, t in withholdings if t.pension_type]
        if pensions and not line.stamp and line.key[1] != "N1":
            tax_ids += [t.id for _f, t in pensions]
        vals = {
            "name": self._render(line.name),
            "account_id": line.account_id,
            "tax_ids": [Command.set(tax_ids)],
            "quantity": line.quantity,
            "price_unit": line.price_unit,
            "discount": line.discount,
        }
        if line.product_id:
            vals["product_id"] = line.product_id
        if line.analytic:
            vals["analytic_distribution"] = line.analytic
        if line.article_code:
            vals["l10n_it_autoreg_article_code"] = line.article_code[:60]
        return vals

    def _explain_totals(self, invoice, entries, built, sign, batch, line_vals, trace):
        """Line values of the rounding, bollo, discount... lines that explain
        the gap between the lines and the document's figures."""
        has_stamp_line = any(line_rules.is_stamp_line(invoice, line) for line in invoice.lines)
        extra, notes = explain_totals(
            invoice, entries, built, self._tolerance(batch.company), has_stamp_line
        )
        trace.extend(notes)
        first = next((v["account_id"] for v in line_vals if v.get("account_id")), None)
        accounts = {
            "rounding": self._rounding_account(batch).id,
            "stamp": self._stamp_account(batch).id,
        }
        accounts["first"] = first or accounts["rounding"]
        return [
            {
                "name": self._render(line.name),
                "account_id": accounts[line.account],
                "quantity": 1,
                "price_unit": float(line.amount * sign),
                "tax_ids": [Command.set([entries[line.key].tax_info.id])]
                if line.key
                else [Command.clear()],
            }
            for line in extra
        ]
