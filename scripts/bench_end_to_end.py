"""Benchmark end to end: e-invoice files to posted bills, the addon against
stock Odoo 18, in one run.

The same generated e-invoices (tests/builder.py: ``--lines`` lines each,
``--suppliers`` suppliers, ``--bodies`` bodies per file) go, in one run and
on the same machine load, through:

- **addon** (database ``-d``, l10n_it_autoreg installed, automatic
  registration on): the upload on Vendor Bills (attachments created, then
  ``account.journal._create_document_from_attachment``, committed), then
  what the scheduled action does (``l10n_it_autoreg.run._cron_register``:
  batches committed one by one);
- **stock** (database ``--stock-database``, l10n_it_edi and
  l10n_it_edi_withholding installed, not the addon): the same upload (core
  ``l10n_it_edi`` import of each file), then ``action_post`` of the bills
  it made (what the user does next: select them, Confirm), committed.

In both databases the company "Bench E2E Srl" (Italian chart, made when
missing) is the buyer and the suppliers exist beforehand (core never creates
one).  Each side runs in its own process (its peak memory is its own); the
sides alternate, ``--rounds`` times, on new documents each round.  Every bill
is checked: posted once, of its supplier, with the document's untaxed
amount, VAT and total.  Databases are kept (a bench database, not yours).

    bash scripts/bench.sh bench_end_to_end.py [-n 200] [--lines 5] [--suppliers 20]
        [--bodies 1] [--rounds 2] [--sides addon,stock] [--profile DIR]
    python3 scripts/bench_end_to_end.py -c ODOO_CONF -d DB --stock-database DB2 ...

Prints, per round and side: receive and register / post times, bills per
second end to end, the ratio addon / stock (per round and over all rounds
together, wall clock and CPU), SQL queries per bill, the peak
memory of the process (and what the timed part added), bills posted right;
and the machine's load.  ``--profile DIR`` writes cProfiles of each phase
(DIR/<side>-<phase>.prof; python3 -m pstats).  A large document:
``-n 1 --lines 3000``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as bc  # noqa: E402

COMPANY = "Bench E2E Srl"
COMPANY_VAT = "IT07654321004"
FIRST_SUPPLIER = 4200000000


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default=os.environ.get("BENCH_DB"))
    parser.add_argument("--stock-database", default=os.environ.get("BENCH_STOCK_DB"))
    parser.add_argument("-n", "--count", type=int, default=200, help="documents (bodies)")
    parser.add_argument("--lines", type=int, default=5, help="lines per document")
    parser.add_argument("--suppliers", type=int, default=20)
    parser.add_argument("--bodies", type=int, default=1, help="bodies per file")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--warmup", type=int, default=5, help="documents done first, not timed (warm caches)"
    )
    parser.add_argument("--sides", default="addon,stock")
    parser.add_argument("--profile", metavar="DIR", help="cProfile of each phase into DIR")
    parser.add_argument(
        "--timeout", type=int, help="stop a side after this many seconds (a lower bound)"
    )
    parser.add_argument("--worker", choices=("addon", "stock"), help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ----------------------------------------------------------------------
# Worker: one side, in its own process
# ----------------------------------------------------------------------
def load_files(folder):
    with open(os.path.join(folder, "manifest.json")) as handle:
        manifest = json.load(handle)
    files = []
    for name in manifest["files"]:
        with open(os.path.join(folder, name), "rb") as handle:
            files.append((name, handle.read()))
    return manifest, files


def upload_and_register(odoo, registry, side, ids, files, profile=None):
    """Receive ``files`` on the purchase journal (the upload: attachments,
    then ``_create_document_from_attachment``, one request), then register
    them (addon: the scheduled action, as OdooBot) or post them (stock: the
    user's Confirm); returns the two Meters."""
    company_id, journal_id, admin_id = ids
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, admin_id, {"allowed_company_ids": [company_id], "default_move_type": "in_invoice"}
        )
        journal = env["account.journal"].browse(journal_id)
        with bc.Meter(odoo, profile and profile("receive")) as receive:
            attachments = env["ir.attachment"].create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "res_model": "account.journal",
                        "res_id": journal_id,
                    }
                    for name, data in files
                ]
            )
            moves = journal._create_document_from_attachment(attachments.ids)
            env.flush_all()
            cr.commit()  # pylint: disable=invalid-commit
        move_ids = moves.ids
    with registry.cursor() as cr:
        if side == "addon":
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            with bc.Meter(odoo, profile and profile("register")) as register:
                env["l10n_it_autoreg.run"]._cron_register(time_budget=None)
                env.flush_all()
                cr.commit()  # pylint: disable=invalid-commit
        else:
            env = odoo.api.Environment(cr, admin_id, {"allowed_company_ids": [company_id]})
            with bc.Meter(odoo, profile and profile("register")) as register:
                env["account.move"].browse(move_ids).action_post()
                env.flush_all()
                cr.commit()  # pylint: disable=invalid-commit
    return receive, register


