"""Build FatturaPA e-invoices for tests: pure Python (lxml, asn1crypto,
cryptography), no odoo import.

The defaults give a valid, internally consistent FPR12 invoice (schema
1.2.2): seller IT01234567890 "Fornitore Srl", buyer IT07654321004
"Cliente Spa", one 22% line of 100.00, VAT summary, total and one TP02/MP05
installment that all check out::

    xml = build_xml(InvoiceSpec())
    xml = build_xml(InvoiceSpec(document_type="TD04", lines=[
        LineSpec("Reso", price_unit=Decimal("-50")),
        LineSpec("Esente", vat_rate=0, nature="N4")]))
    p7m = build_file(InvoiceSpec(), InvoiceSpec(number="2"), envelope="p7m-ber",
                     prefix="ns2", encoding="windows-1252")
    xml = build_simplified_xml(SimplifiedSpec())          # FSM10 TD07

Amounts are computed the way a careful supplier does (line totals rounded to
2 decimals, VAT per rate rounded half-up); every computed figure can be
overridden to produce an inconsistent document on purpose.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

NS_FPA12 = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NS_FPA11 = "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1"
NS_FSM10 = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.0"
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"

CENT = Decimal("0.01")
ENVELOPES = ("xml", "p7m", "p7m-der", "p7m-ber", "base64", "base64-crlf", "base64-base64", "pem")


def _dec(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def round2(value) -> Decimal:
    """Round half-up to cents, as Italian invoicing software does."""
    return _dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt2(value) -> str:
    return str(round2(value))


def _fmt_price(value) -> str:
    """Amount8DecimalType: 2 to 8 decimals, keeping what was given."""
    value = _dec(value)
    if -value.as_tuple().exponent <= 2:
        return str(value.quantize(CENT))
    return str(
        value.quantize(Decimal("1E-8")).normalize() if -value.as_tuple().exponent > 8 else value
    )


# --------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------
@dataclass
class PartySpec:
    """A seller or buyer.  ``vat`` carries its country prefix."""

    vat: str | None = "IT01234567890"
    name: str | None = "Fornitore Srl"
    fiscal_code: str | None = None
    first_name: str | None = None  # with last_name, instead of name
    last_name: str | None = None
    tax_regime: str = "RF01"  # seller only
    street: str = "Via Roma"
    number: str | None = "1"
    zip: str = "20121"
    city: str = "Milano"
    province: str | None = "MI"
    country: str = "IT"


def default_seller() -> PartySpec:
    return PartySpec()


def default_buyer() -> PartySpec:
    return PartySpec(
        vat="IT07654321004",
        name="Cliente Spa",
        street="Via Appia",
        number="10",
        zip="00183",
        city="Roma",
        province="RM",
    )


@dataclass
class DiscountSpec:
    """ScontoMaggiorazione: SC sconto / MG maggiorazione, percent or amount
    (per unit on a line, on the whole document otherwise)."""

    type: str = "SC"
    percent: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class LineSpec:
    description: str = "Servizio di consulenza"
    price_unit: Decimal = Decimal("100.00")
    quantity: Decimal | None = Decimal("1.00")
    vat_rate: Decimal = Decimal("22.00")
    nature: str | None = None  # Natura, mandatory when vat_rate is 0
    discounts: list[DiscountSpec] = field(default_factory=list)
    withholding: bool = False  # Ritenuta SI
    uom: str | None = None
    price_total: Decimal | None = None  # None: computed from the above
    line_kind: str | None = None  # TipoCessionePrestazione SC/PR/AB/AC
    article_codes: list[tuple[str, str]] = field(default_factory=list)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    # AltriDatiGestionali: (TipoDato, RiferimentoTesto, RiferimentoNumero)
    other_data: list[tuple[str, str | None, Decimal | None]] = field(default_factory=list)

    def total(self) -> Decimal:
        if self.price_total is not None:
            return _dec(self.price_total)
        unit = _dec(self.price_unit)
        for discount in self.discounts:
            sign = -1 if discount.type == "SC" else 1
            if discount.percent is not None:
                unit += sign * unit * _dec(discount.percent) / 100
            elif discount.amount is not None:
                unit += sign * _dec(discount.amount)
        return round2(unit * (_dec(self.quantity) if self.quantity is not None else 1))


@dataclass
class WithholdingSpec:
    """DatiRitenuta; ``amount`` None = rate x (withholding lines + cassa)."""

    type: str = "RT01"
    rate: Decimal = Decimal("20.00")
    reason: str = "A"
    amount: Decimal | None = None


@dataclass
class PensionFundSpec:
    """DatiCassaPrevidenziale; the contribution joins the VAT summary of
    ``vat_rate``.  ``taxable`` None = sum of the lines; ``omit_taxable``
    leaves ImponibileCassa out (it is optional).  ``amount`` None = rate x
    taxable (a stated ImportoContributoCassa otherwise, in the summary)."""

    type: str = "TC22"
    rate: Decimal = Decimal("4.00")
    vat_rate: Decimal = Decimal("22.00")
    nature: str | None = None
    withholding: bool = False
    taxable: Decimal | None = None
    amount: Decimal | None = None
    omit_taxable: bool = False


@dataclass
class InstallmentSpec:
    method: str = "MP05"
    amount: Decimal | None = None  # None: the whole amount due (split evenly)
    due_date: dt.date | None = None  # None: document date + 30 days
    iban: str | None = "IT60X0542811101000000123456"
    bank_name: str | None = None
    bic: str | None = None
    payment_code: str | None = None  # CodicePagamento


@dataclass
class PaymentSpec:
    conditions: str = "TP02"
    installments: list[InstallmentSpec] = field(default_factory=lambda: [InstallmentSpec()])


@dataclass
class AttachmentSpec:
    name: str = "fattura.pdf"
    data: bytes = b"%PDF-1.4\n% test attachment\n%%EOF\n"
    format: str | None = "PDF"
    description: str | None = None
    compression: str | None = None


@dataclass
class SummarySpec:
    """An explicit DatiRiepilogo row (overrides the computed summary)."""

    vat_rate: Decimal
    taxable: Decimal
    tax: Decimal
    nature: str | None = None
    rounding: Decimal | None = None
    expenses: Decimal | None = None
    vat_due: str | None = "I"
    law_reference: str | None = None


@dataclass
class InvoiceSpec:
    """One FatturaElettronicaBody (the header comes from the first spec of a
    file).  ``payments`` None = one TP02 MP05 installment of the amount due;
    pass [] for none.  ``total`` None = computed ImportoTotaleDocumento;
    ``omit_total`` leaves it out."""

    document_type: str = "TD01"
    number: str = "FT-2025-0001"
    date: dt.date = dt.date(2025, 1, 15)
    currency: str = "EUR"
    seller: PartySpec = field(default_factory=default_seller)
    buyer: PartySpec = field(default_factory=default_buyer)
    lines: list[LineSpec] = field(default_factory=lambda: [LineSpec()])
    reasons: list[str] = field(default_factory=list)
    withholdings: list[WithholdingSpec] = field(default_factory=list)
    pension_funds: list[PensionFundSpec] = field(default_factory=list)
    stamp_duty: Decimal | None = None  # DatiBollo (charge it with a line if due)
    discounts: list[DiscountSpec] = field(default_factory=list)  # document level
    rounding: Decimal | None = None  # Arrotondamento of the document
    vat_due: str | None = "I"  # EsigibilitaIVA of the computed summary
    summary: list[SummarySpec] | None = None
    total: Decimal | None = None
    omit_total: bool = False
    payments: list[PaymentSpec] | None = None
    attachments: list[AttachmentSpec] = field(default_factory=list)
    linked_invoices: list[tuple[str, dt.date]] = field(default_factory=list)
    delivery_notes: list[tuple[str, dt.date]] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)

    # ---- computed figures -------------------------------------------------
    def pension_fund_amounts(self) -> list[tuple[PensionFundSpec, Decimal, Decimal]]:
        """(fund, taxable, amount) of each DatiCassaPrevidenziale."""
        lines_total = sum((line.total() for line in self.lines), Decimal(0))
        result = []
        for fund in self.pension_funds:
            taxable = _dec(fund.taxable) if fund.taxable is not None else lines_total
            amount = (
                _dec(fund.amount)
                if fund.amount is not None
                else round2(taxable * _dec(fund.rate) / 100)
            )
            result.append((fund, taxable, amount))
        return result

    def summary_rows(self) -> list[SummarySpec]:
        if self.summary is not None:
            return self.summary
        groups: dict[tuple, Decimal] = {}
        for line in self.lines:
            self._check_nature(line.vat_rate, line.nature)
            key = (round2(line.vat_rate), line.nature)
            groups[key] = groups.get(key, Decimal(0)) + line.total()
        for fund, _taxable, amount in self.pension_fund_amounts():
            self._check_nature(fund.vat_rate, fund.nature)
            key = (round2(fund.vat_rate), fund.nature)
            groups[key] = groups.get(key, Decimal(0)) + amount
        return [
            SummarySpec(
                vat_rate=rate,
                nature=nature,
                taxable=round2(taxable),
                tax=round2(taxable * rate / 100),
                vat_due=None if nature else self.vat_due,
                law_reference=f"Operazione {nature}" if nature else None,
            )
            for (rate, nature), taxable in groups.items()
        ]

    @staticmethod
    def _check_nature(rate, nature):
        if not _dec(rate) and not nature:
            raise ValueError("a 0% line or pension fund needs a Natura (nature=...)")

    def amount_untaxed(self) -> Decimal:
        return sum((_dec(r.taxable) for r in self.summary_rows()), Decimal(0))

    def amount_tax(self) -> Decimal:
        return sum((_dec(r.tax) for r in self.summary_rows()), Decimal(0))

    def discount_total(self) -> Decimal:
        """Document-level discounts (positive = sconto) in currency."""
        gross = self.amount_untaxed() + self.amount_tax()
        result = Decimal(0)
        for discount in self.discounts:
            value = (
                _dec(discount.amount)
                if discount.amount is not None
                else round2(gross * _dec(discount.percent) / 100)
            )
            result += value if discount.type == "SC" else -value
        return result

    def document_total(self) -> Decimal:
        """ImportoTotaleDocumento: VAT summary + rounding, net of discounts."""
        if self.total is not None:
            return _dec(self.total)
        return (
            self.amount_untaxed()
            + self.amount_tax()
            + (_dec(self.rounding) or 0)
            - self.discount_total()
        )

    def withholding_amounts(self) -> list[tuple[WithholdingSpec, Decimal]]:
        base = sum((line.total() for line in self.lines if line.withholding), Decimal(0))
        base += sum(
            (amount for fund, _t, amount in self.pension_fund_amounts() if fund.withholding),
            Decimal(0),
        )
        return [
            (w, _dec(w.amount) if w.amount is not None else round2(base * _dec(w.rate) / 100))
            for w in self.withholdings
        ]

    def amount_due(self) -> Decimal:
        """What the buyer pays: total - withholdings (- VAT if split payment)."""
        due = self.document_total() - sum((a for _w, a in self.withholding_amounts()), Decimal(0))
        if self.vat_due == "S":
            due -= self.amount_tax()
        return due


@dataclass
class SimplifiedLineSpec:
    """DatiBeniServizi of FSM10: ``amount`` is VAT-inclusive; DatiIVA holds
    ``tax`` (Imposta) when given, else ``vat_rate`` (Aliquota)."""

    description: str = "Acquisto materiale di consumo"
    amount: Decimal = Decimal("122.00")
    vat_rate: Decimal | None = Decimal("22.00")
    tax: Decimal | None = None
    nature: str | None = None


@dataclass
class SimplifiedSpec:
    document_type: str = "TD07"
    number: str = "FS-2025-0001"
    date: dt.date = dt.date(2025, 1, 15)
    currency: str = "EUR"
    seller: PartySpec = field(default_factory=default_seller)
    buyer: PartySpec = field(default_factory=default_buyer)
    lines: list[SimplifiedLineSpec] = field(default_factory=lambda: [SimplifiedLineSpec()])
    corrected_invoice: tuple[str, dt.date] | None = None  # DatiFatturaRettificata (TD08/09)


# --------------------------------------------------------------------------
# XML
# --------------------------------------------------------------------------
def _sub(parent, tag, text=None):
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text if isinstance(text, str) else str(text)
    return element


def _vat_id(parent, tag, vat):
    node = _sub(parent, tag)
    _sub(node, "IdPaese", vat[:2])
    _sub(node, "IdCodice", vat[2:])


def _address(parent, tag, party):
    node = _sub(parent, tag)
    _sub(node, "Indirizzo", party.street)
    if party.number:
        _sub(node, "NumeroCivico", party.number)
    _sub(node, "CAP", party.zip)
    _sub(node, "Comune", party.city)
    if party.province:
        _sub(node, "Provincia", party.province)
    _sub(node, "Nazione", party.country)


def _names(parent, party):
    if party.name:
        _sub(parent, "Denominazione", party.name)
    else:
        _sub(parent, "Nome", party.first_name or "Mario")
        _sub(parent, "Cognome", party.last_name or "Rossi")


def _party(parent, tag, party, seller):
    node = _sub(parent, tag)
    personal = _sub(node, "DatiAnagrafici")
    if party.vat:
        _vat_id(personal, "IdFiscaleIVA", party.vat)
    if party.fiscal_code:
        _sub(personal, "CodiceFiscale", party.fiscal_code)
    _names(_sub(personal, "Anagrafica"), party)
    if seller:
        _sub(personal, "RegimeFiscale", party.tax_regime)
    _address(node, "Sede", party)
    return node


def _root(tag, namespace, prefix, version):
    """The root element; children are unqualified as the schema wants,
    except with prefix "" (default namespace on everything, a real-world
    deviation that is not schema-valid)."""
    if prefix:
        root = etree.Element(f"{{{namespace}}}{tag}", nsmap={prefix: namespace, "ds": NS_DSIG})
    elif prefix == "":
        root = etree.Element(f"{{{namespace}}}{tag}", nsmap={None: namespace})
    else:  # None: no namespace at all
        root = etree.Element(tag)
    root.set("versione", version)
    return root


def _qualify_children(root, namespace):
    """For the default-namespace variant: put every descendant in the
    namespace (what a file with ``xmlns="..."`` and no prefix means)."""
    for element in root.iterdescendants():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{namespace}}}{element.tag}"


def _transmission(header, seller, version, sequence="00001"):
    node = _sub(header, "DatiTrasmissione")
    _vat_id(node, "IdTrasmittente", seller.vat or "IT01234567890")
    _sub(node, "ProgressivoInvio", sequence)
    _sub(node, "FormatoTrasmissione", version)
    _sub(node, "CodiceDestinatario", "UFABCD" if version == "FPA12" else "0000000")


def _discount(parent, discount):
    node = _sub(parent, "ScontoMaggiorazione")
    _sub(node, "Tipo", discount.type)
    if discount.percent is not None:
        _sub(node, "Percentuale", _fmt2(discount.percent))
    if discount.amount is not None:
        _sub(node, "Importo", _fmt_price(discount.amount))


def _document_data(general, spec: InvoiceSpec):
    """DatiGeneraliDocumento."""
    doc = _sub(general, "DatiGeneraliDocumento")
    _sub(doc, "TipoDocumento", spec.document_type)
    _sub(doc, "Divisa", spec.currency)
    _sub(doc, "Data", spec.date.isoformat())
    _sub(doc, "Numero", spec.number)
    for withholding, amount in spec.withholding_amounts():
        node = _sub(doc, "DatiRitenuta")
        _sub(node, "TipoRitenuta", withholding.type)
        _sub(node, "ImportoRitenuta", _fmt2(amount))
        _sub(node, "AliquotaRitenuta", _fmt2(withholding.rate))
        _sub(node, "CausalePagamento", withholding.reason)
    if spec.stamp_duty is not None:
        node = _sub(doc, "DatiBollo")
        _sub(node, "BolloVirtuale", "SI")
        _sub(node, "ImportoBollo", _fmt2(spec.stamp_duty))
    for fund, taxable, amount in spec.pension_fund_amounts():
        node = _sub(doc, "DatiCassaPrevidenziale")
        _sub(node, "TipoCassa", fund.type)
        _sub(node, "AlCassa", _fmt2(fund.rate))
        _sub(node, "ImportoContributoCassa", _fmt2(amount))
        if not fund.omit_taxable:
            _sub(node, "ImponibileCassa", _fmt2(taxable))
        _sub(node, "AliquotaIVA", _fmt2(fund.vat_rate))
        if fund.withholding:
            _sub(node, "Ritenuta", "SI")
        if fund.nature:
            _sub(node, "Natura", fund.nature)
    for discount in spec.discounts:
        _discount(doc, discount)
    if not spec.omit_total:
        _sub(doc, "ImportoTotaleDocumento", _fmt2(spec.document_total()))
    if spec.rounding is not None:
        _sub(doc, "Arrotondamento", _fmt2(spec.rounding))
    for reason in spec.reasons:
        _sub(doc, "Causale", reason)


def _general_data(body, spec: InvoiceSpec):
    """DatiGenerali: the document's data, then the documents it refers to."""
    general = _sub(body, "DatiGenerali")
    _document_data(general, spec)
    for order in spec.orders:
        _sub(_sub(general, "DatiOrdineAcquisto"), "IdDocumento", order)
    for number, date in spec.linked_invoices:
        node = _sub(general, "DatiFattureCollegate")
        _sub(node, "IdDocumento", number)
        _sub(node, "Data", date.isoformat())
    for number, date in spec.delivery_notes:
        node = _sub(general, "DatiDDT")
        _sub(node, "NumeroDDT", number)
        _sub(node, "DataDDT", date.isoformat())


