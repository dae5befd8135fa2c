"""Who is who: VAT numbers and fiscal codes, the identity of a received
document, the addressee of an e-invoice and the supplier among contacts.

Pure Python: contacts come in as :class:`Contact` (plain data made by the
engine from its records), decisions go out as ids, Texts and Refusals.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .outcome import Refusal, Text, _lt

# Invisible characters that editors and generators slip into identifiers:
# zero-width space / non-joiner / joiner, BOM (zero-width no-break space),
# soft hyphen.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))


def norm_text(text):
    """``text`` in Unicode NFKC (full-width digits, ligatures, non-breaking
    spaces as their plain forms) without invisible characters."""
    return unicodedata.normalize("NFKC", text or "").translate(INVISIBLE)


def digits(text):
    """``text`` normalised (norm_text), without blanks, upper case."""
    return "".join(norm_text(text).split()).upper()


def identity_hash(identity):
    """What the database stores and indexes for an identity text (a
    document_key or file_identity): its SHA-256 in hex, 64 characters
    whatever the length of the text (a Numero of 3 KB, a seller IdCodice of
    100,000 digits)."""
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def file_identity(data):
    """The identity of a file that gives no document (unreadable): its bytes."""
    return "sha256:" + hashlib.sha256(data or b"").hexdigest()


def renormalised_key(old_key):
    """A document key stored as text before version 18.0.1.1.0, normalised
    as document_key does now (each part through ``digits``): what the
    migration hashes.  A ``sha256:`` file identity is kept as it is."""
    if old_key.startswith("sha256:"):
        return old_key
    *head, date = old_key.split("|")
    return "|".join([*(digits(part) for part in head), date])


def norm_vat(vat):
    """IT01234567890 from 'it 012 345 67890', '01234567890' (Italian)."""
    if not vat:
        return None
    code = re.sub(r"[^A-Za-z0-9]", "", vat).upper()
    if re.fullmatch(r"\d{11}", code):
        code = "IT" + code
    return code or None


def norm_cf(cf):
    """A fiscal code compacted, upper case; an IT-prefixed 11-digit code
    loses its prefix (it is a VAT number written as a fiscal code)."""
    if not cf:
        return None
    code = re.sub(r"[^A-Za-z0-9]", "", cf).upper()
    if re.fullmatch(r"IT\d{11}", code):
        code = code[2:]
    return code or None


def is_placeholder_vat(vat):
    """IdCodice written by convention for a foreign party without a VAT
    number (99999999999, 0000000...): shared by many parties, it identifies
    nobody."""
    code = digits(vat)
    if len(code) > 2 and code[:2].isalpha():
        code = code[2:]
    return bool(code) and bool(re.fullmatch(r"9+|0+", code))


def valid_cf(fiscal_code):
    """The fiscal code when it is a valid codice fiscale or partita IVA (what
    Odoo's l10n_it accepts), else None: a supplier is never refused for a
    malformed fiscal code."""
    from stdnum.it import codicefiscale, iva

    code = norm_cf(fiscal_code)
    if code and (codicefiscale.is_valid(code) or iva.is_valid(code)):
        return code
    return None


def document_key(invoice):
    """What identifies one received document whatever its envelope or
    channel: seller id, type, number, date (and nothing of the file).

    The seller id is the VAT number plus the fiscal code when it is another
    one: members of a VAT group share the group's VAT number and are told
    apart by their own fiscal code (their invoices may share number and
    date).  A placeholder VAT number (foreign party) adds the name.  Every
    part is normalised (``digits``: NFKC, no invisible characters, no
    blanks, upper case).  The text may be long: the database keeps its
    ``identity_hash``."""
    seller = invoice.seller
    cf = digits(seller.fiscal_code)
    vat = digits(seller.vat)
    seller_id = vat or cf or ""
    if vat and cf and cf != vat[2:] and cf != vat:
        seller_id = f"{vat}/{cf}"
    if seller.vat and is_placeholder_vat(seller.vat):
        seller_id = f"{seller_id}/{digits(seller.display_name)}"
    return "{}|{}|{}|{}".format(
        digits(seller_id),
        digits(invoice.document_type),
        digits(invoice.number),
        invoice.date.isoformat() if invoice.date else "",
    )


def party_label(party):
    """'Name (VAT / CF)' of a party of the e-invoice, for reasons."""
    ids = " / ".join(x for x in (party.vat, party.fiscal_code) if x)
    name = party.display_name or ""
    return (f"{name} ({ids})") if ids else (name or "?")


def check_addressee(invoice, company_name, company_vat, company_cf):
    """Refuse a document that this company did not receive as a buyer:
    ``own_invoice`` (its seller is the company) or ``not_for_company``."""
    label = "{} {}".format(company_name, company_vat or company_cf or "")
    company_vat, company_cf = norm_vat(company_vat), norm_cf(company_cf)
    seller_vat, seller_cf = (
        norm_vat(invoice.seller.vat),
        norm_cf(invoice.seller.fiscal_code),
    )
    buyer_vat, buyer_cf = (
        norm_vat(invoice.buyer.vat),
        norm_cf(invoice.buyer.fiscal_code),
    )
    # An 11-digit fiscal code and an Italian VAT number come from the same
    # register: a party written with only CodiceFiscale = our VAT digits
    # is this company even when its fiscal code is not set in Settings.
    company_ids = {company_cf} | (
        {company_vat[2:]} if company_vat and company_vat.startswith("IT") else set()
    )
    company_ids.discard(None)
    for_company = bool(
        (company_vat and buyer_vat == company_vat) or (buyer_cf and buyer_cf in company_ids)
    )
    from_company = bool(
        (company_vat and seller_vat == company_vat) or (seller_cf and seller_cf in company_ids)
    )
    if from_company:
        raise Refusal("own_invoice", seller=party_label(invoice.seller))
    if not for_company:
        raise Refusal("not_for_company", buyer=party_label(invoice.buyer), company=label)


@dataclass(frozen=True)
class Contact:
    """A commercial contact the supplier may be (plain data of a res.partner)."""

    id: int
    name: str
    vat: str | None = None
    fiscal_code: str | None = None
    label: str | None = None  # display name, for reasons


@dataclass(frozen=True)
class SupplierMatch:
    """The supplier of a document: ``contact_id`` when found, else ``key``
    under which the supplier created from the e-invoice is known in the batch."""

    contact_id: int | None
    rule: Text | None
    key: tuple | None = None


def supplier_key(seller):
    """The key of a seller to create: documents of one new supplier in a
    batch share one contact."""
    vat, cf = norm_vat(seller.vat), norm_cf(seller.fiscal_code)
    if vat and is_placeholder_vat(vat):
        return (vat, cf or None, (seller.display_name or "").strip().casefold())
    return (vat, cf)


def match_supplier(seller, contacts):
    """The contact among ``contacts`` that is the document's seller
    (:class:`SupplierMatch` with ``contact_id``), or the key of the supplier
    to create (``contact_id`` None).  Refusal when several contacts could be
    it, or when the seller cannot be identified."""
    vat, cf = norm_vat(seller.vat), norm_cf(seller.fiscal_code)
    label = party_label(seller)

    def ambiguous(found):
        return Refusal(
            "supplier_ambiguous",
            seller=label,
            partners=", ".join(c.label or c.name for c in found),
        )

    if vat and is_placeholder_vat(vat):
        # 99999999999 & co. (foreign party without VAT number): shared by
        # many suppliers, it is matched together with the exact name
        name = (seller.display_name or "").strip().casefold()
        same = [
            c
            for c in contacts
            if norm_vat(c.vat) == vat and (c.name or "").strip().casefold() == name
        ]
        if len(same) > 1:
            raise ambiguous(same)
        if same:
            return SupplierMatch(
                same[0].id,
                Text(
                    _lt("VAT number %(vat)s and name %(name)s"),
                    vat=vat,
                    name=seller.display_name,
                ),
            )
        if not name:
            raise Refusal(
                "supplier_invalid",
                detail=Text(_lt("placeholder VAT number %s and no name"), vat),
            )
        return SupplierMatch(None, None, supplier_key(seller))
    if vat:
        by_vat = [c for c in contacts if norm_vat(c.vat) == vat]
        if len(by_vat) == 1 and (
            not cf or not by_vat[0].fiscal_code or norm_cf(by_vat[0].fiscal_code) in (cf, vat[2:])
        ):
            return SupplierMatch(by_vat[0].id, Text(_lt("VAT number %s"), vat))
        if by_vat:
            exact = [c for c in by_vat if cf and norm_cf(c.fiscal_code) == cf]
            if len(exact) == 1:
                return SupplierMatch(
                    exact[0].id,
                    Text(_lt("VAT number %(vat)s and fiscal code %(cf)s"), vat=vat, cf=cf),
                )
            blank = [c for c in by_vat if not c.fiscal_code]
            if not exact and len(blank) == 1 and len(by_vat) > 1 and not cf:
                return SupplierMatch(blank[0].id, Text(_lt("VAT number %s"), vat))
            if exact or blank or not cf:
                raise ambiguous(exact or by_vat)
            # same VAT, other fiscal codes: another member of a VAT group
    elif cf:
        by_cf = [c for c in contacts if norm_cf(c.fiscal_code) == cf]
        if len(by_cf) == 1:
            return SupplierMatch(by_cf[0].id, Text(_lt("fiscal code %s"), cf))
        if len(by_cf) > 1:
            raise ambiguous(by_cf)
    else:
        raise Refusal(
            "supplier_invalid",
            detail=Text(_lt("the e-invoice gives neither VAT number nor fiscal code")),
        )
    return SupplierMatch(None, None, supplier_key(seller))


def duplicate_partner_ids(seller, contact_id, same_vat_contacts):
    """The contacts whose bills with the document's number are duplicates of
    it: the supplier, and (the bill may have been typed by hand on another or
    an archived contact) those with the same VAT number -- not for a
    placeholder VAT number, nor for another member of a VAT group (same VAT,
    another fiscal code)."""
    ids = {contact_id}
    vat, cf = norm_vat(seller.vat), norm_cf(seller.fiscal_code)
    if not vat or is_placeholder_vat(vat):
        return ids
    for contact in same_vat_contacts:
        other_cf = norm_cf(contact.fiscal_code)
        if cf and other_cf and other_cf not in (cf, vat[2:]):
            continue
        ids.add(contact.id)
    return ids
