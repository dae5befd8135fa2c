"""Registration rules (``l10n_it_autoreg.rule``) as plain data: which rule
decides a document line, and how a rule splits a line's amount across
accounts.

A rule has conditions -- on the supplier and the document type (the
document), on words of the line's description, the supplier's article code
(CodiceArticolo), an AltriDatiGestionali type / text (a utility's POD or PDR
contract code), the VAT rate and Natura (the line) -- and actions: an
expense account or a split across accounts by percentage, an analytic
distribution, a product, and an outcome: register, register to review
(``rule_review``) or never register automatically (``rule_manual``).  The
rules of a company are in order (sequence); the first one whose conditions
all hold decides the line.  A condition left empty always holds.

Pure Python (no Odoo import): the engine turns the rule records into
:class:`Rule` once per batch (``problem`` says why one cannot be applied:
an archived account...).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .amounts import D, r2
from .outcome import Refusal, Text, _lt
from .reviews import Review

OUTCOME_REGISTER, OUTCOME_REVIEW, OUTCOME_MANUAL = "register", "review", "manual"

_SEPARATORS = re.compile(r"[,;\n]+")
_WORD = re.compile(r"\w+")


def words(text):
    """The words of ``text``: capitals and accents ignored (a Text, e.g. a
    line a reading added, has none)."""
    if not isinstance(text, str):
        return ()
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(_WORD.findall(plain.casefold()))


def compact(text):
    """``text`` without blanks, in capitals (codes: ``it 001e 123`` is
    ``IT001E123``)."""
    return "".join((text or "").split()).upper() if isinstance(text, str) else ""


def phrases_of(text):
    """Words or phrases separated by commas, semicolons or new lines."""
    return tuple(p for p in (words(part) for part in _SEPARATORS.split(text or "")) if p)


def codes_of(text):
    """Codes separated by commas, semicolons or new lines, compacted."""
    return tuple(c for c in (compact(part) for part in _SEPARATORS.split(text or "")) if c)


@dataclass(frozen=True)
class Share:
    """One account of a split and its percentage."""

    account_id: int
    percent: Decimal


@dataclass(frozen=True)
class Rule:
    """A registration rule as the decisions see it (build it with
    :func:`make_rule`, which reads the texts the user typed)."""

    id: int
    name: str
    partner_ids: frozenset = frozenset()
    phrases: tuple = ()  # tuples of words
    article_codes: tuple = ()
    other_type: str = ""
    other_text: str = ""
    vat_rate: Decimal | None = None
    vat_nature: str = ""
    document_types: tuple = ()
    outcome: str = OUTCOME_REGISTER
    account_id: int | None = None
    analytic: dict | None = None
    product_id: int | None = None
    shares: tuple = ()  # Share
    problem: object = None  # Text: why it cannot be applied

    def __hash__(self):
        return hash(self.id)

    @property
    def classifies(self):
        """The rule chooses the line's account (or accounts)."""
        return bool(self.account_id or self.shares)


def make_rule(
    rule_id,
    name,
    partner_ids=(),
    words_text="",
    codes_text="",
    other_type="",
    other_text="",
    vat_rate=None,
    vat_nature="",
    document_types="",
    **actions,
):
    """A :class:`Rule` from the values of its record: texts as typed (the
    words and codes separated by commas), ``vat_rate`` None for no
    condition on the rate; ``actions`` are Rule's own fields (outcome,
    account_id, analytic, product_id, shares, problem)."""
    return Rule(
        id=rule_id,
        name=name,
        partner_ids=frozenset(partner_ids),
        phrases=phrases_of(words_text),
        article_codes=codes_of(codes_text),
        other_type=compact(other_type),
        other_text=compact(other_text),
        vat_rate=None if vat_rate is None else r2(vat_rate),
        vat_nature=compact(vat_nature),
        document_types=codes_of(document_types),
        **actions,
    )


def _contains(haystack, phrase):
    size = len(phrase)
    return any(haystack[i : i + size] == phrase for i in range(len(haystack) - size + 1))


def _other_data_holds(rule, line):
    if not (rule.other_type or rule.other_text):
        return True
    return any(
        (not rule.other_type or compact(data.type) == rule.other_type)
        and (not rule.other_text or compact(data.text) == rule.other_text)
        for data in line.other_data
    )


def _vat_holds(rule, line):
    if rule.vat_rate is not None and r2(D(line.vat_rate)) != rule.vat_rate:
        return False
    if rule.vat_nature:
        nature = compact(line.vat_nature)
        return nature == rule.vat_nature or nature.startswith(rule.vat_nature + ".")
    return True


def line_matches(rule, line):
    """Every condition of ``rule`` on a line holds for the reader's ``line``."""
    if rule.phrases:
        description = words(line.description)
        if not any(_contains(description, phrase) for phrase in rule.phrases):
            return False
    if rule.article_codes:
        codes = {compact(code.value) for code in line.article_codes}
        if not codes.intersection(rule.article_codes):
            return False
    return _other_data_holds(rule, line) and _vat_holds(rule, line)


def document_matches(rule, partner_ids, document_type):
    """The conditions of ``rule`` on the document hold: the supplier (any
    of ``partner_ids``: the contact and its company) and the type."""
    if rule.partner_ids and not rule.partner_ids.intersection(partner_ids):
        return False
    return not rule.document_types or compact(document_type) in rule.document_types


def rule_for(rules, line, partner_ids, document_type):
    """The first of ``rules`` (in their order) whose conditions all hold
    for ``line`` of a document of the supplier ``partner_ids`` and of
    ``document_type``; None when none does."""
    return next(
        (
            rule
            for rule in rules
            if document_matches(rule, partner_ids, document_type) and line_matches(rule, line)
        ),
        None,
    )


def applied(rule, automatic, description):
    """The rule as it applies to the line ``description``: a rule that
    cannot be applied refuses the document (``rule_invalid``); a rule that
    never registers automatically refuses it for the scheduled action
    (``rule_manual``) and gives way when a person asks (None: the line is
    decided as if no rule matched)."""
    if rule is None:
        return None
    if rule.problem is not None:
        raise Refusal("rule_invalid", rule=rule.name, detail=rule.problem)
    if rule.outcome == OUTCOME_MANUAL:
        if automatic:
            line = description[:100] if isinstance(description, str) else description
            raise Refusal("rule_manual", rule=rule.name, line=line)
        return None
    return rule


def manual_note(rule):
    """The trace note of a rule that never registers automatically, when a
    person asked to register the document."""
    return Text(
        _lt("Rule %(rule)s (never register automatically) set aside: a person asked to register"),
        rule=rule.name,
    )


def review_of(rule):
    """The Review a rule that leaves its bills to review adds, or None."""
    if rule is not None and rule.outcome == OUTCOME_REVIEW:
        return Review("rule_review", rule=rule.name)
    return None


def split_amounts(amount, shares):
    """[(Share, amount)]: ``amount`` to the cent shared by percentage, the
    last share taking what the others leave (the parts add up to the cent)."""
    total = r2(amount)
    parts, rest = [], total
    for share in shares[:-1]:
        part = r2(total * D(share.percent) / 100)
        parts.append((share, part))
        rest -= part
    parts.append((shares[-1], rest))
    return parts


def split_problem(shares):
    """Text: why the percentages of a split cannot be applied, or None."""
    if not shares:
        return None
    total = sum((D(share.percent) for share in shares), D(0))
    if any(D(share.percent) <= 0 for share in shares) or r2(total) != Decimal("100.00"):
        return Text(_lt("the percentages of the split add up to %s%% (not 100%%)"), f"{r2(total)}")
    return None
