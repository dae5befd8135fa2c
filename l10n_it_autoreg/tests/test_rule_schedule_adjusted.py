"""Installments that do not add up to the amount due (issue 12).

The bill's figures are verified (untaxed, VAT, total and amount due equal
the document's) and only the schedule is uncertain: the bill is registered
with the whole amount due on the earliest stated due date (one payable
line), marked to review with ``schedule_adjusted`` (the stated installments'
sum, the amount due, the date).  A schedule that adds up keeps one payable
line per installment; a document without a readable due date is due as
before (supplier's terms or document date); figures that do not match are
still refused."""
import re

from odoo.tests import tagged

from .common import (
    D, AutoregCommon, InstallmentSpec, InvoiceSpec, LineSpec, PaymentSpec, WithholdingSpec,
    build_xml, date,
)


def installments(*pairs, conditions="TP01"):
    """A DatiPagamento of (amount, due date) installments."""
    return PaymentSpec(conditions, [InstallmentSpec(amount=D(amount), due_date=due)
                                    for amount, due in pairs])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestScheduleAdjusted(AutoregCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the supplier exists: the only review note is the schedule's
        cls.env["res.partner"].with_context(no_vat_validation=True).create({
            "name": "Fornitore Srl", "vat": "IT01234567890", "is_company": True})

    def assertAdjusted(self, move, stated, due, on):
        """One payable line of the whole amount due on ``on``, the bill due
        then, to review with the stated sum and the amount due."""
        self.assertEqual(self.payable_schedule(move), [(on, float(due))])
        self.assertEqual(move.invoice_date_due, on)
        self.assertTrue(move.l10n_it_autoreg_to_review)
        self.assertEqual(move.l10n_it_autoreg_review_codes, "schedule_adjusted")
        self.assertEqual(
            move.l10n_it_autoreg_review,
            "The installments of the e-invoice add up to %s, not to the amount due %s: the "
            "whole amount is due in one installment on %s, the earliest due date stated."
            % (stated, due, on.isoformat()))
        # said in the chatter's trace too
        self.assertIn("the earliest due date stated", move.message_ids[:1].body)

    def test_installments_summing_to_less(self):
        move = self.receive(InvoiceSpec(payments=[installments(
            ("50.00", date(2025, 2, 1)), ("50.00", date(2025, 3, 1)))]))
        run = self.register(move)
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "100.00", "122.00", date(2025, 2, 1))
        self.assertIn(move, run.recognized_move_ids)

    def test_installments_summing_to_more_earliest_date_whatever_the_order(self):
        move = self.receive_and_register(InvoiceSpec(payments=[installments(
            ("71.00", date(2025, 4, 15)), ("61.00", date(2025, 3, 16)))]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "132.00", "122.00", date(2025, 3, 16))

    def test_installments_of_the_gross_total_while_a_withholding_is_due(self):
        # 1000 + 220 VAT - 200 withholding = 1020 due; the supplier split
        # the gross 1220 in two installments
        move = self.receive_and_register(InvoiceSpec(
            lines=[LineSpec(price_unit=D("1000.00"), withholding=True)],
            withholdings=[WithholdingSpec()],
            payments=[installments(("610.00", date(2025, 2, 28)),
                                   ("610.00", date(2025, 3, 31)))]))
        self.assertRegistered(move, 1000, 20, 1020)
        self.assertAdjusted(move, "1220.00", "1020.00", date(2025, 2, 28))

    def test_several_payment_blocks_not_each_the_whole_amount(self):
        move = self.receive_and_register(InvoiceSpec(payments=[
            installments(("61.00", date(2025, 3, 1)), conditions="TP02"),
            installments(("122.00", date(2025, 2, 20)), conditions="TP02")]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertAdjusted(move, "183.00", "122.00", date(2025, 2, 20))

    def test_credit_note(self):
        move = self.receive_and_register(InvoiceSpec(
            document_type="TD04", number="NC-1",
            payments=[installments(("50.00", date(2025, 2, 10)), ("50.00", date(2025, 3, 10)))]))
        self.assertRegistered(move, 100, 22, 122, move_type="in_refund")
        self.assertAdjusted(move, "100.00", "122.00", date(2025, 2, 10))

    def test_schedule_adding_up_keeps_every_installment(self):
        move = self.receive_and_register(InvoiceSpec(payments=[installments(
            ("61.00", date(2025, 2, 1)), ("61.00", date(2025, 3, 1)))]))
        self.assertRegistered(move, 100, 22, 122)
        self.assertEqual(self.payable_schedule(move), [(date(2025, 2, 1), 61.0),
                                                       (date(2025, 3, 1), 61.0)])
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
        move = self.receive_and_register(InvoiceSpec(
            total=D("130.00"), payments=[installments(("100.00", date(2025, 2, 1)))]))
        self.assertRefused(move, "totals_mismatch", "130.00")
        self.assertFalse(move.l10n_it_autoreg_review_codes)
