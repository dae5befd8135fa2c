"""Pure-Python FatturaPA reader (no odoo import in this package).

    from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes, read_file
    result = read_file("IT01234567890_00001.xml.p7m")
    if result.ok:
        for invoice in result.invoices: ...
    else:
        result.error_code, result.error_message      # see errors.py

Reading never raises for a bad file: every problem is a coded error of the
``ReadResult`` (file level) or a coded warning of an ``Invoice``.
"""

from __future__ import annotations

import os

from . import codes, errors
from .checks import check_invoice
from .envelope import open_envelope
from .errors import (
    BAD_ENVELOPE,
    BAD_VALUE,
    HOSTILE_XML,
    INTERNAL_ERROR,
    MISSING_FIELD,
    NO_BODY,
    NOT_AN_INVOICE,
    TOO_LARGE,
    UNREADABLE,
    ReadError,
)
from .model import (
    Address,
    ArticleCode,
    Attachment,
    DeliveryNote,
    Discount,
    Installment,
    Invoice,
    Line,
    LinkedDocument,
    OtherData,
    Party,
    Payment,
    PensionFund,
    ReadResult,
    StampDuty,
    Transmission,
    Transport,
    VatSummary,
    Vehicle,
    Withholding,
)
from .reader import read_invoices

# 50 MiB: the SdI refuses files over 5 MB (and ~30 MB zipped lots), so a
# received invoice is far below this; the limit only keeps a mistaken or
# hostile upload from eating the worker's memory.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024

__all__ = [
    "read_bytes",
    "read_file",
    "DEFAULT_MAX_SIZE",
    "codes",
    "errors",
    "check_invoice",
    "ReadError",
    "UNREADABLE",
    "NOT_AN_INVOICE",
    "BAD_ENVELOPE",
    "TOO_LARGE",
    "HOSTILE_XML",
    "NO_BODY",
    "MISSING_FIELD",
    "BAD_VALUE",
    "INTERNAL_ERROR",
    "Address",
    "ArticleCode",
    "Attachment",
    "DeliveryNote",
    "Discount",
    "Installment",
    "Invoice",
    "Line",
    "LinkedDocument",
    "OtherData",
    "Party",
    "Payment",
    "PensionFund",
    "ReadResult",
    "StampDuty",
    "Transmission",
    "Transport",
    "VatSummary",
    "Vehicle",
    "Withholding",
]


def read_bytes(
    data: bytes,
    filename: str | None = None,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    today=None,
) -> ReadResult:
    """Read a received file (XML or signed envelope) into a ReadResult.

    Never raises for the file's content; ``today`` (a date) is only for the
    date checks of tests.
    """
    result = ReadResult(filename=filename)
    try:
        if data is None or not isinstance(data, (bytes, bytearray, memoryview)):
            raise ReadError(UNREADABLE, "no bytes")
        data = bytes(data)
        if len(data) > max_size:
            raise ReadError(TOO_LARGE, f"{len(data)} bytes > {max_size}")
        envelope = open_envelope(data)
        result.envelope = envelope.kind
        result.envelope_warnings = envelope.warnings
        if envelope.kind.startswith("p7m"):
            result.signature = "cades"
        result.xml = envelope.xml
        if len(envelope.xml) > max_size:
            raise ReadError(TOO_LARGE, f"content of {len(envelope.xml)} bytes > {max_size}")
        file_warnings, info = [], {}
        invoices = read_invoices(envelope.xml, file_warnings, info)
        result.envelope_warnings += file_warnings
        if info.get("xades"):
            result.signature = "xades"
        for invoice in invoices:
            invoice.warnings += check_invoice(invoice, today)
        result.invoices = invoices
    except ReadError as error:
        result.error_code = error.code
        result.error_message = errors.message(error.code, error.detail)
        result.error_detail = error.detail
    except Exception as error:  # noqa: BLE001
        # Last line of defence: a file must never crash the caller.  Coded
        # as the reader's defect, not as a bad file (the type is in the
        # message, so that the bug can be reported).
        result.error_code = INTERNAL_ERROR
        result.error_detail = f"{type(error).__name__}: {error}"
        result.error_message = errors.message(INTERNAL_ERROR, result.error_detail)
    return result


def read_file(path, *, max_size: int = DEFAULT_MAX_SIZE, today=None) -> ReadResult:
    """``read_bytes`` of a file on disk (refused unread when too large)."""
    name = os.path.basename(os.fspath(path))
    try:
        size = os.path.getsize(path)
        if size > max_size:
            detail = f"{size} bytes > {max_size}"
            return ReadResult(
                filename=name,
                error_code=TOO_LARGE,
                error_detail=detail,
                error_message=errors.message(TOO_LARGE, detail),
            )
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return ReadResult(
            filename=name,
            error_code=UNREADABLE,
            error_detail=str(error),
            error_message=errors.message(UNREADABLE, str(error)),
        )
    return read_bytes(data, name, max_size=max_size, today=today)
