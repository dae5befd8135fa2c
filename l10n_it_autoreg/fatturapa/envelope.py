"""Open the envelope of a received file: give the XML bytes inside.

Handled: plain XML (any encoding lxml knows, BOM or not: decoding is left to
the XML parser), CMS SignedData ``.p7m`` in DER or BER (indefinite lengths,
chunked OCTET STRING), base64 (with or without line breaks, several times
over), PEM armour, and p7m that a mail client or an editor re-encoded from
windows-1252 to UTF-8.  A damaged envelope whose content can still be found
is opened anyway and reported in the warnings; signature validity is never
claimed (only an evident mismatch between content and signed digest is
reported).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import re
from dataclasses import dataclass, field

from .errors import BAD_ENVELOPE, UNREADABLE, ReadError

# BER/DER of the OID 1.2.840.113549.1.7.1 (id-data): the encapsulated
# content follows it inside a SignedData.
# (A text-mode transfer may have turned its 0x0d into 0x0d 0x0a.)
_OID_DATA = re.compile(rb"\x06\x09\x2a\x86\x48\x86\xf7\x0d\n?\x01\x07\x01")
_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?FatturaElettronica(?:Semplificata)?\s*>")
_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END [A-Z0-9 ]+-----", re.S)
_BASE64_ALPHABET = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
_MAX_BASE64_LAYERS = 3


@dataclass
class Envelope:
    xml: bytes
    kind: str  # xml, p7m-der, p7m-ber, ... (+ "-base64", "-pem")
    warnings: list[str] = field(default_factory=list)


def open_envelope(data: bytes) -> Envelope:
    """The XML bytes of a received file, or ReadError(unreadable/bad_envelope)."""
    return _open(data, layers=0)


def _open(data: bytes, layers: int) -> Envelope:
    head = data[:64].lstrip()
    if not head:
        raise ReadError(UNREADABLE, "empty file")
    if _looks_like_xml(head):
        return Envelope(data, "xml")
    if head[:1] == b"\x30":
        return _open_cms(data)
    if head.startswith(b"-----BEGIN"):
        match = _PEM.search(data)
        if not match:
            raise ReadError(BAD_ENVELOPE, "truncated PEM armour")
        inner = _open(_b64decode(match.group(1)), layers + 1)
        inner.kind += "-pem"
        return inner
    if layers < _MAX_BASE64_LAYERS and _BASE64_ALPHABET.match(data[:4096]):
        try:
            decoded = _b64decode(data)
        except (binascii.Error, ValueError):
            decoded = None
        if decoded:
            inner = _open(decoded, layers + 1)
            inner.kind += "-base64"
            return inner
    raise ReadError(UNREADABLE, "neither XML nor a signed (.p7m) envelope")


def _looks_like_xml(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return True
    return head[:1] == b"<"


def _b64decode(data: bytes) -> bytes:
    return base64.b64decode(b"".join(data.split()), validate=True)


def _open_cms(der: bytes) -> Envelope:
    kind = "p7m-ber" if der[1:2] == b"\x80" else "p7m-der"
    # Not a well-formed CMS structure: salvage its content below.
    with contextlib.suppress(ValueError, TypeError, KeyError, OverflowError):
        return _open_cms_strict(der, kind)
    content = _salvage_content(der)
    warnings = []
    if content is None:
        restored = _undo_cp1252_mojibake(der)
        if restored is not None:
            try:
                envelope = _open_cms(restored)
            except ReadError:
                envelope = None
            if envelope is not None:
                envelope.warnings.insert(
                    0,
                    "envelope_reencoded: the .p7m had been re-encoded "
                    "as text (windows-1252 to UTF-8); restored",
                )
                return envelope
        raise ReadError(BAD_ENVELOPE, "no signed content found")
    warnings.append(
        "envelope_damaged: the signed envelope is not well-formed "
        "(tampered or truncated); its content was extracted anyway"
    )
    return Envelope(content, kind, warnings)


def _open_cms_strict(der: bytes, kind: str) -> Envelope:
    from asn1crypto import cms

    info = cms.ContentInfo.load(der, strict=False)
    if info["content_type"].native != "signed_data":
        raise ValueError("not SignedData")
    signed = info["content"]
    content = signed["encap_content_info"]["content"]
    if content.native is None:
        raise ReadError(BAD_ENVELOPE, "detached signature: the .p7m holds no content")
    xml = content.native
    warnings = []
    mismatch = _digest_mismatch(signed, xml)
    if mismatch:
        warnings.append(mismatch)
    return Envelope(xml, kind, warnings)


def _digest_mismatch(signed, content: bytes) -> str | None:
    """A cheap tampering hint: the signed messageDigest attribute differs
    from the content's digest.  A match proves nothing and is not reported."""
    try:
        for signer in signed["signer_infos"]:
            attrs = signer["signed_attrs"]
            if not attrs:
                continue
            algorithm = signer["digest_algorithm"]["algorithm"].native
            for attr in attrs:
                if attr["type"].native == "message_digest":
                    expected = attr["values"][0].native
                    actual = hashlib.new(algorithm, content).digest()
                    if actual != expected:
                        return (
                            "envelope_tampered: the content does not match the "
                            "digest that was signed"
                        )
    except (ValueError, TypeError, KeyError):
        return "envelope_damaged: the signer information cannot be read"
    return None


