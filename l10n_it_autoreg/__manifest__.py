# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Italy - Automatic registration of electronic purchase invoices",
    "summary": "Registrazione automatica degli acquisti elettronici: received "
    "FatturaPA become posted, unpaid vendor bills, or stay to register with "
    "the exact reason",
    "version": "18.0.1.3.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/l10n-it-autoreg/l10n_it_autoreg",
    "author": "l10n_it_autoreg developers",
    "license": "LGPL-3",
    "countries": ["it"],
    "depends": [
        "account",
        "l10n_it",
        "l10n_it_edi",
        "l10n_it_edi_withholding",
    ],
    "external_dependencies": {"python": ["lxml", "asn1crypto"]},
    "data": [
        "security/ir.model.access.csv",
        "security/l10n_it_autoreg_security.xml",
        "data/l10n_it_autoreg_data.xml",
        "views/account_move_views.xml",
        "views/einvoice_templates.xml",
        "views/account_tax_views.xml",
        "views/l10n_it_autoreg_run_views.xml",
        "views/l10n_it_autoreg_preview_views.xml",
        "views/l10n_it_autoreg_rule_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "l10n_it_autoreg/static/src/**/*",
        ],
        "web.assets_tests": [
            "l10n_it_autoreg/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
