"""Engine: the supplier of a document (found, or created from the
e-invoice), its bank account, and duplicates of its number."""

import contextlib
import hashlib
import re

from odoo import models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..db_errors import ConcurrentUpdate
from ..registration import identity
from ..registration.duplicates import bill_number, same_seller
from ..registration.outcome import Refusal, Text, _lt
from ..registration.reviews import Review
from .account_move import REF_NUMBER_SQL


def supplier_lock_ids(seller):
    """The advisory lock ids of a seller to create: one per normalized VAT
    number (with the name for a placeholder VAT) and fiscal code, sorted."""
    vat, cf = identity.norm_vat(seller.vat), identity.norm_cf(seller.fiscal_code)
    keys = []
    if vat:
        if identity.is_placeholder_vat(vat):
            vat = "{}:{}".format(vat, (seller.display_name or "").strip().casefold())
        keys.append("vat:" + vat)
    if cf:
        keys.append("cf:" + cf)
    return sorted(
        int.from_bytes(
            hashlib.sha256(("l10n_it_autoreg.supplier:" + key).encode()).digest()[:8],
            "big",
            signed=True,
        )
        for key in keys
    )


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _prefetch_partners(self, company, invoices):
        """The commercial contacts that may be the suppliers of ``invoices``
        (by VAT number or fiscal code, one query)."""
        vats, cfs = set(), set()
        for invoice in invoices:
            vat = identity.norm_vat(invoice.seller.vat)
            if vat:
                vats.update({vat, vat[2:]})
            cf = identity.norm_cf(invoice.seller.fiscal_code)
            if cf:
                cfs.update({cf, "IT" + cf})
        Partner = self.env["res.partner"]
        if not vats and not cfs:
            return Partner
        domain = []
        if vats:
            domain = [("vat", "in", list(vats))]
        if cfs:
            domain = (["|"] + domain if domain else []) + [
                ("l10n_it_codice_fiscale", "in", list(cfs))
            ]
        return Partner.search(domain + Partner._check_company_domain(company)).commercial_partner_id

    @staticmethod
    def _contact(partner):
        """A res.partner as the supplier decisions see it."""
        return identity.Contact(
            partner.id,
            partner.name or "",
            partner.vat or None,
            partner.l10n_it_codice_fiscale or None,
            partner.display_name,
        )

    def _decide_supplier(self, invoice, batch, trace):
        """The bill's partner: the contact that is the e-invoice's seller
        (registration.identity.match_supplier), else the supplier created
        from the e-invoice when the company allows it."""
        seller = invoice.seller
        created = None
        match = identity.match_supplier(seller, batch.contacts)
        if match.contact_id:
            partner, rule = self.env["res.partner"].browse(match.contact_id), match.rule
        elif match.key in batch.created:
            partner, rule = (
                batch.created[match.key],
                Text(_lt("created from this e-invoice")),
            )
        else:
            company = batch.company
            if not company.l10n_it_autoreg_create_partner:
                raise Refusal("supplier_not_found", seller=identity.party_label(seller))
            self._lock_supplier(invoice)
            partner = self._create_supplier(seller, company)
            batch.created[match.key] = partner
            batch.partners |= partner
            batch.contacts.append(self._contact(partner))
            rule = Text(
                _lt("created from the e-invoice (VAT %(vat)s, fiscal code %(cf)s)"),
                vat=identity.norm_vat(seller.vat) or "-",
                cf=identity.norm_cf(seller.fiscal_code) or "-",
            )
            created = Review("supplier_created", partner=partner.display_name)
        trace.append(
            Text(
                _lt("Supplier: %(partner)s (%(rule)s)"),
                partner=partner.display_name,
                rule=rule,
            )
        )
        if created:
            trace.append(created)
        self._check_autopost(partner, batch)
        return partner

    def _check_autopost(self, partner, batch):
        """Odoo's own per-supplier switch (res.partner.autopost_bills):
        *never* leaves the supplier's documents to the user when the
        scheduled action registers (a person's action still registers them);
        *ask* and *always* register (Odoo's suggestion after three unedited
        validations counts the registered bills: they are not marked as
        manually modified)."""
        if batch.automatic and partner.autopost_bills == "never":
            raise Refusal("supplier_manual", partner=partner.display_name)

    def _lock_supplier(self, invoice):
        """Before the supplier of ``invoice`` is created: wait for the other
        transactions creating it (a transaction-level advisory lock per VAT
        number / fiscal code, held until commit), then look for it again
        with a snapshot taken now.  A contact another transaction committed
        since this one began is invisible here (REPEATABLE READ): then
        :class:`ConcurrentUpdate` is raised and the registration is done
        again in a new transaction, which finds the contact."""
        seller = invoice.seller
        for lock_id in supplier_lock_ids(seller):
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        vat, cf = identity.norm_vat(seller.vat), identity.norm_cf(seller.fiscal_code)
        vats = [vat, vat[2:]] if vat else []
        cfs = [cf, "IT" + cf] if cf else []
        if not vats and not cfs:
            return
        query = """
            SELECT id FROM res_partner
             WHERE vat = ANY(%s) OR l10n_it_codice_fiscale = ANY(%s)
        """
        with self.env.registry.cursor() as cr:
            cr.execute(query, [vats, cfs])
            now = {row[0] for row in cr.fetchall()}
        if not now:
            return
        self.env["res.partner"].flush_model(["vat", "l10n_it_codice_fiscale"])
        self.env.cr.execute(query, [vats, cfs])
        if now - {row[0] for row in self.env.cr.fetchall()}:
            raise ConcurrentUpdate(
                f"supplier {identity.party_label(seller)} created by another transaction"
            )

    def _supplier_vals(self, seller, company):
        """res.partner values of a supplier created from the e-invoice."""
        address = seller.address
        country_code = (
            address.country if address and address.country else None
        ) or seller.vat_country
        country = self.env["res.country"].search(
            [("code", "=", (country_code or "IT").upper())], limit=1
        )
        state = self.env["res.country.state"]
        if address and address.province and country:
            state = state.search(
                [
                    ("country_id", "=", country.id),
                    ("code", "=", address.province.upper()),
                ],
                limit=1,
            )
        return {
            "name": seller.display_name,
            "is_company": bool(seller.name),
            "vat": identity.norm_vat(seller.vat)
            if (seller.vat_country or "IT").upper() == "IT"
            else seller.vat,
            "l10n_it_codice_fiscale": identity.valid_cf(seller.fiscal_code) or False,
            "street": " ".join(
                x
                for x in (
                    (address.street if address else None),
                    (address.number if address else None),
                )
                if x
            )
            or False,
            "zip": address.zip if address else False,
            "city": address.city if address else False,
            "state_id": state.id or False,
            "country_id": country.id or False,
            "email": seller.email or False,
            "phone": seller.phone or False,
            "supplier_rank": 1,
        }

    def _create_supplier(self, seller, company):
        """Create the supplier from the CedentePrestatore (a VAT number
        Odoo's check refuses is kept as written)."""
        if not seller.display_name:
            raise Refusal("supplier_invalid", detail=Text(_lt("the supplier has no name")))
        vals = self._supplier_vals(seller, company)
        with contextlib.suppress(ValidationError, UserError), self.env.cr.savepoint():
            return self.env["res.partner"].create(vals)
        try:
            with self.env.cr.savepoint():
                return self.env["res.partner"].with_context(no_vat_validation=True).create(vals)
        except (ValidationError, UserError) as error:
            raise Refusal(
                "supplier_invalid", detail=str(error.args[0] if error.args else error)
            ) from None

    def _decide_bank(self, partner, iban, company):
        """The supplier's bank account of the IBAN (created when allowed)."""
        Bank = self.env["res.partner.bank"]
        sanitized = re.sub(r"\W+", "", iban).upper()
        bank = Bank.search(
            [("sanitized_acc_number", "=", sanitized), ("partner_id", "=", partner.id)],
            limit=1,
        )
        if bank or not company.l10n_it_autoreg_create_bank_account:
            return bank or None
        try:
            with self.env.cr.savepoint():
                return Bank.create({"acc_number": iban, "partner_id": partner.id})
        except (ValidationError, UserError):
            return None

    def _check_duplicate(self, move, partner, invoice, move_type, batch):
        """Refuse a document whose supplier already has a bill with its
        number in its fiscal year (any state), written before the batch or
        decided in it; or another received document with its number in its
        fiscal year still to register (the accountant decides which one is
        the real bill)."""
        other = self._find_duplicate(move, partner, invoice, move_type, batch)
        if other:
            raise Refusal("duplicate", other=other, number=invoice.number, year=invoice.date.year)
        pending = self._find_pending_duplicate(move, invoice, move_type, batch)
        if pending:
            raise Refusal(
                "duplicate",
                text="duplicate_pending",
                other=pending,
                date=pending.invoice_date,
                file=pending.l10n_it_autoreg_attachment_id.name or "",
                number=invoice.number,
                year=invoice.date.year,
            )

    @staticmethod
    def _fiscal_year(company, day):
        """(first, last day) of the fiscal year of ``day``."""
        year = company.compute_fiscalyear_dates(day)
        return (
            year["date_from"] or day.replace(month=1, day=1),
            year["date_to"] or day.replace(month=12, day=31),
        )

    def _duplicate_partner_ids(self, partner, invoice, company):
        """The contacts whose bills count as duplicates (identity.duplicate_partner_ids)."""
        vat = identity.norm_vat(invoice.seller.vat)
        same_vat = []
        if vat and not identity.is_placeholder_vat(vat):
            Partner = self.env["res.partner"].with_context(active_test=False)
            for other in Partner.search(
                [("vat", "in", [vat, vat[2:]]), *Partner._check_company_domain(company)]
            ):
                commercial = other.commercial_partner_id
                same_vat.append(
                    identity.Contact(
                        commercial.id,
                        commercial.name or "",
                        other.vat,
                        commercial.l10n_it_codice_fiscale or other.l10n_it_codice_fiscale or None,
                    )
                )
        return identity.duplicate_partner_ids(
            invoice.seller, partner.commercial_partner_id.id, same_vat
        )

    def _find_duplicate(self, move, partner, invoice, move_type, batch):
        """The bill ``invoice`` would duplicate, or None."""
        company = batch.company
        partner_ids = self._duplicate_partner_ids(partner, invoice, company)
        date_from, date_to = self._fiscal_year(company, invoice.date)
        self.env["account.move"].flush_model(
            ["ref", "commercial_partner_id", "invoice_date", "move_type", "state"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM account_move
             WHERE company_id = %s
               AND id != %s
               AND commercial_partner_id IN %s
               AND move_type = %s
               AND %s = %s
               AND COALESCE(invoice_date, date) BETWEEN %s AND %s
             ORDER BY id LIMIT 1
        """,
                company.id,
                move.id,
                tuple(partner_ids),
                move_type,
                SQL(REF_NUMBER_SQL),
                bill_number(invoice.number),
                date_from,
                date_to,
            )
        )
        found = [row[0] for row in self.env.cr.fetchall()]
        decided = batch.duplicates.find(
            move.id, partner_ids, move_type, invoice.number, date_from, date_to
        )
        if decided:
            found.append(decided)
        return self.env["account.move"].browse(min(found)) if found else None

    def _find_pending_duplicate(self, move, invoice, move_type, batch):
        """Another received document (pending or not recognized draft) of
        the same supplier with the number of ``invoice`` in its fiscal year,
        or None.  Not the bill itself; not the documents this registration
        decides after ``move`` (the first of two registered together is
        registered, the second is then the duplicate of a bill) nor those it
        decided to register."""
        date_from, date_to = self._fiscal_year(batch.company, invoice.date)
        self.env["account.move"].flush_model(
            ["ref", "invoice_date", "move_type", "state", "l10n_it_autoreg_state"]
        )
        self.env.cr.execute(
            """
            SELECT id FROM account_move
             WHERE company_id = %s
               AND id != %s
               AND state = 'draft'
               AND l10n_it_autoreg_state IN ('pending', 'unrecognized')
               AND move_type = %s
               AND upper(regexp_replace(ref, %s, '', 'g')) = %s
               AND COALESCE(invoice_date, date) BETWEEN %s AND %s
             ORDER BY id
        """,
            [
                batch.company.id,
                move.id,
                move_type,
                "[\\s\u200b\u200c\u200d\ufeff\u00ad]+",
                bill_number(invoice.number),
                date_from,
                date_to,
            ],
        )
        for (other_id,) in self.env.cr.fetchall():
            decided_later = other_id in batch.later or batch.order.get(
                other_id, -1
            ) > batch.order.get(move.id, -1)
            if decided_later or other_id in batch.duplicates:
                continue
            other = self.env["account.move"].browse(other_id)
            received = self._received_invoice(other)
            if received is not None and same_seller(invoice.seller, received.seller):
                return other
        return None

    def _received_invoice(self, move):
        """The document of the received bill ``move`` as the reader reads
        it, or None (no file, unreadable)."""
        attachment = move.l10n_it_autoreg_attachment_id
        if not attachment:
            return None
        result = self.env["account.move"]._l10n_it_autoreg_read(
            attachment.raw or b"", attachment.name
        )
        index = move.l10n_it_autoreg_body_index or 0
        if not result.ok or index >= len(result.invoices):
            return None
        return result.invoices[index]
