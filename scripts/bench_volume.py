"""Benchmark of volume: the cost of a bill as the documents pile up, in one
company and across many companies of one database, and the screens with
thousands of documents waiting.

- **One company** ("Bench Volume Srl"): for each step of ``--steps`` (e.g.
  100, 1000, 10000) it receives that many e-invoices (the upload on Vendor
  Bills, ``--upload`` files per request, each committed), measures the To
  register screens with all of them pending, selects them all and presses
  Register automatically (a run queued for the scheduled action), then lets
  the scheduled action register them (batches committed).  The database
  keeps growing from step to step: per-bill costs must stay flat.
- **Screens**, with N documents pending: the To register list (its action's
  domain, its list view's fields: ``web_search_read`` of the first page
  with the pager's count, as the web client asks), its banner
  (``get_to_register_status``), the server action on all of them, and the
  run's form (``web_read`` with its tabs' first 40 rows) while the run is
  queued; the median of ``--repeat`` calls each.
- **Many companies** (``--companies 50 --per-company 200``): companies
  "Bench Volume 01".."50" (Italian chart; made once, their set-up not
  timed) receive their documents, then one call of the scheduled action
  registers the runs of them all; per-bill costs beside the one company's.

Every bill is checked (posted once, with its document's figures).  Runs in
a database where l10n_it_autoreg is installed (scripts/bench.sh makes one);
what it makes stays (a bench database).

    bash scripts/bench.sh bench_volume.py [--steps 100,1000,10000] [--lines 5]
        [--suppliers 50] [--upload 500] [--companies 50 --per-company 200]
        [--repeat 5] [--no-steps] [--profile DIR]

``--profile DIR`` writes a cProfile (pstats) of each step's receiving and
registering, ``DIR/step-<n>-receive.prof`` and ``DIR/step-<n>-register.prof``
(n from 1; the registering of the many companies: ``DIR/companies-register.prof``).
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as bc  # noqa: E402

COMPANY = "Bench Volume Srl"
FIRST_COMPANY_VAT = 5100000000
FIRST_SUPPLIER = 5300000000
TO_REGISTER_ACTION = "l10n_it_autoreg.action_l10n_it_autoreg_to_register"
TO_REGISTER_LIST = "l10n_it_autoreg.view_move_list_l10n_it_autoreg_to_register"
RUN_FORM = "l10n_it_autoreg.view_l10n_it_autoreg_run_form"


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default=os.environ.get("BENCH_DB"))
    parser.add_argument("--steps", default="100,1000,10000")
    parser.add_argument("--no-steps", action="store_true", help="only the many companies")
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--suppliers", type=int, default=50)
    parser.add_argument("--upload", type=int, default=500, help="files per upload request")
    parser.add_argument("--companies", type=int, default=0)
    parser.add_argument("--per-company", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="DIR", help="cProfile of each phase into DIR")
    return parser.parse_args(argv)


# ----------------------------------------------------------------------
# Receiving and registering
# ----------------------------------------------------------------------
def receive(odoo, registry, company_id, journal_id, files, per_request, profile=None):
    """Upload ``files`` on the company's purchase journal, ``per_request``
    at a time (each request committed); the Meter (with a cProfile written
    to ``profile`` when given)."""
    with registry.cursor() as cr, bc.Meter(odoo, profile) as meter:
        admin = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin").id
        for start in range(0, len(files), per_request):
            env = odoo.api.Environment(
                cr, admin, {"allowed_company_ids": [company_id], "default_move_type": "in_invoice"}
            )
            attachments = env["ir.attachment"].create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "res_model": "account.journal",
                        "res_id": journal_id,
                    }
                    for name, data, _docs in files[start : start + per_request]
                ]
            )
            env["account.journal"].browse(journal_id)._create_document_from_attachment(
                attachments.ids
            )
            env.flush_all()
            cr.commit()  # pylint: disable=invalid-commit
    return meter


def select_all_and_register(odoo, registry, company_id):
    """The user selects every document To register and presses Register
    automatically (queued for the scheduled action); the Meter."""
    with registry.cursor() as cr, bc.Meter(odoo) as meter:
        env = user_env(odoo, cr, company_id)
        moves = env["account.move"].search(to_register_domain(env))
        env["l10n_it_autoreg.run"]._action_register_moves(moves)
        env.flush_all()
        cr.commit()  # pylint: disable=invalid-commit
    return meter


def cron(odoo, registry, profile=None):
    """The scheduled action, until every queued run is done; the Meter
    (with a cProfile written to ``profile`` when given)."""
    with registry.cursor() as cr, bc.Meter(odoo, profile) as meter:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["l10n_it_autoreg.run"]._process_running_runs(commit=True)
        cr.commit()  # pylint: disable=invalid-commit
    return meter


def check(odoo, registry, company_ids, documents):
    """(posted right, wrong) of ``documents`` in ``company_ids``."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bills = env["account.move"].search(
            [("company_id", "in", company_ids), ("ref", "in", [d["number"] for d in documents])]
        )
        right, wrong = bc.check_bills(bills, documents)
        bills.invalidate_recordset()
        return right, wrong


