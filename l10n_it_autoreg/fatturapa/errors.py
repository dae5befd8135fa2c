"""Coded errors of the FatturaPA reader.

A file that cannot give invoices is never an exception for the caller:
``read_bytes`` returns a ``ReadResult`` whose ``error_code`` is one of the
codes below (stable: the registration engine and the CLI rely on them) and
whose ``error_message`` is the English text, possibly with a detail.
"""

UNREADABLE = "unreadable"
NOT_AN_INVOICE = "not_an_invoice"
BAD_ENVELOPE = "bad_envelope"
TOO_LARGE = "too_large"
HOSTILE_XML = "hostile_xml"
NO_BODY = "no_body"
MISSING_FIELD = "missing_field"
BAD_VALUE = "bad_value"
# Not the file's fault: the reader itself failed (a defect to report).
INTERNAL_ERROR = "internal_error"

MESSAGES = {
    UNREADABLE: "The file is empty or is not well-formed XML.",
    NOT_AN_INVOICE: "The file is XML but not a FatturaPA invoice "
    "(SdI notification, metadata or another format).",
    BAD_ENVELOPE: "The signed envelope (.p7m) is damaged: its content cannot be " "extracted.",
    TOO_LARGE: "The file is larger than the configured size limit.",
    HOSTILE_XML: "The XML uses a DTD, entities or a nesting depth that are " "refused for safety.",
    NO_BODY: "The invoice has no FatturaElettronicaBody.",
    MISSING_FIELD: "A mandatory field of the invoice is missing.",
    BAD_VALUE: "A field of the invoice holds a value that cannot be read "
    "(amount, date, number).",
    INTERNAL_ERROR: "The reader failed on this file: a defect of the reader, not "
    "necessarily of the file.",
}


class ReadError(Exception):
    """Raised inside the package only; ``read_bytes`` turns it into a
    coded ``ReadResult``."""

    def __init__(self, code, detail=None):
        self.code = code
        self.detail = detail
        super().__init__(message(code, detail))


def message(code, detail=None):
    """The English message of ``code``, with ``detail`` appended."""
    text = MESSAGES.get(code, code)
    return f"{text} ({detail})" if detail else text
