"""Benchmark of the readable e-invoice (tab, dialog, Print e-invoice).

Builds a document of N lines (10,000 by default) with the test builder,
attaches it to a pending bill and times, in a database where l10n_it_autoreg
is installed: reading the file, the screen view (first page of lines, what
the tab and the dialog ask for; and a middle page), and the whole document
(every line on one page: what Print e-invoice renders as HTML before
wkhtmltopdf, when installed, makes the PDF).  Everything is rolled back.

    python3 scripts/bench_einvoice_view.py -c odoo.conf -d DB [-n 10000] [--repeat 3]
        [--lang it_IT]

Prints the best time (wall and CPU) of each step over --repeat runs, the
HTML sizes and the machine's load.
"""

import argparse
import importlib.util
import os
import sys
import time
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_builder():
    """tests/builder.py alone (pure: importing the tests package would load
    Odoo's test framework)."""
    path = os.path.join(REPO, "l10n_it_autoreg", "tests", "builder.py")
    spec = importlib.util.spec_from_file_location("autoreg_builder", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def best_of(repeat, function):
    """(best wall seconds, best CPU seconds of the process, last result) of
    ``repeat`` calls of ``function`` (on a loaded machine the CPU time says
    what the work costs, the wall time what a user waits)."""
    best, best_cpu, result = None, None, None
    for _i in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best, best_cpu, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--lines", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="en_US", help="an active language of the database")
    args = parser.parse_args()

    import odoo

    import odoo.addons

    if REPO not in odoo.addons.__path__:
        odoo.addons.__path__.append(REPO)
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

    from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes

    b = load_builder()

    spec = b.InvoiceSpec(
        number="BENCH-VIEW-1",
        lines=[
            b.LineSpec(
                "Articolo di magazzino numero %d, descrizione di media lunghezza" % k,
                price_unit=Decimal("10.%02d" % (k % 100)),
                quantity=Decimal(k % 7 + 1),
                uom="PZ",
                article_codes=[("SKU", "ART-%06d" % k)],
            )
            for k in range(args.lines)
        ],
    )
    data = b.build_xml(spec)
    print(f"document: {args.lines} lines, {len(data) / 1024 / 1024:.1f} MiB")
    registry = odoo.registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": args.lang})
        attachment = env["ir.attachment"].create({"name": "IT01234567890_BENCH.xml", "raw": data})
        move = env["account.move"].create(
            {
                "move_type": "in_invoice",
                "l10n_it_autoreg_state": "pending",
                "l10n_it_autoreg_attachment_id": attachment.id,
            }
        )
        move.l10n_it_autoreg_einvoice_html()  # (templates compiled once)
        report = env["ir.actions.report"]
        steps = [
            ("read the file", lambda: read_bytes(data, attachment.name)),
            ("screen view, page 1", lambda: move.l10n_it_autoreg_einvoice_html(page=1)),
            ("screen view, page 10", lambda: move.l10n_it_autoreg_einvoice_html(page=10)),
            (
                "whole document (Print e-invoice, HTML)",
                lambda: report._render_qweb_html(
                    "l10n_it_autoreg.action_report_einvoice", move.ids
                )[0],
            ),
        ]
        for name, function in steps:
            seconds, cpu, result = best_of(args.repeat, function)
            size = (
                f", {len(result) / 1024 / 1024:.1f} MiB HTML"
                if isinstance(result, (str, bytes))
                else ""
            )
            print(f"{name}: {seconds:.2f} s (CPU {cpu:.2f} s){size}")
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"load average: {load}")
        cr.rollback()


if __name__ == "__main__":
    main()
