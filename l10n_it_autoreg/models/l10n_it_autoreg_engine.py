"""The registration engine: from a received e-invoice (the reader's
dataclasses) to a posted vendor bill, or a precise reason.

Decide (supplier, document type, currency, taxes, accounts, lines), build
the bill, verify it against the document's own figures, post.  A wrong posted
bill is worse than a bill left pending: every doubt is a reason code.
"""
import dataclasses
import logging
import re
import traceback
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round, html_escape

from odoo.addons.l10n_it_autoreg.fatturapa.model import Withholding as _Withholding
from odoo.addons.l10n_it_autoreg.models.account_move import is_placeholder_vat

_logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0")
BATCH_SIZE = 200
HISTORY_DAYS = 730

SELF_INVOICE_TYPES = frozenset(
    ["TD16", "TD17", "TD18", "TD19", "TD20", "TD21", "TD22", "TD23",
     "TD26", "TD27", "TD28", "TD29"])
INVOICE_TYPES = frozenset(
    ["TD01", "TD02", "TD03", "TD05", "TD06", "TD07", "TD09", "TD24", "TD25"])
REFUND_TYPES = frozenset(["TD04", "TD08"])
# Reverse charge natures (the buyer integrates the VAT).
REVERSE_CHARGE_PREFIX = "N6"

# Every reason code of the engine (and of the reader, for unreadable files).
REASON_CODES = (
    # file
    "unreadable", "not_an_invoice", "bad_envelope", "too_large", "hostile_xml",
    "no_body", "missing_field", "bad_value", "file_missing",
    # document
    "not_for_company", "own_invoice", "self_invoice", "document_type_unknown",
    # supplier
    "supplier_ambiguous", "supplier_not_found", "supplier_invalid",
    # data
    "currency_not_found", "currency_inactive", "currency_rate_missing", "tax_not_found",
    "withholding_not_configured", "pension_fund_not_configured", "account_not_found",
    # verification
    "totals_mismatch", "payment_schedule_mismatch", "duplicate",
    # posting
    "posting_refused", "internal_error",
)


def D(value):
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def r2(value):
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value):
    return "%s" % r2(value)


def norm_vat(vat):
    """IT01234567890 from 'it 012 345 67890', '01234567890' (Italian)."""
    if not vat:
        return None
    code = re.sub(r"[^A-Za-z0-9]", "", vat).upper()
    if re.fullmatch(r"\d{11}", code):
        code = "IT" + code
    return code or None


def norm_cf(cf):
    if not cf:
        return None
    code = re.sub(r"[^A-Za-z0-9]", "", cf).upper()
    if re.fullmatch(r"IT\d{11}", code):
        code = code[2:]
    return code or None


class Refusal(Exception):
    """A document that must stay pending: ``code`` + text parameters."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class _BillLabel:
    """A bill's name read when the reason text is written."""

    def __init__(self, move):
        self.move = move

    def __str__(self):
        return "%s" % (self.move.display_name or self.move.ref)


