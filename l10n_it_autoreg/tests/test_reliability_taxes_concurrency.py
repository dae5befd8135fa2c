"""Two processes that need the same missing withholding tax create it once
(issue 12): the second waits for the first one's advisory lock on the tax,
then (in a new transaction, where it sees the committed tax) uses it.

The harness is test_reliability_concurrency's (a committed company and
documents, worker subprocesses ordered by advisory locks); only this test
runs here."""

from decimal import Decimal

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from odoo.addons.l10n_it_autoreg.tests import test_reliability_concurrency as harness
from odoo.addons.l10n_it_autoreg.tests.builder import (
    InvoiceSpec,
    LineSpec,
    PartySpec,
    WithholdingSpec,
    build_xml,
)

# a withholding no chart has (RT01 17% reason B): made by the test only
RATE, REASON = Decimal("17.00"), "B"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTaxCreatedOnce(harness.TestReliabilityConcurrency):
    # the harness's own tests run in their file, not again here
    test_second_process_is_told_documents_are_taken = None
    test_lock_after_the_other_committed = None
    test_new_supplier_created_once = None
    test_two_processes_race_on_the_same_documents = None

    @classmethod
    def _cleanup(cls):  # pylint: disable=missing-return
        super()._cleanup()  # returns None;  # the bills first: their lines use the tax
        with cls.registry.cursor() as cr:
            cr.execute(
                """DELETE FROM account_tax WHERE company_id = %s
                            AND l10n_it_withholding_reason = %s
                            AND ROUND(amount::numeric, 2) = %s""",
                [cls.company_id, REASON, -RATE],
            )

    def _receive_parcelle(self, sellers):
        """One committed pending bill per seller, each withholding RT01 17% B."""
        type(self).serial += 1
        ids = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            journal = env["account.journal"].browse(self.journal_id).with_company(self.company_id)
            for i, seller in enumerate(sellers):
                xml = build_xml(
                    InvoiceSpec(
                        document_type="TD06",
                        number=f"T{self.serial}-{i}",
                        seller=seller,
                        lines=[
                            LineSpec("Parcella", price_unit=Decimal("1000.00"), withholding=True)
                        ],
                        withholdings=[WithholdingSpec(type="RT01", rate=RATE, reason=REASON)],
                    )
                )
                attachment = env["ir.attachment"].create(
                    {"name": "IT01234567890_T%s%04d.xml" % (self.serial, i), "raw": xml}
                )
                ids += (
                    journal.with_context(default_move_type="in_invoice")
                    ._create_document_from_attachment(attachment.ids)
                    .ids
                )
        return ids

    def _taxes(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT id FROM account_tax WHERE company_id = %s
                            AND l10n_it_withholding_type = 'RT01'
                            AND l10n_it_withholding_reason = %s
                            AND ROUND(amount::numeric, 2) = %s""",
                [self.company_id, REASON, -RATE],
            )
            return [row[0] for row in cr.fetchall()]

    def _line_taxes(self, ids):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT DISTINCT l.move_id, l.tax_line_id FROM account_move_line l
                            JOIN account_tax t ON t.id = l.tax_line_id
                           WHERE l.move_id IN %s AND t.l10n_it_withholding_type IS NOT NULL
                           ORDER BY 1""",
                [tuple(ids)],
            )
            return cr.fetchall()

    def test_missing_withholding_tax_created_once(self):
        self.assertFalse(self._taxes())
        ids = self._receive_parcelle(
            [
                PartySpec(vat="IT09990001001", name="Studio Uno"),
                PartySpec(vat="IT09990001019", name="Studio Due"),
            ]
        )
        gates = self._hold(harness.GATE_COMMIT)
        try:
            first = self._start(ids[:1], "--gate-commit", str(harness.GATE_COMMIT))
            self._wait_for_waiters(1, first)  # tax created, not committed
            second = self._start(ids[1:])
            self._wait_for_waiters(2, second)  # waiting for the tax's lock
        finally:
            self._release(gates, harness.GATE_COMMIT)
            gates.close()
        first, second = self._result(first), self._result(second)
        self.assertRegisteredOnce(ids, first, second)
        self.assertGreater(second["tries"], 1, "redone in a new transaction")
        [tax_id] = self._taxes()
        self.assertEqual(self._line_taxes(ids), [(ids[0], tax_id), (ids[1], tax_id)])
        self.assertIn("17% RIT RT01 B", first["runs"][0]["note"])
        self.assertNotIn("17% RIT RT01 B", second["runs"][0]["note"])
