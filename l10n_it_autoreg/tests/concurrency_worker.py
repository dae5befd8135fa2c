"""One Odoo process registering documents, for the concurrency tests
(test_reliability_concurrency.py) and scripts/bench_concurrency.py: not a
test itself.

    python3 concurrency_worker.py -c ODOO_CONF -d DB --company 3 --ids 7,8,9 [--uid 2]
        [--gate-lock KEY] [--gate-commit KEY]

It registers the documents as the "Register automatically" action does
(``l10n_it_autoreg.run._register_now``) inside Odoo's own
``odoo.service.model.retrying`` (what an RPC call gets: rollback and retry on
serialization failures), commits, and prints one JSON line: the runs it
made (recognized, not recognized, taken by another process, note).

``--gate-lock KEY`` waits, just before the engine takes (locks) the
documents, until the advisory lock KEY is free; ``--gate-commit KEY`` waits
for it just before committing.  The caller holds KEY to order the two
processes (it sees a worker waiting in pg_locks).  Nothing else is replaced:
the ORM and the database are the real ones."""

import argparse
import json
import os
import sys


def gate(cr, key):
    """Wait until the session advisory lock ``key`` is free."""
    cr.execute("SELECT pg_advisory_lock_shared(%s), pg_advisory_unlock_shared(%s)", [key, key])


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--ids", required=True, help="account.move ids, comma separated")
    parser.add_argument("--uid", type=int, default=2, help="the user registering (admin)")
    parser.add_argument("--company", type=int, required=True, help="the documents' company")
    parser.add_argument("--gate-lock", type=int)
    parser.add_argument("--gate-commit", type=int)
    args = parser.parse_args(argv)

    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.service.model import retrying
    from odoo.tools import config

    import odoo.addons

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if repo not in odoo.addons.__path__:
        odoo.addons.__path__.append(repo)
    registry = Registry(args.database)
    if args.gate_lock:
        engine_class = registry["l10n_it_autoreg.engine"]
        take = engine_class._lock

        def _lock(self, ids):
            gate(self.env.cr, args.gate_lock)
            return take(self, ids)

        engine_class._lock = _lock

    ids = [int(i) for i in args.ids.split(",") if i]
    tries = []
    with registry.cursor() as cr:
        env = api.Environment(cr, args.uid, {"allowed_company_ids": [args.company]})

        def register():
            tries.append(1)
            moves = env["account.move"].browse(ids)
            runs = env["l10n_it_autoreg.run"]._register_now(moves).sudo()
            out = [
                {
                    "run": run.id,
                    "recognized": run.recognized_move_ids.ids,
                    "unrecognized": run.unrecognized_move_ids.ids,
                    "reasons": run.unrecognized_move_ids.mapped("l10n_it_autoreg_reason_code"),
                    "busy": run.busy_count,
                    "note": run.note or "",
                }
                for run in runs
            ]
            if args.gate_commit:
                gate(cr, args.gate_commit)
            return out

        result = retrying(register, env)
    print(json.dumps({"runs": result, "tries": len(tries)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
