"""What one reason code is (the table itself is in ``reasons``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One reason code: the family it belongs to, the sentence stored on the
    bill (translated), and for README what it means and what the user does."""

    code: str
    family: str
    template: str
    meaning: str
    action: str


FAMILIES = ("file", "document", "supplier", "data", "verification", "posting")
