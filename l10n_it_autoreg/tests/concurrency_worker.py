"""One Odoo process registering or receiving documents, for the concurrency
tests (test_reliability_concurrency.py) and scripts/bench_concurrency.py: not
a test itself.

    python3 concurrency_worker.py -c ODOO_CONF -d DB --company 3 [--uid 2] [--mode MODE] ...

``--mode register`` (the default; ``--ids 7,8,9`` [--gate-lock KEY]
[--gate-commit KEY]) registers the documents as the "Register automatically"
action does (``l10n_it_autoreg.run._register_now``) inside Odoo's own
``odoo.service.model.retrying`` (what an RPC call gets: rollback and retry on
serialization failures), commits, and prints one JSON line: the runs it
made (recognized, not recognized, taken by another process, note).

``--mode cron`` (``--ids``, [--batch-size N] [--fail-calls 2,3]
[--fail-with serialization|posted_name] [--retry-wait S]) queues the
documents in a run as the action does for a large selection (committed), then
calls the scheduled action (``_cron_register``, which commits each batch and
retries it after a concurrency error) and prints the run.  ``--fail-calls``:
the engine's ``_post`` calls (counted from 1 in this process) that first run
a statement on which the database raises the real error of ``--fail-with``
(a serialization failure, or the unique violation of the posted bills'
numbers, ``account_move_unique_name``) -- what a concurrent transaction
causes.  ``--retry-wait`` shortens the cron's back-off.

``--mode receive`` (``--file PATH --name NAME`` [--gate-create KEY]
[--gate-commit KEY]) uploads the file on the company's purchase journal: the
attachment is created and committed first (the upload request), then the
journal's ``_create_document_from_attachment`` (the upload's RPC call) runs
inside ``retrying`` and commits; it prints the bills returned, the
attachment and the bills' file attachments.

``--gate-lock KEY`` waits, just before the engine takes (locks) the
documents, until the advisory lock KEY is free; ``--gate-create KEY`` waits
for it just before a received bill is created (its identity was looked up);
``--gate-commit KEY`` waits for it just before committing.  The caller holds
KEY to order the processes (it sees a worker waiting in pg_locks).  Nothing
else is replaced: the ORM and the database are the real ones."""

import argparse
import json
import os
import sys

# Statements on which the database raises what a concurrent transaction causes.
FAIL_SQL = {
    "serialization": """DO $$ BEGIN RAISE EXCEPTION 'could not serialize access due to
                        concurrent update' USING ERRCODE = 'serialization_failure'; END $$""",
    "posted_name": """DO $$ BEGIN RAISE EXCEPTION 'duplicate key value violates unique
                      constraint "account_move_unique_name"' USING ERRCODE = 'unique_violation',
                      CONSTRAINT = 'account_move_unique_name'; END $$""",
}


def gate(cr, key):
    """Wait until the session advisory lock ``key`` is free."""
    cr.execute("SELECT pg_advisory_lock_shared(%s), pg_advisory_unlock_shared(%s)", [key, key])