def outcome(odoo, registry, side, company_id, documents):
    """What became of ``documents``: bills, posted, posted right, states."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        numbers = [doc["number"] for doc in documents]
        bills = env["account.move"].search(
            [("company_id", "=", company_id), ("ref", "in", numbers)]
        )
        right, wrong = bc.check_bills(bills, documents)
        states = {}
        for bill in bills:
            key = bill.state
            if side == "addon":
                key += "/%s" % (bill.l10n_it_autoreg_reason_code or bill.l10n_it_autoreg_state)
            states[key] = states.get(key, 0) + 1
        return {
            "bills": len(bills),
            "posted": sum(1 for b in bills if b.state == "posted"),
            "right": right,
            "wrong": wrong[:5],
            "wrong_count": len(wrong),
            "states": states,
        }


def worker(args):
    side = args.worker
    database = args.database if side == "addon" else args.stock_database
    odoo = bc.load_odoo(args.config, database)
    from odoo.modules.registry import Registry

    manifest, files = load_files(args.files)
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company, journal = bc.bench_company(
            env, COMPANY, COMPANY_VAT, autoreg=True if side == "addon" else None
        )
        bc.bench_suppliers(env, manifest["suppliers"])
        ids = (company.id, journal.id, env.ref("base.user_admin").id)
    # a server that has run a while: its caches warm (not timed)
    warmup = os.path.join(args.files, "warmup")
    if os.path.isdir(warmup):
        upload_and_register(odoo, registry, side, ids, load_files(warmup)[1])
    rss_before = bc.rss_mib()

    def profile(phase):
        return args.profile and os.path.join(args.profile, f"{side}-{phase}.prof")

    receive, register = upload_and_register(odoo, registry, side, ids, files, profile)
    result = outcome(odoo, registry, side, ids[0], manifest["documents"])
    result.update(
        {
            "side": side,
            "files": len(files),
            "documents": len(manifest["documents"]),
            "receive_s": receive.seconds,
            "register_s": register.seconds,
            "receive_queries": receive.queries,
            "register_queries": register.queries,
            "cpu_s": receive.cpu + register.cpu,
            "rss_before_mib": rss_before,
            "peak_rss_mib": bc.peak_rss_mib(),
        }
    )
    print(json.dumps(result))
    return 0


# ----------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------
def write_round(folder, tag, args, supplier_vats, warmup=False):
    """The files of a round (and of its warm-up, 5-line documents, in
    ``warmup/``)."""
    if not warmup and args.warmup:
        os.mkdir(os.path.join(folder, "warmup"))
        write_round(os.path.join(folder, "warmup"), tag + "W", args, supplier_vats, True)
    specs = bc.einvoice_specs(
        tag,
        args.warmup if warmup else args.count,
        min(args.lines, 5) if warmup else args.lines,
        supplier_vats,
        COMPANY_VAT,
        COMPANY,
        bodies=args.bodies,
    )
    files = bc.einvoice_files(specs, bodies=args.bodies, prefix=tag[-1])
    for name, data, _docs in files:
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
    manifest = {
        "files": [name for name, _data, _docs in files],
        "documents": [doc for _n, _d, docs in files for doc in docs],
        "suppliers": supplier_vats,
    }
    with open(os.path.join(folder, "manifest.json"), "w") as handle:
        json.dump(manifest, handle)
    return sum(len(data) for _n, data, _d in files)


def run_side(side, folder, args):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", side, "--files", folder]
    cmd += ["-c", args.config, "-d", args.database, "--stock-database", args.stock_database]
    if args.profile:
        cmd += ["--profile", args.profile]
    try:
        out = subprocess.run(
            cmd, stdout=subprocess.PIPE, text=True, check=False, timeout=args.timeout
        )
    except subprocess.TimeoutExpired:
        print("  %-5s did not finish in %d s (stopped)" % (side, args.timeout), flush=True)
        return None
    if out.returncode:
        raise SystemExit(f"{side} worker failed (exit {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(result):
    docs = result["documents"]
    total = result["receive_s"] + result["register_s"]
    queries = result["receive_queries"] + result["register_queries"]
    print(
        "  %-5s receive %6.1f s, %s %6.1f s: %7.2f bills/s end to end; "
        "%6.1f queries per bill (%.1f + %.1f); %.0f ms CPU per bill; peak RSS %.0f MiB "
        "(+%.0f); posted right %d/%d %s"
        % (
            result["side"],
            result["receive_s"],
            "register" if result["side"] == "addon" else "post    ",
            result["register_s"],
            result["right"] / total if total else 0,
            queries / docs,
            result["receive_queries"] / docs,
            result["register_queries"] / docs,
            1000 * result["cpu_s"] / docs,
            result["peak_rss_mib"],
            result["peak_rss_mib"] - result["rss_before_mib"],
            result["right"],
            docs,
            result["states"],
        ),
        flush=True,
    )
    for text in result["wrong"]:
        print("        wrong:", text)
    return result["right"] / total if total else 0


def main():
    args = parse()
    if args.worker:
        return worker(args)
    if not (args.database and args.stock_database):
        raise SystemExit("-d and --stock-database are needed (scripts/bench.sh gives them)")
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
    sides = [s for s in args.sides.split(",") if s]
    supplier_vats = bc.valid_vats(FIRST_SUPPLIER, args.suppliers)
    stamp = bc.base36(int(time.time()) % 36**5, 5)
    print(
        "%d documents of %d lines, %d suppliers, %d bodies per file; %d round(s); %s"
        % (args.count, args.lines, args.suppliers, args.bodies, args.rounds, bc.machine_load()),
        flush=True,
    )
    ratios, ok = [], True
    # all rounds together, per side: bills posted right, wall and CPU seconds
    totals = {side: [0, 0.0, 0.0] for side in sides}
    for round_no in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="bench_e2e_") as folder:
            tag = f"E{stamp}{bc.BASE36[round_no % 36]}"
            size = write_round(folder, tag, args, supplier_vats)
            print(
                "round %d (%s, %.1f MiB of files; %s):"
                % (round_no + 1, tag, size / 2**20, bc.machine_load()),
                flush=True,
            )
            # alternate who goes first: both sides meet the same load
            order = sides if round_no % 2 == 0 else sides[::-1]
            rates = {}
            for side in order:
                result = run_side(side, folder, args)
                if result is None:
                    continue
                rates[side] = report(result)
                totals[side][0] += result["right"]
                totals[side][1] += result["receive_s"] + result["register_s"]
                totals[side][2] += result["cpu_s"]
                if side == "addon":
                    ok = ok and result["right"] == result["documents"]
            if rates.get("stock") and "addon" in rates:
                ratios.append(rates["addon"] / rates["stock"])
                print(f"  ratio addon / stock: {ratios[-1]:.1f}×", flush=True)
    if ratios:
        print(
            "ratio over %d round(s): %s (%s)"
            % (len(ratios), " ".join(f"{r:.1f}×" for r in ratios), bc.machine_load())
        )
        # the machine's speed drifts between rounds (the same work takes up
        # to 1.5x longer at times): the sums over all rounds weigh both
        # sides on the same minutes
        addon, stock = totals.get("addon"), totals.get("stock")
        if addon and stock and addon[0] and stock[0] and addon[1] and addon[2]:
            wall = (addon[0] / addon[1]) / (stock[0] / stock[1])
            cpu = (addon[0] / addon[2]) / (stock[0] / stock[2])
            addon_rate, stock_rate = addon[0] / addon[1], stock[0] / stock[1]
            print(
                f"all rounds together: addon {addon_rate:.2f} bills/s, "
                f"stock {stock_rate:.2f} bills/s: {wall:.1f}× (CPU per bill: {cpu:.1f}×)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
