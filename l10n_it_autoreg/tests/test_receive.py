"""Receiving: every core channel (upload, SdI cron, mail alias, ZIP) gives
one pending bill per invoice of the file, keeps the file byte for byte,
never makes a second bill for a file received again, and never loses an
unreadable file.

Receiving never crashes nor drops: bounded identities enforced by a unique
index, ZIP limits and reasons, values the reader could not read,
normalised identity text, and clear errors (issue items 5-9)."""

import importlib.util
import io
import os
import re
import zipfile

import psycopg2

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import (
    AttachmentSpec,
    AutoregCommon,
    D,
    InvoiceSpec,
    LineSpec,
    PartySpec,
    build_file,
    build_xml,
)

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEX64 = re.compile(r"[0-9a-f]{64}")


def make_zip(members, compression=zipfile.ZIP_DEFLATED):
    """A ZIP of [(name, bytes)] (bytes may be a ZIP made by make_zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_headers(data, name, **fields):
    """``data`` (a ZIP) with the local and central headers of member
    ``name`` changed: ``flag_bits`` or ``file_size`` (what a forged ZIP
    declares)."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, flag_at, size_at, name_at in (
        (b"PK\x03\x04", 6, 22, 30),
        (b"PK\x01\x02", 8, 24, 46),
    ):
        start = 0
        while True:
            start = data.find(signature, start)
            if start < 0:
                break
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                if "flag_bits" in fields:
                    data[start + flag_at : start + flag_at + 2] = fields["flag_bits"].to_bytes(
                        2, "little"
                    )
                if "file_size" in fields:
                    data[start + size_at : start + size_at + 4] = fields["file_size"].to_bytes(
                        4, "little"
                    )
            start += 4
    return bytes(data)


