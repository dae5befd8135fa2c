"""Duplicates among the documents of one batch: a document decided in the
batch is a bill already, for the documents decided after it (as when each
bill is written before the next is decided).

Pure Python: the engine asks the database for the bills written before the
batch, and this index for those decided in it.
"""

from dataclasses import dataclass

from .identity import digits


def bill_number(number):
    """The number as duplicates compare it: NFKC, no invisible characters
    (zero-width, soft hyphen), no blanks, upper case."""
    return digits(number)


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

    def clone(self):
        other = DuplicateIndex()
        other._by_number = {key: list(value) for key, value in self._by_number.items()}
        return other
