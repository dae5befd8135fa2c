"""``fatturapa-inspect [--json] FILE...``: what the reader sees in files.

Human summary by default; with ``--json`` exactly one JSON object per line
and per file (see DESIGN.md, Contract).  Exit code 0 when every file was
read, 1 otherwise.  Also ``python3 -m <package>.fatturapa.cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal

from . import read_file

# A console script (fatturapa-inspect): what it prints is its output.
# pylint: disable=print-used

CENT = Decimal("0.01")


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def invoice_summary(invoice) -> dict:
    """The JSON object of one invoice (stable keys)."""
    return {
        "document_type": invoice.document_type,
        "number": invoice.number,
        "date": invoice.date.isoformat(),
        "currency": invoice.currency,
        "seller_vat": invoice.seller.vat,
        "seller_fiscal_code": invoice.seller.fiscal_code,
        "buyer_vat": invoice.buyer.vat,
        "buyer_fiscal_code": invoice.buyer.fiscal_code,
        "amount_untaxed": _amount(invoice.amount_untaxed),
        "amount_tax": _amount(invoice.amount_tax),
        "amount_total": _amount(invoice.amount_total),
        "lines": len(invoice.lines),
        "warnings": list(invoice.warnings),
    }


def result_summary(path, result) -> dict:
    return {
        "file": str(path),
        "ok": result.ok,
        "error": (
            {"code": result.error_code, "message": result.error_message} if not result.ok else None
        ),
        "invoices": [invoice_summary(invoice) for invoice in result.invoices],
    }


def _human(path, result) -> str:
    if not result.ok:
        return f"{path}: ERROR {result.error_code}: {result.error_message}"
    out = [f"{path}: {result.envelope}, {len(result.invoices)} invoice(s)"]
    out += [f"  ! {warning}" for warning in result.envelope_warnings]
    for invoice in result.invoices:
        seller = invoice.seller.display_name or ""
        out.append(
            f"  {invoice.document_type} {invoice.number} of {invoice.date} "
            f"from {invoice.seller.vat or invoice.seller.fiscal_code or '?'} {seller}"
        )
        out.append(
            f"    untaxed {_amount(invoice.amount_untaxed)} + tax "
            f"{_amount(invoice.amount_tax)} = {_amount(invoice.amount_total)} "
            f"{invoice.currency}, {len(invoice.lines)} line(s)"
        )
        out += [f"    ! {warning}" for warning in invoice.warnings]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="fatturapa-inspect",
        description="Read FatturaPA files (.xml, .xml.p7m) and show what they hold.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line and per file")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    all_ok = True
    for path in args.files:
        result = read_file(path)
        all_ok = all_ok and result.ok
        if args.json:
            print(json.dumps(result_summary(path, result), ensure_ascii=False))
        else:
            print(_human(path, result))
    sys.stdout.flush()
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
