"""FatturaPA XML -> the dataclasses of ``model.py``.

Elements are found by local name, whatever their namespace or prefix, and
in any order (real files break the schema's order); only the root's local
name decides what the file is.  The parser never resolves entities, loads
a DTD or touches the network, and a document with a DOCTYPE is refused.
Attachments are cut out of the bytes before parsing (bounded memory, no
``huge_tree``) and decoded only when ``Attachment.data()`` is called.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from . import model
from .envelope import _cut_after_root
from .errors import (
    BAD_VALUE,
    HOSTILE_XML,
    MISSING_FIELD,
    NO_BODY,
    NOT_AN_INVOICE,
    UNREADABLE,
    ReadError,
)

INVOICE_ROOT = "FatturaElettronica"
SIMPLIFIED_ROOT = "FatturaElettronicaSemplificata"
KNOWN_NAMESPACES = {
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2",
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.0",
    "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1",
    "http://www.fatturapa.gov.it/sdi/fatturapa/v1.0",
}
CENT = Decimal("0.01")

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_ATTACHMENT_OPEN = re.compile(rb"<(?:[\w.-]+:)?Attachment(?:\s[^>]*)?>")
_ATTACHMENT_CLOSE = re.compile(rb"</(?:[\w.-]+:)?Attachment\s*>")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DECLARED_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[\w.:-]+\2")


def _parser(recover=False):
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


_STRICT_PARSER = _parser()


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------
def _cut_attachments(xml: bytes):
    """(xml without attachment contents, [(start, end) of each content in
    ``xml``]).  Base64 is ASCII, so this works on the raw bytes of every
    ASCII-compatible encoding."""
    if b"Attachment" not in xml:
        return xml, []
    pieces, spans, pos = [], [], 0
    for opening in _ATTACHMENT_OPEN.finditer(xml):
        if opening.start() < pos or opening.group().endswith(b"/>"):
            continue
        closing = _ATTACHMENT_CLOSE.search(xml, opening.end())
        if not closing:
            break
        pieces.append(xml[pos : opening.end()])
        spans.append((opening.end(), closing.start()))
        pos = closing.start()
    if not spans:
        return xml, []
    pieces.append(xml[pos:])
    return b"".join(pieces), spans


def _as_utf8(xml: bytes) -> bytes:
    """Bytes that are not what they declare (or declare nothing and are not
    UTF-8): read them as windows-1252, the usual culprit, and say UTF-8."""
    text = xml.decode("cp1252", errors="replace")
    data = text.encode("utf-8")
    if _DECLARED_ENCODING.match(data):
        data = _DECLARED_ENCODING.sub(rb'\1"UTF-8"', data, count=1)
    return data


def _refuse_doctype(xml: bytes):
    """A quick look at the first bytes (most files hold no "<!"); the parsed
    tree is checked too (_refuse_parsed_doctype): a DOCTYPE after a long
    comment or in UTF-16 escapes this look."""
    head = xml[:65536]
    if b"<!" in head and _DOCTYPE.search(head):  # (most files hold no "<!")
        raise ReadError(HOSTILE_XML, "DOCTYPE or entity declaration")


def parse(xml: bytes, warnings: list[str]):
    """The root element, or ReadError.  Recovers from a wrong encoding, from
    broken namespace declarations and from the damage of careless
    generators (see ``_repair``), noted in ``warnings``."""
    _refuse_doctype(xml)
    try:
        return _parse(xml, warnings)
    except ReadError as error:
        if error.code != UNREADABLE:
            raise
        failure = error
    repaired, notes = _repair(xml)
    if notes:
        _refuse_doctype(repaired)
        try:
            root = _parse(repaired, warnings)
        except ReadError:
            raise failure from None
        warnings.append(f"xml_recovered: {'; '.join(notes)}")
        return root
    raise failure


def _refuse_parsed_doctype(root):
    """A DOCTYPE anywhere in the prolog, whatever the encoding: lxml keeps it
    in the tree's docinfo (it is never loaded nor expanded)."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        raise ReadError(HOSTILE_XML, "DOCTYPE or entity declaration")
    return root


def _parse(xml: bytes, warnings: list[str]):
    return _refuse_parsed_doctype(_parse_any(xml, warnings))


def _parse_any(xml: bytes, warnings: list[str]):
    try:
        return etree.fromstring(xml, _STRICT_PARSER)
    except etree.XMLSyntaxError as error:
        text = str(error)
    if "Excessive depth" in text or "huge input" in text.lower():
        raise ReadError(HOSTILE_XML, text)
    if "encoding" in text or "UTF-8" in text or "Unsupported" in text:
        try:
            root = etree.fromstring(_as_utf8(xml), _STRICT_PARSER)
            warnings.append(
                "encoding_recovered: the file is not in the encoding it "
                "declares; read as windows-1252"
            )
            return root
        except etree.XMLSyntaxError as error:
            text = str(error)
    if "amespace" in text or "xmlns" in text:
        root = _recover_namespaces(xml)
        if root is not None:
            warnings.append(f"xml_recovered: broken namespace declaration ({text})")
            return root
    raise ReadError(UNREADABLE, text)


