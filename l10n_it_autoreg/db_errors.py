"""Database errors as the registration sees them: the ones that mean
"another transaction got there first" (retried in a new transaction, never a
reason on a document), and the short detail of an unexpected one."""

import psycopg2
from psycopg2 import IntegrityError, OperationalError, errorcodes
from psycopg2 import errors as pgerrors

from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

# An internal error's detail on the bill: the exception class and the first
# line of its message, bounded (a database error's full text, with its SQL
# and values, stays in the log).
ERROR_DETAIL_MAX = 120


def short_error(error):
    """``ClassName: first line of the message`` (bounded) of ``error``;
    for a database error its class only (psycopg2's messages quote values
    and SQL)."""
    name = type(error).__name__
    if isinstance(error, psycopg2.Error):
        return name
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if len(text) > ERROR_DETAIL_MAX:
        text = text[: ERROR_DETAIL_MAX - 1] + "…"
    return f"{name}: {text}" if text else name


# Unique constraints two transactions can both pass in their snapshots: the
# number of a posted entry (account.move), a supplier's bank account.
CONCURRENCY_CONSTRAINTS = frozenset(["account_move_unique_name", "res_partner_bank_unique_number"])


class ConcurrentUpdate(pgerrors.SerializationFailure):
    """Another transaction committed what this one should have seen (a
    supplier it created, a bill number it took): the work must be done again
    in a new transaction.  A SerializationFailure (pgcode 40001), so that
    Odoo's ``odoo.service.model.retrying`` (RPC, HTTP) retries it like the
    ones PostgreSQL raises."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


def is_concurrency_error(error):
    """True for the errors that mean "another transaction got there first"
    (retried in a new transaction, never a reason on a document): PostgreSQL
    serialization failures, deadlocks, locks not available, and the unique
    constraints of CONCURRENCY_CONSTRAINTS (two bills numbered alike)."""
    if isinstance(error, OperationalError):
        return error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    if isinstance(error, IntegrityError):
        diag = getattr(error, "diag", None)
        return getattr(diag, "constraint_name", None) in CONCURRENCY_CONSTRAINTS
    return False


def raise_if_concurrency(error):
    """Raise ``error`` again when it is a concurrency error (as an
    OperationalError, which Odoo's retrying() retries); else return."""
    if not is_concurrency_error(error):
        return
    if isinstance(error, OperationalError):
        raise error
    raise ConcurrentUpdate(str(error)) from error
