"""Real-world leniency: what received files do that the schema does not allow
(or allows in an unusual way), and how the reader takes it.

Each case edits builder output the way a careless generator would.  Either
the file reads as if it were clean (no warning needed), or it reads with a
coded warning (``value_recovered``, ``xml_recovered``) saying what was done.
"""

import base64
from datetime import date
from decimal import Decimal as D
from unittest.mock import patch

from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes
from odoo.addons.l10n_it_autoreg.tests.builder import (
    AttachmentSpec,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    SummarySpec,
    build_xml,
)
from odoo.addons.l10n_it_autoreg.tests.pure import PureCase

TODAY = date(2025, 6, 1)
CLEAN = build_xml(InvoiceSpec()).decode()  # one 22% line of 100.00, total 122.00


def read(xml):
    result = read_bytes(xml.encode() if isinstance(xml, str) else xml, "t.xml", today=TODAY)
    assert result.ok, result.error_message
    return result


def edit(old, new, xml=CLEAN):
    assert old in xml, old
    return xml.replace(old, new, 1)


def assert_clean_figures(invoice, total=D("122.00")):
    assert invoice.total == total
    assert invoice.amount_untaxed == D("100.00") and invoice.amount_tax == D("22.00")


# --------------------------------------------------------------------------
# Handled as if clean: no warning
# --------------------------------------------------------------------------
class TestReadAsIfClean(PureCase):
    def test_amount_spellings_read_plainly(self):
        for case, xml in [
            ("blanks-line", edit("<PrezzoTotale>100.00", "<PrezzoTotale>\n   100.00 ")),
            ("blanks-summary", edit("<ImponibileImporto>100.00", "<ImponibileImporto>\t100.00\n")),
            (
                "nbsp",
                edit(
                    "<ImportoTotaleDocumento>122.00", "<ImportoTotaleDocumento>\u00a0122.00\u00a0"
                ),
            ),
            (
                "plus-sign",
                edit("<ImportoTotaleDocumento>122.00", "<ImportoTotaleDocumento>+122.00"),
            ),
        ]:
            with self.subTest(case):
                invoice = read(xml).invoices[0]
                assert_clean_figures(invoice)
                assert invoice.warnings == []

    def test_quantity_with_many_decimals(self):
        xml = build_xml(
            InvoiceSpec(lines=[LineSpec(quantity=D("1.23456789"), price_unit=D("10.00"))])
        ).decode()
        line = read(xml).invoices[0].lines[0]
        assert line.quantity == D("1.23456789")
        assert read(xml).invoices[0].warnings == []

    def test_empty_optional_elements(self):
        xml = edit(
            "<DatiGeneraliDocumento>", "<DatiGeneraliDocumento><Causale/><Causale> </Causale>"
        )
        xml = edit(
            "<ImportoTotaleDocumento>122.00</ImportoTotaleDocumento>",
            "<ImportoTotaleDocumento></ImportoTotaleDocumento>",
            xml,
        )
        invoice = read(xml).invoices[0]
        assert invoice.reasons == [] and invoice.total is None
        assert invoice.warnings == []

    def test_date_as_datetime_or_with_timezone(self):
        for written in [
            "2025-01-15T10:30:00",
            "2025-01-15T10:30:00.000+01:00",
            "2025-01-15+01:00",
            " 2025-01-15 ",
        ]:
            with self.subTest(written=written):
                invoice = read(edit("<Data>2025-01-15", f"<Data>{written}")).invoices[0]
                assert invoice.date == date(2025, 1, 15)
                assert invoice.warnings == []

    def test_lowercase_codes_and_currency(self):
        xml = (
            CLEAN.replace(">TD01<", ">td01<")
            .replace(">EUR<", ">eur<")
            .replace(">MP05<", ">mp05<")
            .replace(">TP02<", ">tp02<")
            .replace(">RF01<", ">rf01<")
        )
        invoice = read(xml).invoices[0]
        assert (invoice.document_type, invoice.currency) == ("TD01", "EUR")
        assert invoice.payments[0].conditions == "TP02"
        assert invoice.payments[0].installments[0].method == "MP05"
        assert invoice.seller.tax_regime == "RF01"
        assert invoice.warnings == []

    def test_attachment_base64_with_blanks_and_line_breaks(self):
        payload = bytes(range(256)) * 20
        xml = build_xml(InvoiceSpec(attachments=[AttachmentSpec(data=payload)])).decode()
        encoded = base64.b64encode(payload).decode()
        folded = "\r\n  ".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
        attachment = read(edit(encoded, f"\n {folded} \n", xml)).invoices[0].attachments[0]
        assert attachment.data() == payload
        assert attachment.size == len(payload)

    def test_several_payment_blocks(self):
        spec = InvoiceSpec(
            payments=[
                PaymentSpec("TP03", [InstallmentSpec(amount=D("22.00"))]),
                PaymentSpec(
                    "TP01", [InstallmentSpec(amount=D("50.00")), InstallmentSpec(amount=D("50.00"))]
                ),
            ]
        )
        invoice = read(build_xml(spec)).invoices[0]
        assert [p.conditions for p in invoice.payments] == ["TP03", "TP01"]
        assert [len(p.installments) for p in invoice.payments] == [1, 2]
        assert not [w for w in invoice.warnings if w.startswith("installments_vs_total")]

    def test_any_namespace_spelling(self):
        for prefix in ["", None, "ns2"]:
            with self.subTest(prefix=prefix):
                assert_clean_figures(read(build_xml(InvoiceSpec(), prefix=prefix)).invoices[0])

    def test_stylesheet_processing_instruction_and_comments_before_the_root(self):
        xml = edit(
            "?>",
            '?>\n<?xml-stylesheet type="text/xsl" href="fatturaPA_v1.2.1.xsl"?>'
            "\n<!-- generato da Gestionale 2000 -->\n",
        )
        xml = edit("<DatiGenerali>", "<!-- dentro --><?pi x?><DatiGenerali>", xml)
        result = read(xml)
        assert_clean_figures(result.invoices[0])
        assert result.envelope_warnings == []

    def test_legacy_format_sdi11(self):
        xml = edit(">FPR12<", ">SDI11<").replace('versione="FPR12"', 'versione="1.1"')
        invoice = read(xml).invoices[0]
        assert invoice.transmission.format == "SDI11" and invoice.version == "1.1"
        assert_clean_figures(invoice)