def _recover_namespaces(xml: bytes):
    """The root of a document whose only faults are namespace ones (an
    undeclared prefix, a declaration whose URI is not valid: names are then
    kept as written), or None.  The recovering parser also mends truncated
    files, broken tags and the like without a word: a document where it met
    anything but namespace faults is not taken (its figures may be cut):
    None, or ReadError when the document is cut short."""
    parser = _parser(recover=True)  # (its own: the error log is this document's)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return None
    faults = [
        entry
        for entry in parser.error_log
        if entry.level >= etree.ErrorLevels.ERROR and entry.domain_name != "NAMESPACE"
    ]
    if root is None or faults:
        return None
    # A truncated document is mended without any error: it must end with
    # the closing tag of its root, as written.
    written = root.tag
    if written.startswith("{"):
        written = (f"{root.prefix}:" if root.prefix else "") + written.rpartition("}")[2]
    tail = xml[-4096:].rstrip(b" \t\r\n\x00")
    while tail.endswith((b"-->", b"?>")):  # comments and PIs may follow the root
        start = tail.rfind(b"<!--" if tail.endswith(b"-->") else b"<?")
        if start < 0:
            break
        tail = tail[:start].rstrip(b" \t\r\n\x00")
    if not re.search(rb"</\s*" + re.escape(written.encode()) + rb"\s*>$", tail):
        raise ReadError(
            UNREADABLE,
            f"the document is cut short: it does not end with " f"</{written}>",
        )
    return root


_BAD_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]+")
_LONE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


def _repair(xml: bytes) -> tuple[bytes, list[str]]:
    """Undo what careless generators do to received files (only tried when
    the file is not well-formed): blanks before the XML declaration,
    trailing bytes after the root (NUL padding, a stray tail), control
    characters XML 1.0 forbids (as '?'), a bare ``&`` in a text.  UTF-16 files are
    left alone.  (bytes, notes of what was changed)."""
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return xml, []
    notes = []
    bom = b"\xef\xbb\xbf" if xml.startswith(b"\xef\xbb\xbf") else b""
    body = xml[len(bom) :]
    stripped = body.lstrip()
    if stripped is not body and len(stripped) != len(body):
        notes.append("blanks before the XML declaration")
    cut = _cut_after_root(stripped)
    if len(cut) != len(stripped) and cut[-1:] == b">" and stripped[len(cut) :].strip():
        notes.append("bytes after the root element")
    else:
        cut = stripped
    # (Replaced, not removed: a control character inside an amount must
    # make it a bad value, never silently another figure.)
    cleaned = _BAD_CONTROLS.sub(b"?", cut)
    if cleaned != cut:
        notes.append("control characters replaced by '?'")
    escaped = _LONE_AMPERSAND.sub(b"&amp;", cleaned)
    if len(escaped) != len(cleaned):
        notes.append("bare '&'")
    return bom + escaped, notes


def local_name(tag) -> str | None:
    """``{ns}Name``, ``p:Name`` (recovered, undeclared prefix) -> ``Name``."""
    if tag.__class__ is not str:
        return None
    if "}" not in tag and ":" not in tag:  # the usual unqualified child
        return tag
    return tag[max(tag.rfind("}"), tag.rfind(":")) + 1 :]


def namespace_of(element) -> str | None:
    tag = element.tag
    return tag[1 : tag.index("}")] if tag.startswith("{") else None


def _element_text(element) -> str | None:
    """Stripped text of an element (all its text when it has children,
    which a leaf never should), None when empty."""
    value = element.text if not len(element) else "".join(element.itertext())
    if value is None:
        return None
    return value.strip() or None


class _Tree(dict):
    """The children of an element by local name, read in one pass (see
    ``tree``).  The value of a name is the stripped text of a leaf child
    (None when empty), the ``_Tree`` of a child that has children, or a
    ``_Many`` of those values when the name is repeated (document order).
    ``nested`` says that some value is a _Tree or a _Many (a flat tree is
    read with plain ``dict.get``)."""

    __slots__ = ("element", "nested")


class _Many(list):
    """The values of a repeated child name, in document order."""

    __slots__ = ()


# What a leaf child is when it is asked for as an element (present, no
# children): every lookup in it finds nothing.
_LEAF = _Tree()
_LEAF.element = None
_LEAF.nested = False


def _tree(element) -> _Tree:
    """The ``_Tree`` of ``element`` and, recursively, of its descendants.
    Children whose tag is not a name (entity references...) are skipped;
    ``{ns}Name`` and ``p:Name`` (a recovered, undeclared prefix) count as
    ``Name``.  This is the one pass over the document's elements: every
    lookup after it is a dict access."""
    node = _Tree()
    node.element = element
    nested = False
    try:
        for child in element:
            tag = child.tag
            if tag.__class__ is not str:
                continue
            if "}" in tag or ":" in tag:
                tag = tag[max(tag.rfind("}"), tag.rfind(":")) + 1 :]
                if not tag:
                    continue
            if len(child):
                value = _tree(child)
                nested = True
            else:
                value = child.text
                if value is not None:
                    value = value.strip() or None
            if tag in node:
                prior = node[tag]
                if prior.__class__ is _Many:
                    prior.append(value)
                else:
                    node[tag] = _Many((prior, value))
                nested = True
            else:
                node[tag] = value
    except UnicodeDecodeError as error:
        # (Only a tree the recovering parser kept can hold such bytes: an
        # element that cannot be named cannot be read, whatever it is.)
        raise ReadError(
            UNREADABLE, f"element name or text is not valid UTF-8 ({error.reason})"
        ) from None
    node.nested = nested
    return node


