"""Benchmark of the registration engine.

Creates N pending bills (5-line FatturaPA made by the test builder, all
addressed to the database's company) and times their registration.  Runs in
a database where l10n_it_autoreg is installed; everything it creates is rolled
back at the end unless --commit is given.

    python3 scripts/bench_register.py -c odoo.conf -d DB [-n 500] [--suppliers 20]
        [--profile registration.prof]

Prints the time and the SQL queries per file received and per bill
registered (odoo.sql_db.sql_counter); --profile writes a cProfile of the
registration (read it with python3 -m pstats FILE).
"""

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as bc  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, default=500)
    parser.add_argument("--suppliers", type=int, default=20)
    parser.add_argument("--commit", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="write a cProfile of the registration to FILE (pstats)",
    )
    args = parser.parse_args()

    odoo = bc.load_odoo(args.config, args.database, log_level="info")
    b = bc.builder()
    suppliers = [
        b.PartySpec(vat=vat, name="Bench Supplier %d" % n)
        for n, vat in enumerate(bc.valid_vats(3100000000, args.suppliers))
    ]

    registry = odoo.registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        if not company.vat:
            company.partner_id.with_context(no_vat_validation=True).vat = "IT07643520567"
        buyer = b.PartySpec(vat=company.vat, name=company.name)
        Move = env["account.move"]
        files = []
        for i in range(args.count):
            spec = b.InvoiceSpec(
                number="BENCH-%06d" % i,
                date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                seller=suppliers[i % len(suppliers)],
                buyer=buyer,
                lines=[
                    b.LineSpec(
                        "Riga %d" % k,
                        price_unit=Decimal("10.%02d" % k),
                        quantity=Decimal(k + 1),
                        vat_rate=Decimal("22") if k % 2 == 0 else Decimal("10"),
                    )
                    for k in range(5)
                ],
            )
            files.append(("IT%s_B%04d.xml" % (spec.seller.vat[2:], i % 10000), b.build_xml(spec)))
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        moves = Move._l10n_it_autoreg_receive_files(files)
        env.flush_all()
        received = time.perf_counter() - start
        received_queries = odoo.sql_db.sql_counter - queries
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        run = moves.action_l10n_it_autoreg_register()
        env.flush_all()
        registered = time.perf_counter() - start
        registered_queries = odoo.sql_db.sql_counter - queries
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        print(
            "received %d files in %.1f s (%.1f/s, %.1f queries per file)"
            % (
                len(files),
                received,
                len(files) / received,
                received_queries / len(files),
            )
        )
        print(
            "registered %d, not recognized %d, in %.1f s: %.1f bills/s "
            "(%.1f ms, %.1f queries per bill)"
            % (
                len(run.recognized_move_ids),
                len(run.unrecognized_move_ids),
                registered,
                len(moves) / registered,
                1000 * registered / len(moves),
                registered_queries / len(moves),
            )
        )
        reasons = {}
        for move in run.unrecognized_move_ids:
            reasons[move.l10n_it_autoreg_reason_code] = (
                reasons.get(move.l10n_it_autoreg_reason_code, 0) + 1
            )
        if reasons:
            print("reasons:", reasons)
        if args.commit:
            cr.commit()  # pylint: disable=invalid-commit (asked for by --commit)
        else:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
