"""The reader on builder-made files: every envelope, encoding, prefix and
real-world trap of ../shared/fatturapa/README.md, the safety limits, the
checks and the CLI.  The builder output is validated against the official
XSD (local copies, no network)."""

import base64
import contextlib
import io
import json
import os
import tempfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from odoo.addons.l10n_it_autoreg.fatturapa import (
    BAD_ENVELOPE,
    HOSTILE_XML,
    MISSING_FIELD,
    NO_BODY,
    NOT_AN_INVOICE,
    TOO_LARGE,
    UNREADABLE,
    cli,
    codes,
    read_bytes,
    read_file,
)
from odoo.addons.l10n_it_autoreg.tests.builder import (
    ENVELOPES,
    AttachmentSpec,
    DiscountSpec,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PaymentSpec,
    PensionFundSpec,
    SimplifiedLineSpec,
    SimplifiedSpec,
    SummarySpec,
    WithholdingSpec,
    build_file,
    build_simplified_xml,
    build_xml,
    p7m_ber,
    schema_errors,
    wrap,
)
from odoo.addons.l10n_it_autoreg.tests.pure import PureCase

XSD = os.path.normpath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fatturapa", "xsd")
)
TODAY = date(2025, 6, 1)


def read(data, **kw):
    result = read_bytes(data, "test.xml", today=TODAY, **kw)
    assert result.ok, result.error_message
    return result


def codes_of(warnings):
    return sorted({w.split(":")[0] for w in warnings})


def _tmp_path(case):
    """A temporary folder removed after the test (pytest's tmp_path)."""
    folder = tempfile.TemporaryDirectory(prefix="autoreg-test-")
    case.addCleanup(folder.cleanup)
    return Path(folder.name)


def rich_spec(**overrides):
    values = dict(
        lines=[
            LineSpec(withholding=True, discounts=[DiscountSpec(percent=D("10"))]),
            LineSpec("Esente", vat_rate=D(0), nature="N4", price_unit=D("2.00")),
            LineSpec("Reso", price_unit=D("-5.00"), quantity=D("2")),
        ],
        withholdings=[WithholdingSpec()],
        pension_funds=[PensionFundSpec(withholding=True)],
        stamp_duty=D("2.00"),
        discounts=[DiscountSpec(amount=D("1.00"))],
        rounding=D("0.01"),
        reasons=["Causale di prova"],
        payments=[
            PaymentSpec("TP01", [InstallmentSpec(), InstallmentSpec(method="MP12", iban=None)])
        ],
        attachments=[AttachmentSpec()],
        linked_invoices=[("X1", date(2024, 1, 1))],
        delivery_notes=[("DDT1", date(2025, 1, 2))],
        orders=["ORD-7"],
    )
    values.update(overrides)
    return InvoiceSpec(**values)


# --------------------------------------------------------------------------
# Builder: schema-valid, consistent
# --------------------------------------------------------------------------
def _require_xsd(case):
    if not os.path.isdir(XSD):
        case.skipTest(f"XSD folder {XSD} absent")