def _line(goods, index, line: LineSpec):
    """One DettaglioLinee."""
    node = _sub(goods, "DettaglioLinee")
    _sub(node, "NumeroLinea", index)
    if line.line_kind:
        _sub(node, "TipoCessionePrestazione", line.line_kind)
    for code_type, code_value in line.article_codes:
        code = _sub(node, "CodiceArticolo")
        _sub(code, "CodiceTipo", code_type)
        _sub(code, "CodiceValore", code_value)
    _sub(node, "Descrizione", line.description)
    if line.period_start:
        _sub(node, "DataInizioPeriodo", line.period_start.isoformat())
    if line.period_end:
        _sub(node, "DataFinePeriodo", line.period_end.isoformat())
    if line.quantity is not None:
        _sub(node, "Quantita", _fmt_price(line.quantity))
    if line.uom:
        _sub(node, "UnitaMisura", line.uom)
    _sub(node, "PrezzoUnitario", _fmt_price(line.price_unit))
    for discount in line.discounts:
        _discount(node, discount)
    _sub(node, "PrezzoTotale", _fmt_price(line.total()))
    _sub(node, "AliquotaIVA", _fmt2(line.vat_rate))
    if line.withholding:
        _sub(node, "Ritenuta", "SI")
    if line.nature:
        _sub(node, "Natura", line.nature)
    for kind, text, number in line.other_data:
        data = _sub(node, "AltriDatiGestionali")
        _sub(data, "TipoDato", kind)
        if text is not None:
            _sub(data, "RiferimentoTesto", text)
        if number is not None:
            _sub(data, "RiferimentoNumero", _fmt_price(number))


