"""VAT taxes: each line takes the company's purchase tax of its rate and
Natura, and the bill's VAT is the document's.

A rate or a Natura without a purchase tax is tax_not_found (never posted as
0%); every current Natura and the legacy generic N2 / N3 (before 2021) have
their 0% tax made with the chart, reverse charge N6.x the chart's reverse
charge taxes (the generic N6 is the company's decision); split payment;
VAT per rate as the summary rows state it (rows split or without lines,
lines without a row, the supplier's rounding per line within the
tolerance, beyond it refused)."""

import importlib.util
import os

from odoo import Command

from .common import (
    D,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    SummarySpec,
    date,
)
from .rule_cases import DOCUMENT_DATE, AdversarialCommon, TaxesCase


class TestTaxRows(AdversarialCommon):
    def test_line_rate_without_summary_row(self):
        spec = InvoiceSpec(
            lines=[LineSpec(), LineSpec("B", price_unit=D("50"), vat_rate=D("10"))],
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22"))],
            total=D("127.00"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_summary_row_without_lines(self):
        spec = InvoiceSpec(
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22")),
                SummarySpec(vat_rate=D("10"), taxable=D("50"), tax=D("5")),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_same_rate_split_in_two_rows(self):
        # two rows at 22% (e.g. goods and SpeseAccessorie written apart)
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("B", price_unit=D("50"))],
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22")),
                SummarySpec(vat_rate=D("22"), taxable=D("50"), tax=D("11")),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 150, 33, 183)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 33.0})

    def test_same_rate_immediate_and_split_payment(self):
        # one part split payment, one not: one tax cannot be both
        self.make_split_payment_tax()
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100")), LineSpec("B", price_unit=D("50"))],
            summary=[
                SummarySpec(vat_rate=D("22"), taxable=D("100"), tax=D("22"), vat_due="I"),
                SummarySpec(vat_rate=D("22"), taxable=D("50"), tax=D("11"), vat_due="S"),
            ],
            payments=[PaymentSpec(installments=[InstallmentSpec(amount=D("172.00"))])],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_two_exempt_natures(self):
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        spec = InvoiceSpec(
            lines=[
                LineSpec(),
                LineSpec("Esente", price_unit=D("30"), vat_rate=D("0"), nature="N4"),
                LineSpec("Fuori campo", price_unit=D("20"), vat_rate=D("0"), nature="N2.2"),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 150, 22, 172)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 22.0})
        self.assertEqual(
            sorted(r for r in move.invoice_line_ids.tax_ids.mapped("l10n_it_exempt_reason") if r),
            ["N2.2", "N4"],
        )

    def test_zero_rate_without_nature(self):
        spec = InvoiceSpec(
            lines=[LineSpec(vat_rate=D("0"))],
            summary=[SummarySpec(vat_rate=D("0"), taxable=D("100"), tax=D("0"))],
            total=D("100"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "tax_not_found", "0.00")

    def test_reverse_charge_with_vat_in_summary(self):
        # N6.x with the VAT written in the summary and in the total: what
        # does the buyer owe? not posted
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("0"), nature="N6.3")],
            summary=[SummarySpec(vat_rate=D("0"), nature="N6.3", taxable=D("1000"), tax=D("220"))],
            total=D("1220"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_reverse_charge_with_vat_in_summary_not_in_total(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("0"), nature="N6.3")],
            summary=[SummarySpec(vat_rate=D("0"), nature="N6.3", taxable=D("1000"), tax=D("220"))],
            total=D("1000"),
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_reverse_charge_at_rate_22_with_nature(self):
        # some software writes AliquotaIVA 22 + Natura N6.7 and Imposta 0
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), vat_rate=D("22"), nature="N6.7")],
            summary=[SummarySpec(vat_rate=D("22"), nature="N6.7", taxable=D("1000"), tax=D("0"))],
            total=D("1000"),
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 0, 1000)
        self.assertEqual(move.invoice_line_ids.tax_ids.amount, 22.0)

    def test_split_payment_total_includes_vat(self):
        split = self.make_split_payment_tax()
        spec = InvoiceSpec(
            vat_due="S",
            lines=[LineSpec(price_unit=D("300"))],
            payments=[
                PaymentSpec(
                    conditions="TP01",
                    installments=[
                        InstallmentSpec(due_date=date(2025, 2, 28)),
                        InstallmentSpec(due_date=date(2025, 3, 31)),
                    ],
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 300, 0, 300)
        self.assertEqual(move.invoice_line_ids.tax_ids, split)
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 66.0})
        self.assertEqual(
            self.payable_schedule(move), [(date(2025, 2, 28), 150.0), (date(2025, 3, 31), 150.0)]
        )

    def test_split_payment_total_excludes_vat(self):
        self.make_split_payment_tax()
        spec = InvoiceSpec(vat_due="S", total=D("100.00"))
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch")

    def test_split_payment_without_total(self):
        self.make_split_payment_tax()
        move = self.receive_and_register(InvoiceSpec(vat_due="S", omit_total=True))
        self.assertRegistered(move, 100, 0, 100)
        self.assertEqual(self.payable_schedule(move)[0][1], 100.0)

    def test_tax_rounding_beyond_tolerance(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("33.33"))],
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("33.33"), tax=D("7.50"))],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "7.50")

    def test_vat_per_rate_rounding_many_lines(self):
        # round_globally vs the supplier rounding per rate: VAT per rate is
        # the document's
        lines = [LineSpec(f"L{i}", price_unit=D("0.33"), quantity=D("1")) for i in range(10)]
        lines += [LineSpec(f"M{i}", price_unit=D("1.15"), vat_rate=D("10")) for i in range(7)]
        spec = InvoiceSpec(lines=lines)
        move = self.receive_and_register(spec)
        # 3.30 @22 -> 0.73 ; 8.05 @10 -> 0.81 (0.805 half up)
        self.assertRegistered(move, D("11.35"), D("1.54"), D("12.89"))
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 0.73, (10.0, None): 0.81})

    def test_vat_rounded_per_line_many_lines(self):
        # 40 lines of 0.35 at 22%: VAT of the total 14.00 x 22% = 3.08; the
        # supplier added the VAT of each line (0.077 -> 0.08): 3.20, within
        # half a cent per line; the bill carries the document's VAT
        lines = [LineSpec(f"L{i}", price_unit=D("0.35")) for i in range(40)]
        spec = InvoiceSpec(
            lines=lines, summary=[SummarySpec(vat_rate=D("22"), taxable=D("14.00"), tax=D("3.20"))]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 14, D("3.20"), D("17.20"))
        self.assertEqual(self.vat_by_rate(move), {(22.0, None): 3.2})

    def test_vat_beyond_per_line_rounding(self):
        lines = [LineSpec(f"L{i}", price_unit=D("0.35")) for i in range(4)]
        spec = InvoiceSpec(
            lines=lines, summary=[SummarySpec(vat_rate=D("22"), taxable=D("1.40"), tax=D("0.40"))]
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "totals_mismatch", "0.40")

    def test_exempt_needs_a_tax(self):
        """The Italian chart loaded with the addon has a 0% purchase tax per
        exempt Natura; without one the document is not registered."""
        spec = InvoiceSpec(
            lines=[LineSpec(), LineSpec("Esente", price_unit=D("30"), vat_rate=D("0"), nature="N4")]
        )
        n4_taxes = (
            self.env["account.tax"]
            .with_context(active_test=False)
            .search(
                [
                    *self.env["account.tax"]._check_company_domain(self.company),
                    ("type_tax_use", "=", "purchase"),
                    ("l10n_it_exempt_reason", "=", "N4"),
                ]
            )
        )
        self.assertTrue(n4_taxes)
        n4_taxes.unlink()
        move = self.receive_and_register(spec)
        self.assertRefused(move, "tax_not_found", "0.00", "N4")
        self.env["account.chart.template"]._l10n_it_autoreg_ensure_exempt_purchase_taxes(
            self.company
        )
        self.register(move)
        self.assertRegistered(move, 130, 22, 152)
        exempt = move.invoice_line_ids.filtered(lambda line: line.name == "Esente")
        self.assertEqual(exempt.tax_ids.l10n_it_exempt_reason, "N4")

    def test_unknown_rate_not_posted_as_zero(self):
        move = self.receive_and_register(InvoiceSpec(lines=[LineSpec(vat_rate=D("15.55"))]))
        self.assertRefused(move, "tax_not_found", "15.55")

    def test_reverse_charge(self):
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[
                    LineSpec(
                        "Subappalto edile", price_unit=D("1000"), vat_rate=D("0"), nature="N6.3"
                    )
                ]
            )
        )
        self.assertRegistered(move, 1000, 0, 1000)
        tax = move.invoice_line_ids.tax_ids
        self.assertEqual(tax.amount, 22.0)
        tax_lines = move.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertEqual(sorted(tax_lines.mapped("balance")), [-220.0, 220.0])

    def test_split_payment_needs_a_tax(self):
        move = self.receive_and_register(InvoiceSpec(vat_due="S"))
        self.assertRefused(move, "tax_not_found", "split payment")

    def test_split_payment(self):
        vat = self.tax("22am")
        split = vat.copy({"name": "22% SP acquisti", "description": "22SP"})
        negative = {
            "repartition_type": "tax",
            "factor_percent": -100,
            "account_id": self.company_data["default_account_tax_sale"].id,
        }
        split.write(
            {
                "invoice_repartition_line_ids": [Command.create(negative)],
                "refund_repartition_line_ids": [Command.create(negative)],
            }
        )
        move = self.receive_and_register(InvoiceSpec(vat_due="S"))
        self.assertRegistered(move, 100, 0, 100)
        self.assertEqual(move.invoice_line_ids.tax_ids, split)
        self.assertEqual(self.payable_schedule(move)[0][1], 100.0)

    def test_tax_rounding_within_tolerance_follows_document(self):
        # the supplier rounded VAT differently: 22% of 33.33 = 7.33, says 7.34
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("33.33"))],
            summary=[SummarySpec(vat_rate=D("22"), taxable=D("33.33"), tax=D("7.34"))],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, D("33.33"), D("7.34"), D("40.67"))


