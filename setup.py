"""Packaging: `pip install .` installs the addon as the wheel
``odoo-addon-l10n_it_autoreg`` into the ``odoo.addons`` namespace (as OCA
publishes addons) together with the ``fatturapa-inspect`` console script,
and beside it its glue module for OCA queue_job, ``l10n_it_autoreg_queue``
(auto-installed in a database only where queue_job is installed).  The
addons also work by simply adding this folder to Odoo's --addons-path."""

import ast
import os

from setuptools import find_packages, setup

ADDON = "l10n_it_autoreg"
# the addons the wheel installs: the addon, then its glue modules
ADDONS = [ADDON, "l10n_it_autoreg_queue"]
HERE = os.path.dirname(os.path.abspath(__file__))


def manifest():
    with open(os.path.join(HERE, ADDON, "__manifest__.py")) as f:
        return ast.literal_eval(f.read())


def data_files_of_addon(addon):
    """Every non-Python file of ``addon`` (views, data, i18n, static, demo)."""
    files = []
    root = os.path.join(HERE, addon)
    for dirpath, _dirnames, filenames in os.walk(root):
        if "__pycache__" in dirpath:
            continue
        for name in filenames:
            if not name.endswith((".py", ".pyc")):
                files.append(os.path.relpath(os.path.join(dirpath, name), root))
    return files


MANIFEST = manifest()

setup(
    name="odoo-addon-" + ADDON,
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="LGPL-3",
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    python_requires=">=3.10",
    # Odoo itself is not a requirement: it is not published on PyPI and is
    # installed beside the addon (see README).
    install_requires=["lxml", "asn1crypto"],
    package_dir={"odoo.addons." + addon: addon for addon in ADDONS},
    packages=[
        name
        for addon in ADDONS
        for name in ["odoo.addons." + addon]
        + [f"odoo.addons.{addon}.{pkg}" for pkg in find_packages(addon)]
    ],
    package_data={"odoo.addons." + addon: data_files_of_addon(addon) for addon in ADDONS},
    entry_points={
        "console_scripts": [
            f"fatturapa-inspect = odoo.addons.{ADDON}.fatturapa.cli:main",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
)
