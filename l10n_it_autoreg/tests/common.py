"""Test base of the registration engine: an Italian company (chart 'it',
withholding and pension fund taxes of l10n_it_edi_withholding) whose VAT
number and fiscal code are the builder's default buyer, so that
``InvoiceSpec()`` is addressed to it."""
import datetime as dt
from decimal import Decimal

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.l10n_it_autoreg.tests import builder
from odoo.addons.l10n_it_autoreg.tests.builder import (  # noqa: F401 - re-exported
    AttachmentSpec, DiscountSpec, InstallmentSpec, InvoiceSpec, LineSpec, PartySpec,
    PaymentSpec, PensionFundSpec, SimplifiedLineSpec, SimplifiedSpec, SummarySpec,
    WithholdingSpec, build_file, build_simplified_xml, build_xml, filename_for,
)
from odoo.tests import tagged

COMPANY_VAT = "IT07654321004"
COMPANY_CF = "07654321004"


@tagged("post_install_l10n", "post_install", "-at_install")
class AutoregCommon(AccountTestInvoicingCommon):

    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({"vat": COMPANY_VAT, "l10n_it_codice_fiscale": COMPANY_CF})
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.engine = cls.env["l10n_it_autoreg.engine"]
        cls._ensure_withholding_taxes()
        cls.sequence = 0

    @classmethod
    def _ensure_withholding_taxes(cls):
        """l10n_it_edi_withholding's post_init only updates companies that
        exist when it is installed: a company made later gets the taxes from
        the chart template; load them when they are missing."""
        ChartTemplate = cls.env["account.chart.template"].with_company(cls.company)
        if not ChartTemplate.ref("20awi", raise_if_not_found=False):
            ChartTemplate._load_data({
                "account.account": ChartTemplate._get_it_withholding_account_account(),
                "account.tax": ChartTemplate._get_it_withholding_account_tax(),
                "account.tax.group": ChartTemplate._get_it_withholding_account_tax_group(),
            })

    @classmethod
    def tax(cls, xmlid):
        return cls.env["account.chart.template"].with_company(cls.company).ref(xmlid)

    def make_split_payment_tax(self, rate="22am"):
        """A split payment purchase tax as an Italian PA configures it: the
        deductible VAT (+100%) and the VAT owed to the Treasury (-100%)."""
        from odoo import Command
        vat = self.tax(rate)
        split = vat.copy({"name": "%s SP" % vat.name, "description": "%s SP" % vat.description})
        negative = {"repartition_type": "tax", "factor_percent": -100,
                    "account_id": self.company_data["default_account_tax_sale"].id}
        split.write({"invoice_repartition_line_ids": [Command.create(negative)],
                     "refund_repartition_line_ids": [Command.create(negative)]})
        return split

    # -- receiving ---------------------------------------------------------
    def next_name(self, suffix="xml"):
        type(self).sequence += 1
        return "IT01234567890_%05d.%s" % (type(self).sequence, suffix)

    def receive_bytes(self, data, filename=None):
        """Upload on the purchase journal (what drag & drop does)."""
        attachment = self.env["ir.attachment"].create({
            "name": filename or self.next_name(), "raw": data})
        return self.journal.with_context(default_move_type="in_invoice") \
            ._create_document_from_attachment(attachment.ids)

    def receive(self, *specs, **options):
        return self.receive_bytes(build_xml(*specs, **options))

    def register(self, moves):
        run = moves.action_l10n_it_autoreg_register()
        moves.invalidate_recordset()
        return run

    def receive_and_register(self, *specs, **options):
        moves = self.receive(*specs, **options)
        self.register(moves)
        return moves

    # -- assertions --------------------------------------------------------
    def assertRegistered(self, move, untaxed, tax, total, move_type="in_invoice"):
        self.assertEqual(
            (move.l10n_it_autoreg_state, move.l10n_it_autoreg_reason_code), ("registered", False),
            move.l10n_it_autoreg_reason)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, move_type)
        self.assertEqual(move.payment_state, "not_paid")
        self.assertAlmostEqual(move.amount_untaxed, float(untaxed), places=2)
        self.assertAlmostEqual(move.amount_tax, float(tax), places=2)
        self.assertAlmostEqual(move.amount_total, float(total), places=2)

    def assertRefused(self, move, code, *fragments):
        self.assertEqual(move.l10n_it_autoreg_state, "unrecognized", move.l10n_it_autoreg_reason)
        self.assertEqual(move.l10n_it_autoreg_reason_code, code, move.l10n_it_autoreg_reason)
        self.assertEqual(move.state, "draft")
        for fragment in fragments:
            self.assertIn(fragment, move.l10n_it_autoreg_reason)

    def payable_schedule(self, move):
        lines = move.line_ids.filtered(lambda l: l.display_type == "payment_term") \
            .sorted("date_maturity")
        return [(l.date_maturity, round(-l.amount_currency if move.move_type == "in_invoice"
                                        else l.amount_currency, 2)) for l in lines]


D = Decimal
date = dt.date
