"""The one table of reason codes: for each, the family it belongs to, the
sentence stored on the bill (an ``_lt`` template, translated when rendered)
and, for README, what it means and what the user does.  README's table is
``reason_codes_markdown()`` (a test checks it)."""

from .outcome import _lt
from .reason import FAMILIES, Reason  # noqa: F401 (FAMILIES: the families of this table)
from .reasons_file import FILE_REASONS

REASONS = {
    reason.code: reason
    for reason in (
        *FILE_REASONS,
        # -- document -----------------------------------------------------------
        Reason(
            "not_for_company",
            "document",
            _lt(
                "The e-invoice is addressed to %(buyer)s, not to this company (%(company)s). Check "
                "the "
                "company's VAT number and fiscal code, or move the document to the right company."
            ),
            "The buyer (CessionarioCommittente VAT / fiscal code) is not this company.",
            "Check the company's VAT number and fiscal code in Settings, or move the document to "
            "the right company.",
        ),
        Reason(
            "own_invoice",
            "document",
            _lt(
                "The e-invoice was issued by this company (seller %(seller)s): it is not a "
                "supplier "
                "bill. Import it as a customer invoice."
            ),
            "The seller is this company: it is a customer invoice, not a supplier bill.",
            "Import it as a customer invoice; delete the draft bill.",
        ),
        Reason(
            "self_invoice",
            "document",
            _lt(
                "Document %(type)s is a self-invoice or integration, never registered as a "
                "supplier "
                "bill: record it in the VAT registers as an integration%(linked)s."
            ),
            "TD16–TD23, TD26–TD29: self-invoice / integration (reverse charge, intra-EU, extra-EU, "
            "San Marino…); or any document issued by this company for the supplier "
            "(SoggettoEmittente CC). Never posted as a supplier bill; the reason names the "
            "integrated bill when found.",
            "Record the integration in the VAT registers (sales + purchases) by hand. For "
            "SoggettoEmittente CC: if it is the supplier's invoice issued on its behalf "
            "(agricultural producer, art. 34), register it by hand as a supplier bill.",
        ),
        Reason(
            "document_type_unknown",
            "document",
            _lt("Unknown document type %(type)s: register the bill by hand."),
            "A TipoDocumento the engine does not know.",
            "Register by hand.",
        ),
        # -- supplier -----------------------------------------------------------
        Reason(
            "supplier_ambiguous",
            "supplier",
            _lt(
                "Several contacts match the supplier %(seller)s: %(partners)s. Merge or archive "
                "the "
                "duplicates, or set the right fiscal code on one of them, then register again."
            ),
            "Several contacts have the supplier's VAT number (and the fiscal code does not settle "
            "it). The reason lists them.",
            "Merge / archive duplicates, or set the fiscal code on the right contact (VAT groups).",
        ),
        Reason(
            "supplier_not_found",
            "supplier",
            _lt(
                "No contact has the supplier's VAT number or fiscal code (%(seller)s) and creating "
                "suppliers is switched off: create the contact, then register again."
            ),
            "No contact with that VAT / fiscal code and *Create missing suppliers* is off.",
            "Create the contact, or switch the option on.",
        ),
        Reason(
            "supplier_manual",
            "supplier",
            _lt(
                "Supplier %(partner)s is set to never post its bills automatically (Auto-post "
                "bills: Never, on the contact's Accounting tab): the scheduled registration leaves "
                "its e-invoices to you. Check the bill, then run Register automatically or confirm "
                "it by hand."
            ),
            "The supplier's *Auto-post bills* (Odoo's own setting) is *Never*: the scheduled "
            "action does not register its documents.",
            "Run **Register automatically** on it (the manual action registers it), or change the "
            "supplier's setting.",
        ),
        Reason(
            "rule_manual",
            "supplier",
            _lt(
                "Registration rule %(rule)s never registers automatically e-invoices like this "
                "one (line '%(line)s'): the scheduled registration leaves it to you. Check it, "
                "then run Register automatically or confirm it by hand."
            ),
            "A registration rule (*Accounting › Configuration › Registration rules*) whose "
            "outcome is *Never register automatically* decided a line: the scheduled action does "
            "not register the document.",
            "Run **Register automatically** on it (the manual action registers it, the rule set "
            "aside), or register it by hand.",
        ),
        Reason(
            "supplier_invalid",
            "supplier",
            _lt(
                "The supplier cannot be identified or created (%(detail)s): create the contact by "
                "hand, "
                "then register again."
            ),
            "The e-invoice gives neither VAT number nor fiscal code, or the contact cannot be "
            "created.",
            "Create the contact by hand.",
        ),
        # -- data ---------------------------------------------------------------
        Reason(
            "currency_not_found",
            "data",
            _lt(
                "The currency %(currency)s of the e-invoice does not exist in Odoo: register the "
                "bill "
                "by hand."
            ),
            "The Divisa does not exist in Odoo.",
            "Register by hand.",
        ),
        Reason(
            "currency_inactive",
            "data",
            _lt(
                "The currency %(currency)s of the e-invoice is not active: activate it (Accounting "
                "> "
                "Configuration > Currencies), then register again."
            ),
            "The Divisa exists but is not active.",
            "Activate the currency.",
        ),
        Reason(
            "currency_rate_missing",
            "data",
            _lt(
                "The currency %(currency)s of the e-invoice has no exchange rate on or before "
                "%(date)s: "
                "add the rate (Accounting > Configuration > Currencies), then register again."
            ),
            "A foreign Divisa has no exchange rate on or before the document date (Odoo would "
            "convert at 1.0).",
            "Add the exchange rate, register again.",
        ),
        Reason(
            "tax_not_found",
            "data",
            _lt(
                "No purchase tax matches VAT %(rate)s%% %(nature)s: create or activate a purchase "
                "tax "
                "with this rate%(hint)s, then register again."
            ),
            "No purchase tax for a VAT rate + Natura (e.g. `15.55%`, `0% N4`, a split payment "
            "rate, a reverse charge N6.x without tax). The reason names rate and Natura. A rate is "
            "**never** replaced by another one.",
            "Create or activate the purchase tax (rate, exoneration code, reverse charge grid, "
            "split payment +/−): accounting managers press **Create this tax** (on the bill or "
            "in the run) for the form pre-filled from the e-invoice; saving it registers the "
            "bills waiting for it. The 0% taxes of every other Natura (N2, N2.1, N2.2, N3, "
            "N3.1–N3.6, N4, N5, N7; N1 is the chart's) are created with the Italian chart; "
            "reverse charge N6.x takes the chart's reverse charge tax of its VAT report grid; the "
            "generic N6 of documents before 2021 needs a reverse charge tax with exoneration N6 "
            "(its case and rate are the company's decision: Create this tax).",
        ),
        Reason(
            "withholding_not_configured",
            "data",
            _lt(
                "No purchase withholding tax matches %(detail)s: create it (type, reason and rate "
                "as in "
                "the e-invoice), then register again."
            ),
            "No purchase withholding tax (`l10n_it_withholding_type`, reason, rate) matches a "
            "DatiRitenuta (RT04 ENASARCO: the TC07 pension fund tax; ENASARCO written only in the "
            "lines' AltriDatiGestionali `CASSA-PREV`, as Odoo sends it, counts as RT04), and none "
            "was created from it: *Create missing withholding and pension fund taxes* is off, or "
            "the document gives no CausalePagamento, or a code Odoo does not know.",
            "Create the withholding tax as in the e-invoice (or switch the option on).",
        ),
        Reason(
            "pension_fund_not_configured",
            "data",
            _lt(
                "No purchase pension fund tax matches %(detail)s: create it (fund type and rate as "
                "in "
                "the e-invoice), then register again."
            ),
            "No purchase pension fund tax (`l10n_it_pension_fund_type`, rate) matches a "
            "DatiCassaPrevidenziale, and none was created from it: *Create missing withholding "
            "and pension fund taxes* is off, or a fund Odoo does not know. A fund at 0% of 0.00 "
            "needs no tax; one at 0% stating an amount is `totals_mismatch` (an inconsistent "
            "document).",
            "Create the pension fund tax (TipoCassa and AlCassa), or switch the option on.",
        ),
        Reason(
            "account_not_found",
            "data",
            _lt(
                "No expense account found for line '%(line)s': set an account on the supplier "
                "(E-invoice expense account) or a default expense account in Settings, then "
                "register "
                "again."
            ),
            "No expense account: no product, no supplier account, no previous bill, no company "
            "default, no purchase journal default account.",
            "Set the supplier's *E-invoice expense account* or the company default account.",
        ),
        Reason(
            "rule_invalid",
            "data",
            _lt(
                "Registration rule %(rule)s cannot be applied: %(detail)s. Correct the rule "
                "(Accounting > Configuration > Registration rules), then register again."
            ),
            "The registration rule that decides a line points to an account that is deprecated, "
            "of another company or not an expense account, an archived product or analytic "
            "account, or splits by percentages that do not add up to 100%. The reason names the "
            "rule and the problem.",
            "Correct or archive the rule, then register again.",
        ),
        # -- verification ---------------------------------------------------------
        Reason(
            "totals_mismatch",
            "verification",
            _lt(
                "The bill would not equal the e-invoice: %(detail)s. Check the e-invoice (it may "
                "be "
                "inconsistent) and register the bill by hand."
            ),
            "The bill would not equal the document beyond the tolerance: taxable per rate, VAT per "
            "rate, withholding, pension fund or total due vs ImportoTotaleDocumento. Both figures "
            "are in the reason.",
            "Check the e-invoice (it may be inconsistent); register by hand or ask the supplier "
            "for "
            "a correction.",
        ),
        Reason(
            "payment_schedule_mismatch",
            "verification",
            _lt(
                "The e-invoice installments total %(installments)s but the amount due is %(due)s: "
                "register the bill by hand and set the due dates."
            ),
            "Legacy: bills left pending by earlier versions carry it; it is no longer given (the "
            "DettaglioPagamento installments that do not add up to the amount due of a verified "
            "bill give one installment of the whole amount on the earliest stated due date, "
            "review `schedule_adjusted`).",
            "Register it again automatically, or by hand and set the due dates.",
        ),
        Reason(
            "duplicate",
            "verification",
            _lt(
                "Bill %(other)s of the same supplier already has number %(number)s in %(year)s: "
                "this "
                "is a duplicate. Delete this one, or correct the other bill if it is wrong."
            ),
            "A bill of the same supplier with the same number in the same fiscal year already "
            "exists (any state), or another received document of the same supplier, number and "
            "fiscal year is still to register (pending or not recognized; of two such documents "
            "registered together, the first is registered and the second is its duplicate); the "
            "reason names it.",
            "Delete this one, or correct the other bill. When the other is still to register, "
            "decide which one is the real bill: delete the other and register it (again "
            "automatically, or by hand: *Fill from e-invoice* is offered).",
        ),
        # -- posting ------------------------------------------------------------
        Reason(
            "posting_refused",
            "posting",
            _lt("Odoo refused to post the bill: %(detail)s"),
            "Odoo refused to post (lock date, sequence, constraint…); the reason has Odoo's "
            "message.",
            "Fix what the message says (e.g. lock date), register again.",
        ),
        Reason(
            "internal_error",
            "posting",
            _lt(
                "Unexpected error while registering: %(detail)s. Register the bill by hand and "
                "report "
                "the problem."
            ),
            "Unexpected error of the reader or of the registration (a defect, not the file's "
            "fault); the reason has its message. Other documents are not affected.",
            "Register by hand and report the problem.",
        ),
    )
}