class TestBuilderOutput(PureCase):
    def test_builder_default_is_schema_valid(self):
        _require_xsd(self)
        for kwargs in [
            {},
            {"version": "FPA12"},
            {"prefix": "ns2"},
            {"encoding": "windows-1252"},
            {"encoding": "iso-8859-1"},
            {"bom": True},
            {"declaration": False},
            {"xades": True},
        ]:
            with self.subTest(**kwargs):
                assert schema_errors(build_xml(InvoiceSpec(), **kwargs), XSD) == []

    def test_builder_every_document_type(self):
        for document_type in sorted(
            set(codes.DOCUMENT_TYPES) - set(codes.SIMPLIFIED_DOCUMENT_TYPES)
        ):
            with self.subTest(document_type=document_type):
                xml = build_xml(InvoiceSpec(document_type=document_type))
                # TD29 is schema 1.2.3
                if document_type not in ("TD29",) and os.path.isdir(XSD):
                    assert schema_errors(xml, XSD) == []
                invoice = read(xml).invoices[0]
                assert invoice.document_type == document_type
                assert "unknown_code" not in codes_of(invoice.warnings)

    def test_builder_every_nature_and_rich_document_is_valid_and_consistent(self):
        lines = [
            LineSpec(f"Natura {nature}", vat_rate=D(0), nature=nature)
            for nature in codes.VAT_NATURES
        ]
        spec = rich_spec(lines=rich_spec().lines + lines)
        xml = build_xml(spec, spec)
        if os.path.isdir(XSD):
            assert schema_errors(xml, XSD) == []
        result = read(xml)
        assert len(result.invoices) == 2
        invoice = result.invoices[0]
        assert invoice.warnings == []
        assert invoice.amount_untaxed == spec.amount_untaxed()
        assert invoice.amount_tax == spec.amount_tax()
        assert invoice.total == spec.document_total()
        assert [w.amount for w in invoice.withholdings] == [
            a for _w, a in spec.withholding_amounts()
        ]
        assert invoice.stamp_duty.amount == D("2.00") and invoice.rounding == D("0.01")
        assert invoice.pension_funds[0].type == "TC22" and invoice.pension_funds[0].withholding
        assert len(invoice.payments[0].installments) == 2
        assert invoice.attachments[0].data() == AttachmentSpec().data
        assert {doc.kind for doc in invoice.linked_documents} == {"order", "invoice"}
        assert invoice.delivery_notes[0].number == "DDT1"

    def test_builder_defaults(self):
        invoice = read(build_xml()).invoices[0]
        assert (invoice.document_type, invoice.version, invoice.currency) == (
            "TD01",
            "FPR12",
            "EUR",
        )
        assert invoice.seller.vat == "IT01234567890" and invoice.seller.name == "Fornitore Srl"
        assert invoice.buyer.vat == "IT07654321004"
        assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
            D("100.00"),
            D("22.00"),
            D("122.00"),
        )
        assert invoice.payments[0].installments[0].amount == D("122.00")
        assert invoice.warnings == []

    def test_builder_simplified_is_schema_valid_and_read(self):
        xml = build_simplified_xml(
            SimplifiedSpec(
                lines=[
                    SimplifiedLineSpec(),
                    SimplifiedLineSpec(amount=D("110.00"), tax=D("10.00"), vat_rate=None),
                    SimplifiedLineSpec(amount=D("50.00"), vat_rate=D(0), nature="N4"),
                ]
            )
        )
        if os.path.isdir(XSD):
            assert schema_errors(xml, XSD, simplified=True) == []
        invoice = read(xml).invoices[0]
        assert invoice.simplified and invoice.version == "FSM10"
        # 122 @22% -> 22.00 tax; 110 with Imposta 10 -> rate 10.00; 50 N4
        # (SVFSM10.xsd predates the N2.x / N3.x / N6.x codes)
        assert invoice.amount_tax == D("32.00")
        assert invoice.amount_untaxed == D("250.00")
        assert invoice.lines[1].vat_rate == D("10.00")
        assert invoice.warnings == []

    def test_simplified_rate_rounding_half_up(self):
        xml = build_simplified_xml(SimplifiedSpec(lines=[SimplifiedLineSpec(amount=D("10.01"))]))
        invoice = read(xml).invoices[0]
        # 10.01 * 22 / 122 = 1.80508... -> 1.81
        assert invoice.amount_tax == D("1.81") and invoice.amount_untaxed == D("8.20")


