"""fatturapa.display without a database: what the readable e-invoice shows
of a read file (codes in words, names, addresses, figures, pages of lines,
the rows a refusal points at) and what the reader tells of the envelope
(signature, tampering)."""

from datetime import date
from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.fatturapa import Address, Party, display, read_bytes
from odoo.addons.l10n_it_autoreg.registration.focus import Focus, parse_focus
from odoo.addons.l10n_it_autoreg.tests.builder import (
    InvoiceSpec,
    LineSpec,
    PartySpec,
    build_xml,
    p7m_ber,
    wrap,
)
from odoo.addons.l10n_it_autoreg.tests.pure import PureCase

TODAY = date(2025, 6, 1)


class TestCodesInWords(PureCase):
    def test_codes_with_their_italian_meaning(self):
        self.assertEqual(display.coded("TipoDocumento", "TD01"), "TD01 Fattura")
        self.assertEqual(display.coded("ModalitaPagamento", "MP05"), "MP05 Bonifico")
        self.assertEqual(display.coded("Natura", "N2.2"), "N2.2 Non soggette - altri casi")
        self.assertEqual(display.coded("RegimeFiscale", "RF01"), "RF01 Ordinario")
        self.assertEqual(display.coded("TipoCassa", "TC22"), "TC22 INPS")
        self.assertEqual(display.coded("TipoRitenuta", "RT01"), "RT01 Ritenuta persone fisiche")
        self.assertTrue(display.coded("CausalePagamento", "A").startswith("A Prestazioni"))
        self.assertEqual(display.coded("TipoCessionePrestazione", "AC"), "AC Spesa accessoria")
        self.assertEqual(display.coded("ScontoMaggiorazione", "MG"), "MG Maggiorazione")
        self.assertEqual(display.coded("SoggettoEmittente", "CC"), "CC Cessionario / committente")
        self.assertEqual(display.coded("SocioUnico", "SU"), "SU Socio unico")
        self.assertEqual(
            display.coded("FormatoTrasmissione", "FPR12"), "FPR12 Fattura verso privati"
        )

    def test_unknown_and_missing_codes(self):
        self.assertEqual(display.coded("Natura", "N9"), "N9")
        self.assertEqual(display.coded("Natura", None), "")
        self.assertEqual(display.describe("TipoDocumento", " TD04 "), ("TD04", "Nota di credito"))


class TestTexts(PureCase):
    def test_party_name(self):
        self.assertEqual(display.party_name(Party(name="Alfa Srl", first_name="X")), "Alfa Srl")
        self.assertEqual(
            display.party_name(Party(title="Avv.", first_name="Maria", last_name="Rossi")),
            "Avv. Maria Rossi",
        )
        self.assertEqual(display.party_name(None), "")

    def test_address_lines(self):
        self.assertEqual(
            display.address_lines(Address("Via Roma", "1", "20121", "Milano", "MI", "IT")),
            ["Via Roma 1", "20121 Milano (MI)", "IT"],
        )
        self.assertEqual(
            display.address_lines(Address(city="Lugano", country="CH")), ["Lugano", "CH"]
        )
        self.assertEqual(display.address_lines(None), [])

    def test_figures_as_written_with_at_least_two_decimals(self):
        fmt = display.format_decimal
        self.assertEqual(fmt(D("1234.5"), ",", "."), "1.234,50")
        self.assertEqual(fmt(D("-1234567.125"), ",", "."), "-1.234.567,125")
        self.assertEqual(fmt(D("0.12345678"), ".", ","), "0.12345678")
        self.assertEqual(fmt(D("22.00")), "22.00")
        self.assertEqual(fmt(D("100")), "100.00")
        self.assertEqual(fmt(None), "")
        self.assertEqual(fmt(D("1E+2")), "100.00")

    def test_warnings_and_sizes(self):
        self.assertEqual(
            display.split_warning("line_total: line 3: x"), ("line_total", "line 3: x")
        )
        self.assertEqual(display.split_warning("no code here"), (None, "no code here"))
        self.assertEqual(display.size_label(850), "850 B")
        self.assertEqual(display.size_label(12600), "12.3 KB")
        self.assertEqual(display.size_label(None), "")


