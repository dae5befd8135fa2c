"""What the database-free tests of ``registration/`` share
(test_registration_*.py): their test case class, a matcher of the Texts the
decisions return, and reading builder-made documents.

Pure Python: no database, no registry (the case is pure.PureCase).
"""

from datetime import date

from odoo.addons.l10n_it_autoreg.fatturapa import read_bytes
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal, Text
from odoo.addons.l10n_it_autoreg.tests.builder import (
    InvoiceSpec,
    SimplifiedSpec,
    build_simplified_xml,
    build_xml,
)
from odoo.addons.l10n_it_autoreg.tests.pure import PureCase

TODAY = date(2025, 6, 1)


class RegistrationCase(PureCase):
    """A database-free case (pure.PureCase: plain pytest and Odoo's runner)."""

    maxDiff = None

    def assertRefusal(self, code, function, *args, **kwargs):
        """``function(*args, **kwargs)`` raises Refusal ``code``: its params."""
        with self.assertRaises(Refusal) as caught:
            function(*args, **kwargs)
        self.assertEqual(caught.exception.code, code, caught.exception.params)
        return caught.exception.params


class T(Text):
    """Equal to a :class:`Text` whose template contains ``fragment`` and
    whose parameters are exactly these (nested Ts match nested Texts): the
    tests pin the decision and its figures, not the English wording."""

    def __init__(self, fragment, *args, **params):  # noqa: B042
        super().__init__(fragment, *args, **params)

    def __eq__(self, other):
        return (
            isinstance(other, Text)
            and self.template in other.template
            and (self.args, self.params) == (other.args, other.params)
        )

    __hash__ = Text.__hash__

    def __repr__(self):
        return f"T({self.template!r}, {self.args or self.params!r})"


def read(**spec):
    """The first invoice of the document ``InvoiceSpec(**spec)``."""
    result = read_bytes(build_xml(InvoiceSpec(**spec)), today=TODAY)
    assert result.ok, result.error_message
    return result.invoices[0]


def read_xml(xml):
    result = read_bytes(xml, today=TODAY)
    assert result.ok, result.error_message
    return result.invoices[0]


def read_simplified(*lines):
    """The FSM10 invoice of these SimplifiedLineSpecs."""
    return read_xml(build_simplified_xml(SimplifiedSpec(lines=list(lines))))
