"""registration.document without a database: the kind of bill and its sign,
self-invoices, and the readings of figures suppliers write their own way
(unsigned credit note, ENASARCO in AltriDatiGestionali, total net of the
withholding), due dates by terms."""

import dataclasses
import datetime
from datetime import date
from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.fatturapa.model import Withholding
from odoo.addons.l10n_it_autoreg.registration.document import (
    IGNORED_VALUE_FIELDS,
    check_not_self_invoice,
    check_values,
    enasarco_from_other_data,
    integrated_numbers,
    move_type,
    payment_blocks,
    readings,
    total_net_of_withholding,
    unsigned_credit_note,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.tests.builder import (
    DiscountSpec,
    InstallmentSpec,
    LineSpec,
    PaymentSpec,
    WithholdingSpec,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read


def agent_line(
    amount="1000.00", contribution="85.00", kind="CASSA-PREV", text="ENASARCO TC07", **kw
):
    return LineSpec(
        "Provvigioni",
        price_unit=D(amount),
        other_data=[(kind, text, D(contribution) if contribution is not None else None)],
        **kw,
    )


ENASARCO_REFUSED = T("ENASARCO")

SELF_TYPES = (
    "TD16",
    "TD17",
    "TD18",
    "TD19",
    "TD20",
    "TD21",
    "TD22",
    "TD23",
    "TD26",
    "TD27",
    "TD28",
    "TD29",
)


class TestMoveType(RegistrationCase):
    def test_invoice_types_are_bills(self):
        for doc_type in (
            "TD01",
            "TD02",
            "TD03",
            "TD05",
            "TD06",
            "TD07",
            "TD09",
            "TD24",
            "TD25",
            "td01",
        ):
            self.assertEqual(move_type(read(document_type=doc_type)), ("in_invoice", 1), doc_type)

    def test_negative_invoice_is_a_refund_with_negated_amounts(self):
        invoice = read(lines=[LineSpec(price_unit=D("-100.00"))])
        self.assertEqual(invoice.total, D("-122.00"))
        self.assertEqual(move_type(invoice), ("in_refund", -1))

    def test_credit_note_is_a_refund_signed_by_its_total(self):
        self.assertEqual(move_type(read(document_type="TD04")), ("in_refund", 1))
        self.assertEqual(move_type(read(document_type="TD08")), ("in_refund", 1))
        negative = read(document_type="TD04", lines=[LineSpec(price_unit=D("-50.00"))])
        self.assertEqual(move_type(negative), ("in_refund", -1))

    def test_without_total_the_summary_decides_the_sign(self):
        invoice = read(omit_total=True, lines=[LineSpec(price_unit=D("-100.00"))])
        self.assertIsNone(invoice.total)
        self.assertEqual(move_type(invoice), ("in_refund", -1))

    def test_self_invoices_and_unknown_types_are_no_bill(self):
        for doc_type in SELF_TYPES + ("TD99",):
            self.assertEqual(move_type(read(document_type=doc_type)), (None, 0), doc_type)


class TestSelfInvoice(RegistrationCase):
    def test_self_invoice_types_refused(self):
        for doc_type in SELF_TYPES:
            with self.assertRaises(Refusal) as caught:
                check_not_self_invoice(read(document_type=doc_type))
            refusal = caught.exception
            self.assertEqual(
                (refusal.code, refusal.text, refusal.params),
                ("self_invoice", None, {"type": doc_type, "linked": ""}),
                doc_type,
            )

    def test_self_invoice_names_the_bill_it_integrates(self):
        invoice = read(document_type="TD17", linked_invoices=[("FT 12", date(2025, 1, 2))])
        self.assertEqual(integrated_numbers(invoice), ["FT 12"])
        with self.assertRaises(Refusal) as caught:
            check_not_self_invoice(invoice, "BILL/2025/0007")
        self.assertEqual(caught.exception.params["linked"], T("%s", "BILL/2025/0007"))

    def test_integrated_numbers_only_for_self_invoices(self):
        self.assertEqual(
            integrated_numbers(read(linked_invoices=[("FT 12", date(2025, 1, 2))])), []
        )

    def test_td24_td25_deferred_invoices_are_not_self_invoices(self):
        for doc_type in ("TD01", "TD24", "TD25", "TD04"):
            self.assertIsNone(check_not_self_invoice(read(document_type=doc_type)))

    def test_soggetto_emittente_cc_refused_with_its_own_advice(self):
        invoice = dataclasses.replace(read(), issuer="cc")
        with self.assertRaises(Refusal) as caught:
            check_not_self_invoice(invoice)
        refusal = caught.exception
        self.assertEqual(
            (refusal.code, refusal.text, refusal.params),
            ("self_invoice", "self_invoice_by_buyer", {"type": "TD01"}),
        )
        self.assertIsNone(check_not_self_invoice(dataclasses.replace(read(), issuer="TZ")))


class TestUnsignedCreditNote(RegistrationCase):
    def test_td04_unsigned_total_takes_the_summary_sign(self):
        invoice = read(
            document_type="TD04", lines=[LineSpec(price_unit=D("-50.00"))], total=D("61.00")
        )
        self.assertEqual(invoice.amount_total, D("-61.00"))
        read_as = unsigned_credit_note(invoice)
        self.assertEqual(read_as.total, D("-61.00"))
        self.assertEqual(invoice.total, D("61.00"))  # a copy, the reader's data unchanged
        self.assertEqual(move_type(read_as), ("in_refund", -1))

    def test_td04_positive_summary_negative_total(self):
        invoice = read(document_type="TD04", total=D("-122.00"))
        self.assertEqual(unsigned_credit_note(invoice).total, D("122.00"))
        self.assertEqual(move_type(unsigned_credit_note(invoice)), ("in_refund", 1))

    def test_invoice_or_consistent_credit_note_kept_as_is(self):
        invoice = read(total=D("-122.00"))
        self.assertIs(unsigned_credit_note(invoice), invoice)
        credit_note = read(document_type="TD04")
        self.assertIs(unsigned_credit_note(credit_note), credit_note)
        other_amount = read(document_type="TD04", total=D("-120.00"))
        self.assertIs(unsigned_credit_note(other_amount), other_amount)


class TestEnasarco(RegistrationCase):
    def test_enasarco_cassa_prev_read_as_rt04_of_its_lines(self):
        invoice = read(lines=[agent_line(), LineSpec("Rimborso spese", price_unit=D("10.00"))])
        read_as, note = enasarco_from_other_data(invoice)
        self.assertEqual(
            read_as.withholdings, [Withholding(type="RT04", amount=D("85.00"), rate=D("8.50"))]
        )
        self.assertEqual([line.withholding for line in read_as.lines], [True, False])
        self.assertEqual(note, T("CASSA-PREV", rate="8.50", amount="85.00"))
        self.assertEqual(invoice.withholdings, [])  # the reader's data unchanged
        self.assertFalse(invoice.lines[0].withholding)

    def test_enasarco_beside_the_income_tax_withholding_of_the_same_lines(self):
        invoice = read(
            lines=[agent_line(withholding=True)],
            withholdings=[
                WithholdingSpec(type="RT01", rate=D("23.00"), reason="ZO", amount=D("115.00"))
            ],
        )
        read_as, _note = enasarco_from_other_data(invoice)
        self.assertEqual(
            [(w.type, w.amount, w.rate) for w in read_as.withholdings],
            [("RT01", D("115.00"), D("23.00")), ("RT04", D("85.00"), D("8.50"))],
        )

    def test_enasarco_contribution_written_with_either_sign(self):
        invoice = read(lines=[agent_line(contribution="-85.00")])
        read_as, _note = enasarco_from_other_data(invoice)
        self.assertEqual(
            read_as.withholdings, [Withholding(type="RT04", amount=D("85.00"), rate=D("8.50"))]
        )

    def test_enasarco_on_a_storno_line_is_read_signed(self):
        invoice = read(lines=[agent_line(), agent_line("-100.00", "-8.50")])
        read_as, _note = enasarco_from_other_data(invoice)
        self.assertEqual(
            read_as.withholdings, [Withholding(type="RT04", amount=D("76.50"), rate=D("8.50"))]
        )

    def test_enasarco_on_other_lines_than_the_withholding_ones_refused(self):
        invoice = read(
            lines=[LineSpec(withholding=True), agent_line()], withholdings=[WithholdingSpec()]
        )
        with self.assertRaises(Refusal) as caught:
            enasarco_from_other_data(invoice)
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            ("totals_mismatch", {"detail": ENASARCO_REFUSED}),
        )

    def test_enasarco_at_several_rates_refused(self):
        invoice = read(lines=[agent_line(), agent_line("500.00", "20.00")])
        with self.assertRaises(Refusal) as caught:
            enasarco_from_other_data(invoice)
        self.assertEqual(caught.exception.params, {"detail": ENASARCO_REFUSED})

    def test_enasarco_above_the_agents_share_is_the_whole_contribution_refused(self):
        """17% stated on the lines is agent + principal: only 8.5% is withheld."""
        invoice = read(lines=[agent_line("500.00", "85.00"), agent_line("250.00", "42.50")])
        with self.assertRaises(Refusal) as caught:
            enasarco_from_other_data(invoice)
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            ("totals_mismatch", {"detail": T("agent's share", rate="17.00", max="8.50")}),
        )

    def test_enasarco_named_without_its_amount_refused(self):
        for other in (
            ("NOTE", "Contributo ENASARCO a carico agente", None),
            ("TC07", "contributo", D("85.00")),
            ("CASSA-PREV", "ENASARCO", None),
        ):
            invoice = read(lines=[agent_line(kind=other[0], text=other[1], contribution=other[2])])
            with self.assertRaises(Refusal, msg=other) as caught:
                enasarco_from_other_data(invoice)
            self.assertEqual(caught.exception.code, "totals_mismatch")

    def test_rt04_datiritenuta_or_no_enasarco_kept_as_is(self):
        with_rt04 = read(
            lines=[agent_line(withholding=True)],
            withholdings=[WithholdingSpec(type="RT04", rate=D("8.50"), reason="ZC")],
        )
        self.assertEqual(enasarco_from_other_data(with_rt04), (with_rt04, None))
        other = read(lines=[LineSpec(other_data=[("CASSA-PREV", "INPS", D("4.00"))])])
        self.assertEqual(enasarco_from_other_data(other), (other, None))


