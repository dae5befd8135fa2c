"""The registration engine: from a received e-invoice (the reader's
dataclasses) to a posted vendor bill, or a precise reason.

One pipeline for one document and for thousands: documents are taken (rows
locked, SKIP LOCKED), read once, and registered in chunks (a single document
is a chunk of one).  A chunk is decided document by document (each in its
savepoint), written together (one create of all its lines: Odoo computes
their tax and payable lines at once), verified and posted in Odoo's number
order.  When a document fails once written, the chunk is rolled back and done
again around it, so every outcome equals document-by-document registration.

The decisions that need no record are in ``registration/`` (pure Python);
the methods of this model (here and in the ``l10n_it_autoreg_engine_*.py``
files of the same model) are the extension API: each takes and returns plain
data or records, a third module overrides one to change one decision.
"""

import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..db_errors import raise_if_concurrency, short_error
from ..engine_state import BATCH_SIZE, CHUNK_SIZE, BatchContext, Plan, RegistrationResult
from ..registration.outcome import Refusal
from ..registration.reasons import ZIP_CODES

_logger = logging.getLogger(__name__)


class L10nItAutoregEngine(models.AbstractModel):
    _name = "l10n_it_autoreg.engine"
    _description = "E-invoice registration engine"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def register(self, moves, upcoming=()):
        """Register the pending / not recognized draft bills among ``moves``
        now; returns a :class:`RegistrationResult`.  The run
        (``l10n_it_autoreg.run``) is the caller that records outcomes; a
        scheduled run calls it with the context key
        ``l10n_it_autoreg_automatic`` (suppliers set to never auto-post are
        then left to the user).  ``upcoming``: ids a run hands over next
        (decided later: no duplicates still to register of ``moves``)."""
        # default_* keys of the caller (list views, mail alias) must not leak
        # into the records the engine creates (partners, bank accounts...):
        # the context is replaced, not updated (with_context(**clean) would
        # keep them).
        clean = {k: v for k, v in self.env.context.items() if not k.startswith("default_")}
        engine = self.with_context(clean)  # pylint: disable=context-overridden
        Move = self.env["account.move"].with_context(clean)  # pylint: disable=context-overridden
        moves = moves.with_context(clean).filtered(  # pylint: disable=context-overridden
            lambda m: m.l10n_it_autoreg_state in ("pending", "unrecognized") and m.state == "draft"
        )
        result = RegistrationResult(Move, Move, Move, self.env["account.tax"])
        for company in moves.company_id:
            ids = moves.filtered(lambda m, c=company: m.company_id == c).ids
            # Reasons and traces are stored text: in the company's language,
            # not in the language of whoever runs the registration (OdooBot
            # for the scheduled action).
            lang = company.partner_id.lang or self.env.lang
            company_engine = engine.with_company(company).with_context(lang=lang)
            for start in range(0, len(ids), BATCH_SIZE):
                batch_ids = ids[start : start + BATCH_SIZE]
                taken, busy = company_engine._lock(batch_ids)
                result.skipped |= Move.browse(busy)
                if taken:
                    result |= company_engine._register_batch(
                        Move.with_company(company).with_context(lang=lang).browse(taken),
                        later=frozenset(ids[start + BATCH_SIZE :]) | frozenset(upcoming),
                    )
        return result

    # ------------------------------------------------------------------
    # One batch
    # ------------------------------------------------------------------
    def _register_batch(self, moves, later=frozenset()):
        """Read, prefetch, register chunk by chunk; write traces and reasons
        (``later``: ids this registration decides after the batch)."""
        Move = self.env["account.move"]
        invoices, outcomes = self._read_documents(moves)
        batch = self._prefetch(moves.company_id, invoices)
        todo = [m for m in moves if m in invoices]
        batch.order = {move.id: position for position, move in enumerate(todo)}
        batch.later = frozenset(later) - set(moves.ids)
        for start in range(0, len(todo), CHUNK_SIZE):
            outcomes.update(self._register_chunk(todo[start : start + CHUNK_SIZE], invoices, batch))
        registered, refused = Move, Move
        for move in moves:
            if isinstance(outcomes[move], Refusal):
                refused |= move
            else:
                registered |= move
        if registered:
            # log notes, in one batch: no followers' notification per bill
            registered.with_context(skip_invoice_sync=True)._message_log_batch(
                bodies={move.id: outcomes[move] for move in registered}
            )
        self._write_refusals({m: outcomes[m] for m in refused})
        return RegistrationResult(registered, refused, Move, batch.surviving_taxes())

    def _read_documents(self, moves):
        """({move: invoice}, {move: Refusal}): each received file read once."""
        invoices, refusals, results = {}, {}, {}
        Move = self.env["account.move"]
        for move in moves:
            if move.l10n_it_autoreg_reason_code in ZIP_CODES:
                # a ZIP member never read (the bill keeps the ZIP): same reason
                refusals[move] = Refusal(
                    move.l10n_it_autoreg_reason_code,
                    detail=move.l10n_it_autoreg_supplier_display or "",
                )
                continue
            attachment = move.l10n_it_autoreg_attachment_id
            if not attachment:
                refusals[move] = Refusal("file_missing")
                continue
            if attachment.id not in results:
                results[attachment.id] = Move._l10n_it_autoreg_read_attachment(attachment)
            result = results[attachment.id]
            if not result.ok:
                refusals[move] = Refusal(
                    result.error_code or "unreadable",
                    detail=result.error_detail or result.error_message or "",
                )
                continue
            index = move.l10n_it_autoreg_body_index or 0
            if index >= len(result.invoices):
                refusals[move] = Refusal("no_body", detail="body %s" % (index + 1))
                continue
            invoices[move] = result.invoices[index]
        return invoices, refusals

    def _register_chunk(self, chunk, invoices, batch):
        """{move: trace or Refusal} of the documents of ``chunk``, as if each
        was registered alone in turn."""
        if not chunk:
            return {}
        outcomes, failed_at, error = self._try_chunk(chunk, invoices, batch)
        if failed_at is None:
            return outcomes
        if len(chunk) == 1:
            return {chunk[0]: self._as_refusal(chunk[0], error)}
        _logger.debug("l10n_it_autoreg: chunk rolled back at document %s", failed_at)
        outcomes = self._register_chunk(chunk[:failed_at], invoices, batch)
        outcomes.update(self._register_chunk(chunk[failed_at : failed_at + 1], invoices, batch))
        outcomes.update(self._register_chunk(chunk[failed_at + 1 :], invoices, batch))
        return outcomes

    def _try_chunk(self, chunk, invoices, batch):
        """(outcomes, None, None), or (None, index of the document that failed
        once written, its error) with everything of the chunk rolled back."""
        saved = batch.snapshot()
        outcomes, plans = {}, []
        failed_at = 0
        try:
            with self.env.cr.savepoint():
                for move in chunk:
                    try:
                        with self.env.cr.savepoint():
                            plan = self._plan(move, invoices[move], batch)
                    except Exception as error:  # noqa: BLE001 - one document never stops the others
                        raise_if_concurrency(error)
                        batch.forget_rolled_back()
                        outcomes[move] = self._as_refusal(move, error)
                        continue
                    plans.append(plan)
                    batch.duplicates.add(
                        move.id,
                        plan.partner.commercial_partner_id.id,
                        plan.move_type,
                        plan.invoice.number,
                        plan.invoice.date,
                    )
                index = {move: i for i, move in enumerate(chunk)}
                failed_at = index[plans[0].move] if plans else 0
                self._write_bills(plans)
                for plan in plans:
                    failed_at = index[plan.move]
                    self._complete(plan, batch)
                for group in self._post_groups(plans):
                    failed_at = index[group[0].move]
                    self._post(group)
                self._write_reviews(plans)
                self._remember_decisions(plans)
                for plan in plans:
                    outcomes[plan.move] = self._trace_body(plan)
        except Exception as error:  # noqa: BLE001 - rolled back, done again in smaller parts
            raise_if_concurrency(error)
            batch.restore(saved)
            return None, failed_at, error
        return outcomes, None, None

    @staticmethod
    def _as_refusal(move, error):
        if isinstance(error, Refusal):
            return error
        if isinstance(error, UserError | ValidationError):
            return Refusal("posting_refused", detail=str(error.args[0] if error.args else error))
        _logger.error(
            "l10n_it_autoreg: internal error on move %s",
            move.id,
            exc_info=(type(error), error, error.__traceback__),
        )
        return Refusal("internal_error", detail=short_error(error))

    # ------------------------------------------------------------------
    # Decide
    # ------------------------------------------------------------------
    def _plan(self, move, invoice, batch):
        """Every decision about ``move`` (its document ``invoice``): a Plan,
        or a Refusal raised.  Nothing is written on the bill."""
        trace = []
        invoice = self._read_document(invoice, batch, trace)
        move_type, sign = self._decide_move_type(invoice)
        partner = self._decide_supplier(invoice, batch, trace)
        currency = self._decide_currency(invoice, batch)
        self._check_duplicate(move, partner, invoice, move_type, batch)
        entries, withholdings, pensions = self._decide_taxes(invoice, batch, trace)
        line_vals, built = self._build_lines(
            invoice, partner, entries, withholdings, pensions, sign, batch, trace
        )
        line_vals += self._explain_totals(invoice, entries, built, sign, batch, line_vals, trace)
        vals, blocks = self._header_vals(move, invoice, partner, currency, move_type, batch, trace)
        return Plan(
            move=move,
            invoice=invoice,
            move_type=move_type,
            sign=sign,
            partner=partner,
            vals=vals,
            line_vals=line_vals,
            entries=entries,
            withholdings=withholdings,
            pensions=pensions,
            blocks=blocks,
            tolerance=self._tolerance(batch.company),
            trace=trace,
        )

    # ------------------------------------------------------------------
    # Prefetch
    # ------------------------------------------------------------------
    def _prefetch(self, company, invoices):
        """The BatchContext of a batch (bounded queries per batch)."""
        partners = self._prefetch_partners(company, invoices.values())
        currencies = {
            c.name: c
            for c in self.env["res.currency"]
            .with_context(active_test=False)
            .search(
                [
                    (
                        "name",
                        "in",
                        list({inv.currency for inv in invoices.values() if inv.currency}),
                    )
                ]
            )
        }
        journal = self.env["account.move"]._l10n_it_autoreg_purchase_journal(company)
        return BatchContext(
            company=company,
            journal=journal,
            partners=partners,
            contacts=[self._contact(p) for p in partners],
            taxes=self._prefetch_taxes(company),
            currencies=currencies,
            price_digits=self.env["decimal.precision"].precision_get("Product Price"),
            accounting=self._prefetch_accounting(company, partners, invoices.values()),
            rules=self._prefetch_rules(company),
            learned=self._prefetch_learned(company, partners),
            automatic=bool(self.env.context.get("l10n_it_autoreg_automatic")),
        )