# --------------------------------------------------------------------------
# Envelopes, encodings, prefixes
# --------------------------------------------------------------------------
class TestEnvelopesEncodingsPrefixes(PureCase):
    def test_every_envelope(self):
        for envelope in ENVELOPES:
            with self.subTest(envelope=envelope):
                result = read(build_file(InvoiceSpec(number="E-1"), envelope=envelope))
                assert result.invoices[0].number == "E-1"
                assert result.envelope_warnings == []
                assert result.xml.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
                assert result.envelope.startswith("xml" if envelope == "xml" else "p7m")

    def test_envelope_kinds(self):
        xml = build_xml()
        assert read(wrap(xml, "p7m-der")).envelope == "p7m-der"
        assert read(wrap(xml, "p7m-ber")).envelope == "p7m-ber"
        assert read(wrap(xml, "base64")).envelope == "p7m-der-base64"
        assert read(wrap(xml, "base64-base64")).envelope == "p7m-der-base64-base64"
        assert read(wrap(xml, "pem")).envelope == "p7m-der-pem"

    def test_tampered_and_truncated_p7m(self):
        xml = build_xml(InvoiceSpec(lines=[LineSpec(f"Riga {i}") for i in range(30)]))
        ber = p7m_ber(xml)
        # alter the content after signing: one byte more inside the first chunk
        position = ber.index(b"Riga 1")
        tampered = ber[:position] + b"X" + ber[position:]
        result = read(tampered)
        assert codes_of(result.envelope_warnings) == ["envelope_damaged"]
        assert len(result.invoices[0].lines) == 30
        assert "Riga 1" in result.invoices[0].lines[1].description
        # cut inside the content: nothing sensible is left
        broken = read_bytes(ber[:position])
        assert broken.error_code in (UNREADABLE, BAD_ENVELOPE)
        assert read_bytes(b"\x30\x80\x06\x09garbage").error_code == BAD_ENVELOPE

    def test_encodings_and_prefixes(self):
        for prefix in ["p", "ns2", "", None]:
            for encoding in ["utf-8", "windows-1252", "iso-8859-1"]:
                with self.subTest(prefix=prefix, encoding=encoding):
                    spec = InvoiceSpec(
                        lines=[
                            LineSpec(
                                "Caffè perché €" if encoding != "iso-8859-1" else "Caffè perché"
                            )
                        ]
                    )
                    invoice = read(build_xml(spec, encoding=encoding, prefix=prefix)).invoices[0]
                    assert invoice.lines[0].description == spec.lines[0].description
                    assert invoice.amount_total == D("122.00")

    def test_bom_and_no_declaration(self):
        assert read(build_xml(bom=True)).invoices[0].number == "FT-2025-0001"
        assert read(build_xml(declaration=False)).invoices[0].number == "FT-2025-0001"

    def test_wrong_declared_encoding_is_recovered(self):
        xml = build_xml(InvoiceSpec(lines=[LineSpec("Caffè")]), encoding="windows-1252")
        lying = xml.replace(b"windows-1252", b"UTF-8")
        result = read(lying)
        assert result.invoices[0].lines[0].description == "Caffè"
        assert "encoding_recovered" in codes_of(result.envelope_warnings)
        undeclared = xml.split(b"?>", 1)[1]
        assert read(undeclared).invoices[0].lines[0].description == "Caffè"

    def test_broken_namespace_declaration_is_recovered(self):
        xml = build_xml().replace(b'xmlns:p="', b'xmlns:q="')
        result = read(xml)
        assert result.invoices[0].amount_total == D("122.00")
        assert "xml_recovered" in codes_of(result.envelope_warnings)

    def test_legacy_v11_and_xades(self):
        legacy = read(build_xml(legacy=True)).invoices[0]
        assert legacy.version == "1.1" and legacy.amount_total == D("122.00")
        signed = read(build_xml(xades=True))
        assert signed.envelope == "xml" and signed.invoices[0].amount_total == D("122.00")

    def test_whitespace_dates_timezone_and_percent_format(self):
        xml = build_xml(InvoiceSpec(lines=[LineSpec(discounts=[DiscountSpec(percent=D("10"))])]))
        xml = xml.replace(b"<Data>2025-01-15</Data>", b"<Data>\n  2025-01-15+01:00 </Data>")
        xml = xml.replace(b"<Percentuale>10.00</Percentuale>", b"<Percentuale>10.0</Percentuale>")
        invoice = read(xml).invoices[0]
        assert invoice.date == date(2025, 1, 15)
        assert invoice.lines[0].discounts[0].percent == D("10.0")
        assert str(invoice.lines[0].discounts[0].percent) == "10.0"  # exactly as written

    def test_element_order_does_not_matter(self):
        xml = build_xml()
        moved = xml.replace(
            b"<Divisa>EUR</Divisa><Data>2025-01-15</Data>",
            b"<Data>2025-01-15</Data><Divisa>EUR</Divisa>",
        )
        assert moved != xml
        assert read(moved).invoices[0].date == date(2025, 1, 15)


