"""Base of the tests that need no database (the FatturaPA reader and the
test builder): plain ``unittest`` cases, so that they run

- under plain pytest without a database
  (``python3 -m pytest -p no:odoo l10n_it_autoreg/tests/test_reader_*.py``),
  since nothing here imports ``odoo.tests`` or needs a registry;
- under Odoo's own test runner (``--test-enable``, as OCA CI runs it),
  which only runs the ``TestCase`` classes of the modules tests/__init__.py
  imports, and among them only those with the attributes its tag selector
  and loader read (``test_tags``, ``test_module``, ``test_class``,
  ``test_sequence``: odoo/tests/tag_selector.py, loader.py; its suite also
  reads ``__unittest_skip__`` of every class).  Odoo's ``BaseCase`` gives
  them through its metaclass; these cases set them.

A parametrized case is a loop of ``subTest``: pytest (>= 9) and Odoo's
runner report each failing value apart (Odoo's runner under the logger of
the test's module, as its own failures).
"""

import contextlib
import unittest


class PureCase(unittest.TestCase):
    """A database-free test case that Odoo's runner selects as a
    post_install test of l10n_it_autoreg (like the module's other tests);
    ``--test-tags l10n_it_autoreg_pure`` selects these cases alone
    (scripts/test.sh runs them so after pytest)."""

    test_tags = {"standard", "post_install", "l10n_it_autoreg_pure"}
    test_module = "l10n_it_autoreg"
    test_sequence = 0
    __unittest_skip__ = False  # read as an attribute by odoo/tests/suite.py
    __unittest_skip_why__ = ""
    longMessage = True

    def __init_subclass__(cls, **kwargs):  # pylint: disable=missing-return
        super().__init_subclass__(**kwargs)  # returns None
        cls.test_class = cls.__name__

    def run(self, result=None):
        # unittest's subTest reads ``result.failfast`` after a failing value;
        # Odoo's OdooTestResult has no such attribute (the test would stop
        # at its first failing value, with an AttributeError)
        if result is not None and not hasattr(result, "failfast"):
            result.failfast = False
        return super().run(result)

    @contextlib.contextmanager
    def subTest(self, *args, **params):
        with super().subTest(*args, **params):
            if self._subtest is not None:
                # Odoo's runner logs a failure with the logger named by the
                # test's ``__module__``: it finds that of its own subtests'
                # test case, not of unittest's (it would say "unittest.case")
                self._subtest.__module__ = self.__module__
            yield