# --------------------------------------------------------------------------
# Read leniently, with a coded warning
# --------------------------------------------------------------------------
class TestReadWithWarning(PureCase):
    def test_grouped_or_currency_amounts(self):
        for written, value in [
            ("1.122,00", D("1122.00")),
            ("1,122.00", D("1122.00")),
            ("-1.234.567,5", D("-1234567.5")),
            ("\u20ac 122,00", D("122.00")),
            ("122.00 EUR", D("122.00")),
            ("122,00", D("122.00")),
            ("-0.00", D("0.00")),
        ]:
            with self.subTest(written=written):
                invoice = read(
                    edit("<ImportoTotaleDocumento>122.00", f"<ImportoTotaleDocumento>{written}")
                ).invoices[0]
                assert invoice.total == value
                assert any(
                    w.startswith("value_recovered: ImportoTotaleDocumento")
                    for w in invoice.warnings
                )

    def test_ambiguous_grouping_stays_a_bad_value(self):
        for written in ["1.12,00", "12,34,56.00", "1.2.3"]:
            with self.subTest(written=written):
                invoice = read(
                    edit("<ImportoTotaleDocumento>122.00", f"<ImportoTotaleDocumento>{written}")
                ).invoices[0]
                assert invoice.total is None
                assert any(
                    w.startswith("bad_value: ImportoTotaleDocumento") for w in invoice.warnings
                )

    def test_day_first_dates(self):
        for written in ["15/01/2025", "15.01.2025", "15-1-2025"]:
            with self.subTest(written=written):
                invoice = read(edit("<Data>2025-01-15", f"<Data>{written}")).invoices[0]
                assert invoice.date == date(2025, 1, 15)
                assert any(
                    w.startswith("value_recovered: DatiGeneraliDocumento/Data")
                    for w in invoice.warnings
                )

    def test_impossible_day_first_date_is_still_a_bad_value(self):
        result = read_bytes(edit("<Data>2025-01-15", "<Data>31/02/2025").encode(), today=TODAY)
        assert result.error_code == "bad_value"

    def test_repaired_xml(self):
        for case, data, note in [
            ("blanks", "\r\n  " + CLEAN, "blanks before the XML declaration"),
            ("bom-blanks", "\ufeff\n" + CLEAN, "blanks before the XML declaration"),
            ("nul-padding", CLEAN + "\x00\x00\x00", "bytes after the root element"),
            ("tail", CLEAN + "\n</FatturaElettronicaBody>garbage", "bytes after the root element"),
            (
                "controls",
                edit("Servizio di consulenza", "Servizio\x0cdi\x1aconsulenza"),
                "control characters",
            ),
            ("ampersand", edit("Fornitore Srl", "Rossi & Figli Srl"), "bare '&'"),
        ]:
            with self.subTest(case):
                result = read(data.encode("utf-8"))
                assert any(
                    w.startswith("xml_recovered:") and note in w for w in result.envelope_warnings
                )
                assert_clean_figures(result.invoices[0])

    def test_repaired_texts_keep_their_meaning(self):
        result = read(edit("Fornitore Srl", "Rossi & Figli &amp; C. &#233;").encode())
        assert result.invoices[0].seller.name == "Rossi & Figli & C. \u00e9"
        result = read(edit("Servizio di consulenza", "Servizio\x0bdi consulenza").encode())
        assert result.invoices[0].lines[0].description == "Servizio?di consulenza"

    def test_control_character_in_an_amount_is_never_another_figure(self):
        """Removing it would turn 1\\x0222.00 into 122.00: it becomes '?', a bad
        value."""
        result = read_bytes(
            edit("<ImportoTotaleDocumento>122.00", "<ImportoTotaleDocumento>1\x0222.00").encode(),
            today=TODAY,
        )
        assert result.ok
        assert result.invoices[0].total is None
        assert any(
            w.startswith("bad_value: ImportoTotaleDocumento") for w in result.invoices[0].warnings
        )

    def test_repair_never_admits_a_doctype(self):
        """A DOCTYPE split by a control character is refused once joined."""
        data = ("<!DOC\x01TYPE x [<!ENTITY a 'b'>]>" + CLEAN.split("?>", 1)[1]).encode()
        result = read_bytes(data, today=TODAY)
        assert not result.ok and result.error_code in ("hostile_xml", "unreadable")


