"""The payment schedule of the bill, and paying registered bills.

The schedule is the e-invoice's (DatiPagamento): its installments and due
dates, whatever the supplier's payment terms; without payment data, the
supplier's terms, else the document date; installments that do not add up
to the amount due (net of withholdings): see below; two
payment blocks as alternatives or as advance and balance; 0.00
installments, unreadable dates.  Installments that do not add up to the
amount due of a bill whose figures are verified: the whole amount due on
the earliest stated due date, to review (schedule_adjusted).  Then the way to "paid": the supplier's
bank account and payment code, manual payment, bank statement lines
reconciled through the ORM and through the optional OCA reconciliation
screen (account_reconcile_oca)."""

import re
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import Form, tagged

from .common import (
    AutoregCommon,
    D,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    WithholdingSpec,
    build_xml,
    date,
)
from .rule_cases import AdversarialCommon, AttackCommon, edit_xml, sub

IBAN = "IT60X0542811101000000123456"


class TestSchedule(AdversarialCommon):
    def test_due_date_before_document_date(self):
        spec = InvoiceSpec(
            payments=[PaymentSpec(installments=[InstallmentSpec(due_date=date(2025, 1, 10))])]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 1, 10), 122.0)])

    def test_installment_with_term_days_only(self):
        xml = build_xml(InvoiceSpec())

        def change(root, find):
            due = find("DataScadenzaPagamento")[0]
            parent = due.getparent()
            index = parent.index(due)
            parent.remove(due)
            sub(parent, "GiorniTerminiPagamento", "60", index=index - 0)
            ref = etree.Element("DataRiferimentoTerminiPagamento")
            ref.text = "2025-01-31"
            parent.insert(index, ref)

        move = self.receive_xml_and_register(edit_xml(xml, change))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 4, 1), 122.0)])

    def test_installments_do_not_add_up(self):
        spec = InvoiceSpec(
            payments=[
                PaymentSpec(
                    conditions="TP01",
                    installments=[
                        InstallmentSpec(amount=D("61"), due_date=date(2025, 2, 1)),
                        InstallmentSpec(amount=D("60"), due_date=date(2025, 3, 1)),
                    ],
                )
            ]
        )
        move = self.receive_and_register(spec)
        # the whole amount due on the earliest stated date, to review
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 1), 122.0)])
        self.assertEqual(move.invoice_date_due, date(2025, 2, 1))
        self.assertIn("schedule_adjusted", move.l10n_it_autoreg_review_codes.split())
        self.assertIn("121.00", move.l10n_it_autoreg_review)

    def test_single_installment_different_amount(self):
        # one installment that is not the amount due: the figures are
        # verified, the amount due is the bill's, on that date, to review
        spec = InvoiceSpec(
            payments=[PaymentSpec(installments=[InstallmentSpec(amount=D("100.00"))])]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 122.0)])
        self.assertIn("schedule_adjusted", move.l10n_it_autoreg_review_codes.split())
        self.assertIn("100.00", move.l10n_it_autoreg_review)

    def test_single_installment_is_gross_total_with_withholding(self):
        # the supplier wrote the document total as the amount to pay: the
        # buyer pays the total net of the withholding (law), on that date
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec()],
            payments=[
                PaymentSpec(
                    installments=[InstallmentSpec(amount=D("1220.00"), due_date=date(2025, 2, 20))]
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 20), 1020.0)])

    def test_single_installment_zero(self):
        spec = InvoiceSpec(payments=[PaymentSpec(installments=[InstallmentSpec(amount=D("0.00"))])])
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 14), 122.0)])
        self.assertIn("schedule_adjusted", move.l10n_it_autoreg_review_codes.split())

    def test_installment_without_any_date(self):
        xml = build_xml(InvoiceSpec())

        def change(root, find):
            due = find("DataScadenzaPagamento")[0]
            due.getparent().remove(due)

        move = self.receive_xml_and_register(edit_xml(xml, change))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(sum(a for _d, a in self.payable_schedule(move)), 122.0)

    def test_two_payment_blocks_as_alternatives(self):
        # two DatiPagamento of the whole amount (bank transfer or RIBA):
        # never a bill due twice
        spec = InvoiceSpec(
            payments=[
                PaymentSpec(installments=[InstallmentSpec(due_date=date(2025, 2, 28))]),
                PaymentSpec(
                    installments=[
                        InstallmentSpec(method="MP12", iban=None, due_date=date(2025, 2, 28))
                    ]
                ),
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 28), 122.0)])

    def test_two_payment_blocks_advance_and_balance(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"))],
            payments=[
                PaymentSpec(
                    conditions="TP03",
                    installments=[InstallmentSpec(amount=D("220.00"), due_date=date(2025, 1, 20))],
                ),
                PaymentSpec(
                    conditions="TP02",
                    installments=[InstallmentSpec(amount=D("1000.00"), due_date=date(2025, 2, 28))],
                ),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 1000, 220, 1220)
        self.assertEqual(
            self.payable_schedule(move), [(date(2025, 1, 20), 220.0), (date(2025, 2, 28), 1000.0)]
        )

    def test_installments_with_withholding(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec()],
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
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertEqual(
            self.payable_schedule(move), [(date(2025, 2, 28), 510.0), (date(2025, 3, 31), 510.0)]
        )

    def test_installments(self):
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("300"))],
            payments=[
                PaymentSpec(
                    conditions="TP01",
                    installments=[
                        InstallmentSpec(due_date=date(2025, 2, 28)),
                        InstallmentSpec(due_date=date(2025, 3, 31)),
                        InstallmentSpec(due_date=date(2025, 4, 30)),
                    ],
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 300, 66, 366)
        self.assertEqual(
            self.payable_schedule(move),
            [(date(2025, 2, 28), 122.0), (date(2025, 3, 31), 122.0), (date(2025, 4, 30), 122.0)],
        )
        self.assertEqual(move.invoice_date_due, date(2025, 4, 30))

    def test_supplier_terms_do_not_override_document_dates(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create(
                {
                    "name": "Fornitore",
                    "vat": "IT01234567890",
                    "property_supplier_payment_term_id": self.env.ref(
                        "account.account_payment_term_end_following_month"
                    ).id,
                }
            )
        )
        spec = InvoiceSpec(
            payments=[PaymentSpec(installments=[InstallmentSpec(due_date=date(2025, 3, 10))])]
        )
        move = self.receive_and_register(spec)
        self.assertEqual(move.partner_id, partner)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 3, 10), 122.0)])

    def test_no_payment_data_uses_supplier_terms(self):
        self.env["res.partner"].with_context(no_vat_validation=True).create(
            {
                "name": "Fornitore",
                "vat": "IT01234567890",
                "property_supplier_payment_term_id": self.env.ref(
                    "account.account_payment_term_30days"
                ).id,
            }
        )
        move = self.receive_and_register(InvoiceSpec(payments=[]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_date_due, date(2025, 2, 14))

    def test_no_payment_data_nor_terms_is_due_on_the_document_date(self):
        move = self.receive_and_register(InvoiceSpec(payments=[]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(move.invoice_date_due, date(2025, 1, 15))
        self.assertEqual(self.payable_schedule(move), [(date(2025, 1, 15), 122.0)])

    def test_installments_not_matching(self):
        # verified figures, uncertain schedule: the whole amount due on the
        # earliest stated date, to review (schedule_adjusted)
        spec = InvoiceSpec(
            payments=[
                PaymentSpec(
                    conditions="TP01",
                    installments=[
                        InstallmentSpec(amount=D("50"), due_date=date(2025, 2, 1)),
                        InstallmentSpec(amount=D("50"), due_date=date(2025, 3, 1)),
                    ],
                )
            ]
        )
        move = self.receive_and_register(spec)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 1), 122.0)])
        self.assertEqual(move.invoice_date_due, date(2025, 2, 1))
        self.assertIn("schedule_adjusted", move.l10n_it_autoreg_review_codes.split())


