"""Benchmark of concurrent registration: two Odoo processes on the same documents.

Commits N pending bills (FatturaPA made by the test builder, of a few
suppliers that do not exist yet) in a company "Bench Concorrenza Srl" (made
with the Italian chart when missing, automatic registration off so that no
cron takes them), then starts two worker processes
(l10n_it_autoreg/tests/concurrency_worker.py: "Register automatically" on
all N documents, inside Odoo's retrying(), then commit) released at the same
moment, and prints what happened.  Runs in a database where l10n_it_autoreg
is installed; the documents, runs and suppliers it made are deleted at the
end unless --keep is given (the company stays).

    python3 scripts/bench_concurrency.py -c odoo.conf -d DB [-n 200] [--suppliers 5]
        [--workers 2] [--keep]

Prints: documents, posted once, duplicates created (bills with the same
supplier and number, suppliers with the same VAT number), internal errors,
runs consistent (sum of the runs' counts == bills registered, and each bill
counted by one run), and per worker its time, tries and what its runs said.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as bc  # noqa: E402

REPO = bc.REPO
WORKER = os.path.join(REPO, "l10n_it_autoreg", "tests", "concurrency_worker.py")
GATE = 7_315_101
COMPANY = "Bench Concorrenza Srl"
BUYER_VAT = "IT07654321004"


def setup_company(env):
    """The company (with its chart) and the admin allowed in it."""
    company, _journal = bc.bench_company(env, COMPANY, BUYER_VAT, autoreg=False)
    return company, env.ref("base.user_admin")


def setup_documents(env, company, args):
    """N pending bills of ``args.suppliers`` new suppliers: ids, VAT numbers."""
    b = bc.builder()
    suppliers = [
        b.PartySpec(vat=vat, name=f"Bench Conc {vat[2:]}")
        for vat in bc.valid_vats(random.randrange(10**8, 9 * 10**8) * 10, args.suppliers)
    ]
    tag = "%06d" % random.randrange(10**6)
    files = []
    for i in range(args.count):
        spec = b.InvoiceSpec(number="BC%s-%05d" % (tag, i), seller=suppliers[i % len(suppliers)])
        files.append(("IT%s_C%05d.xml" % (spec.seller.vat[2:], i), b.build_xml(spec)))
    journal = env["account.move"]._l10n_it_autoreg_purchase_journal(company)
    moves = (
        env["account.move"]
        .with_company(company)
        ._l10n_it_autoreg_receive_files(files, journal=journal)
    )
    return moves.ids, [s.vat for s in suppliers]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default=os.environ.get("BENCH_DB"))
    parser.add_argument("-n", "--count", type=int, default=200)
    parser.add_argument("--suppliers", type=int, default=5)
    parser.add_argument(
        "--workers", type=int, default=2, help="processes (1: the baseline without concurrency)"
    )
    parser.add_argument("--keep", action="store_true", help="keep what was made")
    args = parser.parse_args()

    odoo = bc.load_odoo(args.config, args.database)
    from odoo.modules.registry import Registry

    registry = Registry(args.database)
    # the company committed first: receiving (savepoints) must not see its
    # set-up still pending
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company, admin = setup_company(env)
        company_id, admin_id = company.id, admin.id
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        ids, vats = setup_documents(env, env["res.company"].browse(company_id), args)
    print("documents: %d (%d new suppliers)" % (len(ids), len(vats)))

    gate = registry.cursor()
    gate.execute("SELECT pg_advisory_lock(%s)", [GATE])
    cmd = [
        sys.executable,
        WORKER,
        "-c",
        args.config,
        "-d",
        args.database,
        "--uid",
        str(admin_id),
        "--company",
        str(company_id),
        "--ids",
        ",".join(map(str, ids)),
        "--gate-lock",
        str(GATE),
    ]
    workers = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _i in range(args.workers)
    ]
    while True:  # both loaded and waiting at the gate
        gate.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        if gate.fetchone()[0] >= len(workers) or any(w.poll() is not None for w in workers):
            break
        gate.rollback()
        time.sleep(0.1)
    start = time.perf_counter()
    gate.execute("SELECT pg_advisory_unlock(%s)", [GATE])
    gate.commit()
    gate.close()
    results, times = [], []
    for worker in workers:
        out, _err = worker.communicate()
        times.append(time.perf_counter() - start)
        if worker.returncode:
            print(f"worker failed (exit {worker.returncode})")
            return 1
        results.append(json.loads(out.strip().splitlines()[-1]))

    with registry.cursor() as cr:
        cr.execute(
            """SELECT state, l10n_it_autoreg_state, l10n_it_autoreg_reason_code, count(*)
                 FROM account_move WHERE id IN %s GROUP BY 1, 2, 3 ORDER BY 4 DESC""",
            [tuple(ids)],
        )
        states = cr.fetchall()
        cr.execute(
            """SELECT count(*) FROM (
                 SELECT commercial_partner_id, ref FROM account_move
                  WHERE company_id = %s AND state = 'posted' AND id IN %s
                  GROUP BY 1, 2 HAVING count(*) > 1) d""",
            [company_id, tuple(ids)],
        )
        duplicate_bills = cr.fetchone()[0]
        cr.execute(
            "SELECT vat, count(*) FROM res_partner WHERE vat IN %s GROUP BY vat", [tuple(vats)]
        )
        per_vat = dict(cr.fetchall())
        registered = sum(n for s, a, _r, n in states if (s, a) == ("posted", "registered"))
        internal = sum(n for _s, _a, r, n in states if r == "internal_error")
        runs = [run for result in results for run in result["runs"]]
        counted = [i for run in runs for i in run["recognized"]]
        consistent = len(counted) == registered and len(set(counted)) == len(counted)
        print("posted once: %d of %d" % (registered, len(ids)))
        print(
            "duplicates created: %d bills, %d suppliers (suppliers created: %d for %d VAT numbers)"
            % (
                duplicate_bills,
                sum(n - 1 for n in per_vat.values()),
                sum(per_vat.values()),
                len(vats),
            )
        )
        print("internal errors: %d; states: %s" % (internal, states))
        print(
            "runs consistent: %s (sum of run counts %d, bills registered %d)"
            % ("yes" if consistent else "NO", len(counted), registered)
        )
        for n, (result, elapsed) in enumerate(zip(results, times, strict=True), start=1):
            for run in result["runs"]:
                print(
                    "worker %d: %.1f s, %d tries; run %d: %d registered, %d not recognized, "
                    "%d taken by the other process"
                    % (
                        n,
                        elapsed,
                        result["tries"],
                        run["run"],
                        len(run["recognized"]),
                        len(run["unrecognized"]),
                        run["busy"],
                    )
                )
        if not args.keep:
            cr.execute("DELETE FROM l10n_it_autoreg_run WHERE company_id = %s", [company_id])
            cr.execute(
                "DELETE FROM ir_attachment WHERE res_model = 'account.move' AND res_id IN %s",
                [tuple(ids)],
            )
            cr.execute("DELETE FROM account_move WHERE id IN %s", [tuple(ids)])
            cr.execute(
                "DELETE FROM res_partner_bank WHERE partner_id IN "
                "(SELECT id FROM res_partner WHERE vat IN %s)",
                [tuple(vats)],
            )
            cr.execute("DELETE FROM res_partner WHERE vat IN %s", [tuple(vats)])
    ok = registered == len(ids) and not duplicate_bills and consistent and not internal
    ok = ok and all(n == 1 for n in per_vat.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
