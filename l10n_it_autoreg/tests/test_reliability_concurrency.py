"""Two processes registering the same documents, on the real database.

How: a test cannot share its cursor with another process, and a
TransactionCase runs in a transaction that is rolled back.  So this class
commits its own fixtures in fresh cursors: ``self.registry.cursor()`` (a
TransactionCase under pytest-odoo does not put the registry in test mode, so
it is a new connection whose ``commit`` is real).  It makes, once, an
Italian company (chart ``it``, the builder's buyer VAT, automatic
registration switched off so that no cron touches it) and, per test,
received e-invoices; the two "processes" are subprocesses
(``concurrency_worker.py``) running Odoo against the test database, each in
its own transaction, ordered by advisory locks the test holds in another
fresh cursor (a worker waiting on one shows in pg_locks).  The test's own
cursor only reads what they committed.  At the end of the class every
document, run, supplier and attachment made for it is deleted; the company
and its chart stay in the (throwaway) test database: Odoo cannot delete a
company with a chart, and it holds nothing afterwards.

What is checked: one process per document (the other SAYS so in its run),
the links of a run to its documents do not block the engine's lock, a lock
taken after the other process committed (REPEATABLE READ) skips instead of
raising, a new supplier is created once, no run counts a bill another run
registered, and nothing is coded internal_error.  The scheduled action
retries a batch that met a concurrency error in a new transaction, and after
five failing tries leaves its documents pending and says so (the worker's
``cron`` mode: the database raises the real error on a statement run before
posting).  One e-invoice uploaded by two processes at the same moment makes
one bill: the second takes the repeat path (``receive`` mode)."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from odoo.addons.l10n_it_autoreg.tests.builder import InvoiceSpec, PartySpec, build_xml
from odoo.addons.l10n_it_autoreg.tests.common import COMPANY_CF, COMPANY_VAT

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "concurrency_worker.py")
GATE_LOCK, GATE_COMMIT, GATE_CREATE = 7_315_001, 7_315_002, 7_315_003
TIMEOUT = 240


@tagged("post_install_l10n", "post_install", "-at_install")
class TestReliabilityConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        cls.serial = 0
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].search([("name", "=", "Autoreg Concorrenza Srl")])
            if not company:
                company = env["res.company"].create(
                    {
                        "name": "Autoreg Concorrenza Srl",
                        "country_id": env.ref("base.it").id,
                        "currency_id": env.ref("base.EUR").id,
                    }
                )
                env["account.chart.template"].try_loading("it", company, install_demo=False)
            company.write(
                {
                    "vat": COMPANY_VAT,
                    "l10n_it_codice_fiscale": COMPANY_CF,
                    "l10n_it_autoreg_enabled": False,
                }
            )
            admin = env.ref("base.user_admin")
            admin.company_ids |= company
            cls.admin_id = admin.id
            cls.company_id = company.id
            cls.journal_id = (
                env["account.journal"]
                .search([("company_id", "=", company.id), ("type", "=", "purchase")], limit=1)
                .id
            )
            cr.execute("SELECT COALESCE(max(id), 0) FROM res_partner")
            cls.partner_floor = cr.fetchone()[0]
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM l10n_it_autoreg_run WHERE company_id = %s", [cls.company_id])
            cr.execute("SELECT id FROM account_move WHERE company_id = %s", [cls.company_id])
            move_ids = [row[0] for row in cr.fetchall()] or [0]
            cr.execute(
                "DELETE FROM ir_attachment WHERE res_model = 'account.move' AND res_id IN %s",
                [tuple(move_ids)],
            )
            cr.execute("DELETE FROM account_move WHERE company_id = %s", [cls.company_id])
            cr.execute(
                "SELECT id FROM res_partner WHERE id > %s AND vat LIKE 'IT0999%%'",
                [cls.partner_floor],
            )
            partner_ids = [row[0] for row in cr.fetchall()]
            if partner_ids:
                cr.execute(
                    "DELETE FROM res_partner_bank WHERE partner_id IN %s", [tuple(partner_ids)]
                )
                cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(partner_ids)])

    # ------------------------------------------------------------------
    # Fixtures (committed) and workers
    # ------------------------------------------------------------------
    def _receive(self, count, seller=None):
        """``count`` pending bills received in the company, committed."""
        type(self).serial += 1
        seller = seller or PartySpec(vat="IT0999%07d" % (self.serial * 1000), name="Conc Srl")
        ids = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            journal = env["account.journal"].browse(self.journal_id).with_company(self.company_id)
            for i in range(count):
                xml = build_xml(InvoiceSpec(number=f"C{self.serial}-{i}", seller=seller))
                attachment = env["ir.attachment"].create(
                    {"name": "IT01234567890_C%s%04d.xml" % (self.serial, i), "raw": xml}
                )
                moves = journal.with_context(
                    default_move_type="in_invoice"
                )._create_document_from_attachment(attachment.ids)
                ids += moves.ids
        return ids

    def _start(self, ids, *options):
        cmd = [
            sys.executable,
            WORKER,
            "-c",
            config.rcfile,
            "-d",
            self.dbname,
            "--uid",
            str(self.admin_id),
            "--company",
            str(self.company_id),
            "--ids",
            ",".join(map(str, ids)),
            *options,
        ]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def _result(worker):
        out, err = worker.communicate(timeout=TIMEOUT)
        assert worker.returncode == 0, err[-3000:]
        return json.loads(out.strip().splitlines()[-1])

    def _hold(self, *keys):
        """A fresh cursor holding the advisory locks ``keys`` (the gates)."""
        cr = self.registry.cursor()
        for key in keys:
            cr.execute("SELECT pg_advisory_lock(%s)", [key])
        return cr

    def _release(self, cr, key):
        cr.execute("SELECT pg_advisory_unlock(%s)", [key])

    @staticmethod
    def _close_gates(cr):
        cr.execute("SELECT pg_advisory_unlock_all()")
        cr.close()

    def _wait_for_waiters(self, count, worker=None, timeout=TIMEOUT, locktype="advisory"):
        """Until ``count`` sessions wait on a lock of ``locktype`` (an
        advisory lock: a gate; ``transactionid``: another transaction's row
        or index entry)."""
        deadline = time.monotonic() + timeout
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    """SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                               WHERE NOT l.granted AND l.locktype = %s
                                 AND a.datname = %s""",
                    [locktype, self.dbname],
                )
                if cr.fetchone()[0] >= count:
                    return
                if worker is not None and worker.poll() is not None:
                    self.fail(f"worker ended early: {worker.communicate()[1][-3000:]}")
                cr.rollback()
                time.sleep(0.2)
        self.fail(f"no worker waiting after {timeout} s")

    def _moves(self, ids):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT id, state, l10n_it_autoreg_state, l10n_it_autoreg_reason_code,
                                 partner_id
                            FROM account_move WHERE id IN %s ORDER BY id""",
                [tuple(ids)],
            )
            return cr.dictfetchall()

    def _max_move_id(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT COALESCE(max(id), 0) FROM account_move")
            return cr.fetchone()[0]

    def _run_counts(self, *results):
        runs = [run for result in results for run in result["runs"]]
        return runs, sum(len(run["recognized"]) for run in runs)

    def assertRegisteredOnce(self, ids, *results):
        rows = self._moves(ids)
        self.assertEqual(
            [(r["state"], r["l10n_it_autoreg_state"]) for r in rows],
            [("posted", "registered")] * len(ids),
            [r["l10n_it_autoreg_reason_code"] for r in rows],
        )
        runs, counted = self._run_counts(*results)
        recognized = [i for run in runs for i in run["recognized"]]
        self.assertEqual(sorted(recognized), sorted(ids), "each bill counted by one run")
        self.assertEqual(counted, len(ids))
        self.assertFalse([r for run in runs for r in run["reasons"] if r == "internal_error"])

    def assertBillsCountedOnce(self, ids):
        """In the database: one bill per document identity, posted bills
        numbered apart, each posted bill counted by exactly one run and
        nothing else counted."""
        rows = self._moves(ids)
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT count(*) FROM account_move m JOIN account_move d
                                 ON d.company_id = m.company_id
                                AND d.l10n_it_autoreg_document_key = m.l10n_it_autoreg_document_key
                           WHERE m.id IN %s""",
                [tuple(ids)],
            )
            self.assertEqual(cr.fetchone()[0], len(ids), "one bill per document")
            cr.execute(
                """SELECT count(*), count(DISTINCT name) FROM account_move
                           WHERE id IN %s AND state = 'posted'""",
                [tuple(ids)],
            )
            posted, names = cr.fetchone()
            self.assertEqual(names, posted, "posted bills numbered apart")
            cr.execute(
                """SELECT move_id, count(*) FROM l10n_it_autoreg_run_recognized_rel
                           WHERE move_id IN %s GROUP BY move_id""",
                [tuple(ids)],
            )
            counted = dict(cr.fetchall())
        self.assertEqual(
            counted,
            {row["id"]: 1 for row in rows if row["state"] == "posted"},
            "each posted bill counted by one run",
        )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_second_process_is_told_documents_are_taken(self):
        """The first process has taken the documents and not committed yet:
        the second skips them and says so in its run."""
        ids = self._receive(3)
        gates = self._hold(GATE_COMMIT)
        try:
            first = self._start(ids, "--gate-commit", str(GATE_COMMIT))
            self._wait_for_waiters(1, first)  # registered, waiting to commit
            second = self._result(self._start(ids))
        finally:
            self._release(gates, GATE_COMMIT)
            gates.close()
        first = self._result(first)
        self.assertRegisteredOnce(ids, first, second)
        [run] = second["runs"]
        self.assertEqual((run["recognized"], run["unrecognized"], run["busy"]), ([], [], 3))
        self.assertIn("3 documents are being registered by another process", run["note"])

    def test_lock_after_the_other_committed(self):
        """The second process read the documents (its REPEATABLE READ
        snapshot) and linked them to its run before the first one took
        them: the links do not block the first one's lock; the second one
        locks after the first committed, which skips them (no serialization
        failure) and says so."""
        ids = self._receive(3)
        gates = self._hold(GATE_LOCK)
        try:
            second = self._start(ids, "--gate-lock", str(GATE_LOCK))
            self._wait_for_waiters(1, second)  # run made, waiting to lock
            first = self._result(self._start(ids))  # not blocked by the second's links
        finally:
            self._release(gates, GATE_LOCK)
            gates.close()
        second = self._result(second)
        self.assertRegisteredOnce(ids, first, second)
        self.assertEqual(len(first["runs"][0]["recognized"]), 3)
        [run] = second["runs"]
        self.assertEqual((run["recognized"], run["busy"]), ([], 3))
        self.assertEqual(second["tries"], 1, "no serialization failure")

    def test_new_supplier_created_once(self):
        """Two processes register different documents of one new supplier:
        the second waits for the first (advisory lock on its VAT number),
        then finds the first one's contact (in a new transaction)."""
        seller = PartySpec(vat="IT09990000990", name="Nuovo Fornitore Srl")
        ids = self._receive(4, seller=seller)
        gates = self._hold(GATE_COMMIT)
        try:
            first = self._start(ids[:2], "--gate-commit", str(GATE_COMMIT))
            self._wait_for_waiters(1, first)  # supplier created, not committed
            second = self._start(ids[2:])
            self._wait_for_waiters(2, second)  # waiting for the supplier's lock
        finally:
            self._release(gates, GATE_COMMIT)
            gates.close()
        first, second = self._result(first), self._result(second)
        self.assertRegisteredOnce(ids, first, second)
        self.assertGreater(second["tries"], 1, "redone in a new transaction")
        partners = {row["partner_id"] for row in self._moves(ids)}
        self.assertEqual(len(partners), 1)
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE vat = %s", [seller.vat])
            self.assertEqual(cr.fetchone()[0], 1, "the supplier was created once")

    def test_two_processes_race_on_the_same_documents(self):
        """Both start together on the same documents (more than a batch):
        every bill is posted once and counted by one run only."""
        ids = self._receive(30)
        gates = self._hold(GATE_LOCK)
        try:
            workers = [self._start(ids, "--gate-lock", str(GATE_LOCK)) for _i in range(2)]
            self._wait_for_waiters(2, workers[0])
        finally:
            self._release(gates, GATE_LOCK)
            gates.close()
        results = [self._result(worker) for worker in workers]
        self.assertRegisteredOnce(ids, *results)

    # -- the scheduled action's retries ------------------------------------
    def _cron(self, ids, *options):
        """The scheduled action on a run queued with ``ids``, in batches of 2
        (so 5 documents make batches of 2, 2 and 1).  It works through every
        run in progress: one a failed test left running is closed after it."""
        self.addCleanup(self._close_running_runs)
        return self._result(
            self._start(
                ids, "--mode", "cron", "--batch-size", "2", "--retry-wait", "0.01", *options
            )
        )

    def _close_running_runs(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """UPDATE l10n_it_autoreg_run SET state = 'failed'
                           WHERE company_id = %s AND state = 'running'""",
                [self.company_id],
            )

    def test_cron_retries_a_batch_in_a_new_transaction(self):
        """The second batch meets a concurrency error once (a serialization
        failure; two bills numbered alike): the cron rolls it back and does
        it again in a new transaction.  Every bill is registered once and
        counted once, the batch committed before is not done again, and the
        conflict is no reason on any document."""
        for error in ("serialization", "posted_name"):
            with self.subTest(error=error):
                ids = self._receive(5)
                result = self._cron(ids, "--fail-calls", "2", "--fail-with", error)
                self.assertEqual(result["failed"], [2])
                # one post per batch: the second batch twice, the others once
                self.assertEqual(result["posts"], 4)
                [run] = result["runs"]
                self.assertEqual(
                    (run["state"], run["outcome"], run["left"], run["busy"]),
                    ("done", "success", 0, 0),
                )
                self.assertEqual(run["errors"], "")
                self.assertRegisteredOnce(ids, result)
                self.assertBillsCountedOnce(ids)

    def test_cron_leaves_a_batch_after_five_failing_tries(self):
        """Every try of the second batch meets a concurrency error: after
        the fifth the cron rolls it back, its documents leave the run and
        stay pending as they were (no internal_error, no half bill), the run
        goes on with the next batch and says so; the next run registers
        them, and no bill is counted twice."""
        ids = self._receive(5)
        result = self._cron(ids, "--fail-calls", "2,3,4,5,6", "--fail-with", "posted_name")
        self.assertEqual(result["failed"], [2, 3, 4, 5, 6])
        self.assertEqual(result["posts"], 7)
        rows = {row["id"]: row for row in self._moves(ids)}
        left = [i for i in ids if rows[i]["state"] == "draft"]
        self.assertEqual(len(left), 2)
        self.assertEqual(
            {
                (rows[i]["l10n_it_autoreg_state"], rows[i]["l10n_it_autoreg_reason_code"])
                for i in left
            },
            {("pending", None)},
        )
        [run] = result["runs"]
        self.assertEqual(sorted(run["recognized"]), sorted(set(ids) - set(left)))
        self.assertEqual(
            (run["state"], run["outcome"], run["left"], run["unrecognized"]),
            ("done", "partial", 2, []),
        )
        self.assertIn(
            "2 documents were not registered: other transactions kept changing the "
            "same records (5 tries). They are still waiting to be registered.",
            run["note"],
        )
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM account_move_line WHERE move_id IN %s", [tuple(left)])
            self.assertEqual(cr.fetchone()[0], 0, "nothing half written")
            cr.execute(
                "SELECT run_id FROM l10n_it_autoreg_run_move_rel WHERE move_id IN %s", [tuple(left)]
            )
            self.assertEqual(cr.fetchall(), [], "they left the run")
        self.assertBillsCountedOnce(ids)
        second = self._cron(left)
        self.assertEqual(second["failed"], [])
        self.assertEqual(sorted(second["runs"][0]["recognized"]), sorted(left))
        self.assertRegisteredOnce(ids, result, second)
        self.assertBillsCountedOnce(ids)

    # -- receiving ---------------------------------------------------------
    def test_same_file_received_by_two_processes_at_once(self):
        """Two uploads of one e-invoice at the same moment: both look its
        identity up before either made a bill; the second insert waits on the
        unique index until the first process commits, and is refused: that
        process receives again in a new transaction and takes the repeat path
        (the existing bill, a note on it).  One pending bill, one file."""
        type(self).serial += 1
        number = f"R{self.serial}"
        data = build_xml(
            InvoiceSpec(
                number=number,
                seller=PartySpec(vat="IT0999%07d" % (self.serial * 1000), name="Conc Srl"),
            )
        )
        with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as file:
            file.write(data)
        self.addCleanup(os.unlink, file.name)
        checksum = hashlib.sha1(data).hexdigest()
        self.addCleanup(self._delete_uploads, checksum)
        floor = self._max_move_id()
        gates = self._hold(GATE_CREATE, GATE_COMMIT)
        try:
            workers = [
                self._start(
                    [],
                    "--mode",
                    "receive",
                    "--file",
                    file.name,
                    "--name",
                    "IT01234567890_R%04d.xml" % self.serial,
                    "--gate-create",
                    str(GATE_CREATE),
                    "--gate-commit",
                    str(GATE_COMMIT),
                )
                for _i in range(2)
            ]
            self._wait_for_waiters(2, workers[0])  # both looked up the identity
            self._release(gates, GATE_CREATE)
            # one made its bill and waits to commit, the other's insert waits for it
            self._wait_for_waiters(1, workers[1], locktype="transactionid")
            self._wait_for_waiters(1, workers[0])
            self._release(gates, GATE_COMMIT)
        finally:
            self._close_gates(gates)
        first, second = sorted((self._result(w) for w in workers), key=lambda r: r["tries"])
        self.assertEqual((first["tries"], second["tries"]), (1, 2), "the second redone once")
        [bill] = first["moves"]
        self.assertEqual(second["moves"], [bill], "the repeat path: the existing bill")
        self.assertEqual(first["files"], [first["attachment"]])
        self.assertEqual(second["files"], [first["attachment"]])
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT id, state, l10n_it_autoreg_state FROM account_move
                           WHERE company_id = %s AND id > %s""",
                [self.company_id, floor],
            )
            self.assertEqual(cr.fetchall(), [(bill, "draft", "pending")], "one bill, no shell")
            cr.execute(
                """SELECT res_model, res_id, store_fname FROM ir_attachment
                           WHERE checksum = %s ORDER BY id""",
                [checksum],
            )
            files = cr.fetchall()
            self.assertEqual(
                [(f[0], f[1]) for f in files if f[0] == "account.move"],
                [("account.move", bill)],
                "the file is on the bill once",
            )
            self.assertEqual(len({f[2] for f in files}), 1, "one copy in the filestore")
            cr.execute(
                """SELECT count(*) FROM mail_message WHERE model = 'account.move'
                             AND res_id = %s AND body::text LIKE %s""",
                [bill, "%received again%"],
            )
            self.assertEqual(cr.fetchone()[0], 1, "the repeat is noted on the bill")

    def _delete_uploads(self, checksum):
        """The upload the repeat path left unused (not on a bill)."""
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_attachment WHERE checksum = %s AND res_model IS NULL", [checksum]
            )