class TestReceive(AutoregCommon):
    def test_multi_body_file(self):
        data = build_xml(
            InvoiceSpec(number="A-1"),
            InvoiceSpec(number="A-2", lines=[LineSpec(price_unit=D("50"))]),
        )
        moves = self.receive_bytes(data)
        self.assertEqual(len(moves), 2)
        self.assertEqual(sorted(moves.mapped("ref")), ["A-1", "A-2"])
        self.assertEqual(sorted(moves.mapped("l10n_it_autoreg_body_index")), [0, 1])
        for move in moves:
            self.assertEqual(move.l10n_it_autoreg_attachment_id.raw, data)
        run = self.register(moves)
        self.assertEqual(run.recognized_move_ids, moves)
        by_ref = {m.ref: m for m in moves}
        self.assertRegistered(by_ref["A-1"], 100, 22, 122)
        self.assertRegistered(by_ref["A-2"], 50, 11, 61)

    def test_file_kept_byte_for_byte(self):
        data = build_file(InvoiceSpec(), envelope="p7m-ber")
        move = self.receive_bytes(data, self.next_name("xml.p7m"))
        self.assertEqual(move.l10n_it_autoreg_attachment_id.raw, data)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)

    def test_same_file_twice(self):
        data = build_xml(InvoiceSpec())
        first = self.receive_bytes(data, "IT01234567890_00001.xml")
        again = self.receive_bytes(data, "IT01234567890_00001.xml")
        self.assertEqual(again, first)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("l10n_it_autoreg_document_key", "=", first.l10n_it_autoreg_document_key)]
            ),
            1,
        )
        self.assertIn("received again", first.message_ids[0].body)

    def test_xml_then_p7m(self):
        xml = build_xml(InvoiceSpec())
        first = self.receive_bytes(xml, "IT01234567890_00002.xml")
        self.register(first)
        again = self.receive_bytes(
            build_file(InvoiceSpec(), envelope="p7m"), "IT01234567890_00002.xml.p7m"
        )
        self.assertEqual(again, first)
        self.assertEqual(first.state, "posted")

    def test_garbage_file(self):
        moves = self.receive_bytes(b"<FatturaElettronica><broken", "IT01234567890_00003.xml")
        self.assertEqual(len(moves), 1)
        self.assertRefused(moves, "unreadable")
        self.assertEqual(moves.l10n_it_autoreg_attachment_id.raw, b"<FatturaElettronica><broken")
        # the reason is the engine's (translated) sentence with the parser's
        # detail, not the reader's English sentence inside it
        self.assertIn("Couldn't find end of Start Tag", moves.l10n_it_autoreg_reason)
        self.assertNotIn("not well-formed XML", moves.l10n_it_autoreg_reason)
        # registering again keeps the reason, nothing crashes
        run = self.register(moves)
        self.assertEqual(run.unrecognized_move_ids, moves)
        self.assertRefused(moves, "unreadable")

    def test_zip_of_files(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("IT01234567890_Z0001.xml", build_xml(InvoiceSpec(number="Z-1")))
            archive.writestr(
                "IT01234567890_Z0002.xml.p7m", build_file(InvoiceSpec(number="Z-2"), envelope="p7m")
            )
            archive.writestr("IT01234567890_Z0001_MT_001.xml", b"<MetadatiInvioFile/>")
        moves = self.receive_bytes(buffer.getvalue(), "lotto.zip")
        self.assertEqual(sorted(moves.mapped("ref")), ["Z-1", "Z-2"])
        self.register(moves)
        for move in moves:
            self.assertRegistered(move, 100, 22, 122)

    def test_sdi_cron_channel(self):
        """What core's _l10n_it_edi_process_downloads does with a file."""
        data = build_xml(InvoiceSpec(number="C-1"), InvoiceSpec(number="C-2"))

        def download(name):
            move = self.env["account.move"].with_company(self.company).create({})
            attachment = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": data,
                    "type": "binary",
                    "res_model": "account.move",
                    "res_id": move.id,
                    "res_field": "l10n_it_edi_attachment_file",
                }
            )
            move._extend_with_attachments(attachment, new=True)
            return move

        shell = download("IT01234567890_C0001.xml")
        moves = self.env["account.move"].search([("ref", "in", ("C-1", "C-2"))])
        self.assertEqual(len(moves), 2)
        self.assertIn(shell, moves)
        self.assertEqual(set(moves.mapped("l10n_it_autoreg_state")), {"pending"})
        self.assertEqual(set(moves.mapped("move_type")), {"in_invoice"})
        self.assertEqual(set(moves.mapped("journal_id.type")), {"purchase"})
        # the same document downloaded again under another name
        second = download("IT01234567890_C0002.xml")
        self.assertFalse(second.exists())
        self.assertEqual(self.env["account.move"].search_count([("ref", "in", ("C-1", "C-2"))]), 2)

    def test_mail_alias_channel(self):
        data = build_xml(InvoiceSpec(number="M-1"))
        Move = self.env["account.move"].with_context(
            default_move_type="in_invoice", default_journal_id=self.journal.id
        )
        custom = {
            "move_type": "in_invoice",
            "journal_id": self.journal.id,
            "company_id": self.company.id,
        }

        def deliver():
            msg = {
                "from": "fornitore@example.com",
                "subject": "Fattura",
                "body": "<p>x</p>",
                "attachments": [("IT01234567890_M0001.xml", data, {})],
            }
            move = Move.message_new(msg, custom)
            move.with_context(from_alias=True).message_post(
                body="mail", attachments=[("IT01234567890_M0001.xml", data)]
            )
            return move

        move = deliver()
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.assertEqual(move.ref, "M-1")
        self.assertFalse(move.invoice_line_ids)
        again = deliver()
        self.assertEqual(again, move)
        self.assertEqual(self.env["account.move"].search_count([("ref", "=", "M-1")]), 1)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)

    def test_not_an_invoice_left_to_core(self):
        attachment = self.env["ir.attachment"].create({"name": "nota.txt", "raw": b"hello"})
        moves = self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
        self.assertFalse(moves.l10n_it_autoreg_state)


