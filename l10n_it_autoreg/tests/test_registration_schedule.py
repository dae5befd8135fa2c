"""registration.schedule without a database: the e-invoice's installments as
the bill's payable lines ([(date, amount_currency or None: the rest)]); when
they do not add up to the amount due, the whole amount on the earliest
stated due date, to review (schedule_adjusted)."""

import dataclasses
from datetime import date
from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.registration.document import payment_blocks
from odoo.addons.l10n_it_autoreg.registration.reviews import Review
from odoo.addons.l10n_it_autoreg.registration.schedule import due_date_schedule
from odoo.addons.l10n_it_autoreg.tests.builder import (
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    WithholdingSpec,
    build_xml,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read, read_xml

D1, D2, D3 = date(2025, 2, 14), date(2025, 3, 16), date(2025, 4, 15)


def installments(*amounts, method="MP05"):
    return PaymentSpec(
        "TP01" if len(amounts) > 1 else "TP02",
        [InstallmentSpec(method, amount=D(a) if a is not None else None) for a in amounts],
    )


def schedule(invoice, due, refund=False, tolerance="0.00"):
    return due_date_schedule(invoice, payment_blocks(invoice), D(due), refund, D(tolerance))


class TestSchedule(RegistrationCase):
    def assertAdjusted(
        self, invoice, due, installments_total, earliest=D1, refund=False, tolerance="0.00"
    ):
        """The whole amount due on the earliest stated due date, to review
        with the stated installments' sum and the amount due."""
        result, note = schedule(invoice, due, refund, tolerance)
        self.assertEqual(result, [(earliest, None)])
        self.assertIsInstance(note, Review)
        self.assertEqual(note.code, "schedule_adjusted")
        self.assertEqual(note.params, {"stated": installments_total, "due": due, "date": earliest})

    def test_single_installment_takes_the_whole_amount(self):
        self.assertEqual(
            schedule(read(), "122.00"), ([(D1, None)], T("Due dates", "2025-02-14 122.00"))
        )

    def test_several_installments_each_amount_the_last_takes_the_rest(self):
        invoice = read(payments=[installments(None, None, None)])
        self.assertEqual(
            schedule(invoice, "122.00"),
            (
                [(D1, D("-40.67")), (D2, D("-40.67")), (D3, D("-40.66"))],
                T("Due dates", "2025-02-14 40.67, 2025-03-16 40.67, 2025-04-15 40.66"),
            ),
        )

    def test_several_installments_of_a_credit_note_are_credits(self):
        invoice = read(document_type="TD04", payments=[installments(None, None)])
        self.assertEqual(
            schedule(invoice, "122.00", refund=True)[0], [(D1, D("61.00")), (D2, D("61.00"))]
        )

    def test_negative_installments_of_a_credit_note_read_in_the_bills_sign(self):
        invoice = read(
            document_type="TD04",
            lines=[LineSpec(price_unit=D("-50.00"))],
            payments=[installments(None, None)],
        )
        self.assertEqual(
            [i.amount for i in invoice.payments[0].installments], [D("-30.50"), D("-30.50")]
        )
        self.assertEqual(
            schedule(invoice, "61.00", refund=True)[0], [(D1, D("30.50")), (D2, D("30.50"))]
        )

    def test_installments_within_tolerance(self):
        invoice = read(payments=[installments("121.99")])
        self.assertEqual(schedule(invoice, "122.00", tolerance="0.01")[0], [(D1, None)])
        self.assertAdjusted(invoice, "122.00", "121.99")

    def test_installments_not_adding_up_whole_amount_on_the_earliest_date(self):
        self.assertAdjusted(read(payments=[installments("100.00")]), "122.00", "100.00")
        self.assertAdjusted(read(payments=[installments("61.00", "71.00")]), "122.00", "132.00")
        self.assertAdjusted(
            read(payments=[installments("50.00", "50.00", "10.00")]), "122.00", "110.00"
        )

    def test_earliest_date_whatever_the_order_of_the_installments(self):
        invoice = read(
            payments=[
                PaymentSpec(
                    "TP01",
                    [
                        InstallmentSpec(amount=D("50.00"), due_date=D3),
                        InstallmentSpec(amount=D("50.00"), due_date=D2),
                    ],
                )
            ]
        )
        self.assertAdjusted(invoice, "122.00", "100.00", earliest=D2)

    def test_credit_note_installments_not_adding_up(self):
        invoice = read(document_type="TD04", payments=[installments("50.00", "50.00")])
        self.assertAdjusted(invoice, "122.00", "100.00", refund=True)

    def test_alternative_payment_blocks_of_the_whole_amount_use_the_first(self):
        invoice = read(payments=[installments(None), installments(None, method="MP12")])
        self.assertEqual(
            schedule(invoice, "122.00"), ([(D1, None)], T("alternative payment blocks", 2))
        )

    def test_alternative_block_of_several_installments(self):
        invoice = read(payments=[installments(None, None), installments(None)])
        self.assertEqual(
            schedule(invoice, "122.00"),
            ([(D1, D("-61.00")), (D2, D("-61.00"))], T("alternative payment blocks", 2)),
        )

    def test_blocks_that_are_not_each_the_whole_amount_adjusted(self):
        invoice = read(payments=[installments("61.00"), installments("122.00")])
        self.assertAdjusted(invoice, "122.00", "183.00")

    def test_blocks_of_other_dates_take_the_earliest(self):
        invoice = read(
            payments=[
                PaymentSpec("TP02", [InstallmentSpec(amount=D("100.00"), due_date=D3)]),
                PaymentSpec("TP02", [InstallmentSpec(amount=D("10.00"), due_date=D2)]),
            ]
        )
        self.assertAdjusted(invoice, "122.00", "110.00", earliest=D2)

    def test_total_written_gross_of_withholding_takes_the_date_only(self):
        invoice = read(
            lines=[LineSpec(withholding=True)],
            withholdings=[WithholdingSpec()],
            payments=[installments("122.00")],
        )
        self.assertEqual(
            schedule(invoice, "102.00"),
            ([(D1, None)], T("is the document total", date=D1, amount="122.00", due="102.00")),
        )

    def test_total_written_gross_of_split_payment_vat_takes_the_date_only(self):
        invoice = read(vat_due="S", payments=[installments("122.00")])
        self.assertEqual(schedule(invoice, "100.00")[0], [(D1, None)])

    def test_gross_total_without_withholding_or_split_payment_adjusted(self):
        self.assertAdjusted(read(payments=[installments("122.00")]), "102.00", "122.00")

    def test_gross_total_in_several_installments_adjusted(self):
        invoice = read(
            lines=[LineSpec(withholding=True)],
            withholdings=[WithholdingSpec()],
            payments=[installments("61.00", "61.00")],
        )
        self.assertAdjusted(invoice, "102.00", "122.00")

    def test_credit_note_installment_of_zero_takes_the_date(self):
        invoice = read(document_type="TD04", payments=[installments("0.00")])
        self.assertEqual(
            schedule(invoice, "122.00", refund=True), ([(D1, None)], T("0.00", date=D1))
        )

    def test_invoice_installment_of_zero_adjusted(self):
        self.assertAdjusted(read(payments=[installments("0.00")]), "122.00", "0.00")

    def test_schedule_adding_up_is_not_to_review(self):
        result, note = schedule(read(payments=[installments("61.00", "61.00")]), "122.00")
        self.assertEqual(result, [(D1, D("-61.00")), (D2, D("-61.00"))])
        self.assertNotIsInstance(note, Review)

    def test_no_installment_no_schedule(self):
        self.assertEqual(schedule(read(payments=[]), "122.00"), (None, None))

    def test_unreadable_due_date_says_so(self):
        xml = build_xml(InvoiceSpec()).replace(
            b"<DataScadenzaPagamento>2025-02-14", b"<DataScadenzaPagamento>2025-02-30"
        )
        self.assertEqual(
            schedule(read_xml(xml), "122.00"),
            (None, T("cannot be read", "DataScadenzaPagamento '2025-02-30' is not a date")),
        )

    def test_due_date_by_terms_is_scheduled(self):
        invoice = read()
        payment = invoice.payments[0]
        payment = dataclasses.replace(
            payment,
            installments=[
                dataclasses.replace(payment.installments[0], due_date=None, term_days=60)
            ],
        )
        invoice = dataclasses.replace(invoice, payments=[payment])
        self.assertEqual(schedule(invoice, "122.00")[0], [(date(2025, 3, 16), None)])