class L10nItAutoregEngine(models.AbstractModel):
    _name = "l10n_it_autoreg.engine"
    _description = "E-invoice registration engine"

    # ------------------------------------------------------------------
    # Reasons
    # ------------------------------------------------------------------
    def _reason_texts(self):
        _ = self.env._
        return {
            "unreadable": _("The file cannot be read as an e-invoice (%(detail)s). Ask the "
                            "supplier to send it again through the SdI, then register the "
                            "bill by hand."),
            "not_an_invoice": _("The file is not an invoice (%(detail)s): it may be an SdI "
                                "notification or metadata. Delete this bill if so."),
            "bad_envelope": _("The signed file (.p7m) is damaged (%(detail)s). Download it again "
                              "from the SdI or ask the supplier for a copy."),
            "too_large": _("The file is too large to be read (%(detail)s)."),
            "hostile_xml": _("The file was refused for safety (%(detail)s): check where it "
                             "comes from."),
            "no_body": _("The file holds no invoice (%(detail)s)."),
            "missing_field": _("A mandatory field is missing from the e-invoice (%(detail)s). "
                               "Register the bill by hand from the attached file."),
            "bad_value": _("A field of the e-invoice cannot be read (%(detail)s). Register the "
                           "bill by hand from the attached file."),
            "file_missing": _("The received file is no longer attached to this bill: attach "
                              "the e-invoice again or register the bill by hand."),
            "not_for_company": _("The e-invoice is addressed to %(buyer)s, not to this company "
                                 "(%(company)s). Check the company's VAT number and fiscal "
                                 "code, or move the document to the right company."),
            "own_invoice": _("The e-invoice was issued by this company (seller %(seller)s): it "
                             "is not a supplier bill. Import it as a customer invoice."),
            "self_invoice": _("Document %(type)s is a self-invoice or integration, never "
                              "registered as a supplier bill: record it in the VAT registers "
                              "as an integration%(linked)s."),
            "self_invoice_by_buyer": _(
                "Document %(type)s was issued by this company for the supplier "
                "(SoggettoEmittente CC): it is never registered automatically. If it is the "
                "supplier's invoice issued on its behalf (e.g. an agricultural producer, art. 34), "
                "register it by hand as a supplier bill; if it is a self-invoice (reverse "
                "charge), record it in the VAT registers as an integration."),
            "document_type_unknown": _("Unknown document type %(type)s: register the bill by "
                                       "hand."),
            "supplier_ambiguous": _("Several contacts match the supplier %(seller)s: %(partners)s. "
                                    "Merge or archive the duplicates, or set the right fiscal "
                                    "code on one of them, then register again."),
            "supplier_not_found": _("No contact has the supplier's VAT number or fiscal code "
                                    "(%(seller)s) and creating suppliers is switched off: create "
                                    "the contact, then register again."),
            "supplier_invalid": _("The supplier cannot be identified or created (%(detail)s): "
                                  "create the contact by hand, then register again."),
            "currency_not_found": _("The currency %(currency)s of the e-invoice does not exist in "
                                    "Odoo: register the bill by hand."),
            "currency_inactive": _("The currency %(currency)s of the e-invoice is not active: "
                                   "activate it (Accounting > Configuration > Currencies), then "
                                   "register again."),
            "currency_rate_missing": _("The currency %(currency)s of the e-invoice has no "
                                       "exchange rate on or before %(date)s: add the rate "
                                       "(Accounting > Configuration > Currencies), then register "
                                       "again."),
            "tax_not_found": _("No purchase tax matches VAT %(rate)s%% %(nature)s: create or "
                               "activate a purchase tax with this rate%(hint)s, then register "
                               "again."),
            "withholding_not_configured": _("No purchase withholding tax matches %(detail)s: "
                                            "create it (type, reason and rate as in the "
                                            "e-invoice), then register again."),
            "pension_fund_not_configured": _("No purchase pension fund tax matches %(detail)s: "
                                             "create it (fund type and rate as in the "
                                             "e-invoice), then register again."),
            "account_not_found": _("No expense account found for line '%(line)s': set an "
                                   "account on the supplier (E-invoice expense account) or a "
                                   "default expense account in Settings, then register again."),
            "totals_mismatch": _("The bill would not equal the e-invoice: %(detail)s. Check the "
                                 "e-invoice (it may be inconsistent) and register the bill by "
                                 "hand."),
            "payment_schedule_mismatch": _("The e-invoice installments total %(installments)s "
                                           "but the amount due is %(due)s: register the bill "
                                           "by hand and set the due dates."),
            "duplicate": _("Bill %(other)s of the same supplier already has number "
                           "%(number)s in %(year)s: this is a duplicate. Delete this one, or "
                           "correct the other bill if it is wrong."),
            "posting_refused": _("Odoo refused to post the bill: %(detail)s"),
            "internal_error": _("Unexpected error while registering: %(detail)s. Register the "
                                "bill by hand and report the problem."),
        }

    def _reason_text(self, code, text=None, **params):
        """The reason of ``code`` (or of its variant ``text``) with ``params``."""
        texts = self._reason_texts()
        template = texts.get(text or code) or texts["internal_error"]

        class _Params(dict):
            def __missing__(self, key):
                return ""
        try:
            return template % _Params(params)
        except (TypeError, ValueError, KeyError):
            return template

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    def register(self, moves, trigger="manual"):
        """Register the pending / not recognized bills among ``moves``;
        returns the ``l10n_it_autoreg.run``."""
        # default_* keys of the caller (list views, mail alias) must not leak
        # into the records the engine creates (partners, bank accounts...).
        clean = {k: v for k, v in self.env.context.items() if not k.startswith("default_")}
        self = self.with_context(clean)  # noqa: PLW0642
        moves = moves.with_context(clean)
        moves = moves.filtered(
            lambda m: m.l10n_it_autoreg_state in ("pending", "unrecognized")
            and m.state == "draft")
        Run = self.env["l10n_it_autoreg.run"].sudo()
        company = moves.company_id[:1] or self.env.company
        # A run managed by the caller (the run model's cron / action) is
        # filled, not closed; otherwise the engine makes and closes its own.
        run = Run.browse(self.env.context.get("l10n_it_autoreg_run_id")).exists()
        own_run = not run
        if own_run:
            run_vals = {"company_id": company.id}
            if trigger and "trigger" in Run._fields:
                run_vals["trigger"] = trigger
            run = Run.create(run_vals)
        recognized = self.env["account.move"]
        unrecognized = self.env["account.move"]
        try:
            for move_company in moves.company_id:
                company_moves = moves.filtered(lambda m: m.company_id == move_company)
                ids = company_moves.ids
                for start in range(0, len(ids), BATCH_SIZE):
                    batch = self._lock(ids[start:start + BATCH_SIZE])
                    if not batch:
                        continue
                    # Reasons and traces are stored text: write them in the
                    # company's language, not in the language of whoever runs
                    # the registration (OdooBot for the scheduled action).
                    lang = move_company.partner_id.lang or self.env.lang
                    done, failed = self.with_context(lang=lang)._register_batch(
                        self.env["account.move"].with_company(move_company)
                        .with_context(lang=lang).browse(batch))
                    recognized |= done
                    unrecognized |= failed
            vals = {
                "recognized_move_ids": [Command.link(m.id) for m in recognized],
                "unrecognized_move_ids": [Command.link(m.id) for m in unrecognized],
            }
            if own_run:
                vals.update(date_end=fields.Datetime.now(), state="done")
            run.write(vals)
        except Exception:
            _logger.exception("l10n_it_autoreg: run %s failed", run.id)
            if own_run:
                run.write({"date_end": fields.Datetime.now(), "state": "failed"})
            raise
        return run

    def _lock(self, ids):
        """Take the documents: rows another run holds are skipped."""
        self.env["account.move"].flush_model(["l10n_it_autoreg_state", "state"])
        self.env.cr.execute("""
            SELECT id FROM account_move
             WHERE id IN %s
               AND l10n_it_autoreg_state IN ('pending', 'unrecognized')
               AND state = 'draft'
             ORDER BY id
               FOR UPDATE SKIP LOCKED
        """, [tuple(ids)])
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # One batch
    # ------------------------------------------------------------------
    def _register_batch(self, moves):
        company = moves.company_id
        Move = self.env["account.move"]
        done, failed = Move, Move
        failures = {}

        # 1. read the files once per attachment
        invoices = {}
        results = {}
        for move in moves:
            attachment = move.l10n_it_autoreg_attachment_id
            if not attachment:
                failures[move] = Refusal("file_missing")
                continue
            if attachment.id not in results:
                results[attachment.id] = Move._l10n_it_autoreg_read(
                    attachment.raw or b"", attachment.name)
            result = results[attachment.id]
            if not result.ok:
                failures[move] = Refusal(result.error_code or "unreadable",
                                         detail=result.error_detail or result.error_message or "")
                continue
            index = move.l10n_it_autoreg_body_index or 0
            if index >= len(result.invoices):
                failures[move] = Refusal("no_body", detail="body %s" % (index + 1))
                continue
            invoices[move] = result.invoices[index]

        # 2. prefetch what the decisions need (bounded queries per batch)
        ctx = self._prefetch(company, invoices)

        # 3. decide, build, verify, post: one document after the other, as
        # if each had its own savepoint (see _register_fast)
        todo = [move for move in moves if move not in failures]
        if self._fast_possible(todo, invoices):
            outcomes = self._register_fast(todo, invoices, ctx)
        else:
            outcomes = ((move, self._register_slow(move, invoices[move], ctx)) for move in todo)
        for move, outcome in outcomes:
            if isinstance(outcome, Refusal):
                failures[move] = outcome
            else:
                done |= move

        for move, refusal in failures.items():
            text = self._reason_text(refusal.code, **refusal.params)
            move.with_context(skip_invoice_sync=True).write({
                "l10n_it_autoreg_state": "unrecognized",
                "l10n_it_autoreg_reason_code": refusal.code,
                "l10n_it_autoreg_reason": text,
            })
            failed |= move
        return done, failed

    def _register_slow(self, move, invoice, ctx, log=True):
        """One document in its own savepoint: the trace note (logged on the
        bill) or the Refusal."""
        try:
            with self.env.cr.savepoint():
                trace = self._register_one(move, invoice, ctx)
        except Exception as error:  # noqa: BLE001 - one document never stops the others
            self._forget_rolled_back(ctx)
            return self._as_refusal(move, error)
        ctx["registered"].append((move, invoice))
        if log:
            # a log note: no followers' notification per bill (volume)
            move.with_context(skip_invoice_sync=True)._message_log(body=trace)
        return trace

    @staticmethod
    def _as_refusal(move, error):
        if isinstance(error, Refusal):
            return error
        if isinstance(error, (UserError, ValidationError)):
            return Refusal("posting_refused", detail=str(error.args[0] if error.args else error))
        _logger.error("l10n_it_autoreg: internal error on move %s", move.id,
                      exc_info=(type(error), error, error.__traceback__))
        return Refusal("internal_error", detail="%s: %s" % (type(error).__name__, error))

    # Documents written together: the bill lines of a chunk are created by one
    # ORM call (Odoo computes the tax and payable lines of all its bills at
    # once); the rest stays document by document, in the same order.
    FAST_CHUNK = 25

    def _fast_possible(self, moves, invoices):
        """Batched writing gives the same bills as document by document
        writing unless a bill already has lines (filled by hand or from the
        e-invoice) or a self-invoice looks for the bill it integrates (among
        bills of this batch possibly)."""
        if len(moves) < 2:
            return False
        if any(move.line_ids for move in moves):
            return False
        return not any(
            (invoices[move].document_type or "").upper() in SELF_INVOICE_TYPES
            and any(d.kind == "invoice" and d.number for d in invoices[move].linked_documents)
            for move in moves)

    def _register_fast(self, moves, invoices, ctx):
        """[(move, trace or Refusal)] in the order of ``moves``, equal to
        _register_slow on each document in turn.  A chunk of documents is
        decided one by one (each in its savepoint), written together,
        verified and posted one by one; when one of them fails after being
        written, the chunk is rolled back and done again: the documents
        before it together, that one alone (_register_slow), the rest in the
        next chunk."""
        outcomes = []
        pos = 0
        while pos < len(moves):
            chunk = moves[pos:pos + self.FAST_CHUNK]
            result, failed_at = self._try_fast(chunk, invoices, ctx)
            if failed_at is None:
                outcomes.extend(result)
                pos += len(chunk)
                continue
            if failed_at:
                result, again = self._try_fast(chunk[:failed_at], invoices, ctx)
                if again is not None:  # not expected: the old way
                    result = [(m, self._register_slow(m, invoices[m], ctx, log=False))
                              for m in chunk[:failed_at]]
                outcomes.extend(result)
            move = chunk[failed_at]
            outcomes.append((move, self._register_slow(move, invoices[move], ctx, log=False)))
            pos += failed_at + 1
        for move, outcome in outcomes:
            if not isinstance(outcome, Refusal):
                # a log note: no followers' notification per bill (volume)
                move.with_context(skip_invoice_sync=True)._message_log(body=outcome)
        return outcomes

    def _try_fast(self, chunk, invoices, ctx):
        """(outcomes, None), or (None, index of the document that failed
        once written: everything of the chunk rolled back)."""
        saved = {"registered": list(ctx["registered"]),
                 "created_partners": dict(ctx["created_partners"]),
                 "partners": ctx["partners"]}
        outcomes, plans = [], []
        failed_at = 0
        try:
            with self.env.cr.savepoint():
                ctx["planned"] = []
                for move in chunk:
                    invoice = invoices[move]
                    try:
                        with self.env.cr.savepoint():
                            plan = self._prepare_one(move, invoice, ctx)
                    except Exception as error:  # noqa: BLE001
                        self._forget_rolled_back(ctx)
                        outcomes.append([move, self._as_refusal(move, error)])
                        continue
                    plans.append(plan)
                    outcomes.append([move, plan])
                    ctx["registered"].append((move, invoice))
                    ctx["planned"].append({
                        "id": move.id, "partner_id": plan["partner"].commercial_partner_id.id,
                        "move_type": plan["move_type"], "ref": plan["vals"]["ref"] or None,
                        "date": plan["vals"]["invoice_date"]})
                ctx["planned"] = []
                index = {move: i for i, move in enumerate(chunk)}
                failed_at = index[plans[0]["move"]] if plans else 0
                for plan in plans:
                    self._write_header(plan)
                self._write_lines(plans)
                for plan in plans:
                    self._write_date(plan)
                for plan in plans:
                    failed_at = index[plan["move"]]
                    self._complete_one(plan, ctx)
                for group in self._post_groups(plans):
                    failed_at = index[group[0]["move"]]
                    moves = self.env["account.move"].browse([p["move"].id for p in group])
                    self._post_one(group[0], moves.with_env(group[0]["move"].env))
                    for plan in group:
                        outcomes[index[plan["move"]]][1] = self._trace_body(plan)
        except Exception:  # noqa: BLE001 - rolled back, done again in smaller parts
            _logger.debug("l10n_it_autoreg: chunk rolled back at document %s", failed_at,
                          exc_info=True)
            ctx.update(saved)
            ctx["planned"] = []
            return None, failed_at
        return [tuple(o) for o in outcomes], None

    def _forget_rolled_back(self, ctx):
        """Suppliers created inside a rolled back savepoint no longer exist."""
        ctx["created_partners"] = {key: partner for key, partner in ctx["created_partners"].items()
                                   if partner.exists()}
        ctx["partners"] = ctx["partners"].exists()

    # ------------------------------------------------------------------
    # Prefetch
    # ------------------------------------------------------------------
    def _prefetch(self, company, invoices):
        ctx = {
            "company": company,
            "registered": [],
            "created_partners": {},
        }
        ctx["partners"] = self._prefetch_partners(company, invoices.values())
        ctx["taxes"] = self._prefetch_taxes(company)
        ctx["currencies"] = {
            c.name: c for c in self.env["res.currency"].with_context(active_test=False).search(
                [("name", "in", list({inv.currency for inv in invoices.values() if inv.currency}))])
        }
        ctx["journal"] = self.env["account.move"]._l10n_it_autoreg_purchase_journal(company)
        ctx["price_digits"] = self.env["decimal.precision"].precision_get("Product Price")
        ctx["accounting"] = self._prefetch_accounting(company, ctx["partners"], invoices.values())
        return ctx

    def _prefetch_partners(self, company, invoices):
        vats, cfs = set(), set()
        for invoice in invoices:
            vat = norm_vat(invoice.seller.vat)
            if vat:
                vats.update({vat, vat[2:]})
            cf = norm_cf(invoice.seller.fiscal_code)
            if cf:
                cfs.update({cf, "IT" + cf})
        if not vats and not cfs:
            return self.env["res.partner"]
        Partner = self.env["res.partner"]
        domain = []
        if vats:
            domain = [("vat", "in", list(vats))]
        if cfs:
            domain = (["|"] + domain if domain else []) + [("l10n_it_codice_fiscale", "in", list(cfs))]
        return Partner.search(domain + Partner._check_company_domain(company)).commercial_partner_id

    def _prefetch_taxes(self, company):
        Tax = self.env["account.tax"].with_context(active_test=False)
        taxes = Tax.search([
            *Tax._check_company_domain(company),
            ("type_tax_use", "=", "purchase"),
            ("amount_type", "=", "percent"),
        ], order="active desc, sequence, id")
        taxes.invoice_repartition_line_ids.tag_ids  # prefetch
        rc_tags = self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping()
        info = []
        for tax in taxes:
            rep = tax.invoice_repartition_line_ids
            negative = any(line.factor_percent < 0 for line in rep if line.repartition_type == "tax")
            base_tags = {tag.name.lstrip("+-").upper() for line in rep
                         if line.repartition_type == "base" for tag in line.tag_ids}
            info.append({
                "tax": tax,
                "amount": r2(tax.amount),
                "active": tax.active,
                "nature": tax.l10n_it_exempt_reason or None,
                "withholding_type": tax.l10n_it_withholding_type or None,
                "withholding_reason": tax.l10n_it_withholding_reason or None,
                "pension_type": tax.l10n_it_pension_fund_type or None,
                "negative": negative,
                "rc_tags": base_tags & set(rc_tags.values()) | {t for t in base_tags if t.startswith("VJ")},
                "price_include": tax.price_include,
            })
        return info

    # ------------------------------------------------------------------
    # Decisions (testable, no side effect except supplier creation)
    # ------------------------------------------------------------------
    @api.model
    def _decide_move_type(self, invoice):
        """(move_type, sign): sign -1 when the document's amounts must be
        negated to give the bill's positive amounts.  (None, 0) when the
        document is not a supplier bill at all."""
        doc_type = (invoice.document_type or "").upper()
        total = invoice.amount_total if invoice.total is None else invoice.total
        negative = total is not None and D(total) < 0
        if doc_type in SELF_INVOICE_TYPES:
            return None, 0
        if doc_type in REFUND_TYPES:
            return "in_refund", -1 if negative else 1
        if doc_type in INVOICE_TYPES:
            return ("in_refund", -1) if negative else ("in_invoice", 1)
        return None, 0

    def _check_addressee(self, invoice, company):
        company_vat = norm_vat(company.vat)
        company_cf = norm_cf(company.l10n_it_codice_fiscale) if "l10n_it_codice_fiscale" in company._fields else None
        seller_vat, seller_cf = norm_vat(invoice.seller.vat), norm_cf(invoice.seller.fiscal_code)
        buyer_vat, buyer_cf = norm_vat(invoice.buyer.vat), norm_cf(invoice.buyer.fiscal_code)
        # An 11-digit fiscal code and an Italian VAT number come from the same
        # register: a party written with only CodiceFiscale = our VAT digits
        # is this company even when its fiscal code is not set in Settings.
        company_ids = {company_cf} | (
            {company_vat[2:]} if company_vat and company_vat.startswith("IT") else set())
        company_ids.discard(None)
        for_company = bool((company_vat and buyer_vat == company_vat) or (
            buyer_cf and buyer_cf in company_ids))
        from_company = bool((company_vat and seller_vat == company_vat) or (
            seller_cf and seller_cf in company_ids))
        if from_company:
            raise Refusal("own_invoice", seller=self._party_label(invoice.seller))
        if not for_company:
            raise Refusal("not_for_company", buyer=self._party_label(invoice.buyer),
                          company="%s %s" % (company.name, company.vat or company_cf or ""))

    @staticmethod
    def _party_label(party):
        ids = " / ".join(x for x in (party.vat, party.fiscal_code) if x)
        name = party.display_name or ""
        return ("%s (%s)" % (name, ids)) if ids else (name or "?")

    def _decide_supplier(self, invoice, ctx):
        """(partner, rule text); creates the supplier when allowed."""
        seller = invoice.seller
        vat, cf = norm_vat(seller.vat), norm_cf(seller.fiscal_code)
        label = self._party_label(seller)
        partners = ctx["partners"]
        if vat and is_placeholder_vat(vat):
            # 99999999999 & co. (foreign party without VAT number): shared by
            # many suppliers, it is matched together with the exact name
            name = (seller.display_name or "").strip().casefold()
            same = partners.filtered(lambda p: norm_vat(p.vat) == vat and (
                p.name or "").strip().casefold() == name)
            if len(same) > 1:
                raise Refusal("supplier_ambiguous", seller=label,
                              partners=", ".join(p.display_name for p in same))
            if same:
                return same, self.env._("VAT number %(vat)s and name %(name)s", vat=vat,
                                        name=seller.display_name)
            if not name:
                raise Refusal("supplier_invalid", detail=self.env._(
                    "placeholder VAT number %s and no name", vat))
            cf = cf or None
            key = (vat, cf, name)
            if key in ctx["created_partners"]:
                return ctx["created_partners"][key], self.env._("created from this e-invoice")
            if not ctx["company"].l10n_it_autoreg_create_partner:
                raise Refusal("supplier_not_found", seller=label)
            partner = self._create_supplier(seller, ctx["company"])
            ctx["created_partners"][key] = partner
            ctx["partners"] |= partner
            return partner, self.env._("created from the e-invoice (VAT %(vat)s, fiscal code "
                                       "%(cf)s)", vat=vat, cf=cf or "-")
        if vat:
            by_vat = partners.filtered(lambda p: norm_vat(p.vat) == vat)
            if len(by_vat) == 1 and (not cf or not by_vat.l10n_it_codice_fiscale
                                     or norm_cf(by_vat.l10n_it_codice_fiscale) in (cf, vat[2:])):
                return by_vat, self.env._("VAT number %s", vat)
            if len(by_vat) > 1 or by_vat:
                exact = by_vat.filtered(lambda p: cf and norm_cf(p.l10n_it_codice_fiscale) == cf)
                if len(exact) == 1:
                    return exact, self.env._("VAT number %(vat)s and fiscal code %(cf)s",
                                             vat=vat, cf=cf)
                blank = by_vat.filtered(lambda p: not p.l10n_it_codice_fiscale)
                if not exact and len(blank) == 1 and len(by_vat) > 1 and not cf:
                    return blank, self.env._("VAT number %s", vat)
                if exact or blank or not cf:
                    raise Refusal("supplier_ambiguous", seller=label,
                                  partners=", ".join(p.display_name for p in (exact or by_vat)))
                # same VAT, other fiscal codes: another member of a VAT group
        elif cf:
            by_cf = partners.filtered(lambda p: norm_cf(p.l10n_it_codice_fiscale) == cf)
            if len(by_cf) == 1:
                return by_cf, self.env._("fiscal code %s", cf)
            if len(by_cf) > 1:
                raise Refusal("supplier_ambiguous", seller=label,
                              partners=", ".join(p.display_name for p in by_cf))
        else:
            raise Refusal("supplier_invalid", detail=self.env._(
                "the e-invoice gives neither VAT number nor fiscal code"))
        key = (vat, cf)
        if key in ctx["created_partners"]:
            return ctx["created_partners"][key], self.env._("created from this e-invoice")
        company = ctx["company"]
        if not company.l10n_it_autoreg_create_partner:
            raise Refusal("supplier_not_found", seller=label)
        partner = self._create_supplier(seller, company)
        ctx["created_partners"][key] = partner
        ctx["partners"] |= partner
        return partner, self.env._("created from the e-invoice (VAT %(vat)s, fiscal code %(cf)s)",
                                   vat=vat or "-", cf=cf or "-")

    def _create_supplier(self, seller, company):
        address = seller.address
        country_code = (address.country if address and address.country else None) or seller.vat_country
        country = self.env["res.country"].search([("code", "=", (country_code or "IT").upper())], limit=1)
        state = self.env["res.country.state"]
        if address and address.province and country:
            state = state.search([("country_id", "=", country.id),
                                  ("code", "=", address.province.upper())], limit=1)
        name = seller.display_name
        if not name:
            raise Refusal("supplier_invalid", detail=self.env._("the supplier has no name"))
        vals = {
            "name": name,
            "is_company": bool(seller.name),
            "vat": norm_vat(seller.vat) if (seller.vat_country or "IT").upper() == "IT" else seller.vat,
            "l10n_it_codice_fiscale": self._valid_cf(seller.fiscal_code),
            "street": " ".join(x for x in ((address.street if address else None),
                                           (address.number if address else None)) if x) or False,
            "zip": address.zip if address else False,
            "city": address.city if address else False,
            "state_id": state.id or False,
            "country_id": country.id or False,
            "email": seller.email or False,
            "phone": seller.phone or False,
            "supplier_rank": 1,
        }
        try:
            with self.env.cr.savepoint():
                return self.env["res.partner"].create(vals)
        except (ValidationError, UserError):
            pass
        try:
            with self.env.cr.savepoint():
                # the VAT number does not pass Odoo's check: keep it as written
                return self.env["res.partner"].with_context(no_vat_validation=True).create(vals)
        except (ValidationError, UserError) as error:
            raise Refusal("supplier_invalid", detail=str(error.args[0] if error.args else error)) from None

    @staticmethod
    def _valid_cf(fiscal_code):
        """The fiscal code when Odoo (l10n_it_edi) accepts it, else False:
        a supplier is never refused for a malformed fiscal code."""
        from stdnum.it import codicefiscale, iva
        code = norm_cf(fiscal_code)
        if code and (codicefiscale.is_valid(code) or iva.is_valid(code)):
            return code
        return False

    def _decide_currency(self, invoice, ctx):
        code = (invoice.currency or "EUR").upper()
        currency = ctx["currencies"].get(code)
        if not currency:
            raise Refusal("currency_not_found", currency=code)
        if not currency.active:
            raise Refusal("currency_inactive", currency=code)
        company = ctx["company"]
        if currency != company.currency_id and invoice.date:
            # Odoo converts at 1.0 when a currency has no rate: the bill would
            # be right in its currency and wrong in the company's books
            Rate = self.env["res.currency.rate"].sudo()
            if not Rate.search_count([("currency_id", "=", currency.id),
                                      ("name", "<=", invoice.date),
                                      ("company_id", "in", [company.root_id.id, False])],
                                     limit=1):
                raise Refusal("currency_rate_missing", currency=code, date=invoice.date)
        return currency

    def _vat_taxes(self, ctx):
        return [t for t in ctx["taxes"] if not t["withholding_type"] and not t["pension_type"]
                and t["amount"] >= 0 and not t["price_include"]]

    def _pick(self, candidates, company):
        """Active taxes first (then archived ones of the chart), the
        company's default purchase tax first among equals."""
        if not candidates:
            return None
        default = company.account_purchase_tax_id
        candidates = sorted(candidates, key=lambda t: (not t["active"], t["tax"] != default))
        return candidates[0]

    def _decide_vat_tax(self, rate, nature, due, ctx):
        """The purchase tax for a VAT summary key (rate, Natura,
        EsigibilitaIVA) -> (tax, kind) with kind normal / reverse_charge /
        split_payment / exempt."""
        company = ctx["company"]
        rate = r2(rate)
        nature = (nature or "").upper() or None
        taxes = self._vat_taxes(ctx)
        if nature and nature.startswith(REVERSE_CHARGE_PREFIX):
            tag = self.env["account.move"]._l10n_it_edi_exempt_reason_tag_mapping().get(nature)
            rc = [t for t in taxes if t["negative"] and t["amount"] > 0 and (
                t["nature"] == nature or (tag and tag in t["rc_tags"]))]
            # the buyer integrates VAT at the standard rate unless only
            # another rate is configured for this nature
            standard = [t for t in rc if t["amount"] == Decimal("22.00")]
            chosen = self._pick(standard or rc, company)
            if not chosen:
                raise Refusal("tax_not_found", rate=fmt(rate), nature=nature, hint=self.env._(
                    " (a reverse charge purchase tax with exoneration %s or its VAT report grid)",
                    nature))
            return chosen["tax"], "reverse_charge"
        if nature:
            exact = [t for t in taxes if t["amount"] == rate and not t["negative"]
                     and t["nature"] == nature]
            if not exact and "." not in nature:  # generic N2 / N3 of old files
                family = [t for t in taxes if t["amount"] == rate and not t["negative"]
                          and (t["nature"] or "").startswith(nature + ".")]
                if len({t["nature"] for t in family}) == 1:
                    exact = family
            chosen = self._pick(exact, company)
            if not chosen:
                raise Refusal("tax_not_found", rate=fmt(rate), nature=nature, hint=self.env._(
                    " and exoneration %s", nature))
            return chosen["tax"], "exempt"
        if due == "S":
            split = [t for t in taxes if t["amount"] == rate and t["negative"] and not t["rc_tags"]
                     and not t["nature"]]
            chosen = self._pick(split, company)
            if not chosen:
                raise Refusal("tax_not_found", rate=fmt(rate), nature=self.env._("split payment"),
                              hint=self.env._(" for split payment (VAT paid to the Treasury: a "
                                              "+%s%% / -%s%% purchase tax)", fmt(rate), fmt(rate)))
            return chosen["tax"], "split_payment"
        if not rate:
            raise Refusal("tax_not_found", rate=fmt(rate), nature=self.env._("without Natura"),
                          hint="")
        normal = [t for t in taxes if t["amount"] == rate and not t["negative"] and not t["nature"]]
        chosen = self._pick(normal, company)
        if not chosen:
            raise Refusal("tax_not_found", rate=fmt(rate), nature="", hint="")
        return chosen["tax"], "normal"

    def _enasarco_from_other_data(self, invoice):
        """ENASARCO written as Odoo (and older programs) write it: no RT04
        DatiRitenuta, each agent's line saying its contribution in
        AltriDatiGestionali (TipoDato CASSA-PREV, RiferimentoTesto naming
        ENASARCO or TC07, RiferimentoNumero the amount).  Read as the RT04
        withholding it is when those lines are the withholding lines (or
        the document has no other withholding) at one rate: (invoice, trace
        note).  ENASARCO stated in the lines any other way is refused: the
        bill would ask for the contribution the buyer keeps."""
        if any((w.type or "").upper() == "RT04" for w in invoice.withholdings):
            return invoice, None
        stated, marked = False, {}
        for index, line in enumerate(invoice.lines):
            for data in line.other_data:
                words = ("%s %s" % (data.type or "", data.text or "")).upper()
                if "ENASARCO" not in words and "TC07" not in words:
                    continue
                stated = True
                if (data.type or "").strip().upper() == "CASSA-PREV" and data.number is not None:
                    marked[index] = marked.get(index, ZERO) + D(data.number)
        if not stated:
            return invoice, None
        flagged = {i for i, line in enumerate(invoice.lines) if line.withholding}
        base = sum((D(invoice.lines[i].price_total) for i in marked), ZERO)
        amount = sum(marked.values(), ZERO)
        rate = r2(abs(amount * 100 / base)) if base and amount else ZERO
        sign = -1 if (amount < 0) != (base < 0) else 1
        # one contribution: on the withholding lines, every line at one rate
        if not rate or (invoice.withholdings and flagged != set(marked)) or any(
                abs(r2(D(invoice.lines[i].price_total) * rate * sign / 100) - value)
                > Decimal("0.01") for i, value in marked.items()):
            raise Refusal("totals_mismatch", detail=self.env._(
                "ENASARCO is stated in the lines' AltriDatiGestionali, not as one contribution "
                "of the withholding lines (no RT04 DatiRitenuta)"))
        lines = [dataclasses.replace(line, withholding=True) if i in marked else line
                 for i, line in enumerate(invoice.lines)]
        withholding = _Withholding(type="RT04", amount=abs(amount), rate=rate)
        invoice = dataclasses.replace(invoice, lines=lines,
                                      withholdings=[*invoice.withholdings, withholding])
        return invoice, self.env._(
            "ENASARCO %(rate)s%% (%(amount)s) from the lines' AltriDatiGestionali CASSA-PREV",
            rate=fmt(rate), amount=fmt(abs(amount)))

    def _total_net_of_withholding(self, invoice):
        """ImportoTotaleDocumento written net of the withholding (the amount
        to pay), exactly, with nothing else that could explain the gap
        (discount, rounding, bollo): the document's total is its summary's.
        (invoice, trace note)."""
        withheld = sum((D(w.amount) for w in invoice.withholdings), ZERO)
        if not withheld or invoice.total is None \
                or D(invoice.total) + withheld != invoice.amount_total \
                or invoice.discounts or invoice.rounding \
                or any(row.rounding for row in invoice.vat_summary) \
                or (invoice.stamp_duty and invoice.stamp_duty.amount):
            return invoice, None
        note = self.env._("ImportoTotaleDocumento %(total)s is written net of the withholding "
                          "%(withholding)s: document total %(gross)s",
                          total=fmt(invoice.total), withholding=fmt(withheld),
                          gross=fmt(invoice.amount_total))
        return dataclasses.replace(invoice, total=invoice.amount_total), note

    def _decide_withholding_taxes(self, invoice, ctx):
        """Withholding taxes of the document (DatiRitenuta)."""
        result = []
        for withholding in invoice.withholdings:
            rate = r2(withholding.rate)
            wtype = (withholding.type or "").upper()
            reason = (withholding.reason or "").upper() or None
            if wtype == "RT04":  # ENASARCO: core models it as the TC07 pension fund tax
                found = [t for t in ctx["taxes"] if t["pension_type"] == "TC07"
                         and t["amount"] == -rate]
            else:
                amounts = {-rate, -(rate / 2)} if reason == "ZO" or rate == Decimal("23.00") else {-rate}
                found = [t for t in ctx["taxes"] if t["withholding_type"] == wtype
                         and t["amount"] in amounts
                         and (not reason or t["withholding_reason"] == reason)]
            chosen = self._pick(found, ctx["company"])
            if not chosen:
                raise Refusal("withholding_not_configured", detail="%s %s%% %s" % (
                    wtype, fmt(rate), self.env._("reason %s", reason) if reason else ""))
            result.append((withholding, chosen["tax"]))
        return result

    def _decide_pension_taxes(self, invoice, ctx):
        result = []
        for fund in invoice.pension_funds:
            rate = r2(fund.rate)
            ftype = (fund.type or "").upper()
            found = [t for t in ctx["taxes"] if t["pension_type"] == ftype and t["amount"] == rate]
            chosen = self._pick(found, ctx["company"])
            if not chosen:
                raise Refusal("pension_fund_not_configured", detail="%s %s%%" % (ftype, fmt(rate)))
            result.append((fund, chosen["tax"]))
        return result

    # ------------------------------------------------------------------
    # Accounts
    # ------------------------------------------------------------------
    def _prefetch_accounting(self, company, partners, invoices):
        """Products by supplier code / barcode and this supplier's usual
        accounts (one query each)."""
        codes = {code.value for invoice in invoices for line in invoice.lines
                 for code in line.article_codes if code.value}
        supplierinfo, barcodes = {}, {}
        if codes and partners:
            for info in self.env["product.supplierinfo"].search([
                    ("partner_id", "in", partners.ids), ("product_code", "in", list(codes)),
                    *self.env["product.supplierinfo"]._check_company_domain(company)]):
                product = info.product_id or info.product_tmpl_id.product_variant_id
                if product:
                    supplierinfo.setdefault((info.partner_id.id, info.product_code), product)
        if codes:
            for product in self.env["product.product"].search([("barcode", "in", list(codes))]):
                barcodes.setdefault(product.barcode, product)
        history = defaultdict(Counter)
        if partners:
            self.env["account.move.line"].flush_model()
            self.env.cr.execute("""
                SELECT l.partner_id, l.account_id, rel.account_tax_id, COUNT(*)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
             LEFT JOIN account_move_line_account_tax_rel rel ON rel.account_move_line_id = l.id
                 WHERE l.partner_id IN %s
                   AND l.company_id = %s
                   AND l.display_type = 'product'
                   AND m.state = 'posted'
                   AND m.move_type IN ('in_invoice', 'in_refund')
                   AND m.date >= (CURRENT_DATE - %s)
              GROUP BY 1, 2, 3
            """, [tuple(partners.ids), company.id, HISTORY_DAYS])
            for partner_id, account_id, tax_id, count in self.env.cr.fetchall():
                history[(partner_id, tax_id)][account_id] += count
                history[(partner_id, None)][account_id] += count
        return {"supplierinfo": supplierinfo, "barcodes": barcodes, "history": history}

    def _match_product(self, line, partner, acc):
        for code in line.article_codes:
            product = acc["supplierinfo"].get((partner.id, code.value))
            if product:
                return product, self.env._("supplier product code %s", code.value)
        for code in line.article_codes:
            product = acc["barcodes"].get(code.value)
            if product:
                return product, self.env._("barcode %s", code.value)
        return None, None

    def _decide_account(self, partner, vat_tax, product, ctx, acc, description):
        """(account, rule): product -> supplier default -> this supplier's
        registered bills -> company default (Settings, else the purchase
        journal's default account)."""
        company = ctx["company"]
        if product:
            accounts = product.product_tmpl_id.with_company(company).get_product_accounts()
            if accounts.get("expense"):
                return accounts["expense"], self.env._("product %s", product.display_name)
        supplier_account = partner.with_company(company).l10n_it_autoreg_account_id
        if supplier_account:
            return supplier_account, self.env._("supplier's e-invoice account")
        counter = acc["history"].get((partner.id, vat_tax.id if vat_tax else None)) \
            or acc["history"].get((partner.id, None))
        if counter:
            account_id = counter.most_common(1)[0][0]
            account = self.env["account.account"].browse(account_id)
            if account.exists() and not account.deprecated:
                return account, self.env._("supplier's previous bills")
        if company.l10n_it_autoreg_default_account_id:
            return company.l10n_it_autoreg_default_account_id, self.env._("company default account")
        journal_account = ctx["journal"].default_account_id
        if journal_account:
            return journal_account, self.env._("purchase journal default account")
        raise Refusal("account_not_found", line=description)

    def _special_account(self, ctx, field, chart_code):
        company = ctx["company"]
        account = company[field] if field in company._fields else None
        if account:
            return account
        cache = ctx.setdefault("special_accounts", {})
        if chart_code not in cache:
            found = self.env["account.chart.template"].with_company(company).ref(
                chart_code, raise_if_not_found=False)
            if not found:
                found = self.env["account.account"].search([
                    *self.env["account.account"]._check_company_domain(company),
                    ("code", "=", chart_code)], limit=1)
            cache[chart_code] = found or ctx["journal"].default_account_id
        return cache[chart_code]

    # ------------------------------------------------------------------
    # Register one document
    # ------------------------------------------------------------------
    def _register_one(self, move, invoice, ctx):
        plan = self._prepare_one(move, invoice, ctx)
        self._write_header(plan, with_lines=True)
        self._write_date(plan)
        return self._finish_one(plan, ctx)

    def _prepare_one(self, move, invoice, ctx):
        """Every decision and the bill's values, nothing written on the bill
        (suppliers and bank accounts may be created): a plan for
        _write_header / _write_lines / _write_date / _finish_one."""
        company = ctx["company"]
        _ = self.env._
        trace = []
        doc_type = (invoice.document_type or "").upper()
        if doc_type in SELF_INVOICE_TYPES:
            linked = self._find_integrated_bill(invoice, company)
            raise Refusal("self_invoice", type=doc_type, linked=(
                _(" (it integrates bill %s)", linked.display_name) if linked else ""))
        if (invoice.issuer or "").upper() == "CC":
            # SoggettoEmittente CC: the buyer (this company) issued the
            # document for the supplier, as self-invoices were written before
            # TD16-TD29 (reverse charge, extra-EU services...).  The supplier's
            # own bill is registered apart: never post this one as a second.
            # (It may also be an agricultural producer's invoice the buyer
            # issues for it, art. 34: the advice says both.)
            raise Refusal("self_invoice", text="self_invoice_by_buyer", type=doc_type or "?")
        self._check_addressee(invoice, company)
        if doc_type in REFUND_TYPES and invoice.total and invoice.total == -invoice.amount_total:
            # credit note whose ImportoTotaleDocumento has the other sign than
            # its lines and summary (software writing it unsigned): the same
            # amount, the credit note's sign is the summary's
            invoice = dataclasses.replace(invoice, total=-invoice.total)
        for reading in (self._enasarco_from_other_data, self._total_net_of_withholding):
            invoice, note = reading(invoice)
            if note:
                trace.append(note)
        move_type, sign = self._decide_move_type(invoice)
        if not move_type:
            raise Refusal("document_type_unknown", type=doc_type or "?")
        sign = D(sign)
        partner, supplier_rule = self._decide_supplier(invoice, ctx)
        trace.append(_("Supplier: %(partner)s (%(rule)s)", partner=partner.display_name,
                       rule=supplier_rule))
        currency = self._decide_currency(invoice, ctx)

        # duplicate: same supplier + number + fiscal year, any state
        other = self._find_duplicate(move, partner, invoice, move_type, ctx)
        if other:
            label = other.display_name or other.ref
            if any(p["id"] == other.id for p in ctx.get("planned", ())):
                # a bill of this chunk, posted just after it is decided:
                # named as it will be then (when the reason is written)
                label = _BillLabel(other)
            raise Refusal("duplicate", other=label,
                          number=invoice.number, year=invoice.date.year)

        # taxes of every VAT summary key
        tolerance = r2(company.l10n_it_autoreg_tolerance or 0)
        keys = {}
        for row in invoice.vat_summary:
            key = (r2(row.vat_rate), (row.vat_nature or "").upper() or None)
            due = (row.due or "").upper() or None
            entry = keys.setdefault(key, {"taxable": ZERO, "tax": ZERO, "rounding": ZERO,
                                          "due": due})
            if (entry["due"] == "S") != (due == "S"):
                # one purchase tax cannot be split payment for part of the
                # rate only: the amount due would be wrong
                raise Refusal("totals_mismatch", detail=_(
                    "VAT %(rate)s%% is split payment (EsigibilitaIVA S) in one summary row "
                    "and not in another", rate=fmt(key[0])))
            entry["taxable"] += D(row.taxable)
            entry["tax"] += D(row.tax)
            entry["rounding"] += D(row.rounding)
            entry["expenses"] = entry.get("expenses", ZERO) + D(row.expenses)
        for line in invoice.lines:
            key = (r2(line.vat_rate or 0), (line.vat_nature or "").upper() or None)
            keys.setdefault(key, {"taxable": ZERO, "tax": ZERO, "rounding": ZERO, "due": None})
        for key, entry in keys.items():
            entry["tax_rec"], entry["kind"] = self._decide_vat_tax(key[0], key[1], entry["due"], ctx)
        withholdings = self._decide_withholding_taxes(invoice, ctx)
        pensions = self._decide_pension_taxes(invoice, ctx)
        tax_words = ", ".join("%s%%%s → %s" % (fmt(k[0]), " " + k[1] if k[1] else "",
                                               e["tax_rec"].name) for k, e in keys.items())
        trace.append(_("Taxes: %s", tax_words))
        for withholding, tax in withholdings:
            trace.append(_("Withholding %(type)s → %(tax)s", type=withholding.type, tax=tax.name))
        for fund, tax in pensions:
            trace.append(_("Pension fund %(type)s → %(tax)s", type=fund.type, tax=tax.name))

        # lines
        acc = ctx["accounting"]
        detail = partner.with_company(company).l10n_it_autoreg_detail_level \
            or company.l10n_it_autoreg_detail_level or "lines"
        line_vals, account_rules, built = self._build_lines(
            invoice, partner, keys, withholdings, pensions, sign, detail, ctx, acc)
        trace.append(_("Accounts: %s", ", ".join(sorted(account_rules))))

        # explain the gap between the VAT summary and the document total
        extra_vals, notes = self._explain_totals(invoice, keys, built, sign, tolerance, ctx,
                                                 line_vals)
        trace.extend(notes)

        # header
        date_mode = company.l10n_it_autoreg_date_mode or "document"
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": invoice.date,
            "ref": invoice.number,
            "invoice_line_ids": [Command.create(v) for v in line_vals + extra_vals],
        }
        if date_mode == "receipt" and move.l10n_it_autoreg_received_date:
            vals["date"] = fields.Date.context_today(move, move.l10n_it_autoreg_received_date)
        installments = [i for p in invoice.payments for i in p.installments]
        for installment in installments:
            if not installment.due_date and installment.term_days is not None:
                installment.due_date = fields.Date.add(
                    installment.reference_date or invoice.date, days=installment.term_days)
        payment_code = next((i.payment_code for i in installments if i.payment_code), None)
        if payment_code:
            vals["payment_reference"] = payment_code[:256]
        iban = next((i.iban for i in installments if i.iban), None)
        bank = self._decide_bank(partner, iban, company) if iban else None
        if bank:
            vals["partner_bank_id"] = bank.id
            trace.append(_("Bank account: %s", bank.acc_number))
        if installments and any(i.due_date for i in installments):
            vals["invoice_payment_term_id"] = False
            vals["invoice_date_due"] = max(i.due_date for i in installments if i.due_date)
        elif not partner.with_company(company).property_supplier_payment_term_id:
            # no due date in the document nor terms of the supplier: due on
            # the document's date (Odoo would keep the day of receipt)
            vals["invoice_date_due"] = invoice.date
        return {
            "move": move, "invoice": invoice, "move_type": move_type, "vals": vals,
            "line_vals": vals.pop("invoice_line_ids"), "trace": trace, "keys": keys,
            "withholdings": withholdings, "pensions": pensions, "sign": sign,
            "tolerance": tolerance, "installments": installments, "partner": partner,
        }

    @staticmethod
    def _bill_context(move):
        return move.with_context(l10n_it_autoreg_no_receive=True, skip_is_manually_modified=True)

    def _write_header(self, plan, with_lines=False):
        move_ctx = self._bill_context(plan["move"])
        if plan["move"].move_type != plan["move_type"]:
            move_ctx.write({"move_type": plan["move_type"]})
        vals = plan["vals"]
        if with_lines:
            vals = {**vals, "invoice_line_ids": plan["line_vals"]}
        move_ctx.write(vals)

    def _write_lines(self, plans):
        """The bill lines of the plans: one create for all of them (Odoo then
        computes the tax and payable lines of all the bills at once)."""
        vals_list = [{**command[2], "move_id": plan["move"].id}
                     for plan in plans for command in plan["line_vals"]]
        if vals_list:
            self._bill_context(self.env["account.move.line"]).create(vals_list)

    def _write_date(self, plan):
        move, vals = plan["move"], plan["vals"]
        if "date" in vals and move.date != vals["date"]:
            self._bill_context(move).date = vals["date"]

    def _finish_one(self, plan, ctx):
        """Verify the written bill against the document, settle rounding,
        due dates, attachments; post.  Returns the trace note."""
        self._complete_one(plan, ctx)
        return self._post_one(plan)

    def _complete_one(self, plan, ctx):
        """Verify the written bill against the document, settle rounding,
        due dates, attachments."""
        move, invoice, trace = plan["move"], plan["invoice"], plan["trace"]
        keys, withholdings, pensions = plan["keys"], plan["withholdings"], plan["pensions"]
        sign, tolerance, installments = plan["sign"], plan["tolerance"], plan["installments"]
        # verify against the document and settle rounding
        self._verify_and_adjust(move, invoice, keys, withholdings, pensions, sign, tolerance, ctx)
        # due-date schedule of the e-invoice
        schedule_note = self._apply_schedule(move, invoice, installments, sign, tolerance)
        if schedule_note:
            trace.append(schedule_note)
        self._attach_allegati(move, invoice)

    def _post_one(self, plan, moves=None):
        """Post the bill (or ``moves``, bills of plans posted together);
        returns the plan's trace note."""
        _ = self.env._
        move = plan["move"]
        moves = moves or move
        moves.with_context(skip_invoice_sync=True).action_post()
        if any(m.state != "posted" for m in moves):
            raise Refusal("posting_refused", detail=_("the bill stayed in draft"))
        moves.with_context(skip_invoice_sync=True).write({
            "l10n_it_autoreg_state": "registered",
            "l10n_it_autoreg_reason_code": False,
            "l10n_it_autoreg_reason": False,
        })
        return self._trace_body(plan)

    def _trace_body(self, plan):
        _ = self.env._
        return Markup("<p>%s</p><ul>%s</ul>") % (
            _("Registered automatically from the e-invoice."),
            Markup("").join(Markup("<li>%s</li>") % t for t in plan["trace"]))

    @staticmethod
    def _post_groups(plans):
        """Consecutive plans whose bills Odoo numbers in this same order when
        posted together (it numbers them by date, reference and id): posting
        such a group at once gives the numbers of posting one after the
        other.  A bill whose date a lock date would move is posted alone."""
        groups, group, last = [], [], None
        for plan in plans:
            move = plan["move"]
            key = (move.date, move.ref or "", move.id)
            alone = bool(move._get_violated_lock_dates(move.date, move._affect_tax_report()))
            if group and (alone or last is None or key <= last):
                groups.append(group)
                group = []
            group.append(plan)
            last = None if alone else key
        if group:
            groups.append(group)
        return groups

    def _find_integrated_bill(self, invoice, company):
        refs = [d.number for d in invoice.linked_documents if d.kind == "invoice" and d.number]
        if not refs:
            return self.env["account.move"]
        return self.env["account.move"].search([
            ("company_id", "=", company.id), ("move_type", "in", ("in_invoice", "in_refund")),
            ("ref", "in", refs)], limit=1)

    def _find_duplicate(self, move, partner, invoice, move_type, ctx):
        number = re.sub(r"\s+", "", invoice.number or "").upper()
        year = invoice.date.year
        company = ctx["company"]
        for other, other_invoice in ctx["registered"]:
            if other.commercial_partner_id == partner.commercial_partner_id \
                    and other.move_type == move_type \
                    and re.sub(r"\s+", "", other_invoice.number or "").upper() == number \
                    and other_invoice.date.year == year:
                return other
        self.env["account.move"].flush_model(["ref", "commercial_partner_id", "invoice_date",
                                              "move_type", "state"])
        # The bill may have been typed by hand on another (or an archived)
        # contact with the same VAT number: those count too.  Not for a
        # placeholder VAT number, nor for another member of a VAT group
        # (same VAT, another fiscal code).
        partner_ids = {partner.commercial_partner_id.id}
        vat, cf = norm_vat(invoice.seller.vat), norm_cf(invoice.seller.fiscal_code)
        if vat and not is_placeholder_vat(vat):
            Partner = self.env["res.partner"].with_context(active_test=False)
            for other in Partner.search([("vat", "in", [vat, vat[2:]]),
                                         *Partner._check_company_domain(company)]):
                other_cf = norm_cf(other.commercial_partner_id.l10n_it_codice_fiscale
                                   or other.l10n_it_codice_fiscale)
                if cf and other_cf and other_cf not in (cf, vat[2:]):
                    continue
                partner_ids.add(other.commercial_partner_id.id)
        year_dates = company.compute_fiscalyear_dates(invoice.date)
        date_from, date_to = year_dates["date_from"], year_dates["date_to"]
        date_from = date_from or invoice.date.replace(month=1, day=1)
        date_to = date_to or invoice.date.replace(month=12, day=31)
        # bills of this batch already decided but not written yet (batched
        # writing, see _register_fast): compared with the values they will
        # have, as when each bill was written before the next was decided
        planned = [p for p in ctx.get("planned", ()) if p["id"] != move.id]
        self.env.cr.execute("""
            SELECT id FROM account_move
             WHERE company_id = %s
               AND id != %s
               AND id != ALL(%s)
               AND commercial_partner_id IN %s
               AND move_type = %s
               AND upper(regexp_replace(ref, '\\s+', '', 'g')) = %s
               AND COALESCE(invoice_date, date) BETWEEN %s AND %s
             ORDER BY id LIMIT 1
        """, [company.id, move.id, [p["id"] for p in planned] or [0], tuple(partner_ids),
              move_type, number, date_from, date_to])
        row = self.env.cr.fetchone()
        found = [row[0]] if row else []
        if planned:
            self.env.cr.execute("""
                SELECT v.id FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::varchar[],
                                        %s::date[]) AS v(id, partner_id, move_type, ref, day)
                 WHERE v.partner_id IN %s
                   AND v.move_type = %s
                   AND upper(regexp_replace(v.ref, '\\s+', '', 'g')) = %s
                   AND v.day BETWEEN %s AND %s
                 ORDER BY v.id LIMIT 1
            """, [[p["id"] for p in planned], [p["partner_id"] for p in planned],
                  [p["move_type"] for p in planned], [p["ref"] for p in planned],
                  [p["date"] for p in planned], tuple(partner_ids), move_type, number,
                  date_from, date_to])
            row = self.env.cr.fetchone()
            if row:
                found.append(row[0])
        return self.env["account.move"].browse(min(found)) if found else None

    def _decide_bank(self, partner, iban, company):
        Bank = self.env["res.partner.bank"]
        sanitized = re.sub(r"\W+", "", iban).upper()
        bank = Bank.search([("sanitized_acc_number", "=", sanitized),
                            ("partner_id", "=", partner.id)], limit=1)
        if bank or not company.l10n_it_autoreg_create_bank_account:
            return bank or None
        try:
            with self.env.cr.savepoint():
                return Bank.create({"acc_number": iban, "partner_id": partner.id})
        except (ValidationError, UserError):
            return None

    # ------------------------------------------------------------------
    # Lines
    # ------------------------------------------------------------------
    def _line_amount(self, line):
        """Untaxed amount of a document line (FSM10: VAT-inclusive Importo
        minus its tax)."""
        if line.vat_included:
            from odoo.addons.l10n_it_autoreg.fatturapa.reader import simplified_line_tax
            tax, _rate = simplified_line_tax(D(line.price_total), line.vat_rate, line.tax_amount)
            return D(line.price_total) - D(tax)
        return D(line.price_total)

    def _is_stamp_line(self, invoice, line):
        description = (line.description or "").lower()
        return "bollo" in description and not D(line.vat_rate) and (
            invoice.stamp_duty is not None or (line.vat_nature or "").upper() == "N1")

    def _build_lines(self, invoice, partner, keys, withholdings, pensions, sign, detail, ctx, acc):
        """Bill line values in the bill's sign, the rules used, and the
        built base per VAT key (Decimal, document sign)."""
        _ = self.env._
        digits = ctx["price_digits"]
        withholding_taxes = [tax for _w, tax in withholdings]
        pension_taxes = [tax for _f, tax in pensions]
        rules = set()
        built = defaultdict(lambda: ZERO)
        items = []  # (line, key, amount, product, account, rule, withholding?)
        for line in invoice.lines:
            amount = self._line_amount(line)
            key = (r2(line.vat_rate or 0), (line.vat_nature or "").upper() or None)
            if not amount and not line.price_unit:
                items.append((line, key, ZERO, None, None, None))
                continue
            product, product_rule = self._match_product(line, partner, acc)
            if self._is_stamp_line(invoice, line):
                account, rule = self._special_account(
                    ctx, "l10n_it_autoreg_stamp_account_id", "4901"), _("stamp duty account")
            else:
                account, rule = self._decide_account(
                    partner, keys[key]["tax_rec"], product, ctx, acc, line.description)
                if product_rule:
                    rule = "%s (%s)" % (rule, product_rule)
            rules.add("%s %s: %s" % (account.code, account.name, rule))
            items.append((line, key, amount, product, account, rule))

        def taxes_for(key, withholding, stamp):
            tax_ids = [keys[key]["tax_rec"].id]
            if withholding:
                tax_ids += [t.id for t in withholding_taxes if t.l10n_it_withholding_type]
                tax_ids += [t.id for t in withholding_taxes if t.l10n_it_pension_fund_type]
            if pension_taxes and not stamp and key[1] != "N1":
                tax_ids += [t.id for t in pension_taxes]
            return [Command.set(tax_ids)]

        vals = []
        if detail == "lines":
            for line, key, amount, product, account, _rule in items:
                if account is None:
                    vals.append({"display_type": "line_note", "name": line.description or "-"})
                    continue
                val = {
                    "name": line.description or "-",
                    "account_id": account.id,
                    "tax_ids": taxes_for(key, line.withholding, self._is_stamp_line(invoice, line)),
                }
                if product:
                    val["product_id"] = product.id
                qty, price, discount = self._quantity_price(line, amount * sign, digits)
                val.update(quantity=qty, price_unit=price, discount=discount)
                vals.append(val)
                built[key] += r2(amount)  # Odoo rounds each line's subtotal
        else:
            groups = {}
            for line, key, amount, product, account, _rule in items:
                if account is None:
                    continue
                stamp = self._is_stamp_line(invoice, line)
                gkey = (key, bool(line.withholding), stamp, account.id)
                group = groups.setdefault(gkey, {"amount": ZERO, "names": [], "account": account})
                group["amount"] += amount
                group["names"].append(line.description or "")
            single = detail == "single" and len({g[0] for g in groups}) == 1
            for (key, withholding, stamp, _account_id), group in groups.items():
                built[key] += r2(group["amount"])
                if single:
                    name = _("Invoice %(number)s: %(first)s", number=invoice.number,
                             first=group["names"][0][:200])
                elif stamp:
                    name = group["names"][0]
                else:
                    name = _("Invoice %(number)s, VAT %(rate)s%%%(nature)s", number=invoice.number,
                             rate=fmt(key[0]), nature=(" " + key[1]) if key[1] else "")
                vals.append({
                    "name": name, "account_id": group["account"].id, "quantity": 1,
                    "price_unit": float(group["amount"] * sign),
                    "tax_ids": taxes_for(key, withholding, stamp),
                })
        # pension fund contributions join the VAT base of their key
        for fund, _tax in pensions:
            fkey = (r2(fund.vat_rate), (fund.vat_nature or "").upper() or None)
            other = next((key for line, key, amt, *_r in items if amt and key[1] != "N1"
                          and key != fkey and not self._is_stamp_line(invoice, line)), None)
            if other:
                # Odoo adds the contribution to the VAT base of each line it
                # applies to; the document puts all of it at its own VAT
                # (detail from a translated text: it.po is frozen for now)
                raise Refusal("totals_mismatch", detail=_(
                    "Pension fund %(type)s → %(tax)s", type=fund.type,
                    tax="%s%% ≠ %s%%" % (fmt(fkey[0]), fmt(other[0]))))
            base = sum((amt for line, key, amt, *_r in items if amt and key[1] != "N1"
                        and not self._is_stamp_line(invoice, line)), ZERO)
            built[fkey] += r2(base * D(fund.rate) / 100)
            if fkey not in keys:
                raise Refusal("totals_mismatch", detail=_(
                    "the pension fund's VAT %s%% has no VAT summary row", fmt(fund.vat_rate)))

        return vals, rules, built

    def _quantity_price(self, line, amount, digits):
        """(quantity, price_unit, discount) giving exactly ``amount``; else
        1 x amount (the document's line total is what counts)."""
        qty = D(line.quantity) if line.quantity else None
        unit = D(line.price_unit) if line.price_unit is not None else None
        if qty and unit is not None and not line.vat_included:
            step = Decimal(1).scaleb(-digits)
            percent = None
            if len(line.discounts) == 1 and line.discounts[0].percent is not None \
                    and (line.discounts[0].type or "").upper() == "SC":
                percent = D(line.discounts[0].percent)
            for candidate in (unit, -unit):
                rounded = candidate.quantize(step, rounding=ROUND_HALF_UP)
                if r2(rounded * qty) == r2(amount):
                    return float(qty), float(rounded), 0.0
                if percent is not None and r2(rounded * qty * (1 - percent / 100)) == r2(amount):
                    return float(qty), float(rounded), float(percent)
        return 1.0, float(amount), 0.0

    # ------------------------------------------------------------------
    # Totals
    # ------------------------------------------------------------------
    def _explain_totals(self, invoice, keys, built, sign, tolerance, ctx, line_vals):
        """Rounding lines per VAT key and the lines explaining the gap between
        the VAT summary and ImportoTotaleDocumento (Arrotondamento, bollo,
        document discounts, rounding within tolerance)."""
        _ = self.env._
        extra, notes = [], []
        rounding_account = self._special_account(ctx, "l10n_it_autoreg_rounding_account_id", "4910")
        summary_rounding_used = False
        for key, entry in keys.items():
            diff = entry["taxable"] - built[key]
            if not diff:
                continue
            expenses = entry.get("expenses", ZERO)
            if expenses and diff - expenses in (ZERO, entry["rounding"]):
                # SpeseAccessorie: part of ImponibileImporto without a line
                first = next((v["account_id"] for v in line_vals if v.get("account_id")), None)
                account = self.env["account.account"].browse(first) if first else rounding_account
                # (labels reuse translated texts: it.po is frozen for now)
                extra.append({
                    "name": "%s (SpeseAccessorie)" % _(
                        "Invoice %(number)s, VAT %(rate)s%%%(nature)s", number=invoice.number,
                        rate=fmt(key[0]), nature=(" " + key[1]) if key[1] else ""),
                    "account_id": account.id, "quantity": 1,
                    "price_unit": float(expenses * sign),
                    "tax_ids": [Command.set(entry["tax_rec"].ids)],
                })
                diff -= expenses
                if not diff:
                    continue
            if diff == entry["rounding"] or abs(diff) <= tolerance:
                summary_rounding_used = summary_rounding_used or diff == entry["rounding"]
                extra.append({
                    "name": _("Rounding (VAT %s%%)", fmt(key[0])),
                    "account_id": rounding_account.id, "quantity": 1,
                    "price_unit": float(diff * sign),
                    "tax_ids": [Command.set(entry["tax_rec"].ids)],
                })
                notes.append(_("Rounding of %(amount)s on VAT %(rate)s%% (document summary)",
                               amount=fmt(diff), rate=fmt(key[0])))
            else:
                raise Refusal("totals_mismatch", detail=_(
                    "taxable amount at VAT %(rate)s%%%(nature)s: lines %(lines)s, summary "
                    "%(summary)s", rate=fmt(key[0]), nature=(" " + key[1]) if key[1] else "",
                    lines=fmt(built[key]), summary=fmt(entry["taxable"])))
        summary_total = sum((e["taxable"] + e["tax"] for e in keys.values()), ZERO)
        if invoice.total is None:
            return extra, notes
        gap = D(invoice.total) - summary_total
        if not gap:
            return extra, notes

        def add(name, amount, account, note):
            extra.append({"name": name, "account_id": account.id, "quantity": 1,
                          "price_unit": float(amount * sign), "tax_ids": [Command.clear()]})
            notes.append(note)

        doc_rounding = D(invoice.rounding) if invoice.rounding is not None else ZERO
        if doc_rounding and gap != ZERO:
            add(_("Rounding (Arrotondamento)"), doc_rounding, rounding_account,
                _("Document rounding %s", fmt(doc_rounding)))
            gap -= doc_rounding
        stamp = invoice.stamp_duty
        has_stamp_line = any(self._is_stamp_line(invoice, line) for line in invoice.lines)
        if gap and stamp is not None and stamp.amount and not has_stamp_line \
                and abs(gap - D(stamp.amount)) <= tolerance:
            add(_("Stamp duty (bollo)"), D(stamp.amount),
                self._special_account(ctx, "l10n_it_autoreg_stamp_account_id", "4901"),
                _("Stamp duty %s charged", fmt(stamp.amount)))
            gap -= D(stamp.amount)
        if gap and invoice.discounts:
            base = summary_total
            discount = ZERO
            for item in invoice.discounts:
                value = D(item.amount) if item.amount is not None else r2(
                    base * D(item.percent or 0) / 100)
                discount += value if (item.type or "SC").upper() == "SC" else -value
            if abs(gap + discount) <= tolerance:
                first = next((v["account_id"] for v in line_vals if v.get("account_id")), None)
                account = self.env["account.account"].browse(first) if first else rounding_account
                add(_("Document discount") if discount > 0 else _("Document surcharge"),
                    -discount, account, _("Document discount %s", fmt(discount)))
                gap += discount
        summary_rounding = sum((e["rounding"] for e in keys.values()), ZERO)
        if gap and gap == summary_rounding and abs(gap) < 1 and not summary_rounding_used:
            # the summary's Arrotondamento applied to the total, not to its
            # ImponibileImporto (which equals the lines); a rounding is less
            # than one unit (a bigger "rounding" is something else)
            add(_("Rounding (Arrotondamento)"), gap, rounding_account,
                _("Document rounding %s", fmt(gap)))
            gap = ZERO
        if gap:
            if abs(gap) <= tolerance:
                add(_("Rounding"), gap, rounding_account,
                    _("Rounding of %s to equal the document total", fmt(gap)))
            else:
                raise Refusal("totals_mismatch", detail=_(
                    "document total %(total)s, VAT summary %(summary)s (difference %(diff)s)",
                    total=fmt(invoice.total), summary=fmt(summary_total), diff=fmt(gap)))
        return extra, notes

    def _tax_lines(self, move):
        return move.line_ids.filtered(lambda l: l.display_type == "tax")

    def _verify_and_adjust(self, move, invoice, keys, withholdings, pensions, sign, tolerance, ctx):
        """Compare the bill with the document; settle differences within
        tolerance on the tax lines; refuse beyond."""
        _ = self.env._
        direction = 1 if move.move_type == "in_invoice" else -1  # tax lines: debit on invoices
        currency = move.currency_id
        tax_lines = self._tax_lines(move)
        by_tax = defaultdict(lambda: self.env["account.move.line"])
        for line in tax_lines:
            by_tax[line.tax_line_id] |= line

        def positive(lines):
            return sum((D(l.amount_currency) for l in lines
                        if l.tax_repartition_line_id.factor_percent >= 0), ZERO) * direction

        def net(lines):
            return sum((D(l.amount_currency) for l in lines), ZERO) * direction

        adjustments = []  # (line, new amount_currency)
        # VAT per tax
        expected = defaultdict(lambda: ZERO)
        kinds = {}
        for key, entry in keys.items():
            expected[entry["tax_rec"]] += entry["tax"] * sign
            kinds[entry["tax_rec"]] = entry["kind"]
        for tax, want in expected.items():
            lines = by_tax.get(tax, self.env["account.move.line"])
            kind = kinds[tax]
            if kind == "reverse_charge":
                if r2(net(lines)):
                    raise Refusal("totals_mismatch", detail=_(
                        "reverse charge tax %s does not balance", tax.name))
                continue
            have = r2(positive(lines))
            diff = r2(want) - have
            if not diff:
                continue
            # suppliers that round the VAT of each line (then add) differ
            # from the VAT of the rate's total by at most half a cent per
            # line: the bill takes the document's VAT
            per_line = Decimal("0.005") * sum(
                1 for line in invoice.lines
                if line.price_total and keys.get((r2(line.vat_rate or 0), (
                    line.vat_nature or "").upper() or None), {}).get("tax_rec") == tax)
            if abs(diff) > max(tolerance, per_line) or not lines:
                raise Refusal("totals_mismatch", detail=_(
                    "VAT %(tax)s: bill %(bill)s, e-invoice %(doc)s",
                    tax=tax.name, bill=fmt(have), doc=fmt(want)))
            pos = lines.filtered(lambda l: l.tax_repartition_line_id.factor_percent >= 0)[:1]
            adjustments.append((pos, D(pos.amount_currency) + diff * direction))
            if kind == "split_payment":
                neg = lines.filtered(lambda l: l.tax_repartition_line_id.factor_percent < 0)[:1]
                if neg:
                    adjustments.append((neg, D(neg.amount_currency) - diff * direction))
        # withholdings (withholding taxes and ENASARCO)
        want_w = sum((D(w.amount) for w, _t in withholdings), ZERO) * sign
        w_taxes = {t for _w, t in withholdings}
        w_lines = tax_lines.filtered(lambda l: l.tax_line_id in w_taxes)
        have_w = -net(w_lines)
        if withholdings and r2(want_w) != r2(have_w):
            diff = r2(want_w) - r2(have_w)
            if abs(diff) > tolerance or not w_lines:
                raise Refusal("totals_mismatch", detail=_(
                    "withholding: bill %(bill)s, e-invoice %(doc)s", bill=fmt(have_w), doc=fmt(want_w)))
            adjustments.append((w_lines[:1], D(w_lines[:1].amount_currency) - diff * direction))
        # pension funds (contribution added to the VAT base)
        want_p = sum((D(f.amount) for f, t in pensions if t.amount > 0), ZERO) * sign
        p_taxes = {t for _f, t in pensions if t.amount > 0}
        p_lines = tax_lines.filtered(lambda l: l.tax_line_id in p_taxes)
        have_p = net(p_lines)
        if p_taxes and r2(want_p) != r2(have_p):
            diff = r2(want_p) - r2(have_p)
            if abs(diff) > tolerance or not p_lines:
                raise Refusal("totals_mismatch", detail=_(
                    "pension fund: bill %(bill)s, e-invoice %(doc)s", bill=fmt(have_p), doc=fmt(want_p)))
            adjustments.append((p_lines[:1], D(p_lines[:1].amount_currency) + diff * direction))
        if adjustments:
            self._set_line_amounts(move, adjustments)
        # final figures
        split_tax = sum((e["tax"] for e in keys.values() if e["kind"] == "split_payment"), ZERO) * sign
        doc_total = (D(invoice.total) if invoice.total is not None else (
            sum((e["taxable"] + e["tax"] for e in keys.values()), ZERO))) * sign
        bill_total = D(move.amount_total) * 1
        # amount_total of a bill = untaxed + VAT + pension - withholding (- split VAT)
        expected_bill_total = r2(doc_total - want_w - split_tax)
        if r2(bill_total) != expected_bill_total:
            raise Refusal("totals_mismatch", detail=_(
                "amount due: bill %(bill)s, e-invoice %(doc)s (total %(total)s, withholding "
                "%(withholding)s%(split)s)", bill=fmt(bill_total), doc=fmt(expected_bill_total),
                total=fmt(doc_total), withholding=fmt(want_w),
                split=(_(", split payment VAT %s", fmt(split_tax)) if split_tax else "")))

    def _set_line_amounts(self, move, adjustments):
        """Write tax line amounts (document figures) and rebalance the
        payable lines, without Odoo recomputing the taxes."""
        Line = self.env["account.move.line"].with_context(skip_invoice_sync=True,
                                                          check_move_validity=False)
        for line, amount in adjustments:
            amount = float(amount)
            Line.browse(line.id).write({
                "amount_currency": amount,
                "balance": move.currency_id._convert(
                    amount, move.company_currency_id, move.company_id,
                    move.invoice_date or move.date) if move.currency_id != move.company_currency_id
                else amount,
            })
        self._rebalance_terms(move)

    def _rebalance_terms(self, move, schedule=None):
        """Payable lines = the rest of the move; ``schedule`` = [(date,
        amount_currency)] gives one payable line per installment."""
        Line = self.env["account.move.line"].with_context(skip_invoice_sync=True,
                                                          check_move_validity=False)
        terms = move.line_ids.filtered(lambda l: l.display_type == "payment_term")
        others = move.line_ids - terms
        total_currency = -sum(others.mapped("amount_currency"))
        total_balance = -sum(others.mapped("balance"))
        if schedule is None:
            if not terms:
                return
            schedule = [(terms[0].date_maturity, None)]
            extra = terms[1:]
            if len(terms) > 1:
                # keep the existing split, put the difference on the last line
                schedule = [(t.date_maturity, t.amount_currency) for t in terms]
                schedule[-1] = (schedule[-1][0], None)
                extra = self.env["account.move.line"]
        else:
            extra = terms[len(schedule):]
        cur = move.currency_id
        comp = move.company_currency_id
        used_currency, used_balance = 0.0, 0.0
        template = terms[:1]
        for index, (date, amount) in enumerate(schedule):
            last = index == len(schedule) - 1
            if last or amount is None:
                amount_currency = cur.round(total_currency - used_currency)
                balance = comp.round(total_balance - used_balance)
            else:
                amount_currency = cur.round(amount)
                balance = comp.round(total_balance * (amount_currency / total_currency)) \
                    if total_currency else 0.0
            used_currency += amount_currency
            used_balance += balance
            vals = {"amount_currency": amount_currency, "balance": balance,
                    "date_maturity": date}
            if index < len(terms):
                Line.browse(terms[index].id).write(vals)
            else:
                Line.create({
                    **vals, "move_id": move.id, "display_type": "payment_term",
                    "account_id": template.account_id.id, "partner_id": template.partner_id.id,
                    "name": template.name or "", "currency_id": cur.id,
                })
        if extra:
            extra.with_context(skip_invoice_sync=True, dynamic_unlink=True).unlink()

    def _apply_schedule(self, move, invoice, installments, sign, tolerance):
        """The e-invoice's due dates and amounts on the payable lines.  The
        installments must add up to the amount due (the bill's total):
        otherwise the bill would tell another amount to pay than the
        document, and it is not posted."""
        _ = self.env._
        dated = [i for i in installments if i.due_date]
        if not dated:
            unreadable = [w.partition(":")[2].strip() for w in invoice.warnings
                          if w.startswith("bad_value: DataScadenzaPagamento")]
            # (the date is the supplier's terms' or the document's: say why)
            return _("The e-invoice's due date cannot be read (%s): due date from the "
                     "supplier's payment terms, or the document date", "; ".join(unreadable)) \
                if unreadable else None
        terms = move.line_ids.filtered(lambda l: l.display_type == "payment_term")
        due = r2(-sum(D(l.amount_currency) for l in terms)
                 * (1 if move.move_type == "in_invoice" else -1))
        amounts = [D(i.amount) for i in dated]
        if all(a <= 0 for a in amounts) and any(a < 0 for a in amounts):
            # credit notes written with negative amounts: the bill's sign
            amounts = [-a for a in amounts]
        total = r2(sum(amounts, ZERO))
        note = None
        if abs(total - due) > tolerance:
            blocks = [[i for i in p.installments if i.due_date] for p in invoice.payments]
            blocks = [b for b in blocks if b]
            doc_total = abs(D(invoice.total)) if invoice.total is not None else None
            if len(blocks) > 1 and all(
                    abs(r2(sum((abs(D(i.amount)) for i in b), ZERO)) - due) <= tolerance
                    for b in blocks):
                # several DatiPagamento of the whole amount: alternative ways
                # to pay the same amount (transfer or RIBA), not twice
                dated = blocks[0]
                amounts = [abs(D(i.amount)) for i in dated]
                total = r2(sum(amounts, ZERO))
                note = _("The e-invoice gives %s alternative payment blocks of the whole amount: "
                         "the first one is used", len(blocks))
            elif len(dated) == 1 and doc_total is not None and total == r2(doc_total) \
                    and due != r2(doc_total) and (invoice.withholdings or any(
                        (r.due or "").upper() == "S" for r in invoice.vat_summary)):
                # the supplier wrote the document total as the amount to pay,
                # forgetting the withholding / split payment VAT the buyer
                # keeps: the amount due is the law's, the date the document's
                note = _("Due date %(date)s from the e-invoice (its amount %(amount)s is the "
                         "document total; the amount due net of withholding / split payment "
                         "VAT is %(due)s)", date=dated[0].due_date, amount=fmt(total),
                         due=fmt(due))
            elif move.move_type == "in_refund" and not any(amounts):
                # a credit note "paying" 0.00: no money is asked for, the
                # date is the document's, the amount the credit note's
                dated = dated[:1]
                note = _("Due date %(date)s from the e-invoice (a credit note whose installment "
                         "amount is 0.00)", date=dated[0].due_date)
            else:
                raise Refusal("payment_schedule_mismatch", installments=fmt(total), due=fmt(due))
        if len(dated) == 1:
            schedule = [(dated[0].due_date, None)]
        else:
            direction = -1 if move.move_type == "in_invoice" else 1
            schedule = [(i.due_date, float(a * direction)) for i, a in zip(dated, amounts)]
        self._rebalance_terms(move, schedule)
        return note or _("Due dates: %s", ", ".join(
            "%s %s" % (i.due_date, fmt(i.amount)) for i in dated))

    def _attach_allegati(self, move, invoice):
        if not invoice.attachments:
            return
        vals = []
        for attachment in invoice.attachments:
            try:
                data = attachment.data()
            except Exception:  # noqa: BLE001 - a broken attachment never blocks the bill
                _logger.warning("l10n_it_autoreg: attachment %s unreadable", attachment.name)
                continue
            if not data:
                continue
            name = attachment.name or "attachment"
            if attachment.format and "." not in name:
                name = "%s.%s" % (name, attachment.format.lower())
            vals.append({"name": name, "raw": data, "res_model": "account.move",
                         "res_id": move.id, "company_id": move.company_id.id})
        if vals:
            self.env["ir.attachment"].create(vals)

    # ------------------------------------------------------------------
    # Configuration helper (demo, settings)
    # ------------------------------------------------------------------
    # Integrative contribution (contributo integrativo) of the professional
    # funds most often found on received parcelle, besides the TC01 and TC22
    # taxes l10n_it_edi_withholding ships.  A document matches a tax only on
    # TipoCassa *and* rate, so a fund that charges another rate stays
    # pension_fund_not_configured.
    STANDARD_PENSION_FUNDS = {
        "TC02": 4.0,   # dottori commercialisti (CNPADC)
        "TC03": 5.0,   # geometri (CIPAG)
        "TC04": 4.0,   # ingegneri e architetti (Inarcassa)
        "TC06": 4.0,   # ragionieri (CNPR)
        "TC20": 2.0,   # psicologi (ENPAP)
    }

    @api.model
    def _ensure_pension_fund_purchase_taxes(self, company):
        """Create the purchase pension fund taxes of STANDARD_PENSION_FUNDS the
        company lacks, made like the chart's TC01 4% tax.  Returns them."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        domain = [*Tax._check_company_domain(company), ("type_tax_use", "=", "purchase"),
                  ("amount_type", "=", "percent")]
        template = Tax.search(domain + [("l10n_it_pension_fund_type", "=", "TC01")], limit=1)
        if not template:
            return Tax
        existing = {(t.l10n_it_pension_fund_type, round(t.amount, 2))
                    for t in Tax.search(domain + [("l10n_it_pension_fund_type", "!=", False)])}
        created = Tax
        for fund, rate in self.STANDARD_PENSION_FUNDS.items():
            if (fund, rate) in existing:
                continue
            label = "%s%% %s" % (("%g" % rate), fund)
            created |= template.copy({
                "name": label, "description": label, "amount": rate,
                "l10n_it_pension_fund_type": fund,
            })
        return created

    @api.model
    def _ensure_exempt_purchase_taxes(self, company, natures=("N2.1", "N2.2", "N3.1", "N3.2",
                                                              "N3.3", "N3.4", "N3.5", "N3.6",
                                                              "N4", "N5")):
        """Create the 0% purchase taxes of the given Natura the Italian chart
        lacks (it ships only N1).  Returns the created taxes."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        existing = set(Tax.search([*Tax._check_company_domain(company),
                                   ("type_tax_use", "=", "purchase"), ("amount", "=", 0),
                                   ("l10n_it_exempt_reason", "in", list(natures))]
                                  ).mapped("l10n_it_exempt_reason"))
        template = Tax.search([*Tax._check_company_domain(company), ("type_tax_use", "=", "purchase"),
                               ("amount", "=", 0), ("amount_type", "=", "percent"),
                               ("l10n_it_exempt_reason", "=", "N1")], limit=1)
        created = Tax
        labels = dict(Tax._fields["l10n_it_exempt_reason"]._description_selection(self.env))
        for nature in natures:
            if nature in existing:
                continue
            vals = {
                "name": "0%% %s" % nature,
                "description": "0%% %s" % nature,
                "amount": 0.0, "amount_type": "percent", "type_tax_use": "purchase",
                "company_id": company.id,
                "l10n_it_exempt_reason": nature,
                "l10n_it_law_reference": (labels.get(nature) or nature)[:100],
            }
            if template:
                created |= template.copy(vals)
            else:
                created |= Tax.create(vals)
        return created
