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
registered, and nothing is coded internal_error."""
import json
import os
import subprocess
import sys
import time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from odoo.addons.l10n_it_autoreg.tests.builder import InvoiceSpec, PartySpec, build_xml
from odoo.addons.l10n_it_autoreg.tests.common import COMPANY_CF, COMPANY_VAT

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "concurrency_worker.py")
GATE_LOCK, GATE_COMMIT = 7_315_001, 7_315_002
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
                company = env["res.company"].create({
                    "name": "Autoreg Concorrenza Srl",
                    "country_id": env.ref("base.it").id,
                    "currency_id": env.ref("base.EUR").id,
                })
                env["account.chart.template"].try_loading("it", company, install_demo=False)
            company.write({"vat": COMPANY_VAT, "l10n_it_codice_fiscale": COMPANY_CF,
                           "l10n_it_autoreg_enabled": False})
            admin = env.ref("base.user_admin")
            admin.company_ids |= company
            cls.admin_id = admin.id
            cls.company_id = company.id
            cls.journal_id = env["account.journal"].search(
                [("company_id", "=", company.id), ("type", "=", "purchase")], limit=1).id
            cr.execute("SELECT COALESCE(max(id), 0) FROM res_partner")
            cls.partner_floor = cr.fetchone()[0]
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM l10n_it_autoreg_run WHERE company_id = %s", [cls.company_id])
            cr.execute("SELECT id FROM account_move WHERE company_id = %s", [cls.company_id])
            move_ids = [row[0] for row in cr.fetchall()] or [0]
            cr.execute("DELETE FROM ir_attachment WHERE res_model = 'account.move' AND res_id IN %s",
                       [tuple(move_ids)])
            cr.execute("DELETE FROM account_move WHERE company_id = %s", [cls.company_id])
            cr.execute("SELECT id FROM res_partner WHERE id > %s AND vat LIKE 'IT0999%%'",
                       [cls.partner_floor])
            partner_ids = [row[0] for row in cr.fetchall()]
            if partner_ids:
                cr.execute("DELETE FROM res_partner_bank WHERE partner_id IN %s",
                           [tuple(partner_ids)])
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
                xml = build_xml(InvoiceSpec(number="C%s-%s" % (self.serial, i), seller=seller))
                attachment = env["ir.attachment"].create({
                    "name": "IT01234567890_C%s%04d.xml" % (self.serial, i), "raw": xml})
                moves = journal.with_context(default_move_type="in_invoice") \
                    ._create_document_from_attachment(attachment.ids)
                ids += moves.ids
        return ids

    def _start(self, ids, *options):
        cmd = [sys.executable, WORKER, "-c", config.rcfile, "-d", self.dbname,
               "--uid", str(self.admin_id), "--company", str(self.company_id),
               "--ids", ",".join(map(str, ids)), *options]
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

    def _wait_for_waiters(self, count, worker=None, timeout=TIMEOUT):
        """Until ``count`` sessions wait on an advisory lock."""
        deadline = time.monotonic() + timeout
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute("""SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                               WHERE NOT l.granted AND l.locktype = 'advisory'
                                 AND a.datname = %s""", [self.dbname])
                if cr.fetchone()[0] >= count:
                    return
                if worker is not None and worker.poll() is not None:
                    self.fail("worker ended early: %s" % worker.communicate()[1][-3000:])
                cr.rollback()
                time.sleep(0.2)
        self.fail("no worker waiting after %s s" % timeout)

    def _moves(self, ids):
        with self.registry.cursor() as cr:
            cr.execute("""SELECT id, state, l10n_it_autoreg_state, l10n_it_autoreg_reason_code,
                                 partner_id
                            FROM account_move WHERE id IN %s ORDER BY id""", [tuple(ids)])
            return cr.dictfetchall()

    def _run_counts(self, *results):
        runs = [run for result in results for run in result["runs"]]
        return runs, sum(len(run["recognized"]) for run in runs)

    def assertRegisteredOnce(self, ids, *results):
        rows = self._moves(ids)
        self.assertEqual([(r["state"], r["l10n_it_autoreg_state"]) for r in rows],
                         [("posted", "registered")] * len(ids),
                         [r["l10n_it_autoreg_reason_code"] for r in rows])
        runs, counted = self._run_counts(*results)
        recognized = [i for run in runs for i in run["recognized"]]
        self.assertEqual(sorted(recognized), sorted(ids), "each bill counted by one run")
        self.assertEqual(counted, len(ids))
        self.assertFalse([r for run in runs for r in run["reasons"] if r == "internal_error"])

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
            self._wait_for_waiters(1, first)          # registered, waiting to commit
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
            self._wait_for_waiters(1, second)         # run made, waiting to lock
            first = self._result(self._start(ids))   # not blocked by the second's links
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
            self._wait_for_waiters(1, first)          # supplier created, not committed
            second = self._start(ids[2:])
            self._wait_for_waiters(2, second)         # waiting for the supplier's lock
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