# --------------------------------------------------------------------------
# Namespace faults are mended, nothing else the recovering parser would mend
# --------------------------------------------------------------------------
UNDECLARED = edit('xmlns:p="', 'xmlns:q="')  # the root's prefix p is undeclared


class TestNamespaceFaultsMended(PureCase):
    def test_invalid_namespace_uri_on_an_unused_prefix_is_recovered(self):
        """Seen in the wild: xmlns:ds="http://www.w3.org/2000/09/xmldsig#&quot;"."""
        xml = edit('xmldsig#"', 'xmldsig#&quot;"')
        result = read(xml)
        assert_clean_figures(result.invoices[0])
        assert any(w.startswith("xml_recovered:") for w in result.envelope_warnings)

    def test_undeclared_prefix_in_a_truncated_file_is_unreadable(self):
        """The recovering parser closes a truncated file without a word: the
        figures after the cut would be lost (here the whole summary)."""
        cut = UNDECLARED[: UNDECLARED.index("<DatiRiepilogo>")]
        result = read_bytes(cut.encode(), today=TODAY)
        assert result.error_code == "unreadable"
        assert "cut short" in result.error_message

    def test_undeclared_prefix_with_a_comment_after_the_root_is_recovered(self):
        result = read(UNDECLARED + "\n<!-- firmato -->\n<?fine?>\n")
        assert_clean_figures(result.invoices[0])

    def test_undeclared_prefix_with_a_broken_tag_is_unreadable(self):
        broken = edit(
            "<PrezzoTotale>100.00</PrezzoTotale>", "<PrezzoTotale>100.00</PrezzoTot", UNDECLARED
        )
        result = read_bytes(broken.encode(), today=TODAY)
        assert result.error_code == "unreadable"

    def test_a_name_that_is_not_utf8_in_a_mended_tree_is_coded(self):
        data = UNDECLARED.encode().replace(
            b"<ModalitaPagamento>MP05</ModalitaPagamento>",
            b"<ModalitaPagamento>MP05<\xe9/ModalitaPagamento>",
        )
        result = read_bytes(data, today=TODAY)
        assert result.error_code == "unreadable"


