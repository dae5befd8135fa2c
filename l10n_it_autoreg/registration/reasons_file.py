"""The reasons of the family "file": the received file itself, its
signature envelope and its ZIP (part of the one table, ``reasons.REASONS``)."""

from .outcome import _lt
from .reason import Reason

FILE_REASONS = (
    Reason(
        "unreadable",
        "file",
        _lt(
            "The file cannot be read as an e-invoice (%(detail)s). Ask the supplier to send it "
            "again through the SdI, then register the bill by hand."
        ),
        "The file is empty, truncated or not well-formed XML.",
        "Ask the supplier / the SdI for the file again, or register by hand from the attached "
        "file.",
    ),
    Reason(
        "not_an_invoice",
        "file",
        _lt(
            "The file is not an invoice (%(detail)s): it may be an SdI notification or "
            "metadata. "
            "Delete this bill if so."
        ),
        "The file is XML but no FatturaPA (SdI notification, metadata).",
        "Delete the bill if it is one.",
    ),
    Reason(
        "bad_envelope",
        "file",
        _lt(
            "The signed file (.p7m) is damaged (%(detail)s). Download it again from the SdI or "
            "ask "
            "the supplier for a copy."
        ),
        "The signed `.p7m` envelope is damaged.",
        "Download the file again from the SdI / ask the supplier.",
    ),
    Reason(
        "too_large",
        "file",
        _lt("The file is too large to be read (%(detail)s)."),
        "The file exceeds the reader's size limit.",
        "Check the file; register by hand.",
    ),
    Reason(
        "hostile_xml",
        "file",
        _lt("The file was refused for safety (%(detail)s): check where it comes from."),
        "DTD / entities / extreme nesting: refused for safety.",
        "Check where the file comes from.",
    ),
    Reason(
        "no_body",
        "file",
        _lt("The file holds no invoice (%(detail)s)."),
        "The file holds no `FatturaElettronicaBody` (or fewer than expected).",
        "Register by hand.",
    ),
    Reason(
        "missing_field",
        "file",
        _lt(
            "A mandatory field is missing from the e-invoice (%(detail)s). Register the bill "
            "by "
            "hand from the attached file."
        ),
        "A mandatory field (TipoDocumento, Numero, Data, Divisa, DatiRiepilogo…) is missing.",
        "Register by hand from the attached file.",
    ),
    Reason(
        "bad_value",
        "file",
        _lt(
            "A field of the e-invoice cannot be read (%(detail)s). Register the bill by hand "
            "from "
            "the attached file."
        ),
        "A field holds a value that cannot be read (amount, date).",
        "Register by hand from the attached file.",
    ),
    Reason(
        "file_missing",
        "file",
        _lt(
            "The received file is no longer attached to this bill: attach the e-invoice again "
            "or "
            "register the bill by hand."
        ),
        "The received file is no longer attached to the bill.",
        "Attach the e-invoice again or register by hand.",
    ),
    Reason(
        "zip_empty",
        "file",
        _lt("The ZIP file %(detail)s holds no file."),
        "A received ZIP holds no file.",
        "Ask the sender for the e-invoices again; delete this bill.",
    ),
    Reason(
        "zip_too_many_members",
        "file",
        _lt(
            "The ZIP file holds more files than the limit (%(detail)s): the files beyond it "
            "were not read. Receive them in smaller ZIP files or one by one."
        ),
        "A received ZIP holds more files than `l10n_it_autoreg.zip_max_members` (default "
        "1000): the first ones are received, one bill says how many were not read.",
        "Receive the rest in smaller ZIPs (or raise the system parameter).",
    ),
    Reason(
        "zip_member_too_large",
        "file",
        _lt(
            "A file of the ZIP is larger than the limit once uncompressed (%(detail)s): it was "
            "not read. Receive it on its own, or register the bill by hand."
        ),
        "A ZIP member inflates beyond `l10n_it_autoreg.zip_max_member_size` (default 50 MiB, "
        "the reader's limit); reading stops at the limit (a ZIP bomb is never inflated).",
        "Receive the file on its own; register by hand.",
    ),
    Reason(
        "zip_total_too_large",
        "file",
        _lt(
            "The files of the ZIP are larger in all than the limit once uncompressed "
            "(%(detail)s): the rest was not read. Receive them in smaller ZIP files."
        ),
        "The members of a ZIP inflate in all beyond `l10n_it_autoreg.zip_max_total_size` "
        "(default 200 MiB): the members read before are received, the rest is not read.",
        "Receive the rest in smaller ZIPs (or raise the system parameter).",
    ),
    Reason(
        "zip_encrypted",
        "file",
        _lt(
            "A file of the ZIP is protected by a password (%(detail)s): it cannot be read. "
            "Ask the sender for it without password."
        ),
        "A ZIP member is encrypted.",
        "Ask the sender for the file without password.",
    ),
    Reason(
        "zip_member_damaged",
        "file",
        _lt(
            "A file of the ZIP is damaged (%(detail)s): it cannot be uncompressed. Ask the "
            "sender for it again."
        ),
        "A ZIP member cannot be inflated (bad CRC, sizes that lie, unknown compression), or a "
        "ZIP inside the ZIP is damaged.",
        "Ask the sender for the file again.",
    ),
    Reason(
        "zip_unsafe_name",
        "file",
        _lt(
            "A file of the ZIP has no usable name (%(detail)s): it was not read. Ask the "
            "sender for it again."
        ),
        "A ZIP member's path gives no file name (`..`, `.`, only separators or control "
        "characters). Other paths (`a/b.xml`, `..\\x.xml`, `.x.xml`) are read under their "
        "base name.",
        "Ask the sender for the file again.",
    ),
    Reason(
        "zip_nested",
        "file",
        _lt(
            "A ZIP file inside a ZIP inside the received ZIP (%(detail)s) was not opened: "
            "only one level is. Receive the inner ZIP on its own."
        ),
        "A ZIP in a ZIP in the received ZIP (a ZIP in the received ZIP is opened, one level).",
        "Receive the inner ZIP on its own.",
    ),
)
