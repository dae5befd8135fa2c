"""Registration decisions that need no record: pure Python, no Odoo import.

The engine (``models/l10n_it_autoreg_engine*.py``) turns records into the
plain data these functions take (the reader's dataclasses, :class:`TaxInfo`,
:class:`Contact`...), and their results (ids, amounts, :class:`Text`,
:class:`Refusal`) back into records.

- outcome: Refusal, Text (a refusal, a translatable note)
- reasons: the one table of reason codes (REASONS)
- identity: VAT / fiscal code, document identity, addressee, supplier match
- document: move type and sign, readings (ENASARCO, net total...), due terms
- taxes: TaxInfo and the choice of VAT / withholding / pension fund taxes
- missing_tax: the tax a tax_not_found document waits for, as "Create this tax"
  pre-fills it
- lines: bill lines at a detail level, pension fund bases, the lines a
  withholding or a contribution is on (withholding lines, stated contributions)
- totals: VAT entries, explanation of gaps, verification of the bill
- schedule: installments as payable lines
- duplicates: the documents decided in a batch
"""