def _text_of_value(value) -> str | None:
    if value is None or value.__class__ is str:
        return value
    if value.__class__ is _Many:
        return _text_of_value(value[0])
    return _element_text(value.element)


def _text(node: _Tree, *path) -> str | None:
    """Stripped text of the first child ``path[0]``, of its first child
    ``path[1]``...  (None: absent or empty; a container's joined text)."""
    if len(path) > 1:
        node = _one(node, *path[:-1])
        if node is None:
            return None
    value = node.get(path[-1])
    if value is None or value.__class__ is str:
        return value
    return _text_of_value(value)


def _one(node: _Tree, *path) -> _Tree | None:
    """The first child ``path[0]``, its first child ``path[1]``... as a
    _Tree (an empty one for a leaf), None when absent."""
    for name in path:
        value = node.get(name)
        if value.__class__ is _Tree:
            node = value
            continue
        if value is None and name not in node:
            return None
        if value.__class__ is _Many:
            value = value[0]
        node = value if value.__class__ is _Tree else _LEAF
    return node


def _every(node: _Tree, name) -> list[_Tree]:
    """Every child ``name``, as Trees (empty ones for leaves)."""
    value = node.get(name)
    if value.__class__ is _Many:
        return [item if item.__class__ is _Tree else _LEAF for item in value]
    if value.__class__ is _Tree:
        return [value]
    if value is None and name not in node:
        return []
    return [_LEAF]


def _texts(node: _Tree, name) -> list[str | None]:
    """The text of every child ``name``."""
    value = node.get(name)
    if value.__class__ is _Many:
        return [_text_of_value(item) for item in value]
    if value is None and name not in node:
        return []
    return [_text_of_value(value)]


class _FlatView:
    """name -> text of the first child of that name, computed when asked
    (a nested line's containers, CodiceArticolo or AltriDatiGestionali,
    are never joined into texts nobody reads)."""

    __slots__ = ("node",)

    def __init__(self, node: _Tree):
        self.node = node

    def get(self, name):
        value = self.node.get(name)
        if value is None or value.__class__ is str:
            return value
        return _text_of_value(value)


def _flat(node: _Tree):
    """A mapping (``get``) of name -> text of the first child of that name
    (``node`` itself when it has only single leaves)."""
    if not node.nested:
        return node
    return _FlatView(node)


# Conversions of the texts that recur in every file (amounts, rates,
# dates, codes), cached: a bounded map, cleared when full.
_CACHE_LIMIT = 4096
# No FatturaPA figure reaches 10^15 (the schema allows 11 to 12 integer
# digits): a larger one is a bad value, never an amount that would make
# the arithmetic of the checks or of the registration overflow.
_MAX_DIGITS = 15
_DECIMALS: dict[str, Decimal] = {}
_DATES: dict[str, date] = {}
_CODES: dict[str, str] = {}


# A figure written plainly: digits, an optional sign and decimal point.
# Anything else Decimal() would take (exponents, NaN, Infinity) is no
# FatturaPA figure; a decimal comma or a negative zero is read leniently,
# with a ``value_recovered`` warning (the registration refuses both).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _parse_decimal(raw: str, comma: bool = True) -> Decimal | None:
    """A finite Decimal of ``raw`` written plainly (blanks inside ignored),
    or None.  Good values are cached (``comma``: the cache of amounts;
    False for integers)."""
    cleaned = "".join(raw.split())
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    value = Decimal(cleaned)
    if value.adjusted() >= _MAX_DIGITS or (not value and cleaned.startswith("-")):
        return None
    if comma:
        if len(_DECIMALS) >= _CACHE_LIMIT:
            _DECIMALS.clear()
        _DECIMALS[raw] = value
    return value


def _parse_date(raw: str) -> date | None:
    match = _DATE.match("".join(raw.split()))
    if not match:
        return None
    try:
        value = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    if len(_DATES) >= _CACHE_LIMIT:
        _DATES.clear()
    _DATES[raw] = value
    return value


_CURRENCY_SIGNS = re.compile(r"€|EUR|Euro|euro")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _lenient_decimal(raw: str) -> Decimal | None:
    """What some generators write instead of 1234.56: ``1.234,56``,
    ``1,234.56``, ``€ 1234,56``, ``1234,56``; ``-0.00`` read as 0 (None when
    it is not such a figure)."""
    text = "".join(_CURRENCY_SIGNS.sub("", raw).split())
    if text.startswith("-") and _PLAIN_NUMBER.fullmatch(text) and not Decimal(text):
        return Decimal(text[1:])
    if text.count(",") == 1 and "." not in text:
        return _parse_decimal(text.replace(",", "."), comma=False)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        sign = whole[:1] if whole[:1] in "+-" else ""
        groups = whole[len(sign) :].split(group_mark)
        if not (
            groups[0].isdigit()
            and len(groups[0]) <= 3
            and all(len(group) == 3 and group.isdigit() for group in groups[1:])
            and fraction.isdigit()
        ):
            return None
        text = f"{sign}{''.join(groups)}.{fraction}"
    elif text == raw:
        return None  # nothing removed: _parse_decimal said no already
    return _parse_decimal(text)


