"""Normalized model of a received FatturaPA, in plain dataclasses.

This is the contract between the reader (which fills it from XML) and the
registration engine (which decides from it and never sees XML).  Amounts are
``Decimal`` exactly as written in the document (no rounding), dates are
``datetime.date``; absent optional data is ``None`` or an empty list.
Codes (TD01, N6.3, MP05, RT01, TC22, RF01, ...) are kept as the document
writes them, stripped; the tables in ``codes.py`` tell whether they are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class Address:
    street: str | None = None  # Indirizzo
    number: str | None = None  # NumeroCivico
    zip: str | None = None  # CAP
    city: str | None = None  # Comune
    province: str | None = None  # Provincia
    country: str | None = None  # Nazione (ISO 3166-1 alpha-2)


@dataclass
class Party:
    """CedentePrestatore, CessionarioCommittente, RappresentanteFiscale,
    TerzoIntermediarioOSoggettoEmittente: whatever of it the file has."""

    vat_country: str | None = None  # IdFiscaleIVA/IdPaese
    vat_code: str | None = None  # IdFiscaleIVA/IdCodice (as written)
    fiscal_code: str | None = None  # CodiceFiscale
    name: str | None = None  # Denominazione
    first_name: str | None = None  # Nome
    last_name: str | None = None  # Cognome
    title: str | None = None  # Titolo
    eori: str | None = None  # CodEORI
    tax_regime: str | None = None  # RegimeFiscale (seller only)
    address: Address | None = None  # Sede
    permanent_establishment: Address | None = None  # StabileOrganizzazione
    rea_office: str | None = None  # IscrizioneREA/Ufficio
    rea_number: str | None = None  # IscrizioneREA/NumeroREA
    rea_capital: Decimal | None = None
    rea_sole_shareholder: str | None = None  # SU / SM
    rea_liquidation: str | None = None  # LS / LN
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    administrative_reference: str | None = None  # RiferimentoAmministrazione

    @property
    def vat(self) -> str | None:
        """Country prefix + code, upper case, no blanks: ``IT01234567890``."""
        if not self.vat_code:
            return None
        code = "".join(self.vat_code.split()).upper()
        country = (self.vat_country or "").strip().upper()
        return code if country and code.startswith(country) else country + code

    @property
    def display_name(self) -> str | None:
        if self.name:
            return self.name
        full = " ".join(p for p in (self.first_name, self.last_name) if p)
        return full or None


@dataclass
class Transmission:
    """DatiTrasmissione (absent fields stay None)."""

    sender_country: str | None = None  # IdTrasmittente/IdPaese
    sender_code: str | None = None  # IdTrasmittente/IdCodice
    sequence: str | None = None  # ProgressivoInvio
    format: str | None = None  # FormatoTrasmissione: FPA12, FPR12, SDI11, FSM10
    recipient_code: str | None = None  # CodiceDestinatario
    recipient_pec: str | None = None  # PECDestinatario
    phone: str | None = None
    email: str | None = None


@dataclass
class Withholding:
    """DatiRitenuta (several per document since 1.2.1)."""

    type: str  # TipoRitenuta RT01..RT06
    amount: Decimal  # ImportoRitenuta
    rate: Decimal  # AliquotaRitenuta
    reason: str | None = None  # CausalePagamento (A, B, ..., ZO)


@dataclass
class StampDuty:
    """DatiBollo."""

    virtual: str | None = None  # BolloVirtuale: SI
    amount: Decimal | None = None  # ImportoBollo


@dataclass
class PensionFund:
    """DatiCassaPrevidenziale."""

    type: str  # TipoCassa TC01..TC22
    rate: Decimal  # AlCassa
    amount: Decimal  # ImportoContributoCassa
    taxable: Decimal | None = None  # ImponibileCassa
    vat_rate: Decimal = Decimal("0")  # AliquotaIVA
    withholding: bool = False  # Ritenuta = SI
    vat_nature: str | None = None  # Natura
    administrative_reference: str | None = None


@dataclass
class Discount:
    """ScontoMaggiorazione, of a line or of the document."""

    type: str  # SC sconto, MG maggiorazione
    percent: Decimal | None = None  # Percentuale
    amount: Decimal | None = None  # Importo


@dataclass
class LinkedDocument:
    """DatiOrdineAcquisto / DatiContratto / DatiConvenzione / DatiRicezione /
    DatiFattureCollegate: ``kind`` says which."""

    kind: str  # order, contract, agreement, reception, invoice
    number: str | None = None  # IdDocumento
    date: date | None = None  # Data
    line_refs: list[int] = field(default_factory=list)  # RiferimentoNumeroLinea
    item: str | None = None  # NumItem
    order_code: str | None = None  # CodiceCommessaConvenzione
    cup: str | None = None  # CodiceCUP
    cig: str | None = None  # CodiceCIG


@dataclass
class DeliveryNote:
    """DatiDDT."""

    number: str
    date: date | None = None
    line_refs: list[int] = field(default_factory=list)


@dataclass
class Transport:
    """DatiTrasporto (only what an accountant may look at)."""

    carrier: Party | None = None
    means: str | None = None  # MezzoTrasporto
    reason: str | None = None  # CausaleTrasporto
    packages: int | None = None  # NumeroColli
    description: str | None = None  # Descrizione
    gross_weight: Decimal | None = None
    net_weight: Decimal | None = None
    pickup_datetime: str | None = None
    start_date: date | None = None
    incoterm: str | None = None  # TipoResa
    delivery_address: Address | None = None
    delivery_datetime: str | None = None


@dataclass
class ArticleCode:
    """CodiceArticolo."""

    type: str  # CodiceTipo: EAN, SKU, fornitore, ...
    value: str  # CodiceValore


@dataclass
class OtherData:
    """AltriDatiGestionali."""

    type: str  # TipoDato
    text: str | None = None  # RiferimentoTesto
    number: Decimal | None = None  # RiferimentoNumero
    date: date | None = None  # RiferimentoData


@dataclass
class Line:
    """DettaglioLinee, or a DatiBeniServizi of a simplified invoice (FSM10).

    For FSM10 lines: ``price_total`` is the VAT-inclusive ``Importo``,
    ``vat_included`` is True, ``tax_amount`` is DatiIVA/Imposta when given,
    ``vat_rate`` is DatiIVA/Aliquota when given (else computed by the reader
    from Imposta when possible, or None).
    """

    number: int | None  # NumeroLinea
    description: str
    price_total: Decimal  # PrezzoTotale (FSM10: Importo)
    vat_rate: Decimal | None  # AliquotaIVA (percent, e.g. 22.00)
    quantity: Decimal | None = None  # Quantita
    uom: str | None = None  # UnitaMisura
    price_unit: Decimal | None = None  # PrezzoUnitario
    discounts: list[Discount] = field(default_factory=list)
    vat_nature: str | None = None  # Natura
    withholding: bool = False  # Ritenuta = SI
    line_kind: str | None = None  # TipoCessionePrestazione: SC, PR, AB, AC
    article_codes: list[ArticleCode] = field(default_factory=list)
    period_start: date | None = None  # DataInizioPeriodo
    period_end: date | None = None  # DataFinePeriodo
    administrative_reference: str | None = None
    other_data: list[OtherData] = field(default_factory=list)
    vat_included: bool = False  # FSM10 only
    tax_amount: Decimal | None = None  # FSM10 only: DatiIVA/Imposta


@dataclass
class VatSummary:
    """DatiRiepilogo: the document's own VAT figures, per rate + Natura."""

    vat_rate: Decimal  # AliquotaIVA
    taxable: Decimal  # ImponibileImporto
    tax: Decimal  # Imposta
    vat_nature: str | None = None  # Natura
    expenses: Decimal | None = None  # SpeseAccessorie
    rounding: Decimal | None = None  # Arrotondamento
    due: str | None = None  # EsigibilitaIVA: I, D, S
    law_reference: str | None = None  # RiferimentoNormativo


