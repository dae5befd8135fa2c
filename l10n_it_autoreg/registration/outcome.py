"""What a registration says: refusals and notes (the table of reason codes
is registration.reasons).

Pure Python (no Odoo import).  A decision that cannot be taken with certainty
raises :class:`Refusal` (a reason code and its parameters); a decision that
explains itself returns a :class:`Text` (a trace note).  Texts are English
templates marked with ``_lt`` so that Odoo's term export finds them; the
engine renders them in the company's language (``render``).
"""


def _lt(source):
    """Mark ``source`` for Odoo's translation export (``_lt`` keyword); the
    template is translated when it is rendered, not here."""
    return source


class Text:
    """A translatable sentence: an ``_lt`` template and its parameters
    (strings, numbers, other Texts, or records rendered by their name)."""

    __slots__ = ("template", "args", "params")

    def __init__(self, template, *args, **params):
        assert not (args and params), "positional or named parameters, not both"
        self.template = template
        self.args = args
        self.params = params

    def __repr__(self):
        return f"Text({self.template!r}, {self.args or self.params!r})"

    def __eq__(self, other):
        return isinstance(other, Text) and (self.template, self.args, self.params) == (
            other.template,
            other.args,
            other.params,
        )

    def __hash__(self):
        return hash(self.template)


class Refusal(Exception):  # noqa: N818 - a decision, not an error
    """A document that must stay pending: ``code`` (a key of REASONS) and
    the parameters of its reason.  ``text`` names a variant wording of the
    same code (a key of VARIANTS).  ``missing_tax``: for ``tax_not_found``,
    the key of the purchase tax the document waits for
    (registration.missing_tax), stored on the bill, not in the sentence.
    ``focus``: where in the document the figures that did not match are
    (registration.focus), stored on the bill for the readable e-invoice."""

    def __init__(self, code, text=None, missing_tax=None, focus=None, **params):
        super().__init__(code)
        self.code = code
        self.text = text
        self.missing_tax = missing_tax
        self.focus = focus
        self.params = params

    def __repr__(self):
        return f"Refusal({self.code!r}, {self.params!r})"
