"""Duplicates among the documents of one batch: a document decided in the
batch is a bill already, for the documents decided after it (as when each
bill is written before the next is decided); and whether the seller of
another received document still to register is the same supplier.

Pure Python: the engine asks the database for the bills written before the
batch and for the received documents still to register, and this index for
those decided in it.
"""

from dataclasses import dataclass

from .identity import digits, is_placeholder_vat, norm_cf, norm_vat


def bill_number(number):
    """The number as duplicates compare it: NFKC, no invisible characters
    (zero-width, soft hyphen), no blanks, upper case."""
    return digits(number)


def same_seller(seller, other):
    """Whether the sellers of two documents are the same supplier, as the
    duplicates of registered bills count them (identity.duplicate_partner_ids):
    the same VAT number -- not another member of a VAT group (same VAT,
    another fiscal code of its own), a placeholder VAT number (foreign party)
    only with the same name -- or, without VAT numbers, the same fiscal code."""
    vat, other_vat = norm_vat(seller.vat), norm_vat(other.vat)
    cf, other_cf = norm_cf(seller.fiscal_code), norm_cf(other.fiscal_code)
    if vat and other_vat:
        if vat != other_vat:
            return False
        if is_placeholder_vat(vat):
            return digits(seller.display_name) == digits(other.display_name)
        return not (cf and other_cf) or cf == other_cf or vat[2:] in (cf, other_cf)
    return bool(cf) and cf == other_cf


@dataclass(frozen=True)
class Decided:
    move_id: int
    partner_id: int
    move_type: str
    number: str
    date: object


class DuplicateIndex:
    """Documents decided in the batch, by (move type, number)."""

    def __init__(self):
        self._by_number = {}

    def add(self, move_id, partner_id, move_type, number, date):
        decided = Decided(move_id, partner_id, move_type, bill_number(number), date)
        self._by_number.setdefault((move_type, decided.number), []).append(decided)

    def find(self, move_id, partner_ids, move_type, number, date_from, date_to):
        """The first document decided before with one of ``partner_ids``, the
        same move type and number, dated in [date_from, date_to]: its move id."""
        for decided in self._by_number.get((move_type, bill_number(number)), ()):
            if (
                decided.move_id != move_id
                and decided.partner_id in partner_ids
                and date_from <= decided.date <= date_to
            ):
                return decided.move_id
        return None

    def __contains__(self, move_id):
        """Whether the document ``move_id`` was decided in the batch (to be
        registered)."""
        return any(d.move_id == move_id for values in self._by_number.values() for d in values)

    def clone(self):
        other = DuplicateIndex()
        other._by_number = {key: list(value) for key, value in self._by_number.items()}
        return other
