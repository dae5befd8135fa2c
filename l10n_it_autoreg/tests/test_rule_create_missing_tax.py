"""Taxes that are the company's decision (split payment, a rate or a reverse
charge Natura with no purchase tax): the document stays tax_not_found with
the key of the tax it waits for; "Create this tax" opens the tax form
pre-filled from the document and the company's nearest tax, and saving it
registers again every not recognized bill of the company waiting for that
tax (one run), and no other."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AutoregCommon, D, InvoiceSpec, LineSpec, SummarySpec

TAX_FORM = "l10n_it_autoreg.view_tax_form_l10n_it_autoreg_missing"


@tagged("post_install", "-at_install")
class TestCreateMissingTax(AutoregCommon):
    def setUp(self):
        super().setUp()
        # an existing supplier: no supplier_created review on the bills
        self.env["res.partner"].with_context(no_vat_validation=True).create(
            {"name": "Fornitore (anagrafica)", "vat": "IT01234567890", "is_company": True}
        )

    def refused(self, spec, key):
        move = self.receive_and_register(spec)
        self.assertRefused(move, "tax_not_found")
        self.assertEqual(move.l10n_it_autoreg_missing_tax_key, key)
        return move

    def tax_form(self, move):
        action = move.action_l10n_it_autoreg_create_missing_tax()
        self.assertEqual((action["res_model"], action["target"]), ("account.tax", "new"))
        self.assertEqual(action["views"], [(self.env.ref(TAX_FORM).id, "form")])
        return Form(self.env["account.tax"].with_context(**action["context"]), view=TAX_FORM)

    def distribution(self, tax, document_type="invoice"):
        lines = tax[f"{document_type}_repartition_line_ids"].sorted(
            lambda line: (line.sequence, line.id)
        )
        return [
            (
                line.repartition_type,
                line.factor_percent,
                line.account_id.code or False,
                sorted(line.tag_ids.mapped("name")),
            )
            for line in lines
        ]

    def plus_minus(self, document_type="invoice"):
        """The distribution of a +100% / -100% purchase tax copied from the
        chart: the deductible VAT (as its 22% purchase tax) and the VAT owed
        to the Treasury (as its reverse charge)."""
        plus, minus = ("+", "-") if document_type == "invoice" else ("-", "+")
        return [
            ("base", 100.0, False, [plus + "03"]),
            ("tax", 100.0, self.account("1601"), [plus + "5v"]),
            ("tax", -100.0, self.account("2601"), [minus + "4v"]),
        ]

    def account(self, xmlid):
        return self.env["account.chart.template"].with_company(self.company).ref(xmlid).code

    def tax_lines(self, move):
        return sorted(
            move.line_ids.filtered(lambda line: line.display_type == "tax").mapped(
                lambda line: (line.account_id.code, line.balance)
            )
        )

    # -- split payment ------------------------------------------------------
    def test_split_payment_prefilled_as_a_pa_configures_it(self):
        move = self.refused(InvoiceSpec(vat_due="S"), "22.00|S")
        self.assertIn("split payment", move.l10n_it_autoreg_reason)
        form = self.tax_form(move)
        self.assertEqual(form.name, "22% SP")
        self.assertEqual(
            (form.type_tax_use, form.amount_type, form.amount), ("purchase", "percent", 22.0)
        )
        self.assertFalse(form.l10n_it_exempt_reason)
        self.assertEqual(form.l10n_it_law_reference, "Art. 17-ter DPR 633/1972")
        self.assertEqual(form.tax_group_id, self.tax("22am").tax_group_id)
        self.assertEqual(form.l10n_it_autoreg_waiting_count, 1)
        tax = form.save()
        self.assertEqual(self.distribution(tax), self.plus_minus())
        self.assertEqual(self.distribution(tax, "refund"), self.plus_minus("refund"))
        vat_credit, vat_debit = self.account("1601"), self.account("2601")
        # saved: the bill is registered with it, the VAT nets to 0
        self.assertRegistered(move, 100, 0, 100)
        self.assertEqual(move.invoice_line_ids.tax_ids, tax)
        self.assertEqual(self.tax_lines(move), [(vat_credit, 22.0), (vat_debit, -22.0)])
        self.assertEqual(self.payable_schedule(move)[0][1], 100.0)
        self.assertFalse(move.l10n_it_autoreg_missing_tax_key)

    # -- a plain rate -------------------------------------------------------
    def test_missing_rate_prefilled_from_the_closest_rate(self):
        move = self.refused(InvoiceSpec(lines=[LineSpec(vat_rate=D("15.55"))]), "15.55|")
        form = self.tax_form(move)
        self.assertEqual((form.name, form.amount, form.invoice_label), ("15.55%", 15.55, "15.55%"))
        self.assertFalse(form.l10n_it_exempt_reason)
        self.assertFalse(form.l10n_it_law_reference)
        # 10% is the closest rate of the chart's purchase taxes
        self.assertEqual(form.tax_group_id, self.tax("10am").tax_group_id)
        tax = form.save()
        self.assertEqual(
            self.distribution(tax),
            [
                ("base", 100.0, False, ["+03"]),
                ("tax", 100.0, self.account("1601"), ["+5v"]),
            ],
        )
        self.assertRegistered(move, 100, D("15.55"), D("115.55"))
        self.assertEqual(move.invoice_line_ids.tax_ids, tax)

    # -- a reverse charge Natura --------------------------------------------
    def test_reverse_charge_natura_prefilled_with_the_document_law_reference(self):
        spec = InvoiceSpec(
            lines=[
                LineSpec(
                    "Servizi da non residente", price_unit=D("1000"), vat_rate=D("0"), nature="N6.9"
                )
            ],
            summary=[
                SummarySpec(
                    vat_rate=D("0"),
                    nature="N6.9",
                    taxable=D("1000"),
                    tax=D("0"),
                    vat_due=None,
                    law_reference="Art. 17 c. 2 DPR 633/72",
                )
            ],
            total=D("1000"),
        )
        move = self.refused(spec, "0.00|N6.9")
        form = self.tax_form(move)
        # written at 0% in the document: the buyer integrates the standard rate
        self.assertEqual((form.name, form.amount), ("22% RC N6.9", 22.0))
        self.assertEqual(form.l10n_it_exempt_reason, "N6.9")
        self.assertEqual(form.l10n_it_law_reference, "Art. 17 c. 2 DPR 633/72")
        self.assertEqual(form.tax_group_id, self.tax("22rcs").tax_group_id)
        tax = form.save()
        # the chart's 22% reverse charge, without its own grid (VJ3)
        self.assertEqual(self.distribution(tax), self.plus_minus())
        self.assertEqual(self.distribution(tax, "refund"), self.plus_minus("refund"))
        vat_credit, vat_debit = self.account("1601"), self.account("2601")
        self.assertRegistered(move, 1000, 0, 1000)
        self.assertEqual(move.invoice_line_ids.tax_ids, tax)
        self.assertEqual(self.tax_lines(move), [(vat_credit, 220.0), (vat_debit, -220.0)])

    def test_reverse_charge_natura_with_a_grid_takes_its_grid(self):
        # the chart's N6.3 taxes gone: the new one takes N6.3's grid (VJ12)
        Tax = self.env["account.tax"].with_context(active_test=False)
        rc_tag = self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping()["N6.3"]
        n63 = Tax.search(
            [*Tax._check_company_domain(self.company), ("type_tax_use", "=", "purchase")]
        ).filtered(
            lambda t: rc_tag
            in [tag.name.lstrip("+-").upper() for tag in t.invoice_repartition_line_ids.tag_ids]
        )
        self.assertTrue(n63)
        n63.unlink()
        spec = InvoiceSpec(
            lines=[
                LineSpec("Subappalto edile", price_unit=D("500"), vat_rate=D("0"), nature="N6.3")
            ]
        )
        move = self.refused(spec, "0.00|N6.3")
        tax = self.tax_form(move).save()
        base = tax.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "base"
        )
        self.assertEqual(sorted(t.name.upper() for t in base.tag_ids), ["+03", "+" + rc_tag])
        self.assertEqual(tax.l10n_it_law_reference, "Operazione N6.3")
        self.assertRegistered(move, 500, 0, 500)

    # -- saving registers the waiting documents, and only them ---------------
    def test_saving_registers_every_bill_waiting_for_the_tax_and_no_other(self):
        first = self.refused(InvoiceSpec(number="SP-1", vat_due="S"), "22.00|S")
        second = self.refused(
            InvoiceSpec(
                number="SP-2", vat_due="S", lines=[LineSpec("Manutenzione", price_unit=D("250"))]
            ),
            "22.00|S",
        )
        ten = self.refused(
            InvoiceSpec(
                number="SP-3",
                vat_due="S",
                lines=[LineSpec("Libri", price_unit=D("80"), vat_rate=D("10"))],
            ),
            "10.00|S",
        )
        rate = self.refused(
            InvoiceSpec(number="R-1", lines=[LineSpec(vat_rate=D("15.55"))]), "15.55|"
        )
        Run = self.env["l10n_it_autoreg.run"]
        runs_before = Run.search([])
        form = self.tax_form(second)
        self.assertEqual(form.l10n_it_autoreg_waiting_count, 2)
        tax = form.save()
        self.assertRegistered(first, 100, 0, 100)
        self.assertRegistered(second, 250, 0, 250)
        self.assertEqual((first | second).invoice_line_ids.tax_ids, tax)
        for move, key in ((ten, "10.00|S"), (rate, "15.55|")):
            self.assertRefused(move, "tax_not_found")
            self.assertEqual(move.l10n_it_autoreg_missing_tax_key, key)
        # through one run, which says so; the tax's chatter too
        run = Run.search([]) - runs_before
        self.assertEqual(len(run), 1)
        self.assertEqual(run.recognized_move_ids, first | second)
        self.assertFalse(run.unrecognized_move_ids)
        self.assertEqual(run.outcome, "success")
        self.assertIn("2 registered, 0 not recognized", tax.message_ids[:1].body)
        # nothing waits for it any more: the action refuses
        with self.assertRaises(UserError):
            first.action_l10n_it_autoreg_create_missing_tax()

    def test_a_tax_not_fitting_the_documents_leaves_them_refused(self):
        move = self.refused(InvoiceSpec(vat_due="S"), "22.00|S")
        form = self.tax_form(move)
        form.amount = 10.0  # the accountant changed the rate
        form.name = "10% SP"
        form.save()
        self.assertRefused(move, "tax_not_found", "split payment")
        self.assertEqual(move.l10n_it_autoreg_missing_tax_key, "22.00|S")

    def test_other_refusals_carry_no_missing_tax(self):
        move = self.receive_and_register(InvoiceSpec(total=D("999.00")))
        self.assertRefused(move, "totals_mismatch")
        self.assertFalse(move.l10n_it_autoreg_missing_tax_key)
        with self.assertRaises(UserError):
            move.action_l10n_it_autoreg_create_missing_tax()

    # -- rights -------------------------------------------------------------
    def test_a_user_who_cannot_create_taxes_cannot(self):
        move = self.refused(InvoiceSpec(vat_due="S"), "22.00|S")
        action = move.action_l10n_it_autoreg_create_missing_tax()
        clerk = new_test_user(
            self.env,
            login="contabile",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            move.with_user(clerk).action_l10n_it_autoreg_create_missing_tax()
        Tax = self.env["account.tax"].with_user(clerk).with_context(**action["context"])
        with self.assertRaises(AccessError):
            Tax.create({})
        # the button is not in the clerk's views, the reason is
        Move = self.env["account.move"].with_user(clerk)
        arch = Move.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_l10n_it_autoreg_create_missing_tax", arch)
        self.assertIn("l10n_it_autoreg_reason", arch)
        run_arch = (
            self.env["l10n_it_autoreg.run"]
            .with_user(clerk)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("action_l10n_it_autoreg_create_missing_tax", run_arch)
        manager_arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_l10n_it_autoreg_create_missing_tax", manager_arch["arch"])
        self.assertRefused(move, "tax_not_found")
