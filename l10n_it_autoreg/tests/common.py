"""Test base of the registration engine: an Italian company (chart 'it',
withholding and pension fund taxes of l10n_it_edi_withholding) whose VAT
number and fiscal code are the builder's default buyer, so that
``InvoiceSpec()`` is addressed to it.

Every registration a test asks for (``register``, ``receive_and_register``)
is done twice: first in one batch with companion documents around the
test's ones, rolled back; then the test's documents alone, for real.  Both
must give the same bills (see ``register``)."""

import datetime as dt
from collections import deque
from decimal import Decimal

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.l10n_it_autoreg.tests.builder import (  # noqa: F401 - re-exported
    AttachmentSpec,
    DiscountSpec,
    InstallmentSpec,
    InvoiceSpec,
    LineSpec,
    PartySpec,
    PaymentSpec,
    PensionFundSpec,
    SimplifiedLineSpec,
    SimplifiedSpec,
    SummarySpec,
    WithholdingSpec,
    build_file,
    build_simplified_xml,
    build_xml,
    filename_for,
)

COMPANY_VAT = "IT07654321004"
COMPANY_CF = "07654321004"


@tagged("post_install_l10n", "post_install", "-at_install")
class AutoregCommon(AccountTestInvoicingCommon):
    # Each registration also runs in a batch with companion documents, which
    # must not change its outcome.  Opt out (with a comment saying why) only
    # where the test's point is the batch itself or where the companions
    # would be counted; ``register(moves, twin=False)`` opts out one call.
    autoreg_twin_batch = True

    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({"vat": COMPANY_VAT, "l10n_it_codice_fiscale": COMPANY_CF})
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.engine = cls.env["l10n_it_autoreg.engine"]
        cls._ensure_withholding_taxes()
        cls.sequence = 0

    @classmethod
    def _ensure_withholding_taxes(cls):
        """l10n_it_edi_withholding's post_init only updates companies that
        exist when it is installed: a company made later gets the taxes from
        the chart template; load them when they are missing."""
        ChartTemplate = cls.env["account.chart.template"].with_company(cls.company)
        if not ChartTemplate.ref("20awi", raise_if_not_found=False):
            ChartTemplate._load_data(
                {
                    "account.account": ChartTemplate._get_it_withholding_account_account(),
                    "account.tax": ChartTemplate._get_it_withholding_account_tax(),
                    "account.tax.group": ChartTemplate._get_it_withholding_account_tax_group(),
                }
            )

    @classmethod
    def tax(cls, xmlid):
        return cls.env["account.chart.template"].with_company(cls.company).ref(xmlid)

    @classmethod
    def make_supplier(cls, name, vat="IT01234567890"):
        """An existing supplier (by default the builder's seller)."""
        return (
            cls.env["res.partner"]
            .with_context(no_vat_validation=True)
            .create({"name": name, "vat": vat, "is_company": True})
        )

    @classmethod
    def expense_account(cls, code, name):
        return cls.company_data["default_account_expense"].copy({"code": code, "name": name})

    @classmethod
    def analytic_accounts(cls, *names):
        plan = cls.env["account.analytic.plan"].create({"name": "Sedi"})
        return [
            cls.env["account.analytic.account"].create({"name": n, "plan_id": plan.id})
            for n in names
        ]

    def make_split_payment_tax(self, rate="22am"):
        """A split payment purchase tax as an Italian PA configures it: the
        deductible VAT (+100%) and the VAT owed to the Treasury (-100%)."""
        from odoo import Command

        vat = self.tax(rate)
        split = vat.copy({"name": f"{vat.name} SP", "description": f"{vat.description} SP"})
        negative = {
            "repartition_type": "tax",
            "factor_percent": -100,
            "account_id": self.company_data["default_account_tax_sale"].id,
        }
        split.write(
            {
                "invoice_repartition_line_ids": [Command.create(negative)],
                "refund_repartition_line_ids": [Command.create(negative)],
            }
        )
        return split

    # -- receiving ---------------------------------------------------------
    def next_name(self, suffix="xml"):
        type(self).sequence += 1
        return "IT01234567890_%05d.%s" % (type(self).sequence, suffix)

    def receive_bytes(self, data, filename=None):
        """Upload on the purchase journal (what drag & drop does)."""
        if self.autoreg_twin_batch:
            self._receive_companions_before()
        return self._upload(data, filename or self.next_name())

    def _upload(self, data, filename):
        attachment = self.env["ir.attachment"].create({"name": filename, "raw": data})
        return self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)

    def receive(self, *specs, **options):
        return self.receive_bytes(build_xml(*specs, **options))

    def register(self, moves, twin=None):
        """Register ``moves``; returns the run.

        Unless opted out (``twin=False``, ``autoreg_twin_batch``), the same
        registration is first done in one call together with companion
        documents (a valid invoice and a tax_not_found one received before
        the test's documents, so with lower ids; a totals_mismatch one, an
        unreadable file and a valid invoice received after them), in
        a savepoint rolled back afterwards: the test's documents sit in the
        middle of the batch the engine writes together, as in the scheduled
        action (documents received otherwise than by ``receive_bytes`` have
        only the companions after them).  The outcome of the test's
        documents must be the same in the batch and alone."""
        if twin is None:
            twin = self.autoreg_twin_batch
        batch = self._register_in_batch(moves) if twin else None
        run = moves.action_l10n_it_autoreg_register()
        moves.invalidate_recordset()
        if twin:
            self.env.invalidate_all()
            alone = self._outcome_snapshot(moves)
            self.assertEqual(batch, alone, self._outcome_differences(batch, alone))
        return run

    def receive_and_register(self, *specs, **options):
        moves = self.receive(*specs, **options)
        self.register(moves)
        return moves

    # -- the same registration in a batch with companion documents ---------
    COMPANION_SUPPLIERS = {  # VAT numbers no test uses (valid check digits)
        "before": ("IT09871234564", "Compagno Prima Srl"),
        "tax": ("IT09871234580", "Compagno Aliquota Srl"),
        "totals": ("IT09871234598", "Compagno Totali Srl"),
        "after": ("IT09871234572", "Compagno Dopo Srl"),
    }

    def _companion_xml(self, which):
        """A document of a companion supplier, addressed to the company as it
        is configured now (tests change its VAT number and fiscal code)."""
        company = self.journal.company_id
        vat, name = self.COMPANION_SUPPLIERS[which]
        type(self).companion_sequence = getattr(type(self), "companion_sequence", 0) + 1
        line = LineSpec("Cancelleria (documento compagno)", price_unit=D("40.00"))
        installment = {"method": "MP01", "iban": None}
        if which == "tax":
            line.vat_rate = D("13.13")
        buyer_cf = (
            company.l10n_it_codice_fiscale if "l10n_it_codice_fiscale" in company._fields else None
        )
        spec = InvoiceSpec(
            number="CMP-%s-%05d" % (which.upper(), type(self).companion_sequence),
            seller=PartySpec(
                vat=vat,
                name=name,
                street="Via dei Compagni",
                city="Torino",
                zip="10121",
                province="TO",
            ),
            buyer=PartySpec(
                vat=company.vat or None,
                fiscal_code=buyer_cf or None,
                name=company.name or "Azienda",
            ),
            lines=[line],
            # 40.00 + 8.80 VAT = 48.80: a total of 60.00 is refused
            total=D("60.00") if which == "totals" else None,
            payments=[PaymentSpec("TP02", [InstallmentSpec(**installment)])],
        )
        return build_xml(spec), "%s_C%05d.xml" % (vat, type(self).companion_sequence)

    def _receive_companions_before(self):
        """The companions that precede the test's documents (lower ids):
        received once per test, before its first document; they stay
        pending (only the rolled back batch registers them)."""
        alive = getattr(self, "_companions_before", None)
        if alive is not None and len(alive.exists()) == 2:
            return alive
        moves = self.env["account.move"]
        for which in ("before", "tax"):
            moves |= self._upload(*self._companion_xml(which))
        self._companions_before = moves
        return moves

    def _register_in_batch(self, moves):
        """The outcome of ``moves`` registered in one call with companion
        documents, everything rolled back afterwards."""
        cr = self.env.cr
        # rolling a savepoint back clears the precommit hooks (tracking)
        # of what the test did before: restore them, and the other hooks
        hooks = [
            (cb, deque(cb._funcs), _copy_data(cb.data))
            for cb in (cr.precommit, cr.postcommit, cr.prerollback, cr.postrollback)
        ]
        savepoint = cr.savepoint()
        try:
            before = getattr(self, "_companions_before", self.env["account.move"]).exists()
            before = before.filtered(lambda m: m.id < min(moves.ids or [0]))
            after = self.env["account.move"]
            for which in ("totals", None, "after"):
                if which is None:
                    type(self).companion_sequence += 1
                    after |= self._upload(
                        b"<FatturaElettronica><compagno illeggibile %d"
                        % type(self).companion_sequence,
                        "IT09871234598_U%05d.xml" % type(self).companion_sequence,
                    )
                else:
                    after |= self._upload(*self._companion_xml(which))
            batch = moves.browse(before.ids + moves.ids + after.ids)
            batch.action_l10n_it_autoreg_register()
            self.env.invalidate_all()
            return self._outcome_snapshot(moves)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)
            for cb, funcs, data in hooks:
                cb._funcs, cb.data = funcs, data

    def _outcome_snapshot(self, moves):
        """What registering gave each of ``moves`` (not the bill numbers,
        which differ with the documents registered before)."""
        names = self._bill_names()
        snapshot = {}
        for move in moves.sorted("id"):
            lines = []
            for line in move.line_ids:
                taxes = line.tax_ids | line.tax_line_id
                lines.append(
                    (
                        line.display_type or "",
                        line.name or "",
                        line.account_id.code or "",
                        tuple(sorted(taxes.mapped("name"))),
                        round(line.quantity, 6),
                        round(line.price_unit, 6),
                        round(line.discount, 6),
                        round(line.balance, 6),
                        round(line.amount_currency, 6),
                        line.date_maturity or False,
                    )
                )
            partner = move.partner_id
            snapshot[move.id] = {
                "l10n_it_autoreg_state": move.l10n_it_autoreg_state,
                "review_codes": move.l10n_it_autoreg_review_codes,
                "review": _without_names(move.l10n_it_autoreg_review, names),
                "reason_code": move.l10n_it_autoreg_reason_code,
                "reason": _without_names(move.l10n_it_autoreg_reason, names),
                "state": move.state,
                "move_type": move.move_type,
                "partner": (partner.vat, partner.name) if partner else False,
                "currency": move.currency_id.name,
                "amount_untaxed": round(move.amount_untaxed, 6),
                "amount_tax": round(move.amount_tax, 6),
                "amount_total": round(move.amount_total, 6),
                "lines": sorted(lines, key=repr),
                "ref": move.ref,
                "invoice_date": move.invoice_date,
                "invoice_date_due": move.invoice_date_due,
                "date": move.date,
                "payment_reference": _without_names(move.payment_reference, names),
                "partner_bank": move.partner_bank_id.acc_number or False,
                "attachments": sorted(
                    self.env["ir.attachment"]
                    .search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
                    .mapped("name")
                ),
            }
        return snapshot

    def _bill_names(self):
        """{name: stable label} of the numbered entries: a reason naming
        another bill names it by its record, whatever its number."""
        self.env.cr.execute(
            "SELECT id, name FROM account_move WHERE name IS NOT NULL" " AND name != '/'"
        )
        return {name: f"<entry {move_id}>" for move_id, name in self.env.cr.fetchall()}

    @staticmethod
    def _outcome_differences(batch, alone):
        lines = ["registering in a batch with other documents and alone differ:"]
        for move_id in sorted(set(batch) | set(alone)):
            one, two = batch.get(move_id, {}), alone.get(move_id, {})
            for key in sorted(set(one) | set(two)):
                if one.get(key) == two.get(key):
                    continue
                if key == "lines":
                    only_batch = [row for row in one[key] if row not in two[key]]
                    only_alone = [row for row in two[key] if row not in one[key]]
                    lines.append(
                        f"  move {move_id} lines: in batch only {only_batch!r};"
                        f" alone only {only_alone!r}"
                    )
                else:
                    lines.append(
                        f"  move {move_id} {key}: in batch {one.get(key)!r}, alone {two.get(key)!r}"
                    )
        return "\n".join(lines)

    # -- assertions --------------------------------------------------------
    def assertRegistered(self, move, untaxed, tax, total, move_type="in_invoice"):
        self.assertEqual(
            (move.l10n_it_autoreg_state, move.l10n_it_autoreg_reason_code),
            ("registered", False),
            move.l10n_it_autoreg_reason,
        )
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, move_type)
        self.assertEqual(move.payment_state, "not_paid")
        self.assertAlmostEqual(move.amount_untaxed, float(untaxed), places=2)
        self.assertAlmostEqual(move.amount_tax, float(tax), places=2)
        self.assertAlmostEqual(move.amount_total, float(total), places=2)

    def assertRefused(self, move, code, *fragments):
        self.assertEqual(move.l10n_it_autoreg_state, "unrecognized", move.l10n_it_autoreg_reason)
        self.assertEqual(move.l10n_it_autoreg_reason_code, code, move.l10n_it_autoreg_reason)
        self.assertEqual(move.state, "draft")
        for fragment in fragments:
            self.assertIn(fragment, move.l10n_it_autoreg_reason)

    def payable_schedule(self, move):
        lines = move.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted(
            "date_maturity"
        )
        return [
            (
                line.date_maturity,
                round(
                    -line.amount_currency
                    if move.move_type == "in_invoice"
                    else line.amount_currency,
                    2,
                ),
            )
            for line in lines
        ]


def _copy_data(value):
    """Copy of nested dicts / lists / sets (precommit data), records kept."""
    if isinstance(value, dict):
        return {key: _copy_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_data(item) for item in value]
    if isinstance(value, set):
        return set(value)
    return value


def _without_names(text, names):
    if not text:
        return text
    for name in sorted(names, key=len, reverse=True):
        if name in text:
            text = text.replace(name, names[name])
    return text


D = Decimal
date = dt.date