class TestBoundedIdentity(AutoregCommon):
    """Item 5: a hash of the identity, unique per company."""

    def test_long_number_is_received_and_refused_not_crashed(self):
        number = "N" * 3000
        move = self.receive(InvoiceSpec(number=number))
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.assertTrue(HEX64.fullmatch(move.l10n_it_autoreg_document_key))
        self.assertLessEqual(len(move.ref), 256)
        self.assertEqual(move.l10n_it_autoreg_attachment_id.raw.count(number.encode()), 1)
        self.register(move)
        self.assertRefused(move, "bad_value", "Numero")

    def test_huge_seller_id_is_received_and_refused_not_crashed(self):
        seller = PartySpec(vat="IT" + "1" * 100000)
        move = self.receive(InvoiceSpec(seller=seller))
        self.assertEqual(move.l10n_it_autoreg_state, "pending")
        self.assertLessEqual(len(move.l10n_it_autoreg_supplier_display), 256)
        self.register(move)
        self.assertRefused(move, "bad_value", "IdCodice")

    def test_huge_members_do_not_lose_the_valid_ones(self):
        data = make_zip(
            [
                ("IT01234567890_L0001.xml", build_xml(InvoiceSpec(number="L" * 3000))),
                (
                    "IT01234567890_L0002.xml",
                    build_xml(InvoiceSpec(number="L-2", seller=PartySpec(vat="IT" + "9" * 100000))),
                ),
                ("IT01234567890_L0003.xml", build_xml(InvoiceSpec(number="L-3"))),
            ]
        )
        moves = self.receive_bytes(data, "lunghi.zip")
        self.assertEqual(len(moves), 3)
        self.register(moves)
        good = moves.filtered(lambda m: m.ref == "L-3")
        self.assertRegistered(good, 100, 22, 122)
        self.assertEqual(set((moves - good).mapped("l10n_it_autoreg_reason_code")), {"bad_value"})

    def test_the_database_refuses_a_second_bill_of_one_identity(self):
        move = self.receive(InvoiceSpec(number="U-1"))
        other = self.receive(InvoiceSpec(number="U-2"))
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            other.l10n_it_autoreg_document_key = move.l10n_it_autoreg_document_key
            other.flush_recordset()

    def test_same_identity_created_concurrently_takes_the_repeat_path(self):
        """What a second process does when the first committed the same
        document between its look-up and its insert: the unique index
        refuses the insert, the savepoint keeps the transaction usable, the
        existing bill is returned."""
        move = self.receive(InvoiceSpec(number="C-1"))
        Move = (
            self.env["account.move"]
            .with_company(self.company)
            .with_context(l10n_it_autoreg_no_receive=True)
        )
        vals = {
            "journal_id": self.journal.id,
            "move_type": "in_invoice",
            "l10n_it_autoreg_state": "pending",
            "l10n_it_autoreg_document_key": move.l10n_it_autoreg_document_key,
        }
        count = Move.search_count([])
        created, holder = Move._l10n_it_autoreg_create_pending(Move, vals)
        self.assertFalse(created)
        self.assertEqual(holder, move)
        self.assertEqual(Move.search_count([]), count)
        # an empty shell the channel made is left as it was
        shell = Move.create({"journal_id": self.journal.id, "move_type": "in_invoice"})
        created, holder = Move._l10n_it_autoreg_create_pending(Move, vals, shell)
        self.assertEqual((created, holder), (None, move))
        self.assertFalse(shell.l10n_it_autoreg_state)

    def test_file_received_again_notes_the_existing_bill(self):
        data = build_xml(InvoiceSpec(number="R-1"))
        first = self.receive_bytes(data)
        again = self.receive_bytes(data)
        self.assertEqual(again, first)
        self.assertIn("received again", first.message_ids[0].body)

    def test_migration_hashes_old_keys_and_keeps_the_oldest(self):
        spec = importlib.util.spec_from_file_location(
            "autoreg_migration", os.path.join(ADDON, "migrations", "18.0.1.1.0", "pre-migrate.py")
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        first = self.receive(InvoiceSpec(number="M-1"))
        second = self.receive(InvoiceSpec(number="M-2"))
        broken = self.receive_bytes(b"<FatturaElettronica><broken", self.next_name())
        new_key = first.l10n_it_autoreg_document_key
        broken_key = broken.l10n_it_autoreg_document_key
        old = {
            first.id: "IT01234567890|TD01|M-1|2025-01-15",
            second.id: "it01234567890|td01|m-1|2025-01-15",  # the same once normalised
            broken.id: "sha256:{}".format(
                __import__("hashlib").sha256(b"<FatturaElettronica><broken").hexdigest()
            ),
        }
        self.env.flush_all()
        # before the upgrade the column held any length of text
        self.env.cr.execute(
            "ALTER TABLE account_move ALTER COLUMN l10n_it_autoreg_document_key " "TYPE varchar"
        )
        for move_id, key in old.items():
            self.env.cr.execute(
                "UPDATE account_move SET l10n_it_autoreg_document_key = %s " "WHERE id = %s",
                [key, move_id],
            )
        with mute_logger(migration.__name__):
            migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(first.l10n_it_autoreg_document_key, new_key)
        self.assertFalse(second.l10n_it_autoreg_document_key)
        self.assertEqual(broken.l10n_it_autoreg_document_key, broken_key)
        # run again (keys already hashed): nothing changes
        with mute_logger(migration.__name__):
            migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(first.l10n_it_autoreg_document_key, new_key)
        self.assertEqual(broken.l10n_it_autoreg_document_key, broken_key)


class TestZipReceive(AutoregCommon):
    """Item 6: every member becomes a bill or a coded reason."""

    def receive_zip(self, members, name="lotto.zip", **limits):
        for key, value in limits.items():
            self.env["ir.config_parameter"].sudo().set_param(f"l10n_it_autoreg.{key}", value)
        data = members if isinstance(members, bytes) else make_zip(members)
        return self.receive_bytes(data, name)

    def by_code(self, moves):
        return {m.l10n_it_autoreg_reason_code or m.ref: m for m in moves}

    def invoice(self, number):
        return (f"IT01234567890_{number[-5:]}.xml", build_xml(InvoiceSpec(number=number)))

    def test_empty_zip_says_so(self):
        move = self.receive_zip(make_zip([]), "vuoto.zip")
        self.assertRefused(move, "zip_empty", "vuoto.zip")
        self.assertEqual(move.l10n_it_autoreg_state, "unrecognized")

    def test_too_many_members(self):
        moves = self.receive_zip([self.invoice("Z-%05d" % i) for i in range(5)], zip_max_members=3)
        self.assertEqual(len(moves), 4)
        refused = moves.filtered(lambda m: m.l10n_it_autoreg_reason_code)
        self.assertRefused(refused, "zip_too_many_members", "5 > 3", "2 not read")

    def test_member_too_large_is_refused_the_others_received(self):
        big = b"<x>" + b" " * (3 * 1024 * 1024) + b"</x>"
        moves = self.receive_zip(
            [("IT01234567890_BIG01.xml", big), self.invoice("Z-OK001")],
            zip_max_member_size=1024 * 1024,
        )
        found = self.by_code(moves)
        self.assertRefused(
            found["zip_member_too_large"], "zip_member_too_large", "IT01234567890_BIG01.xml"
        )
        self.assertEqual(found["Z-OK001"].l10n_it_autoreg_state, "pending")
        # registering again keeps the reason (the member was never read)
        self.register(moves)
        self.assertRefused(found["zip_member_too_large"], "zip_member_too_large")
        self.assertRegistered(found["Z-OK001"], 100, 22, 122)

    def test_member_lying_about_its_size_is_damaged_not_inflated(self):
        bomb = b"\0" * (8 * 1024 * 1024)
        data = patch_headers(
            make_zip([("IT01234567890_BOMB1.xml", bomb)]), "IT01234567890_BOMB1.xml", file_size=2000
        )
        move = self.receive_zip(data)
        self.assertRefused(move, "zip_member_damaged", "IT01234567890_BOMB1.xml")

    def test_total_too_large(self):
        members = [
            ("IT01234567890_T%04d.xml" % i, b"<x>" + b" " * 400000 + b"</x>") for i in range(4)
        ]
        moves = self.receive_zip(members + [self.invoice("Z-TOT01")], zip_max_total_size=1000000)
        codes = moves.mapped("l10n_it_autoreg_reason_code")
        self.assertIn("zip_total_too_large", codes)
        self.assertNotIn("Z-TOT01", moves.mapped("ref"))

    def test_encrypted_member(self):
        data = patch_headers(
            make_zip([self.invoice("Z-ENC01")]), "IT01234567890_ENC01.xml", flag_bits=1
        )
        move = self.receive_zip(data)
        self.assertRefused(move, "zip_encrypted", "IT01234567890_ENC01.xml")

    def test_names_are_taken_safely(self):
        moves = self.receive_zip(
            [
                ("..\\..\\IT01234567890_WIN01.xml", build_xml(InvoiceSpec(number="Z-WIN01"))),
                (".IT01234567890_DOT01.xml", build_xml(InvoiceSpec(number="Z-DOT01"))),
                ("cartella/IT01234567890_DIR01.xml", build_xml(InvoiceSpec(number="Z-DIR01"))),
                ("cartella/..", build_xml(InvoiceSpec(number="Z-BAD01"))),
                ("cartella\\", b""),  # a folder written the Windows way: skipped
            ]
        )
        found = self.by_code(moves)
        self.assertEqual(set(found), {"Z-WIN01", "Z-DOT01", "Z-DIR01", "zip_unsafe_name"})
        self.assertEqual(
            found["Z-WIN01"].l10n_it_autoreg_attachment_id.name, "IT01234567890_WIN01.xml"
        )
        self.assertEqual(
            found["Z-DOT01"].l10n_it_autoreg_attachment_id.name, ".IT01234567890_DOT01.xml"
        )

    def test_zip_in_zip_one_level(self):
        inner = make_zip([self.invoice("Z-INN01")])
        deeper = make_zip([("dentro.zip", make_zip([self.invoice("Z-DEEP1")]))])
        moves = self.receive_zip(
            [("interno.zip", inner), ("doppio.zip", deeper), self.invoice("Z-OUT01")]
        )
        found = self.by_code(moves)
        self.assertEqual(set(found), {"Z-INN01", "Z-OUT01", "zip_nested"})
        self.assertRefused(found["zip_nested"], "zip_nested", "dentro.zip")

    def test_same_zip_twice_makes_no_second_bill(self):
        data = make_zip([self.invoice("Z-TWI01"), ("IT01234567890_BIG02.xml", b"x" * 5000)])
        first = self.receive_zip(data, zip_max_member_size=1000)
        again = self.receive_zip(data)
        self.assertEqual(len(first), 2)
        self.assertEqual(again, first)

    def test_limits_are_system_parameters_with_defaults(self):
        Move = self.env["account.move"]
        self.env["ir.config_parameter"].sudo().set_param("l10n_it_autoreg.zip_max_members", "x")
        self.assertEqual(Move._l10n_it_autoreg_zip_limits()["zip_max_members"], 1000)
        self.env["ir.config_parameter"].sudo().set_param("l10n_it_autoreg.zip_max_members", "7")
        self.assertEqual(Move._l10n_it_autoreg_zip_limits()["zip_max_members"], 7)


class TestValues(AutoregCommon):
    """Item 7: a value the reader could not read refuses the document."""

    def receive_edited(self, old, new, spec=None):
        xml = build_xml(spec or InvoiceSpec(number=self.next_name()[:20]))
        self.assertIn(old, xml)
        moves = self.receive_bytes(xml.replace(old, new, 1))
        self.register(moves)
        return moves

    def test_unreadable_amounts_are_bad_values(self):
        for old, new in (
            (b"<ImportoTotaleDocumento>122.00", b"<ImportoTotaleDocumento>122,00"),
            (b"<ImportoTotaleDocumento>122.00", b"<ImportoTotaleDocumento>1e308"),
            (b"<ImportoPagamento>122.00", b"<ImportoPagamento>NaN"),
            (b"<ImportoPagamento>122.00", b"<ImportoPagamento>-0"),
            (b"<Imposta>22.00", b"<Imposta>0x1F"),
            (
                b"<AliquotaIVA>22.00</AliquotaIVA>\n        </DatiRiepilogo>",
                b"<AliquotaIVA>22,00</AliquotaIVA>\n        </DatiRiepilogo>",
            ),
        ):
            with self.subTest(new=new):
                xml = build_xml(InvoiceSpec(number=new.decode()[-12:]))
                if old not in xml:
                    continue
                move = self.receive_bytes(xml.replace(old, new, 1))
                self.register(move)
                self.assertRefused(move, "bad_value")

    def test_dates_outside_2000_2100(self):
        for written in (b"0001-01-01", b"1999-12-31", b"2101-01-01"):
            with self.subTest(written=written):
                xml = build_xml(InvoiceSpec(number="D-" + written.decode()))
                move = self.receive_bytes(xml.replace(b"<Data>2025-01-15", b"<Data>" + written))
                self.assertEqual(move.l10n_it_autoreg_state, "pending")
                self.register(move)
                self.assertRefused(move, "bad_value", written.decode())

    def test_due_date_out_of_range(self):
        xml = build_xml(InvoiceSpec(number="D-DUE"))
        move = self.receive_bytes(
            re.sub(rb"<DataScadenzaPagamento>[^<]*", b"<DataScadenzaPagamento>9999-12-31", xml)
        )
        self.register(move)
        self.assertRefused(move, "bad_value", "DataScadenzaPagamento")

    def test_ignored_fields_do_not_refuse(self):
        spec = InvoiceSpec(
            number="D-IGN",
            delivery_notes=[("DDT1", __import__("datetime").date(2025, 1, 2))],
            lines=[
                LineSpec(
                    quantity=__import__("decimal").Decimal("2"),
                    price_unit=__import__("decimal").Decimal("50"),
                )
            ],
        )
        xml = build_xml(spec).replace(b"<DataDDT>2025-01-02", b"<DataDDT>31/02/2025")
        xml = re.sub(rb"<Quantita>[^<]*", b"<Quantita>2,00", xml)
        move = self.receive_bytes(xml)
        self.register(move)
        self.assertRegistered(move, 100, 22, 122)


class TestNormalisedIdentity(AutoregCommon):
    """Item 8: invisible characters and compatibility forms never make a
    second bill."""

    def test_zero_width_number_is_a_repeat(self):
        first = self.receive(InvoiceSpec(number="FT-2025-0042"))
        for written in ("FT\u200b-2025-0042", "FT-2025\u00ad-0042\ufeff", "\uff26T-2025-0042"):
            with self.subTest(written=written):
                again = self.receive(InvoiceSpec(number=written))
                self.assertEqual(again, first)

    def test_zero_width_number_is_a_duplicate_of_a_typed_bill(self):
        partner = (
            self.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": "Fornitore", "vat": "IT01234567890"})
        )
        self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": partner.id,
                "ref": "FT-9",
                "invoice_date": "2025-01-10",
                "journal_id": self.journal.id,
                "invoice_line_ids": [(0, 0, {"name": "x", "price_unit": 1})],
            }
        )
        move = self.receive_and_register(InvoiceSpec(number="FT\u200d-9"))
        self.assertRefused(move, "duplicate")


class TestClearErrors(AutoregCommon):
    """Item 9."""

    def test_fill_with_malformed_attachment_is_a_user_error(self):
        spec = InvoiceSpec(
            number="F-ATT",
            lines=[LineSpec(vat_rate=__import__("decimal").Decimal("15.55"))],
            attachments=[AttachmentSpec(name="doc.pdf")],
        )
        xml = build_xml(spec)
        xml = re.sub(rb"<Attachment>[^<]*", b"<Attachment>%%%not base64", xml)
        move = self.receive_bytes(xml)
        self.register(move)
        self.assertRefused(move, "tax_not_found")
        with self.assertRaises(UserError) as caught:
            move.action_l10n_it_autoreg_fill_from_einvoice()
        self.assertIn("malformed", str(caught.exception))

    def test_internal_error_keeps_no_database_message(self):
        from ..db_errors import short_error

        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute("SELECT 1/0 FROM account_move WHERE ref = 'secret'")
        except psycopg2.Error as error:
            self.assertEqual(short_error(error), "DivisionByZero")
        self.assertEqual(
            short_error(RuntimeError("boom\nSELECT * FROM secret")), "RuntimeError: boom"
        )
        self.assertLessEqual(len(short_error(ValueError("x" * 5000))), 140)