class TestDueDateAttacks(AttackCommon):
    # ------------------------------------------------------------- due dates
    def test_d01_credit_note_zero_installment_with_withholding(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="D-1",
            lines=[LineSpec("Parcella", price_unit=D("1000"), withholding=True)],
            withholdings=[WithholdingSpec(type="RT01", rate=D("20"), reason="A")],
            payments=[
                PaymentSpec("TP02", [InstallmentSpec(amount=D("0.00"), due_date=date(2025, 4, 10))])
            ],
        )
        move = self.receive_and_register(spec)
        self.must_register(move, 1000, D("20.00"), D("1020.00"), move_type="in_refund")

    def test_d02_negative_td01_zero_installment(self):
        """A TD01 with negative amounts (registered as a credit) asking 0.00."""
        spec = InvoiceSpec(
            document_type="TD01",
            number="D-2",
            lines=[LineSpec(price_unit=D("-100.00"))],
            payments=[
                PaymentSpec("TP02", [InstallmentSpec(amount=D("0.00"), due_date=date(2025, 4, 10))])
            ],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 100, 22, 122, move_type="in_refund")

    def test_d03_zero_installment_and_real_one(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="D-3",
            payments=[
                PaymentSpec(
                    "TP01",
                    [
                        InstallmentSpec(amount=D("0.00"), due_date=date(2025, 3, 10)),
                        InstallmentSpec(amount=D("0.00"), due_date=date(2025, 6, 10)),
                    ],
                )
            ],
        )
        move = self.receive_and_register(spec)
        self.exact_or_refused(move, 100, 22, 122, move_type="in_refund")
        if move.state == "posted":
            self.assertEqual(self.payable_schedule(move), [(date(2025, 3, 10), 122.0)])

    def test_d04_no_due_date_supplier_terms(self):
        spec = InvoiceSpec(number="D-4", payments=[])
        move = self.receive_and_register(spec)
        self.must_register(move, 100, 22, 122)
        self.assertEqual(move.invoice_date_due, date(2025, 1, 15))

    def test_d05_unreadable_date_one_of_two(self):
        spec = InvoiceSpec(
            number="D-5",
            payments=[
                PaymentSpec(
                    "TP01",
                    [
                        InstallmentSpec(amount=D("61.00"), due_date=date(2025, 2, 28)),
                        InstallmentSpec(amount=D("61.00"), due_date=date(2025, 3, 31)),
                    ],
                )
            ],
        )
        data = build_xml(spec).replace(b"2025-02-28", b"2025-02-30")
        move = self.receive_bytes(data)
        self.register(move)
        self.exact_or_refused(move, 100, 22, 122)
        if move.state == "posted":
            self.assertEqual(len(self.payable_schedule(move)), 2)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPayments(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]

    def _two_installments_bill(self, number="FT-PAY-1", code="RF18000000000000012345"):
        spec = InvoiceSpec(
            number=number,
            date=date(2025, 3, 10),
            lines=[LineSpec("Materiale", price_unit=D("1000.00"))],
            payments=[
                PaymentSpec(
                    "TP01",
                    [
                        InstallmentSpec(
                            amount=D("610.00"), due_date=date(2025, 4, 30), payment_code=code
                        ),
                        InstallmentSpec(
                            amount=D("610.00"), due_date=date(2025, 5, 31), payment_code=code
                        ),
                    ],
                )
            ],
        )
        bill = self.receive_and_register(spec)
        self.assertRegistered(bill, "1000.00", "220.00", "1220.00")
        return bill

    def _reconcile_by_orm(self, bill_line, amount):
        """What Community 18 offers without a reconciliation screen: a
        statement line whose counterpart is the supplier's payable,
        reconciled with the bill's installment."""
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": bill_line.date_maturity,
                "amount": amount,
                "payment_ref": f"Bonifico {bill_line.move_id.ref}",
                "partner_id": bill_line.partner_id.id,
                "counterpart_account_id": bill_line.account_id.id,
            }
        )
        _liquidity, _suspense, counterpart = st_line._seek_for_lines()
        (counterpart + bill_line).reconcile()
        self.assertTrue(st_line.is_reconciled)

    def test_schedule_bank_and_reference(self):
        bill = self._two_installments_bill()
        self.assertEqual(
            self.payable_schedule(bill), [(date(2025, 4, 30), 610.0), (date(2025, 5, 31), 610.0)]
        )
        self.assertEqual(bill.invoice_date_due, date(2025, 5, 31))
        self.assertEqual(bill.payment_reference, "RF18000000000000012345")
        self.assertEqual(bill.partner_bank_id.acc_number.replace(" ", ""), IBAN)
        self.assertEqual(bill.partner_bank_id.partner_id, bill.partner_id)
        self.assertEqual(bill.payment_state, "not_paid")
        self.assertEqual(bill.amount_residual, 1220.0)
        # ModalitaPagamento kept and shown; the e-invoice total shown while pending
        self.assertEqual(bill.l10n_it_autoreg_payment_method, "MP05")
        self.assertEqual(bill.l10n_it_autoreg_amount_total, 1220.0)

    def test_unreadable_due_date_is_refused(self):
        """DataScadenzaPagamento 2025-02-30: a date the reader cannot read is
        refused wherever it is (README, Reason codes: due dates are never
        ignored), naming the field; nothing is posted."""
        spec = InvoiceSpec(
            number="FT-DATE-1",
            payments=[
                PaymentSpec(
                    "TP02", [InstallmentSpec(amount=D("122.00"), due_date=date(2025, 2, 28))]
                )
            ],
        )
        data = build_xml(spec).replace(b"2025-02-28", b"2025-02-30")
        bill = self.receive_bytes(data)
        self.register(bill)
        self.assertRefused(bill, "bad_value", "DataScadenzaPagamento")

    def test_pending_bill_shows_document_total_and_method(self):
        spec = InvoiceSpec(
            number="FT-PAY-P", payments=[PaymentSpec("TP02", [InstallmentSpec(method="MP12")])]
        )
        pending = self.receive(spec)
        self.assertEqual(pending.l10n_it_autoreg_state, "pending")
        self.assertEqual(pending.amount_total, 0.0)
        self.assertEqual(pending.l10n_it_autoreg_amount_total, 122.0)
        self.assertEqual(pending.l10n_it_autoreg_payment_method, "MP12")

    def test_manual_register_payment(self):
        """Register Payment proposes the next installment of the e-invoice,
        then the rest."""
        bill = self._two_installments_bill(number="FT-PAY-2")
        for pay_date, proposed in ((date(2025, 4, 30), 610.0), (date(2025, 5, 31), 610.0)):
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=bill.ids)
                .create(
                    {
                        "payment_date": pay_date,
                        "journal_id": self.bank_journal.id,
                    }
                )
            )
            self.assertEqual(wizard.amount, proposed)
            wizard.action_create_payments()
            if pay_date.month == 4:
                self.assertEqual(bill.payment_state, "partial")
                self.assertEqual(bill.amount_residual, 610.0)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(bill.amount_residual, 0.0)

    def test_bank_statement_partial_then_full_by_orm(self):
        bill = self._two_installments_bill(number="FT-PAY-3")
        first, second = bill.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).sorted("date_maturity")

        self._reconcile_by_orm(first, -610.0)
        self.assertEqual(bill.payment_state, "partial")
        self.assertEqual(bill.amount_residual, 610.0)

        self._reconcile_by_orm(second, -610.0)
        self.assertEqual(bill.payment_state, "paid")
        self.assertEqual(bill.amount_residual, 0.0)

    def test_several_payment_blocks(self):
        """An advance (TP03) and the balance (TP02) in two DatiPagamento."""
        spec = InvoiceSpec(
            number="FT-PAY-4",
            date=date(2025, 3, 10),
            payments=[
                PaymentSpec(
                    "TP03", [InstallmentSpec(amount=D("22.00"), due_date=date(2025, 3, 15))]
                ),
                PaymentSpec(
                    "TP02", [InstallmentSpec(amount=D("100.00"), due_date=date(2025, 4, 30))]
                ),
            ],
        )
        bill = self.receive_and_register(spec)
        self.assertRegistered(bill, 100, 22, 122)
        self.assertEqual(
            self.payable_schedule(bill), [(date(2025, 3, 15), 22.0), (date(2025, 4, 30), 100.0)]
        )

    def test_credit_note_schedule(self):
        spec = InvoiceSpec(
            document_type="TD04",
            number="NC-PAY-1",
            date=date(2025, 3, 10),
            payments=[PaymentSpec("TP02", [InstallmentSpec(due_date=date(2025, 4, 10))])],
        )
        refund = self.receive_and_register(spec)
        self.assertRegistered(refund, 100, 22, 122, move_type="in_refund")
        self.assertEqual(self.payable_schedule(refund), [(date(2025, 4, 10), 122.0)])
        self.assertEqual(refund.payment_state, "not_paid")

    def test_credit_note_with_zero_installment(self):
        """Seen in the wild: a credit note whose ImportoPagamento is 0.00."""
        spec = InvoiceSpec(
            document_type="TD04",
            number="NC-PAY-0",
            date=date(2025, 3, 10),
            payments=[
                PaymentSpec("TP02", [InstallmentSpec(amount=D("0.00"), due_date=date(2025, 4, 10))])
            ],
        )
        refund = self.receive_and_register(spec)
        self.assertRegistered(refund, 100, 22, 122, move_type="in_refund")
        self.assertEqual(self.payable_schedule(refund), [(date(2025, 4, 10), 122.0)])
        # an invoice asking 0.00 is a schedule that does not add up: the
        # whole amount due on its date, to review
        bill = self.receive_and_register(
            InvoiceSpec(
                number="FT-PAY-0",
                payments=[
                    PaymentSpec(
                        "TP02", [InstallmentSpec(amount=D("0.00"), due_date=date(2025, 4, 10))]
                    )
                ],
            )
        )
        self.assertRegistered(bill, 100, 22, 122)
        self.assertEqual(self.payable_schedule(bill), [(date(2025, 4, 10), 122.0)])
        self.assertEqual(bill.l10n_it_autoreg_review_codes, "schedule_adjusted")

    def test_foreign_currency_installments(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        # a rate is needed: without one Odoo would convert at 1.0 and the
        # engine refuses (currency_rate_missing)
        self.env["res.currency.rate"].create(
            {
                "name": "2025-03-01",
                "rate": 1.08,
                "currency_id": usd.id,
                "company_id": self.company.id,
            }
        )
        spec = InvoiceSpec(
            number="FT-USD-1",
            currency="USD",
            date=date(2025, 3, 10),
            lines=[LineSpec("Licenza", price_unit=D("1000.00"))],
            payments=[
                PaymentSpec(
                    "TP01",
                    [
                        InstallmentSpec(amount=D("600.00"), due_date=date(2025, 4, 10)),
                        InstallmentSpec(amount=D("620.00"), due_date=date(2025, 5, 10)),
                    ],
                )
            ],
        )
        bill = self.receive_and_register(spec)
        self.assertRegistered(bill, 1000, 220, 1220)
        self.assertEqual(bill.currency_id, usd)
        self.assertEqual(
            self.payable_schedule(bill), [(date(2025, 4, 10), 600.0), (date(2025, 5, 10), 620.0)]
        )

    def test_withholding_installment_net_amount(self):
        """A professional's parcella: the amount due (and its installment) is
        net of the withholding; the bill's payable equals it."""
        spec = InvoiceSpec(
            document_type="TD06",
            number="PARC-7",
            lines=[
                LineSpec("Prestazione professionale", price_unit=D("1000.00"), withholding=True)
            ],
            withholdings=[WithholdingSpec()],
        )
        self.assertEqual(len(spec.payments or []), 0)
        bill = self.receive_and_register(spec)
        self.assertEqual(bill.l10n_it_autoreg_state, "registered", bill.l10n_it_autoreg_reason)
        due = float(spec.amount_due())
        self.assertEqual(sum(amount for _d, amount in self.payable_schedule(bill)), due)
        self.assertEqual(bill.amount_residual, due)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestReconcileOca(AutoregCommon):
    """The optional OCA reconciliation screen finds the registered bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]
        if "reconcile_data_info" not in cls.env["account.bank.statement.line"]._fields:
            cls.skipTest(cls, "account_reconcile_oca is not installed")
        # The invoice matching rule the OCA screen applies (like the one the
        # chart creates), without auto-validation: the user confirms.
        cls.env["account.reconcile.model"].search(
            [("company_id", "=", cls.company.id)]
        ).active = False
        cls.matching_rule = cls.env["account.reconcile.model"].create(
            {
                "name": "Fatture fornitori",
                "rule_type": "invoice_matching",
                "company_id": cls.company.id,
                "match_partner": True,
                "match_text_location_label": True,
                "match_text_location_reference": True,
                "auto_reconcile": False,
            }
        )

    def _bill(self, number, price, code=None):
        # Recent dates: the matching rule looks back 18 months by default.
        today = fields.Date.context_today(self.env.user)
        spec = InvoiceSpec(
            number=number,
            date=today - timedelta(days=20),
            lines=[LineSpec("Servizio", price_unit=D(price))],
            payments=[
                PaymentSpec(
                    "TP02",
                    [InstallmentSpec(due_date=today + timedelta(days=10), payment_code=code)],
                )
            ],
        )
        bill = self.receive_and_register(spec)
        self.assertEqual(bill.l10n_it_autoreg_state, "registered", bill.l10n_it_autoreg_reason)
        return bill

    def _proposed_lines(self, st_line):
        return self.env["account.move.line"].browse(
            [
                line["id"]
                for line in st_line.reconcile_data_info["data"]
                if line.get("kind") == "other" and line.get("id")
            ]
        )

    def test_matching_finds_bill_by_amount_partner_reference(self):
        bill = self._bill("FT-OCA-1", "500.00", code="PAG-12345")
        self._bill("FT-OCA-2", "500.00")  # same partner and amount: the reference decides
        payable = bill.line_ids.filtered(lambda line: line.display_type == "payment_term")
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": fields.Date.context_today(self.env.user),
                "amount": -610.0,
                "payment_ref": "PAG-12345",
                "partner_id": bill.partner_id.id,
            }
        )
        self.assertEqual(self._proposed_lines(st_line), payable)

        st_line.reconcile_bank_line()
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(bill.payment_state, "paid")

    def test_partial_then_full_in_screen(self):
        bill = self._bill("FT-OCA-3", "1000.00")
        payable = bill.line_ids.filtered(lambda line: line.display_type == "payment_term")
        for amount, state in ((-500.0, "partial"), (-720.0, "paid")):
            st_line = self.env["account.bank.statement.line"].create(
                {
                    "journal_id": self.bank_journal.id,
                    "date": fields.Date.context_today(self.env.user),
                    "amount": amount,
                    "payment_ref": "Bonifico",
                    "partner_id": bill.partner_id.id,
                }
            )
            with Form(
                st_line, view="account_reconcile_oca.bank_statement_line_form_reconcile_view"
            ) as f:
                f.add_account_move_line_id = payable
            st_line.reconcile_bank_line()
            self.assertEqual(bill.payment_state, state)
        self.assertEqual(bill.amount_residual, 0.0)


def installments(*pairs, conditions="TP01"):
    """A DatiPagamento of (amount, due date) installments."""
    return PaymentSpec(
        conditions, [InstallmentSpec(amount=D(amount), due_date=due) for amount, due in pairs]
    )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestScheduleAdjusted(AutoregCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the supplier exists: the only review note is the schedule's
        cls.env["res.partner"].with_context(no_vat_validation=True).create(
            {"name": "Fornitore Srl", "vat": "IT01234567890", "is_company": True}
        )

    def assertAdjusted(self, move, stated, due, on):
        """One payable line of the whole amount due on ``on``, the bill due
        then, to review with the stated sum and the amount due."""
        self.assertEqual(self.payable_schedule(move), [(on, float(due))])
        self.assertEqual(move.invoice_date_due, on)
        self.assertTrue(move.l10n_it_autoreg_to_review)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "schedule_adjusted")
        self.assertEqual(
            move.l10n_it_autoreg_review,
            f"The installments of the e-invoice add up to {stated}, not to the amount due {due}: "
            f"the whole amount is due in one installment on {on.isoformat()}, the earliest due "
            "date stated.",
        )
        # said in the chatter's trace too
        self.assertIn("the earliest due date stated", move.message_ids[:1].body)

    def test_installments_summing_to_less(self):
        move = self.receive(
            InvoiceSpec(
                payments=[installments(("50.00", date(2025, 2, 1)), ("50.00", date(2025, 3, 1)))]
            )
        )
        run = self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "100.00", "122.00", date(2025, 2, 1))
        self.assertIn(move, run.recognized_move_ids)

    def test_installments_summing_to_more_earliest_date_whatever_the_order(self):
        move = self.receive_and_register(
            InvoiceSpec(
                payments=[installments(("71.00", date(2025, 4, 15)), ("61.00", date(2025, 3, 16)))]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "132.00", "122.00", date(2025, 3, 16))

    def test_installments_of_the_gross_total_while_a_withholding_is_due(self):
        # 1000 + 220 VAT - 200 withholding = 1020 due; the supplier split
        # the gross 1220 in two installments
        move = self.receive_and_register(
            InvoiceSpec(
                lines=[LineSpec(price_unit=D("1000.00"), withholding=True)],
                withholdings=[WithholdingSpec()],
                payments=[
                    installments(("610.00", date(2025, 2, 28)), ("610.00", date(2025, 3, 31)))
                ],
            )
        )
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertAdjusted(move, "1220.00", "1020.00", date(2025, 2, 28))

    def test_several_payment_blocks_not_each_the_whole_amount(self):
        move = self.receive_and_register(
            InvoiceSpec(
                payments=[
                    installments(("61.00", date(2025, 3, 1)), conditions="TP02"),
                    installments(("122.00", date(2025, 2, 20)), conditions="TP02"),
                ]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "183.00", "122.00", date(2025, 2, 20))

    def test_credit_note(self):
        move = self.receive_and_register(
            InvoiceSpec(
                document_type="TD04",
                number="NC-1",
                payments=[installments(("50.00", date(2025, 2, 10)), ("50.00", date(2025, 3, 10)))],
            )
        )
        self.assertRegistered(move, 100, 22, 122, move_type="in_refund")
        self.assertAdjusted(move, "100.00", "122.00", date(2025, 2, 10))

    def test_schedule_adding_up_keeps_every_installment(self):
        move = self.receive_and_register(
            InvoiceSpec(
                payments=[installments(("61.00", date(2025, 2, 1)), ("61.00", date(2025, 3, 1)))]
            )
        )
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(
            self.payable_schedule(move), [(date(2025, 2, 1), 61.0), (date(2025, 3, 1), 61.0)]
        )
        self.assertEqual(move.invoice_date_due, date(2025, 3, 1))
        self.assertFalse(move.l10n_it_autoreg_to_review)
        self.assertFalse(move.l10n_it_autoreg_review_codes)

    def test_no_readable_due_date_keeps_the_document_date(self):
        xml = build_xml(InvoiceSpec(payments=[installments(("100.00", date(2025, 2, 1)))]))
        xml = re.sub(rb"<DataScadenzaPagamento>[^<]*</DataScadenzaPagamento>", b"", xml)
        move = self.receive_bytes(xml)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 1, 15), 122.0)])
        self.assertEqual(move.invoice_date_due, date(2025, 1, 15))
        self.assertFalse(move.l10n_it_autoreg_review_codes)

    def test_figures_not_verified_still_refused(self):
        move = self.receive_and_register(
            InvoiceSpec(total=D("130.00"), payments=[installments(("100.00", date(2025, 2, 1)))])
        )
        self.assertRefused(move, "totals_mismatch", "130.00")
        self.assertFalse(move.l10n_it_autoreg_review_codes)