def _lenient_date(raw: str) -> date | None:
    """``15/01/2025`` (day first, as written in Italy) instead of
    2025-01-15."""
    match = _DAY_FIRST.match("".join(raw.split()))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _code(raw: str) -> str:
    """A code as kept: blanks removed, upper case."""
    value = _CODES.get(raw)
    if value is None:
        value = "".join(raw.split()).upper()
        if len(_CODES) >= _CACHE_LIMIT:
            _CODES.clear()
        _CODES[raw] = value
    return value


class BodyReader:
    """Reads one body; collects soft problems as warnings."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings

    # ---- values -----------------------------------------------------------
    # Each reads the stripped text of ``node``/``path`` (None: absent or
    # empty); the ``*_of`` variants take that text directly (hot paths).
    def decimal(self, node, *path, required=False, default=None):
        raw = _text(node, *path) if node is not None else None
        return self.decimal_of(raw, path, required, default)

    def decimal_of(self, raw, path, required=False, default=None):
        return self._value_of(
            raw,
            path,
            required,
            default,
            _DECIMALS,
            _parse_decimal,
            _lenient_decimal,
            "a number",
        )

    def date(self, node, *path, required=False):
        raw = _text(node, *path) if node is not None else None
        return self.date_of(raw, path, required)

    def date_of(self, raw, path, required=False):
        return self._value_of(
            raw, path, required, None, _DATES, _parse_date, _lenient_date, "a date"
        )

    def _value_of(self, raw, path, required, default, cache, parse, lenient, kind):
        """``raw`` converted by ``parse`` (cached); failing that by
        ``lenient`` with a ``value_recovered`` warning; failing that a coded
        error when ``required``, else ``default`` with a ``bad_value``
        warning."""
        if raw is None:
            if required:
                raise ReadError(MISSING_FIELD, "/".join(path))
            return default
        value = cache.get(raw)
        if value is not None:
            return value
        value = parse(raw)
        if value is not None:
            return value
        value = lenient(raw)
        if value is not None:
            self.warnings.append(f"value_recovered: {'/'.join(path)} {raw!r} " f"read as {value}")
            return value
        if required:
            raise ReadError(BAD_VALUE, f"{'/'.join(path)} {raw!r}")
        self.warnings.append(f"bad_value: {'/'.join(path)} {raw!r} is not {kind}")
        return default

    def integer(self, node, *path):
        raw = _text(node, *path) if node is not None else None
        return self.integer_of(raw, path)

    def integer_of(self, raw, path):
        if raw is None:
            return None
        if raw.isdecimal() and len(raw) < 20:
            return int(raw)
        value = _parse_decimal(raw, comma=False)  # (bounded: no int(1E+999999999))
        if value is None:
            self.warnings.append(f"bad_value: {'/'.join(path)} {raw!r} is not an integer")
            return None
        return int(value)

    @staticmethod
    def code(node, *path):
        value = _text(node, *path) if node is not None else None
        return _code(value) if value else value

    # ---- parts --------------------------------------------------------------
    def address(self, node) -> model.Address | None:
        if node is None:
            return None
        return model.Address(
            street=_text(node, "Indirizzo"),
            number=_text(node, "NumeroCivico"),
            zip=_text(node, "CAP"),
            city=_text(node, "Comune"),
            province=_text(node, "Provincia"),
            country=self.code(node, "Nazione"),
        )

    def party(self, node) -> model.Party | None:
        """Any party block: FPA/FPR (DatiAnagrafici/Anagrafica) or FSM10
        (flat, IdentificativiFiscali, AltriDatiIdentificativi) layouts."""
        if node is None:
            return None
        scopes = [node]
        for path in (
            ("DatiAnagrafici",),
            ("DatiAnagrafici", "Anagrafica"),
            ("DatiAnagraficiVettore",),
            ("DatiAnagraficiVettore", "Anagrafica"),
            ("IdentificativiFiscali",),
            ("AltriDatiIdentificativi",),
        ):
            scope = _one(node, *path)
            if scope is not None:
                scopes.append(scope)

        def first(*path):
            for scope in scopes:
                value = _text(scope, *path)
                if value is not None:
                    return value
            return None

        def first_node(name):
            for scope in scopes:
                found = _one(scope, name)
                if found is not None:
                    return found
            return None

        vat_id = first_node("IdFiscaleIVA")
        rea = _one(node, "IscrizioneREA")
        contacts = _one(node, "Contatti")
        return model.Party(
            vat_country=self.code(vat_id, "IdPaese") if vat_id is not None else None,
            vat_code=_text(vat_id, "IdCodice") if vat_id is not None else None,
            fiscal_code=first("CodiceFiscale"),
            name=first("Denominazione"),
            first_name=first("Nome"),
            last_name=first("Cognome"),
            title=first("Titolo"),
            eori=first("CodEORI"),
            tax_regime=self.code(node, "DatiAnagrafici", "RegimeFiscale")
            or self.code(node, "RegimeFiscale"),
            address=self.address(first_node("Sede")),
            permanent_establishment=self.address(_one(node, "StabileOrganizzazione")),
            rea_office=_text(rea, "Ufficio") if rea is not None else None,
            rea_number=_text(rea, "NumeroREA") if rea is not None else None,
            rea_capital=self.decimal(rea, "CapitaleSociale") if rea is not None else None,
            rea_sole_shareholder=_text(rea, "SocioUnico") if rea is not None else None,
            rea_liquidation=_text(rea, "StatoLiquidazione") if rea is not None else None,
            phone=_text(contacts, "Telefono") if contacts is not None else None,
            fax=_text(contacts, "Fax") if contacts is not None else None,
            email=_text(contacts, "Email") if contacts is not None else None,
            administrative_reference=_text(node, "RiferimentoAmministrazione"),
        )

    def discounts(self, node) -> list[model.Discount]:
        return self.discount_list(_every(node, "ScontoMaggiorazione"))

    def discount_list(self, items) -> list[model.Discount]:
        return [
            model.Discount(
                type=self.code(item, "Tipo") or "",
                percent=self.decimal(item, "Percentuale"),
                amount=self.decimal(item, "Importo"),
            )
            for item in items
        ]

    def transmission(self, node) -> model.Transmission | None:
        if node is None:
            return None
        return model.Transmission(
            sender_country=self.code(node, "IdTrasmittente", "IdPaese"),
            sender_code=_text(node, "IdTrasmittente", "IdCodice"),
            sequence=_text(node, "ProgressivoInvio"),
            format=self.code(node, "FormatoTrasmissione"),
            recipient_code=_text(node, "CodiceDestinatario"),
            recipient_pec=_text(node, "PECDestinatario"),
            phone=_text(node, "ContattiTrasmittente", "Telefono"),
            email=_text(node, "ContattiTrasmittente", "Email"),
        )

    def document_data(self, invoice, doc):
        for item in _every(doc, "DatiRitenuta"):
            invoice.withholdings.append(
                model.Withholding(
                    type=self.code(item, "TipoRitenuta") or "",
                    amount=self.decimal(item, "ImportoRitenuta", default=Decimal(0)),
                    rate=self.decimal(item, "AliquotaRitenuta", default=Decimal(0)),
                    reason=_text(item, "CausalePagamento"),
                )
            )
        stamp = _one(doc, "DatiBollo")
        if stamp is not None:
            invoice.stamp_duty = model.StampDuty(
                virtual=self.code(stamp, "BolloVirtuale"),
                amount=self.decimal(stamp, "ImportoBollo"),
            )
        for item in _every(doc, "DatiCassaPrevidenziale"):
            invoice.pension_funds.append(
                model.PensionFund(
                    type=self.code(item, "TipoCassa") or "",
                    rate=self.decimal(item, "AlCassa", default=Decimal(0)),
                    amount=self.decimal(item, "ImportoContributoCassa", default=Decimal(0)),
                    taxable=self.decimal(item, "ImponibileCassa"),
                    vat_rate=self.decimal(item, "AliquotaIVA", default=Decimal(0)),
                    withholding=self.code(item, "Ritenuta") == "SI",
                    vat_nature=self.code(item, "Natura"),
                    administrative_reference=_text(item, "RiferimentoAmministrazione"),
                )
            )
        invoice.discounts = self.discounts(doc)
        invoice.total = self.decimal(doc, "ImportoTotaleDocumento")
        invoice.rounding = self.decimal(doc, "Arrotondamento")
        invoice.reasons = [reason for reason in _texts(doc, "Causale") if reason]
        invoice.art73 = self.code(doc, "Art73") == "SI"

    def linked_documents(self, invoice, general):
        for tag, kind in (
            ("DatiOrdineAcquisto", "order"),
            ("DatiContratto", "contract"),
            ("DatiConvenzione", "agreement"),
            ("DatiRicezione", "reception"),
            ("DatiFattureCollegate", "invoice"),
        ):
            for item in _every(general, tag):
                invoice.linked_documents.append(
                    model.LinkedDocument(
                        kind=kind,
                        number=_text(item, "IdDocumento"),
                        date=self.date(item, "Data"),
                        line_refs=self.line_refs(item),
                        item=_text(item, "NumItem"),
                        order_code=_text(item, "CodiceCommessaConvenzione"),
                        cup=_text(item, "CodiceCUP"),
                        cig=_text(item, "CodiceCIG"),
                    )
                )
        for item in _every(general, "DatiDDT"):
            invoice.delivery_notes.append(
                model.DeliveryNote(
                    number=_text(item, "NumeroDDT") or "",
                    date=self.date(item, "DataDDT"),
                    line_refs=self.line_refs(item),
                )
            )
        transport = _one(general, "DatiTrasporto")
        if transport is not None:
            invoice.transport = model.Transport(
                carrier=self.party(_one(transport, "DatiAnagraficiVettore")),
                means=_text(transport, "MezzoTrasporto"),
                reason=_text(transport, "CausaleTrasporto"),
                packages=self.integer(transport, "NumeroColli"),
                description=_text(transport, "Descrizione"),
                gross_weight=self.decimal(transport, "PesoLordo"),
                net_weight=self.decimal(transport, "PesoNetto"),
                pickup_datetime=_text(transport, "DataOraRitiro"),
                start_date=self.date(transport, "DataInizioTrasporto"),
                incoterm=_text(transport, "TipoResa"),
                delivery_address=self.address(_one(transport, "IndirizzoResa")),
                delivery_datetime=_text(transport, "DataOraConsegna"),
            )
        main = _one(general, "FatturaPrincipale")
        if main is not None:
            invoice.main_invoice_number = _text(main, "NumeroFatturaPrincipale")
            invoice.main_invoice_date = self.date(main, "DataFatturaPrincipale")

    def line_refs(self, node) -> list[int]:
        refs = []
        for raw in _texts(node, "RiferimentoNumeroLinea"):
            value = self.integer_of(raw, ("RiferimentoNumeroLinea",))
            if value is not None:
                refs.append(value)
        return refs

    def line(self, node) -> model.Line:
        """One DettaglioLinee: the hot path of every file (a line without
        repeated or nested children is read with plain dict lookups, its
        usual figures from the conversion caches)."""
        get = _flat(node).get
        cached = _DECIMALS.get
        decimal, date_of, code = self.decimal_of, self.date_of, _code
        # (Values in the order of the fields: warnings keep that order.)
        raw = get("NumeroLinea")
        number = (
            int(raw)
            if raw is not None and raw.isdecimal() and len(raw) < 20
            else self.integer_of(raw, ("NumeroLinea",))
        )
        description = get("Descrizione") or ""
        raw = get("PrezzoTotale")
        price_total = cached(raw)
        if price_total is None:
            price_total = decimal(raw, ("PrezzoTotale",), True)
        raw = get("AliquotaIVA")
        vat_rate = cached(raw)
        if vat_rate is None:
            vat_rate = decimal(raw, ("AliquotaIVA",), True)
        raw = get("Quantita")
        quantity = cached(raw) if raw is not None else None
        if quantity is None and raw is not None:
            quantity = decimal(raw, ("Quantita",))
        uom = get("UnitaMisura")
        raw = get("PrezzoUnitario")
        price_unit = cached(raw) if raw is not None else None
        if price_unit is None and raw is not None:
            price_unit = decimal(raw, ("PrezzoUnitario",))
        discounts, article_codes, other_data = [], [], []
        if node.nested:
            discounts = self.discount_list(_every(node, "ScontoMaggiorazione"))
            article_codes = [
                model.ArticleCode(
                    type=_text(item, "CodiceTipo") or "",
                    value=_text(item, "CodiceValore") or "",
                )
                for item in _every(node, "CodiceArticolo")
            ]
        nature = get("Natura")
        withholding = get("Ritenuta")
        kind = get("TipoCessionePrestazione")
        start = get("DataInizioPeriodo")
        end = get("DataFinePeriodo")
        period_start = date_of(start, ("DataInizioPeriodo",)) if start else None
        period_end = date_of(end, ("DataFinePeriodo",)) if end else None
        if node.nested:
            other_data = [
                model.OtherData(
                    type=_text(item, "TipoDato") or "",
                    text=_text(item, "RiferimentoTesto"),
                    number=self.decimal(item, "RiferimentoNumero"),
                    date=self.date(item, "RiferimentoData"),
                )
                for item in _every(node, "AltriDatiGestionali")
            ]
        # (Positional, in the order of model.Line's fields: the hot path.)
        return model.Line(
            number,
            description,
            price_total,
            vat_rate,
            quantity,
            uom,
            price_unit,
            discounts,
            code(nature) if nature else nature,
            withholding is not None and code(withholding) == "SI",
            code(kind) if kind else kind,
            article_codes,
            period_start,
            period_end,
            get("RiferimentoAmministrazione"),
            other_data,
        )

    def summary(self, node) -> model.VatSummary:
        return model.VatSummary(
            vat_rate=self.decimal(node, "AliquotaIVA", required=True),
            taxable=self.decimal(node, "ImponibileImporto", required=True),
            tax=self.decimal(node, "Imposta", default=Decimal(0)),
            vat_nature=self.code(node, "Natura"),
            expenses=self.decimal(node, "SpeseAccessorie"),
            rounding=self.decimal(node, "Arrotondamento"),
            due=self.code(node, "EsigibilitaIVA"),
            law_reference=_text(node, "RiferimentoNormativo"),
        )

    def payments(self, body) -> list[model.Payment]:
        payments = []
        for block in _every(body, "DatiPagamento"):
            payment = model.Payment(conditions=self.code(block, "CondizioniPagamento") or "")
            for item in _every(block, "DettaglioPagamento"):
                iban = _text(item, "IBAN")
                payment.installments.append(
                    model.Installment(
                        method=self.code(item, "ModalitaPagamento") or "",
                        amount=self.decimal(item, "ImportoPagamento", default=Decimal(0)),
                        due_date=self.date(item, "DataScadenzaPagamento"),
                        reference_date=self.date(item, "DataRiferimentoTerminiPagamento"),
                        term_days=self.integer(item, "GiorniTerminiPagamento"),
                        beneficiary=_text(item, "Beneficiario"),
                        bank_name=_text(item, "IstitutoFinanziario"),
                        iban="".join(iban.split()).upper() if iban else None,
                        abi=_text(item, "ABI"),
                        cab=_text(item, "CAB"),
                        bic=_text(item, "BIC"),
                        payment_code=_text(item, "CodicePagamento"),
                        early_discount=self.decimal(item, "ScontoPagamentoAnticipato"),
                        early_deadline=self.date(item, "DataLimitePagamentoAnticipato"),
                        late_penalty=self.decimal(item, "PenalitaPagamentiRitardati"),
                    )
                )
            payments.append(payment)
        return payments

    def attachments(self, body, attachment_source) -> list[model.Attachment]:
        result = []
        for item in _every(body, "Allegati"):
            # (The element itself: its content is found by its place.)
            content = (
                next(
                    (child for child in item.element if local_name(child.tag) == "Attachment"),
                    None,
                )
                if item.element is not None
                else None
            )
            loader, size = attachment_source(content)
            result.append(
                model.Attachment(
                    name=_text(item, "NomeAttachment") or "",
                    compression=_text(item, "AlgoritmoCompressione"),
                    format=_text(item, "FormatoAttachment"),
                    description=_text(item, "DescrizioneAttachment"),
                    size=size,
                    _loader=loader,
                )
            )
        return result


# --------------------------------------------------------------------------
# Attachments, decoded on demand
# --------------------------------------------------------------------------
def _base64_size(data: bytes, start: int, end: int) -> int:
    blanks = sum(data.count(char, start, end) for char in (b" ", b"\n", b"\r", b"\t"))
    length = end - start - blanks
    tail = data[max(start, end - 8) : end].rstrip()
    padding = len(tail) - len(tail.rstrip(b"="))
    return max(0, length * 3 // 4 - padding)


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]+")


def _decode_base64(raw: bytes) -> bytes:
    """Attachment content: base64 with any blanks and line breaks; a
    damaged one (wrong padding, stray characters, truncated) gives what can
    be decoded rather than an exception."""
    try:
        return base64.b64decode(raw)
    except (binascii.Error, ValueError):
        cleaned = _NOT_BASE64.sub(b"", raw)
        cleaned = cleaned[
            : len(cleaned) // 4 * 4 + (len(cleaned) % 4 if len(cleaned) % 4 > 1 else 0)
        ]
        return base64.b64decode(cleaned + b"=" * (-len(cleaned) % 4))


class _AttachmentSource:
    """Maps the (emptied) Attachment elements, in document order, to their
    contents in the original bytes."""

    def __init__(self, root, xml: bytes, spans):
        self.xml = xml
        self.spans = {}
        if spans:
            elements = [el for el in root.iter() if local_name(el.tag) == "Attachment"]
            self.spans = dict(zip(elements, spans, strict=False))

    def __call__(self, element):
        """(loader of the decoded content, decoded size) of an Attachment
        element ((None, None) without one)."""
        if element is None:
            return None, None
        span = self.spans.get(element)
        if span is None:  # small attachment left in the tree
            text = element.text or ""
            raw = text.encode("ascii", errors="ignore")
            size = _base64_size(raw, 0, len(raw))
            return (lambda: _decode_base64(raw)), size
        xml, (start, end) = self.xml, span
        return (lambda: _decode_base64(xml[start:end])), _base64_size(xml, start, end)


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------
def _round2(value: Decimal) -> Decimal:
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # over 26 digits: no cents to round
        return value


def read_invoices(xml: bytes, warnings: list[str], info: dict | None = None) -> list[model.Invoice]:
    """The invoices of an XML document (ReadError when it is none).
    ``warnings`` receives file-level notes (recovered encoding...); ``info``
    (when given) what else the file says of itself: ``xades`` True when the
    root holds a signature (XAdES; never verified)."""
    stripped, spans = _cut_attachments(xml)
    root = parse(stripped, warnings)
    root_name = local_name(root.tag)
    if root_name not in (INVOICE_ROOT, SIMPLIFIED_ROOT):
        raise ReadError(NOT_AN_INVOICE, f"root element {root_name}")
    namespace = namespace_of(root)
    if namespace not in KNOWN_NAMESPACES:
        warnings.append(
            f"unknown_namespace: root namespace {namespace!r} is not a "
            "FatturaPA namespace; read by element names"
        )
    # Only the header and the bodies are read: a signature (XAdES) or any
    # other child of the root is never walked.
    header, bodies = None, []
    for child in root:
        try:
            name = local_name(child.tag)
        except UnicodeDecodeError:  # (a damaged name the recovering parser kept)
            continue
        if name == "FatturaElettronicaBody":
            bodies.append(_tree(child))
        elif name == "FatturaElettronicaHeader" and header is None:
            header = _tree(child)
        elif name == "Signature" and info is not None:
            info["xades"] = True
    if header is None:
        raise ReadError(MISSING_FIELD, "FatturaElettronicaHeader")
    # Every invoice has both: the seller is what a bill is matched on, the
    # buyer whom it is for.
    for name in ("CedentePrestatore", "CessionarioCommittente"):
        if name not in header:
            raise ReadError(MISSING_FIELD, f"FatturaElettronicaHeader/{name}")
    if not bodies:
        raise ReadError(NO_BODY)
    simplified = root_name == SIMPLIFIED_ROOT
    version = (root.get("versione") or "").strip() or None
    attachment_source = _AttachmentSource(root, xml, spans)
    invoices = []
    for index, body in enumerate(bodies):
        body_warnings = []
        reader = BodyReader(body_warnings)
        try:
            invoice = _read_body(
                reader, header, body, index, simplified, version, attachment_source
            )
        except ReadError as error:  # (which body: the detail says, in the format's words)
            detail = error.detail or ""
            if error.code in (MISSING_FIELD, BAD_VALUE):
                raise ReadError(
                    error.code, f"FatturaElettronicaBody {index + 1}: {detail}"
                ) from None
            raise
        invoice.warnings = body_warnings
        invoices.append(invoice)
    return invoices


def _read_body(reader, header, body, index, simplified, version, attachment_source):
    general = _one(body, "DatiGenerali")
    doc = _one(general, "DatiGeneraliDocumento") if general is not None else None
    if doc is None:
        raise ReadError(MISSING_FIELD, "DatiGeneraliDocumento")
    for field_name in ("TipoDocumento", "Numero"):
        if not _text(doc, field_name):
            raise ReadError(MISSING_FIELD, field_name)
    currency = reader.code(doc, "Divisa")
    if not currency:
        raise ReadError(MISSING_FIELD, "Divisa")
    invoice = model.Invoice(
        body_index=index,
        document_type=reader.code(doc, "TipoDocumento"),
        currency=currency,
        date=reader.date_of(_text(doc, "Data"), ("DatiGeneraliDocumento", "Data"), required=True),
        number=_text(doc, "Numero"),
        seller=reader.party(_one(header, "CedentePrestatore")),
        buyer=reader.party(_one(header, "CessionarioCommittente")),
        fiscal_representative=reader.party(_one(header, "RappresentanteFiscale")),
        intermediary=reader.party(_one(header, "TerzoIntermediarioOSoggettoEmittente")),
        issuer=reader.code(header, "SoggettoEmittente"),
        transmission=reader.transmission(_one(header, "DatiTrasmissione")),
        version=version,
        simplified=simplified,
    )
    invoice.attachments = reader.attachments(body, attachment_source)
    if simplified:
        _read_simplified_body(reader, invoice, body, doc)
        return invoice
    reader.document_data(invoice, doc)
    reader.linked_documents(invoice, general)
    goods = _one(body, "DatiBeniServizi")
    if goods is None:
        raise ReadError(MISSING_FIELD, "DatiBeniServizi")
    for number, item in enumerate(_every(goods, "DettaglioLinee"), 1):
        try:
            invoice.lines.append(reader.line(item))
        except ReadError as error:  # (which line: the detail says)
            raise ReadError(error.code, f"DettaglioLinee {number}: {error.detail}") from None
    invoice.vat_summary = [reader.summary(item) for item in _every(goods, "DatiRiepilogo")]
    if not invoice.vat_summary:
        raise ReadError(MISSING_FIELD, "DatiRiepilogo")
    vehicle = _one(body, "DatiVeicoli")
    if vehicle is not None:
        invoice.vehicle = model.Vehicle(
            date=reader.date(vehicle, "Data"), distance=_text(vehicle, "TotalePercorso")
        )
    invoice.payments = reader.payments(body)
    invoice.amount_untaxed = sum((row.taxable for row in invoice.vat_summary), Decimal(0))
    invoice.amount_tax = sum((row.tax for row in invoice.vat_summary), Decimal(0))
    invoice.amount_total = invoice.amount_untaxed + invoice.amount_tax
    return invoice


def simplified_line_tax(amount: Decimal, rate: Decimal | None, tax: Decimal | None):
    """(tax, rate) of a VAT-inclusive FSM10 line: Imposta when given, else
    Importo x rate / (100 + rate) rounded half-up; the rate is derived from
    Imposta when only Imposta is given."""
    if tax is None:
        tax = _round2(amount * rate / (100 + rate)) if rate and rate != -100 else Decimal(0)
    elif rate is None:
        net = amount - tax
        rate = _round2(tax * 100 / net) if net else None
    return tax, rate


def _read_simplified_body(reader, invoice, body, doc):
    invoice.stamp_duty = (
        model.StampDuty(virtual=reader.code(doc, "BolloVirtuale"))
        if _text(doc, "BolloVirtuale")
        else None
    )
    corrected = _one(body, "DatiGenerali", "DatiFatturaRettificata")
    if corrected is not None:
        invoice.linked_documents.append(
            model.LinkedDocument(
                kind="invoice",
                number=_text(corrected, "NumeroFR"),
                date=reader.date(corrected, "DataFR"),
            )
        )
    groups = {}
    for number, item in enumerate(_every(body, "DatiBeniServizi"), 1):
        amount = reader.decimal(item, "Importo", required=True)
        given_rate = reader.decimal(item, "DatiIVA", "Aliquota")
        given_tax = reader.decimal(item, "DatiIVA", "Imposta")
        tax, rate = simplified_line_tax(amount, given_rate, given_tax)
        nature = reader.code(item, "Natura")
        if given_rate is None and given_tax is None and not nature:
            reader.warnings.append(
                f"missing_vat: line {number}: DatiIVA gives neither Aliquota "
                "nor Imposta, and there is no Natura (read as 0)"
            )
        invoice.lines.append(
            model.Line(
                number=number,
                description=_text(item, "Descrizione") or "",
                price_total=amount,
                vat_rate=rate,
                vat_nature=nature,
                vat_included=True,
                tax_amount=reader.decimal(item, "DatiIVA", "Imposta"),
            )
        )
        key = (rate if rate is not None else Decimal(0), nature)
        taxable, total_tax = groups.get(key, (Decimal(0), Decimal(0)))
        groups[key] = (taxable + amount - tax, total_tax + tax)
        invoice.amount_untaxed += amount - tax
        invoice.amount_tax += tax
    if not invoice.lines:
        raise ReadError(MISSING_FIELD, "DatiBeniServizi")
    invoice.vat_summary = [
        model.VatSummary(
            vat_rate=rate,
            taxable=taxable,
            tax=tax,
            vat_nature=nature,
            law_reference=None,
        )
        for (rate, nature), (taxable, tax) in groups.items()
    ]
    invoice.amount_total = invoice.amount_untaxed + invoice.amount_tax