# --------------------------------------------------------------------------
# Missing mandatory data: coded, with where it is missing
# --------------------------------------------------------------------------
class TestMissingMandatoryData(PureCase):
    def test_missing_party_is_a_missing_field(self):
        for block in ["CedentePrestatore", "CessionarioCommittente"]:
            with self.subTest(block=block):
                start = CLEAN.index(f"<{block}>")
                end = CLEAN.index(f"</{block}>") + len(f"</{block}>")
                result = read_bytes((CLEAN[:start] + CLEAN[end:]).encode(), today=TODAY)
                assert result.error_code == "missing_field"
                assert f"FatturaElettronicaHeader/{block}" in result.error_message

    def test_missing_line_field_names_body_and_line(self):
        xml = build_xml(InvoiceSpec(lines=[LineSpec(), LineSpec("Seconda")])).decode()
        second = xml.index("<NumeroLinea>2</NumeroLinea>")
        rate = xml.index("<AliquotaIVA>", second)
        xml = xml[:rate] + xml[xml.index("</AliquotaIVA>", rate) + len("</AliquotaIVA>") :]
        result = read_bytes(xml.encode(), today=TODAY)
        assert result.error_code == "missing_field"
        assert result.error_detail == "FatturaElettronicaBody 1: DettaglioLinee 2: AliquotaIVA"

    def test_a_reader_defect_is_not_blamed_on_the_file(self):
        from ..fatturapa import reader

        def defect(*args, **kwargs):
            raise KeyError("boom")

        with patch.object(reader.BodyReader, "line", defect):
            result = read_bytes(CLEAN.encode(), today=TODAY)
        assert result.error_code == "internal_error"
        assert "KeyError" in result.error_message
        assert "defect of the reader" in result.error_message


# --------------------------------------------------------------------------
# Checks: readings real suppliers use are not reported
# --------------------------------------------------------------------------
class TestChecksOfRealSupplierReadings(PureCase):
    def test_self_assessed_vat_documents_may_schedule_the_taxable_only(self):
        """Integrations and self-invoices: the buyer accounts for the VAT, the
        supplier is paid the taxable amount."""
        for document_type in ["TD17", "TD18", "TD19", "TD16", "TD28"]:
            with self.subTest(document_type=document_type):
                spec = InvoiceSpec(
                    document_type=document_type,
                    payments=[PaymentSpec("TP02", [InstallmentSpec(amount=D("100.00"))])],
                )
                invoice = read(build_xml(spec)).invoices[0]
                assert not [w for w in invoice.warnings if w.startswith("installments_vs_total")]
                ordinary = read(build_xml(InvoiceSpec(payments=spec.payments))).invoices[0]
                assert [w for w in ordinary.warnings if w.startswith("installments_vs_total")]

    def test_rounding_inside_the_taxable_with_an_unrounded_total(self):
        """ImponibileImporto = lines + Arrotondamento (as the specification
        says), ImportoTotaleDocumento = lines + tax: 100.02 + 22.00."""
        spec = InvoiceSpec(
            lines=[LineSpec(price_unit=D("100.02"))],
            summary=[SummarySpec(D("22.00"), D("100.00"), D("22.00"), rounding=D("-0.02"))],
            total=D("122.02"),
        )
        invoice = read(build_xml(spec)).invoices[0]
        assert invoice.amount_total == D("122.00")
        assert not [w for w in invoice.warnings if w.startswith(("summary_vs_total", "lines_vs"))]

    def test_unknown_format_version_is_reported(self):
        invoice = read(edit('versione="FPR12"', 'versione="FPC12"')).invoices[0]
        assert "unknown_code: versione 'FPC12' is not in the FatturaPA tables" in invoice.warnings
        assert_clean_figures(invoice)

    def test_simplified_line_without_vat_data_is_reported(self):
        from .builder import (
            SimplifiedLineSpec,
            SimplifiedSpec,
            build_simplified_xml,
        )

        xml = build_simplified_xml(
            SimplifiedSpec(lines=[SimplifiedLineSpec(amount=D("122.00"), vat_rate=D("22"))])
        )
        data = xml.decode()
        start, end = data.index("<DatiIVA>"), data.index("</DatiIVA>") + len("</DatiIVA>")
        invoice = read(data[:start] + "<DatiIVA></DatiIVA>" + data[end:]).invoices[0]
        assert invoice.amount_tax == 0
        assert any(w.startswith("missing_vat: line 1") for w in invoice.warnings)