# ----------------------------------------------------------------------
# Screens
# ----------------------------------------------------------------------
def user_env(odoo, cr, company_id):
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    admin = env.ref("base.user_admin").id
    return odoo.api.Environment(
        cr, admin, {"allowed_company_ids": [company_id], "tz": "Europe/Rome"}
    )


def to_register_domain(env):
    from odoo.tools.safe_eval import safe_eval

    return safe_eval(env.ref(TO_REGISTER_ACTION).domain or "[]")


def specification(model, arch):
    """What the web client asks for the fields of view ``arch`` (an lxml
    element): display names of many2ones, the first 40 rows of x2many
    lists."""
    spec = {}
    for node in arch.iterchildren():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "field":
            field = model._fields[node.get("name")]
            if field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                sub = next((c for c in node if c.tag == "list"), None)
                comodel = model.env[field.comodel_name]
                spec[field.name] = {
                    "fields": specification(comodel, sub) if sub is not None else {},
                    "limit": 40,
                    "order": "",
                }
            else:
                spec[field.name] = {}
        else:
            spec.update(specification(model, node))
    return spec


def median_time(func, repeat):
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def screens(odoo, registry, company_id, repeat):
    """{screen: median seconds} with the company's documents pending; the
    run's form is measured after Register automatically on all of them."""
    from lxml import etree

    out = {}
    with registry.cursor() as cr:
        env = user_env(odoo, cr, company_id)
        Move = env["account.move"]
        domain = to_register_domain(env)
        arch = etree.fromstring(env.ref(TO_REGISTER_LIST).arch)
        list_spec = specification(Move, arch)
        order = arch.get("default_order")
        pending = Move.search_count(domain)

        def to_register_list():
            env.invalidate_all()
            Move.web_search_read(
                domain, list_spec, offset=0, limit=80, order=order, count_limit=10001
            )

        out["To register list (first 80 rows + count)"] = median_time(to_register_list, repeat)
        Run = env["l10n_it_autoreg.run"]
        out["banner (get_to_register_status)"] = median_time(Run.get_to_register_status, repeat)
        cr.rollback()
    with bc.Meter(odoo) as action:
        select_all_and_register(odoo, registry, company_id)
    out["Register automatically on all (queued)"] = action.seconds
    with registry.cursor() as cr:
        env = user_env(odoo, cr, company_id)
        Run = env["l10n_it_autoreg.run"]
        run = Run.search([("company_id", "=", company_id), ("state", "=", "running")], limit=1)
        form_spec = specification(Run, etree.fromstring(env.ref(RUN_FORM).arch))

        def run_form():
            env.invalidate_all()
            run.web_read(form_spec)

        out["run form (queued run)"] = median_time(run_form, repeat)
        out["banner while the run is queued"] = median_time(Run.get_to_register_status, repeat)
        cr.rollback()
    return pending, out


# ----------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------
def make_files(tag, count, args, vats, company):
    specs = bc.einvoice_specs(tag, count, args.lines, vats, company["vat"], company["name"])
    return bc.einvoice_files(specs, prefix=tag[-1])


def setup(odoo, registry, name, vat, vats):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company, journal = bc.bench_company(env, name, vat, autoreg=False)
        bc.bench_suppliers(env, vats)
        return {"id": company.id, "journal": journal.id, "name": name, "vat": vat}


def warm_up(odoo, registry, company, args, vats, stamp):
    """Not timed: what an earlier run left pending registered, and a few
    documents received and registered (a server that has run a while)."""
    files = make_files(f"W{stamp}", 5, args, vats, company)
    receive(odoo, registry, company["id"], company["journal"], files, args.upload)
    select_all_and_register(odoo, registry, company["id"])
    cron(odoo, registry)


def per_bill(meter, count):
    return (
        f"{1000 * meter.seconds / count:.1f} ms, {meter.queries / count:.1f} queries, "
        f"{1000 * meter.cpu / count:.1f} ms CPU per bill"
    )


def profile_path(args, name):
    """Where the cProfile ``name`` goes with ``--profile`` (else None)."""
    return args.profile and os.path.join(args.profile, f"{name}.prof")


