"""Receiving: ZIP files -- every member becomes a file to read or a coded
reason, within limits on members and inflated sizes, read in chunks with a
hard cap (a member's declared size is never trusted), nested ZIPs opened one
level."""

import hashlib
import io
import logging
import re
import zipfile
import zlib

from odoo import api, models

from ..fatturapa import DEFAULT_MAX_SIZE
from .account_move_receive import _bounded_name, _Refused

_logger = logging.getLogger(__name__)

# ZIP bombs: members and inflated sizes beyond these are refused with a
# reason (the SdI caps a file at 5 MB).  System parameters
# ``l10n_it_autoreg.<name>`` change them (README, Configuration).
ZIP_LIMITS = {
    "zip_max_members": 1000,
    "zip_max_member_size": DEFAULT_MAX_SIZE,  # the reader's own limit
    "zip_max_total_size": 200 * 1024 * 1024,
}
ZIP_CHUNK = 1024 * 1024
APPLE_DOUBLE = b"\x00\x05\x16\x07"


def _is_zip(name, data):
    return (name or "").lower().endswith(".zip") or (data or b"")[:4] == b"PK\x03\x04"


def _member_name(filename):
    """The base name of a ZIP member (POSIX or Windows path: ``a/b.xml``,
    ``..\\..\\b.xml``), bounded; None when nothing of it is a file name."""
    base = _bounded_name(re.split(r"[\\/]", filename or "")[-1])
    if not base or base in (".", ".."):
        return None
    return base


def _zip_stop(position, count, budget, limits):
    """(code, reason) when no member of a ZIP from ``position`` on is read:
    too many members, or the inflated total reached; else None."""
    if position >= limits["zip_max_members"]:
        return "zip_too_many_members", f"{count} > {limits['zip_max_members']}"
    if budget["left"] <= 0:
        return "zip_total_too_large", f"> {limits['zip_max_total_size']} bytes"
    return None


def _read_member(archive, member, cap):
    """(bytes, None), or (None, 'too_large') as soon as more than ``cap``
    bytes inflate (read in chunks: never more than cap + one chunk in
    memory, whatever the member declares), or (None, 'damaged')."""
    buffer = io.BytesIO()
    size = 0
    try:
        with archive.open(member) as stream:
            while True:
                chunk = stream.read(min(ZIP_CHUNK, cap + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    return None, "too_large"
                buffer.write(chunk)
    except (
        zipfile.BadZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ):
        return None, "damaged"
    return buffer.getvalue(), None


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _l10n_it_autoreg_zip_limits(self):
        """{limit: value} of the ZIP limits: system parameters
        ``l10n_it_autoreg.<limit>`` (company-independent; a missing, invalid
        or non-positive value gives the default of ZIP_LIMITS)."""
        params = self.env["ir.config_parameter"].sudo()
        limits = {}
        for name, default in ZIP_LIMITS.items():
            try:
                value = int(params.get_param(f"l10n_it_autoreg.{name}") or default)
            except ValueError:
                value = default
            limits[name] = value if value > 0 else default
        return limits

    @api.model
    def _l10n_it_autoreg_expand(self, attachments):
        """(attachment, filename, bytes, zip_parent, refused) of every file to
        read: a ZIP gives its members (each stored as its own attachment,
        byte for byte).  ``refused``: None, or a _Refused (code of a ZIP
        member or ZIP that cannot be read: the bill keeps the ZIP)."""
        limits = self._l10n_it_autoreg_zip_limits()
        files = []
        for attachment in attachments:
            raw = attachment.raw or b""
            name = attachment.name or ""
            if _is_zip(name, raw):
                budget = {"left": limits["zip_max_total_size"]}
                members = self._l10n_it_autoreg_unzip(raw, name, limits, budget, nested=False)
                if members is not None:
                    files.extend(
                        (attachment, filename, data, attachment, refused)
                        for filename, data, refused in members
                    )
                    continue
            files.append((attachment, name, raw, None, None))
        return files

    @api.model
    def _l10n_it_autoreg_unzip(self, raw, zip_name, limits, budget, nested):
        """[(filename, bytes, refused)] of the members of the ZIP ``raw``
        (None when it is no ZIP).  Inflated in chunks and never beyond the
        limits (the sizes the ZIP declares are not trusted); a ZIP inside the
        ZIP is opened once (one level), a deeper one is refused.  A refused
        member gives (ZIP name, ZIP bytes, _Refused)."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = [m for m in archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return None
        digest = hashlib.sha256(raw).hexdigest()
        zip_label = _bounded_name(zip_name) or "ZIP"

        def refused(code, label, detail, position=""):
            identity = f"zip:{digest}|{position}|{code}"
            return (zip_label, raw, _Refused(code, detail, label, identity))

        if not infos:
            return [refused("zip_empty", zip_label, zip_label)]
        out = []
        for position, member in enumerate(infos):
            stop = _zip_stop(position, len(infos), budget, limits)
            if stop:
                code, reason = stop
                first = _bounded_name(member.filename)
                detail = f"{zip_label}: {reason}; {len(infos) - position} not read from {first}"
                out.append(refused(code, zip_label, detail, position))
                break
            name = _member_name(member.filename)
            if name is None and member.filename.endswith("\\") and not member.file_size:
                continue  # a folder written the Windows way (is_dir() knows only "/")
            if name is None:
                label = _bounded_name(repr(member.filename)) or "?"
                out.append(refused("zip_unsafe_name", label, f"{zip_label}: {label}", position))
                continue
            label = f"{zip_label} › {name}"
            if member.flag_bits & 0x1:
                out.append(refused("zip_encrypted", name, label, position))
                continue
            cap = min(limits["zip_max_member_size"], budget["left"])
            data, error = _read_member(archive, member, cap)
            if error == "damaged":
                out.append(refused("zip_member_damaged", name, label, position))
                continue
            if error == "too_large":
                budget["left"] -= cap
                if cap == limits["zip_max_member_size"]:
                    detail = f"{label}: > {cap} bytes"
                    out.append(refused("zip_member_too_large", name, detail, position))
                else:
                    detail = f"{label}: > {limits['zip_max_total_size']} bytes in all"
                    out.append(refused("zip_total_too_large", name, detail, position))
                continue
            budget["left"] -= len(data)
            if _is_zip(name, data):
                if nested:
                    out.append(refused("zip_nested", name, label, position))
                    continue
                inner = self._l10n_it_autoreg_unzip(data, label, limits, budget, nested=True)
                if inner is None:
                    out.append(refused("zip_member_damaged", name, label, position))
                else:
                    out.extend(inner)
                continue
            if name.startswith("._") and data[:4] == APPLE_DOUBLE:
                # macOS resource fork (__MACOSX/._*): no file of the sender
                _logger.info("l10n_it_autoreg: %s: macOS metadata %s skipped", zip_label, name)
                continue
            out.append((name, data, None))
        return out
