"""Review notes: what a registered bill asks the accountant to look at.

A document is registered only when its figures are certain; some decisions
taken on the way are still worth a look (a supplier created from the
e-invoice, a tax created from the document, a schedule that did not add up).
Each is a :class:`Review`: a trace note (it is written in the bill's chatter
like the others) that also has a code, stored on the bill and shown in the
**To review** list until someone presses *Reviewed*.  The table of codes is
REVIEWS; README's table is ``review_codes_markdown()`` (a test checks it).

Pure Python (no Odoo import).
"""

from dataclasses import dataclass

from .outcome import Text, _lt


@dataclass(frozen=True)
class ReviewCode:
    """One review code: the note stored on the bill (translated when
    rendered) and, for README, what it means and what to check."""

    code: str
    template: str
    meaning: str
    check: str


REVIEWS = {
    review.code: review
    for review in (
        ReviewCode(
            "supplier_created",
            _lt("Supplier %(partner)s was created from this e-invoice."),
            "The supplier was not in Odoo: it was created from the e-invoice's seller.",
            "Its payment terms, accounts and fiscal position (they apply to its next bills).",
        ),
        ReviewCode(
            "tax_created",
            _lt("Tax %(tax)s was created from this e-invoice."),
            "A withholding, ENASARCO or pension fund purchase tax the company lacked was created "
            "from the document (Settings: create missing withholding and pension fund taxes), "
            "copied from the chart's tax of the same kind.",
            "The tax's accounts, tax group and tax grid (the next documents use it too).",
        ),
        ReviewCode(
            "rounding_added",
            _lt(
                "A rounding of %(amount)s (within the tolerance of Settings) was added on "
                "%(where)s to match the e-invoice."
            ),
            "The bill's lines differ from the e-invoice's summary by less than the rounding "
            "tolerance (Settings) and the e-invoice states no rounding: a rounding line was added.",
            "That the difference is a rounding and not a missing line.",
        ),
        ReviewCode(
            "schedule_adjusted",
            _lt(
                "The installments of the e-invoice add up to %(stated)s, not to the amount due "
                "%(due)s: the whole amount is due in one installment on %(date)s, the earliest "
                "due date stated."
            ),
            "The bill's figures are verified (untaxed, VAT, total and amount due equal the "
            "e-invoice's) but the installments stated do not add up to the amount due "
            "(installments of the gross total while a withholding is due, installments summing "
            "to more or less, several DatiPagamento that are not each the whole amount): one "
            "installment of the whole amount on the earliest stated due date.",
            "The due dates, against the supplier's contract.",
        ),
        ReviewCode(
            "withholding_inferred",
            _lt(
                "No line is flagged Ritenuta SI: the withholding %(amount)s is %(rate)s%% of the "
                "taxable of %(lines)s, applied to those lines."
            ),
            "The withholding amount equals its rate on the taxable of all lines (or of the lines "
            "of one VAT rate, with the contribution of a pension fund subject to withholding) to "
            "the cent, though no line says so: those lines take the withholding tax.",
            "That the withholding applies to those lines.",
        ),
        ReviewCode(
            "pension_fund_stated",
            _lt(
                "The pension fund contribution %(amount)s is not %(rate)s%% of its base "
                "%(base)s; the VAT summary confirms the stated amount."
            ),
            "ImportoContributoCassa differs from AlCassa × its base, but the VAT summary confirms "
            "the stated amount: the contribution is registered as stated, a line of its own at "
            "the fund's VAT (no pension fund tax).",
            "The contribution, against the professional's fee note.",
        ),
        ReviewCode(
            "rule_review",
            _lt("Registration rule %(rule)s leaves the bills it applies to for review."),
            "A registration rule whose outcome is *Register, to review* decided a line: the bill "
            "is registered and marked to review.",
            "What the rule is there for (the accounts, the amounts, the supplier's terms).",
        ),
    )
}

REVIEW_CODES = tuple(REVIEWS)


class Review(Text):
    """A trace note that asks for a review: ``code`` (a key of REVIEWS) and
    the parameters of its note."""

    __slots__ = ("code",)

    def __init__(self, code, **params):
        super().__init__(REVIEWS[code].template, **params)
        self.code = code

    def __repr__(self):
        return f"Review({self.code!r}, {self.params!r})"

    def __eq__(self, other):
        if not isinstance(other, Review):
            return NotImplemented  # a Text (or a test's pattern) decides
        return self.code == other.code and super().__eq__(other)

    __hash__ = Text.__hash__


def reviews_of(trace):
    """The Reviews among the notes of ``trace``."""
    return [note for note in trace if isinstance(note, Review)]


def review_codes_markdown():
    """README's table of review codes, made from REVIEWS."""
    rows = ["| Code | Meaning | What to check |", "| --- | --- | --- |"]
    rows += [f"| `{r.code}` | {r.meaning} | {r.check} |" for r in REVIEWS.values()]
    return "\n".join(rows) + "\n"
