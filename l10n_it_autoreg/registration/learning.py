"""Learning from a supplier's registered bills: the account and analytic
distribution of a document line taken from the most similar line of this
supplier's posted bills (same article code, or a description with the same
words; the same VAT tax preferred), and above all from a line a person
*corrected* -- a line of a bill the addon registered whose account or
analytic distribution is no longer what the registration decided.

Pure Python (no Odoo import): the engine reads the supplier's recent bill
lines once per batch as :class:`PastLine`.
"""

from dataclasses import dataclass, field
from functools import cached_property

from .outcome import Text, _lt
from .rules import compact, words

# Words that say nothing about what was bought: a monthly bill's period,
# articles and prepositions.
STOP_WORDS = frozenset(
    """
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    gen feb mar apr mag giu lug ago set ott nov dic
    january february march april may june july august september october november december
    il lo la i gli le un uno una di del dello della dei degli delle da dal dallo dalla dai
    dagli dalle in nel nello nella nei negli nelle su sul sullo sulla sui sugli sulle per
    con tra fra al allo alla ai agli alle e ed o a rif periodo mese anno dal
    the of for and to from period month year
    """.split()
)
# Share of words in common (of all the words of both) from which two
# descriptions are similar.
SIMILAR = 0.5


def key_words(description):
    """The words of a description that tell what it is: no numbers (dates,
    amounts, references change at every bill), no stop words."""
    return frozenset(
        w for w in words(description) if not w.isdigit() and w not in STOP_WORDS and len(w) > 1
    )


def similarity(first, second):
    """Share of the key words two descriptions have in common (0 to 1)."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def same_analytic(first, second):
    """Two analytic distributions are the same (keys as text, percentages
    to the hundredth)."""

    def norm(distribution):
        return {str(k): round(float(v or 0), 2) for k, v in (distribution or {}).items()}

    return norm(first) == norm(second)


@dataclass(frozen=True)
class PastLine:
    """A line of this supplier's posted bills: what it is now, and what the
    registration decided for it (None for the lines of bills it did not
    register)."""

    line_id: int
    bill: str  # the bill's number
    date: object  # the bill's accounting date
    description: str
    account_id: int
    analytic: dict | None = None
    tax_ids: frozenset = frozenset()
    article_code: str = ""
    decided_account_id: int | None = None
    decided_analytic: dict | None = None
    writer: str = ""  # who wrote the line last
    written: object = None  # when
    key_words: frozenset = field(default=frozenset(), compare=False)

    def __post_init__(self):
        if not self.key_words:
            object.__setattr__(self, "key_words", key_words(self.description))

    @cached_property
    def corrected(self):
        """What a person changed on a line the registration decided:
        ("account",), ("analytic",), both, or () (computed once: a batch
        compares each past line with every line of its supplier's
        documents)."""
        if self.decided_account_id is None:
            return ()
        parts = []
        if self.account_id != self.decided_account_id:
            parts.append("account")
        if not same_analytic(self.analytic, self.decided_analytic):
            parts.append("analytic")
        return tuple(parts)

    @cached_property
    def rank_tail(self):
        """The part of a match's rank that is the past line's own: a
        corrected line first (the last correction first), then the most
        recent bill, then the last line."""
        corrected = bool(self.corrected)
        return (
            corrected,
            str(self.written or "") if corrected else "",
            str(self.date or ""),
            self.line_id,
        )


@dataclass(frozen=True)
class Learned:
    """The past line a document line follows and why."""

    past: PastLine
    by_code: bool
    score: float

    @property
    def account_id(self):
        return self.past.account_id

    @property
    def analytic(self):
        return self.past.analytic or None

    @property
    def corrected(self):
        return self.past.corrected

    def why(self):
        """Text for the trace: the bill it follows, and who corrected it."""
        past = self.past
        if self.corrected:
            what = {
                ("account",): _lt("account as corrected on %(bill)s by %(user)s"),
                ("analytic",): _lt("analytic distribution as corrected on %(bill)s by %(user)s"),
            }.get(
                self.corrected,
                _lt("account and analytic distribution as corrected on %(bill)s by %(user)s"),
            )
            return Text(what, bill=past.bill, user=past.writer or "-")
        return Text(_lt("as on %(bill)s, a similar line of this supplier"), bill=past.bill)


def learn(past_lines, line, tax_id):
    """The :class:`Learned` of the reader's ``line`` (its VAT tax
    ``tax_id``) among ``past_lines`` of its supplier, or None when no past
    line is similar.  Similar: the same article code, or descriptions
    sharing at least half of their key words.  The most similar wins: the
    same article code, then the same VAT tax, then the most words in
    common, then a line a person corrected (the last correction first),
    then the most recent bill."""
    codes = {compact(code.value) for code in line.article_codes} - {""}
    mine = key_words(line.description)
    best, best_rank = None, None
    for past in past_lines:
        by_code = bool(past.article_code and past.article_code in codes)
        score = similarity(mine, past.key_words)
        if not by_code and score < SIMILAR:
            continue
        rank = (by_code, tax_id in past.tax_ids, round(score, 3), *past.rank_tail)
        if best_rank is None or rank > best_rank:
            best, best_rank = Learned(past, by_code, score), rank
    return best
