"""What the benchmarks share: loading Odoo for a script, Italian companies
and suppliers made for a bench, generated e-invoices with the figures their
bills must have, the process's memory and the machine's load.

Imported by scripts/bench_*.py (run from any folder: they put scripts/ on
sys.path themselves).  Needs nothing but Odoo and the addon's test builder.
"""

import datetime as dt
import os
import resource
import sys
import time
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def load_odoo(config, database=None, log_level="warn"):
    """Odoo configured from ``config`` (the addon importable from this
    checkout); returns the ``odoo`` package."""
    import odoo

    import odoo.addons

    if REPO not in odoo.addons.__path__:
        odoo.addons.__path__.append(REPO)
    args = ["-c", config, f"--log-level={log_level}"]
    if database:
        args += ["-d", database]
    odoo.tools.config.parse_config(args)
    return odoo


def builder():
    """tests/builder.py (pure Python), without importing the addon's tests
    package (which imports Odoo's test framework)."""
    import importlib.util

    name = "l10n_it_autoreg_bench_builder"
    if name not in sys.modules:
        path = os.path.join(REPO, "l10n_it_autoreg", "tests", "builder.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def valid_vats(first, count):
    """``count`` valid Italian VAT numbers (IT + 11 digits) from ``first`` on."""
    from stdnum.it import iva

    vats, number = [], first
    while len(vats) < count:
        candidate = "0%010d" % number
        number += 1
        if iva.is_valid(candidate):
            vats.append("IT" + candidate)
    return vats


def base36(number, width):
    digits = ""
    for _i in range(width):
        number, digit = divmod(number, 36)
        digits = BASE36[digit] + digits
    return digits


def bench_company(env, name, vat, autoreg=None):
    """The company ``name`` (made with the Italian chart when missing, VAT
    ``vat``), the admin allowed in it; ``autoreg`` True / False switches
    automatic registration (when the addon is installed).  Returns
    (company, purchase journal)."""
    vals = {"vat": vat, "l10n_it_codice_fiscale": vat[2:]}
    company = env["res.company"].search([("name", "=", name)])
    if not company:
        company = env["res.company"].create(
            {
                "name": name,
                "country_id": env.ref("base.it").id,
                "currency_id": env.ref("base.EUR").id,
                **vals,
            }
        )
        env["account.chart.template"].try_loading("it", company, install_demo=False)
    if autoreg is not None and "l10n_it_autoreg_enabled" in company._fields:
        vals["l10n_it_autoreg_enabled"] = autoreg
    company.write(vals)
    env.ref("base.user_admin").company_ids |= company
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "purchase")], limit=1
    )
    return company, journal


def bench_suppliers(env, vats):
    """The suppliers of ``vats`` (created when missing, shared by all
    companies): {vat: partner}."""
    Partner = env["res.partner"].with_context(no_vat_validation=True)
    found = {p.vat: p for p in Partner.search([("vat", "in", vats)])}
    missing = [vat for vat in vats if vat not in found]
    if missing:
        created = Partner.create(
            [
                {
                    "name": f"Fornitore Bench {vat[2:]}",
                    "vat": vat,
                    "is_company": True,
                    "country_id": env.ref("base.it").id,
                }
                for vat in missing
            ]
        )
        found.update({p.vat: p for p in created})
    return found


def einvoice_specs(tag, count, lines, supplier_vats, buyer_vat, buyer_name, bodies=1):
    """``count`` InvoiceSpec of ``lines`` lines (22% and 10% alternately,
    one installment), numbered ``<tag>-<i>``, of the suppliers in turn
    (``bodies`` consecutive ones of the same supplier: one file's)."""
    b = builder()
    buyer = b.PartySpec(vat=buyer_vat, name=buyer_name)
    specs = []
    for i in range(count):
        vat = supplier_vats[(i // bodies) % len(supplier_vats)]
        specs.append(
            b.InvoiceSpec(
                number="%s-%06d" % (tag, i),
                date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                seller=b.PartySpec(vat=vat, name=f"Fornitore Bench {vat[2:]}"),
                buyer=buyer,
                lines=[
                    b.LineSpec(
                        "Riga %d del documento %s" % (k + 1, i),
                        price_unit=Decimal("10.%02d" % (k % 100)),
                        quantity=Decimal(k % 7 + 1),
                        vat_rate=Decimal("22") if k % 2 == 0 else Decimal("10"),
                    )
                    for k in range(lines)
                ],
            )
        )
    return specs


def einvoice_files(specs, bodies=1, prefix="A"):
    """[(file name, bytes, [expected figures of each body])]: ``bodies``
    consecutive specs per file (of one supplier: the file's header is the
    first one's).  File names follow the SdI's (core routes them to its
    FatturaPA import): IT<seller VAT>_<prefix><4 base-36 digits>."""
    b = builder()
    files = []
    for start in range(0, len(specs), bodies):
        group = specs[start : start + bodies]
        seller = group[0].seller
        name = f"{seller.vat}_{prefix}{base36(start, 4)}.xml"
        files.append((name, b.build_xml(*group), [expected(s) for s in group]))
    return files


def expected(spec):
    """The figures of the posted bill of ``spec`` (JSON-friendly)."""
    return {
        "vat": spec.seller.vat,
        "number": spec.number,
        "untaxed": str(spec.amount_untaxed()),
        "tax": str(spec.amount_tax()),
        "total": str(spec.document_total()),
    }


def check_bills(moves, documents):
    """(right, wrong: [text]) of the posted ``moves`` against the expected
    figures of ``documents``: one posted bill each, of its supplier, with
    its untaxed amount, VAT and total."""
    by_key = {}
    for move in moves:
        by_key.setdefault((move.partner_id.vat, move.ref), []).append(move)
    right, wrong = 0, []
    for doc in documents:
        bills = by_key.get((doc["vat"], doc["number"]), [])
        posted = [m for m in bills if m.state == "posted"]
        if len(posted) != 1:
            wrong.append("%s %s: %d posted bills" % (doc["vat"], doc["number"], len(posted)))
            continue
        move = posted[0]
        figures = (move.amount_untaxed, move.amount_tax, move.amount_total)
        wanted = tuple(float(Decimal(doc[k])) for k in ("untaxed", "tax", "total"))
        if move.move_type != "in_invoice" or any(
            abs(got - want) > 0.001 for got, want in zip(figures, wanted, strict=True)
        ):
            wrong.append(
                "{} {}: {} {}, expected {}".format(
                    doc["vat"], doc["number"], move.move_type, figures, wanted
                )
            )
            continue
        right += 1
    return right, wrong


class Meter:
    """Wall time, CPU time of this process and SQL queries of a block;
    with ``profile_path``, a cProfile of it written there (pstats)."""

    def __init__(self, odoo, profile_path=None):
        self.odoo, self.profile_path = odoo, profile_path

    def __enter__(self):
        self.profiler = None
        if self.profile_path:
            import cProfile

            self.profiler = cProfile.Profile()
            self.profiler.enable()
        self.queries = self.odoo.sql_db.sql_counter
        self.cpu = time.process_time()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu = time.process_time() - self.cpu
        self.queries = self.odoo.sql_db.sql_counter - self.queries
        if self.profiler:
            self.profiler.disable()
            self.profiler.dump_stats(self.profile_path)


def peak_rss_mib():
    """The process's peak resident memory so far (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib():
    """The process's resident memory now (MiB)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine_load():
    """The 1, 5 and 15 minute load averages and the CPU count, as text."""
    one, five, fifteen = os.getloadavg()
    return "load %.2f %.2f %.2f on %d CPUs" % (one, five, fifteen, os.cpu_count() or 0)