class TestEveryNatura(TaxesCase):
    EXEMPT = (
        "N1",
        "N2.1",
        "N2.2",
        "N3.1",
        "N3.2",
        "N3.3",
        "N3.4",
        "N3.5",
        "N3.6",
        "N4",
        "N5",
        "N7",
    )

    def exempt_spec(self, number, natures, day=DOCUMENT_DATE):
        lines = [LineSpec()] + [
            LineSpec(
                f"Operazione {nature}",
                price_unit=D("10.00"),
                vat_rate=D("0"),
                nature=nature,
            )
            for nature in natures
        ]
        return InvoiceSpec(number=number, date=day, lines=lines)

    def test_every_current_natura_registers_with_its_zero_tax(self):
        for create in (True, False):  # the taxes come with the chart, not the option
            self.company.l10n_it_autoreg_create_taxes = create
            move = self.receive_and_register(self.exempt_spec(f"NAT-{create}", self.EXEMPT))
            self.assertRegistered(move, 220, 22, 242)
            for nature in self.EXEMPT:
                line = move.invoice_line_ids.filtered(lambda aml, n=nature: aml.name.endswith(n))
                self.assertEqual(line.tax_ids.mapped("amount"), [0.0], nature)
                self.assertEqual(line.tax_ids.l10n_it_exempt_reason, nature)
            self.assertFalse(move.l10n_it_autoreg_review_codes)

    def test_generic_n2_and_n3_of_a_2019_document(self):
        move = self.receive_and_register(
            self.exempt_spec("2019-OLD", ("N2", "N3"), day=date(2019, 3, 1))
        )
        self.assertRegistered(move, 120, 22, 142)
        for nature in ("N2", "N3"):
            line = move.invoice_line_ids.filtered(lambda aml, n=nature: aml.name.endswith(n))
            self.assertEqual(line.tax_ids.l10n_it_exempt_reason, nature)
            self.assertEqual(line.tax_ids.amount, 0.0)

    def test_generic_taxes_made_with_the_chart_like_the_others(self):
        n1 = self.tax("00am")
        for nature, law in (
            ("N2", "[N2] Non soggette"),
            ("N3", "[N3] Non imponibili"),
            ("N7", "[N7] IVA assolta in altro stato UE"),
        ):
            tax = self.purchase_taxes(l10n_it_exempt_reason=nature)
            self.assertEqual((tax.name, tax.amount), (f"0% {nature}", 0.0))
            self.assertTrue(tax.l10n_it_law_reference.startswith(law), tax.l10n_it_law_reference)
            self.assertEqual(self.repartition(tax), self.repartition(n1))
            self.assertEqual(tax.tax_group_id, n1.tax_group_id)

    def test_upgrade_makes_the_natura_taxes_a_company_lacks(self):
        """A database upgraded from 18.0.1.1.0 (its companies made the 0%
        taxes of N2.1-N5 only) gets the generic N2, N3 and N7 ones."""
        path = os.path.join(
            os.path.dirname(os.path.dirname(__file__)),
            "migrations",
            "18.0.1.2.0",
            "post-migrate.py",
        )
        spec = importlib.util.spec_from_file_location("l10n_it_autoreg_post_migrate_1_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.purchase_taxes(l10n_it_exempt_reason="N7").unlink()
        self.purchase_taxes(l10n_it_exempt_reason="N2").unlink()
        n4 = self.purchase_taxes(l10n_it_exempt_reason="N4")
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        for nature in ("N2", "N7"):
            tax = self.purchase_taxes(l10n_it_exempt_reason=nature)
            self.assertEqual((tax.name, tax.amount), (f"0% {nature}", 0.0))
        self.assertEqual(self.purchase_taxes(l10n_it_exempt_reason="N4"), n4)
        move = self.receive_and_register(self.exempt_spec("UPG-1", ("N7",)))
        self.assertRegistered(move, 110, 22, 132)

    def test_reverse_charge_sub_codes_integrate_the_vat(self):
        natures = ["N6.%d" % i for i in range(1, 9)]
        lines = [
            LineSpec(f"Inversione {n}", price_unit=D("100.00"), vat_rate=D("0"), nature=n)
            for n in natures
        ]
        move = self.receive_and_register(InvoiceSpec(number="RC-ALL", lines=lines))
        self.assertRegistered(move, 800, 0, 800)
        tags = self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping()
        for nature in natures:
            line = move.invoice_line_ids.filtered(lambda aml, n=nature: aml.name.endswith(n))
            self.assertEqual(line.tax_ids.amount, 22.0, nature)
            base_tags = line.tax_ids.invoice_repartition_line_ids.tag_ids.mapped("name")
            self.assertIn("+" + tags[nature].lower(), [t.lower() for t in base_tags], nature)
        tax_lines = move.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertAlmostEqual(sum(b for b in tax_lines.mapped("balance") if b > 0), 176.0)
        self.assertAlmostEqual(sum(tax_lines.mapped("balance")), 0.0)

    def test_n6_9_without_a_tax_is_not_found(self):
        move = self.receive_and_register(
            InvoiceSpec(
                number="RC-69",
                lines=[
                    LineSpec("Altri casi", price_unit=D("100.00"), vat_rate=D("0"), nature="N6.9")
                ],
            )
        )
        self.assertRefused(move, "tax_not_found", "N6.9")

    def test_generic_n6_of_2019_is_the_company_decision(self):
        spec = InvoiceSpec(
            number="RC-2019",
            date=date(2019, 5, 10),
            lines=[LineSpec("Pulizie", price_unit=D("100.00"), vat_rate=D("0"), nature="N6")],
        )
        for create in (True, False):
            self.company.l10n_it_autoreg_create_taxes = create
            spec.number = f"RC-2019-{create}"
            move = self.receive_and_register(spec)
            self.assertRefused(move, "tax_not_found", "N6", "2021")
        # the company decides: its reverse charge tax with exoneration N6
        rc = self.tax("22rc_n67").copy(
            {"name": "22% RC N6 (ante 2021)", "active": True, "l10n_it_exempt_reason": "N6"}
        )
        self.register(move)
        self.assertRegistered(move, 100, 0, 100)
        self.assertEqual(move.invoice_line_ids.tax_ids, rc)