# --------------------------------------------------------------------------
# Not invoices, errors, safety
# --------------------------------------------------------------------------
class TestNotInvoicesErrorsSafety(PureCase):
    def test_not_invoices_are_coded_errors(self):
        for data, code in [
            (b"", UNREADABLE),
            (b"   \n", UNREADABLE),
            (b"\x00\x01garbage", UNREADABLE),
            (b"<not xml", UNREADABLE),
            (b"%PDF-1.4 something", UNREADABLE),
            (
                b'<?xml version="1.0"?><ns2:RicevutaConsegna xmlns:ns2="http://www.fatturapa'
                b'.gov.it/sdi/messaggi/v1.0"><IdentificativoSdI>1</IdentificativoSdI>'
                b"</ns2:RicevutaConsegna>",
                NOT_AN_INVOICE,
            ),
            (
                b'<?xml version="1.0"?><FileMetadati xmlns="http://www.fatturapa.gov.it/sdi/'
                b'messaggi/v1.0"><IdentificativoSdI>1</IdentificativoSdI><NomeFile>IT01_1.xml'
                b"</NomeFile></FileMetadati>",
                NOT_AN_INVOICE,
            ),
            (
                b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
                NOT_AN_INVOICE,
            ),
        ]:
            with self.subTest(data=data[:60], code=code):
                result = read_bytes(data, "IT01234567890_00001_MT_001.xml")
                assert not result.ok and result.error_code == code and result.invoices == []
                assert result.error_message

    def test_no_body_and_missing_fields(self):
        xml = build_xml()
        start = xml.index(b"<FatturaElettronicaBody>")
        end = xml.index(b"</FatturaElettronicaBody>")
        assert read_bytes(xml[:start] + xml[end + 25 :]).error_code == NO_BODY
        no_number = xml.replace(b"<Numero>FT-2025-0001</Numero>", b"")
        assert read_bytes(no_number).error_code == MISSING_FIELD

    def test_hostile_xml(self):
        laughs = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b"<FatturaElettronica>&lol2;</FatturaElettronica>"
        )
        assert read_bytes(laughs).error_code == HOSTILE_XML
        external = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<FatturaElettronica>&e;</FatturaElettronica>"
        )
        assert read_bytes(external).error_code == HOSTILE_XML
        deep = b"<FatturaElettronica>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</FatturaElettronica>"
        assert read_bytes(deep).error_code == HOSTILE_XML

    def test_size_limit(self):
        tmp_path = _tmp_path(self)
        xml = build_xml()
        assert read_bytes(xml, max_size=100).error_code == TOO_LARGE
        path = tmp_path / "big.xml"
        path.write_bytes(xml)
        assert read_file(path, max_size=100).error_code == TOO_LARGE
        assert read_file(path).ok
        assert read_file(tmp_path / "missing.xml").error_code == UNREADABLE

    def test_big_attachment_is_not_decoded_while_reading(self):
        payload = os.urandom(12 * 1024 * 1024)  # base64 text node > 10 MB
        spec = InvoiceSpec(
            attachments=[AttachmentSpec("big.bin", payload, "BIN"), AttachmentSpec()]
        )
        result = read(build_xml(spec))
        big, small = result.invoices[0].attachments
        assert big.size == len(payload) and small.size == len(AttachmentSpec().data)
        assert big.data() == payload and small.data() == AttachmentSpec().data


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------
class TestChecks(PureCase):
    def test_checks_flag_true_inconsistencies_only(self):
        bad_summary = InvoiceSpec(summary=[SummarySpec(D("22.00"), D("90.00"), D("19.80"))])
        invoice = read(build_xml(bad_summary)).invoices[0]
        assert "lines_vs_summary" in codes_of(invoice.warnings)
        assert invoice.amount_untaxed == D("90.00")  # the document's own figures
        wrong_total = InvoiceSpec(total=D("130.00"))
        assert "summary_vs_total" in codes_of(read(build_xml(wrong_total)).invoices[0].warnings)
        wrong_due = InvoiceSpec(
            payments=[PaymentSpec(installments=[InstallmentSpec(amount=D("100.00"))])]
        )
        assert codes_of(read(build_xml(wrong_due)).invoices[0].warnings) == [
            "installments_vs_total"
        ]
        wrong_tax = InvoiceSpec(summary=[SummarySpec(D("22.00"), D("100.00"), D("20.00"))])
        assert "summary_tax" in codes_of(read(build_xml(wrong_tax)).invoices[0].warnings)
        unknown = InvoiceSpec(
            document_type="TD99",
            lines=[LineSpec(vat_rate=D(0), nature="N9")],
            payments=[PaymentSpec(installments=[InstallmentSpec(method="MP99")])],
        )
        warnings = read(build_xml(unknown)).invoices[0].warnings
        assert sum(w.startswith("unknown_code") for w in warnings) == 3
        future = InvoiceSpec(date=date(2030, 1, 1))
        assert "date_in_future" in codes_of(read(build_xml(future)).invoices[0].warnings)

    def test_supplier_conventions_are_not_warnings(self):
        for taxable in (D("100.00"), D("100.01")):
            spec = InvoiceSpec(
                summary=[SummarySpec(D("22.00"), taxable, D("22.00"), rounding=D("0.01"))],
                total=D("122.01"),
                payments=[],
            )
            assert read(build_xml(spec)).invoices[0].warnings == []
        # ImportoTotaleDocumento net of withholding, or gross
        withheld = InvoiceSpec(lines=[LineSpec(withholding=True)], withholdings=[WithholdingSpec()])
        for total in (D("122.00"), D("102.00")):
            spec = InvoiceSpec(
                lines=withheld.lines, withholdings=withheld.withholdings, total=total
            )
            assert read(build_xml(spec)).invoices[0].warnings == []
        # bollo added to the total without a line; split payment
        assert (
            read(build_xml(InvoiceSpec(stamp_duty=D("2.00"), total=D("124.00"), payments=[])))
            .invoices[0]
            .warnings
            == []
        )
        split = read(build_xml(InvoiceSpec(vat_due="S"))).invoices[0]
        assert split.warnings == [] and split.payments[0].installments[0].amount == D("100.00")
        # line discounts: PrezzoTotale is already net
        discounted = InvoiceSpec(
            lines=[
                LineSpec(
                    quantity=D("3"),
                    price_unit=D("9.99"),
                    discounts=[DiscountSpec(percent=D("12.5")), DiscountSpec(amount=D("0.50"))],
                )
            ]
        )
        assert read(build_xml(discounted)).invoices[0].warnings == []
        # TD04 with negative amounts, and several installments
        refund = InvoiceSpec(
            document_type="TD04",
            lines=[LineSpec(price_unit=D("-100"))],
            payments=[PaymentSpec("TP01", [InstallmentSpec(), InstallmentSpec()])],
        )
        invoice = read(build_xml(refund)).invoices[0]
        assert invoice.amount_total == D("-122.00") and invoice.warnings == []


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------
class TestCli(PureCase):
    def test_cli_json(self):
        tmp_path = _tmp_path(self)
        good = tmp_path / "IT01234567890_00001.xml.p7m"
        good.write_bytes(build_file(InvoiceSpec(), InvoiceSpec(number="2"), envelope="p7m-ber"))
        bad = tmp_path / "IT01234567890_00001_MT_001.xml"
        bad.write_bytes(b"<FileMetadati/>")
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert cli.main(["--json", str(good)]) == 0
            assert cli.main(["--json", str(good), str(bad)]) == 1
        lines = out.getvalue().splitlines()
        assert len(lines) == 3
        first, ok_again, error = (json.loads(line) for line in lines)
        assert first == ok_again
        assert first["ok"] is True and first["error"] is None
        assert [inv["number"] for inv in first["invoices"]] == ["FT-2025-0001", "2"]
        assert first["invoices"][0] == {
            "document_type": "TD01",
            "number": "FT-2025-0001",
            "date": "2025-01-15",
            "currency": "EUR",
            "seller_vat": "IT01234567890",
            "seller_fiscal_code": None,
            "buyer_vat": "IT07654321004",
            "buyer_fiscal_code": None,
            "amount_untaxed": "100.00",
            "amount_tax": "22.00",
            "amount_total": "122.00",
            "lines": 1,
            "warnings": [],
        }
        assert error["ok"] is False and error["invoices"] == []
        assert error["error"]["code"] == NOT_AN_INVOICE and error["error"]["message"]

    def test_cli_human(self):
        path = _tmp_path(self) / "a.xml"
        path.write_bytes(build_xml())
        with contextlib.redirect_stdout(io.StringIO()) as stdout:
            assert cli.main([str(path)]) == 0
        out = stdout.getvalue()
        assert "TD01 FT-2025-0001" in out and "122.00" in out

    def test_base64_attachment_roundtrip_inside_p7m(self):
        data = base64.b64decode(base64.b64encode(b"hello"))
        result = read(
            build_file(
                InvoiceSpec(attachments=[AttachmentSpec("a.txt", data, "TXT")]),
                envelope="base64-crlf",
            )
        )
        assert result.invoices[0].attachments[0].data() == b"hello"