def _summary_row(goods, row: SummarySpec):
    """One DatiRiepilogo."""
    node = _sub(goods, "DatiRiepilogo")
    _sub(node, "AliquotaIVA", _fmt2(row.vat_rate))
    if row.nature:
        _sub(node, "Natura", row.nature)
    if row.expenses is not None:
        _sub(node, "SpeseAccessorie", _fmt2(row.expenses))
    if row.rounding is not None:
        _sub(node, "Arrotondamento", _fmt_price(row.rounding))
    _sub(node, "ImponibileImporto", _fmt2(row.taxable))
    _sub(node, "Imposta", _fmt2(row.tax))
    if row.vat_due:
        _sub(node, "EsigibilitaIVA", row.vat_due)
    if row.law_reference:
        _sub(node, "RiferimentoNormativo", row.law_reference)


def _payment_data(body, spec: InvoiceSpec):
    """DatiPagamento (one default payment when ``spec.payments`` is None)."""
    payments = spec.payments
    if payments is None:
        payments = [PaymentSpec()]
    for payment in payments:
        node = _sub(body, "DatiPagamento")
        _sub(node, "CondizioniPagamento", payment.conditions)
        count = len(payment.installments)
        due = spec.amount_due()
        for index, installment in enumerate(payment.installments):
            amount = installment.amount
            if amount is None:  # split evenly, the last one takes the cents
                share = round2(due / count)
                amount = due - share * (count - 1) if index == count - 1 else share
            detail = _sub(node, "DettaglioPagamento")
            _sub(detail, "ModalitaPagamento", installment.method)
            due_date = installment.due_date or spec.date + dt.timedelta(days=30 * (index + 1))
            _sub(detail, "DataScadenzaPagamento", due_date.isoformat())
            _sub(detail, "ImportoPagamento", _fmt2(amount))
            if installment.bank_name:
                _sub(detail, "IstitutoFinanziario", installment.bank_name)
            if installment.iban:
                _sub(detail, "IBAN", installment.iban)
            if installment.bic:
                _sub(detail, "BIC", installment.bic)
            if installment.payment_code:
                _sub(detail, "CodicePagamento", installment.payment_code)