class TestNetOfWithholding(RegistrationCase):
    def spec(self, **kw):
        return dict(
            lines=[LineSpec(withholding=True)],
            withholdings=[WithholdingSpec()],
            total=D("102.00"),
            **kw,
        )

    def test_total_written_net_of_withholding_read_as_the_summary_total(self):
        invoice = read(**self.spec())
        read_as, note = total_net_of_withholding(invoice)
        self.assertEqual(read_as.total, D("122.00"))
        self.assertEqual(invoice.total, D("102.00"))
        self.assertEqual(
            note, T("net of the withholding", total="102.00", withholding="20.00", gross="122.00")
        )

    def test_net_reading_not_when_something_else_could_explain_the_gap(self):
        for extra in (
            dict(discounts=[DiscountSpec(amount=D("1.00"))]),
            dict(rounding=D("0.01")),
            dict(stamp_duty=D("2.00")),
        ):
            invoice = read(**self.spec(**extra))
            self.assertEqual(total_net_of_withholding(invoice), (invoice, None), extra)

    def test_net_reading_only_for_the_exact_withholding(self):
        invoice = read(**dict(self.spec(), total=D("102.01")))
        self.assertEqual(total_net_of_withholding(invoice), (invoice, None))
        gross = read(lines=[LineSpec(withholding=True)], withholdings=[WithholdingSpec()])
        self.assertEqual(total_net_of_withholding(gross), (gross, None))

    def test_readings_apply_enasarco_then_net_total(self):
        invoice = read(lines=[agent_line()], total=D("1135.00"))
        read_as, notes = readings(invoice)
        self.assertEqual(read_as.total, D("1220.00"))
        self.assertEqual([w.type for w in read_as.withholdings], ["RT04"])
        self.assertEqual(
            notes,
            [
                T("CASSA-PREV", rate="8.50", amount="85.00"),
                T("net of the withholding", total="1135.00", withholding="85.00", gross="1220.00"),
            ],
        )

    def test_readings_of_a_plain_invoice_change_nothing(self):
        invoice = read()
        self.assertEqual(readings(invoice), (invoice, []))


