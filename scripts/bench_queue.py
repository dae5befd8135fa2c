"""Benchmark of registration through OCA queue_job: one job worker against two.

Self-contained.  It creates its database (l10n_it_autoreg, queue_job and the
glue module l10n_it_autoreg_queue; an Italian company; the suppliers, made
by registering one document of each beforehand), then measures the two
configurations alternately, round after round (order swapped every round),
so that both see the same machine:

1. N e-invoices are generated (tests/builder.py: five lines, two VAT
   rates, S suppliers) and received (not timed);
2. an Odoo server is started on the database with queue_job's job runner:
   ``--load=web,queue_job --workers=W`` and ``[queue_job] channels =
   root:K`` (K = 1 or 2 jobs at once; W = 2 HTTP workers in both);
   registry preloaded, then a warm-up batch registered through jobs (not
   timed) so that both workers have served a job;
3. the documents are handed to jobs as "Register automatically" does on a
   large selection (one run, chunks of 25 documents, one job each, on the
   channel root.l10n_it_autoreg) and committed; the time runs from that
   commit to the end of the run (the job that counts the chunks);
4. checks: the run recognized all N, every document is a posted bill, once
   (no document in two chunks, no bill posted twice), every job done; then
   the server is stopped.

It prints every measurement with the load of the machine (load average,
share of the machine's CPU busy during it, CPU time of the Odoo server),
then the median rates and their ratio.  The machine's load changes the
figures: run it on a quiet machine for the reference ones.

    python3 scripts/bench_queue.py [-n 400] [--rounds 3] [--suppliers 20]
        [--warmup 100] [--database NAME] [--keep]

Database settings: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD (as scripts/lib.sh,
default localhost:5432, odoo/odoo).  The database is dropped at the end
unless --keep (or --database names an existing one, which is reused).
"""