# Other wordings of a code, for a case that needs its own advice.
VARIANTS = {
    "duplicate_pending": (
        "duplicate",
        _lt(
            "Document %(other)s of %(date)s (file %(file)s), of the same supplier with number "
            "%(number)s in %(year)s, was received too and is still to register: one of the two is "
            "a duplicate. "
            "Decide which one is the real bill, delete the other, then register the real one "
            "(again automatically, or by hand)."
        ),
    ),
    "self_invoice_by_buyer": (
        "self_invoice",
        _lt(
            "Document %(type)s was issued by this company for the supplier (SoggettoEmittente CC): "
            "it is never registered automatically. If it is the supplier's invoice issued on its "
            "behalf (e.g. an agricultural producer, art. 34), register it by hand as a supplier "
            "bill; if it is a self-invoice (reverse charge), record it in the VAT registers as an "
            "integration."
        ),
    ),
}

REASON_CODES = tuple(REASONS)

# Reasons given when receiving a ZIP (its member was never read: the bill
# keeps the ZIP, registering again gives the same reason).
ZIP_CODES = frozenset(code for code in REASONS if code.startswith("zip_"))


def template_of(refusal):
    """The reason template of ``refusal`` (internal_error's for an unknown code)."""
    if refusal.text in VARIANTS:
        return VARIANTS[refusal.text][1]
    reason = REASONS.get(refusal.code) or REASONS["internal_error"]
    return reason.template


def reason_codes_markdown():
    """README's table of reason codes, made from REASONS."""
    rows = ["| Code | Meaning | What the user does |", "| --- | --- | --- |"]
    rows += [f"| `{r.code}` | {r.meaning} | {r.action} |" for r in REASONS.values()]
    return "\n".join(rows) + "\n"
