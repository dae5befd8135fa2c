"""What the readable e-invoice shows of a read file, prepared for a template.

Pure Python (no odoo import): plain values of the reader's model (names,
address lines, codes with their Italian meaning, figures written in the
reader's language, pages of lines, which rows a refusal points at).  The
addon's QWeb template renders them; every text stays a plain string, escaped
by the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from . import codes

# Lines of a body shown on one page of the screen view (the printed e-invoice
# holds them all).
PAGE_SIZE = 500

_WARNING = re.compile(r"^([a-z_]+):\s*(.*)$", re.S)
# Envelope warnings that say the signed content may not be the one signed.
TAMPERED_WARNINGS = ("envelope_tampered", "envelope_damaged")


def describe(table, code):
    """(code as written, its Italian meaning or None) of a coded field
    (``table``: a table of codes.py or its field label)."""
    code = (code or "").strip()
    return code, (codes.describe(table, code) if code else None)


def coded(table, code):
    """``"TD01 Fattura"``; the code alone when its meaning is unknown; ""
    without a code."""
    code, meaning = describe(table, code)
    return f"{code} {meaning}" if meaning else code


def party_name(party):
    """The name of a party as the document writes it: Denominazione, or
    Titolo Nome Cognome."""
    if party is None:
        return ""
    if party.name:
        return party.name
    return " ".join(p for p in (party.title, party.first_name, party.last_name) if p)


def address_lines(address):
    """["Via Roma 1", "20121 Milano (MI)", "IT"] of an Address (the parts it
    has)."""
    if address is None:
        return []
    lines = []
    street = " ".join(p for p in (address.street, address.number) if p)
    if street:
        lines.append(street)
    town = " ".join(p for p in (address.zip, address.city) if p)
    if address.province:
        town = f"{town} ({address.province})" if town else address.province
    if town:
        lines.append(town)
    if address.country:
        lines.append(address.country)
    return lines


def format_decimal(value, decimal_point=".", thousands_sep=",", places=2):
    """A figure as written by the document, with at least ``places``
    decimals (more when the document writes more significant ones),
    grouped by thousands: ``Decimal("1234.5")`` -> ``"1,234.50"``."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if not value.is_finite():
        return str(value)
    exponent = value.normalize().as_tuple().exponent
    shown = max(places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    text = f"{abs(value):.{shown}f}"
    whole, _sep, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousands_sep.join(groups) + (decimal_point + fraction if fraction else "")
    return ("-" if value < 0 else "") + text


def split_warning(text):
    """(code, detail) of a reader warning ``"code: detail"``; (None, text)
    when it has no code."""
    match = _WARNING.match(text or "")
    if not match:
        return None, text or ""
    return match.group(1), match.group(2)


def tampered(result):
    """Whether the envelope says the signed content may not be the one
    signed (never a claim that the signature is valid otherwise)."""
    return any(split_warning(w)[0] in TAMPERED_WARNINGS for w in result.envelope_warnings)


def size_label(size):
    """A byte count for people: ``"850 B"``, ``"12.3 KB"``, ``"4.1 MB"``."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass
class Pager:
    """Which lines of a body one page shows (``page`` 1-based)."""

    page: int = 1
    pages: int = 1
    start: int = 0
    end: int = 0
    count: int = 0

    @property
    def paged(self):
        return self.pages > 1


def pager(count, page=None, size=PAGE_SIZE):
    """The Pager of ``count`` lines at ``page`` (None: every line on one
    page, as printed); a page out of range is the nearest one."""
    if page is None or not size or count <= size:
        return Pager(1, 1, 0, count, count)
    pages = -(-count // size)
    page = min(max(int(page), 1), pages)
    start = (page - 1) * size
    return Pager(page, pages, start, min(start + size, count), count)


@dataclass
class Body:
    """One FatturaElettronicaBody as the view shows it."""

    invoice: object
    index: int  # 0-based position in the file
    own: bool  # the body of the bill the view is opened from
    pager: Pager
    lines: list = field(default_factory=list)  # [(Line, marked)] of the page
    summary: list = field(default_factory=list)  # [(VatSummary, marked)]
    blocks: frozenset = frozenset()  # focus blocks (registration.focus) marked


def bodies(invoices, own_index=0, focus=None, page=None, size=PAGE_SIZE):
    """[Body] of a file's invoices, the bill's own one first.  ``focus``
    (registration.focus.Focus, or anything with ``has_vat(rate, Natura)``,
    ``lines`` and ``blocks``) marks the own body's rows a refusal points at;
    ``page`` chooses the page of lines of every body (None: all)."""
    ordered = sorted(invoices, key=lambda invoice: invoice.body_index != own_index)
    result = []
    for invoice in ordered:
        own = invoice.body_index == own_index
        mark = focus if own and focus else None
        body_pager = pager(len(invoice.lines), page, size)
        body = Body(invoice, invoice.body_index, own, body_pager)
        for line in invoice.lines[body_pager.start : body_pager.end]:
            marked = bool(mark) and (
                line.number in mark.lines or mark.has_vat(line.vat_rate, line.vat_nature)
            )
            body.lines.append((line, marked))
        body.summary = [
            (row, bool(mark) and mark.has_vat(row.vat_rate, row.vat_nature))
            for row in invoice.vat_summary
        ]
        body.blocks = frozenset(mark.blocks) if mark else frozenset()
        result.append(body)
    return result
