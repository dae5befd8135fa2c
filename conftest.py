"""Repository-wide pytest rules.

- The addon is imported as ``odoo.addons.l10n_it_autoreg`` everywhere, also in
  a plain ``pytest`` run of the pure-Python reader tests (no database).
- A browser test (``HttpCase``) that is *skipped* fails the session: Odoo
  skips tours silently when Chromium, ``websocket-client`` or pytest-odoo's
  ``--odoo-http`` is missing, and a skipped tour must never pass for green.
"""

import os

import pytest

try:
    import odoo.addons
except ImportError:  # pure reader tests can still run without Odoo
    odoo = None
else:
    _repo = os.path.dirname(os.path.abspath(__file__))
    if _repo not in odoo.addons.__path__:
        odoo.addons.__path__.append(_repo)


def pytest_configure(config):
    """Database-free run of the pure reader tests
    (``python3 -m pytest -p no:odoo l10n_it_autoreg/tests/test_reader_*.py``):
    give Odoo its default addons path and let pytest-odoo name test modules
    ``odoo.addons.<addon>.tests...`` as it does in a database run."""
    if (
        odoo is None
        or config.getoption("--odoo-database", None)
        or config.getoption("--odoo-config", None)
    ):
        return
    import pytest_odoo

    from odoo.tools import config as odoo_config

    odoo_config.parse_config([])
    if _repo not in odoo.addons.__path__:
        odoo.addons.__path__.append(_repo)
    pytest_odoo.monkey_patch_resolve_pkg_root_and_module_name()


_browser_items = set()
_browser_skipped = []


def _is_browser_test(item):
    cls = getattr(item, "cls", None)
    if cls is None or odoo is None:
        return False
    from odoo.tests import HttpCase

    return issubclass(cls, HttpCase) and "tour" in item.name


def pytest_collection_modifyitems(session, config, items):
    _browser_items.update(item.nodeid for item in items if _is_browser_test(item))


def pytest_runtest_logreport(report):
    if report.skipped and report.nodeid in _browser_items:
        _browser_skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _browser_skipped and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _browser_skipped:
        terminalreporter.write_line(
            "FAILED: browser tests were skipped (Chromium / websocket-client / "
            "--odoo-http missing?): " + ", ".join(_browser_skipped),
            red=True,
        )
