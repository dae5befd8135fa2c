# Run by scripts/demo.sh inside `odoo shell` (``env`` is given): finish the
# demo company, receive the e-invoices shipped in l10n_it_autoreg/demo/einvoices
# through the standard upload channel, register them, print the outcome.
import os
from collections import Counter

import odoo

company = env.ref("base.main_company")
company.write({"l10n_it_codice_fiscale": "07643520567"})
if "l10n_it_tax_system" in company._fields and not company.l10n_it_tax_system:
    company.l10n_it_tax_system = "RF01"

# Configuration an accountant of a company under split payment (scissione
# dei pagamenti) does once: a purchase VAT tax whose VAT is both deductible
# (+100%) and owed to the Treasury (-100%).  The Italian chart has none.
ChartTemplate = env["account.chart.template"].with_company(company)
vat22 = ChartTemplate.ref("22am", raise_if_not_found=False)
sale_vat22 = ChartTemplate.ref("22v", raise_if_not_found=False)
if (
    vat22
    and sale_vat22
    and not env["account.tax"].search([("company_id", "=", company.id), ("name", "=", "22% G SP")])
):
    treasury = sale_vat22.invoice_repartition_line_ids.filtered(
        lambda line: line.repartition_type == "tax"
    ).account_id[:1]
    split = vat22.copy({"name": "22% G SP", "description": "22% G SP"})
    owed = {
        "repartition_type": "tax",
        "factor_percent": -100,
        "account_id": treasury.id,
    }
    split.write(
        {
            "invoice_repartition_line_ids": [(0, 0, owed)],
            "refund_repartition_line_ids": [(0, 0, owed)],
        }
    )

# A registration rule, as an accounting manager makes one in Accounting >
# Configuration > Registration rules: the stationery and toner lines go to
# "Materiali di consumo acquistati" (4102), whoever the supplier (the
# stationery supplier of A0001 is created when its e-invoice is registered).
consumables = ChartTemplate.ref("4102", raise_if_not_found=False)
Rule = env["l10n_it_autoreg.rule"]
if consumables and not Rule.search([("company_id", "=", company.id)]):
    Rule.create(
        {
            "name": "Cancelleria e toner",
            "company_id": company.id,
            "description_words": "toner, risme carta, cartucce, buste",
            "account_id": consumables.id,
        }
    )

addon_dir = os.path.dirname(odoo.modules.module.get_module_path("l10n_it_autoreg"))
einvoice_dir = os.path.join(addon_dir, "l10n_it_autoreg", "demo", "einvoices")
files = (
    sorted(
        name for name in os.listdir(einvoice_dir) if name.lower().endswith((".xml", ".p7m", ".zip"))
    )
    if os.path.isdir(einvoice_dir)
    else []
)

journal = env["account.journal"].search(
    [
        ("type", "=", "purchase"),
        ("company_id", "=", company.id),
    ],
    limit=1,
)

# What an accounting manager does in Settings: switch automatic registration
# on.  From now on received e-invoices are registered by the scheduled action.
company.l10n_it_autoreg_enabled = True
env.cr.commit()

attachments = env["ir.attachment"]
for name in files:
    with open(os.path.join(einvoice_dir, name), "rb") as f:
        attachments |= env["ir.attachment"].create({"name": name, "raw": f.read()})
moves = (
    journal._create_document_from_attachment(attachments.ids)
    if attachments
    else env["account.move"]
)
env.cr.commit()
print("\nReceived %d files -> %d bills to register" % (len(files), len(moves)))

# The scheduled action "Register received e-invoices" (woken up by the
# receipt), run here at once rather than waiting for the cron thread.
env["l10n_it_autoreg.run"]._cron_register()
env.cr.commit()
run = env["l10n_it_autoreg.run"].search([("company_id", "=", company.id)], limit=1)
if run:
    print(
        "Run %s: %s (recognized %d, not recognized %d)"
        % (
            run.display_name,
            run.outcome_message or run.state,
            run.recognized_count,
            run.unrecognized_count,
        )
    )

bills = env["account.move"].search(
    [("company_id", "=", company.id), ("l10n_it_autoreg_state", "!=", False)],
    order="id",
)
print(
    "\n%-28s %-14s %-12s %12s  %-13s %s"
    % ("Supplier", "Number", "Date", "Total", "State", "Reason / to review")
)
for bill in bills:
    print(
        "%-28s %-14s %-12s %12s  %-13s %s"
        % (
            (bill.partner_id.name or bill.l10n_it_autoreg_supplier_display or "-")[:28],
            (bill.ref or "-")[:14],
            bill.invoice_date or "-",
            "%.2f" % (bill.amount_total or bill.l10n_it_autoreg_amount_total),
            bill.l10n_it_autoreg_state,
            bill.l10n_it_autoreg_reason_code or bill.l10n_it_autoreg_review_codes or "",
        )
    )
ruled = bills.invoice_line_ids.filtered(lambda line: consumables and line.account_id == consumables)
if ruled:
    print("\nClassified by the registration rule 'Cancelleria e toner' (account 4102):")
    for line in ruled:
        print(
            "  %-14s %-30s %10.2f" % (line.move_id.ref or "-", line.name[:30], line.price_subtotal)
        )
counts = Counter(bills.mapped("l10n_it_autoreg_state"))
print(
    "\nRegistered: %d (to review: %d)   To register: %d (not recognized: %d)\n"
    % (
        counts["registered"],
        len(bills.filtered("l10n_it_autoreg_to_review")),
        counts["pending"] + counts["unrecognized"],
        counts["unrecognized"],
    )
)

# Payments: a bank statement line settles the first installment of the
# registered bill with the most due dates (partially paid), another one pays
# a whole bill.  With account_reconcile_oca installed the same is done from
# Accounting > Bank > Reconcile.
registered = bills.filtered(
    lambda b: b.l10n_it_autoreg_state == "registered" and b.move_type == "in_invoice"
)
bank_journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)


def pay_by_bank(payable_lines, label):
    for line in payable_lines:
        st_line = env["account.bank.statement.line"].create(
            {
                "journal_id": bank_journal.id,
                "date": line.date_maturity,
                "amount": line.amount_residual,
                "payment_ref": label,
                "partner_id": line.partner_id.id,
                "counterpart_account_id": line.account_id.id,
            }
        )
        counterpart = st_line._seek_for_lines()[2]
        (counterpart + line).reconcile()


if registered and bank_journal:

    def installments(bill):
        return bill.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted(
            "date_maturity"
        )

    by_terms = registered.sorted(lambda b: -len(installments(b)))
    partial, full = by_terms[0], by_terms[-1]
    pay_by_bank(installments(partial)[:1], f"Bonifico rata 1 {partial.ref}")
    if full != partial:
        pay_by_bank(installments(full), f"Bonifico {full.ref}")
    env.cr.commit()
    print("Bank reconciliation:")
    for bill in partial | full:
        print(
            "  %-28s %-10s %d due dates, residual %.2f -> %s"
            % (
                bill.partner_id.name[:28],
                bill.ref,
                len(installments(bill)),
                bill.amount_residual,
                bill.payment_state,
            )
        )
    print()