@dataclass
class Vehicle:
    """DatiVeicoli."""

    date: date | None = None
    distance: str | None = None  # TotalePercorso


@dataclass
class Installment:
    """DettaglioPagamento."""

    method: str  # ModalitaPagamento MP01..MP23
    amount: Decimal  # ImportoPagamento
    due_date: date | None = None  # DataScadenzaPagamento
    reference_date: date | None = None  # DataRiferimentoTerminiPagamento
    term_days: int | None = None  # GiorniTerminiPagamento
    beneficiary: str | None = None  # Beneficiario
    bank_name: str | None = None  # IstitutoFinanziario
    iban: str | None = None  # IBAN (blanks removed, upper case)
    abi: str | None = None
    cab: str | None = None
    bic: str | None = None
    payment_code: str | None = None  # CodicePagamento
    early_discount: Decimal | None = None  # ScontoPagamentoAnticipato
    early_deadline: date | None = None  # DataLimitePagamentoAnticipato
    late_penalty: Decimal | None = None  # PenalitaPagamentiRitardati


@dataclass
class Payment:
    """DatiPagamento (several blocks allowed)."""

    conditions: str  # CondizioniPagamento TP01, TP02, TP03
    installments: list[Installment] = field(default_factory=list)


@dataclass
class Attachment:
    """Allegati.  The content is not decoded while reading (bounded memory);
    ``data()`` of the reader returns the bytes when asked."""

    name: str  # NomeAttachment
    compression: str | None = None  # AlgoritmoCompressione
    format: str | None = None  # FormatoAttachment
    description: str | None = None  # DescrizioneAttachment
    size: int | None = None  # decoded size in bytes, when known
    _loader: object = field(default=None, repr=False, compare=False)

    def data(self) -> bytes:
        """The decoded attachment (base64 decoded on demand)."""
        if self._loader is None:
            return b""
        return self._loader()