import argparse
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = "l10n_it_autoreg,queue_job,l10n_it_autoreg_queue"
COMPANY_VAT, COMPANY_CF = "IT07654321004", "07654321004"
COMPANY_NAME = "Bench Coda Srl"
DB = {
    "host": os.environ.get("DB_HOST", "localhost"),
    "port": os.environ.get("DB_PORT", "5432"),
    "user": os.environ.get("DB_USER", "odoo"),
    "password": os.environ.get("DB_PASSWORD", "odoo"),
}
HTTP_WORKERS = 2
TIMEOUT = 1800


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=400, help="documents per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each configuration")
    parser.add_argument("--suppliers", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=100, help="documents of the warm-up batch")
    parser.add_argument(
        "--one-month",
        action="store_true",
        help="date every document in one month (default: over 300 days, a year's backlog): "
        "the bills then share one number sequence, which two jobs posting at once wait on",
    )
    parser.add_argument("--database", help="database to create (or reuse when it exists)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def addons_path():
    import odoo

    root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
    paths = [os.path.join(root, "addons"), os.path.join(root, "odoo", "addons"), REPO]
    return ",".join(p for p in paths if os.path.isdir(p))


def odoo_command():
    """``odoo-bin`` of the Odoo python3 imports when there is one: a prefork
    server starts its gevent process with its own ``sys.argv[0]``, which
    ``python3 -m odoo`` makes a bare ``__main__.py`` that cannot start."""
    import odoo

    root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
    odoo_bin = os.path.join(root, "odoo-bin")
    if os.path.isfile(odoo_bin):
        return [sys.executable, odoo_bin]
    return [sys.executable, "-m", "odoo"]


def write_config(database, channels=None):
    """An Odoo configuration file for ``database``; with ``channels``, the
    queue_job section of a server running the job runner."""
    lines = [
        "[options]",
        f"addons_path = {addons_path()}",
        f"db_host = {DB['host']}",
        f"db_port = {DB['port']}",
        f"db_user = {DB['user']}",
        f"db_password = {DB['password']}",
        f"db_name = {database}",
        f"dbfilter = ^{database}$",
        "list_db = False",
        f"http_port = {free_port()}",
    ]
    if channels:
        lines += [
            "server_wide_modules = base,web,queue_job",
            f"workers = {HTTP_WORKERS}",
            "max_cron_threads = 0",
            "limit_time_real = 3600",
            "limit_time_cpu = 3600",
            "",
            "[queue_job]",
            f"channels = {channels}",
        ]
    handle, path = tempfile.mkstemp(suffix=".odoo.conf")
    with os.fdopen(handle, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def psql_env():
    return dict(os.environ, PGPASSWORD=DB["password"])


def database_exists(name):
    out = subprocess.run(
        [
            "psql",
            "-h",
            DB["host"],
            "-p",
            DB["port"],
            "-U",
            DB["user"],
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        env=psql_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def create_database(conf, name):
    print(f"creating database {name} ({ADDONS}): a few minutes", flush=True)
    subprocess.run(
        odoo_command()
        + [
            "-c",
            conf,
            "-d",
            name,
            "-i",
            ADDONS,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--no-http",
        ],
        check=True,
    )


def drop_database(name):
    subprocess.run(
        ["dropdb", "--if-exists", "-h", DB["host"], "-p", DB["port"], "-U", DB["user"], name],
        env=psql_env(),
        check=False,
    )


class Bench:
    """The database side, in this process: company, documents, runs, checks."""

    def __init__(self, conf, database, suppliers, days=300):
        import odoo

        import odoo.addons

        if REPO not in odoo.addons.__path__:
            odoo.addons.__path__.append(REPO)
        odoo.tools.config.parse_config(["-c", conf, "-d", database])
        from odoo.modules.registry import Registry

        from odoo.addons.l10n_it_autoreg.tests import builder

        self.odoo, self.builder = odoo, builder
        self.registry = Registry(database)
        self.suppliers = self._suppliers(suppliers)
        self.serial = 0
        self.days = days

    def _suppliers(self, count):
        from stdnum.it import iva

        parties, number = [], 3200000000
        while len(parties) < count:
            candidate = "0%010d" % number
            number += 1
            if iva.is_valid(candidate):
                parties.append(
                    self.builder.PartySpec(
                        vat="IT" + candidate, name="Fornitore Coda %d Srl" % len(parties)
                    )
                )
        return parties

    def env(self, cr):
        odoo = self.odoo
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].search([("name", "=", COMPANY_NAME)], limit=1)
        if company:
            env = env(context={"allowed_company_ids": company.ids})
        return env, company

    def setup(self):
        """The Italian company, jobs switched on, the suppliers made."""
        from odoo.modules.registry import Registry

        with self.registry.cursor() as cr:
            env, company = self.env(cr)
            if not company:
                company = env["res.company"].create(
                    {
                        "name": COMPANY_NAME,
                        "country_id": env.ref("base.it").id,
                        "currency_id": env.ref("base.EUR").id,
                    }
                )
                # may install modules (l10n_it_edi_ndd): a new registry
                env["account.chart.template"].try_loading("it", company, install_demo=False)
                cr.commit()  # pylint: disable=invalid-commit (a script: its own transactions)
        self.registry = Registry(self.registry.db_name)
        with self.registry.cursor() as cr:
            env, company = self.env(cr)
            company.write({"vat": COMPANY_VAT, "l10n_it_codice_fiscale": COMPANY_CF})
            env["ir.config_parameter"].set_param("l10n_it_autoreg_queue.use_jobs", "always")
            cr.commit()  # pylint: disable=invalid-commit (a script: its own transactions)
        with self.registry.cursor() as cr:
            env, company = self.env(cr)
            moves = self.receive(env, company, len(self.suppliers), prefix="SETUP")
            moves.action_l10n_it_autoreg_register()
            cr.commit()  # pylint: disable=invalid-commit (a script: its own transactions)

    def receive(self, env, company, count, prefix):
        """``count`` pending bills received (files made by the builder)."""
        b = self.builder
        self.serial += 1
        buyer = b.PartySpec(vat=COMPANY_VAT, fiscal_code=COMPANY_CF, name=COMPANY_NAME)
        files = []
        for i in range(count):
            seller = self.suppliers[i % len(self.suppliers)]
            spec = b.InvoiceSpec(
                number=f"{prefix}-{os.getpid()}-{self.serial}-{i:05d}",
                date=dt.date(2025, 1, 1) + dt.timedelta(days=i % self.days),
                seller=seller,
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
            name = "IT%s_Q%s%04d.xml" % (seller.vat[2:], self.serial % 10, i % 10000)
            files.append((name, b.build_xml(spec)))
        journal = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "purchase")], limit=1
        )
        return (
            env["account.move"]
            .with_company(company)
            ._l10n_it_autoreg_receive_files(files, journal=journal)
        )

    def prepare(self, count, prefix):
        """Received documents, committed: their ids."""
        with self.registry.cursor() as cr:
            env, company = self.env(cr)
            moves = self.receive(env, company, count, prefix)
            cr.commit()  # pylint: disable=invalid-commit (a script: its own transactions)
            return moves.ids

    def enqueue(self, ids):
        """Register automatically on ``ids`` (a large selection: jobs),
        committed; the run's id."""
        with self.registry.cursor() as cr:
            env, _company = self.env(cr)
            Run = env["l10n_it_autoreg.run"]
            moves = env["account.move"].browse(ids)
            result = Run._action_register_moves(moves)
            assert result.get("tag") == "display_notification", result
            run = Run.search([("move_ids", "in", ids[:1])], limit=1, order="id desc")
            cr.commit()  # pylint: disable=invalid-commit (a script: its own transactions)
            return run.id

    def run_state(self, run_id):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM l10n_it_autoreg_run WHERE id = %s", [run_id])
            return cr.fetchone()[0]

    def check(self, run_id, ids):
        """What the run and the documents say; the problems found."""
        problems = []
        with self.registry.cursor() as cr:
            env, _company = self.env(cr)
            run = env["l10n_it_autoreg.run"].browse(run_id)
            moves = env["account.move"].browse(ids)
            if (run.state, run.recognized_count, run.unrecognized_count) != ("done", len(ids), 0):
                problems.append(
                    f"run {run.state}: {run.recognized_count} recognized, "
                    f"{run.unrecognized_count} not recognized of {len(ids)}; {run.note or ''}"
                )
            not_posted = moves.filtered(
                lambda m: (m.state, m.l10n_it_autoreg_state) != ("posted", "registered")
            )
            if not_posted:
                problems.append(f"{len(not_posted)} documents not registered")
            cr.execute(
                """SELECT ref, count(*) FROM account_move
                    WHERE company_id = %s AND state = 'posted' AND ref IN %s
                    GROUP BY ref HAVING count(*) > 1""",
                [run.company_id.id, tuple(moves.mapped("ref"))],
            )
            twice = cr.fetchall()
            if twice:
                problems.append(f"{len(twice)} documents posted more than once")
            chunks = run.sudo().chunk_ids
            in_chunks = [m for chunk in chunks for m in chunk.move_ids.ids]
            if sorted(in_chunks) != sorted(ids):
                problems.append("documents missing from the jobs, or in two jobs")
            uuids = chunks.mapped("job_uuid") + chunks.mapped("finish_job_uuid")
            jobs = env["queue.job"].search([("uuid", "in", list(set(uuids)))])
            if set(jobs.mapped("state")) != {"done"}:
                problems.append(f"jobs: {sorted(jobs.mapped('state'))}")
            retries = sum(max(job.retry - 1, 0) for job in jobs)
            job_seconds = sum(
                job.exec_time for job in jobs if job.method_name == "_queue_register_chunk"
            )
        return problems, len(chunks), retries, job_seconds

    def backend_pids(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cr.fetchall()]


class Server:
    """An Odoo server with queue_job's job runner (channels ``root:K``)."""

    def __init__(self, database, capacity):
        self.conf = write_config(database, channels=f"root:{capacity}")
        self.log = self.conf + ".log"
        self.process = subprocess.Popen(
            odoo_command() + ["-c", self.conf, f"--logfile={self.log}", "--log-level=info"],
            start_new_session=True,
        )

    def wait_ready(self, timeout=300):
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Odoo server stopped: see {self.log}")
            if os.path.exists(self.log):
                with open(self.log) as f:
                    if "queue job runner ready for db" in f.read():
                        return
            time.sleep(0.5)
        raise RuntimeError(f"the job runner did not start: see {self.log}")

    def cpu_seconds(self):
        import psutil

        try:
            main = psutil.Process(self.process.pid)
            procs = [main] + main.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for path in (self.conf, self.log):
            if os.path.exists(path):
                os.remove(path)


def cpu_jiffies():
    """(user, nice, other busy, total) jiffies of the whole machine
    (/proc/stat): processes at nice 0 count in user, niced ones in nice."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, idle = fields[0], fields[1], fields[3] + fields[4]
    return user, nice, sum(fields) - idle - user - nice, sum(fields)


def backend_cpu(bench):
    """CPU seconds of the PostgreSQL backends connected to the database now
    ({pid: seconds}; psutil reads them as root or as their owner)."""
    import psutil

    pids = bench.backend_pids()
    seconds = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        seconds[pid] = times.user + times.system
    return seconds


class LockSampler(threading.Thread):
    """Samples, every 0.1 s, how many backends of the database wait on a
    lock (pg_stat_activity.wait_event_type = 'Lock'), and how many are in a
    transaction."""

    def __init__(self, bench):
        super().__init__(daemon=True)
        self.bench, self.samples, self.waiting, self.busy = bench, 0, 0, 0
        self._stop_event = threading.Event()

    def run(self):
        with self.bench.registry.cursor() as cr:
            while not self._stop_event.wait(0.1):
                cr.execute(
                    """SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),
                              count(*) FILTER (WHERE state LIKE 'idle in transaction%%'
                                               OR state = 'active')
                         FROM pg_stat_activity WHERE datname = current_database()
                          AND pid <> pg_backend_pid()"""
                )
                waiting, busy = cr.fetchone()
                self.samples += 1
                self.waiting += waiting
                self.busy += busy
                cr.rollback()

    def stop(self):
        self._stop_event.set()
        self.join()


def wait_done(bench, run_id):
    start = time.monotonic()
    while bench.run_state(run_id) == "running":
        if time.monotonic() - start > TIMEOUT:
            raise RuntimeError(f"run {run_id} still running after {TIMEOUT} s")
        time.sleep(0.25)


def measure(bench, database, capacity, count, warmup, label):
    """One measurement: documents received, a server with ``capacity`` job
    workers, warm-up, the timed batch, checks."""
    ids = bench.prepare(count, prefix=f"{label}")
    warm_ids = bench.prepare(warmup, prefix=f"{label}W") if warmup else []
    server = Server(database, capacity)
    try:
        server.wait_ready()
        if warm_ids:
            wait_done(bench, bench.enqueue(warm_ids))
        load_before = os.getloadavg()[0]
        jiffies0 = cpu_jiffies()
        cpu0, pg0 = server.cpu_seconds(), backend_cpu(bench)
        sampler = LockSampler(bench)
        sampler.start()
        start = time.monotonic()
        run_id = bench.enqueue(ids)
        wait_done(bench, run_id)
        elapsed = time.monotonic() - start
        sampler.stop()
        cpu, pg1 = server.cpu_seconds() - cpu0, backend_cpu(bench)
        pg = sum(pg1.values()) - sum(v for pid, v in pg0.items() if pid in pg1)
        jiffies1 = cpu_jiffies()
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    problems, jobs, retries, job_seconds = bench.check(run_id, ids)
    user, nice, other, total = (b - a for a, b in zip(jiffies0, jiffies1, strict=True))
    result = {
        "capacity": capacity,
        "seconds": elapsed,
        "rate": count / elapsed,
        "cpu": cpu,
        "pg": pg,
        "parallel": job_seconds / elapsed,
        "lock_waits": sampler.waiting / max(sampler.samples, 1),
        "busy": 100.0 * (user + nice + other) / max(total, 1),
        "niced": 100.0 * nice / max(total, 1),
        "load": (load_before, load_after),
        "jobs": jobs,
        "retries": retries,
        "problems": problems,
    }
    print(
        f"  {capacity} job worker(s): {count} documents in {elapsed:6.1f} s = "
        f"{result['rate']:5.2f} bills/s; {jobs} jobs, {retries} retries, "
        f"{result['parallel']:.2f} jobs running on average, "
        f"{result['lock_waits']:.2f} backends waiting on a lock on average; CPU: Odoo "
        f"{cpu:5.1f} s + PostgreSQL {pg:5.1f} s = {1000 * (cpu + pg) / count:.0f} ms per bill; "
        f"machine busy {result['busy']:3.0f}% (niced processes {result['niced']:3.0f}%), "
        f"load {load_before:.1f} -> {load_after:.1f}; "
        + ("checks OK" if not problems else "PROBLEMS: " + "; ".join(problems)),
        flush=True,
    )
    return result


def main():
    args = parse_args()
    database = args.database or f"autoreg_bench_queue_{int(time.time())}"
    reuse = bool(args.database) and database_exists(database)
    conf = write_config(database)
    keep = args.keep or reuse
    try:
        if not reuse:
            create_database(conf, database)
        bench = Bench(conf, database, args.suppliers, days=28 if args.one_month else 300)
        bench.setup()
        print(
            f"{os.cpu_count()} CPU cores; {args.count} documents of {args.suppliers} suppliers "
            f"(5 lines each, dated over {bench.days} days) per measurement; "
            f"{HTTP_WORKERS} HTTP workers; "
            f"load now {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        results = {1: [], 2: []}
        for rnd in range(args.rounds):
            order = (1, 2) if rnd % 2 == 0 else (2, 1)
            print(f"round {rnd + 1}/{args.rounds}", flush=True)
            for capacity in order:
                results[capacity].append(
                    measure(
                        bench, database, capacity, args.count, args.warmup, f"R{rnd}K{capacity}"
                    )
                )
        one = statistics.median(r["rate"] for r in results[1])
        two = statistics.median(r["rate"] for r in results[2])
        ratios = [b["rate"] / a["rate"] for a, b in zip(results[1], results[2], strict=True)]
        problems = [p for rs in results.values() for r in rs for p in r["problems"]]
        print(
            f"median: 1 worker {one:.2f} bills/s, 2 workers {two:.2f} bills/s: "
            f"{two / one:.2f}x (per round: {', '.join(f'{r:.2f}' for r in ratios)}); "
            + ("every document registered once" if not problems else f"{len(problems)} PROBLEMS"),
            flush=True,
        )
        for capacity, rs in results.items():
            print(
                f"  {capacity} job worker(s), medians: "
                f"{statistics.median(r['parallel'] for r in rs):.2f} jobs running, "
                f"{statistics.median(r['lock_waits'] for r in rs):.2f} waiting on a lock, "
                f"{statistics.median(1000 * (r['cpu'] + r['pg']) / args.count for r in rs):.0f}"
                f" ms CPU per bill, machine busy "
                f"{statistics.median(r['busy'] for r in rs):.0f}%",
                flush=True,
            )
        return 1 if problems else 0
    finally:
        os.remove(conf)
        if "odoo.sql_db" in sys.modules:
            sys.modules["odoo.sql_db"].close_all()
        if not keep:
            drop_database(database)
        else:
            print(f"database kept: {database}")


if __name__ == "__main__":
    sys.exit(main())