class TestPaymentBlocks(RegistrationCase):
    def with_installments(self, *installments):
        invoice = read(payments=[PaymentSpec(installments=[InstallmentSpec()])])
        template = invoice.payments[0].installments[0]
        payment = dataclasses.replace(
            invoice.payments[0],
            installments=[dataclasses.replace(template, **values) for values in installments],
        )
        return dataclasses.replace(invoice, payments=[payment, payment])

    def test_due_date_by_terms_from_document_or_reference_date(self):
        invoice = self.with_installments(
            dict(due_date=None, term_days=30),
            dict(due_date=None, term_days=60, reference_date=date(2025, 2, 1)),
            dict(due_date=date(2025, 5, 5), term_days=10),
            dict(due_date=None, term_days=None),
        )
        blocks = payment_blocks(invoice)
        self.assertEqual(len(blocks), 2)
        self.assertEqual(
            [i.due_date for i in blocks[0]],
            [date(2025, 2, 14), date(2025, 4, 2), date(2025, 5, 5), None],
        )
        self.assertIsNone(invoice.payments[0].installments[0].due_date)  # not changed in place

    def test_due_date_beyond_the_calendar_is_none(self):
        invoice = self.with_installments(
            dict(due_date=None, term_days=10, reference_date=datetime.date.max)
        )
        self.assertEqual([i.due_date for i in payment_blocks(invoice)[0]], [None])


