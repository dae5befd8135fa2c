"""18.0.1.1.0: the document key is stored as the SHA-256 of the identity
text (bounded: a long Numero or IdCodice no longer exceeds the btree index
limit), normalised as identity.document_key does now, and is unique per
company.  Before the ORM adds the unique constraint: hash the existing keys,
keep the key on the oldest bill when several bills of a company have the
same one (repeats the old index could not prevent), drop the old index."""

import logging
import re

from odoo.addons.l10n_it_autoreg.registration.identity import identity_hash, renormalised_key

_logger = logging.getLogger(__name__)
# A key already hashed (a database where this version's code ran before its
# upgrade): kept as it is, never hashed twice.
HASHED = re.compile(r"[0-9a-f]{64}")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT id, company_id, l10n_it_autoreg_document_key
          FROM account_move
         WHERE l10n_it_autoreg_document_key IS NOT NULL
         ORDER BY id
        """
    )
    kept, updates, cleared = set(), [], []
    for move_id, company_id, key in cr.fetchall():
        new_key = key if HASHED.fullmatch(key) else identity_hash(renormalised_key(key))
        if (company_id, new_key) in kept:
            cleared.append(move_id)
            continue
        kept.add((company_id, new_key))
        updates.append((new_key, move_id))
    cr.execute("DROP INDEX IF EXISTS account_move__l10n_it_autoreg_document_key_index")
    for new_key, move_id in updates:
        cr.execute(
            "UPDATE account_move SET l10n_it_autoreg_document_key = %s WHERE id = %s",
            [new_key, move_id],
        )
    if cleared:
        cr.execute(
            "UPDATE account_move SET l10n_it_autoreg_document_key = NULL WHERE id IN %s",
            [tuple(cleared)],
        )
        _logger.warning(
            "l10n_it_autoreg: %s bills repeated an earlier bill's e-invoice identity; "
            "the identity is kept on the earlier bill only (ids %s)",
            len(cleared),
            cleared[:50],
        )
    _logger.info("l10n_it_autoreg: %s document keys hashed", len(updates))