def _attachment(body, attachment: AttachmentSpec):
    """One Allegati."""
    node = _sub(body, "Allegati")
    _sub(node, "NomeAttachment", attachment.name)
    if attachment.compression:
        _sub(node, "AlgoritmoCompressione", attachment.compression)
    if attachment.format:
        _sub(node, "FormatoAttachment", attachment.format)
    if attachment.description:
        _sub(node, "DescrizioneAttachment", attachment.description)
    _sub(node, "Attachment", base64.b64encode(attachment.data).decode("ascii"))


def _body(root, spec: InvoiceSpec):
    body = _sub(root, "FatturaElettronicaBody")
    _general_data(body, spec)
    goods = _sub(body, "DatiBeniServizi")
    for index, line in enumerate(spec.lines, 1):
        _line(goods, index, line)
    for row in spec.summary_rows():
        _summary_row(goods, row)
    _payment_data(body, spec)
    for attachment in spec.attachments:
        _attachment(body, attachment)


def _xades_signature(root):
    """A structurally valid (schema-wise), cryptographically meaningless
    enveloped ds:Signature: readers must ignore it."""

    def ds(parent, tag, text=None, **attrs):
        element = etree.SubElement(parent, f"{{{NS_DSIG}}}{tag}", **attrs)
        element.text = text
        return element

    signature = ds(root, "Signature", Id="Signature1")
    signed_info = ds(signature, "SignedInfo")
    ds(
        signed_info,
        "CanonicalizationMethod",
        Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    ds(
        signed_info,
        "SignatureMethod",
        Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    )
    reference = ds(signed_info, "Reference", URI="")
    ds(reference, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    ds(reference, "DigestValue", base64.b64encode(b"\0" * 32).decode())
    ds(signature, "SignatureValue", base64.b64encode(b"\1" * 64).decode())


def _serialize(root, encoding="utf-8", bom=False, declaration=True) -> bytes:
    """``encoding``: utf-8, windows-1252, iso-8859-1 ...; ``declaration``
    False writes no ``<?xml ...?>`` (then the bytes are UTF-8)."""
    if not declaration:
        data = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    else:
        data = etree.tostring(root, encoding=encoding, xml_declaration=True)
    return (b"\xef\xbb\xbf" + data) if bom else data


def build_xml(
    *specs: InvoiceSpec,
    version: str = "FPR12",
    prefix: str | None = "p",
    encoding: str = "utf-8",
    bom: bool = False,
    declaration: bool = True,
    xades: bool = False,
    legacy: bool = False,
) -> bytes:
    """FatturaPA XML bytes with one body per spec (header from the first).

    ``prefix``: "p", "ns2", any prefix; "" = default namespace; None = no
    namespace.  ``legacy``: the pre-2017 v1.1 namespace and versione="1.1".
    """
    specs = specs or (InvoiceSpec(),)
    namespace = NS_FPA11 if legacy else NS_FPA12
    root = _root("FatturaElettronica", namespace, prefix, "1.1" if legacy else version)
    header = _sub(root, "FatturaElettronicaHeader")
    first = specs[0]
    _transmission(header, first.seller, "SDI11" if legacy else version)
    _party(header, "CedentePrestatore", first.seller, seller=True)
    _party(header, "CessionarioCommittente", first.buyer, seller=False)
    for spec in specs:
        _body(root, spec)
    if prefix == "":
        _qualify_children(root, namespace)
    if xades:
        _xades_signature(root)
    return _serialize(root, encoding, bom, declaration)


def build_simplified_xml(
    *specs: SimplifiedSpec,
    prefix: str | None = "p",
    encoding: str = "utf-8",
    bom: bool = False,
    declaration: bool = True,
) -> bytes:
    """A simplified invoice FSM10 (TD07/TD08/TD09), one body per spec."""
    specs = specs or (SimplifiedSpec(),)
    root = _root("FatturaElettronicaSemplificata", NS_FSM10, prefix, "FSM10")
    header = _sub(root, "FatturaElettronicaHeader")
    first = specs[0]
    _transmission(header, first.seller, "FSM10")
    seller = _sub(header, "CedentePrestatore")
    _vat_id(seller, "IdFiscaleIVA", first.seller.vat)
    if first.seller.fiscal_code:
        _sub(seller, "CodiceFiscale", first.seller.fiscal_code)
    _names(seller, first.seller)
    _address(seller, "Sede", first.seller)
    _sub(seller, "RegimeFiscale", first.seller.tax_regime)
    buyer = _sub(header, "CessionarioCommittente")
    ids = _sub(buyer, "IdentificativiFiscali")
    if first.buyer.vat:
        _vat_id(ids, "IdFiscaleIVA", first.buyer.vat)
    if first.buyer.fiscal_code or not first.buyer.vat:
        _sub(ids, "CodiceFiscale", first.buyer.fiscal_code or "RSSMRA80A01H501U")
    others = _sub(buyer, "AltriDatiIdentificativi")
    _names(others, first.buyer)
    _address(others, "Sede", first.buyer)
    for spec in specs:
        body = _sub(root, "FatturaElettronicaBody")
        general = _sub(body, "DatiGenerali")
        doc = _sub(general, "DatiGeneraliDocumento")
        _sub(doc, "TipoDocumento", spec.document_type)
        _sub(doc, "Divisa", spec.currency)
        _sub(doc, "Data", spec.date.isoformat())
        _sub(doc, "Numero", spec.number)
        if spec.corrected_invoice:
            corrected = _sub(general, "DatiFatturaRettificata")
            _sub(corrected, "NumeroFR", spec.corrected_invoice[0])
            _sub(corrected, "DataFR", spec.corrected_invoice[1].isoformat())
            _sub(corrected, "ElementiRettificati", "Importo")
        for line in spec.lines:
            node = _sub(body, "DatiBeniServizi")
            _sub(node, "Descrizione", line.description)
            _sub(node, "Importo", _fmt2(line.amount))
            vat = _sub(node, "DatiIVA")
            if line.tax is not None:
                _sub(vat, "Imposta", _fmt2(line.tax))
            else:
                _sub(vat, "Aliquota", _fmt2(line.vat_rate or 0))
            if line.nature:
                _sub(node, "Natura", line.nature)
    if prefix == "":
        _qualify_children(root, NS_FSM10)
    return _serialize(root, encoding, bom, declaration)


# --------------------------------------------------------------------------
# Envelopes
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _throwaway_signer():
    """A self-signed EC certificate and key, made once per process."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fornitore Srl test signer")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.DER)


def _signed_data(content: bytes):
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key, cert_der = _throwaway_signer()
    cert = asn1_x509.Certificate.load(cert_der)
    signature = key.sign(content, ec.ECDSA(hashes.SHA256()))
    return cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data", "content": content},
            "certificates": [cert],
            "signer_infos": [
                {
                    "version": "v1",
                    "sid": cms.SignerIdentifier(
                        {
                            "issuer_and_serial_number": {
                                "issuer": cert.issuer,
                                "serial_number": cert.serial_number,
                            }
                        }
                    ),
                    "digest_algorithm": {"algorithm": "sha256"},
                    "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                    "signature": signature,
                }
            ],
        }
    )


def p7m_der(content: bytes) -> bytes:
    """CMS SignedData in DER (what most signing tools write)."""
    from asn1crypto import cms

    return cms.ContentInfo({"content_type": "signed_data", "content": _signed_data(content)}).dump()


def _indefinite(tag: int, *parts: bytes) -> bytes:
    return bytes([tag, 0x80]) + b"".join(parts) + b"\0\0"


def p7m_ber(content: bytes, chunk_size: int = 1000) -> bytes:
    """CMS SignedData in BER: indefinite lengths and the content as a
    constructed OCTET STRING of ``chunk_size`` chunks (as Dike/ArubaSign do)."""
    from asn1crypto import core

    signed = _signed_data(content)
    chunks = [
        core.OctetString(content[i : i + chunk_size]).dump()
        for i in range(0, len(content), chunk_size)
    ] or [core.OctetString(b"").dump()]
    encap = _indefinite(
        0x30,
        core.ObjectIdentifier("1.2.840.113549.1.7.1").dump(),
        _indefinite(0xA0, _indefinite(0x24, *chunks)),
    )
    signed_body = _indefinite(
        0x30,
        signed["version"].dump(),
        signed["digest_algorithms"].dump(),
        encap,
        signed["certificates"].dump(),
        signed["signer_infos"].dump(),
    )
    return _indefinite(
        0x30, core.ObjectIdentifier("1.2.840.113549.1.7.2").dump(), _indefinite(0xA0, signed_body)
    )


def wrap(xml: bytes, envelope: str = "xml") -> bytes:
    """Put XML bytes in one of ``ENVELOPES``."""
    if envelope == "xml":
        return xml
    if envelope in ("p7m", "p7m-der"):
        return p7m_der(xml)
    if envelope == "p7m-ber":
        return p7m_ber(xml)
    der = p7m_der(xml)
    if envelope == "base64":
        return base64.b64encode(der)
    if envelope == "base64-crlf":
        return base64.encodebytes(der).replace(b"\n", b"\r\n")
    if envelope == "base64-base64":
        return base64.b64encode(base64.b64encode(der))
    if envelope == "pem":
        body = base64.encodebytes(der).decode("ascii")
        return f"-----BEGIN PKCS7-----\n{body}-----END PKCS7-----\n".encode("ascii")
    raise ValueError(f"unknown envelope {envelope!r}, use one of {ENVELOPES}")


def build_file(*specs: InvoiceSpec, envelope: str = "xml", **xml_options) -> bytes:
    """``build_xml`` then ``wrap``: the bytes of a received file."""
    return wrap(build_xml(*specs, **xml_options), envelope)


def filename_for(
    spec: InvoiceSpec | None = None, envelope: str = "xml", sequence: str = "00001"
) -> str:
    """An SdI-like file name: IT01234567890_00001.xml(.p7m)."""
    vat = (spec.seller.vat if spec else None) or "IT01234567890"
    return f"{vat}_{sequence}.xml" + ("" if envelope == "xml" else ".p7m")


# --------------------------------------------------------------------------
# Schema validation (used by the tests; never touches the network)
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def load_schema(xsd_dir: str, simplified: bool = False) -> etree.XMLSchema:
    """The official XSD with its xmldsig import pointed at the local copy."""
    import os

    name = "SVFSM10.xsd" if simplified else "Schema_del_file_xml_FatturaPA_v1.2.2.xsd"
    with open(os.path.join(xsd_dir, name), "rb") as handle:
        doc = etree.fromstring(handle.read(), etree.XMLParser(no_network=True))
    local_dsig = "file://" + os.path.abspath(os.path.join(xsd_dir, "xmldsig-core-schema.xsd"))
    for node in doc.iter("{http://www.w3.org/2001/XMLSchema}import"):
        if node.get("namespace") == NS_DSIG:
            node.set("schemaLocation", local_dsig)
    return etree.XMLSchema(doc)


def schema_errors(xml: bytes, xsd_dir: str, simplified: bool = False) -> list[str]:
    """Validation errors of ``xml`` against the official schema ([] = valid)."""
    schema = load_schema(xsd_dir, simplified)
    tree = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(tree):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]
