"""Registration rules: how the lines of received e-invoices are classified
(expense account, split across accounts, analytic distribution, product)
and whether a bill is left for review or never registered automatically.

Accounting managers keep them in Accounting > Configuration > Registration
rules, per company.  The engine reads them once per batch
(``_prefetch_rules``); registration.rules decides which one applies to a
line: the first in order whose conditions all hold.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..registration import rules as rule_logic
from ..registration.outcome import Text, _lt

OUTCOMES = [
    (rule_logic.OUTCOME_REGISTER, "Register"),
    (rule_logic.OUTCOME_REVIEW, "Register, to review"),
    (rule_logic.OUTCOME_MANUAL, "Never register automatically"),
]
# Accounts a bill's expense line cannot take.
NOT_EXPENSE_TYPES = ("asset_receivable", "liability_payable", "off_balance")


class L10nItAutoregRule(models.Model):
    _name = "l10n_it_autoreg.rule"
    _inherit = ["analytic.mixin"]
    _description = "E-invoice registration rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Rule", required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    # -- conditions (empty: any) ------------------------------------------
    partner_ids = fields.Many2many(
        "res.partner",
        string="Suppliers",
        check_company=True,
        help="The e-invoices of these suppliers; empty: of any supplier.",
    )
    document_types = fields.Char(
        string="Document types",
        help="TipoDocumento codes separated by commas (e.g. TD01, TD04, TD24); empty: any.",
    )
    description_words = fields.Char(
        string="Words in the description",
        help="Words or phrases separated by commas: the line's description contains one of "
        "them as whole words (capitals and accents ignored), e.g. 'energia elettrica, gas'.",
    )
    article_codes = fields.Char(
        string="Supplier's article codes",
        help="Article codes of the e-invoice line (CodiceArticolo, CodiceValore) separated by "
        "commas; blanks and capitals ignored.",
    )
    other_data_type = fields.Char(
        string="Other data type",
        help="AltriDatiGestionali TipoDato of the line, e.g. POD (electricity) or PDR (gas).",
    )
    other_data_text = fields.Char(
        string="Other data text",
        help="AltriDatiGestionali RiferimentoTesto of the line, e.g. the contract code "
        "IT001E12345678; blanks and capitals ignored. Empty: any text of that type.",
    )
    vat_condition = fields.Boolean(string="Condition on the VAT rate")
    vat_rate = fields.Float(string="VAT rate (%)", digits=(16, 2))
    vat_nature = fields.Char(
        string="Natura",
        help="Natura of the line's VAT (N1 ... N7); N6 also matches N6.1 ... N6.9.",
    )
    # -- actions -------------------------------------------------------------
    outcome = fields.Selection(
        OUTCOMES,
        required=True,
        default=rule_logic.OUTCOME_REGISTER,
        help="Register: the bill is registered with the rule's accounts. Register, to review: "
        "also marked to review. Never register automatically: the scheduled registration "
        "leaves the e-invoice in To register (Register automatically, asked by a person, "
        "registers it without the rule).",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Expense account",
        check_company=True,
        domain=[("deprecated", "=", False), ("account_type", "not in", NOT_EXPENSE_TYPES)],
    )
    product_id = fields.Many2one("product.product", string="Product", check_company=True)
    split_line_ids = fields.One2many(
        "l10n_it_autoreg.rule.split",
        "rule_id",
        string="Split across accounts",
        copy=True,
        help="Each line of the e-invoice is shared among these accounts by percentage (they "
        "add up to 100%); amounts to the cent, the last account takes the remainder.",
    )

    @api.constrains("split_line_ids", "account_id")
    def _check_split(self):
        for rule in self:
            if not rule.split_line_ids:
                continue
            if rule.account_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: an expense account or a split, not both.", rule=rule.name
                    )
                )
            total = sum(rule.split_line_ids.mapped("percentage"))
            if float_compare(total, 100.0, precision_digits=2) or any(
                p <= 0 for p in rule.split_line_ids.mapped("percentage")
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the percentages of the split add up to %(total)s%%; "
                        "they must be positive and add up to 100%%.",
                        rule=rule.name,
                        total=round(total, 2),
                    )
                )

    @api.constrains(
        "outcome", "account_id", "split_line_ids", "product_id", "analytic_distribution"
    )
    def _check_action(self):
        for rule in self:
            if rule.outcome == rule_logic.OUTCOME_REGISTER and not (
                rule.account_id
                or rule.split_line_ids
                or rule.product_id
                or rule.analytic_distribution
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s registers without deciding anything: set an expense "
                        "account, a split, a product or an analytic distribution, or another "
                        "outcome.",
                        rule=rule.name,
                    )
                )

    def _as_rule(self):
        """This record as registration.rules sees it (``problem``: why it
        cannot be applied now)."""
        self.ensure_one()
        shares = tuple(
            rule_logic.Share(split.account_id.id, split.percentage)
            for split in self.split_line_ids.sorted(lambda s: (s.sequence, s.id))
        )
        return rule_logic.make_rule(
            self.id,
            self.name,
            partner_ids=self.partner_ids.ids,
            words_text=self.description_words or "",
            codes_text=self.article_codes or "",
            other_type=self.other_data_type or "",
            other_text=self.other_data_text or "",
            vat_rate=self.vat_rate if self.vat_condition else None,
            vat_nature=self.vat_nature or "",
            document_types=self.document_types or "",
            outcome=self.outcome,
            account_id=self.account_id.id or None,
            analytic=self.analytic_distribution or None,
            product_id=self.product_id.id or None,
            shares=shares,
            problem=self._problem(),
        )

    def _problem(self):
        """Text: why the rule cannot be applied (the records it points to
        changed since it was saved), or None."""
        company = self.company_id
        for account in self.account_id | self.split_line_ids.account_id:
            if account.deprecated:
                return Text(_lt("account %s is deprecated"), account.code)
            if not account.filtered_domain(account._check_company_domain(company)):
                return Text(_lt("account %s is not an account of this company"), account.code)
            if account.account_type in NOT_EXPENSE_TYPES:
                return Text(_lt("account %s is not an expense account"), account.code)
        if self.product_id and not self.product_id.active:
            return Text(_lt("product %s is archived"), self.product_id.display_name)
        ids = {int(i) for key in (self.analytic_distribution or {}) for i in str(key).split(",")}
        analytic = self.env["account.analytic.account"].with_context(active_test=False)
        for account in analytic.browse(sorted(ids)):
            if not account.exists() or not account.active:
                return Text(
                    _lt("analytic account %s is archived or deleted"),
                    account.exists().display_name or str(account.id),
                )
        return rule_logic.split_problem(
            [rule_logic.Share(s.account_id.id, s.percentage) for s in self.split_line_ids]
        )


class L10nItAutoregRuleSplit(models.Model):
    _name = "l10n_it_autoreg.rule.split"
    _description = "E-invoice registration rule: one account of a split"
    _order = "sequence, id"
    _check_company_auto = True

    rule_id = fields.Many2one("l10n_it_autoreg.rule", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    account_id = fields.Many2one(
        "account.account",
        string="Account",
        required=True,
        check_company=True,
        domain=[("deprecated", "=", False), ("account_type", "not in", NOT_EXPENSE_TYPES)],
    )
    percentage = fields.Float(digits=(16, 2), required=True)

    @api.constrains("percentage", "account_id")
    def _check_rule_split(self):
        self.rule_id._check_split()
