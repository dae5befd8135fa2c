"""Base cases and helpers shared by the rule test files (test_rule_*.py): not
a test module itself.

- AdversarialCommon (and edit_xml / sub, to edit the builder's XML): what
  real Italian suppliers' software writes, and what could make the engine
  post a bill that differs from the document.  Every test states the only
  acceptable outcome: a posted bill with the document's exact figures
  (untaxed, VAT per rate, total, amount due, due dates), or a pending bill
  with a specific reason code.  A wrong posted bill is worse than a bill
  left pending.
- AttackCommon (and agent_line, ENA, RT02): the attacks on the engine's
  readings, with the only acceptable outcomes.
- TaxesCase: the withholding, pension fund and Natura taxes of the company
  (the supplier exists, so that the only review note is the tax's)."""

from lxml import etree

from odoo.tests import tagged

from .common import (
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
    WithholdingSpec,
    date,
)


def edit_xml(xml, change):
    """Parse builder bytes, let ``change(root, find)`` edit the tree (find:
    every element of a local name), serialize again."""
    root = etree.fromstring(xml)

    def find(name):
        return [
            e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name
        ]

    change(root, find)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def sub(parent, tag, text=None, index=None):
    element = etree.Element(tag)
    element.text = text
    if index is None:
        parent.append(element)
    else:
        parent.insert(index, element)
    return element


class AdversarialCommon(AutoregCommon):
    def vat_by_rate(self, move):
        """{(rate, nature or None): VAT amount} of the posted bill, from its
        tax lines (positive repartition only: split payment / reverse charge
        show the VAT, not the net)."""
        result = {}
        for line in move.line_ids.filtered(lambda aml: aml.display_type == "tax"):
            tax = line.tax_line_id
            if tax.l10n_it_withholding_type or tax.l10n_it_pension_fund_type:
                continue
            if line.tax_repartition_line_id.factor_percent < 0:
                continue
            key = (round(tax.amount, 2), tax.l10n_it_exempt_reason or None)
            sign = 1 if move.move_type == "in_invoice" else -1
            result[key] = round(result.get(key, 0.0) + sign * line.amount_currency, 2)
        return result

    def base_by_rate(self, move):
        """{rate: taxable} of the bill's lines, per VAT rate."""
        result = {}
        for line in move.invoice_line_ids:
            vat = line.tax_ids.filtered(
                lambda t: not t.l10n_it_withholding_type and not t.l10n_it_pension_fund_type
            )
            if not vat:
                continue
            key = round(vat.amount, 2)
            result[key] = round(result.get(key, 0.0) + line.price_subtotal, 2)
        return result

    def receive_xml_and_register(self, xml):
        moves = self.receive_bytes(xml)
        self.register(moves)
        return moves


ENA = "TC07 - ENASARCO (8.5%)"


def agent_line(amount, flagged=True, number="auto", kind="CASSA-PREV", text=ENA, **kw):
    amount = D(amount)
    if number == "auto":
        number = (amount * D("0.085")).quantize(D("0.01"))
    other = [] if number is None else [(kind, text, number)]
    return LineSpec("Provvigioni", price_unit=amount, withholding=flagged, other_data=other, **kw)


RT02 = WithholdingSpec(type="RT02", rate=D("23"), reason="ZO", amount=D("86.25"))


class AttackCommon(AutoregCommon):
    """Attacks on the readings added in session 2 (a total written net of the
    withholding, a summary Arrotondamento applied to the total, ENASARCO in the
    lines' AltriDatiGestionali, due dates, 0.00 installments): each document is
    registered with exactly its figures, or stays pending; never another bill.
    The attacks are in the files of the rules they attack (TestXxxAttacks)."""

    def exact_or_refused(self, move, untaxed, tax, due, move_type="in_invoice"):
        """The only acceptable outcomes: the exact bill, or pending."""
        if move.state == "posted":
            self.assertRegistered(move, untaxed, tax, due, move_type=move_type)
            self.assertAlmostEqual(
                sum(a for _d, a in self.payable_schedule(move)), float(due), places=2
            )
        else:
            self.assertEqual(move.l10n_it_autoreg_state, "unrecognized")

    def must_register(self, move, untaxed, tax, due, move_type="in_invoice"):
        self.assertRegistered(move, untaxed, tax, due, move_type=move_type)
        self.assertAlmostEqual(
            sum(a for _d, a in self.payable_schedule(move)), float(due), places=2
        )


PARCELLA = "Prestazione professionale"
PARCELLA_AMOUNT = D("1000.00")
DOCUMENT_DATE = date(2025, 1, 15)


@tagged("post_install_l10n", "post_install", "-at_install")
class TaxesCase(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the supplier exists: the only review note is the tax's
        cls.env["res.partner"].with_context(no_vat_validation=True).create(
            {"name": "Fornitore Srl", "vat": "IT01234567890", "is_company": True}
        )

    def purchase_taxes(self, **domain):
        Tax = self.env["account.tax"].with_context(active_test=False)
        return Tax.search(
            [
                *Tax._check_company_domain(self.company),
                ("type_tax_use", "=", "purchase"),
                *[(name, "=", value) for name, value in domain.items()],
            ]
        )

    def repartition(self, tax):
        """What a tax's repartition lines do: (document, type, factor,
        account, tags)."""
        return sorted(
            (
                line.document_type,
                line.repartition_type,
                line.factor_percent,
                line.account_id.code or "",
                tuple(sorted(line.tag_ids.mapped("name"))),
            )
            for line in tax.repartition_line_ids
        )

    def assertCopiedFrom(self, tax, template):
        """Accounts, tax group, repartition and computation of ``template``."""
        for name in (
            "tax_group_id",
            "tax_exigibility",
            "cash_basis_transition_account_id",
            "include_base_amount",
            "is_base_affected",
            "price_include",
            "amount_type",
            "type_tax_use",
            "company_id",
        ):
            self.assertEqual(tax[name], template[name], name)
        self.assertEqual(self.repartition(tax), self.repartition(template))
        self.assertTrue(tax.active)

    def account(self, xmlid):
        """The code of the chart's account ``xmlid`` (codes are padded)."""
        return self.tax(xmlid).code

    def trace(self, move):
        return " ".join(move.message_ids.mapped("body"))

    def parcella(self, number="PARC-1", amount=PARCELLA_AMOUNT, **kw):
        return InvoiceSpec(
            document_type="TD06",
            number=number,
            lines=[LineSpec(PARCELLA, price_unit=amount, withholding=True)],
            **kw,
        )