def _read_length(der: bytes, pos: int) -> tuple[int | None, int]:
    """(length or None for indefinite, position after the length octets)."""
    first = der[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    if first == 0x80:
        return None, pos
    count = first & 0x7F
    return int.from_bytes(der[pos : pos + count], "big"), pos + count


def _salvage_content(der: bytes) -> bytes | None:
    """Content of a SignedData that asn1crypto refuses (altered content
    whose chunk lengths no longer add up, broken trailer...).

    Walks the encapsulated OCTET STRING chunks after the id-data OID.  XML
    can hold neither 0x00 nor 0x04, so when a chunk boundary is not where
    its header said, the stray bytes up to the next chunk header (0x04) or
    end-of-contents (0x00) are content too.
    """
    match = _OID_DATA.search(der)
    if not match:
        return None
    pos = match.end()
    try:
        if der[pos] != 0xA0:
            return None
        _length, pos = _read_length(der, pos + 1)
        tag = der[pos]
        if tag == 0x04:  # primitive: one piece
            length, pos = _read_length(der, pos + 1)
            return _cut_after_root(der[pos : pos + length]) if length else None
        if tag != 0x24:
            return None
        _length, pos = _read_length(der, pos + 1)
        pieces = []
        end = len(der)
        while pos < end:
            byte = der[pos]
            if byte == 0x04:
                length, pos = _read_length(der, pos + 1)
                if length is None:
                    return None
                pieces.append(der[pos : pos + length])
                pos += length
            elif byte == 0x00:
                break
            else:
                stop = pos
                while stop < end and der[stop] not in (0x00, 0x04):
                    stop += 1
                pieces.append(der[pos:stop])
                pos = stop
    except IndexError:
        return None
    return _cut_after_root(b"".join(pieces)) or None


def _cut_after_root(content: bytes) -> bytes:
    """Drop what a damaged envelope let through after the invoice's root
    closing tag (certificates, signatures...)."""
    last = None
    for last in _ROOT_END.finditer(content):  # noqa: B007 (keeps the last match)
        pass
    return content[: last.end()] if last else content


def _undo_cp1252_mojibake(data: bytes) -> bytes | None:
    """Bytes that were read as windows-1252 and written as UTF-8, back to
    the original bytes (None when they are not such text)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.isascii():
        return None
    out = bytearray()
    for char in text:
        code = ord(char)
        if code < 0x80:
            out.append(code)
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if code > 0xFF:
                return None
            out.append(code)  # the 5 bytes cp1252 leaves undefined
    return bytes(out)