@dataclass
class Invoice:
    """One FatturaElettronicaBody, with the header data it shares with the
    other bodies of its file.  One Invoice = one bill."""

    body_index: int  # 0-based position in the file
    document_type: str  # TipoDocumento TD01..TD29 (FSM10: TD07/08/09)
    currency: str  # Divisa
    date: date  # Data
    number: str  # Numero (as written, stripped)
    seller: Party  # CedentePrestatore
    buyer: Party  # CessionarioCommittente
    lines: list[Line] = field(default_factory=list)
    vat_summary: list[VatSummary] = field(default_factory=list)
    total: Decimal | None = None  # ImportoTotaleDocumento
    rounding: Decimal | None = None  # Arrotondamento (document)
    reasons: list[str] = field(default_factory=list)  # Causale
    art73: bool = False  # Art73 = SI
    withholdings: list[Withholding] = field(default_factory=list)
    stamp_duty: StampDuty | None = None
    pension_funds: list[PensionFund] = field(default_factory=list)
    discounts: list[Discount] = field(default_factory=list)  # document level
    linked_documents: list[LinkedDocument] = field(default_factory=list)
    delivery_notes: list[DeliveryNote] = field(default_factory=list)
    transport: Transport | None = None
    main_invoice_number: str | None = None  # FatturaPrincipale/NumeroFatturaPrincipale
    main_invoice_date: date | None = None
    vehicle: Vehicle | None = None
    payments: list[Payment] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    fiscal_representative: Party | None = None  # RappresentanteFiscale
    intermediary: Party | None = None  # TerzoIntermediarioOSoggettoEmittente
    issuer: str | None = None  # SoggettoEmittente: CC / TZ
    transmission: Transmission | None = None
    version: str | None = None  # FPA12, FPR12, FSM10, 1.1
    simplified: bool = False  # FSM10
    warnings: list[str] = field(default_factory=list)  # consistency checks (coded: "code: text")

    # The document's own figures (what the bill must equal).  For FSM10 they
    # are computed from the VAT-inclusive lines (see DESIGN.md, Contract).
    amount_untaxed: Decimal = Decimal("0")
    amount_tax: Decimal = Decimal("0")
    amount_total: Decimal = Decimal("0")


@dataclass
class ReadResult:
    """What reading one received file gives: its invoices, or a coded error."""

    filename: str | None
    invoices: list[Invoice] = field(default_factory=list)
    error_code: str | None = None  # see errors.py
    error_message: str | None = None  # English sentence of the code + the detail
    error_detail: str | None = None  # what and where, in the format's words
    envelope: str | None = None  # xml, p7m-der, p7m-ber, p7m-base64, xades, ...
    envelope_warnings: list[str] = field(default_factory=list)  # e.g. tampered signature
    # How the file is signed (never verified, only seen): "cades" (a .p7m),
    # "xades" (a Signature in the XML), None (not signed, or not read).
    signature: str | None = None
    xml: bytes | None = None  # the extracted XML (not the received bytes)

    @property
    def ok(self) -> bool:
        return self.error_code is None