class TestCheckValues(RegistrationCase):
    """The one rule of values: what the reader could not read (bad_value,
    value_recovered), dates outside 2000-2100 and absurd identifiers refuse
    the document as bad_value; IGNORED_VALUE_FIELDS never reach the bill."""

    def edited(self, old, new, **spec):
        from .builder import InvoiceSpec, build_xml
        from .registration_case import read_xml

        xml = build_xml(InvoiceSpec(**spec))
        self.assertIn(old, xml)
        return read_xml(xml.replace(old, new, 1))

    def test_clean_document_passes(self):
        check_values(read())

    def test_unreadable_amounts_refused_wherever_they_are(self):
        cases = [
            (b"<ImportoTotaleDocumento>122.00", b"<ImportoTotaleDocumento>%s"),
            (b"<ImportoPagamento>122.00", b"<ImportoPagamento>%s"),
            (b"<Imposta>22.00", b"<Imposta>%s"),
            (b"<PrezzoTotale>100.00", b"<PrezzoTotale>1%s"),
        ]
        for value in (
            b"1e308",
            b"NaN",
            b"Infinity",
            b"1E+400",
            b"0x1F",
            b"-0",
            b"1e-30",
            b"1,50",
            b"1.234,56",
        ):
            for old, new in cases:
                with self.subTest(value=value, field=old):
                    try:
                        invoice = self.edited(old, new % value)
                    except AssertionError:
                        continue  # a required field: the reader refused the file itself
                    params = self.assertRefusal("bad_value", check_values, invoice)
                    self.assertIn(old[1:].split(b">")[0].decode(), str(params["detail"]))

    def test_required_unreadable_amount_is_the_readers_bad_value(self):
        from ..fatturapa import read_bytes
        from .builder import InvoiceSpec, build_xml

        xml = build_xml(InvoiceSpec()).replace(b"<PrezzoTotale>100.00", b"<PrezzoTotale>1e2")
        self.assertEqual(read_bytes(xml).error_code, "bad_value")

    def test_recovered_document_date_refused(self):
        invoice = self.edited(b"<Data>2025-01-15", b"<Data>15/01/2025")
        self.assertEqual(invoice.date, date(2025, 1, 15))
        self.assertRefusal("bad_value", check_values, invoice)

    def test_dates_outside_2000_2100_refused(self):
        for written in (b"0001-01-01", b"1999-12-31", b"2101-01-01", b"9999-12-31"):
            with self.subTest(written=written):
                invoice = self.edited(b"<Data>2025-01-15", b"<Data>" + written)
                params = self.assertRefusal("bad_value", check_values, invoice)
                self.assertEqual(params["detail"].params["date"], written.decode())
        for tag in (b"DataScadenzaPagamento",):
            with self.subTest(tag=tag):
                invoice = self.edited(b"<%s>2025-02-14" % tag, b"<%s>2101-01-01" % tag)
                self.assertRefusal("bad_value", check_values, invoice)

    def test_term_days_beyond_2100_refused(self):
        invoice = read()
        payment = invoice.payments[0]
        payment = dataclasses.replace(
            payment,
            installments=[
                dataclasses.replace(payment.installments[0], due_date=None, term_days=10**9)
            ],
        )
        invoice = dataclasses.replace(invoice, payments=[payment])
        self.assertRefusal("bad_value", check_values, invoice)

    def test_ignored_fields(self):
        invoice = self.edited(b"<Quantita>1.00", b"<Quantita>1,00")
        self.assertTrue(any(w.startswith("value_recovered: Quantita") for w in invoice.warnings))
        check_values(invoice)
        self.assertIn("DataDDT", IGNORED_VALUE_FIELDS)
        self.assertNotIn("RiferimentoNumero", IGNORED_VALUE_FIELDS)  # ENASARCO's amount
        self.assertNotIn("DataScadenzaPagamento", IGNORED_VALUE_FIELDS)

    def test_absurd_identifiers_refused(self):
        self.assertRefusal("bad_value", check_values, read(number="N" * 3000))
        from .builder import PartySpec

        self.assertRefusal(
            "bad_value", check_values, read(seller=PartySpec(vat="IT" + "1" * 100000))
        )
        check_values(read(number="N" * 20))