class TestHostileAndOddValues(PureCase):
    """The DOCTYPE anywhere in the prolog, dates and amounts at the limits:
    the reader reports, the registration decides (check_values)."""

    def test_doctype_anywhere_in_the_prolog_is_hostile(self):
        """The quick look reads 64 KiB of raw bytes: a DOCTYPE after a long
        comment, or in UTF-16, is caught on the parsed tree (never expanded)."""
        xml = build_xml(InvoiceSpec())
        declaration, rest = xml.split(b"?>", 1)
        comment = b"<!--" + b"x" * 70000 + b"-->"
        late = (
            declaration
            + b"?>"
            + comment
            + b'<!DOCTYPE p:FatturaElettronica [<!ENTITY a "b">]>'
            + rest
        )
        assert read_bytes(late, today=TODAY).error_code == HOSTILE_XML
        system = (
            declaration + b"?>" + comment + b'<!DOCTYPE p:FatturaElettronica SYSTEM "x.dtd">' + rest
        )
        assert read_bytes(system, today=TODAY).error_code == HOSTILE_XML
        utf16 = (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>' + rest.decode()
        ).encode("utf-16")
        assert read_bytes(utf16, today=TODAY).error_code == HOSTILE_XML
        assert read_bytes(rest.decode().encode("utf-16"), today=TODAY).ok
        assert read_bytes(declaration + b"?>" + comment + rest, today=TODAY).ok

    def test_extreme_dates_never_an_internal_error(self):
        for written in ["0001-01-01", "9999-12-31"]:
            with self.subTest(written=written):
                xml = build_xml(InvoiceSpec()).replace(
                    b"<Data>2025-01-15", written.encode().join([b"<Data>", b""])
                )
                result = read_bytes(xml, today=TODAY)
                assert result.ok, result.error_message
                assert result.invoices[0].date.isoformat() == written

    def test_what_the_reader_says_of_odd_amounts(self):
        for written, code in [
            ("1e308", "bad_value"),
            ("NaN", "bad_value"),
            ("Infinity", "bad_value"),
            ("1E+400", "bad_value"),
            ("0x1F", "bad_value"),
            ("1e-30", "bad_value"),
            ("-0", "value_recovered"),
            ("1,50", "value_recovered"),
            ("1.234,56", "value_recovered"),
        ]:
            with self.subTest(written=written):
                xml = build_xml(InvoiceSpec()).replace(
                    b"<ImportoPagamento>122.00", b"<ImportoPagamento>" + written.encode()
                )
                invoice = read(xml).invoices[0]
                assert any(w.startswith(f"{code}: ImportoPagamento") for w in invoice.warnings)
