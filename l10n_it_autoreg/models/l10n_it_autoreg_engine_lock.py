"""Engine: taking the documents -- row locks that let one process register a
document at a time (the others skip it and say so)."""

from psycopg2 import errors as pgerrors

from odoo import models


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _lock(self, ids):
        """Take the documents of ``ids`` (of the environment's company):
        ``(taken, busy)``.  ``taken``: rows now locked by this transaction
        and, read under the lock, still pending / not recognized drafts of
        the company.  ``busy``: those another transaction holds or changed
        since this transaction's snapshot (under REPEATABLE READ locking
        such a row raises a serialization failure: it is skipped, not
        raised).  The others are no longer to register.

        The lock is FOR NO KEY UPDATE: the key-share locks of the rows that
        link a document to its run (foreign keys) do not block it, so a
        document linked to two runs is taken by the first engine only."""
        Move = self.env["account.move"]
        Move.flush_model(["l10n_it_autoreg_state", "state", "company_id"])
        query = """
            SELECT id FROM account_move
             WHERE id IN %s
               AND company_id = %s
               AND l10n_it_autoreg_state IN ('pending', 'unrecognized')
               AND state = 'draft'
             ORDER BY id
               FOR NO KEY UPDATE SKIP LOCKED
        """
        company_id = self.env.company.id
        taken = self._lock_rows(query, [tuple(ids), company_id])
        if taken is None:  # a row changed since the snapshot: one by one
            taken = []
            for id_ in sorted(ids):
                taken += self._lock_rows(query, [(id_,), company_id]) or []
        Move.browse(taken).invalidate_recordset()
        rest = sorted(set(ids) - set(taken))
        busy = []
        if rest:
            # still waiting in this transaction's snapshot: another one has them
            self.env.cr.execute(
                """
                SELECT id FROM account_move
                 WHERE id IN %s
                   AND company_id = %s
                   AND l10n_it_autoreg_state IN ('pending', 'unrecognized')
                   AND state = 'draft'
                 ORDER BY id
            """,
                [tuple(rest), company_id],
            )
            busy = [row[0] for row in self.env.cr.fetchall()]
        return taken, busy

    def _lock_rows(self, query, params):
        """The ids ``query`` locks, or None when a row changed after this
        transaction's snapshot (its savepoint is rolled back)."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, params)
                return [row[0] for row in self.env.cr.fetchall()]
        except pgerrors.SerializationFailure:
            return None