def one_company(odoo, registry, args, vats, stamp):
    company = setup(odoo, registry, COMPANY, bc.valid_vats(FIRST_COMPANY_VAT, 1)[0], vats)
    warm_up(odoo, registry, company, args, vats, stamp)
    rows = []
    for step_no, count in enumerate(int(s) for s in args.steps.split(",") if s):
        tag = f"V{stamp}{bc.BASE36[step_no]}"
        files = make_files(tag, count, args, vats, company)
        documents = [doc for _n, _d, docs in files for doc in docs]
        print("step %d: %d documents (%s)" % (step_no + 1, count, bc.machine_load()), flush=True)
        received = receive(
            odoo,
            registry,
            company["id"],
            company["journal"],
            files,
            args.upload,
            profile_path(args, f"step-{step_no + 1}-receive"),
        )
        print(f"  received: {received.seconds:.1f} s; {per_bill(received, count)}", flush=True)
        pending, shown = screens(odoo, registry, company["id"], args.repeat)
        for screen, seconds in shown.items():
            print("  %s with %d pending: %.3f s" % (screen, pending, seconds), flush=True)
        registered = cron(odoo, registry, profile_path(args, f"step-{step_no + 1}-register"))
        right, wrong = check(odoo, registry, [company["id"]], documents)
        print(
            "  registered: %.1f s; %s; posted right %d/%d %s"
            % (registered.seconds, per_bill(registered, count), right, count, wrong[:3]),
            flush=True,
        )
        rows.append((count, received, registered))
    first = rows[0]
    for count, received, registered in rows:
        print(
            "per-bill cost at %6d vs %d: receive ×%.2f, register ×%.2f (CPU ×%.2f, ×%.2f)"
            % (
                count,
                first[0],
                (received.seconds / count) / (first[1].seconds / first[0]),
                (registered.seconds / count) / (first[2].seconds / first[0]),
                (received.cpu / count) / (first[1].cpu / first[0]),
                (registered.cpu / count) / (first[2].cpu / first[0]),
            )
        )


def many_companies(odoo, registry, args, vats, stamp):
    company_vats = bc.valid_vats(FIRST_COMPANY_VAT + 1000, args.companies)
    start = time.perf_counter()
    companies = [
        setup(odoo, registry, "Bench Volume %02d" % (n + 1), vat, vats)
        for n, vat in enumerate(company_vats)
    ]
    print(
        "%d companies ready in %.0f s (not timed below)"
        % (len(companies), time.perf_counter() - start),
        flush=True,
    )
    documents, received_s, received_q, received_cpu = [], 0.0, 0, 0.0
    for n, company in enumerate(companies):
        files = make_files(f"M{stamp}{bc.base36(n, 2)}", args.per_company, args, vats, company)
        documents += [doc for _n, _d, docs in files for doc in docs]
        meter = receive(odoo, registry, company["id"], company["journal"], files, args.upload)
        received_s, received_q, received_cpu = (
            received_s + meter.seconds,
            received_q + meter.queries,
            received_cpu + meter.cpu,
        )
        select_all_and_register(odoo, registry, company["id"])
    count = len(documents)
    print(
        "received %d documents in %d companies: %.1f ms, %.1f queries, %.1f ms CPU per bill"
        % (
            count,
            len(companies),
            1000 * received_s / count,
            received_q / count,
            1000 * received_cpu / count,
        ),
        flush=True,
    )
    registered = cron(odoo, registry, profile_path(args, "companies-register"))
    right, wrong = check(odoo, registry, [c["id"] for c in companies], documents)
    print(
        "registered by one call of the scheduled action: %.1f s; %s; posted right %d/%d %s"
        % (registered.seconds, per_bill(registered, count), right, count, wrong[:3]),
        flush=True,
    )


def main():
    args = parse()
    odoo = bc.load_odoo(args.config, args.database)
    from odoo.modules.registry import Registry

    registry = Registry(args.database)
    vats = bc.valid_vats(FIRST_SUPPLIER, args.suppliers)
    stamp = bc.base36(int(time.time()) % 36**5, 5)
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
    print(
        "volume bench on %s: %d-line documents, %d suppliers; %s"
        % (args.database, args.lines, args.suppliers, bc.machine_load()),
        flush=True,
    )
    if not args.no_steps:
        one_company(odoo, registry, args, vats, stamp)
    if args.companies:
        many_companies(odoo, registry, args, vats, stamp)
    print(f"end: {bc.machine_load()}; peak RSS {bc.peak_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