def parse(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--mode", choices=("register", "cron", "receive"), default="register")
    parser.add_argument("--ids", default="", help="account.move ids, comma separated")
    parser.add_argument("--uid", type=int, default=2, help="the user registering (admin)")
    parser.add_argument("--company", type=int, required=True, help="the documents' company")
    parser.add_argument("--gate-lock", type=int)
    parser.add_argument("--gate-create", type=int)
    parser.add_argument("--gate-commit", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--fail-calls", default="", help="_post calls to fail, comma separated")
    parser.add_argument("--fail-with", choices=sorted(FAIL_SQL), default="serialization")
    parser.add_argument("--retry-wait", type=float)
    parser.add_argument("--file")
    parser.add_argument("--name")
    return parser.parse_args(argv)


def load(args):
    from odoo.modules.registry import Registry
    from odoo.tools import config

    import odoo.addons

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if repo not in odoo.addons.__path__:
        odoo.addons.__path__.append(repo)
    return Registry(args.database)


def wrap(model_class, name, before):
    """``model_class.name`` calling ``before(self)`` first (a gate, a
    database error): the method itself is the real one."""
    method = getattr(model_class, name)

    def wrapped(self, *args, **kwargs):
        before(self)
        return method(self, *args, **kwargs)

    setattr(model_class, name, wrapped)


def run_data(run):
    return {
        "run": run.id,
        "state": run.state,
        "recognized": run.recognized_move_ids.ids,
        "unrecognized": run.unrecognized_move_ids.ids,
        "reasons": run.unrecognized_move_ids.mapped("l10n_it_autoreg_reason_code"),
        "busy": run.busy_count,
        "left": run.left_count,
        "outcome": run.outcome or "",
        "note": run.note or "",
        "errors": run.error_message or "",
    }


def register(registry, args, env, tries):
    def call():
        tries.append(1)
        moves = env["account.move"].browse(ids_of(args))
        runs = env["l10n_it_autoreg.run"]._register_now(moves).sudo()
        out = [run_data(run) for run in runs]
        if args.gate_commit:
            gate(env.cr, args.gate_commit)
        return out

    from odoo.service.model import retrying

    return {"runs": retrying(call, env)}


def cron(registry, args, env, tries):
    from odoo import SUPERUSER_ID, api

    # this file runs as a script (python3 concurrency_worker.py): no package
    # to be relative to
    from odoo.addons.l10n_it_autoreg.models import (  # pylint: disable=odoo-addons-relative-import
        l10n_it_autoreg_run_cron,
    )

    if args.batch_size:
        registry["l10n_it_autoreg.run"]._batch_size = args.batch_size
    if args.retry_wait is not None:
        l10n_it_autoreg_run_cron.RETRY_WAIT = args.retry_wait
    fail = {int(n) for n in args.fail_calls.split(",") if n}
    posts, failed = [], []

    def maybe_fail(engine):
        posts.append(1)
        if len(posts) in fail:
            failed.append(len(posts))
            engine.env.cr.execute(FAIL_SQL[args.fail_with])

    wrap(registry["l10n_it_autoreg.engine"], "_post", maybe_fail)
    company = env["res.company"].browse(args.company)
    run = env["l10n_it_autoreg.run"]._create_run(company, env["account.move"].browse(ids_of(args)))
    env.cr.commit()
    # the scheduled action, as its user (OdooBot), in its own cursor
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["l10n_it_autoreg.run"]._cron_register()
    env.invalidate_all()
    return {"runs": [run_data(run.sudo())], "failed": failed, "posts": len(posts)}


def receive(registry, args, env, tries):
    from odoo.service.model import retrying

    if args.gate_create:
        wrap(
            registry["account.move"],
            "_l10n_it_autoreg_create_pending",
            lambda move: gate(move.env.cr, args.gate_create),
        )
    company = env["res.company"].browse(args.company)
    journal = env["account.move"]._l10n_it_autoreg_purchase_journal(company)
    with open(args.file, "rb") as file:
        attachment = env["ir.attachment"].create({"name": args.name, "raw": file.read()})
    env.cr.commit()  # the upload request

    def call():
        tries.append(1)
        moves = journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
        out = {
            "moves": moves.ids,
            "attachment": attachment.id,
            "files": moves.l10n_it_autoreg_attachment_id.ids,
        }
        if args.gate_commit:
            gate(env.cr, args.gate_commit)
        return out

    return retrying(call, env)


def ids_of(args):
    return [int(i) for i in args.ids.split(",") if i]


def main(argv=None):
    args = parse(argv)
    registry = load(args)
    if args.gate_lock:
        wrap(
            registry["l10n_it_autoreg.engine"],
            "_lock",
            lambda engine: gate(engine.env.cr, args.gate_lock),
        )
    from odoo import api

    tries = []
    with registry.cursor() as cr:
        env = api.Environment(cr, args.uid, {"allowed_company_ids": [args.company]})
        mode = {"register": register, "cron": cron, "receive": receive}[args.mode]
        result = mode(registry, args, env, tries)
    # its output: one JSON line the test reads
    print(json.dumps({**result, "tries": len(tries)}))  # pylint: disable=print-used
    sys.stdout.flush()


if __name__ == "__main__":
    main()