class TestPagesAndMarks(PureCase):
    def test_pager(self):
        self.assertEqual(display.pager(10, 1, 500), display.Pager(1, 1, 0, 10, 10))
        pages = display.pager(10000, 3, 500)
        self.assertEqual((pages.page, pages.pages, pages.start, pages.end), (3, 20, 1000, 1500))
        self.assertTrue(pages.paged)
        self.assertEqual(display.pager(1001, 99, 500).start, 1000)  # the last page
        self.assertEqual(display.pager(1001, 0, 500).page, 1)
        self.assertFalse(display.pager(10000, None, 500).paged)  # printed: every line

    def invoices(self):
        spec = InvoiceSpec(
            number="A-1",
            lines=[
                LineSpec("Consulenza"),
                LineSpec("Libri", vat_rate=D("4.00")),
                LineSpec("Bollo", vat_rate=D("0.00"), nature="N1", price_unit=D("2.00")),
            ],
        )
        second = InvoiceSpec(number="A-2")
        result = read_bytes(build_xml(spec, second), today=TODAY)
        self.assertTrue(result.ok, result.error_message)
        return result.invoices

    def test_own_body_first_and_the_rows_a_refusal_points_at(self):
        invoices = self.invoices()
        bodies = display.bodies(invoices, 1, parse_focus("vat:4.00| total", "tax_not_found"))
        self.assertEqual([(b.index, b.own) for b in bodies], [(1, True), (0, False)])
        self.assertEqual(bodies[0].blocks, {"total"})
        # the other body is never marked
        self.assertEqual(bodies[1].blocks, frozenset())
        self.assertFalse(any(marked for _line, marked in bodies[1].lines))
        bodies = display.bodies(invoices, 0, parse_focus("vat:4.00|"))
        self.assertEqual([marked for _line, marked in bodies[0].lines], [False, True, False])
        self.assertEqual(
            [(row.vat_rate, marked) for row, marked in bodies[0].summary],
            [(D("22.00"), False), (D("4.00"), True), (D("0.00"), False)],
        )
        bodies = display.bodies(invoices, 0, parse_focus("vat:0.00|N1 line:1"))
        self.assertEqual([marked for _line, marked in bodies[0].lines], [True, False, True])
        bodies = display.bodies(invoices, 0, Focus())
        self.assertFalse(any(marked for _line, marked in bodies[0].lines))

    def test_a_page_of_lines(self):
        invoices = self.invoices()
        bodies = display.bodies(invoices, 0, None, page=2, size=2)
        self.assertEqual([line.description for line, _m in bodies[0].lines], ["Bollo"])
        self.assertEqual(bodies[0].pager.pages, 2)
        self.assertEqual(len(bodies[1].lines), 1)  # page 2 of a one-line body: its only page


class TestSignature(PureCase):
    def test_plain_xades_and_p7m(self):
        xml = build_xml(InvoiceSpec(seller=PartySpec(name="Alfa")))
        self.assertIsNone(read_bytes(xml, today=TODAY).signature)
        self.assertEqual(
            read_bytes(build_xml(InvoiceSpec(), xades=True), today=TODAY).signature, "xades"
        )
        signed = read_bytes(wrap(xml, "p7m-der"), today=TODAY)
        self.assertEqual((signed.signature, display.tampered(signed)), ("cades", False))

    def test_tampered_envelope(self):
        # content altered after signing: one byte more inside the first chunk
        ber = p7m_ber(build_xml(InvoiceSpec(lines=[LineSpec(f"Riga {i}") for i in range(30)])))
        position = ber.index(b"Riga 1")
        result = read_bytes(ber[:position] + b"X" + ber[position:], today=TODAY)
        self.assertTrue(result.ok, result.error_message)
        self.assertEqual(result.signature, "cades")
        self.assertTrue(display.tampered(result), result.envelope_warnings)
